//! The page frame and the routes: search, a subject's screens, not found. Pages ask the
//! server functions for data and hand it to the generic renderer.

use crate::api::{SearchPerson, load_screen, whoami};
use crate::error::AppError;
use crate::i18n::{I18n, initial_lang, remember, t, tr, use_lang};
use crate::render::ScreenView;
use domain::{Hetu, Lang, ScreenId, SubjectRef};
use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::{use_navigate, use_params_map};
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
                <HydrationScripts options />
                <MetaTags />
                <link rel="stylesheet" id="leptos" href="/pkg/kysely.css" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = RwSignal::new(initial_lang());
    provide_context(I18n(lang));
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <Html attr:lang=move || lang.get().tag() />
        <Title text=move || t::APP.get(lang.get()) />
        <div id="app-state" data-hydrated=move || hydrated.get().to_string()></div>
        <Router>
            <a class="skip" href="#main">{tr(t::SKIP)}</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=SearchPage />
                    <Route path=path!("/:kind/:id/:screen") view=SubjectPage />
                </Routes>
            </main>
            <footer class="print-only">{tr(t::CONFIDENTIAL)}</footer>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let me = Resource::new(|| (), |_| whoami());
    let choose = move |l: Lang| {
        lang.set(l);
        remember(l);
    };
    view! {
        <header class="top">
            <div class="brand">
                <A href="/">{tr(t::APP)}</A>
                <span class="tagline">{tr(t::TAGLINE)}</span>
            </div>
            <nav class="langs" aria-label=tr(t::LANGUAGE)>
                {Lang::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <button
                                type="button"
                                class="lang"
                                lang=l.tag()
                                aria-pressed=move || (lang.get() == l).to_string()
                                on:click=move |_| choose(l)
                            >
                                {l.native_name()}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <div class="user">
                <Transition fallback=|| ()>
                    {move || {
                        me.get()
                            .and_then(Result::ok)
                            .map(|u| {
                                view! {
                                    <span id="user-name">{u.name}</span>
                                    <span class="org">{u.organisation}</span>
                                }
                            })
                    }}
                </Transition>
                <form method="post" action="/auth/logout" class="logout">
                    <button type="submit" id="logout">{tr(t::SIGN_OUT)}</button>
                </form>
            </div>
        </header>
    }
}

/// An error as the user sees it, with a way forward.
#[component]
fn ErrorView(error: AppError) -> impl IntoView {
    let lang = use_lang();
    let reference = error.reference().map(str::to_owned);
    let (title, class) = match &error {
        AppError::Forbidden { .. } => (Some(t::NO_PERMISSION), "denied"),
        _ => (None, "error"),
    };
    let denied = matches!(error, AppError::Forbidden { .. });
    let signed_out = matches!(error, AppError::Unauthenticated);
    view! {
        <section class=class role="alert" id=if denied { "no-permission" } else { "error" }>
            {title.map(|t| view! { <h2>{move || t.get(lang.get())}</h2> })}
            <p>{move || error.message(lang.get())}</p>
            {denied.then(|| view! { <p>{tr(t::DENIAL_LOGGED)}</p> })}
            {reference.map(|r| view! { <p class="reference">{tr(t::REFERENCE)} ": " <code>{r}</code></p> })}
            {signed_out.then(|| view! { <a href="/auth/login" rel="external">{tr(t::SIGN_IN_AGAIN)}</a> })}
        </section>
    }
}

