//! The page frame and the routes: the search page, the management page, the e-service's pages,
//! a subject's screens, a subject's print view
//! and "not found". The frame holds what every page shares: the session's user and what their
//! permit opens (from the server), the language, the recent subjects of this session, and the
//! notice a search leaves for the page it opens.

mod texts;
use texts as t;
pub(crate) use texts::STEP_UP;

pub mod contact;
pub mod eservice;
pub mod fees;
pub mod library;
pub mod manage;
mod notices;
mod print;
mod search;
pub mod sessions;
mod subject;
pub mod trail;

use crate::api::{UserSession, session_info};
use crate::error::AppError;
use crate::i18n::{I18n, initial_lang, remember, strings, tr, use_lang};
use domain::search::SearchNotice;
use domain::{Lang, Purpose, SubjectKind, SubjectLink};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Html, MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang=initial_lang().tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="robots" content="noindex" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() />
                <MetaTags />
                <HashedStylesheet options id="leptos" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The signed-in user and their permit's menus, loaded once per page load.
#[derive(Clone, Copy)]
pub struct Session(pub Resource<Result<UserSession, AppError>>);

/// A subject opened in this session, newest first (kept in memory only: a reload or a
/// sign-out forgets it, and nothing is written to the browser's storage).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentSubject {
    pub subject: SubjectLink,
    pub heading: String,
}

#[derive(Clone, Copy)]
pub struct Recent(pub RwSignal<Vec<RecentSubject>>);

impl Recent {
    const KEEP: usize = 8;

    pub fn remember(&self, subject: SubjectLink, heading: String) {
        self.0.update(|list| {
            list.retain(|r| r.subject != subject);
            list.insert(0, RecentSubject { subject, heading });
            list.truncate(Self::KEEP);
        });
    }
}

/// What a search tells the page it opens (e.g. that the identity code has changed), and
/// whether that page should take the focus.
#[derive(Clone, Copy)]
pub struct Arrival {
    pub notice: RwSignal<Option<(SubjectLink, SearchNotice)>>,
    pub focus: RwSignal<bool>,
}

pub fn kind_name(kind: SubjectKind, lang: Lang) -> &'static str {
    let s = strings(lang);
    match kind {
        SubjectKind::Person => s.kind_person,
        SubjectKind::Building => s.kind_building,
        SubjectKind::Dwelling => s.kind_dwelling,
        SubjectKind::Property => s.kind_property,
    }
}

/// Moves the keyboard focus to the first field marked invalid once the page has drawn the
/// marks (in the browser only): after a refused submission the user starts where to fix.
pub fn focus_first_invalid() {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("[aria-invalid=\"true\"]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// Moves the keyboard focus to the element with this id once the page has drawn it (in the
/// browser only).
pub fn focus(id: &'static str) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = RwSignal::new(initial_lang());
    provide_context(I18n(lang));
    provide_context(Session(Resource::new(|| (), |_| session_info())));
    provide_context(Recent(RwSignal::new(Vec::new())));
    provide_context(subject::RevealReasons(RwSignal::new(Vec::new())));
    provide_context(Arrival {
        notice: RwSignal::new(None),
        focus: RwSignal::new(false),
    });
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <Html attr:lang=move || lang.get().tag() />
        <div id="app-state" data-hydrated=move || hydrated.get().to_string()></div>
        <Router>
            <a
                class="skip"
                href="#main"
                on:click=move |ev| {
                    ev.prevent_default();
                    focus("main");
                }
            >
                {tr(|s| s.skip)}
            </a>
            <Header />
            <Notices />
            <sessions::IdleTimer />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=search::SearchPage />
                    <Route path=path!("/manage") view=|| deferred(manage_page) />
                    <Route path=path!("/eservice") view=|| deferred(eservice_page) />
                    <Route path=path!("/eservice/:id") view=|| deferred(application_page) />
                    <Route path=path!("/library") view=|| deferred(library_page) />
                    <Route path=path!("/contact") view=|| deferred(contact_page) />
                    <Route path=path!("/contact/:id") view=|| deferred(question_page) />
                    <Route path=path!("/fees") view=|| deferred(fees_page) />
                    <Route path=path!("/log") view=|| deferred(trail_page) />
                    <Route path=path!("/sessions") view=|| deferred(sessions_page) />
                    <Route path=path!("/print/:kind/:id") view=print::PrintPage />
                    <Route path=path!("/:kind/:id/:screen") view=subject::SubjectPage />
                </Routes>
            </main>
        </Router>
    }
}

// The management and e-service pages are opened by responsible users, registry staff and
// applicants, not by every clerk: each is a lazily loaded WASM chunk (`cargo leptos build
// --split`), fetched when the page is first opened.

#[lazy]
fn manage_page() -> AnyView {
    view! { <manage::ManagePage /> }.into_any()
}

#[lazy]
fn eservice_page() -> AnyView {
    view! { <eservice::EservicePage /> }.into_any()
}

#[lazy]
fn library_page() -> AnyView {
    view! { <library::LibraryPage /> }.into_any()
}

// The service notices are in a chunk of their own too: fetched once the page has hydrated, so
// that every clerk's first bundle does not carry them.
#[lazy]
fn notice_banner() -> AnyView {
    view! { <notices::NoticeBanner /> }.into_any()
}

#[component]
fn Notices() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <Suspense fallback=|| ()>
            {move || hydrated.get().then(|| Suspend::new(notice_banner()))}
        </Suspense>
    }
}

