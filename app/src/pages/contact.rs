//! Contact: questions to the registry's experts and their threads (`/contact`,
//! `/contact/:id`), the e-mail subscription to service notices, and for registry staff the
//! questions of everyone (waiting ones first), publishing and withdrawing notices, and the
//! outbox of notice mail (what waits when no SMTP server is configured, and what failed).

mod texts;
use texts as t;

use crate::error::AppError;
use crate::i18n::{strings, text, tr, use_lang};
use crate::pages::inline_error;
use domain::contact::{
    ContactPage, MailState, NoticeForm, NoticeKind, NoticeShown, Question, QuestionForm,
    QuestionId, QuestionPage, QuestionState, SubscriptionState, Topic,
};
use domain::eservice::Party;
use domain::{Field, FieldError, Lang};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The contact page's data: one page of questions.
#[server(prefix = "/api", endpoint = "contact", input = Json)]
pub async fn load_contact(page: u32) -> Result<ContactPage, AppError> {
    let cx = crate::cx::Cx::current()?;
    let mut out = cx
        .engine
        .contact(&cx.actor, page)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))?;
    out.smtp = use_context::<crate::cx::MailStatus>().is_some_and(|m| m.smtp);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "ask_question", input = Json)]
pub async fn ask_question(form: QuestionForm) -> Result<QuestionId, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .ask(&cx.actor, form)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

#[server(prefix = "/api", endpoint = "question", input = Json)]
pub async fn load_question(id: u64) -> Result<Question, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .question(&cx.actor, QuestionId(id))
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

#[server(prefix = "/api", endpoint = "reply_question", input = Json)]
pub async fn reply_question(id: u64, text: String, close: bool) -> Result<QuestionState, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .reply(&cx.actor, QuestionId(id), &text, close)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

#[server(prefix = "/api", endpoint = "publish_notice", input = Json)]
pub async fn publish_notice(form: NoticeForm) -> Result<(u64, u32), AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .publish_notice(&cx.actor, form)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

#[server(prefix = "/api", endpoint = "withdraw_notice", input = Json)]
pub async fn withdraw_notice(id: u64) -> Result<(), AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .withdraw_notice(&cx.actor, id)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// Subscribes to notices at `email` in `lang` (a confirmation link goes to a new address);
/// `None` ends the subscription.
#[server(prefix = "/api", endpoint = "subscribe_notices", input = Json)]
pub async fn subscribe_notices(
    email: Option<String>,
    lang: Lang,
) -> Result<SubscriptionState, AppError> {
    let cx = crate::cx::Cx::current()?;
    let base = use_context::<crate::cx::PublicUrl>()
        .map(|u| u.0)
        .unwrap_or_default();
    let link = move |token: &str| format!("{base}/contact?confirm={token}");
    cx.engine
        .subscribe(&cx.actor, email.as_deref(), lang, &link)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// Confirms the signed-in user's subscription with the token of the link mailed to them.
/// Answers the confirmed address.
#[server(prefix = "/api", endpoint = "confirm_subscription", input = Json)]
pub async fn confirm_subscription(token: String) -> Result<String, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .confirm_subscription(&cx.actor, &token)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

fn invalid(e: Vec<FieldError>) -> AppError {
    AppError::Invalid(e)
}

fn state_class(s: QuestionState) -> &'static str {
    match s {
        QuestionState::Open => "state-open",
        QuestionState::Answered => "state-answered",
        QuestionState::Closed => "state-closed",
    }
}

