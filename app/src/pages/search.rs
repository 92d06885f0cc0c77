//! The search page: one tab per search type the permit grants, a form per type validated as
//! the user types with the same `domain` rules the server applies, and the outcome: the
//! subject opens (with the cursor on its heading), a hit list to choose from, "too many", or
//! "not found", each with its own message. The session's recent subjects are below.

use super::{Arrival, ErrorView, RecentList, Session};
use crate::api::Search;
use crate::error::AppError;
use crate::i18n::{Strings, browser_today, fill, strings, text, tr, use_lang};
use crate::render::table;
use domain::search::Need;
use domain::{Allowed, Field, FieldError, SearchForm, SearchKind, SearchOutcome};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

fn hint(field: Field) -> fn(&Strings) -> &'static str {
    match field {
        Field::Hetu => |s| s.hint_hetu,
        Field::Satu => |s| s.hint_satu,
        Field::Surname => |s| s.hint_surname,
        Field::FirstNames => |s| s.hint_first_names,
        Field::BirthDate => |s| s.hint_birth_date,
        Field::Municipality => |s| s.hint_municipality,
        Field::Street => |s| s.hint_street,
        Field::HouseNumber => |s| s.hint_house_number,
        Field::Dwelling => |s| s.hint_dwelling,
        Field::PostalCode => |s| s.hint_postal_code,
        Field::BuildingId => |s| s.hint_building_id,
        Field::OldBuildingId => |s| s.hint_old_building_id,
        Field::PropertyId => |s| s.hint_property_id,
        Field::CaseRef => |s| s.hint_case_ref,
        Field::Reason => |s| s.hint_reason,
        // The e-service's form fields are not search fields; their help is on their page.
        Field::OrgName
        | Field::BusinessId
        | Field::OrgKind
        | Field::Address
        | Field::ContactName
        | Field::Email
        | Field::Phone
        | Field::Purposes
        | Field::LegalBasis
        | Field::Justification
        | Field::NeedWhy
        | Field::DataGroups
        | Field::Searches
        | Field::Users
        | Field::Location
        | Field::AccessControl
        | Field::Retention
        | Field::NoOnwardDisclosure
        | Field::Terms
        | Field::Nominee
        | Field::Message
        | Field::Roles
        | Field::ValidUntil
        | Field::Title
        | Field::File
        | Field::Topic
        | Field::Month
        | Field::TrailSubject
        | Field::User
        | Field::Organisation
        | Field::PeriodFrom
        | Field::PeriodTo
        | Field::Action => |_| "",
    }
}