#[lazy]
fn contact_page() -> AnyView {
    view! { <contact::ContactPageView /> }.into_any()
}

#[lazy]
fn question_page() -> AnyView {
    view! { <contact::QuestionView /> }.into_any()
}

#[lazy]
fn fees_page() -> AnyView {
    view! { <fees::FeesPage /> }.into_any()
}

#[lazy]
fn trail_page() -> AnyView {
    view! { <trail::TrailView /> }.into_any()
}

#[lazy]
fn sessions_page() -> AnyView {
    view! { <sessions::SessionsPage /> }.into_any()
}

#[lazy]
fn application_page() -> AnyView {
    view! { <eservice::ApplicationPage /> }.into_any()
}

/// Draws a lazily loaded page in the browser once the frame has hydrated: the server sends the
/// frame and a loading note (these pages load their data through the origin-checked `/api`
/// anyway), so the chunk is never hydrated, only rendered, and a direct load of the page works
/// as a navigation to it does.
fn deferred<F, Fut>(load: F) -> AnyView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = AnyView> + Send + 'static,
{
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let loading = || view! { <p class="loading">{tr(|s| s.loading)}</p> };
    view! {
        <Suspense fallback=loading>
            {move || hydrated.get().then(|| Suspend::new(load()))}
        </Suspense>
        {move || (!hydrated.get()).then(loading)}
    }
    .into_any()
}

