//! A subject's page: the subject's heading (with death, demolition and a protection order
//! marked on every screen), the menu of the screens the permit opens, grouped by section, the
//! current screen drawn by the generic renderer, a way back to a new search and the recent
//! subjects, and the print buttons. The print mark heads every printed page and shows only
//! on paper. The data is loaded by the browser only (see `SubjectPage`).

use super::{Arrival, ErrorView, NotFound, Recent, RecentList, Session, focus, kind_name};
use crate::api::load_screen;
use crate::error::AppError;
use crate::i18n::{fill, strings, text, tr, use_lang};
use crate::render::{ScreenView, date_text};
use domain::catalogue::Section;
use domain::search::SearchNotice;
use domain::{Allowed, ProtectedAccess, ScreenData, ScreenId, SubjectLink};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The menu of one subject: allowed screens grouped by section, in catalogue order.
#[component]
pub fn ScreenMenu(subject: SubjectLink, current: ScreenId, allowed: Allowed) -> impl IntoView {
    let mut sections: Vec<(Section, Vec<ScreenId>)> = Vec::new();
    for screen in allowed.screens_of(subject.kind()) {
        let section = screen.spec().section;
        match sections.iter_mut().find(|(s, _)| *s == section) {
            Some((_, list)) => list.push(screen),
            None => sections.push((section, vec![screen])),
        }
    }
    let groups = sections
        .into_iter()
        .map(|(section, screens)| {
            let links = screens
                .into_iter()
                .map(|s| {
                    view! {
                        <li>
                            <A href=subject.screen_path(s) attr:aria-current=(s == current).then_some("page")>
                                {text(s.spec().title)}
                            </A>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li class="section">
                    <span class="section-title">{text(section.title())}</span>
                    <ul>{links}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="screen-menu no-print" aria-label=tr(|s| s.screens)>
            <ul>{groups}</ul>
        </nav>
    }
    .into_any()
}

/// The subject's heading: name or address, identifier, and the marks every screen carries.
#[component]
pub fn SubjectHeading(data: ScreenData) -> impl IntoView {
    let lang = use_lang();
    let header = data.header.clone();
    let deceased = header.deceased.map(|d| {
        let when = match d {
            domain::model::PartialDate::Day(day) => date_text(day),
            other => other.to_string(),
        };
        view! { " " <span class="deceased" id="deceased">"† "{tr(|s| s.deceased)}" "{when}</span> }
    });
    let demolished = header
        .demolished
        .then(|| view! { " " <span class="demolished">{tr(|s| s.demolished)}</span> });
    let kind = data.subject.kind();
    view! {
        <hgroup class="subject-heading">
            <h1 id="subject-heading" tabindex="-1">{header.heading.clone()}{deceased}{demolished}</h1>
            <p class="identifier">
                <span class="kind">{move || kind_name(kind, lang.get())}</span>" "
                <span id="subject-identifier">{header.identifier.clone()}</span>
            </p>
        </hgroup>
        {header
            .protection_order
            .then(|| {
                let access = data.protected_access;
                view! {
                    <p class="notice protection" role="note">
                        {move || {
                            let s = strings(lang.get());
                            match access {
                                ProtectedAccess::Granted => s.protection_notice_granted,
                                ProtectedAccess::NeedsTwoFactor => s.protection_notice_two_factor,
                                ProtectedAccess::NotInPermit => s.protection_notice,
                            }
                        }}
                    </p>
                }
            })}
    }
    .into_any()
}

/// What prints on every page: whose data, who printed it, when and for which purpose.
#[component]
pub fn PrintMark(data: ScreenData, user: String) -> impl IntoView {
    let lang = use_lang();
    let kind = data.subject.kind();
    let header = data.header.clone();
    let at = data.retrieved.finnish_local();
    let purpose = data.purpose;
    view! {
        <div class="print-mark" role="presentation">
            <p>
                <strong>{move || kind_name(kind, lang.get())}": "</strong>
                {header.heading.clone()}" ("{header.identifier.clone()}")"
            </p>
            <p>
                {tr(|s| s.printed_by)}": "{user}" · "
                {tr(|s| s.retrieved)}" "{at}" · "
                {tr(|s| s.purpose)}": "{move || purpose.text().get(lang.get())}
            </p>
            <p class="confidential">{tr(|s| s.confidential)}</p>
        </div>
    }
    .into_any()
}

#[component]
pub fn SubjectPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let Session(session) = expect_context::<Session>();
    let recent = expect_context::<Recent>();
    let arrival = expect_context::<Arrival>();
    let target = Memo::new(move |_| {
        let p = params.read();
        let kind = p.get("kind").unwrap_or_default();
        let subject = SubjectLink::from_segments(&kind, &p.get("id").unwrap_or_default())?;
        let screen =
            ScreenId::from_slug(&format!("{kind}.{}", p.get("screen").unwrap_or_default()))?;
        Some((subject, screen))
    });
    // Register data loads only in the browser, through the origin-checked `/api`: a page
    // rendered on the server never reads it, so a link from another site cannot make the
    // user's session look anyone up.
    let data = LocalResource::new(move || {
        let target = target.get();
        async move {
            match target {
                Some((subject, screen)) => load_screen(subject, screen).await,
                None => Err(AppError::NotFound),
            }
        }
    });
    // Remember the subject, and after a search put the cursor on its heading.
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            recent.remember(d.subject, d.header.heading.clone());
            if arrival.focus.get_untracked() {
                arrival.focus.set(false);
                focus("subject-heading");
            }
        }
    });
    let title = move || {
        let s = strings(lang.get());
        match target.get() {
            Some((_, screen)) => format!("{} – {}", screen.spec().title.get(lang.get()), s.app),
            None => s.app.to_owned(),
        }
    };
    view! {
        <Title text=title />
        <div class="subject-bar no-print">
            <A href="/" attr:class="new-search">{tr(|s| s.new_search)}</A>
        </div>
        <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
            {move || {
                let info = session.get().and_then(Result::ok);
                let allowed = info.as_ref().map(|i| i.allowed.clone()).unwrap_or_default();
                let user = info
                    .as_ref()
                    .map(|i| format!("{}, {}", i.name, i.organisation))
                    .unwrap_or_default();
                data.get()
                    .map(|result| match result {
                        Ok(screen) => {
                            let subject = screen.subject.clone();
                            let notice = arrival
                                .notice
                                .get()
                                .filter(|(s, _)| *s == subject)
                                .map(|(_, SearchNotice::HetuChanged { searched, active })| {
                                    view! {
                                        <p class="notice" role="status" id="hetu-changed">
                                            {move || fill(strings(lang.get()).hetu_changed, &[&searched.to_string(), &active.to_string()])}
                                        </p>
                                    }
                                });
                            view! {
                                <table class="print-frame" role="presentation">
                                <thead class="print-only"><tr><td><PrintMark data=screen.clone() user=user /></td></tr></thead>
                                <tbody><tr><td>
                                <SubjectHeading data=screen.clone() />
                                {notice}
                                <div class="subject-body">
                                    <ScreenMenu subject=subject current=screen.screen allowed=allowed.clone() />
                                    <ScreenSection data=screen allowed=allowed />
                                </div>
                                </td></tr></tbody>
                                </table>
                            }
                            .into_any()
                        }
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(e) => view! {
                            <ScreenMenuFor target=target.get() allowed=allowed />
                            <ErrorView error=e />
                        }
                        .into_any(),
                    })
            }}
        </Transition>
        <div class="no-print">
            <RecentList />
        </div>
    }
}

/// The current screen: its title, its data and the print buttons.
#[component]
fn ScreenSection(data: ScreenData, allowed: Allowed) -> impl IntoView {
    let spec = data.screen.spec();
    let print_href = format!(
        "/print/{}/{}",
        data.subject.kind().slug(),
        data.subject.token()
    );
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h2 id="screen-title">{text(spec.title)}</h2>
            <ScreenView data=data allowed=allowed />
            <div class="actions no-print">
                <button type="button" class="print" id="print" on:click=move |_| { let _ = window().print(); }>
                    {tr(|s| s.print)}
                </button>
                <A href=print_href attr:class="print-all" attr:id="print-all">{tr(|s| s.print_all)}</A>
            </div>
        </section>
    }
    .into_any()
}

/// The menu shown beside an error, so the user can go on to a screen they may open.
#[component]
fn ScreenMenuFor(target: Option<(SubjectLink, ScreenId)>, allowed: Allowed) -> impl IntoView {
    target.map(
        |(subject, screen)| view! { <ScreenMenu subject=subject current=screen allowed=allowed /> },
    )
}
