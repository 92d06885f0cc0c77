//! One application's page: its state and service clock, the form (editable by the applicant
//! while it is theirs, a summary otherwise), the steps open to the viewer (with the message a
//! step needs and, for a grant, the registry's decision), the message thread and the handling
//! history. The steps offered are those the engine said the viewer may take; the engine decides
//! again on every one.

use super::form::{editor, summary};
use super::texts as t;
use super::{application_message, application_step, clock_text, load_application, save_draft};
use crate::error::AppError;
use crate::i18n::{fill, strings, text, tr, use_lang};
use crate::pages::inline_error;
use domain::eservice::{
    ApplicationAction, ApplicationForm, ApplicationId, ApplicationState, ApplicationView,
    DecisionForm, Party,
};
use domain::{FieldError, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::time::Duration;

/// How long typing must pause before the draft is saved.
const SAVE_AFTER: Duration = Duration::from_millis(600);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Saving {
    Idle,
    Pending,
    Saved,
    Failed,
}

/// The draft typed but not yet saved, kept outside the reactive graph: when the page goes,
/// its signals go with it, and this is what is still sent.
#[derive(Clone, Default)]
struct Unsaved(std::sync::Arc<std::sync::Mutex<Option<ApplicationForm>>>);

impl Unsaved {
    fn keep(&self, form: ApplicationForm) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(form);
        }
    }

    fn take(&self) -> Option<ApplicationForm> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }

    /// Sends the unsaved draft at once in a request that outlives the page (`keepalive`), to
    /// the same server function as every save. In the browser only.
    fn send_now(&self, id: ApplicationId) {
        let Some(draft) = self.take() else {
            return;
        };
        #[cfg(feature = "hydrate")]
        {
            let body = serde_json::json!({ "id": id, "form": draft }).to_string();
            let init = web_sys::RequestInit::new();
            init.set_method("POST");
            // `keepalive` has no setter in this web-sys: the dictionary's field is set as such.
            let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
            init.set_body(&wasm_bindgen::JsValue::from_str(&body));
            if let Ok(headers) = web_sys::Headers::new() {
                let _ = headers.set("content-type", "application/json");
                init.set_headers(&headers);
            }
            if let Some(w) = web_sys::window() {
                let _ = w.fetch_with_str_and_init("/api/save_draft", &init);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, draft);
    }
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|s| s.parse::<u64>().ok())
                .map(ApplicationId)
        })
    };
    // Browser-only, through the origin-checked `/api`.
    let data = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => load_application(id).await,
                None => Err(AppError::NotFound),
            }
        }
    });
    let reload = Callback::new(move |()| data.refetch());
    view! {
        <Title text=move || format!("{} – {}", t::TITLE.get(lang.get()), strings(lang.get()).app) />
        <section class="eservice application">
            <p><A href="/eservice" exact=true>{text(t::BACK)}</A></p>
            {crate::pages::library::upload_notice()}
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(v) => application_view(v, reload, lang),
                    Err(e) => inline_error(e),
                })}
            </Transition>
        </section>
    }
}

