//! The e-service: its server functions and its front page. An applicant sees their own
//! applications, starts a data-permit application or a municipal order, and after the grant
//! nominates their organisation's responsible user; registry staff see the work queue (overdue
//! first, filtered by state and organisation kind, a page at a time). Everything is loaded in
//! the browser through the origin-checked `/api`, so a page rendered for a link from another
//! site carries nothing; the engine decides who sees and does what.

mod application;
mod form;
pub mod texts;

pub use application::ApplicationPage;

use crate::error::AppError;
use crate::i18n::{strings, text, tr, use_lang};
use crate::pages::inline_error;
use domain::eservice::{
    ApplicationAction, ApplicationForm, ApplicationId, ApplicationKind, ApplicationState,
    ApplicationView, DecisionForm, MyApplications, QueueFilter, QueuePage,
};
use domain::registry::{OrgKind, right_state_text};
use domain::{Lang, Role};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use texts as t;

/// The viewer's applications, what they may start, whom they may nominate.
#[server(prefix = "/api", endpoint = "applications", input = Json)]
pub async fn load_my_applications() -> Result<MyApplications, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .my_applications(&cx.actor)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// Starts an application of `kind` for the user's organisation (a draft only they see).
#[server(prefix = "/api", endpoint = "start_application", input = Json)]
pub async fn start_application(kind: ApplicationKind) -> Result<ApplicationId, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .start_application(&cx.actor, kind)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// One application, as its viewer may see it.
#[server(prefix = "/api", endpoint = "application", input = Json)]
pub async fn load_application(id: ApplicationId) -> Result<ApplicationView, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .application(&cx.actor, id)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// Saves the applicant's draft as typed.
#[server(prefix = "/api", endpoint = "save_draft", input = Json)]
pub async fn save_draft(id: ApplicationId, form: ApplicationForm) -> Result<(), AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .save_draft(&cx.actor, id, form)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// One step on an application, with its message and (for a grant) the registry's decision.
#[server(prefix = "/api", endpoint = "application_step", input = Json)]
pub async fn application_step(
    id: ApplicationId,
    action: ApplicationAction,
    message: String,
    decision: Option<DecisionForm>,
) -> Result<ApplicationState, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .application_step(&cx.actor, id, action, &message, decision)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// A message on an application's thread.
#[server(prefix = "/api", endpoint = "application_message", input = Json)]
pub async fn application_message(id: ApplicationId, text: String) -> Result<(), AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .application_message(&cx.actor, id, &text)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// One page of the registry's work queue (registry staff).
#[server(prefix = "/api", endpoint = "work_queue", input = Json)]
pub async fn work_queue(filter: QueueFilter) -> Result<QueuePage, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .work_queue(&cx.actor, filter)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

pub(crate) fn days(seconds: i64) -> i64 {
    seconds / 86_400
}

/// The service clock in words: the registry's days of its target, the applicant's apart.
pub(crate) fn clock_text(c: &domain::eservice::ServiceClock, lang: Lang) -> String {
    let s = t::CLOCK.get(lang);
    let waited = t::WAITED.get(lang);
    let mut out = format!(
        "{s}: {} / {} {}",
        c.registry_days(),
        c.target_days,
        t::DAYS.get(lang)
    );
    if c.applicant_seconds > 0 {
        out.push_str(&format!(
            "; {waited} {} {}",
            days(c.applicant_seconds),
            t::DAYS.get(lang)
        ));
    }
    if c.running && c.overdue() {
        out.push_str(&format!(" – {}", t::OVERDUE.get(lang)));
    }
    out
}