#[component]
fn SearchPage() -> impl IntoView {
    let lang = use_lang();
    let input = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let search = ServerAction::<SearchPerson>::new();
    let navigate = use_navigate();
    let check = move || {
        let value = input.get();
        (value.trim().chars().count() >= 11 || attempted.get())
            .then(|| Hetu::parse_as_of(&value, crate::i18n::browser_today()))
    };
    Effect::new(move |_| {
        if let Some(Ok(subject)) = search.value().get() {
            navigate(
                &subject.screen_path(ScreenId::PersonBasic),
                Default::default(),
            );
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        let value = input.get_untracked();
        if Hetu::parse_as_of(&value, crate::i18n::browser_today()).is_ok() {
            search.dispatch(SearchPerson { hetu: value });
        }
    };
    view! {
        <Title text=move || format!("{} – {}", t::SEARCH_TITLE.get(lang.get()), t::APP.get(lang.get())) />
        <h1>{tr(t::SEARCH_TITLE)}</h1>
        <form id="search-form" class="search" on:submit=on_submit novalidate>
            <label for="hetu">{tr(t::HETU_LABEL)}</label>
            <p class="hint" id="hetu-hint">{tr(t::HETU_HINT)}</p>
            <input
                id="hetu"
                name="hetu"
                type="text"
                autocomplete="off"
                spellcheck="false"
                maxlength="20"
                aria-describedby="hetu-hint hetu-feedback"
                aria-invalid=move || matches!(check(), Some(Err(_))).to_string()
                prop:value=move || input.get()
                on:input=move |ev| {
                    input.set(event_target_value(&ev));
                    search.clear();
                }
            />
            <p id="hetu-feedback" class="feedback" aria-live="polite">
                {move || match check() {
                    Some(Err(e)) => view! { <span class="invalid" id="hetu-error">{e.message(lang.get())}</span> }.into_any(),
                    Some(Ok(_)) => view! { <span class="valid" id="hetu-ok">{t::HETU_VALID.get(lang.get())}</span> }.into_any(),
                    None => ().into_any(),
                }}
            </p>
            <button type="submit" id="search" disabled=move || search.pending().get()>
                {move || if search.pending().get() { t::SEARCHING.get(lang.get()) } else { t::SEARCH.get(lang.get()) }}
            </button>
        </form>
        {move || match search.value().get() {
            Some(Err(AppError::NotFound)) => {
                view! { <p class="not-found" role="alert" id="not-found">{tr(t::PERSON_NOT_FOUND)}</p> }.into_any()
            }
            Some(Err(e)) => view! { <ErrorView error=e /> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

#[component]
fn SubjectPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let target = Memo::new(move |_| {
        let p = params.read();
        let kind = p.get("kind").unwrap_or_default();
        let subject = SubjectRef::from_segments(&kind, &p.get("id").unwrap_or_default())?;
        let screen =
            ScreenId::from_slug(&format!("{kind}.{}", p.get("screen").unwrap_or_default()))?;
        Some((subject, screen))
    });
    let data = Resource::new(
        move || target.get(),
        |target| async move {
            match target {
                Some((subject, screen)) => load_screen(subject, screen).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        {move || {
            target
                .get()
                .map(|(subject, current)| {
                    let tabs = ScreenId::for_subject(subject.kind())
                        .map(|s| {
                            let href = subject.screen_path(s);
                            let spec = s.spec();
                            view! {
                                <li>
                                    <A href=href attr:aria-current=move || (s == current).then_some("page")>
                                        {move || spec.title.get(lang.get())}
                                    </A>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <nav class="tabs" aria-label=tr(t::SCREENS)>
                            <ul>{tabs}</ul>
                        </nav>
                    }
                })
        }}
        <Transition fallback=move || view! { <p class="loading">{tr(t::LOADING)}</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(screen) => {
                            let spec = screen.screen.spec();
                            let heading = screen.heading.clone();
                            view! {
                                <Title text=move || format!("{} – {}", spec.title.get(lang.get()), heading) />
                                <h1 id="subject-heading">{screen.heading.clone()}</h1>
                                <h2>{move || spec.title.get(lang.get())}</h2>
                                <ScreenView data=screen />
                                <button type="button" class="print no-print" on:click=move |_| { let _ = window().print(); }>{tr(t::PRINT)}</button>
                            }
                            .into_any()
                        }
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section id="not-found-page">
            <h1>{tr(t::NOT_FOUND_TITLE)}</h1>
            <p><A href="/">{tr(t::BACK_TO_SEARCH)}</A></p>
        </section>
    }
}
