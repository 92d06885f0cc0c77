//! A subject's page: the subject's heading (with death, demolition and a protection order
//! marked on every screen), the menu of the screens the permit opens, grouped by section, the
//! current screen drawn by the generic renderer, a way back to a new search and the recent
//! subjects, and the print buttons. The print mark heads every printed page and shows only
//! on paper. The data is loaded by the browser only (see `SubjectPage`).

use super::{Arrival, ErrorView, NotFound, Recent, RecentList, Session, focus, kind_name};
use crate::api::{load_screen, reveal_screen};
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

/// Why a screen is closed, in a few words.
fn closed_reason(s: &crate::i18n::Strings, why: domain::Denied) -> &'static str {
    match why {
        domain::Denied::ScreenNotInRight(_) => s.closed_not_in_right,
        domain::Denied::NotForPurpose(_) => s.closed_not_for_purpose,
        domain::Denied::ScreenNeedsTwoFactor(_) => s.closed_two_factor,
        _ => s.closed_not_in_permit,
    }
}

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
                            // A plain link: the router's `<A>` would add its own
                            // `aria-current` by path prefix beside ours.
                            <a href=subject.screen_path(s) aria-current=(s == current).then_some("page")>
                                {text(s.spec().title)}
                            </a>
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
    // The screens of this kind the user cannot open, each with why: nothing vanishes without
    // a word.
    let kind = subject.kind();
    let lang = use_lang();
    let closed: Vec<(ScreenId, domain::Denied)> = allowed
        .closed
        .iter()
        .copied()
        .filter(|(s, _)| s.spec().subject() == kind)
        .collect();
    let closed = (!closed.is_empty()).then(|| {
        let items = closed
            .into_iter()
            .map(|(screen, why)| {
                // A screen a second factor opens links to the step-up, which comes back to it.
                let title = if why.asks_for_step_up() {
                    let href = domain::signin::sign_in_path(&subject.screen_path(screen), true);
                    view! { <a href=href rel="external">{text(screen.spec().title)}</a> }.into_any()
                } else {
                    text(screen.spec().title).into_any()
                };
                view! {
                    <li>
                        {title}": "
                        <span class="why">{move || closed_reason(strings(lang.get()), why)}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <details class="closed-screens">
                <summary>{tr(|s| s.closed_screens)}</summary>
                <ul>{items}</ul>
            </details>
        }
    });
    // On a narrow screen the list folds under a button that names the screen on view; taking
    // a screen draws a new menu, folded again.
    let open = RwSignal::new(false);
    let current_title = current.spec().title;
    view! {
        <nav class="screen-menu no-print" class:open=move || open.get() aria-label=tr(|s| s.screens)>
            <button
                type="button"
                class="menu-toggle"
                aria-controls="screen-list"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || format!("{}: {}", strings(lang.get()).screens, current_title.get(lang.get()))}
            </button>
            <ul id="screen-list">{groups}</ul>
            {closed}
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
                                ProtectedAccess::Revealed => s.protection_notice_revealed,
                                ProtectedAccess::NeedsTwoFactor => s.protection_notice_two_factor,
                                ProtectedAccess::NotInPermit | ProtectedAccess::Revealable => {
                                    s.protection_notice
                                }
                            }
                        }}
                    </p>
                    {(access == ProtectedAccess::NeedsTwoFactor)
                        .then(|| view! { <crate::pages::StepUp /> })}
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
    // A screen revealed with a reason (break glass) replaces the loaded one until the user
    // moves to another screen: the next screen asks again.
    let revealed = RwSignal::new(None::<ScreenData>);
    Effect::new(move |_| {
        target.track();
        revealed.set(None);
    });
    // A switch of the purpose of use (or case reference) loads the screen again under the new
    // one (a screen it does not open is refused): nothing fetched under the old purpose stays
    // on view with its print mark. The session's first answer is no switch.
    let in_force = Memo::new(move |_| {
        session
            .get()
            .and_then(Result::ok)
            .map(|s| (s.purpose, s.case_ref))
    });
    Effect::new(
        move |before: Option<Option<(Option<domain::Purpose>, Option<String>)>>| {
            let now = in_force.get();
            if let Some(Some(was)) = &before
                && now.as_ref() != Some(was)
            {
                revealed.set(None);
                data.refetch();
            }
            now
        },
    );
    // Remember the subject; after a search put the cursor on its heading, after a move to
    // another subject on its heading too, and after a move to another screen of the same
    // subject on the screen's title (a screen reader reads on from what changed).
    let shown = StoredValue::new(None::<(SubjectLink, ScreenId)>);
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            recent.remember(d.subject.clone(), d.header.heading.clone());
            let before = shown.get_value();
            if arrival.focus.get_untracked() {
                arrival.focus.set(false);
                focus("subject-heading");
            } else if let Some((subject, screen)) = &before {
                if *subject != d.subject {
                    focus("subject-heading");
                } else if *screen != d.screen {
                    focus("screen-title");
                }
            }
            shown.set_value(Some((d.subject, d.screen)));
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
                        Ok(loaded) => {
                            let screen = revealed
                                .get()
                                .filter(|r| r.subject == loaded.subject && r.screen == loaded.screen)
                                .unwrap_or(loaded);
                            let reveal = (screen.protected_access == ProtectedAccess::Revealable
                                && screen.has_withheld())
                                .then(|| view! {
                                    <RevealForm subject=screen.subject.clone() screen=screen.screen revealed />
                                });
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
                                    <div class="screen-column">
                                        <ScreenSection data=screen allowed=allowed />
                                        {reveal}
                                    </div>
                                </div>
                                </td></tr></tbody>
                                </table>
                            }
                            .into_any()
                        }
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(e) => {
                            // Say which screen of whom was refused, and under which purpose.
                            let asked = target.get().map(|(subject, screen)| {
                                let whom = recent
                                    .0
                                    .get_untracked()
                                    .into_iter()
                                    .find(|r| r.subject == subject)
                                    .map(|r| r.heading)
                                    .unwrap_or_else(|| kind_name(subject.kind(), lang.get_untracked()).to_owned());
                                let purpose = info.as_ref().and_then(|i| i.purpose);
                                view! {
                                    <p class="asked" id="asked">
                                        {move || {
                                            let s = strings(lang.get());
                                            let mut line = format!(
                                                "{}: {} – {whom}",
                                                s.col_screen,
                                                screen.spec().title.get(lang.get()),
                                            );
                                            if let Some(p) = purpose {
                                                line.push_str(&format!("; {}: {}", s.purpose, p.text().get(lang.get())));
                                            }
                                            line
                                        }}
                                    </p>
                                }
                            });
                            view! {
                                <ScreenMenuFor target=target.get() allowed=allowed />
                                {asked}
                                <ErrorView error=e />
                            }
                            .into_any()
                        }
                    })
            }}
        </Transition>
        <div class="no-print">
            <RecentList />
        </div>
    }
}

