//! The service notices every signed-in user sees above the page: planned breaks, incidents
//! and other notices the registry has published and not withdrawn. A lazily loaded chunk,
//! drawn in the browser once the page has hydrated; its data comes through the origin-checked
//! `/api`.

mod texts;
use texts as t;

use crate::error::AppError;
use crate::i18n::text;
use domain::contact::{Notice, NoticeKind};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The notices in force today.
#[server(prefix = "/api", endpoint = "notices", input = Json)]
pub async fn load_notices() -> Result<Vec<Notice>, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .current_notices(&cx.actor)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

#[component]
pub fn NoticeBanner() -> impl IntoView {
    let data = LocalResource::new(|| async move { load_notices().await.unwrap_or_default() });
    move || {
        data.get().filter(|n| !n.is_empty()).map(|notices| {
            let items = notices
                .into_iter()
                .map(|n| {
                    let class = match n.kind {
                        NoticeKind::Incident => "incident",
                        NoticeKind::PlannedBreak => "break",
                        NoticeKind::Info => "info",
                    };
                    let until = n.until.map(|d| format!(" ({})", d.to_finnish()));
                    view! {
                        <li class=class>
                            <strong>{text(n.kind.text())}": "{n.title}</strong>" "{n.body}{until}
                        </li>
                    }
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