/// Where a person who may not query stands, and their one next step (with its link where
/// there is something to open): shown on the landing page under why nothing opens. The
/// e-service standing is loaded in the browser; should it fail, the step is decided from
/// what the session already said.
#[component]
pub fn NextStepView(refusal: Option<domain::Denied>, has_contacts: bool) -> impl IntoView {
    let lang = use_lang();
    let mine = LocalResource::new(load_my_applications);
    view! {
        <Transition fallback=|| ()>
            {move || mine.get().and_then(|r| {
                let mine = r.unwrap_or_default();
                domain::eservice::progress::next_step(refusal, has_contacts, &mine)
                    .map(|step| next_step_view(&step, lang))
            })}
        </Transition>
    }
}

fn next_step_view(step: &domain::eservice::progress::NextStep, lang: RwSignal<Lang>) -> AnyView {
    use domain::eservice::progress::NextStep;
    let detail = match step {
        NextStep::ColleagueApplied(c) => {
            let c = c.clone();
            Some(
                view! {
                    <p class="next-detail">
                        {move || format!(
                            "{} {} – {}: {} ({})",
                            c.id,
                            c.kind.text().get(lang.get()),
                            t::APPLICANT.get(lang.get()),
                            c.applicant_name,
                            c.state.text().get(lang.get()),
                        )}
                    </p>
                }
                .into_any(),
            )
        }
        NextStep::AnswerRegistry(id, state) | NextStep::WithRegistry(id, state) => {
            let (id, state) = (*id, *state);
            Some(view! {
                <p class="next-detail">{move || format!("{id}: {}", state.text().get(lang.get()))}</p>
            }.into_any())
        }
        _ => None,
    };
    let link = step.link().map(|(href, words)| {
        view! { <p><a class="button" href=href>{text(words)}</a></p> }
    });
    let words = step.text();
    view! {
        <section class="next-step" aria-labelledby="next-step-h">
            <h2 id="next-step-h">{text(t::NEXT_STEP)}</h2>
            <p id="next-step">{text(words)}</p>
            {detail}
            {link}
        </section>
    }
    .into_any()
}

#[component]
pub fn EservicePage() -> impl IntoView {
    let lang = use_lang();
    // Browser-only, through the origin-checked `/api` (see the module's note).
    let mine = LocalResource::new(load_my_applications);
    let reload = Callback::new(move |()| mine.refetch());
    view! {
        <Title text=move || format!("{} – {}", t::TITLE.get(lang.get()), strings(lang.get()).app) />
        <section class="eservice">
            <h1>{text(t::TITLE)}</h1>
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || {
                    mine.get().map(|result| match result {
                        Ok(m) if m.registry => view! { <QueueView /> }.into_any(),
                        Ok(m) => applicant_home(m, reload),
                        Err(e) => inline_error(e),
                    })
                }}
            </Transition>
        </section>
    }
}

