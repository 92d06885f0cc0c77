//! The UI language and the UI's strings. One table per language (`i18n/fi.rs`, `sv.rs`,
//! `en.rs`), each a [`Strings`] value: a missing translation is a missing struct field and
//! fails the build. Texts that are register data (screen titles, column labels, code values)
//! live with the catalogue and the code lists in `domain`.
//!
//! The language is a signal in context, set from the `kysely_lang` cookie or the browser's
//! languages on the server and read back from `<html lang>` when the page hydrates, so server
//! and browser start from the same value.

mod en;
mod fi;
mod sv;

use domain::Lang;
use leptos::prelude::*;

/// Every string the application's own pages show, in one language.
#[derive(Debug)]
pub struct Strings {
    pub app: &'static str,
    pub tagline: &'static str,
    pub skip: &'static str,
    pub sign_out: &'static str,
    pub language: &'static str,
    pub purpose: &'static str,
    pub new_search: &'static str,
    pub recent: &'static str,
    pub search_title: &'static str,
    pub search_kinds: &'static str,
    pub search: &'static str,
    pub searching: &'static str,
    pub optional: &'static str,
    pub well_formed: &'static str,
    pub no_searches: &'static str,
    pub not_found: &'static str,
    pub no_such_street: &'static str,
    pub did_you_mean: &'static str,
    pub several: &'static str,
    pub too_many: &'static str,
    pub hits: &'static str,
    pub hetu_changed: &'static str,
    pub hint_hetu: &'static str,
    pub hint_satu: &'static str,
    pub hint_surname: &'static str,
    pub hint_first_names: &'static str,
    pub hint_birth_date: &'static str,
    pub hint_municipality: &'static str,
    pub hint_street: &'static str,
    pub hint_house_number: &'static str,
    pub hint_dwelling: &'static str,
    pub hint_postal_code: &'static str,
    pub hint_building_id: &'static str,
    pub hint_old_building_id: &'static str,
    pub hint_property_id: &'static str,
    pub hint_case_ref: &'static str,
    pub purpose_choose: &'static str,
    pub purpose_pick: &'static str,
    pub screens: &'static str,
    pub deceased: &'static str,
    pub demolished: &'static str,
    pub protection_notice: &'static str,
    pub withheld: &'static str,
    pub private_owner: &'static str,
    pub private_owner_hint: &'static str,
    pub withheld_notice: &'static str,
    pub no_rows: &'static str,
    pub filter_rows: &'static str,
    pub filter_of: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub ongoing: &'static str,
    pub print: &'static str,
    pub print_all: &'static str,
    pub print_title: &'static str,
    pub printed_by: &'static str,
    pub retrieved: &'static str,
    pub confidential: &'static str,
    pub loading: &'static str,
    pub back_to_search: &'static str,
    pub back_to_screens: &'static str,
    pub no_screens: &'static str,
    pub kind_person: &'static str,
    pub kind_building: &'static str,
    pub kind_dwelling: &'static str,
    pub kind_property: &'static str,
    pub no_permission: &'static str,
    pub denial_logged: &'static str,
    pub reference: &'static str,
    pub sign_in_again: &'static str,
    pub not_found_title: &'static str,
    pub err_unauthenticated: &'static str,
    pub err_not_found: &'static str,
    pub err_unavailable: &'static str,
    pub err_internal: &'static str,
    pub err_network: &'static str,
    pub err_bad_request: &'static str,
    pub err_too_many: &'static str,
    pub denied_no_query_right: &'static str,
    pub denied_no_permit: &'static str,
    pub denied_permit_expired: &'static str,
    pub denied_permit_suspended: &'static str,
    pub denied_screen: &'static str,
    pub denied_search: &'static str,
    pub denied_purpose_not_in_permit: &'static str,
    pub denied_purpose_required: &'static str,
    pub denied_not_for_purpose: &'static str,
    pub denied_two_factor_required: &'static str,
    pub denied_screen_two_factor: &'static str,
    pub denied_role_two_factor: &'static str,
    pub denied_queries_blocked: &'static str,
    pub denied_no_right: &'static str,
    pub denied_right_not_active: &'static str,
    pub denied_right_expired: &'static str,
    pub denied_user_blocked: &'static str,
    pub denied_screen_not_in_right: &'static str,
    pub ask_responsible: &'static str,
    pub protection_notice_granted: &'static str,
    pub protection_notice_two_factor: &'static str,
    pub withheld_notice_two_factor: &'static str,
    pub protected_mark: &'static str,
    pub col_business_id: &'static str,
    pub col_kind: &'static str,
    pub withheld_notice_revealable: &'static str,
    pub reveal_button: &'static str,
    pub protection_notice_revealed: &'static str,
    pub closed_screens: &'static str,
    pub closed_not_in_permit: &'static str,
    pub closed_not_in_right: &'static str,
    pub closed_not_for_purpose: &'static str,
    pub closed_two_factor: &'static str,
    pub reveals_title: &'static str,
    pub col_when: &'static str,
    pub col_user: &'static str,
    pub col_screen: &'static str,
    pub col_reason: &'static str,
    pub denied_reveal_not_in_permit: &'static str,
    pub hint_reason: &'static str,
    pub denied_permit_ended: &'static str,
    pub denied_permit_not_yet_valid: &'static str,
    pub denied_not_responsible: &'static str,
    pub denied_registry_only: &'static str,
    pub denied_own_right: &'static str,
    pub denied_reason_required: &'static str,
    pub denied_no_such_record: &'static str,
    pub denied_not_applicant: &'static str,
    pub denied_already_applied: &'static str,
    pub denied_role_not_proposable: &'static str,
    pub denied_too_many_open: &'static str,
    pub library: &'static str,
    pub eservice: &'static str,
    pub denied_not_from_state: &'static str,
    pub denied_not_restorable: &'static str,
    pub denied_too_many_today: &'static str,
    pub denied_too_many_confirmations: &'static str,
    pub denied_confirmation_invalid: &'static str,
    pub manage: &'static str,
    pub manage_title: &'static str,
    pub manage_users: &'static str,
    pub manage_permits: &'static str,
    pub manage_own_permit: &'static str,
    pub manage_intro: &'static str,
    pub col_name: &'static str,
    pub col_organisation: &'static str,
    pub col_roles: &'static str,
    pub col_state: &'static str,
    pub col_valid: &'static str,
    pub col_actions: &'static str,
    pub col_permit: &'static str,
    pub col_purposes: &'static str,
    pub until_further_notice: &'static str,
    pub history: &'static str,
    pub no_history: &'static str,
    pub history_latest_of: &'static str,
    pub no_actions: &'static str,
}