/// From how many characters a field is checked while the user is still typing in it; other
/// fields are checked when the user leaves them or submits.
fn checked_from(field: Field) -> usize {
    match field {
        Field::Hetu => 11,
        Field::Satu => 9,
        Field::BuildingId => 10,
        Field::PostalCode => 5,
        _ => usize::MAX,
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let lang = use_lang();
    let Session(session) = expect_context::<Session>();
    let query = use_query_map();
    let requested = Memo::new(move |_| {
        query
            .read()
            .get("kind")
            .and_then(|k| SearchKind::from_short_slug(&k))
    });
    view! {
        <Title text=move || format!("{} – {}", strings(lang.get()).search_title, strings(lang.get()).app) />
        <h1 id="search-heading">{tr(|s| s.search_title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
            {move || {
                session
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(info) if info.allowed.searches.is_empty() => {
                            let reason = info.allowed.refusal;
                            let contacts = info.allowed.contacts.join(", ");
                            let has_contacts = !contacts.is_empty();
                            let ask = (!contacts.is_empty()).then(|| {
                                view! {
                                    <p id="ask-responsible">
                                        {move || fill(strings(lang.get()).ask_responsible, &[&contacts])}
                                    </p>
                                }
                            });
                            view! {
                                <p class="notice" id="no-searches">
                                    {move || match reason {
                                        Some(r) => crate::error::denied_message(r, lang.get()),
                                        None => strings(lang.get()).no_searches,
                                    }}
                                </p>
                                {reason.is_some_and(|r| r.asks_for_step_up())
                                    .then(|| view! { <crate::pages::StepUp /> })}
                                {ask}
                                {(!reason.is_some_and(|r| r.asks_for_step_up())).then(|| view! {
                                    <crate::pages::eservice::NextStepView
                                        refusal=reason
                                        has_contacts=has_contacts />
                                })}
                            }
                            .into_any()
                        }
                        Ok(info) => {
                            let kind = requested
                                .get()
                                .filter(|k| info.allowed.searches.contains(k))
                                .or_else(|| info.allowed.searches.first().copied())
                                .unwrap_or(SearchKind::Hetu);
                            view! {
                                <SearchKinds allowed=info.allowed.searches.clone() current=kind />
                                <SearchFormView kind=kind allowed=info.allowed.clone() />
                            }
                            .into_any()
                        }
                    })
            }}
        </Transition>
        <RecentList />
    }
}

#[component]
fn SearchKinds(allowed: Vec<SearchKind>, current: SearchKind) -> impl IntoView {
    let tabs = allowed
        .into_iter()
        .map(|k| {
            let href = format!("/?kind={}", k.short_slug());
            view! {
                <li>
                    // A plain link (the router still navigates in the page): the router's `<A>`
                    // marks every link to `/` current whatever its `?kind=`, so all tabs were.
                    <a href=href aria-current=(k == current).then_some("page")>
                        {text(k.title())}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="search-kinds" aria-label=tr(|s| s.search_kinds)>
            <ul>{tabs}</ul>
        </nav>
    }
}

#[component]
fn SearchFormView(kind: SearchKind, allowed: Allowed) -> impl IntoView {
    let lang = use_lang();
    let arrival = expect_context::<Arrival>();
    let form = RwSignal::new(SearchForm::new(kind));
    let attempted = RwSignal::new(false);
    let left: RwSignal<Vec<Field>> = RwSignal::new(Vec::new());
    let action = ServerAction::<Search>::new();
    let navigate = use_navigate();
    let allowed_for_nav = allowed.clone();
    // Client-side errors of the fields the user has finished with.
    let errors = Memo::new(move |_| {
        let f = form.get();
        let shown = |field: Field| {
            attempted.get()
                || left.with(|l| l.contains(&field))
                || f.get(field).trim().chars().count() >= checked_from(field)
        };
        match f.validate(browser_today()) {
            Ok(_) => Vec::new(),
            Err(list) => list
                .into_iter()
                .filter(|e| shown(e.field))
                .collect::<Vec<_>>(),
        }
    });
    let server_errors = Memo::new(move |_| match action.value().get() {
        Some(Err(AppError::Invalid(list))) => list,
        _ => Vec::new(),
    });
    let error_of = move |field: Field| -> Option<FieldError> {
        errors
            .get()
            .into_iter()
            .chain(server_errors.get())
            .find(|e| e.field == field)
    };
    Effect::new(move |_| {
        if let Some(Ok(SearchOutcome::Found { subject, notice })) = action.value().get()
            && let Some(screen) = allowed_for_nav.entry_screen(subject.kind())
        {
            arrival.notice.set(notice.map(|n| (subject.clone(), n)));
            arrival.focus.set(true);
            navigate(&subject.screen_path(screen), Default::default());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        // "Kauppakatu 1" in the street field: the fields show the split that is searched.
        let f = form.get_untracked().normalised();
        if f != form.get_untracked() {
            form.set(f.clone());
        }
        match f.validate(browser_today()) {
            Ok(_) => {
                action.dispatch(Search { form: f });
            }
            Err(list) => {
                if let Some(first) = list.first() {
                    super::focus(first.field.id());
                }
            }
        }
    };
    // A new search from the hit list: the form emptied, the list gone, the cursor in the
    // first field.
    let first_field = kind.fields().first().map(|(field, _)| *field);
    let new_search = move |_| {
        form.set(SearchForm::new(kind));
        attempted.set(false);
        left.set(Vec::new());
        action.clear();
        if let Some(field) = first_field {
            super::focus(field.id());
        }
    };
    let single = kind.fields().len() == 1;
    let fields = kind
        .fields()
        .iter()
        .enumerate()
        .map(|(i, &(field, need))| {
            let id = field.id();
            let hint_id = format!("{id}-hint");
            let feedback_id = format!("{id}-feedback");
            let described = format!("{hint_id} {feedback_id}");
            let ok = move || {
                single
                    && error_of(field).is_none()
                    && form.with(|f| f.get(field).trim().chars().count() >= checked_from(field))
                    && form.with(|f| f.validate(browser_today()).is_ok())
            };
            view! {
                <div class="form-field">
                    <label for=id>
                        {text(field.label())}
                        {(need == Need::Optional).then(|| view! { " " <span class="optional">{tr(|s| s.optional)}</span> })}
                    </label>
                    <p class="hint" id=hint_id>{tr(hint(field))}</p>
                    <input
                        id=id
                        name=id
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        autofocus=i == 0
                        required=need == Need::Required
                        aria-describedby=described
                        aria-invalid=move || error_of(field).is_some().to_string()
                        prop:value=move || form.with(|f| f.get(field).to_owned())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.set(field, v));
                            action.clear();
                        }
                        on:blur=move |_| {
                            if form.with(|f| !f.get(field).trim().is_empty()) {
                                left.update(|l| if !l.contains(&field) { l.push(field) });
                            }
                        }
                    />
                    <p id=feedback_id class="feedback" aria-live="polite">
                        {move || match error_of(field) {
                            Some(e) => view! { <span class="invalid" id=format!("{id}-error")>{e.error.message(lang.get())}</span> }.into_any(),
                            None if ok() => view! { <span class="valid" id=format!("{id}-ok")>{strings(lang.get()).well_formed}</span> }.into_any(),
                            None => ().into_any(),
                        }}
                    </p>
                </div>
            }
        })
        .collect_view();
    view! {
        <form id="search-form" class="search" on:submit=on_submit novalidate>
            {fields}
            <button type="submit" id="search" disabled=move || action.pending().get()>
                {move || if action.pending().get() { strings(lang.get()).searching } else { strings(lang.get()).search }}
            </button>
        </form>
        <div class="outcome" aria-live="polite">
            {move || {
                let lang = lang.get();
                let s = strings(lang);
                match action.value().get() {
                    Some(Ok(SearchOutcome::NotFound)) => view! { <p class="not-found" role="alert" id="not-found">{s.not_found}</p> }.into_any(),
                    Some(Ok(SearchOutcome::TooMany)) => view! { <p class="too-many" role="alert" id="too-many">{s.too_many}</p> }.into_any(),
                    // A street the register does not know: the nearest names, one click to
                    // search with each (the field shows the name searched).
                    Some(Ok(SearchOutcome::NoSuchStreet { nearest })) => {
                        let choices = nearest
                            .into_iter()
                            .map(|name| {
                                let label = name.clone();
                                view! {
                                    <li>
                                        <button type="button" class="link" on:click=move |_| {
                                            form.update(|f| f.set(Field::Street, name.clone()));
                                            action.dispatch(Search { form: form.get_untracked() });
                                        }>{label}</button>
                                    </li>
                                }
                            })
                            .collect::<Vec<_>>();
                        let any = !choices.is_empty();
                        view! {
                            <p class="not-found" role="alert" id="not-found">{s.no_such_street}</p>
                            {any.then(|| view! {
                                <nav class="nearest" aria-labelledby="nearest-h">
                                    <h2 id="nearest-h">{s.did_you_mean}</h2>
                                    <ul>{choices}</ul>
                                </nav>
                            })}
                        }
                        .into_any()
                    }
                    Some(Ok(SearchOutcome::Several(list))) => {
                        let count = list.rows.len().to_string();
                        let caption = s.hits.to_owned();
                        view! {
                            <section class="hits" aria-labelledby="hits-title">
                                <h2 id="hits-title">{caption.clone()}</h2>
                                <p role="status" id="several">{fill(s.several, &[&count])}</p>
                                <button type="button" id="new-search" on:click=new_search>{s.new_search}</button>
                                {table(list.kind.columns(), list.rows, caption, lang, &allowed)}
                            </section>
                        }
                        .into_any()
                    }
                    Some(Ok(SearchOutcome::Found { subject, .. })) if allowed.entry_screen(subject.kind()).is_none() => {
                        view! { <p class="notice" id="no-screens">{s.no_screens}</p> }.into_any()
                    }
                    Some(Err(AppError::Invalid(_))) | Some(Ok(SearchOutcome::Found { .. })) | None => ().into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e /> }.into_any(),
                }
            }}
        </div>
    }
}