/// Now by the browser's clock, for what a form checks before sending (the server checks again
/// by the engine's clock). The pages that use it are drawn only in the browser, after
/// hydration; on the server it is the epoch.
pub(crate) fn browser_now() -> domain::Timestamp {
    #[cfg(feature = "hydrate")]
    {
        domain::Timestamp(js_sys::Date::now() as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        domain::Timestamp(0)
    }
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let Session(session) = expect_context::<Session>();
    let choose = move |l: Lang| {
        lang.set(l);
        remember(l);
    };
    // On a narrow screen the service links fold under one button (open until a link is taken).
    let open = RwSignal::new(false);
    view! {
        <header class="top no-print">
            <div class="brand">
                <A href="/">{tr(|s| s.app)}</A>
                <span class="tagline">{tr(|s| s.tagline)}</span>
            </div>
            <div class="user">
                <Transition fallback=|| ()>
                    {move || {
                        session
                            .get()
                            .and_then(Result::ok)
                            .map(|u| {
                                let purpose = (!u.allowed.choices.is_empty())
                                    .then(|| view! { <PurposeForm info=u.clone() /> });
                                let manage = u.allowed.manage.then(|| {
                                    view! {
                                        <A href="/manage" attr:class="manage-link">{tr(|s| s.manage)}</A>
                                        <A href="/fees" attr:class="manage-link">{crate::i18n::text(t::FEES)}</A>
                                        <A href="/log" attr:class="manage-link">{crate::i18n::text(t::LOG)}</A>
                                    }
                                });
                                view! {
                                    <span id="user-name">{u.name}</span>
                                    <span class="org">{u.organisation}</span>
                                    <button
                                        type="button"
                                        class="menu-toggle"
                                        aria-controls="site-links"
                                        aria-expanded=move || open.get().to_string()
                                        on:click=move |_| open.update(|o| *o = !*o)
                                    >
                                        {crate::i18n::text(t::MENU)}
                                    </button>
                                    <nav
                                        class="site-links"
                                        class:open=move || open.get()
                                        id="site-links"
                                        aria-label=crate::i18n::text(t::SERVICES)
                                        on:click=move |_| open.set(false)
                                    >
                                        <A href="/eservice" attr:class="manage-link">{tr(|s| s.eservice)}</A>
                                        <A href="/library" attr:class="manage-link">{tr(|s| s.library)}</A>
                                        <A href="/contact" attr:class="manage-link">{crate::i18n::text(t::CONTACT)}</A>
                                        <A href="/sessions" attr:class="manage-link">{crate::i18n::text(t::SESSIONS)}</A>
                                        {manage}
                                    </nav>
                                    {purpose}
                                }
                            })
                    }}
                </Transition>
            </div>
            <nav class="langs" aria-label=tr(|s| s.language)>
                {Lang::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            // A narrow screen shows the language's code (FI, SV, EN) as the
                            // button's text and name, its name in the language as a title.
                            <button
                                type="button"
                                class="lang"
                                lang=l.tag()
                                title=l.native_name()
                                aria-pressed=move || (lang.get() == l).to_string()
                                on:click=move |_| choose(l)
                            >
                                <span class="lang-name">{l.native_name()}</span>
                                <span class="lang-code">{l.tag().to_uppercase()}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <form method="post" action="/auth/logout" class="logout">
                <button type="submit" id="logout">{tr(|s| s.sign_out)}</button>
            </form>
        </header>
    }
}

/// The purpose of use (and case reference) for the session's queries, changed in one step.
/// With a single purpose it is preselected; the server checks the choice against the permit.
#[component]
fn PurposeForm(info: UserSession) -> impl IntoView {
    let lang = use_lang();
    let Session(session) = expect_context::<Session>();
    let choices = info.allowed.choices.clone();
    // What the control shows is the purpose in force: a choice takes effect as it is made,
    // and one the server refuses (or a malformed case reference) puts the one in force back.
    let in_force = info.purpose;
    let selected = RwSignal::new(
        info.purpose
            .or_else(|| (choices.len() == 1).then(|| choices[0])),
    );
    let case_ref = RwSignal::new(info.case_ref.clone().unwrap_or_default());
    let error = RwSignal::new(None::<AppError>);
    let choose = Action::new(move |(purpose, case_ref): &(Purpose, String)| {
        let (purpose, case_ref) = (*purpose, case_ref.clone());
        async move { crate::api::choose_purpose(purpose, case_ref).await }
    });
    Effect::new(move |_| {
        if let Some(result) = choose.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    session.refetch();
                }
                Err(e) => {
                    selected.set(in_force);
                    error.set(Some(e));
                }
            }
        }
    });
    let submit = move |p: Option<Purpose>| match p {
        // Checked here as on the server, so that a typo costs no round trip.
        Some(p) => match domain::CaseRef::parse(&case_ref.get_untracked()) {
            Ok(_) => {
                choose.dispatch((p, case_ref.get_untracked()));
            }
            Err(e) => {
                selected.set(in_force);
                error.set(Some(AppError::Invalid(vec![e])));
            }
        },
        None => error.set(Some(AppError::Forbidden {
            reason: domain::Denied::PurposeRequired,
            reference: String::new(),
        })),
    };
    let options = choices
        .into_iter()
        .map(|p| {
            view! {
                <option value=p.slug() selected=move || selected.get() == Some(p)>
                    {move || p.text().get(lang.get())}
                </option>
            }
        })
        .collect_view();
    view! {
        <form
            class="purpose"
            aria-label=tr(|s| s.purpose)
            on:submit=move |ev| {
                ev.prevent_default();
                submit(selected.get_untracked());
            }
        >
            <label for="purpose">{tr(|s| s.purpose)}</label>
            <select
                id="purpose"
                prop:value=move || selected.get().map_or("", Purpose::slug)
                on:change=move |ev| {
                    let p = Purpose::ALL.into_iter().find(|p| p.slug() == event_target_value(&ev));
                    selected.set(p);
                    if p.is_some() {
                        submit(p);
                    }
                }
            >
                {info.purpose.is_none().then(|| view! { <option value="">{tr(|s| s.purpose_pick)}</option> })}
                {options}
            </select>
            <label for="case-ref">{move || domain::Field::CaseRef.label().get(lang.get())}</label>
            <input
                id="case-ref"
                type="text"
                placeholder=move || domain::Field::CaseRef.label().get(lang.get())
                maxlength=domain::CaseRef::MAX.to_string()
                autocomplete="off"
                prop:value=move || case_ref.get()
                on:input=move |ev| case_ref.set(event_target_value(&ev))
                title=tr(|s| s.hint_case_ref)
            />
            <button type="submit" id="choose-purpose">{tr(|s| s.purpose_choose)}</button>
            {move || error.get().map(|e| {
                let text = match &e {
                    AppError::Invalid(fields) => fields.iter().map(|f| f.error.message(lang.get())).collect::<Vec<_>>().join(" "),
                    other => other.message(lang.get()),
                };
                view! { <p class="field-error" role="alert" id="purpose-error">{text}</p> }
            })}
        </form>
    }
}

