//! The audit log (`/log`): registry staff's log investigation over the whole trail (after a
//! two-factor sign-in; the page offers the step-up) and a responsible user's log of their
//! own organisation's queries. A search form (every field optional, validated in the browser
//! with the same rules the server applies), the entries newest first a page at a time, and
//! the result as CSV. Every read is itself recorded by the server.

mod texts;
use texts as t;

use crate::error::AppError;
use crate::i18n::{strings, text, tr, use_lang};
use crate::pages::{focus_first_invalid, inline_error};
use domain::alerts::{Alert, AlertPage, Rule};
use domain::trail::{Action, Outcome, TrailForm, TrailPage, TrailRow, describe_criteria};
use domain::{Field, FieldError, Lang, Purpose, ScreenId, SearchKind};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos_meta::Title;

/// One page of a search of the trail (the form's `before`: the page; blank: the newest).
#[server(prefix = "/api", endpoint = "trail", input = Json)]
pub async fn trail(form: TrailForm) -> Result<TrailPage, AppError> {
    let cx = crate::cx::Cx::current()?;
    let query = form
        .validate()
        .map_err(|e| AppError::Invalid(e).with_status())?;
    cx.engine
        .trail(&cx.actor, query)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// One page of the alerts raised on the trail, newest first (`before`: the page; none: the
/// newest), with how each was handled.
#[server(prefix = "/api", endpoint = "alerts", input = Json)]
pub async fn alerts(before: Option<u64>) -> Result<AlertPage, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .alerts(&cx.actor, None, before)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// Marks the alert raised by `entry` under `rule` handled, with `note`.
#[server(prefix = "/api", endpoint = "handle_alert", input = Json)]
pub async fn handle_alert(entry: u64, rule: Rule, note: String) -> Result<(), AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .handle_alert(&cx.actor, entry, rule, &note)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// An alert's row: the rule, the user, when, the way to its entries, and its handling (or the
/// note to handle it with).
fn alert_row(
    a: Alert,
    lang: Lang,
    show: impl Fn(TrailForm) + Copy + Send + Sync + 'static,
    handled: impl Fn() + Copy + Send + Sync + 'static,
) -> AnyView {
    let id = format!("alert-{}-{}", a.entry, a.rule.code());
    let entries = TrailForm {
        user: a.user.clone(),
        from: a.since.date_in_finland().to_finnish(),
        to: a.at.date_in_finland().to_finnish(),
        ..TrailForm::default()
    };
    let state = match a.handled {
        Some(h) => view! {
            <p class="handled">{text(t::HANDLED_BY)}" "{h.at.finnish_local()}", "{h.by_name}": "{h.note}</p>
        }
        .into_any(),
        None => {
            let note = RwSignal::new(String::new());
            let error = RwSignal::new(None::<AppError>);
            let (entry, rule) = (a.entry, a.rule);
            let note_id = format!("{id}-note");
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                leptos::task::spawn_local(async move {
                    match handle_alert(entry, rule, note.get_untracked()).await {
                        Ok(()) => handled(),
                        Err(e) => error.set(Some(e)),
                    }
                });
            };
            view! {
                <form class="alert-handle" on:submit=on_submit novalidate>
                    <label for=note_id.clone()>{text(t::NOTE)}</label>
                    <textarea id=note_id rows="2" maxlength="300"
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    <button type="submit">{text(t::MARK_HANDLED)}</button>
                    {move || error.get().map(inline_error)}
                </form>
            }
            .into_any()
        }
    };
    view! {
        <tr id=id>
            <td data-label=text(t::TIME)>{a.at.finnish_local()}</td>
            <td data-label=text(t::RULE)>{a.rule.text().get(lang)}</td>
            <td data-label=text(t::ORGANISATION)>{a.organisation}</td>
            <td data-label=text(t::USER)>{a.name}" ("{a.user}")"</td>
            <td data-label=text(t::WHAT)>
                <button type="button" on:click=move |_| show(entries.clone())>{text(t::SHOW_ENTRIES)}</button>
            </td>
            <td data-label=text(t::STATE)>{state}</td>
        </tr>
    }
    .into_any()
}

