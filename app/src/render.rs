//! The generic renderers: a catalogue entry plus redacted rows become a card (label–value
//! pairs), a table (stacked label–value blocks on a narrow screen) or a timeline (entries in
//! time order, each with its period). No screen has view code of its own. A link cell becomes
//! a link only when the viewer may open a screen of its target; otherwise it is plain text.

use crate::i18n::{fill, strings, use_lang};
use domain::catalogue::{ColumnSpec, Layout, Sensitivity};
use domain::screen::{Cell, Row};
use domain::{Allowed, Lang, ProtectedAccess, ScreenData};
use leptos::prelude::*;
use leptos_router::components::A;

/// The same local form in every language: `4.3.2001`.
pub fn date_text(d: domain::Date) -> String {
    d.to_finnish()
}

fn cell_view(cell: Cell, lang: Lang, allowed: &Allowed) -> AnyView {
    let s = strings(lang);
    match cell {
        Cell::Empty => view! { <span class="empty">"–"</span> }.into_any(),
        Cell::Text(t) => view! { <span>{t}</span> }.into_any(),
        Cell::Date(d) => view! { <time datetime=d.to_string()>{date_text(d)}</time> }.into_any(),
        Cell::PartialDate(d) => view! { <span>{d.to_string()}</span> }.into_any(),
        Cell::Code(c) => {
            let text = c.text.get(lang).to_owned();
            view! { <span title=c.code.clone()>{text}</span> }.into_any()
        }
        Cell::Number(n) => view! { <span class="num">{n}</span> }.into_any(),
        Cell::Flag(b) => {
            let text = if b { s.yes } else { s.no };
            view! { <span class=if b { "flag on" } else { "flag" }>{text}</span> }.into_any()
        }
        Cell::Link { target, label } => match allowed.entry_screen(target.kind()) {
            Some(screen) => {
                let href = target.screen_path(screen);
                view! { <A href=href>{label}</A> }.into_any()
            }
            None => view! { <span>{label}</span> }.into_any(),
        },
        Cell::Withheld => view! { <span class="withheld">{s.withheld}</span> }.into_any(),
        Cell::Private => {
            view! { <span class="private" title=s.private_owner_hint>{s.private_owner}</span> }
                .into_any()
        }
    }
}

/// A data field's value; a protected value shown to an entitled viewer carries a visible mark,
/// so that it is handled with care on screen and on paper.
fn field_view(
    col: &ColumnSpec,
    row_protected: bool,
    cell: Cell,
    lang: Lang,
    allowed: &Allowed,
) -> AnyView {
    let marked = row_protected
        && col.sensitivity == Sensitivity::Protected
        && !matches!(cell, Cell::Withheld | Cell::Empty);
    let value = cell_view(cell, lang, allowed);
    if marked {
        view! {
            <span class="protected-value">
                {value}" "<span class="protected-mark">{strings(lang).protected_mark}</span>
            </span>
        }
        .into_any()
    } else {
        value
    }
}

fn card(columns: &'static [ColumnSpec], row: Row, lang: Lang, allowed: &Allowed) -> AnyView {
    let protected = row.protected;
    let items = columns
        .iter()
        .zip(row.cells)
        .map(|(col, cell)| {
            view! {
                <div class="field" data-key=col.key>
                    <dt>{col.label.get(lang)}</dt>
                    <dd>{field_view(col, protected, cell, lang, allowed)}</dd>
                </div>
            }
        })
        .collect_view();
    view! { <dl class="card" class:protected=protected>{items}</dl> }.into_any()
}

/// From how many rows a table offers a filter (a building's residents run to hundreds).
const FILTER_FROM: usize = 10;

/// A cell's words as a filter matches them (lower case): what the user reads in it.
fn filter_words(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Text(s) => s.to_lowercase(),
        Cell::Link { label, .. } => label.to_lowercase(),
        Cell::Code(c) => format!("{} {}", c.code, c.text.get(lang)).to_lowercase(),
        Cell::Date(d) => d.to_finnish(),
        Cell::PartialDate(d) => d.to_string(),
        Cell::Number(n) => n.to_string(),
        Cell::Empty | Cell::Flag(_) | Cell::Withheld | Cell::Private => String::new(),
    }
}

