//! Fees (`/fees`): the invoice basis of a month, from the data units disclosed as the audit
//! trail records them, priced as the permit states. A responsible user sees their own
//! organisation's month, per user; registry staff see every organisation's and download the
//! month as CSV for invoicing.

use crate::error::AppError;
use crate::i18n::{strings, text, tr, use_lang};
use crate::pages::inline_error;
use domain::fees::{Fees, FeesReport, InvoiceBasis, euros};
use domain::{Field, Lang, Text};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos_meta::Title;

const TITLE: Text = Text::new("Maksut", "Avgifter", "Fees");
const INTRO: Text = Text::new(
    "Laskutusperuste: luovutetut tietoyksiköt (yksi näyttö yhdestä kohteesta) ja kyselleet käyttäjät kuukausittain, luvassa todetuin hinnoin. Viranomaisen lakisääteiset tehtävät ovat maksuttomia.",
    "Faktureringsgrund: utlämnade uppgiftsenheter (en skärm om ett objekt) och användare som gjort sökningar per månad, till de priser tillståndet anger. Myndigheters lagstadgade uppgifter är avgiftsfria.",
    "Invoice basis: data units disclosed (one screen of one subject) and users who queried, per month, at the prices the permit states. Authorities' statutory tasks are free of charge.",
);
const SHOW: Text = Text::new("Näytä", "Visa", "Show");
const UNITS: Text = Text::new("Tietoyksiköt", "Uppgiftsenheter", "Data units");
const USERS: Text = Text::new("Käyttäjät", "Användare", "Users");
const PRICES: Text = Text::new("Hinnat", "Priser", "Prices");
const TOTAL: Text = Text::new("Yhteensä", "Totalt", "Total");
const ORGANISATION: Text = Text::new("Organisaatio", "Organisation", "Organisation");
const USER: Text = Text::new("Käyttäjä", "Användare", "User");
const CSV: Text = Text::new(
    "Lataa kaikkien laskutusperuste (CSV)",
    "Ladda ner allas faktureringsgrund (CSV)",
    "Download everyone's invoice basis (CSV)",
);
const NONE: Text = Text::new(
    "Ei luovutettuja tietoyksiköitä tässä kuussa.",
    "Inga utlämnade uppgiftsenheter denna månad.",
    "No data units disclosed this month.",
);

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
            <td>{b.permit.clone()}</td>
            <td class="num">{b.units}</td>
            <td class="num">{b.users}</td>
            <td>{prices(b.fees, lang)}</td>
            <td class="num">{format!("{} €", euros(b.total_cents))}</td>
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
                .map(|(name, n)| view! { <tr><th scope="row">{name.clone()}</th><td class="num">{*n}</td></tr> })
                .collect_view();
            view! {
                <table class="manage-table" id="fees-users">
                    <caption>{text(UNITS)}" – "{text(USERS)}</caption>
                    <thead><tr><th scope="col">{text(USER)}</th><th scope="col">{text(UNITS)}</th></tr></thead>
                    <tbody>{lines}</tbody>
                </table>
            }
        });
    let nothing = r.rows.iter().all(|b| b.units == 0);
    let csv = r.registry.then(|| {
        view! { <p><a href=format!("/files/fees/{month}.csv") download>{text(CSV)}</a></p> }
    });
    let rows = r.rows.iter().map(|b| row(b, lang)).collect_view();
    view! {
        <table class="manage-table" id="fees">
            <caption>{text(TITLE)}" "{month.clone()}</caption>
            <thead><tr>
                <th scope="col">{text(ORGANISATION)}</th>
                <th scope="col">{tr(|s| s.col_permit)}</th>
                <th scope="col">{text(UNITS)}</th>
                <th scope="col">{text(USERS)}</th>
                <th scope="col">{text(PRICES)}</th>
                <th scope="col">{text(TOTAL)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {nothing.then(|| view! { <p>{text(NONE)}</p> })}
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
        <Title text=move || format!("{} – {}", TITLE.get(lang.get()), strings(lang.get()).app) />
        <section class="fees">
            <h1>{text(TITLE)}</h1>
            <p class="intro">{text(INTRO)}</p>
            <form class="month" on:submit=move |ev| {
                ev.prevent_default();
                month.set(typed.get());
            }>
                <label for="fees-month">{text(Field::Month.label())}</label>
                <input type="month" id="fees-month" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
                <button type="submit">{text(SHOW)}</button>
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