#[component]
pub fn ContactPageView() -> impl IntoView {
    let lang = use_lang();
    let page = RwSignal::new(0u32);
    let data = LocalResource::new(move || load_contact(page.get()));
    let reload = Callback::new(move |()| data.refetch());
    // What the last publication said; kept outside the parts a reload draws anew.
    let published = RwSignal::new(None::<u32>);
    view! {
        <Title text=move || format!("{} – {}", t::TITLE.get(lang.get()), strings(lang.get()).app) />
        <section class="contact">
            <h1>{text(t::TITLE)}</h1>
            <p class="intro">{text(t::INTRO)}</p>
            <ConfirmSubscription reload=reload />
            <AskForm reload=reload />
            {move || published.get().map(|n| view! { <p class="done" role="status">{text(t::PUBLISHED)}" "{n}</p> })}
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(c) => {
                        let staff = c.registry.then(|| view! {
                            <NoticeAdmin notices=c.notices.clone() reload=reload published=published />
                            {outbox(&c, lang)}
                        });
                        view! {
                            {questions(c.questions.clone(), c.registry, page, lang)}
                            <Subscription current=c.subscription.as_ref().map(|s| (s.email.clone(), s.confirmed)) reload=reload />
                            {staff}
                        }
                        .into_any()
                    }
                    Err(e) => inline_error(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AskForm(reload: Callback<()>) -> impl IntoView {
    let form = RwSignal::new(QuestionForm::default());
    let error = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    let send = Action::new(move |f: &QuestionForm| ask_question(f.clone()));
    Effect::new(move |_| {
        if let Some(result) = send.value().get() {
            match result {
                Ok(_) => {
                    form.set(QuestionForm::default());
                    error.set(None);
                    done.set(true);
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let topics = Topic::ALL
        .into_iter()
        .map(|t| {
            view! {
                <option value=t.slug() selected=move || form.with(|f| f.topic == t.slug())>
                    {text(t.text())}
                </option>
            }
        })
        .collect_view();
    view! {
        <form class="ask" aria-labelledby="ask-h" on:submit=move |ev| {
            ev.prevent_default();
            done.set(false);
            match form.get().check() {
                Ok(_) => { send.dispatch(form.get()); }
                Err(e) => error.set(Some(invalid(e))),
            }
        }>
            <h2 id="ask-h">{text(t::ASK)}</h2>
            <div class="field">
                <label for="ask-topic">{text(Field::Topic.label())}</label>
                <select id="ask-topic" on:change=move |ev| form.update(|f| f.topic = event_target_value(&ev))>
                    <option value="">"–"</option>
                    {topics}
                </select>
            </div>
            <div class="field">
                <label for="ask-subject">{text(Field::Title.label())}</label>
                <input type="text" id="ask-subject" maxlength="120"
                    prop:value=move || form.with(|f| f.subject.clone())
                    on:input=move |ev| form.update(|f| f.subject = event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="ask-text">{text(Field::Message.label())}</label>
                <textarea id="ask-text" rows="4" maxlength="4000"
                    prop:value=move || form.with(|f| f.text.clone())
                    on:input=move |ev| form.update(|f| f.text = event_target_value(&ev))></textarea>
            </div>
            <button type="submit">{text(t::SEND)}</button>
            {move || done.get().then(|| view! { <p class="done" role="status">{text(t::SENT)}</p> })}
            {move || error.get().map(inline_error)}
        </form>
    }
}

fn questions(p: QuestionPage, staff: bool, page: RwSignal<u32>, lang: RwSignal<Lang>) -> AnyView {
    let (total, per_page, current) = (p.total, p.per_page, p.page);
    let pages = total.div_ceil(per_page.max(1)).max(1);
    let caption = if staff { t::ALL_QUESTIONS } else { t::MINE };
    let rows = p
        .items
        .into_iter()
        .map(|q| {
            let who = staff.then(|| {
                view! { <td data-label=text(t::ASKER)>{format!("{} ({})", q.asker_name, q.organisation_name)}</td> }
            });
            view! {
                <tr class=state_class(q.state)>
                    <th scope="row"><A href=format!("/contact/{}", q.id.0)>{q.subject.clone()}</A></th>
                    <td data-label="#">{q.id.to_string()}</td>
                    <td data-label=text(Field::Topic.label())>{text(q.topic.text())}</td>
                    {who}
                    <td data-label=text(t::STATE)>{text(q.state.text())}</td>
                    <td data-label=text(t::UPDATED)>{q.updated.finnish_local()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="manage-table" id="questions">
            <caption>{move || format!("{} ({total})", caption.get(lang.get()))}</caption>
            <thead><tr>
                <th scope="col">{text(Field::Title.label())}</th>
                <th scope="col">"#"</th>
                <th scope="col">{text(Field::Topic.label())}</th>
                {staff.then(|| view! { <th scope="col">{text(t::ASKER)}</th> })}
                <th scope="col">{text(t::STATE)}</th>
                <th scope="col">{text(t::UPDATED)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {(total == 0).then(|| view! { <p>{text(t::NO_QUESTIONS)}</p> })}
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="pages">
                <button type="button" disabled={current == 0}
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{text(t::PREVIOUS)}</button>
                <span>{format!("{} / {pages}", current + 1)}</span>
                <button type="button" disabled={current + 1 >= pages}
                    on:click=move |_| page.update(|p| *p += 1)>{text(t::NEXT)}</button>
            </nav>
        })}
    }
    .into_any()
}

/// The confirmation link from the subscription's message (`/contact?confirm=…`): a button,
/// not an effect of opening the page (a mail scanner that opens links confirms nothing).
#[component]
fn ConfirmSubscription(reload: Callback<()>) -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("confirm");
    let confirm = Action::new(move |t: &String| confirm_subscription(t.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = confirm.value().get() {
            reload.run(());
        }
    });
    move || {
        token().map(|t| {
            let outcome = move || {
                confirm.value().get().map(|r| match r {
                    Ok(address) => view! {
                        <p class="done" role="status">{text(t::CONFIRMED)}" "<strong>{address}</strong></p>
                    }
                    .into_any(),
                    Err(e) => inline_error(e),
                })
            };
            view! {
                <section class="confirm-subscription" aria-labelledby="confirm-h">
                    <h2 id="confirm-h">{text(t::CONFIRM_H)}</h2>
                    <button type="button" disabled=move || confirm.pending().get()
                        on:click=move |_| { confirm.dispatch(t.clone()); }>{text(t::CONFIRM)}</button>
                    {outcome}
                </section>
            }
        })
    }
}

#[component]
fn Subscription(current: Option<(String, bool)>, reload: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let save =
        Action::new(move |e: &Option<String>| subscribe_notices(e.clone(), lang.get_untracked()));
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let body = match current {
        Some((address, true)) => view! {
            <p>{text(t::SUBSCRIBED)}" "<strong id="subscribed-email">{address}</strong></p>
            <button type="button" on:click=move |_| { save.dispatch(None); }>{text(t::UNSUBSCRIBE)}</button>
        }
        .into_any(),
        Some((address, false)) => view! {
            <p role="status">{text(t::AWAITING)}" "<strong id="subscribed-email">{address}</strong></p>
            <p class="hint">{text(t::AWAITING_HINT)}</p>
            <button type="button" on:click=move |_| { save.dispatch(None); }>{text(t::UNSUBSCRIBE)}</button>
        }
        .into_any(),
        None => view! {
            <form on:submit=move |ev| {
                ev.prevent_default();
                match domain::contact::parse_email(&email.get()) {
                    Ok(e) => { save.dispatch(Some(e)); }
                    Err(e) => error.set(Some(invalid(vec![e]))),
                }
            }>
                <div class="field">
                    <label for="subscribe-email">{text(Field::Email.label())}</label>
                    <input type="email" id="subscribe-email" maxlength="254"
                        prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev)) />
                    <p class="hint">{text(t::SUBSCRIBE_HINT)}</p>
                </div>
                <button type="submit">{text(t::SUBSCRIBE)}</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <section class="subscription" aria-labelledby="subscribe-h">
            <h2 id="subscribe-h">{text(t::SUBSCRIBE_H)}</h2>
            {body}
            {move || error.get().map(inline_error)}
        </section>
    }
}

#[component]
fn NoticeAdmin(
    notices: Vec<NoticeShown>,
    reload: Callback<()>,
    published: RwSignal<Option<u32>>,
) -> impl IntoView {
    let form = RwSignal::new(NoticeForm {
        kind: NoticeKind::PlannedBreak.slug().to_owned(),
        ..NoticeForm::default()
    });
    let error = RwSignal::new(None::<AppError>);
    let publish = Action::new(move |f: &NoticeForm| publish_notice(f.clone()));
    let withdraw = Action::new(move |id: &u64| withdraw_notice(*id));
    Effect::new(move |_| {
        if let Some(result) = publish.value().get() {
            match result {
                Ok((_, mails)) => {
                    form.set(NoticeForm {
                        kind: NoticeKind::PlannedBreak.slug().to_owned(),
                        ..NoticeForm::default()
                    });
                    error.set(None);
                    published.set(Some(mails));
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = withdraw.value().get() {
            match result {
                Ok(()) => reload.run(()),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let kinds = NoticeKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.slug()>{text(k.text())}</option> })
        .collect_view();
    let list = notices
        .into_iter()
        .map(|shown| {
            let langs = shown
                .texts
                .iter()
                .map(|t| t.lang.tag())
                .collect::<Vec<_>>()
                .join(", ");
            let langs = (!langs.is_empty()).then(|| format!(" [{langs}]"));
            let n = shown.notice;
            let id = n.id;
            let until = n.until.map(|d| format!(" – {}", d.to_finnish()));
            let action = (!n.withdrawn).then(|| {
                view! { <button type="button" on:click=move |_| { withdraw.dispatch(id); }>{text(t::WITHDRAW)}</button> }
            });
            view! {
                <li class:withdrawn=n.withdrawn>
                    <strong>{text(n.kind.text())}": "{n.title.clone()}</strong>
                    {langs}" ("{n.published.finnish_local()}{until}
                    {n.withdrawn.then(|| view! { ", "{text(t::WITHDRAWN)} })}")"
                    {action}
                </li>
            }
        })
        .collect_view();
    let lang = use_lang();
    // One group per language; a language left blank is not written in.
    let texts = Lang::ALL
        .into_iter()
        .enumerate()
        .map(|(i, written)| {
            let (title_id, body_id) = (
                format!("notice-title-{}", written.tag()),
                format!("notice-body-{}", written.tag()),
            );
            let legend = move || {
                let reader = lang.get();
                format!("{} {}", t::TEXT_IN.get(reader), written.in_words().get(reader))
            };
            let title = move || form.with(|f| f.texts.get(i).map(|t| t.title.clone()).unwrap_or_default());
            let body = move || form.with(|f| f.texts.get(i).map(|t| t.body.clone()).unwrap_or_default());
            view! {
                <fieldset class="notice-text" lang=written.tag()>
                    <legend>{legend}</legend>
                    <div class="field">
                        <label for=title_id.clone()>{text(Field::Title.label())}</label>
                        <input type="text" id=title_id maxlength="120"
                            prop:value=title
                            on:input=move |ev| form.update(|f| if let Some(t) = f.texts.get_mut(i) { t.title = event_target_value(&ev); }) />
                    </div>
                    <div class="field">
                        <label for=body_id.clone()>{text(Field::Message.label())}</label>
                        <textarea id=body_id rows="3" maxlength="4000"
                            prop:value=body
                            on:input=move |ev| form.update(|f| if let Some(t) = f.texts.get_mut(i) { t.body = event_target_value(&ev); })></textarea>
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="notice-admin" aria-labelledby="notices-h">
            <h2 id="notices-h">{text(t::NOTICES_H)}</h2>
            <ul class="notice-list">{list}</ul>
            <form on:submit=move |ev| {
                ev.prevent_default();
                published.set(None);
                let today = crate::pages::browser_now().date_in_finland();
                match form.get().check(today) {
                    Ok(_) => { publish.dispatch(form.get()); }
                    Err(e) => error.set(Some(invalid(e))),
                }
            }>
                <div class="field">
                    <label for="notice-kind">{text(t::KIND)}</label>
                    <select id="notice-kind" on:change=move |ev| form.update(|f| f.kind = event_target_value(&ev))>{kinds}</select>
                </div>
                {texts}
                <p class="hint">{text(t::NOTICE_LANGS_HINT)}</p>
                <div class="field">
                    <label for="notice-until">{text(t::UNTIL)}</label>
                    <input type="text" id="notice-until" inputmode="numeric"
                        prop:value=move || form.with(|f| f.until.clone())
                        on:input=move |ev| form.update(|f| f.until = event_target_value(&ev)) />
                </div>
                <button type="submit">{text(t::PUBLISH)}</button>
                {move || error.get().map(inline_error)}
            </form>
        </section>
    }
}

fn outbox(c: &ContactPage, lang: RwSignal<Lang>) -> AnyView {
    let rows = c
        .outbox
        .iter()
        .map(|m| {
            let state = match &m.state {
                MailState::Waiting => t::WAITING.get(lang.get_untracked()).to_owned(),
                MailState::Sent { at } => format!(
                    "{} {}",
                    t::SENT_AT.get(lang.get_untracked()),
                    at.finnish_local()
                ),
                MailState::Failed {
                    attempts, error, ..
                } => {
                    format!(
                        "{} ({attempts}): {error}",
                        t::FAILED.get(lang.get_untracked())
                    )
                }
                MailState::GaveUp { attempts, error } => {
                    format!(
                        "{} ({attempts}): {error}",
                        t::GAVE_UP.get(lang.get_untracked())
                    )
                }
            };
            view! {
                <tr>
                    <td data-label=text(t::TO)>{m.to.clone()}</td>
                    <td data-label=text(Field::Title.label())>{m.subject.clone()}</td>
                    <td data-label=text(t::UPDATED)>{m.created.finnish_local()}</td>
                    <td data-label=text(t::STATE)>{state}</td>
                </tr>
            }
        })
        .collect_view();
    let total = c.outbox_total;
    view! {
        <section class="outbox" aria-labelledby="outbox-h">
            <h2 id="outbox-h">{text(t::OUTBOX)}</h2>
            {(!c.smtp).then(|| view! { <p class="notice" role="note">{text(t::NO_SMTP)}</p> })}
            <table class="manage-table" id="outbox">
                <caption>{move || format!("{} ({total})", t::OUTBOX.get(lang.get()))}</caption>
                <thead><tr>
                    <th scope="col">{text(t::TO)}</th>
                    <th scope="col">{text(Field::Title.label())}</th>
                    <th scope="col">{text(t::UPDATED)}</th>
                    <th scope="col">{text(t::STATE)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {(total == 0).then(|| view! { <p>{text(t::EMPTY_OUTBOX)}</p> })}
        </section>
    }
    .into_any()
}

/// One question and its thread.
#[component]
pub fn QuestionView() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<u64>().ok()));
    let data = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => load_question(id).await,
                None => Err(AppError::NotFound),
            }
        }
    });
    let reload = Callback::new(move |()| data.refetch());
    view! {
        <Title text=move || format!("{} – {}", t::TITLE.get(lang.get()), strings(lang.get()).app) />
        <section class="question">
            <p><A href="/contact" exact=true>{text(t::BACK)}</A></p>
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(q) => thread(q, reload, lang),
                    Err(e) => inline_error(e),
                })}
            </Transition>
        </section>
    }
}

fn thread(q: Question, reload: Callback<()>, lang: RwSignal<Lang>) -> AnyView {
    let id = q.id.0;
    let closed = q.state == QuestionState::Closed;
    let messages = q
        .messages
        .iter()
        .map(|m| {
            let who = match m.party {
                Party::Registry => {
                    format!("{} ({})", m.by_name, t::REGISTRY.get(lang.get_untracked()))
                }
                Party::Applicant => m.by_name.clone(),
            };
            view! {
                <li class=format!("message from-{:?}", m.party).to_lowercase()>
                    <p class="meta">{m.at.finnish_local()}" – "{who}</p>
                    <p class="text">{m.text.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let text_in = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let send =
        Action::new(move |(t, close): &(String, bool)| reply_question(id, t.clone(), *close));
    Effect::new(move |_| {
        if let Some(result) = send.value().get() {
            match result {
                Ok(_) => {
                    text_in.set(String::new());
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let form = (!closed).then(|| {
        view! {
            <form class="message-form" on:submit=move |ev| {
                ev.prevent_default();
                let mut problems = Vec::new();
                match domain::contact::required_message(&text_in.get(), &mut problems) {
                    Some(_) => { send.dispatch((text_in.get(), false)); }
                    None => error.set(Some(invalid(problems))),
                }
            }>
                <label for="reply-text">{text(Field::Message.label())}</label>
                <textarea id="reply-text" rows="3" prop:value=move || text_in.get()
                    on:input=move |ev| text_in.set(event_target_value(&ev))></textarea>
                <button type="submit">{text(t::REPLY)}</button>
                <button type="button" class="secondary" on:click=move |_| { send.dispatch((text_in.get(), true)); }>
                    {text(t::CLOSE)}
                </button>
                {move || error.get().map(inline_error)}
            </form>
        }
    });
    view! {
        <h1>{q.subject.clone()}</h1>
        <p class="meta">
            {q.id.to_string()}" · "{text(q.topic.text())}" · "
            <span id="question-state">{text(q.state.text())}</span>
            " · "{format!("{} ({})", q.asker_name, q.organisation_name)}
        </p>
        <ol class="messages">{messages}</ol>
        {closed.then(|| view! { <p class="notice">{text(t::CLOSED_NOTE)}</p> })}
        {form}
    }
    .into_any()
}