/// The table of a language.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Fi => &fi::STRINGS,
        Lang::Sv => &sv::STRINGS,
        Lang::En => &en::STRINGS,
    }
}

/// A template with `{}` placeholders filled in order.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push_str(args.get(i).copied().unwrap_or(""));
        out.push_str(part);
    }
    out
}

/// The current language, in context.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

pub const LANG_COOKIE: &str = "kysely_lang";

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<I18n>().map_or_else(|| RwSignal::new(Lang::Fi), |i| i.0)
}

/// A reactive string of the current language's table.
pub fn tr(pick: fn(&Strings) -> &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync {
    let lang = use_lang();
    move || pick(strings(lang.get()))
}

/// A reactive catalogue text (screen titles, labels) in the current language.
pub fn text(t: domain::Text) -> impl Fn() -> &'static str + Copy + Send + Sync {
    let lang = use_lang();
    move || t.get(lang.get())
}

/// The language the page starts in.
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<Lang>().unwrap_or_default()
    }
    #[cfg(all(not(feature = "ssr"), feature = "hydrate"))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }
    #[cfg(all(not(feature = "ssr"), not(feature = "hydrate")))]
    {
        Lang::default()
    }
}

/// Remembers the choice for a year (the cookie holds only the language tag).
pub fn remember(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = doc.set_cookie(&format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.tag()
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

/// Today's date in Finland by the browser's clock, for validation as the user types (the
/// server validates again with its own clock). Off the browser (server rendering, tests) this
/// is far in the future, so no typed date is refused as "future" before the server decides.
pub fn browser_today() -> domain::Date {
    #[cfg(feature = "hydrate")]
    {
        domain::Timestamp(js_sys::Date::now() as i64).date_in_finland()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        domain::Date::new(9999, 12, 31).unwrap_or_else(|_| domain::Timestamp(0).date_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of a table, by reflection through `Debug` (the struct has only strings).
    fn values(s: &Strings) -> Vec<(String, String)> {
        let debug = format!("{s:#?}");
        debug
            .lines()
            .filter_map(|l| l.trim().split_once(": "))
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    v.trim_end_matches(',').trim_matches('"').to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn every_string_is_translated_and_filled_in() {
        let [fi, sv, en] = Lang::ALL.map(|l| values(strings(l)));
        assert!(fi.len() > 50, "{}", fi.len());
        assert_eq!(fi.len(), sv.len());
        assert_eq!(fi.len(), en.len());
        // Words that are the same in more than one language.
        let shared = ["app", "tagline_short"];
        for ((f, s), e) in fi.iter().zip(&sv).zip(&en) {
            assert_eq!(f.0, s.0);
            assert_eq!(f.0, e.0);
            for v in [&f.1, &s.1, &e.1] {
                assert!(!v.trim().is_empty(), "{} is empty", f.0);
            }
            if !shared.contains(&f.0.as_str()) {
                assert!(
                    f.1 != s.1 && f.1 != e.1,
                    "{} is not translated: {}",
                    f.0,
                    f.1
                );
            }
            // Templates take the same arguments in every language.
            let holes = |t: &str| t.matches("{}").count();
            assert_eq!(holes(&f.1), holes(&s.1), "{}", f.0);
            assert_eq!(holes(&f.1), holes(&e.1), "{}", f.0);
        }
    }

    #[test]
    fn templates_fill_in_order() {
        assert_eq!(fill("a {} b {}.", &["1", "2"]), "a 1 b 2.");
        assert_eq!(fill("no holes", &["x"]), "no holes");
        assert_eq!(fill("{} and {}", &["only"]), "only and ");
    }
}
