//! The user's own sessions (`/sessions`) and the idle countdown every page carries. A user
//! sees where they are signed in and ends any other session (a workstation left signed in,
//! a session they do not recognise); ending is audited. The countdown asks the server how
//! long the session has left (a question that does not itself count as use), shows a visible
//! timer before an idle sign-out, lets the user continue, and at the end leaves the browser
//! on the signed-out page, which clears what the browser holds of the service.

mod texts;
use texts as t;

use crate::error::AppError;
use crate::i18n::{strings, text, tr, use_lang};
use crate::pages::inline_error;
use domain::{TimeLeft, Timestamp};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// One of the user's sessions as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// The public handle to end it by (never the cookie's token).
    pub id: String,
    /// This browser's session.
    pub current: bool,
    pub kiosk: bool,
    /// The client address at sign-in.
    pub source: String,
    pub created: Timestamp,
    pub last_seen: Timestamp,
}

/// Where the browser goes when the session has ended: the server clears the site's data there.
pub const EXPIRED_PATH: &str = "/auth/expired";

#[cfg(feature = "ssr")]
async fn blocking<T: Send + 'static>(
    cx: &crate::cx::Cx,
    f: impl FnOnce() -> Result<T, engine::EngineError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::from_engine(e.into(), cx.reference()))?
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// The signed-in user's live sessions, the most recently used first.
#[server(prefix = "/api", endpoint = "my_sessions", input = Json)]
pub async fn my_sessions() -> Result<Vec<SessionRow>, AppError> {
    let cx = crate::cx::Cx::current()?;
    let subject = cx.subject()?;
    let (store, token) = cx.session()?;
    blocking(&cx, move || {
        let current = match store.peek(&token)? {
            engine::Peek::Live { session, .. } => Some(session.id),
            _ => None,
        };
        Ok(store
            .of_user(&subject)?
            .into_iter()
            .map(|s| SessionRow {
                current: current.as_deref() == Some(s.id.as_str()),
                kiosk: s.profile == engine::TerminalProfile::Kiosk,
                id: s.id,
                source: s.source,
                created: s.created,
                last_seen: s.last_seen,
            })
            .collect())
    })
    .await
}

/// Ends one of the user's other sessions (`session`: its id), or all of them (`None`); never
/// the one making the request (signing out is for that). Recorded in the audit trail before it
/// takes effect; answers how many ended.
#[server(prefix = "/api", endpoint = "end_sessions", input = Json)]
pub async fn end_sessions(session: Option<String>) -> Result<u32, AppError> {
    let cx = crate::cx::Cx::current()?;
    let subject = cx.subject()?;
    let (store, token) = cx.session()?;
    let current = match store
        .peek(&token)
        .map_err(|e| AppError::from_engine(e, cx.reference()))?
    {
        engine::Peek::Live { session, .. } => session.id,
        _ => return Err(AppError::Unauthenticated.with_status()),
    };
    let pick = move |s: &engine::Session| {
        s.id != current && session.as_deref().is_none_or(|wanted| s.id == wanted)
    };
    let listed = {
        let (store, subject) = (store.clone(), subject.clone());
        blocking(&cx, move || store.of_user(&subject)).await?
    };
    let count = u32::try_from(listed.iter().filter(|s| pick(s)).count()).unwrap_or(u32::MAX);
    if count == 0 {
        return Ok(0);
    }
    cx.engine
        .record(
            &cx.actor,
            domain::audit::SessionEvent::SessionsEnded {
                user: subject.clone(),
                count,
            },
        )
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))?;
    let ended = blocking(&cx, move || store.end_of_user(&subject, pick)).await?;
    Ok(u32::try_from(ended).unwrap_or(u32::MAX))
}

/// How long this session has left. Asking does not count as use (the server does not restart
/// the idle time for this call), so the countdown cannot keep a session alive by itself.
#[server(prefix = "/api", endpoint = "session_left", input = Json)]
pub async fn session_left() -> Result<TimeLeft, AppError> {
    let cx = crate::cx::Cx::current()?;
    let (store, token) = cx.session()?;
    let store2 = store.clone();
    match blocking(&cx, move || store2.peek(&token)).await? {
        engine::Peek::Live { session, .. } => Ok(store.time_left(&session)),
        _ => Err(AppError::Unauthenticated.with_status()),
    }
}

/// The user is still here: the idle time starts again (the absolute limit stays).
#[server(prefix = "/api", endpoint = "keep_session", input = Json)]
pub async fn keep_session() -> Result<TimeLeft, AppError> {
    let cx = crate::cx::Cx::current()?;
    let (store, token) = cx.session()?;
    let store2 = store.clone();
    match blocking(&cx, move || store2.touch(&token)).await? {
        Some(session) => Ok(store.time_left(&session)),
        None => Err(AppError::Unauthenticated.with_status()),
    }
}

