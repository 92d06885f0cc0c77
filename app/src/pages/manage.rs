//! The management page and its server functions: a responsible user sees their
//! organisation's users, registry staff every user, every data permit and the latest reveals
//! of protected data (break glass); rights and permits come with the changes the viewer may
//! make now and their history. The engine decides, applies and audits every change; the page
//! offers only what the engine said the viewer may do, and a typed
//! reason where a change needs one.

mod texts;
use texts as t;

use crate::error::AppError;
use crate::i18n::{Strings, strings, tr, use_lang};
use domain::registry::{
    ChangeRecord, Management, PermitAction, Reason, RecordState, RightAction, permit_state_text,
    right_state_text, role_text,
};
use domain::{Date, Lang, Role};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos_meta::Title;
use leptos_router::components::A;

/// The rights (and, for registry staff, the permits) the user manages.
#[server(prefix = "/api", endpoint = "management", input = Json)]
pub async fn load_management(page: Option<u32>) -> Result<Management, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .management_page(&cx.actor, page.unwrap_or(0))
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// Ends, restores, blocks, approves… one personal right; effective on the user's next request.
#[server(prefix = "/api", endpoint = "change_right", input = Json)]
pub async fn change_right(
    organisation: String,
    user: String,
    action: RightAction,
    reason: String,
) -> Result<RecordState, AppError> {
    let change = domain::registry::Change::Right {
        organisation: org_id(&organisation)?,
        user: user_id(&user)?,
        action,
    };
    apply(change, reason).await
}

/// Suspends, resumes or ends an organisation's data permit (registry staff).
#[server(prefix = "/api", endpoint = "change_permit", input = Json)]
pub async fn change_permit(
    organisation: String,
    action: PermitAction,
    reason: String,
) -> Result<RecordState, AppError> {
    let change = domain::registry::Change::Permit {
        organisation: org_id(&organisation)?,
        action,
    };
    apply(change, reason).await
}

/// Proposes a right in the user's own organisation for a colleague who has signed in once (a
/// responsible user), or the organisation's first responsible user (the applicant of its
/// granted permit). Nothing takes effect before the registry approves.
#[server(prefix = "/api", endpoint = "propose_right", input = Json)]
pub async fn propose_right(user: String, roles: Vec<Role>) -> Result<RecordState, AppError> {
    let cx = crate::cx::Cx::current()?;
    let organisation = cx
        .actor
        .organisation()
        .cloned()
        .ok_or(AppError::Unauthenticated)?;
    apply(
        domain::registry::Change::Propose {
            organisation,
            user: user_id(&user)?,
            roles,
        },
        String::new(),
    )
    .await
}

/// Proposes new roles or screens for a colleague's right in force (a responsible user); the
/// right stays as it is until the registry approves.
#[server(prefix = "/api", endpoint = "propose_change", input = Json)]
pub async fn propose_change(
    user: String,
    roles: Vec<Role>,
    screens: Option<Vec<domain::ScreenId>>,
) -> Result<RecordState, AppError> {
    let cx = crate::cx::Cx::current()?;
    let organisation = cx
        .actor
        .organisation()
        .cloned()
        .ok_or(AppError::Unauthenticated)?;
    apply(
        domain::registry::Change::Amend {
            organisation,
            user: user_id(&user)?,
            roles,
            screens,
        },
        String::new(),
    )
    .await
}

