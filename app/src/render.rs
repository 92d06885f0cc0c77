//! The generic screen renderer: a catalogue entry plus redacted screen data become a card
//! (label–value pairs) or a table. No screen has its own view code.

use crate::i18n::{t, use_lang};
use domain::catalogue::{Layout, ScreenSpec};
use domain::screen::{Cell, Row};
use domain::{Lang, ScreenData, ScreenId};
use leptos::prelude::*;
use leptos_router::components::A;

fn date_text(d: domain::Date, lang: Lang) -> String {
    match lang {
        Lang::Fi | Lang::Sv => d.to_finnish(),
        Lang::En => d.to_string(),
    }
}

fn cell_view(cell: Cell, lang: Lang) -> AnyView {
    match cell {
        Cell::Empty => view! { <span class="empty" aria-label="–">"–"</span> }.into_any(),
        Cell::Text(s) => view! { <span>{s}</span> }.into_any(),
        Cell::Date(d) => {
            view! { <time datetime=d.to_string()>{date_text(d, lang)}</time> }.into_any()
        }
        Cell::Code(c) => {
            let text = c.text.get(lang).to_owned();
            view! { <span title=c.code.clone()>{text}</span> }.into_any()
        }
        Cell::Number(n) => view! { <span class="num">{n}</span> }.into_any(),
        Cell::Flag(b) => {
            let text = if b { t::YES.get(lang) } else { t::NO.get(lang) };
            view! { <span class=if b { "flag on" } else { "flag" }>{text}</span> }.into_any()
        }
        Cell::Link { target, label } => {
            let first = ScreenId::for_subject(target.kind())
                .next()
                .unwrap_or(ScreenId::PersonBasic);
            let href = target.screen_path(first);
            view! { <A href=href>{label}</A> }.into_any()
        }
        Cell::Withheld => {
            view! { <span class="withheld">{t::WITHHELD.get(lang)}</span> }.into_any()
        }
    }
}

fn card(spec: &'static ScreenSpec, row: Row, lang: Lang) -> AnyView {
    let items = spec
        .columns
        .iter()
        .zip(row.cells)
        .map(|(col, cell)| {
            view! {
                <div class="field" data-key=col.key>
                    <dt>{col.label.get(lang)}</dt>
                    <dd>{cell_view(cell, lang)}</dd>
                </div>
            }
        })
        .collect_view();
    view! { <dl class="card">{items}</dl> }.into_any()
}

fn table(spec: &'static ScreenSpec, rows: Vec<Row>, lang: Lang) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="no-rows">{t::NO_ROWS.get(lang)}</p> }.into_any();
    }
    let head = spec
        .columns
        .iter()
        .map(|c| view! { <th scope="col">{c.label.get(lang)}</th> })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|r| {
            let cells = r
                .cells
                .into_iter()
                .map(|c| view! { <td>{cell_view(c, lang)}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="rows">
            <caption class="visually-hidden">{spec.title.get(lang)}</caption>
            <thead><tr>{head}</tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}

/// Renders one screen's data by its catalogue entry.
#[component]
pub fn ScreenView(data: ScreenData) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let spec = data.screen.spec();
        let notices = (
            data.protection_order.then(|| {
                view! { <p class="notice protection" role="note">{t::PROTECTION_NOTICE.get(lang)}</p> }
            }),
            (data.withheld && spec.layout == Layout::Table)
                .then(|| view! { <p class="notice" role="note">{t::ROWS_WITHHELD.get(lang)}</p> }),
        );
        let body = match spec.layout {
            Layout::Card => match data.rows.first().cloned() {
                Some(row) => card(spec, row, lang),
                None => view! { <p class="no-rows">{t::NO_ROWS.get(lang)}</p> }.into_any(),
            },
            Layout::Table => table(spec, data.rows.clone(), lang),
        };
        view! {
            <section class="screen" data-screen=spec.slug>
                {notices}
                {body}
            </section>
        }
    }
}
