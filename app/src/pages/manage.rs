//! The management page and its server functions: a responsible user sees their
//! organisation's users, registry staff every user, every data permit and the latest reveals
//! of protected data (break glass); rights and permits come with the changes the viewer may
//! make now and their history. The engine decides, applies and audits every change; the page
//! offers only what the engine said the viewer may do, and a typed
//! reason where a change needs one.

use crate::error::AppError;
use crate::i18n::{strings, tr, use_lang};
use domain::registry::{
    ChangeRecord, Management, PermitAction, PermitView, Reason, RecordState, RightAction,
    RightView, permit_state_text, right_state_text, role_text,
};
use domain::{Date, Lang};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos_meta::Title;
use leptos_router::components::A;

/// The rights (and, for registry staff, the permits) the user manages.
#[server(prefix = "/api", endpoint = "management", input = Json)]
pub async fn load_management() -> Result<Management, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .management(&cx.actor)
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
    let cx = crate::cx::Cx::current()?;
    let reason = Reason::parse(&reason).map_err(|e| AppError::Invalid(vec![e]).with_status())?;
    let change = domain::registry::Change::Right {
        organisation: domain::principal::OrgId(organisation),
        user,
        action,
    };
    cx.engine
        .change(&cx.actor, change, reason)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// Suspends, resumes or ends an organisation's data permit (registry staff).