/// The alerts section of the log page; "show the entries" puts the alert's user and days in
/// the log's search.
#[component]
fn Alerts(form: RwSignal<TrailForm>, shown: RwSignal<TrailForm>) -> impl IntoView {
    let lang = use_lang();
    let before = RwSignal::new(None::<u64>);
    let data = LocalResource::new(move || alerts(before.get()));
    let show = move |wanted: TrailForm| {
        form.set(wanted.clone());
        shown.set(wanted);
    };
    let handled = move || data.refetch();
    view! {
        <section class="alerts" aria-labelledby="alerts-title">
            <h2 id="alerts-title">{text(t::ALERTS)}</h2>
            <p class="intro">{text(t::ALERTS_INTRO)}</p>
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(page) if page.alerts.is_empty() && before.get_untracked().is_none() => {
                        view! { <p id="alerts-none">{text(t::ALERTS_NONE)}</p> }.into_any()
                    }
                    Ok(page) => {
                        let next = page.next;
                        let first = before.get_untracked().is_none();
                        let rows = page
                            .alerts
                            .into_iter()
                            .map(|a| alert_row(a, lang.get(), show, handled))
                            .collect_view();
                        view! {
                            <table class="manage-table alerts" id="alerts">
                                <caption>{text(t::ALERTS)}</caption>
                                <thead><tr>
                                    <th scope="col">{text(t::TIME)}</th>
                                    <th scope="col">{text(t::RULE)}</th>
                                    <th scope="col">{text(t::ORGANISATION)}</th>
                                    <th scope="col">{text(t::USER)}</th>
                                    <th scope="col">{text(t::WHAT)}</th>
                                    <th scope="col">{text(t::STATE)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                            <p class="pager">
                                {(!first).then(|| view! {
                                    <button type="button" on:click=move |_| before.set(None)>{text(t::NEWEST)}</button>
                                })}
                                {next.map(|n| view! {
                                    <button type="button" on:click=move |_| before.set(Some(n))>{text(t::OLDER_ALERTS)}</button>
                                })}
                            </p>
                        }
                        .into_any()
                    }
                    // A refusal (a step-up to sign in with two factors) is told once, by
                    // the log below.
                    Err(AppError::Forbidden { .. }) => ().into_any(),
                    Err(e) => inline_error(e),
                })}
            </Transition>
        </section>
    }
}

fn row(r: TrailRow, lang: Lang) -> AnyView {
    let subject = r
        .subject
        .as_ref()
        .map(|s| s.describe(lang))
        .unwrap_or_default();
    let masked = r.subject.as_ref().is_some_and(|s| s.masked);
    let mut others = r
        .shown
        .iter()
        .map(|s| s.describe(lang))
        .collect::<Vec<_>>()
        .join(", ");
    let more = usize::try_from(r.shown_total)
        .unwrap_or(usize::MAX)
        .saturating_sub(r.shown.len());
    if more > 0 {
        others.push_str(&format!(" (+{more})"));
    }
    let purpose = r.purpose.map(|p| p.text().get(lang)).unwrap_or_default();
    let case = r
        .case_ref
        .map(|c| format!(" ({} {c})", t::CASE.get(lang)))
        .unwrap_or_default();
    let criteria = r
        .criteria
        .as_ref()
        .map(|c| describe_criteria(c, lang))
        .unwrap_or_default();
    let withheld = r
        .withheld
        .then(|| view! { <br /><span class="withheld">{text(t::WITHHELD)}</span> });
    view! {
        <tr id=format!("entry-{}", r.seq)>
            <td data-label=text(t::TIME)>{r.at.finnish_local()}</td>
            <td data-label=text(t::ORGANISATION)>{r.organisation}</td>
            <td data-label=text(t::USER)>{r.user_name}" ("{r.user}")"</td>
            <td data-label=text(t::PURPOSE)>{purpose}{case}</td>
            <td data-label=text(t::WHAT)>{r.action.title().get(lang)}</td>
            <td data-label=text(t::OUTCOME)>{r.outcome.title().get(lang)}{withheld}</td>
            <td data-label=text(t::SUBJECT) class:masked=masked>{subject}</td>
            <td data-label=text(t::OTHERS)>{others}</td>
            <td data-label=text(t::CRITERIA)>{criteria}</td>
        </tr>
    }
    .into_any()
}