fn session_row(
    row: SessionRow,
    end: Action<Option<String>, Result<u32, AppError>>,
) -> impl IntoView {
    let SessionRow {
        id,
        current,
        kiosk,
        source,
        created,
        last_seen,
    } = row;
    let action = (!current).then(|| {
        view! {
            <button type="button" on:click=move |_| {
                end.dispatch(Some(id.clone()));
            }>{text(t::END)}" "<span class="visually-hidden">{created.finnish_local()}</span></button>
        }
    });
    view! {
        <tr>
            <th scope="row">{created.finnish_local()}</th>
            <td data-label=text(t::LAST_USED)>{last_seen.finnish_local()}</td>
            <td data-label=text(t::TERMINAL)>{text(if kiosk { t::KIOSK } else { t::DESKTOP })}</td>
            <td data-label=text(t::ADDRESS)>{source}</td>
            <td data-label=text(t::STATE)>{current.then(|| view! { <strong>{text(t::THIS)}</strong> })}{action}</td>
        </tr>
    }
}

#[component]
pub fn SessionsPage() -> impl IntoView {
    let lang = use_lang();
    let end = Action::new(|which: &Option<String>| end_sessions(which.clone()));
    let data = LocalResource::new(move || {
        end.version().get();
        my_sessions()
    });
    view! {
        <Title text=move || format!("{} – {}", t::TITLE.get(lang.get()), strings(lang.get()).app) />
        <section class="sessions">
            <h1>{text(t::TITLE)}</h1>
            <p class="intro">{text(t::INTRO)}</p>
            {move || end.value().get().map(|r| match r {
                Ok(n) => view! { <p class="notice" role="status">{text(t::ENDED)}{n}</p> }.into_any(),
                Err(e) => inline_error(e),
            })}
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(rows) => {
                        let others = rows.iter().any(|r| !r.current);
                        let rows = rows.into_iter().map(|r| session_row(r, end)).collect_view();
                        view! {
                            <table class="manage-table" id="sessions">
                                <caption>{text(t::TITLE)}</caption>
                                <thead><tr>
                                    <th scope="col">{text(t::STARTED)}</th>
                                    <th scope="col">{text(t::LAST_USED)}</th>
                                    <th scope="col">{text(t::TERMINAL)}</th>
                                    <th scope="col">{text(t::ADDRESS)}</th>
                                    <th scope="col">{text(t::STATE)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                            {others.then(|| view! {
                                <button type="button" id="end-others" on:click=move |_| {
                                    end.dispatch(None);
                                }>{text(t::END_OTHERS)}</button>
                            })}
                        }
                        .into_any()
                    }
                    Err(e) => inline_error(e),
                })}
            </Transition>
        </section>
    }
}

/// How often the countdown asks the server, in seconds: rarely while far from the end, often
/// within the warning (the user may be active in another tab).
const POLL_FAR: f64 = 15.0;
const POLL_NEAR: f64 = 3.0;

/// The countdown before an idle (or absolute) sign-out, on every page. Drawn only in the
/// browser; at the end it sends the browser to the signed-out page.
#[component]
pub fn IdleTimer() -> impl IntoView {
    // The server's last answer and when (by the browser's clock, ms) it came.
    let left = RwSignal::new(None::<(TimeLeft, f64)>);
    let now = RwSignal::new(0.0_f64);
    let asking = StoredValue::new(false);
    let last_asked = StoredValue::new(f64::MIN);
    let remaining = move || {
        left.get()
            .map(|(l, at)| l.seconds - ((now.get() - at) / 1000.0).floor() as i64)
    };
    let ask = move |keep: bool| {
        if asking.get_value() {
            return;
        }
        asking.set_value(true);
        last_asked.set_value(browser_ms());
        leptos::task::spawn_local(async move {
            let answer = if keep {
                keep_session().await
            } else {
                session_left().await
            };
            // The timer may be gone by now (signed out, the page left): nothing to update.
            if asking.try_set_value(false).is_some() {
                return;
            }
            match answer {
                Ok(l) if l.seconds > 0 => {
                    left.try_set(Some((l, browser_ms())));
                }
                Ok(_) | Err(AppError::Unauthenticated) => leave(),
                // A network blip: the next tick asks again.
                Err(_) => {}
            }
        });
    };
    Effect::new(move |_| {
        ask(false);
        let tick = move || {
            let t = browser_ms();
            now.set(t);
            let rem = remaining();
            let since = (t - last_asked.get_value()) / 1000.0;
            let near = rem
                .zip(left.get_untracked())
                .is_some_and(|(r, (l, _))| r <= l.warn_from);
            if rem.is_some_and(|r| r <= 0) || since >= if near { POLL_NEAR } else { POLL_FAR } {
                ask(false);
            }
        };
        let handle = set_interval_with_handle(tick, std::time::Duration::from_secs(1));
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    move || {
        let (l, _) = left.get()?;
        let rem = remaining()?.max(0);
        (rem <= l.warn_from).then(|| {
            view! {
                <div
                    class="idle-warning"
                    role="alertdialog"
                    aria-labelledby="idle-title"
                    aria-describedby="idle-text"
                >
                    <h2 id="idle-title">{text(t::ENDING)}</h2>
                    <p id="idle-text">
                        {text(if l.absolute { t::ABSOLUTE_LEFT } else { t::IDLE_LEFT })}" "
                        <span role="timer" id="idle-seconds">{rem}</span>
                    </p>
                    {(!l.absolute).then(|| view! {
                        <button type="button" id="idle-continue" on:click=move |_| ask(true)>
                            {text(t::CONTINUE)}
                        </button>
                    })}
                </div>
            }
        })
    }
}

fn browser_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// Leaves for the signed-out page, replacing this page in the history (Back does not lead
/// back to it).
fn leave() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(EXPIRED_PATH);
    }
}