#[server(prefix = "/api", endpoint = "change_permit", input = Json)]
pub async fn change_permit(
    organisation: String,
    action: PermitAction,
    reason: String,
) -> Result<RecordState, AppError> {
    let cx = crate::cx::Cx::current()?;
    let reason = Reason::parse(&reason).map_err(|e| AppError::Invalid(vec![e]).with_status())?;
    let change = domain::registry::Change::Permit {
        organisation: domain::principal::OrgId(organisation),
        action,
    };
    cx.engine
        .change(&cx.actor, change, reason)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

fn valid_text(until: Option<Date>, lang: Lang) -> String {
    match until {
        Some(d) => format!("– {}", d.to_finnish()),
        None => strings(lang).until_further_notice.to_owned(),
    }
}

#[component]
fn History(records: Vec<ChangeRecord>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <details class="history">
            <summary>{tr(|s| s.history)}</summary>
            {if records.is_empty() {
                view! { <p>{tr(|s| s.no_history)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {records
                            .into_iter()
                            .rev()
                            .map(|r| {
                                let reason = r.reason.map(|x| format!(" – {}", x.as_str()));
                                view! {
                                    <li>
                                        <time>{r.at.finnish_local()}</time>
                                        " " {r.by_name} ": "
                                        {move || r.from.text().get(lang.get())} " → "
                                        {move || r.to.text().get(lang.get())}
                                        {reason}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </details>
    }
}

/// A reason field and one button per action, shared by rights and permits.
#[component]
fn Actions<A: Copy + Send + Sync + 'static>(
    /// What the reason field is labelled for (the user's or the organisation's name).
    name: String,
    actions: Vec<A>,
    label: fn(A) -> domain::Text,
    needs_reason: fn(A) -> bool,
    run: Callback<(A, String), ()>,
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    if actions.is_empty() {
        return view! { <span>{tr(|s| s.no_actions)}</span> }.into_any();
    }
    let reason = RwSignal::new(String::new());
    let any_reason = actions.iter().any(|a| needs_reason(*a));
    let field_label = {
        let name = name.clone();
        move || format!("{}: {name}", domain::Field::Reason.label().get(lang.get()))
    };
    view! {
        <div class="actions">
            {any_reason.then(|| view! {
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
            })}
            {actions
                .into_iter()
                .map(|action| {
                    view! {
                        <button
                            type="button"
                            on:click=move |_| {
                                let typed = reason.get();
                                // Checked here as on the server, so that a missing reason costs
                                // no round trip.
                                match Reason::parse(&typed) {
                                    Err(e) => error.set(Some(AppError::Invalid(vec![e]))),
                                    Ok(None) if needs_reason(action) => error.set(Some(AppError::Forbidden {
                                        reason: domain::Denied::ReasonRequired,
                                        reference: String::new(),
                                    })),
                                    Ok(_) => run.run((action, typed)),
                                }
                            }
                        >
                            {move || label(action).get(lang.get())}
                        </button>
                    }
                })
                .collect_view()}
            {move || error.get().map(|e| view! {
                <p class="field-error" role="alert">{e.message(lang.get())}</p>
            })}
        </div>
    }
    .into_any()
}

#[component]
fn RightRow(view: RightView, reload: Callback<(), ()>) -> impl IntoView {
    let lang = use_lang();
    let right = view.right;
    let error = RwSignal::new(None::<AppError>);
    let (org, user) = (right.organisation.0.clone(), right.user.clone());
    let change = Action::new(move |(action, reason): &(RightAction, String)| {
        let (org, user, action, reason) = (org.clone(), user.clone(), *action, reason.clone());
        async move { change_right(org, user, action, reason).await }
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
    let roles = right.roles.clone();
    let state = right.state;
    let until = right.valid_until;
    view! {
        <tr>
            <th scope="row">{right.name.clone()}</th>
            <td>{right.organisation.0.clone()}</td>
            <td>
                {move || {
                    roles.iter().map(|r| role_text(*r).get(lang.get())).collect::<Vec<_>>().join(", ")
                }}
            </td>
            <td class=format!("state state-{state:?}").to_lowercase()>
                {move || right_state_text(state).get(lang.get())}
            </td>
            <td>{move || valid_text(until, lang.get())}</td>
            <td>
                <Actions
                    name=right.name.clone()
                    actions=view.actions
                    label=RightAction::text
                    needs_reason=RightAction::needs_reason
                    run=Callback::new(move |(a, r)| {
                        change.dispatch((a, r));
                    })
                    error
                />
                <History records=view.history />
            </td>
        </tr>
    }
}

#[component]
fn PermitRow(view: PermitView, reload: Callback<(), ()>) -> impl IntoView {
    let lang = use_lang();
    let error = RwSignal::new(None::<AppError>);
    let org = view.organisation.id.0.clone();
    let change = Action::new(move |(action, reason): &(PermitAction, String)| {
        let (org, action, reason) = (org.clone(), *action, reason.clone());
        async move { change_permit(org, action, reason).await }
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
    let permit = view.permit;
    let organisation = view.organisation;
    let kind = organisation.kind;
    let purposes = permit.purpose_list();
    let state = permit.state;
    let (from, until) = (permit.valid_from, permit.valid_until);
    view! {
        <tr>
            <th scope="row">
                {organisation.name.clone()}
                <span class="sub">
                    {organisation.business_id.to_string()} ", "
                    {move || kind.text().get(lang.get())}
                </span>
            </th>
            <td>{permit.number.clone()}</td>
            <td>
                {move || {
                    purposes.iter().map(|p| p.text().get(lang.get())).collect::<Vec<_>>().join(", ")
                }}
            </td>
            <td class=format!("state state-{state:?}").to_lowercase()>
                {move || permit_state_text(state).get(lang.get())}
            </td>
            <td>{move || format!("{} {}", from.to_finnish(), valid_text(until, lang.get()))}</td>
            <td>
                <Actions
                    name=organisation.name.clone()
                    actions=view.actions
                    label=PermitAction::text
                    needs_reason=PermitAction::needs_reason
                    run=Callback::new(move |(a, r)| {
                        change.dispatch((a, r));
                    })
                    error
                />
                <History records=view.history />
            </td>
        </tr>
    }
}

#[component]
pub fn ManagePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_management());
    let reload = Callback::new(move |()| data.refetch());
    view! {
        <Title text=move || format!("{} – {}", strings(lang.get()).manage_title, strings(lang.get()).app) />
        <section class="manage">
            <h1>{tr(|s| s.manage_title)}</h1>
            <p class="intro">{tr(|s| s.manage_intro)}</p>
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || {
                    data.get()
                        .map(|result| match result {
                            Ok(m) => {
                                let permits = (!m.permits.is_empty()).then(|| {
                                    view! {
                                        <table class="manage-table" id="permits">
                                            <caption>{tr(|s| s.manage_permits)}</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">{tr(|s| s.col_organisation)}</th>
                                                    <th scope="col">{tr(|s| s.col_permit)}</th>
                                                    <th scope="col">{tr(|s| s.col_purposes)}</th>
                                                    <th scope="col">{tr(|s| s.col_state)}</th>
                                                    <th scope="col">{tr(|s| s.col_valid)}</th>
                                                    <th scope="col">{tr(|s| s.col_actions)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {m.permits
                                                    .into_iter()
                                                    .map(|p| view! { <PermitRow view=p reload /> })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    }
                                });
                                let reveals = (!m.reveals.is_empty()).then(|| {
                                    let rows = m
                                        .reveals
                                        .into_iter()
                                        .map(|r| {
                                            let title = r.screen.spec().title;
                                            let href = r.subject.screen_path(r.screen);
                                            view! {
                                                <tr>
                                                    <td><time>{r.at.finnish_local()}</time></td>
                                                    <th scope="row">{r.by_name}</th>
                                                    <td>{r.organisation.0}</td>
                                                    <td>
                                                        <A href=href>{move || title.get(lang.get())}</A>
                                                    </td>
                                                    <td>{r.reason.as_str().to_owned()}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view();
                                    view! {
                                        <table class="manage-table" id="reveals">
                                            <caption>{tr(|s| s.reveals_title)}</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">{tr(|s| s.col_when)}</th>
                                                    <th scope="col">{tr(|s| s.col_user)}</th>
                                                    <th scope="col">{tr(|s| s.col_organisation)}</th>
                                                    <th scope="col">{tr(|s| s.col_screen)}</th>
                                                    <th scope="col">{tr(|s| s.col_reason)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>{rows}</tbody>
                                        </table>
                                    }
                                });
                                view! {
                                    <table class="manage-table" id="rights">
                                        <caption>{tr(|s| s.manage_users)}</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">{tr(|s| s.col_name)}</th>
                                                <th scope="col">{tr(|s| s.col_organisation)}</th>
                                                <th scope="col">{tr(|s| s.col_roles)}</th>
                                                <th scope="col">{tr(|s| s.col_state)}</th>
                                                <th scope="col">{tr(|s| s.col_valid)}</th>
                                                <th scope="col">{tr(|s| s.col_actions)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {m.rights
                                                .into_iter()
                                                .map(|r| view! { <RightRow view=r reload /> })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                    {reveals}
                                    {permits}
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <p class="notice" role="alert" id="manage-refused">
                                        {move || e.message(lang.get())}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}