fn results(page: TrailPage, lang: Lang, shown: RwSignal<TrailForm>) -> AnyView {
    if page.rows.is_empty() && page.next.is_none() {
        return view! { <p id="trail-none">{text(t::NONE)}</p> }.into_any();
    }
    let csv = format!(
        "/files/trail.csv?{}",
        TrailForm {
            before: None,
            ..shown.get_untracked()
        }
        .to_query()
    );
    let first = shown.with_untracked(|f| f.before.is_none());
    let next = page.next;
    let rows = page.rows.into_iter().map(|r| row(r, lang)).collect_view();
    view! {
        {page.partial.then(|| view! { <p class="partial" role="status">{text(t::PARTIAL)}</p> })}
        <table class="manage-table trail" id="trail">
            <caption>{text(t::ROWS)}</caption>
            <thead><tr>
                <th scope="col">{text(t::TIME)}</th>
                <th scope="col">{text(t::ORGANISATION)}</th>
                <th scope="col">{text(t::USER)}</th>
                <th scope="col">{text(t::PURPOSE)}</th>
                <th scope="col">{text(t::WHAT)}</th>
                <th scope="col">{text(t::OUTCOME)}</th>
                <th scope="col">{text(t::SUBJECT)}</th>
                <th scope="col">{text(t::OTHERS)}</th>
                <th scope="col">{text(t::CRITERIA)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="pager">
            {(!first).then(|| view! {
                <button type="button" on:click=move |_| shown.update(|f| f.before = None)>{text(t::NEWEST)}</button>
            })}
            {next.map(|n| view! {
                <button type="button" on:click=move |_| shown.update(|f| f.before = Some(n))>{text(t::OLDER)}</button>
            })}
        </p>
        <p><a href=csv download rel="external">{text(t::CSV)}</a></p>
    }
    .into_any()
}

#[component]
fn TextField(
    field: Field,
    form: RwSignal<TrailForm>,
    errors: RwSignal<Vec<FieldError>>,
    get: fn(&TrailForm) -> &String,
    set: fn(&mut TrailForm, String),
) -> impl IntoView {
    let lang = use_lang();
    let id = field.id();
    let error_of = move || errors.with(|e| e.iter().find(|e| e.field == field).cloned());
    view! {
        <div class="form-field">
            <label for=id>{text(field.label())}</label>
            <input
                id=id
                name=id
                type="text"
                autocomplete="off"
                spellcheck="false"
                aria-describedby=format!("{id}-feedback")
                aria-invalid=move || error_of().is_some().to_string()
                prop:value=move || form.with(|f| get(f).clone())
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
            />
            <p id=format!("{id}-feedback") class="feedback" aria-live="polite">
                {move || error_of().map(|e| view! { <span class="invalid">{e.error.message(lang.get())}</span> })}
            </p>
        </div>
    }
}

#[component]
pub fn TrailView() -> impl IntoView {
    let lang = use_lang();
    let form = RwSignal::new(TrailForm::default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    // The search on screen: the newest entries of everything the reader may read at first.
    let shown = RwSignal::new(TrailForm::default());
    let data = LocalResource::new(move || trail(shown.get()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = form.get_untracked();
        match typed.validate() {
            Ok(_) => {
                errors.set(Vec::new());
                let wanted = TrailForm {
                    before: None,
                    ..typed
                };
                // The same search again reads the trail again: it may have grown.
                if shown.with_untracked(|s| *s == wanted) {
                    data.refetch();
                } else {
                    shown.set(wanted);
                }
            }
            Err(e) => {
                errors.set(e);
                focus_first_invalid();
            }
        }
    };
    let select = |id: &'static str,
                  label: domain::Text,
                  options: AnyView,
                  on: fn(&mut TrailForm, String)| {
        view! {
            <div class="form-field">
                <label for=id>{text(label)}</label>
                <select id=id name=id on:change=move |ev| form.update(|f| on(f, event_target_value(&ev)))>
                    <option value="">{text(t::ANY)}</option>
                    {options}
                </select>
            </div>
        }
    };
    let purposes = Purpose::ALL
        .iter()
        .map(|p| view! { <option value=p.slug()>{text(p.text())}</option> })
        .collect_view()
        .into_any();
    let outcomes = Outcome::ALL
        .iter()
        .map(|o| view! { <option value=o.slug()>{text(o.title())}</option> })
        .collect_view()
        .into_any();
    let searches = SearchKind::ALL
        .iter()
        .map(|k| view! { <option value=k.slug()>{text(k.title())}</option> })
        .collect_view();
    let screens = ScreenId::ALL
        .iter()
        .map(|s| view! { <option value=s.spec().slug>{text(s.spec().title)}</option> })
        .collect_view();
    let actions = view! {
        <option value=Action::LogRead.slug()>{text(Action::LogRead.title())}</option>
        <optgroup label=text(t::SEARCHES)>{searches}</optgroup>
        <optgroup label=text(t::SCREENS)>{screens}</optgroup>
    }
    .into_any();
    let staff = move || data.get().and_then(Result::ok).is_some_and(|p| p.registry);
    view! {
        <Title text=move || format!("{} – {}", t::TITLE.get(lang.get()), strings(lang.get()).app) />
        <section class="trail">
            <h1>{text(t::TITLE)}</h1>
            <p class="intro">{move || if staff() { t::INTRO_STAFF.get(lang.get()) } else { t::INTRO_ORG.get(lang.get()) }}</p>
            <Alerts form shown />
            <h2>{text(t::ROWS)}</h2>
            <form id="trail-form" class="trail-search" on:submit=on_submit novalidate>
                <TextField field=Field::TrailSubject form errors get=|f| &f.subject set=|f, v| f.subject = v />
                <TextField field=Field::User form errors get=|f| &f.user set=|f, v| f.user = v />
                {move || staff().then(|| view! {
                    <TextField field=Field::Organisation form errors get=|f| &f.organisation set=|f, v| f.organisation = v />
                })}
                <TextField field=Field::PeriodFrom form errors get=|f| &f.from set=|f, v| f.from = v />
                <TextField field=Field::PeriodTo form errors get=|f| &f.to set=|f, v| f.to = v />
                {select("purpose", t::PURPOSE, purposes, |f, v| f.purpose = Purpose::ALL.into_iter().find(|p| p.slug() == v))}
                {select(Field::Action.id(), Field::Action.label(), actions, |f, v| f.action = v)}
                {select("outcome", t::OUTCOME, outcomes, |f, v| f.outcome = Outcome::ALL.into_iter().find(|o| o.slug() == v))}
                <button type="submit" id="trail-search">{text(t::SEARCH)}</button>
            </form>
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(page) => results(page, lang.get(), shown),
                    Err(e) => inline_error(e),
                })}
            </Transition>
        </section>
    }
}