/// Starts an attestation round: colleagues' rights not confirmed by `deadline` end then.
#[server(prefix = "/api", endpoint = "start_attestation", input = Json)]
pub async fn start_attestation(deadline: String) -> Result<u32, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .start_attestation(&cx.actor, &deadline)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// Confirms in the round in progress that a colleague still needs their right.
#[server(prefix = "/api", endpoint = "confirm_attestation", input = Json)]
pub async fn confirm_attestation(user: String) -> Result<(), AppError> {
    let cx = crate::cx::Cx::current()?;
    let user = user_id(&user)?;
    cx.engine
        .confirm_attestation(&cx.actor, user.as_str())
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// The query statistics of the organisation's users over the last 30 days (responsible users;
/// registry staff name the organisation). Reading them is audited.
#[server(prefix = "/api", endpoint = "usage", input = Json)]
pub async fn load_usage(
    organisation: Option<String>,
) -> Result<domain::usage::UsageReport, AppError> {
    let cx = crate::cx::Cx::current()?;
    let organisation = organisation.as_deref().map(org_id).transpose()?;
    cx.engine
        .usage(&cx.actor, organisation)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

fn usage_table(report: domain::usage::UsageReport, lang: RwSignal<Lang>) -> AnyView {
    use domain::usage::UserUsage;
    let rows = report
        .users
        .into_iter()
        .map(|u| {
            let share = |part: u32| format!("{part} ({} %)", UserUsage::percent(part, u.queries));
            let (not_found, off_hours) = (share(u.not_found), share(u.off_hours));
            let alerts = u
                .alerts
                .iter()
                .map(|a| {
                    let (at, text) = (a.at, a.kind.text());
                    view! { <li>{move || format!("{} {}", at.finnish_local(), text.get(lang.get()))}</li> }
                })
                .collect_view();
            let alerts = view! { <ul class="alerts">{alerts}</ul> };
            let alerted = !u.alerts.is_empty();
            let days = u
                .days
                .iter()
                .map(|d| {
                    let (day, purpose, n) = (d.day, d.purpose, d.queries);
                    view! { <li>{move || format!(
                        "{}: {} – {n}",
                        day.to_finnish(),
                        purpose.map_or(t::NO_PURPOSE.get(lang.get()), |p| p.text().get(lang.get())),
                    )}</li> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{u.name.clone()}</th>
                    <td data-label=move || t::QUERIES.get(lang.get())>{u.queries}</td>
                    <td data-label=move || t::NOT_FOUND.get(lang.get())>{not_found}</td>
                    <td data-label=move || t::OFF_HOURS.get(lang.get())>{off_hours}</td>
                    <td data-label=move || t::REFUSED.get(lang.get())>{u.refused}</td>
                    <td class:alert=alerted data-label=move || t::ALERTS.get(lang.get())>{alerts}</td>
                    <td data-label=move || t::PER_DAY.get(lang.get())><details class="history"><summary>{move || t::PER_DAY.get(lang.get())}</summary><ul>{days}</ul></details></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="manage-table" id="usage">
            <caption>{move || t::USAGE.get(lang.get())}</caption>
            <thead><tr>
                <th scope="col">{tr(|s| s.col_name)}</th>
                <th scope="col">{move || t::QUERIES.get(lang.get())}</th>
                <th scope="col">{move || t::NOT_FOUND.get(lang.get())}</th>
                <th scope="col">{move || t::OFF_HOURS.get(lang.get())}</th>
                <th scope="col">{move || t::REFUSED.get(lang.get())}</th>
                <th scope="col">{move || t::ALERTS.get(lang.get())}</th>
                <th scope="col">{move || t::PER_DAY.get(lang.get())}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="intro">{move || t::USAGE_INTRO.get(lang.get())}</p>
    }
    .into_any()
}

/// The organisation's usage statistics, loaded in the browser on request (reading them is
/// audited, so they are not read on every visit to the page). Registry staff choose the
/// organisation (`organisations`: id and name of each with a permit).
#[component]
fn UsageSection(organisations: Vec<(String, String)>) -> impl IntoView {
    let lang = use_lang();
    let shown = RwSignal::new(false);
    let staff = !organisations.is_empty();
    let chosen = RwSignal::new(organisations.first().map(|o| o.0.clone()));
    let report = LocalResource::new(move || async move {
        if shown.get() {
            Some(load_usage(if staff { chosen.get() } else { None }).await)
        } else {
            None
        }
    });
    let picker = staff.then(|| {
        let options = organisations
            .into_iter()
            .map(|(id, name)| view! { <option value=id>{name}</option> })
            .collect_view();
        view! {
            <label for="usage-org">{tr(|s| s.col_organisation)}</label>
            <select id="usage-org" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                {options}
            </select>
        }
    });
    view! {
        <section class="usage" aria-labelledby="usage-h">
            <h2 id="usage-h">{move || t::USAGE.get(lang.get())}</h2>
            {picker}
            {move || (!shown.get()).then(|| view! {
                <button type="button" on:click=move |_| shown.set(true)>
                    {move || format!("{}…", t::USAGE.get(lang.get()))}
                </button>
            })}
            <Transition fallback=|| ()>
                {move || report.get().flatten().map(|r| match r {
                    Ok(report) => usage_table(report, lang),
                    Err(e) => view! { <p class="notice" role="alert">{move || e.message(lang.get())}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// An organisation id from the browser: one that is no id names no record (422, like any
/// malformed argument).
#[cfg(feature = "ssr")]
fn org_id(s: &str) -> Result<domain::principal::OrgId, AppError> {
    domain::principal::OrgId::parse(s).map_err(|_| AppError::Invalid(Vec::new()).with_status())
}

/// A user id from the browser, likewise.
#[cfg(feature = "ssr")]
fn user_id(s: &str) -> Result<domain::principal::UserId, AppError> {
    domain::principal::UserId::parse(s).map_err(|_| AppError::Invalid(Vec::new()).with_status())
}

/// Checks the typed reason with the `domain` rule and has the engine decide, apply and audit
/// the change.
#[cfg(feature = "ssr")]
async fn apply(change: domain::registry::Change, reason: String) -> Result<RecordState, AppError> {
    let cx = crate::cx::Cx::current()?;
    let reason = Reason::parse(&reason).map_err(|e| AppError::Invalid(vec![e]).with_status())?;
    if !change.is_well_formed() {
        return Err(AppError::Invalid(Vec::new()).with_status());
    }
    // A block also ends the blocked user's sessions: the engine's change does it.
    cx.engine
        .change(&cx.actor, change, reason)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

fn valid_text(from: Option<Date>, until: Option<Date>, lang: Lang) -> String {
    let until = match until {
        Some(d) => d.to_finnish(),
        None => strings(lang).until_further_notice.to_owned(),
    };
    match from {
        Some(d) => format!("{} – {until}", d.to_finnish()),
        None => until,
    }
}

/// One cell's text: as it is, or in the page's language. (One cell type for every table keeps
/// the page's share of the WASM bundle small.)
#[derive(Clone)]
enum Text {
    Plain(String),
    Lang(domain::Text),
    /// Several texts in the page's language, joined with commas (roles, purposes).
    Many(Vec<domain::Text>),
    Valid(Option<Date>, Option<Date>),
    Link(String, domain::Text),
    /// Roles now, and the roles a pending change proposes.
    Change(Vec<domain::Text>, Vec<domain::Text>),
}

fn text_view(t: Text, lang: RwSignal<Lang>) -> AnyView {
    match t {
        Text::Plain(s) => s.into_any(),
        Text::Lang(t) => (move || t.get(lang.get())).into_any(),
        Text::Many(ts) => (move || {
            let l = lang.get();
            ts.iter().map(|t| t.get(l)).collect::<Vec<_>>().join(", ")
        })
        .into_any(),
        Text::Valid(from, until) => (move || valid_text(from, until, lang.get())).into_any(),
        Text::Link(href, t) => {
            view! { <A href=href exact=true>{move || t.get(lang.get())}</A> }.into_any()
        }
        Text::Change(now, proposed) => (move || {
            let l = lang.get();
            let join =
                |ts: &[domain::Text]| ts.iter().map(|t| t.get(l)).collect::<Vec<_>>().join(", ");
            format!(
                "{} → {}: {}",
                join(&now),
                t::PROPOSED.get(l),
                join(&proposed)
            )
        })
        .into_any(),
    }
}

/// What a row's buttons change, and the actions open to the viewer on it.
#[derive(Clone)]
enum Target {
    Right {
        organisation: String,
        user: String,
        actions: Vec<RightAction>,
    },
    Permit {
        organisation: String,
        actions: Vec<PermitAction>,
    },
}

impl Target {
    /// Each action's label, whether it needs a reason, and what its confirmation says (a
    /// weighty step asks once more).
    fn actions(&self) -> Vec<(domain::Text, bool, Option<domain::Text>)> {
        match self {
            Target::Right { actions, .. } => actions
                .iter()
                .map(|a| (a.text(), a.needs_reason(), a.consequence()))
                .collect(),
            Target::Permit { actions, .. } => actions
                .iter()
                .map(|a| (a.text(), a.needs_reason(), a.consequence()))
                .collect(),
        }
    }

    async fn run(self, index: usize, reason: String) -> Result<RecordState, AppError> {
        match self {
            Target::Right {
                organisation,
                user,
                actions,
            } => match actions.get(index) {
                Some(a) => change_right(organisation, user, *a, reason).await,
                None => Err(AppError::NotFound),
            },
            Target::Permit {
                organisation,
                actions,
            } => match actions.get(index) {
                Some(a) => change_permit(organisation, *a, reason).await,
                None => Err(AppError::NotFound),
            },
        }
    }
}

fn history_view(records: Vec<ChangeRecord>, total: u32, lang: RwSignal<Lang>) -> AnyView {
    // Only the latest changes travel with the page; say how many there are in all.
    let more = (total as usize > records.len()).then(|| {
        view! { <p class="hint">{move || format!("{} {total}", tr(|s| s.history_latest_of)())}</p> }
    });
    let items = if records.is_empty() {
        view! { <p>{tr(|s| s.no_history)}</p> }.into_any()
    } else {
        let lines = records
            .into_iter()
            .rev()
            .map(|r| {
                let reason = r
                    .reason
                    .map(|x| format!(" – {}", x.as_str()))
                    .unwrap_or_default();
                let what = r.change.text();
                let line = move || {
                    let l = lang.get();
                    format!(
                        "{} {}: {}, {} → {}{reason}",
                        r.at.finnish_local(),
                        r.by_name,
                        what.get(l),
                        r.from.map_or("–", |f| f.text().get(l)),
                        r.to.text().get(l)
                    )
                };
                view! { <li>{line}</li> }
            })
            .collect_view();
        view! { <ul>{lines}</ul> }.into_any()
    };
    view! {
        <details class="history">
            <summary>{tr(|s| s.history)}</summary>
            {items}
            {more}
        </details>
    }
    .into_any()
}

/// One right or permit: its name, its cells, a reason field and a button per open action, and
/// its history.
fn record_row(
    name: String,
    labels: &'static [Head],
    cells: Vec<Text>,
    state_class: String,
    target: Option<Target>,
    history: Option<(Vec<ChangeRecord>, u32)>,
    reload: Callback<(), ()>,
) -> AnyView {
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let actions = target.as_ref().map(Target::actions).unwrap_or_default();
    let change = Action::new(move |(target, index, reason): &(Target, usize, String)| {
        target.clone().run(*index, reason.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = change.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let any_reason = actions.iter().any(|(_, needs, _)| *needs);
    // The weighty step waiting for its confirmation: its index, label, consequence, reason.
    let confirming = RwSignal::new(None::<(usize, domain::Text, domain::Text, String)>);
    let buttons_empty = actions.is_empty();
    let (confirm_name, confirm_target) = (name.clone(), target.clone());
    let label_name = name.clone();
    let field_label = move || {
        format!(
            "{}: {label_name}",
            domain::Field::Reason.label().get(lang.get())
        )
    };
    let reason_field = any_reason.then(|| {
        view! {
            <input
                type="text"
                class="reason"
                maxlength=Reason::MAX.to_string()
                aria-label=field_label
                placeholder=move || domain::Field::Reason.label().get(lang.get())
                title=tr(|s| s.hint_reason)
                prop:value=move || reason.get()
                on:input=move |ev| reason.set(event_target_value(&ev))
            />
        }
    });
    let buttons = actions
        .into_iter()
        .enumerate()
        .map(|(index, (label, needs_reason, consequence))| {
            let target = target.clone();
            view! {
                <button
                    type="button"
                    class=if consequence.is_some() { "danger" } else { "" }
                    on:click=move |_| {
                        let typed = reason.get();
                        // Checked here as on the server, so that a missing reason costs no
                        // round trip.
                        match (Reason::parse(&typed), &target) {
                            (Err(e), _) => error.set(Some(AppError::Invalid(vec![e]))),
                            (Ok(None), _) if needs_reason => error.set(Some(AppError::Forbidden {
                                reason: domain::Denied::ReasonRequired,
                                reference: String::new(),
                            })),
                            (Ok(_), Some(_)) if consequence.is_some() => {
                                if let Some(c) = consequence {
                                    confirming.set(Some((index, label, c, typed)));
                                }
                            }
                            (Ok(_), Some(target)) => {
                                change.dispatch((target.clone(), index, typed));
                            }
                            (Ok(_), None) => {}
                        }
                    }
                >
                    {move || label.get(lang.get())}
                </button>
            }
        })
        .collect_view();
    // Each cell carries its column's name (`labels`: the heads after the row's own): a narrow
    // screen stacks the cells and shows it before the value.
    let label = move |i: usize| {
        let head = labels.get(i).copied();
        move || head.map_or("", |h| h(strings(lang.get())))
    };
    let actions_label = label(cells.len());
    let cells = cells
        .into_iter()
        .enumerate()
        .map(|(i, t)| view! { <td data-label=label(i)>{text_view(t, lang)}</td> })
        .collect_view();
    let nothing =
        (target.is_some() && buttons_empty).then(|| view! { <span>{tr(|s| s.no_actions)}</span> });
    let actions_cell = target.is_some().then(|| {
        view! {
            <td data-label=actions_label>
                <div class="actions">
                    {reason_field}
                    {buttons}
                    {nothing}
                    {move || confirming.get().map(|(index, label, consequence, typed)| {
                        let whom = confirm_name.clone();
                        let target = confirm_target.clone();
                        crate::pages::confirm_box(
                            move || format!("{whom}: {}", consequence.get(lang.get())),
                            label,
                            true,
                            Callback::new(move |()| {
                                confirming.set(None);
                                if let Some(target) = &target {
                                    change.dispatch((target.clone(), index, typed.clone()));
                                }
                            }),
                            Callback::new(move |()| confirming.set(None)),
                        )
                    })}
                    {move || error.get().map(|e| view! {
                        <p class="field-error" role="alert">{e.message(lang.get())}</p>
                        {e.asks_for_step_up().then(|| view! { <crate::pages::StepUp /> })}
                    })}
                </div>
                {history.map(|(h, total)| history_view(h, total, lang))}
            </td>
        }
    });
    view! {
        <tr class=state_class>
            <th scope="row">{name}</th>
            {cells}
            {actions_cell}
        </tr>
    }
    .into_any()
}

/// A column's heading, in the user's language.
type Head = fn(&Strings) -> &'static str;

const RIGHTS_HEADS: &[Head] = &[
    |s| s.col_name,
    |s| s.col_organisation,
    |s| s.col_roles,
    |s| s.col_state,
    |s| s.col_valid,
    |s| s.col_actions,
];
const PERMITS_HEADS: &[Head] = &[
    |s| s.col_organisation,
    |s| s.col_business_id,
    |s| s.col_kind,
    |s| s.col_permit,
    |s| s.col_purposes,
    |s| s.col_state,
    |s| s.col_valid,
    |s| s.col_actions,
];
const REVEALS_HEADS: &[Head] = &[
    |s| s.col_user,
    |s| s.col_when,
    |s| s.col_organisation,
    |s| s.col_screen,
    |s| s.col_reason,
];

/// A table with a caption and column headings (the first heads the rows).
fn table(
    id: &'static str,
    caption: fn(&Strings) -> &'static str,
    heads: &'static [Head],
    rows: Vec<AnyView>,
) -> AnyView {
    let heads = heads
        .iter()
        .map(|h| view! { <th scope="col">{tr(*h)}</th> })
        .collect_view();
    view! {
        <table class="manage-table" id=id>
            <caption>{tr(caption)}</caption>
            <thead><tr>{heads}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn state_class(state: impl std::fmt::Debug) -> String {
    format!("state-{state:?}").to_lowercase()
}

/// A tick box per role a responsible user may propose, bound to `roles`.
fn role_boxes(prefix: &'static str, roles: RwSignal<Vec<Role>>, lang: RwSignal<Lang>) -> AnyView {
    domain::registry::PROPOSABLE_ROLES
        .into_iter()
        .map(|role| {
            let id = format!("{prefix}-{}", role.slug());
            view! {
                <span class="tick">
                    <input type="checkbox" id=id.clone()
                        prop:checked=move || roles.with(|r| r.contains(&role))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            roles.update(|r| {
                                r.retain(|x| *x != role);
                                if on { r.push(role) }
                            });
                        } />
                    <label for=id>{move || role_text(role).get(lang.get())}</label>
                </span>
            }
        })
        .collect_view()
        .into_any()
}

/// The form in which a responsible user proposes a colleague who has signed in once.
fn proposal_form(
    candidates: Vec<domain::registry::KnownUser>,
    reload: Callback<(), ()>,
    lang: RwSignal<Lang>,
) -> AnyView {
    use crate::pages::eservice::texts as t;
    let chosen = RwSignal::new(candidates.first().map(|k| k.subject.to_string()));
    let roles = RwSignal::new(vec![Role::QueryUser]);
    let error = RwSignal::new(None::<AppError>);
    let propose = Action::new(move |(user, roles): &(String, Vec<Role>)| {
        propose_right(user.clone(), roles.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = propose.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let options = candidates
        .into_iter()
        .map(|k| view! { <option value=k.subject.to_string()>{k.name}</option> })
        .collect_view();
    let role_boxes = role_boxes("propose", roles, lang);
    view! {
        <form class="propose" aria-labelledby="propose-h" on:submit=move |ev| {
            ev.prevent_default();
            if let Some(user) = chosen.get() {
                propose.dispatch((user, roles.get()));
            }
        }>
            <h2 id="propose-h">{move || t::PROPOSE.get(lang.get())}</h2>
            <p class="intro">{move || t::PROPOSE_INTRO.get(lang.get())}</p>
            <label for="candidate">{move || t::NOMINEE.get(lang.get())}</label>
            <select id="candidate" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                {options}
            </select>
            <fieldset class="roles">
                <legend>{move || domain::Field::Roles.label().get(lang.get())}</legend>
                {role_boxes}
            </fieldset>
            <button type="submit">{move || t::PROPOSE_BUTTON.get(lang.get())}</button>
            {move || error.get().map(|e| view! {
                <p class="field-error" role="alert">{e.message(lang.get())}</p>
                {e.asks_for_step_up().then(|| view! { <crate::pages::StepUp /> })}
            })}
        </form>
    }
    .into_any()
}

fn management_view(
    m: Management,
    reload: Callback<(), ()>,
    done: RwSignal<Option<domain::Text>>,
    page: RwSignal<u32>,
    lang: RwSignal<Lang>,
) -> AnyView {
    let pages = m
        .rights_total
        .div_ceil(domain::registry::RIGHTS_PAGE)
        .max(1);
    let current = m.page;
    let pager = (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=move || t::PAGES.get(lang.get())>
                <button type="button" disabled={current == 0}
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>
                    {move || t::PREVIOUS.get(lang.get())}
                </button>
                <span>{format!("{} / {pages}", current + 1)}</span>
                <button type="button" disabled={current + 1 >= pages}
                    on:click=move |_| page.update(|p| *p += 1)>
                    {move || t::NEXT.get(lang.get())}
                </button>
            </nav>
        }
    });
    let proposal = if !m.candidates.is_empty() {
        Some(proposal_form(m.candidates.clone(), reload, lang))
    } else if !m.screens_on_offer.is_empty() {
        // A responsible user with nobody to propose: say why, and how a colleague gets there.
        Some(view! {
            <section class="propose" aria-labelledby="propose-h">
                <h2 id="propose-h">{move || crate::pages::eservice::texts::PROPOSE.get(lang.get())}</h2>
                <p id="no-candidates" role="status">{move || t::NO_CANDIDATES.get(lang.get())}</p>
            </section>
        }
        .into_any())
    } else {
        None
    };
    // A responsible user's organisation-wide tools: a change to a colleague's right, and the
    // attestation round.
    let responsible = !m.screens_on_offer.is_empty();
    let colleagues: Vec<(String, String)> = m
        .rights
        .iter()
        .filter(|v| v.right.state == domain::RightState::Active && !v.actions.is_empty())
        .map(|v| (v.right.user.to_string(), v.right.name.clone()))
        .collect();
    // No colleague whose right is in force: no form with an empty list to choose from.
    let amend = (responsible && !colleagues.is_empty())
        .then(|| amend_form(colleagues, m.screens_on_offer.clone(), reload, done, lang));
    let attestation = responsible
        .then(|| view! { <AttestationSection round=m.attestation.clone() reload=reload /> });
    let organisations: Vec<(String, String)> = m
        .permits
        .iter()
        .map(|p| {
            (
                p.organisation.id.as_str().to_owned(),
                p.organisation.name.clone(),
            )
        })
        .collect();
    // Organisations by name where the page knows it (their permits), not by their id.
    let names: std::collections::HashMap<String, String> = organisations
        .iter()
        .cloned()
        .chain(m.own_permit.iter().map(|p| {
            (
                p.organisation.id.as_str().to_owned(),
                p.organisation.name.clone(),
            )
        }))
        .collect();
    let rights: Vec<AnyView> = m
        .rights
        .into_iter()
        .map(|v| {
            let r = v.right;
            let target = Target::Right {
                organisation: r.organisation.as_str().to_owned(),
                user: r.user.to_string(),
                actions: v.actions,
            };
            let roles: Vec<domain::Text> = r.roles.iter().map(|role| role_text(*role)).collect();
            let cells = vec![
                Text::Plain(
                    names
                        .get(r.organisation.as_str())
                        .cloned()
                        .unwrap_or_else(|| r.organisation.to_string()),
                ),
                match &v.pending {
                    Some(p) => {
                        Text::Change(roles, p.roles.iter().map(|role| role_text(*role)).collect())
                    }
                    None => Text::Many(roles),
                },
                if v.ends_soon {
                    Text::Many(vec![right_state_text(r.state), t::ENDS_SOON])
                } else {
                    Text::Lang(right_state_text(r.state))
                },
                Text::Valid(None, r.valid_until),
            ];
            record_row(
                r.name,
                &RIGHTS_HEADS[1..],
                cells,
                state_class(r.state),
                Some(target),
                Some((v.history, v.history_total)),
                reload,
            )
        })
        .collect();
    let permit_row = move |v: domain::registry::PermitView| {
        let o = v.organisation;
        let target = Target::Permit {
            organisation: o.id.as_str().to_owned(),
            actions: v.actions,
        };
        let cells = vec![
            Text::Plain(o.business_id.to_string()),
            Text::Lang(o.kind.text()),
            Text::Plain(v.number),
            Text::Many(v.purposes.iter().map(|x| x.text()).collect()),
            if v.two_factor_required {
                Text::Many(vec![permit_state_text(v.state), t::TWO_FACTOR])
            } else {
                Text::Lang(permit_state_text(v.state))
            },
            Text::Valid(Some(v.valid_from), v.valid_until),
        ];
        record_row(
            o.name,
            &PERMITS_HEADS[1..],
            cells,
            state_class(v.state),
            Some(target),
            Some((v.history, v.history_total)),
            reload,
        )
    };
    let permits: Vec<AnyView> = m.permits.into_iter().map(permit_row).collect();
    let own_permit = m.own_permit.map(|v| {
        table(
            "own-permit",
            |s| s.manage_own_permit,
            PERMITS_HEADS,
            vec![permit_row(v)],
        )
    });
    let reveals: Vec<AnyView> = m
        .reveals
        .into_iter()
        .map(|r| {
            let cells = vec![
                Text::Plain(r.at.finnish_local()),
                Text::Plain(r.organisation.to_string()),
                Text::Link(r.subject.screen_path(r.screen), r.screen.spec().title),
                Text::Plain(r.reason.as_str().to_owned()),
            ];
            record_row(
                r.by_name,
                &REVEALS_HEADS[1..],
                cells,
                String::new(),
                None,
                None,
                reload,
            )
        })
        .collect();
    view! {
        {proposal}
        {amend}
        {attestation}
        {own_permit}
        <UsageSection organisations=organisations />
        {table("rights", |s| s.manage_users, RIGHTS_HEADS, rights)}
        {pager}
        {(!reveals.is_empty()).then(|| table("reveals", |s| s.reveals_title, REVEALS_HEADS, reveals))}
        {(!permits.is_empty()).then(|| table("permits", |s| s.manage_permits, PERMITS_HEADS, permits))}
    }
    .into_any()
}

/// The form in which a responsible user proposes new roles or screens for a colleague.
fn amend_form(
    colleagues: Vec<(String, String)>,
    offered: Vec<domain::ScreenId>,
    reload: Callback<(), ()>,
    done: RwSignal<Option<domain::Text>>,
    lang: RwSignal<Lang>,
) -> AnyView {
    let chosen = RwSignal::new(colleagues.first().map(|c| c.0.clone()));
    let roles = RwSignal::new(vec![Role::QueryUser]);
    let all_screens = RwSignal::new(true);
    let screens = RwSignal::new(Vec::<domain::ScreenId>::new());
    let error = RwSignal::new(None::<AppError>);
    let send = Action::new(
        move |(user, roles, screens): &(String, Vec<Role>, Option<Vec<domain::ScreenId>>)| {
            propose_change(user.clone(), roles.clone(), screens.clone())
        },
    );
    Effect::new(move |_| {
        if let Some(result) = send.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    // Said above the page: the reload draws this form anew.
                    done.set(Some(t::PROPOSAL_SENT));
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let options = colleagues
        .into_iter()
        .map(|(user, name)| view! { <option value=user>{name}</option> })
        .collect_view();
    let role_boxes = role_boxes("amend", roles, lang);
    let screen_options = offered
        .into_iter()
        .map(|s| {
            let title = s.spec().title;
            view! { <option value=s.spec().slug>{move || title.get(lang.get())}</option> }
        })
        .collect_view();
    view! {
        <form class="propose" aria-labelledby="amend-h" on:submit=move |ev| {
            ev.prevent_default();
            done.set(None);
            if let Some(user) = chosen.get() {
                let screens = (!all_screens.get()).then(|| screens.get());
                send.dispatch((user, roles.get(), screens));
            }
        }>
            <h2 id="amend-h">{move || t::AMEND.get(lang.get())}</h2>
            <p class="intro">{move || t::AMEND_INTRO.get(lang.get())}</p>
            <label for="amend-user">{move || t::COLLEAGUE.get(lang.get())}</label>
            <select id="amend-user" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                {options}
            </select>
            <fieldset class="roles">
                <legend>{move || domain::Field::Roles.label().get(lang.get())}</legend>
                {role_boxes}
            </fieldset>
            <fieldset class="screens">
                <legend>{move || t::SCREENS.get(lang.get())}</legend>
                <span class="tick">
                    <input type="radio" id="amend-all" name="amend-screens"
                        prop:checked=move || all_screens.get()
                        on:change=move |_| all_screens.set(true) />
                    <label for="amend-all">{move || t::ALL_SCREENS.get(lang.get())}</label>
                </span>
                <span class="tick">
                    <input type="radio" id="amend-some" name="amend-screens"
                        prop:checked=move || !all_screens.get()
                        on:change=move |_| all_screens.set(false) />
                    <label for="amend-some">{move || t::CHOSEN_SCREENS.get(lang.get())}</label>
                </span>
                <select id="amend-screen-list" multiple size="6" aria-label=move || t::SCREENS.get(lang.get())
                    disabled=move || all_screens.get()
                    on:change=move |ev| {
                        #[cfg(feature = "hydrate")]
                        {
                            use wasm_bindgen::JsCast;
                            if let Some(select) = ev
                                .target()
                                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                            {
                                let options = select.selected_options();
                                let picked = (0..options.length())
                                    .filter_map(|i| options.item(i))
                                    .filter_map(|o| o.get_attribute("value"))
                                    .filter_map(|slug| domain::ScreenId::from_slug(&slug))
                                    .collect();
                                screens.set(picked);
                            }
                        }
                        #[cfg(not(feature = "hydrate"))]
                        let _ = ev;
                    }>
                    {screen_options}
                </select>
            </fieldset>
            <button type="submit">{move || t::SEND_PROPOSAL.get(lang.get())}</button>
            {move || error.get().map(|e| view! {
                <p class="field-error" role="alert">{e.message(lang.get())}</p>
                {e.asks_for_step_up().then(|| view! { <crate::pages::StepUp /> })}
            })}
        </form>
    }
    .into_any()
}

/// The attestation round: start one with its last day, or confirm colleagues in the one
/// running.
#[component]
fn AttestationSection(
    round: Option<domain::registry::Attestation>,
    reload: Callback<(), ()>,
) -> impl IntoView {
    let lang = use_lang();
    let deadline = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let start = Action::new(move |d: &String| start_attestation(d.clone()));
    let confirm = Action::new(move |u: &String| confirm_attestation(u.clone()));
    Effect::new(move |_| {
        if let Some(result) = start.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = confirm.value().get() {
            match result {
                Ok(()) => reload.run(()),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let today = crate::pages::browser_now().date_in_finland();
    let running = round.as_ref().filter(|r| r.open(today));
    let body = match running {
        Some(r) => {
            let last = r.deadline.to_finnish();
            let rows = r
                .entries
                .iter()
                .map(|e| {
                    let user = e.user.to_string();
                    let name = e.name.clone();
                    let state = match e.confirmed {
                        Some(at) => view! { <span>{move || t::CONFIRMED.get(lang.get())}" "{at.finnish_local()}</span> }.into_any(),
                        None => view! {
                            <button type="button" aria-label=move || format!("{}: {name}", t::CONFIRM.get(lang.get()))
                                on:click=move |_| { confirm.dispatch(user.clone()); }>
                                {move || t::CONFIRM.get(lang.get())}
                            </button>
                        }
                        .into_any(),
                    };
                    view! { <tr><th scope="row">{e.name.clone()}</th><td>{state}</td></tr> }
                })
                .collect_view();
            view! {
                <p id="attestation-deadline">{move || t::ATTEST_RUNNING.get(lang.get())}" "{last}</p>
                <table class="manage-table" id="attestation"><tbody>{rows}</tbody></table>
            }
            .into_any()
        }
        None => view! {
            {round.as_ref().map(|r| {
                let confirmed = r.entries.iter().filter(|e| e.confirmed.is_some()).count();
                let total = r.entries.len();
                let last = r.deadline.to_finnish();
                view! {
                    <p id="attestation-last">
                        {move || format!("{} {last}: {} {confirmed} / {total}", t::ATTEST_LAST.get(lang.get()), t::CONFIRMED.get(lang.get()).to_lowercase())}
                    </p>
                }
            })}
            <form on:submit=move |ev| {
                ev.prevent_default();
                start.dispatch(deadline.get());
            }>
                <label for="attestation-date">{move || t::ATTEST_DEADLINE.get(lang.get())}</label>
                <input type="text" id="attestation-date" inputmode="numeric"
                    prop:value=move || deadline.get()
                    on:input=move |ev| deadline.set(event_target_value(&ev)) />
                <button type="submit">{move || t::ATTEST_START.get(lang.get())}</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <section class="attestation" aria-labelledby="attest-h">
            <h2 id="attest-h">{move || t::ATTEST.get(lang.get())}</h2>
            <p class="intro">{move || t::ATTEST_INTRO.get(lang.get())}</p>
            {body}
            {move || error.get().map(|e| view! {
                <p class="field-error" role="alert">{e.message(lang.get())}</p>
                {e.asks_for_step_up().then(|| view! { <crate::pages::StepUp /> })}
            })}
        </section>
    }
}

/// The management page as a lazily loaded route: its code is a separate WASM chunk, fetched
/// only by those who open it (responsible users and registry staff), not by every clerk.
#[component]
pub fn ManagePage() -> impl IntoView {
    let lang = use_lang();
    // Loaded only in the browser, through the origin-checked `/api`: the page rendered on the
    // server carries none of it, so a link from another site reads nothing in the user's name.
    let page = RwSignal::new(0u32);
    let data = LocalResource::new(move || load_management(Some(page.get())));
    let reload = Callback::new(move |()| data.refetch());
    // What the last change sent said; kept here, outside the parts a reload draws anew.
    let done = RwSignal::new(None::<domain::Text>);
    view! {
        <Title text=move || format!("{} – {}", strings(lang.get()).manage_title, strings(lang.get()).app) />
        <section class="manage">
            <h1>{tr(|s| s.manage_title)}</h1>
            <p class="intro">{tr(|s| s.manage_intro)}</p>
            {move || done.get().map(|t| view! { <p class="done" role="status">{move || t.get(lang.get())}</p> })}
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || {
                    data.get()
                        .map(|result| match result {
                            Ok(m) => management_view(m, reload, done, page, lang),
                            Err(e) => view! {
                                <p class="notice" role="alert" id="manage-refused">
                                    {move || e.message(lang.get())}
                                </p>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}