fn applicant_home(m: MyApplications, reload: Callback<()>) -> AnyView {
    let navigate = use_navigate();
    let error = RwSignal::new(None::<AppError>);
    let start = Action::new(move |kind: &ApplicationKind| start_application(*kind));
    Effect::new(move |_| {
        if let Some(result) = start.value().get() {
            match result {
                Ok(id) => navigate(&format!("/eservice/{}", id.0), Default::default()),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let no_applications = m.applications.is_empty();
    let rows = m
        .applications
        .clone()
        .into_iter()
        .map(|v| {
            let a = v.application;
            let (kind, state) = (a.kind.text(), a.state.text());
            view! {
                <tr class=format!("state-{}", a.state.slug())>
                    <th scope="row"><A href=format!("/eservice/{}", a.id.0)>{a.id.to_string()}</A></th>
                    <td data-label=text(t::KIND)>{text(kind)}</td>
                    <td data-label=tr(|s| s.col_organisation)>{a.form.organisation.name.clone()}</td>
                    <td data-label=tr(|s| s.col_state)>{text(state)}</td>
                    <td data-label=text(t::STARTED)>{a.created.finnish_local()}</td>
                </tr>
            }
        })
        .collect_view();
    let starts = m
        .may_start
        .iter()
        .map(|kind| {
            let kind = *kind;
            let label = match kind {
                ApplicationKind::DataPermit => t::START_PERMIT,
                ApplicationKind::MunicipalOrder => t::START_ORDER,
                ApplicationKind::PermitChange => t::START_CHANGE,
            };
            view! {
                <button type="button" on:click=move |_| { start.dispatch(kind); }>
                    {text(label)}
                </button>
            }
        })
        .collect_view();
    let nominate = (!m.nominate.is_empty() || !m.responsible.is_empty())
        .then(|| nomination(m.clone(), reload));
    view! {
        <p class="intro">{text(t::INTRO)}</p>
        {(!m.may_start.is_empty()).then(|| view! {
            <div class="actions start">{starts}</div>
        })}
        {move || error.get().map(inline_error)}
        {nominate}
        <table class="manage-table" id="my-applications">
            <caption>{text(t::MY_APPLICATIONS)}</caption>
            <thead><tr>
                <th scope="col">{text(t::NUMBER)}</th>
                <th scope="col">{text(t::KIND)}</th>
                <th scope="col">{tr(|s| s.col_organisation)}</th>
                <th scope="col">{tr(|s| s.col_state)}</th>
                <th scope="col">{text(t::STARTED)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {no_applications.then(|| view! { <p>{text(t::NONE_YET)}</p> })}
    }
    .into_any()
}

/// After the grant: the organisation's responsible users and, while it has none in force,
/// the nomination of one (the registry approves).
fn nomination(m: MyApplications, reload: Callback<()>) -> AnyView {
    let chosen = RwSignal::new(m.nominate.first().map(|k| k.subject.to_string()));
    let error = RwSignal::new(None::<AppError>);
    let propose = Action::new(move |user: &String| {
        crate::pages::manage::propose_right(
            user.clone(),
            vec![Role::ResponsibleUser, Role::QueryUser],
        )
    });
    Effect::new(move |_| {
        if let Some(result) = propose.value().get() {
            match result {
                Ok(_) => reload.run(()),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let held = m
        .responsible
        .iter()
        .map(|r| {
            let state = right_state_text(r.state);
            view! { <li>{r.name.clone()}": "{text(state)}</li> }
        })
        .collect_view();
    let options = m
        .nominate
        .iter()
        .map(|k| view! { <option value=k.subject.to_string()>{k.name.clone()}</option> })
        .collect_view();
    let form = (!m.nominate.is_empty()).then(|| {
        view! {
            <form class="nominate" on:submit=move |ev| {
                ev.prevent_default();
                if let Some(user) = chosen.get() {
                    propose.dispatch(user);
                }
            }>
                <label for="nominee">{text(t::NOMINEE)}</label>
                <select id="nominee" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                    {options}
                </select>
                <button type="submit">{text(t::NOMINATE)}</button>
            </form>
        }
    });
    view! {
        <section class="responsible" aria-labelledby="responsible-h">
            <h2 id="responsible-h">{text(t::RESPONSIBLE_USER)}</h2>
            <p>{text(t::NOMINATE_INTRO)}</p>
            <ul>{held}</ul>
            {form}
            {move || error.get().map(inline_error)}
        </section>
    }
    .into_any()
}

/// The registry's work queue: overdue first and highlighted, filtered, paged on the server.
#[component]
fn QueueView() -> impl IntoView {
    let lang = use_lang();
    let filter = RwSignal::new(QueueFilter::default());
    let page = LocalResource::new(move || work_queue(filter.get()));
    let state_options = ApplicationState::ALL
        .into_iter()
        .filter(|s| *s != ApplicationState::Draft)
        .map(|s| view! { <option value=s.slug()>{text(s.text())}</option> })
        .collect_view();
    let kinds = [
        OrgKind::StateAgency,
        OrgKind::Municipality,
        OrgKind::JointMunicipalAuthority,
        OrgKind::WellbeingServicesCounty,
        OrgKind::Company,
    ];
    let kind_options = kinds
        .into_iter()
        .map(|k| view! { <option value=format!("{k:?}")>{text(k.text())}</option> })
        .collect_view();
    view! {
        <h2>{text(t::QUEUE)}</h2>
        <form class="queue-filter" on:submit=|ev| ev.prevent_default()>
            <label for="filter-state">{tr(|s| s.col_state)}</label>
            <select id="filter-state" on:change=move |ev| {
                let v = event_target_value(&ev);
                filter.update(|f| {
                    f.state = ApplicationState::from_slug(&v);
                    f.page = 0;
                });
            }>
                <option value="">{text(t::ALL)}</option>
                {state_options}
            </select>
            <label for="filter-kind">{text(domain::Field::OrgKind.label())}</label>
            <select id="filter-kind" on:change=move |ev| {
                let v = event_target_value(&ev);
                filter.update(|f| {
                    f.org_kind = kinds.into_iter().find(|k| format!("{k:?}") == v);
                    f.page = 0;
                });
            }>
                <option value="">{text(t::ALL)}</option>
                {kind_options}
            </select>
        </form>
        <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
            {move || page.get().map(|r| match r {
                Ok(p) => queue_table(p, filter, lang),
                Err(e) => inline_error(e),
            })}
        </Transition>
    }
}

fn queue_table(p: QueuePage, filter: RwSignal<QueueFilter>, lang: RwSignal<Lang>) -> AnyView {
    let (total, per_page, current) = (p.total, p.per_page, p.page);
    let rows = p
        .items
        .into_iter()
        .map(|i| {
            let overdue = i.clock.is_some_and(|c| c.running && c.overdue());
            let clock = i.clock;
            let (kind, state) = (i.kind.text(), i.state.text());
            let org_kind = i.org_kind.map(|k| k.text());
            view! {
                // Each cell carries its column's name: a narrow screen stacks the cells and
                // shows it before the value.
                <tr class:overdue=overdue>
                    <th scope="row"><A href=format!("/eservice/{}", i.id.0)>{i.id.to_string()}</A></th>
                    <td data-label=move || strings(lang.get()).col_organisation>{i.organisation_name.clone()}</td>
                    <td data-label=move || strings(lang.get()).col_kind>{org_kind.map(text)}</td>
                    <td data-label=move || t::KIND.get(lang.get())>{text(kind)}</td>
                    <td data-label=move || strings(lang.get()).col_state>{text(state)}</td>
                    <td data-label=move || t::SUBMITTED.get(lang.get())>{i.submitted.map(|s| s.finnish_local())}</td>
                    <td data-label=move || t::CLOCK.get(lang.get())>{move || clock.map(|c| clock_text(&c, lang.get()))}</td>
                </tr>
            }
        })
        .collect_view();
    let pages = total.div_ceil(per_page.max(1)).max(1);
    view! {
        <table class="manage-table" id="work-queue">
            <caption>{move || format!("{} ({total})", t::QUEUE.get(lang.get()))}</caption>
            <thead><tr>
                <th scope="col">{text(t::NUMBER)}</th>
                <th scope="col">{tr(|s| s.col_organisation)}</th>
                <th scope="col">{tr(|s| s.col_kind)}</th>
                <th scope="col">{text(t::KIND)}</th>
                <th scope="col">{tr(|s| s.col_state)}</th>
                <th scope="col">{text(t::SUBMITTED)}</th>
                <th scope="col">{text(t::CLOCK)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <nav class="pager" aria-label=move || t::PAGES.get(lang.get())>
            <button type="button" disabled={current == 0}
                on:click=move |_| filter.update(|f| f.page = f.page.saturating_sub(1))>
                {text(t::PREVIOUS)}
            </button>
            <span>{move || format!("{} {} / {pages}", t::PAGE.get(lang.get()), current + 1)}</span>
            <button type="button" disabled={current + 1 >= pages}
                on:click=move |_| filter.update(|f| f.page += 1)>
                {text(t::NEXT)}
            </button>
        </nav>
    }
    .into_any()
}