/// The reasons given for revealing protected data in this session, by subject (in memory,
/// gone with the page).
#[derive(Clone, Copy)]
pub struct RevealReasons(pub RwSignal<Vec<(SubjectLink, String)>>);

/// Reveals the protected data the permit withholds on this screen, for a typed reason (break
/// glass). The server checks the permit, records the reveal with its reason and notifies the
/// registry.
#[component]
fn RevealForm(
    subject: SubjectLink,
    screen: ScreenId,
    revealed: RwSignal<Option<ScreenData>>,
) -> impl IntoView {
    let lang = use_lang();
    // The reason given for this subject earlier in the session is offered again (each
    // reveal is still its own request, recorded with it and reported to the registry).
    let reasons = use_context::<RevealReasons>();
    let given = reasons
        .and_then(|r| {
            r.0.with_untracked(|m| {
                m.iter()
                    .find(|(s, _)| *s == subject)
                    .map(|(_, t)| t.clone())
            })
        })
        .unwrap_or_default();
    let reason = RwSignal::new(given);
    let error = RwSignal::new(None::<AppError>);
    let for_subject = subject.clone();
    let reveal = Action::new(move |typed: &String| {
        let (subject, typed) = (subject.clone(), typed.clone());
        async move { reveal_screen(subject, screen, typed).await }
    });
    Effect::new(move |_| {
        if let Some(result) = reveal.value().get() {
            match result {
                Ok(data) => {
                    error.set(None);
                    if let Some(r) = reasons {
                        let typed = reason.get_untracked();
                        r.0.update(|m| {
                            m.retain(|(s, _)| *s != for_subject);
                            m.push((for_subject.clone(), typed));
                        });
                    }
                    revealed.set(Some(data));
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <form
            class="reveal no-print"
            aria-labelledby="reveal-button"
            on:submit=move |ev| {
                ev.prevent_default();
                // Checked here as on the server: a reveal needs a reason.
                match domain::registry::Reason::parse(&reason.get()) {
                    Ok(Some(_)) => {
                        reveal.dispatch(reason.get());
                    }
                    Ok(None) => error.set(Some(AppError::Forbidden {
                        reason: domain::Denied::ReasonRequired,
                        reference: String::new(),
                    })),
                    Err(e) => error.set(Some(AppError::Invalid(vec![e]))),
                }
            }
        >
            <label for="reveal-reason">{move || domain::Field::Reason.label().get(lang.get())}</label>
            <input
                id="reveal-reason"
                type="text"
                maxlength=domain::registry::Reason::MAX.to_string()
                autocomplete="off"
                title=tr(|s| s.hint_reason)
                prop:value=move || reason.get()
                on:input=move |ev| reason.set(event_target_value(&ev))
            />
            <button type="submit" id="reveal-button" class="danger">{tr(|s| s.reveal_button)}</button>
            {move || error.get().map(|e| view! {
                <p class="field-error" role="alert">{e.message(lang.get())}</p>
            })}
        </form>
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
            <h2 id="screen-title" tabindex="-1">{text(spec.title)}</h2>
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