/// A table; `caption` names it for screen readers. A long one has a filter above it that
/// hides the rows without the words typed (on this page only: nothing is fetched again).
pub fn table(
    columns: &'static [ColumnSpec],
    rows: Vec<Row>,
    caption: String,
    lang: Lang,
    allowed: &Allowed,
) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="no-rows">{strings(lang).no_rows}</p> }.into_any();
    }
    let head = columns
        .iter()
        .map(|c| view! { <th scope="col">{c.label.get(lang)}</th> })
        .collect_view();
    let filter = RwSignal::new(String::new());
    let filtered = rows.len() >= FILTER_FROM;
    let count = rows.len();
    let matches = |words: &str, typed: &str| {
        typed
            .split_whitespace()
            .all(|w| words.contains(&w.to_lowercase()))
    };
    let all_words: Vec<String> = rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| filter_words(c, lang))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let body = rows
        .into_iter()
        .zip(all_words.clone())
        .map(|(r, words)| {
            let protected = r.protected;
            let shown = move || filter.with(|f| matches(&words, f));
            let cells = columns
                .iter()
                .zip(r.cells)
                .map(|(col, c)| {
                    view! {
                        <td data-key=col.key data-label=col.label.get(lang)>
                            {field_view(col, protected, c, lang, allowed)}
                        </td>
                    }
                })
                .collect_view();
            view! { <tr class:protected=protected hidden=move || !shown()>{cells}</tr> }
        })
        .collect_view();
    let filter_box = filtered.then(|| {
        let label = fill(strings(lang).filter_rows, &[&caption]);
        view! {
            <div class="filter no-print">
                <label for="row-filter">{label}</label>
                <input type="search" id="row-filter" autocomplete="off"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev)) />
                <span class="hint" role="status">
                    {move || {
                        filter.with(|f| {
                            (!f.trim().is_empty()).then(|| {
                                let shown = all_words.iter().filter(|w| matches(w, f)).count();
                                fill(strings(lang).filter_of, &[&shown.to_string(), &count.to_string()])
                            })
                        })
                    }}
                </span>
            </div>
        }
    });
    view! {
        {filter_box}
        <table class="rows">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr>{head}</tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}

fn timeline(
    columns: &'static [ColumnSpec],
    rows: Vec<Row>,
    lang: Lang,
    allowed: &Allowed,
) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="no-rows">{strings(lang).no_rows}</p> }.into_any();
    }
    let at = |key: &str| columns.iter().position(|c| c.key == key);
    let (start, end) = (at("start"), at("end"));
    let entries = rows
        .into_iter()
        .map(|row| {
            let period_cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i).cloned());
            let from = period_cell(start).map(|c| cell_view(c, lang, allowed));
            let until = match period_cell(end) {
                Some(Cell::Empty) | None => {
                    view! { <span class="ongoing">{strings(lang).ongoing}</span> }.into_any()
                }
                Some(c) => cell_view(c, lang, allowed),
            };
            let fields = columns
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != start && Some(*i) != end)
                .filter_map(|(i, col)| row.cells.get(i).cloned().map(|c| (col, c)))
                .map(|(col, c)| {
                    view! {
                        <div class="field" data-key=col.key>
                            <dt>{col.label.get(lang)}</dt>
                            <dd>{field_view(col, row.protected, c, lang, allowed)}</dd>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <li class:protected=row.protected>
                    <p class="period">{from}" – "{until}</p>
                    <dl class="card">{fields}</dl>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="timeline">{entries}</ol> }.into_any()
}

/// Renders one screen's data by its catalogue entry.
#[component]
pub fn ScreenView(data: ScreenData, allowed: Allowed) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let spec = data.screen.spec();
        let withheld = data.has_withheld().then(|| {
            let s = strings(lang);
            let text = match data.protected_access {
                ProtectedAccess::NeedsTwoFactor => s.withheld_notice_two_factor,
                ProtectedAccess::Revealable => s.withheld_notice_revealable,
                ProtectedAccess::Granted
                | ProtectedAccess::Revealed
                | ProtectedAccess::NotInPermit => s.withheld_notice,
            };
            view! { <p class="notice" role="note">{text}</p> }
        });
        let body = match spec.layout {
            Layout::Card => match data.rows.first().cloned() {
                Some(row) => card(spec.columns, row, lang, &allowed),
                None => view! { <p class="no-rows">{strings(lang).no_rows}</p> }.into_any(),
            },
            Layout::Table => table(
                spec.columns,
                data.rows.clone(),
                spec.title.get(lang).to_owned(),
                lang,
                &allowed,
            ),
            Layout::Timeline => timeline(spec.columns, data.rows.clone(), lang, &allowed),
        };
        view! {
            <div class="screen-data" data-screen=spec.slug>
                {withheld}
                {body}
            </div>
        }
        .into_any()
    }
}
