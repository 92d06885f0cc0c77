//! Fees (`/fees`): the invoice basis of a month, from the data units disclosed as the audit
//! trail records them, priced as the permit states. A responsible user sees their own
//! organisation's month, per user; registry staff see every organisation's and download the
//! month as t::CSV for invoicing.

mod texts;
use texts as t;

use crate::error::AppError;
use crate::i18n::{strings, text, tr, use_lang};
use crate::pages::inline_error;
use domain::fees::{Fees, FeesReport, InvoiceBasis, euros};
use domain::{Field, Lang};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos_meta::Title;

/// The invoice basis for `month` (`2026-11`; blank: this month).
#[server(prefix = "/api", endpoint = "fees", input = Json)]
pub async fn load_fees(month: String) -> Result<FeesReport, AppError> {
    let cx = crate::cx::Cx::current()?;
    let month = if month.trim().is_empty() {
        None
    } else {
        Some(
            domain::fees::Month::parse(&month)
                .map_err(|e| AppError::Invalid(vec![e]).with_status())?,
        )
    };
    cx.engine
        .fees(&cx.actor, month)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

fn prices(fees: Fees, lang: RwSignal<Lang>) -> impl Fn() -> String {
    move || fees.describe(lang.get())
}

fn row(b: &InvoiceBasis, lang: RwSignal<Lang>) -> AnyView {
    view! {
        <tr>
            <th scope="row">{b.name.clone()}</th>
            <td data-label=tr(|s| s.col_permit)>{b.permit.clone()}</td>
            <td class="num" data-label=text(t::UNITS)>{b.units}</td>
            <td class="num" data-label=text(t::USERS)>{b.users}</td>
            <td data-label=text(t::PRICES)>{prices(b.fees, lang)}</td>
            <td class="num" data-label=text(t::TOTAL)>{format!("{} €", euros(b.total_cents))}</td>
        </tr>
    }
    .into_any()
}

fn report(r: FeesReport, lang: RwSignal<Lang>) -> AnyView {
    let month = r.month.map(|m| m.to_string()).unwrap_or_default();
    let per_user = (!r.registry)
        .then(|| r.rows.first().cloned())
        .flatten()
        .map(|b| {
            let lines = b
                .per_user
                .iter()
                .map(|(name, n)| view! { <tr><th scope="row">{name.clone()}</th><td class="num" data-label=text(t::UNITS)>{*n}</td></tr> })
                .collect_view();
            view! {
                <table class="manage-table" id="fees-users">
                    <caption>{text(t::UNITS)}" – "{text(t::USERS)}</caption>
                    <thead><tr><th scope="col">{text(t::USER)}</th><th scope="col">{text(t::UNITS)}</th></tr></thead>
                    <tbody>{lines}</tbody>
                </table>
            }
        });
    let nothing = r.rows.iter().all(|b| b.units == 0);
    let csv = r.registry.then(|| {
        view! { <p><a href=format!("/files/fees/{month}.csv") download>{text(t::CSV)}</a></p> }
    });
    let rows = r.rows.iter().map(|b| row(b, lang)).collect_view();
    view! {
        <table class="manage-table" id="fees">
            <caption>{text(t::TITLE)}" "{month.clone()}</caption>
            <thead><tr>
                <th scope="col">{text(t::ORGANISATION)}</th>
                <th scope="col">{tr(|s| s.col_permit)}</th>
                <th scope="col">{text(t::UNITS)}</th>
                <th scope="col">{text(t::USERS)}</th>
                <th scope="col">{text(t::PRICES)}</th>
                <th scope="col">{text(t::TOTAL)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {nothing.then(|| view! { <p>{text(t::NONE)}</p> })}
        {per_user}
        {csv}
    }
    .into_any()
}

#[component]
pub fn FeesPage() -> impl IntoView {
    let lang = use_lang();
    let typed = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let data = LocalResource::new(move || load_fees(month.get()));
    view! {
        <Title text=move || format!("{} – {}", t::TITLE.get(lang.get()), strings(lang.get()).app) />
        <section class="fees">
            <h1>{text(t::TITLE)}</h1>
            <p class="intro">{text(t::INTRO)}</p>
            <form class="month" on:submit=move |ev| {
                ev.prevent_default();
                month.set(typed.get());
            }>
                <label for="fees-month">{text(Field::Month.label())}</label>
                <input type="month" id="fees-month" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
                <button type="submit">{text(t::SHOW)}</button>
            </form>
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(r) => report(r, lang),
                    Err(e) => inline_error(e),
                })}
            </Transition>
        </section>
    }
}