fn application_view(v: ApplicationView, reload: Callback<()>, lang: RwSignal<Lang>) -> AnyView {
    let app = v.application.clone();
    let id = app.id;
    let editable = !v.registry && app.state.applicant_edits();
    let form = RwSignal::new(app.form.clone());
    let saving = RwSignal::new(Saving::Idle);
    // What the last check found, marked at each field (see `form::Missing`).
    let missing = RwSignal::new(Vec::<FieldError>::new());
    provide_context(super::form::Missing(missing));
    let generation = StoredValue::new(0u64);
    let unsaved = Unsaved::default();
    // Each change restarts the pause; the draft is saved when typing stops. The timer and the
    // save's answer may outlive the page (the user left, or a step redrew it): they touch only
    // what still exists.
    let touch = {
        let unsaved = unsaved.clone();
        Callback::new(move |()| {
            generation.update_value(|g| *g += 1);
            let mine = generation.get_value();
            unsaved.keep(form.get_untracked());
            saving.set(Saving::Pending);
            let unsaved = unsaved.clone();
            set_timeout(
                move || {
                    if generation.try_get_value() != Some(mine) {
                        return;
                    }
                    if let Some(draft) = unsaved.take() {
                        leptos::task::spawn_local(async move {
                            let done = save_draft(id, draft).await;
                            saving.try_set(if done.is_ok() {
                                Saving::Saved
                            } else {
                                Saving::Failed
                            });
                        });
                    }
                },
                SAVE_AFTER,
            );
        })
    };
    // Leaving within the pause sends what was typed: in the app (this view goes), and out of
    // it (a reload, a closed tab, the attachment form's post).
    if editable {
        let on_leave = unsaved.clone();
        on_cleanup(move || on_leave.send_now(id));
        let on_hide = unsaved.clone();
        let hide = window_event_listener(leptos::ev::pagehide, move |_| on_hide.send_now(id));
        on_cleanup(move || hide.remove());
    }
    let heading = {
        let (kind, state) = (app.kind.text(), app.state.text());
        let name = app.form.organisation.name.clone();
        move || {
            let l = lang.get();
            format!("{} {} – {name}", app.id, kind.get(l))
                .trim_end_matches(" – ")
                .to_owned()
                + &format!(" ({})", state.get(l))
        }
    };
    let clock = v.clock;
    let overdue = clock.is_some_and(|c| c.running && c.overdue());
    let status = move || match saving.get() {
        Saving::Idle => String::new(),
        Saving::Pending => t::SAVING.get(lang.get()).to_owned(),
        Saving::Saved => t::SAVED.get(lang.get()).to_owned(),
        Saving::Failed => t::NOT_SAVED.get(lang.get()).to_owned(),
    };
    let body = if editable {
        view! {
            <p class="save-state" role="status" aria-live="polite">{status}</p>
            {editor(app.kind, v.candidates.clone(), form, touch)}
        }
        .into_any()
    } else {
        let submitted = app.form.clone();
        (move || summary(&submitted, lang.get())).into_any()
    };
    let permit = app.permit_number.clone().map(|n| {
        view! { <p class="permit-number">{text(t::PERMIT_NUMBER)}": "{n}</p> }
    });
    // What the registry asked for, at the top while it waits for the applicant's answer
    // (the whole thread is further down).
    let open_request = (!v.registry
        && matches!(
            app.state,
            ApplicationState::SupplementRequested | ApplicationState::InNegotiation
        ))
    .then(|| {
        app.messages
            .iter()
            .rev()
            .find(|m| m.party == Party::Registry)
            .cloned()
    })
    .flatten()
    .map(|m| {
        view! {
            <section class="open-request" aria-labelledby="open-request-h">
                <h2 id="open-request-h">{text(t::OPEN_REQUEST)}</h2>
                <p class="meta">{m.at.finnish_local()}" – "{m.by_name}</p>
                <p class="text">{m.text}</p>
                <p class="hint">{text(t::OPEN_REQUEST_HOW)}</p>
            </section>
        }
    });
    view! {
        <h1>{heading}</h1>
        <p class="clock" class:overdue=overdue>{move || clock.map(|c| clock_text(&c, lang.get()))}</p>
        {open_request}
        {permit}
        {body}
        {attachments(&v)}
        {steps(v.clone(), form, unsaved, missing, reload, lang)}
        {thread(v.clone(), reload, lang)}
        {history(&v, lang)}
    }
    .into_any()
}

