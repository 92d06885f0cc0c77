//! The service notices every signed-in user sees above the page: planned breaks, incidents
//! and other notices the registry has published and not withdrawn. A lazily loaded chunk,
//! drawn in the browser once the page has hydrated; its data comes through the origin-checked
//! `/api`.

mod texts;
use texts as t;

use crate::error::AppError;
use crate::i18n::{text, use_lang};
use domain::contact::{NoticeKind, NoticeShown};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The notices in force today.
#[server(prefix = "/api", endpoint = "notices", input = Json)]
pub async fn load_notices() -> Result<Vec<NoticeShown>, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .current_notices(&cx.actor)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

#[component]
pub fn NoticeBanner() -> impl IntoView {
    let data = LocalResource::new(|| async move { load_notices().await.unwrap_or_default() });
    let lang = use_lang();
    move || {
        data.get().filter(|n| !n.is_empty()).map(|notices| {
            let items = notices
                .into_iter()
                .map(|shown| {
                    let class = match shown.notice.kind {
                        NoticeKind::Incident => "incident",
                        NoticeKind::PlannedBreak => "break",
                        NoticeKind::Info => "info",
                    };
                    let until = shown.notice.until.map(|d| format!(" ({})", d.to_finnish()));
                    let kind = shown.notice.kind.text();
                    let words = move || {
                        let reader = lang.get();
                        let (title, body, written_in) = shown.words(reader);
                        // Words not in the reader's language carry their own `lang` (a screen
                        // reader speaks them right) and say which language they are in.
                        let tag = written_in.map(|l| l.tag());
                        let mark = written_in.map(|l| {
                            view! { " "<span class="written-in">"("{l.in_words().get(reader)}")"</span> }
                        });
                        view! {
                            <strong>{kind.get(reader)}": "<span lang=tag>{title.to_owned()}</span></strong>
                            " "<span lang=tag>{body.to_owned()}</span>
                            {mark}
                        }
                    };
                    view! { <li class=class>{words}{until}</li> }
                })
                .collect_view();
            view! {
                <aside class="service-notices no-print" aria-label=text(t::LABEL)>
                    <ul>{items}</ul>
                </aside>
            }
        })
    }
}