/// The subjects opened in this session, one click away.
#[component]
pub fn RecentList() -> impl IntoView {
    let lang = use_lang();
    let Recent(recent) = expect_context::<Recent>();
    let Session(session) = expect_context::<Session>();
    move || {
        let list = recent.get();
        let allowed = session
            .get()
            .and_then(Result::ok)
            .map(|s| s.allowed)
            .unwrap_or_default();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .filter_map(|r| {
                    let screen = allowed.entry_screen(r.subject.kind())?;
                    let href = r.subject.screen_path(screen);
                    let kind = r.subject.kind();
                    Some(view! {
                        <li>
                            <A href=href>{r.heading}</A>
                            <span class="kind">{move || kind_name(kind, lang.get())}</span>
                        </li>
                    })
                })
                .collect_view();
            view! {
                <nav class="recent" aria-labelledby="recent-title">
                    <h2 id="recent-title">{tr(|s| s.recent)}</h2>
                    <ul>{items}</ul>
                </nav>
            }
        })
    }
}

/// An error as the user sees it, with a way forward: the one error view. A page that could not
/// load shows it as a section of its own; a form or a list shows it `inline`, beside what the
/// user was doing. Either way: what went wrong in the user's language, the reference to quote
/// (internal detail stays in the server's log under it), a step-up or a new sign-in where
/// that is the way on.
#[component]
pub fn ErrorView(error: AppError, #[prop(optional)] inline: bool) -> impl IntoView {
    let lang = use_lang();
    let reference = error.reference().map(str::to_owned);
    let denied = matches!(error, AppError::Forbidden { .. });
    let signed_out = matches!(error, AppError::Unauthenticated);
    let step_up = error.asks_for_step_up().then(|| view! { <StepUp /> });
    let sign_in = signed_out.then(|| {
        view! { <a href="/auth/login" rel="external">{tr(|s| s.sign_in_again)}</a> }
    });
    if inline {
        let reference = reference.map(|r| format!(" ({r})"));
        return view! {
            <p class="notice" role="alert">
                {move || error.message(lang.get())}
                {reference}
            </p>
            {step_up}
            {sign_in}
        }
        .into_any();
    }
    view! {
        <section
            class=if denied { "denied" } else { "error" }
            role="alert"
            id=if denied { "no-permission" } else { "error" }
        >
            {denied.then(|| view! { <h2>{tr(|s| s.no_permission)}</h2> })}
            <p>{move || error.message(lang.get())}</p>
            {denied.then(|| view! { <p>{tr(|s| s.denial_logged)}</p> })}
            {reference
                .map(|r| {
                    view! {
                        <p class="reference">{tr(|s| s.reference)}": "<code>{r}</code></p>
                    }
                })}
            {step_up}
            {sign_in}
        </section>
    }
    .into_any()
}

/// The question a weighty step asks before it is taken: what will happen, in words, with the
/// step's own button (styled by its weight) and a way back. The focus moves to the question's
/// confirm button, so a keyboard user answers it at once; Escape cancels.
pub(crate) fn confirm_box(
    question: impl Fn() -> String + Send + Sync + 'static,
    act: domain::Text,
    destructive: bool,
    confirm: Callback<()>,
    cancel: Callback<()>,
) -> AnyView {
    let lang = use_lang();
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = button.get() {
            let _ = b.focus();
        }
    });
    view! {
        <div
            class="confirm"
            role="alertdialog"
            aria-label=move || t::CONFIRM.get(lang.get())
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    cancel.run(());
                }
            }
        >
            <p class="question">{question}</p>
            <button
                type="button"
                node_ref=button
                class=if destructive { "danger" } else { "primary" }
                on:click=move |_| confirm.run(())
            >
                {move || format!("{}: {}", t::CONFIRM.get(lang.get()), act.get(lang.get()))}
            </button>
            <button type="button" on:click=move |_| cancel.run(())>{move || t::CANCEL.get(lang.get())}</button>
        </div>
    }
    .into_any()
}

/// [`ErrorView`] inline, where a view is built as a value.
pub(crate) fn inline_error(error: AppError) -> AnyView {
    view! { <ErrorView error inline=true /> }.into_any()
}

/// A way on when a second factor is needed (the permit requires it, or protected data the
/// user is entitled to): sign in again with one at the provider and come back to this very
/// page. The server believes only the level the signed token shows.
#[component]
pub(crate) fn StepUp() -> impl IntoView {
    let here = leptos_router::hooks::use_location();
    let target = move || {
        domain::signin::sign_in_path(
            &format!("{}{}", here.pathname.get(), here.search.get()),
            true,
        )
    };
    view! {
        <p class="step-up">
            <a href=target rel="external" id="step-up">{crate::i18n::text(t::STEP_UP)}</a>
        </p>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=move || format!("{} – {}", strings(lang.get()).not_found_title, strings(lang.get()).app) />
        <section id="not-found-page">
            <h1>{tr(|s| s.not_found_title)}</h1>
            <p><A href="/">{tr(|s| s.back_to_search)}</A></p>
        </section>
    }
}