/// The steps open to the viewer, with the message a step needs and the registry's decision.
fn steps(
    v: ApplicationView,
    form: RwSignal<ApplicationForm>,
    unsaved: Unsaved,
    missing: RwSignal<Vec<FieldError>>,
    reload: Callback<()>,
    lang: RwSignal<Lang>,
) -> AnyView {
    if v.actions.is_empty() {
        return ().into_any();
    }
    let app = v.application.clone();
    let (id, kind) = (app.id, app.kind);
    let message = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let applied: Vec<_> = app.form.needs.iter().map(|n| n.group).collect();
    let granted = RwSignal::new(applied.clone());
    let until = RwSignal::new(String::new());
    let two_factor = RwSignal::new(app.form.protection.two_factor);
    let applicant = !v.registry;
    // A decision asks once more, naming what it does (see `confirm_box`).
    let confirming = RwSignal::new(None::<ApplicationAction>);
    let org_name = match app.form.organisation.name.trim() {
        "" => app.organisation.to_string(),
        typed => typed.to_owned(),
    };
    let step = Action::new(move |action: &ApplicationAction| {
        let action = *action;
        let (message, draft) = (message.get_untracked(), form.get_untracked());
        // Saved here with the step: nothing is left for the page's leaving to send.
        let _ = unsaved.take();
        let decision = (action == ApplicationAction::Grant).then(|| DecisionForm {
            groups: granted.get_untracked(),
            valid_until: until.get_untracked(),
            two_factor: two_factor.get_untracked(),
        });
        async move {
            // The applicant's latest typing is saved before the step, so nothing is lost.
            if applicant {
                save_draft(id, draft).await?;
            }
            application_step(id, action, message, decision).await
        }
    });
    Effect::new(move |_| {
        if let Some(result) = step.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    reload.run(());
                }
                Err(AppError::Invalid(fields)) => {
                    missing.set(fields);
                    crate::pages::focus_first_invalid();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let needs_message = v.actions.iter().any(|a| a.needs_message());
    let grant = v.actions.contains(&ApplicationAction::Grant) && kind.own_scope();
    let decision = grant.then(|| {
        let boxes = applied
            .iter()
            .map(|g| {
                let g = *g;
                let key = format!("grant-{g:?}").to_lowercase();
                view! {
                    <div class="tick">
                        <input type="checkbox" id=key.clone()
                            prop:checked=move || granted.with(|gs| gs.contains(&g))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                granted.update(|gs| {
                                    gs.retain(|x| *x != g);
                                    if on { gs.push(g) }
                                });
                            } />
                        <label for=key>{text(g.spec().title)}</label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <fieldset class="section decision">
                <legend>{text(t::DECISION)}</legend>
                <p>{text(t::DECISION_GROUPS)}</p>
                {boxes}
                <div class="field">
                    <label for="valid-until">{text(t::DECISION_UNTIL)}</label>
                    <input type="text" id="valid-until" inputmode="numeric" placeholder="31.12.2030"
                        prop:value=move || until.get()
                        on:input=move |ev| until.set(event_target_value(&ev)) />
                </div>
                <div class="tick">
                    <input type="checkbox" id="decision-two-factor"
                        prop:checked=move || two_factor.get()
                        on:change=move |ev| two_factor.set(event_target_checked(&ev)) />
                    <label for="decision-two-factor">{text(t::REQUIRE_TWO_FACTOR)}</label>
                </div>
            </fieldset>
        }
    });
    let buttons = v
        .actions
        .iter()
        .map(|a| {
            let a = *a;
            view! {
                <button type="button" on:click=move |_| {
                    missing.set(Vec::new());
                    // The applicant's form is checked here with the server's rules first.
                    if a.party() == Party::Applicant
                        && let Err(fields) = form.with_untracked(|f| f.check(kind))
                    {
                        missing.set(fields);
                        crate::pages::focus_first_invalid();
                        return;
                    }
                    if a.needs_message() && domain::eservice::parse_message(&message.get_untracked()).ok().flatten().is_none() {
                        missing.set(vec![FieldError::new(
                            domain::Field::Message,
                            domain::ValidationError::Required(domain::Field::Message),
                        )]);
                        return;
                    }
                    if a.decides() {
                        confirming.set(Some(a));
                    } else {
                        step.dispatch(a);
                    }
                }
                class=match a {
                    ApplicationAction::Grant => "primary",
                    ApplicationAction::Reject => "danger",
                    _ => "",
                }>
                    {text(a.text())}
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="steps" aria-labelledby="steps-h">
            <h2 id="steps-h">{text(t::STEPS)}</h2>
            {decision}
            {needs_message.then(|| view! {
                <div class="field">
                    <label for="step-message">{text(t::STEP_MESSAGE)}</label>
                    <textarea id="step-message" rows="3" prop:value=move || message.get()
                        on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                </div>
            })}
            {move || {
                let fields = missing.get();
                (!fields.is_empty()).then(|| view! {
                    <div class="notice" role="alert" id="form-errors">
                        <p>{text(t::FIX_FIRST)}</p>
                        <ul>{fields.iter().map(|f| view! { <li>{f.error.message(lang.get())}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            {move || error.get().map(inline_error)}
            <div class="actions">{buttons}</div>
            {move || confirming.get().map(|a| {
                let org = org_name.clone();
                let question = move || {
                    let l = lang.get();
                    match a {
                        ApplicationAction::Grant if kind.own_scope() => {
                            let groups = granted
                                .get()
                                .iter()
                                .map(|g| g.spec().title.get(l))
                                .collect::<Vec<_>>()
                                .join(", ");
                            fill(t::CONFIRM_GRANT.get(l), &[&id.to_string(), &org, &groups])
                        }
                        ApplicationAction::Grant => {
                            fill(t::CONFIRM_GRANT_ORDER.get(l), &[&id.to_string(), &org])
                        }
                        _ => fill(t::CONFIRM_REJECT.get(l), &[&id.to_string(), &org]),
                    }
                };
                crate::pages::confirm_box(
                    question,
                    a.text(),
                    a == ApplicationAction::Reject,
                    Callback::new(move |()| {
                        confirming.set(None);
                        step.dispatch(a);
                    }),
                    Callback::new(move |()| confirming.set(None)),
                )
            })}
        </section>
    }
    .into_any()
}

/// The message thread, and a message form once the application is submitted.
fn thread(v: ApplicationView, reload: Callback<()>, lang: RwSignal<Lang>) -> AnyView {
    let id = v.application.id;
    let draft = v.application.state == domain::eservice::ApplicationState::Draft;
    let messages = v
        .application
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
    let empty = v.application.messages.is_empty();
    let text_in = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let send = Action::new(move |text: &String| application_message(id, text.clone()));
    Effect::new(move |_| {
        if let Some(result) = send.value().get() {
            match result {
                Ok(()) => {
                    text_in.set(String::new());
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let form = (!draft).then(|| {
        view! {
            <form class="message-form" on:submit=move |ev| {
                ev.prevent_default();
                match domain::eservice::parse_message(&text_in.get()) {
                    Ok(Some(_)) => { send.dispatch(text_in.get()); }
                    Ok(None) => error.set(Some(AppError::Invalid(vec![FieldError::new(
                        domain::Field::Message,
                        domain::ValidationError::Required(domain::Field::Message),
                    )]))),
                    Err(e) => error.set(Some(AppError::Invalid(vec![e]))),
                }
            }>
                <label for="new-message">{text(domain::Field::Message.label())}</label>
                <textarea id="new-message" rows="3" prop:value=move || text_in.get()
                    on:input=move |ev| text_in.set(event_target_value(&ev))></textarea>
                <button type="submit">{text(t::SEND)}</button>
                {move || error.get().map(inline_error)}
            </form>
        }
    });
    view! {
        <section class="thread" aria-labelledby="thread-h">
            <h2 id="thread-h">{text(t::THREAD)}</h2>
            {empty.then(|| view! { <p>{text(t::NO_MESSAGES)}</p> })}
            <ol class="messages">{messages}</ol>
            {form}
        </section>
    }
    .into_any()
}

/// The documents attached to the application, and (for the applicant, until the decision) a
/// form to attach one: a plain form post that comes back to this page.
fn attachments(v: &ApplicationView) -> AnyView {
    let app = &v.application;
    let id = app.id.0;
    let items = app
        .attachments
        .iter()
        .map(|a| {
            let href = format!("/files/application/{id}/{}", a.number);
            let details = crate::pages::library::file_text(&a.file);
            let when = a.file.uploaded.finnish_local();
            view! {
                <li><a href=href download>{a.title.clone()}</a>" ("{details}"), "{when}</li>
            }
        })
        .collect_view();
    let may_attach = !v.registry && !app.state.decided();
    let form = may_attach.then(|| {
        view! {
            <form class="upload" method="post" action=format!("/api/upload/application/{id}")
                enctype="multipart/form-data" aria-labelledby="attach-h">
                <h3 id="attach-h">{text(t::ATTACH)}</h3>
                <div class="field">
                    <label for="attach-title">{text(domain::Field::Title.label())}</label>
                    <input type="text" id="attach-title" name="title" required minlength="3" maxlength="120" />
                </div>
                <div class="field">
                    <label for="attach-file">{text(domain::Field::File.label())}</label>
                    <input type="file" id="attach-file" name="file" required
                        accept="application/pdf,image/png,image/jpeg,text/plain" />
                    <p class="hint">{text(t::ATTACH_ALLOWED)}</p>
                </div>
                <button type="submit">{text(t::ATTACH_BUTTON)}</button>
            </form>
        }
    });
    let empty = app.attachments.is_empty();
    view! {
        <section class="attachments" aria-labelledby="attachments-h">
            <h2 id="attachments-h">{text(t::ATTACHMENTS)}</h2>
            {empty.then(|| view! { <p>{text(t::NO_ATTACHMENTS)}</p> })}
            <ul>{items}</ul>
            {form}
        </section>
    }
    .into_any()
}

fn history(v: &ApplicationView, lang: RwSignal<Lang>) -> AnyView {
    let items = v
        .application
        .events
        .iter()
        .rev()
        .map(|e| {
            let (from, to) = (e.from.text(), e.to.text());
            let line = format!("{} {}", e.at.finnish_local(), e.by_name);
            view! { <li>{line}": "{move || format!("{} → {}", from.get(lang.get()), to.get(lang.get()))}</li> }
        })
        .collect_view();
    view! {
        <details class="history">
            <summary>{text(t::HISTORY)}</summary>
            <ul>{items}</ul>
        </details>
    }
    .into_any()
}
