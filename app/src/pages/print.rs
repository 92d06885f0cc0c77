//! The print view of a whole subject: every screen the permit opens, one after another, with
//! the print mark (whose data, who printed it, when, for which purpose) heading every printed
//! page (a table header group, which the browser repeats on each page). Each screen is its own
//! audited request.

use super::subject::{PrintMark, SubjectHeading};
use super::{ErrorView, NotFound, Session};
use crate::api::load_screen;
use crate::error::AppError;
use crate::i18n::{strings, text, tr, use_lang};
use crate::render::ScreenView;
use domain::{Allowed, ScreenData, SubjectLink};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

async fn load_all(subject: SubjectLink, allowed: Allowed) -> Result<Vec<ScreenData>, AppError> {
    let mut out = Vec::new();
    for screen in allowed.screens_of(subject.kind()) {
        out.push(load_screen(subject.clone(), screen).await?);
    }
    Ok(out)
}

#[component]
pub fn PrintPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let Session(session) = expect_context::<Session>();
    let subject = Memo::new(move |_| {
        let p = params.read();
        SubjectLink::from_segments(
            &p.get("kind").unwrap_or_default(),
            &p.get("id").unwrap_or_default(),
        )
    });
    // In the browser only, as on a subject page: a server-rendered page reads no register data.
    let data = LocalResource::new(move || {
        let subject = subject.get();
        let allowed = session.get().and_then(Result::ok).map(|s| s.allowed);
        async move {
            match (subject, allowed) {
                (Some(subject), Some(allowed)) => load_all(subject, allowed).await,
                (None, _) => Err(AppError::NotFound),
                (Some(_), None) => Ok(Vec::new()),
            }
        }
    });
    view! {
        <Title text=move || format!("{} – {}", strings(lang.get()).print_title, strings(lang.get()).app) />
        <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
            {move || {
                let info = session.get().and_then(Result::ok);
                let allowed = info.as_ref().map(|i| i.allowed.clone()).unwrap_or_default();
                let user = info.as_ref().map(|i| format!("{}, {}", i.name, i.organisation)).unwrap_or_default();
                data.get().map(|result| match result {
                    Ok(screens) => match screens.first().cloned() {
                        None => view! { <p class="notice">{tr(|s| s.no_screens)}</p> }.into_any(),
                        Some(first) => {
                            let back = first.subject.screen_path(first.screen);
                            let sections = screens
                                .into_iter()
                                .map(|d| {
                                    let spec = d.screen.spec();
                                    view! {
                                        <tr><td>
                                            <section class="print-screen">
                                                <h2>{text(spec.title)}</h2>
                                                <ScreenView data=d allowed=allowed.clone() />
                                            </section>
                                        </td></tr>
                                    }
                                })
                                .collect_view();
                            view! {
                                <div class="actions no-print">
                                    <A href="/" attr:class="new-search">{tr(|s| s.new_search)}</A>
                                    <button type="button" class="print" id="print" on:click=move |_| { let _ = window().print(); }>
                                        {tr(|s| s.print)}
                                    </button>
                                    <A href=back exact=true>{tr(|s| s.back_to_screens)}</A>
                                </div>
                                <table class="print-frame" role="presentation">
                                    <thead class="print-only"><tr><td><PrintMark data=first.clone() user=user /></td></tr></thead>
                                    <tbody>
                                        <tr><td><SubjectHeading data=first /></td></tr>
                                        {sections}
                                    </tbody>
                                </table>
                            }
                            .into_any()
                        }
                    },
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                })
            }}
        </Transition>
    }
}
