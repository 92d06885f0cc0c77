//! Who is asking: the [`Principal`] built from verified ID-token claims by one pure mapping.
//! The mapping refuses claims that cannot make a usable identity (no subject, no organisation)
//! instead of guessing, and ignores role names it does not know.

mod texts;
use texts as t;

use crate::lang::Text;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Text that is not an id of the shape the registry gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an id: 1 to 64 letters, digits or -_.@, the first a letter or digit")]
pub struct NotAnId;

/// Whether `s` has the shape of an id the registry gives (1–64 ASCII letters, digits or
/// `-_.@`, the first a letter or digit): the one rule for organisation and user ids, so either
/// can stand in a record's key (`right/espoo/u-bob`) or a log line without ending or splitting
/// it, and none reads as a path step (`..`) or an option (`-x`).
pub const fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 64 || !b[0].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.' || c == b'@') {
            return false;
        }
        i += 1;
    }
    true
}

thread_local! {
    /// Set while [`decoding_stored`] runs on this thread.
    static STORED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `decode` over what the registry itself stored (its tables, its audit trail): ids in it
/// decode as they were written. An entry written before the id rule (or a stricter one) must
/// still be read: a trail that fails on one old entry would leave a citizen without their
/// answer and verification without its proof, and a table of rights would stop being read.
/// Everything else that decodes an id (a browser's argument, a token) meets the rule.
pub fn decoding_stored<T>(decode: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            STORED.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(STORED.with(|s| s.replace(true)));
    decode()
}

/// An id made only by `parse` (claims, the browser's arguments, anything serde decodes) or
/// `from_static` (an id written in the code), so one that is no id cannot come in from
/// outside; only the registry's own records, read through [`decoding_stored`], keep what
/// they hold.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub struct $name(Cow<'static, str>);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = String::deserialize(d)?;
                if is_id(&s) || STORED.with(std::cell::Cell::get) {
                    Ok($name(Cow::Owned(s)))
                } else {
                    Err(serde::de::Error::custom(NotAnId))
                }
            }
        }

        impl $name {
            /// The id in `s`, or why it is none (no trimming: an id is what it is).
            pub fn parse(s: &str) -> Result<$name, NotAnId> {
                if is_id(s) {
                    Ok($name(Cow::Owned(s.to_owned())))
                } else {
                    Err(NotAnId)
                }
            }

            /// An id written in the code (the demo register, tests). In a `const` the
            /// compiler checks it; anywhere else a malformed literal stops the program at its
            /// first use, never at a user's input, which goes through `parse`.
            pub const fn from_static(s: &'static str) -> $name {
                assert!(is_id(s), concat!("a literal ", $what, " that is not an id"));
                $name(Cow::Borrowed(s))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = NotAnId;
            fn try_from(s: String) -> Result<$name, NotAnId> {
                if is_id(&s) {
                    Ok($name(Cow::Owned(s)))
                } else {
                    Err(NotAnId)
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id_type!(
    /// An organisation's id as the identity provider names it (e.g. `espoo`).
    ///
    /// ```compile_fail
    /// // An id written in the code is checked when it is compiled: a key separator is refused.
    /// const BAD: domain::principal::OrgId = domain::principal::OrgId::from_static("espoo/u-bob");
    /// ```
    ///
    /// ```
    /// const GOOD: domain::principal::OrgId = domain::principal::OrgId::from_static("espoo");
    /// assert_eq!(GOOD.as_str(), "espoo");
    /// ```
    OrgId,
    "organisation id"
);

id_type!(
    /// A user's id: the identity provider's subject (e.g. `u-bob`), the key of their
    /// personal right within their organisation.
    UserId,
    "user id"
);

/// What kind of body an organisation is; the registry's own staff belong to `Registry`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    StateAgency,
    Municipality,
    JointMunicipalAuthority,
    WellbeingServicesCounty,
    Company,
    Registry,
}

impl OrgKind {
    pub fn text(self) -> Text {
        match self {
            OrgKind::StateAgency => t::ORG_KIND_STATE_AGENCY,
            OrgKind::Municipality => t::ORG_KIND_MUNICIPALITY,
            OrgKind::JointMunicipalAuthority => t::ORG_KIND_JOINT_MUNICIPAL_AUTHORITY,
            OrgKind::WellbeingServicesCounty => t::ORG_KIND_WELLBEING_SERVICES_COUNTY,
            OrgKind::Company => t::ORG_KIND_COMPANY,
            OrgKind::Registry => t::ORG_KIND_REGISTRY,
        }
    }
}

/// What a user may do in the service, independent of the organisation's permit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// May query the register within the organisation's permit.
    QueryUser,
    /// Manages the organisation's users (management service).
    ResponsibleUser,
    /// Registry staff handling permits and user rights.
    RegistryStaff,
    /// Orders and receives the municipal extraction service's extractions.
    ExtractionResponsibleUser,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::QueryUser,
        Role::ResponsibleUser,
        Role::RegistryStaff,
        Role::ExtractionResponsibleUser,
    ];

    /// The role named by its [`slug`](Role::slug). (No token's claim is read as a role: what a
    /// user may do comes from their personal right.)
    pub fn from_slug(value: &str) -> Option<Role> {
        match value {
            "query-user" => Some(Role::QueryUser),
            "responsible-user" => Some(Role::ResponsibleUser),
            "registry-staff" => Some(Role::RegistryStaff),
            "extraction-responsible-user" => Some(Role::ExtractionResponsibleUser),
            _ => None,
        }
    }

    /// The role's name in page element ids and test users.
    pub fn slug(self) -> &'static str {
        match self {
            Role::QueryUser => "query-user",
            Role::ResponsibleUser => "responsible-user",
            Role::RegistryStaff => "registry-staff",
            Role::ExtractionResponsibleUser => "extraction-responsible-user",
        }
    }

    /// Roles whose acts need a two-step sign-in whatever the permit says: registry staff
    /// decide permits, personal rights and applications for every organisation.
    pub fn needs_two_factor(self) -> bool {
        matches!(self, Role::RegistryStaff)
    }
}

/// Authentication strength reached at login (the `acr` claim).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Acr {
    /// Password only.
    OneFactor,
    /// Password and a one-time code.
    TwoFactor,
}

impl Acr {
    pub const ONE_FACTOR: &'static str = "urn:dev:loa:1fa";
    pub const TWO_FACTOR: &'static str = "urn:dev:loa:2fa";

    /// An unknown or missing `acr` counts as the weakest level.
    pub fn from_claim(value: Option<&str>) -> Acr {
        match value {
            Some(Acr::TWO_FACTOR) => Acr::TwoFactor,
            _ => Acr::OneFactor,
        }
    }

    /// The level the signed token shows: two factors only when `acr` names them exactly and
    /// the methods (`amr`, RFC 8176) include one beyond something known (a password or PIN).
    /// A provider that says 2FA but lists a password alone has not done it.
    pub fn from_claims(acr: Option<&str>, amr: &[String]) -> Acr {
        let second = amr
            .iter()
            .any(|m| !matches!(m.as_str(), "pwd" | "pin" | "kba"));
        match Acr::from_claim(acr) {
            Acr::TwoFactor if second => Acr::TwoFactor,
            _ => Acr::OneFactor,
        }
    }
}

/// Time left in a session before it ends, as the browser's countdown shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLeft {
    /// Seconds until the idle (or, if sooner, the absolute) limit, counted from the last
    /// recorded use (which may lag the real one a little: never more time than is true).
    pub seconds: i64,
    /// The countdown shows from this many seconds before the end.
    pub warn_from: i64,
    /// Whether the end is the absolute limit, which continuing cannot move.
    pub absolute: bool,
}

/// The claims of a verified ID token that Kysely uses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdClaims {
    pub sub: String,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub acr: Option<String>,
    /// The authentication methods used (`amr`).
    #[serde(default)]
    pub amr: Vec<String>,
}

/// A signed-in user: who the identity provider says they are, for which organisation, and how
/// strongly they signed in. What they may do is not here: it comes from their personal right in
/// the registry's own records, read on every request (a token's claim of a role would decide
/// nothing, so none is read).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub subject: UserId,
    pub name: String,
    pub organisation: OrgId,
    pub organisation_name: String,
    pub acr: Acr,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsError {
    #[error("the ID token has no subject")]
    NoSubject,
    #[error("the ID token names no organisation")]
    NoOrganisation,
    #[error("the ID token's organisation is not an id (1-64 letters, digits or -_.@)")]
    MalformedOrganisation,
    #[error("the ID token's subject is not an id (1-64 letters, digits or -_.@)")]
    MalformedSubject,
}

impl Principal {
    /// The one mapping from claims to a principal.
    pub fn from_claims(claims: &IdClaims) -> Result<Principal, ClaimsError> {
        let subject = claims.sub.trim();
        if subject.is_empty() {
            return Err(ClaimsError::NoSubject);
        }
        let organisation = claims
            .org_id
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .ok_or(ClaimsError::NoOrganisation)?;
        let name = claims
            .name
            .as_deref()
            .or(claims.preferred_username.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(subject);
        Ok(Principal {
            subject: UserId::parse(subject).map_err(|_| ClaimsError::MalformedSubject)?,
            name: name.to_owned(),
            organisation: OrgId::parse(organisation)
                .map_err(|_| ClaimsError::MalformedOrganisation)?,
            organisation_name: claims
                .org_name
                .clone()
                .unwrap_or_else(|| organisation.to_owned()),
            acr: Acr::from_claims(claims.acr.as_deref(), &claims.amr),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_registry_staff_need_a_second_factor_to_act_in_their_role() {
        let mut p = Principal::from_claims(&claims()).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(p.acr, Acr::OneFactor);
        for role in [
            Role::QueryUser,
            Role::ResponsibleUser,
            Role::ExtractionResponsibleUser,
        ] {
            assert!(!role.needs_two_factor(), "{role:?}");
            assert_eq!(p.may_act_as(role), Ok(()), "{role:?}");
        }
        assert_eq!(
            p.may_act_as(Role::RegistryStaff),
            Err(crate::access::Denied::RoleNeedsTwoFactor(
                Role::RegistryStaff
            ))
        );
        p.acr = Acr::TwoFactor;
        assert_eq!(p.may_act_as(Role::RegistryStaff), Ok(()));
    }

    fn claims() -> IdClaims {
        IdClaims {
            sub: "u-bob".into(),
            name: Some("Bob Backman".into()),
            preferred_username: Some("bob".into()),
            org_id: Some("espoo".into()),
            org_name: Some("Espoon kaupunki".into()),
            acr: Some(Acr::ONE_FACTOR.into()),
            amr: vec!["pwd".into()],
        }
    }

    #[test]
    fn maps_claims() -> Result<(), ClaimsError> {
        let p = Principal::from_claims(&claims())?;
        assert_eq!(p.subject, "u-bob");
        assert_eq!(p.name, "Bob Backman");
        assert_eq!(p.organisation, OrgId::from_static("espoo"));
        assert_eq!(p.acr, Acr::OneFactor);
        Ok(())
    }

    #[test]
    fn two_factor_only_from_the_exact_acr() -> Result<(), ClaimsError> {
        let mut c = claims();
        c.acr = Some(Acr::TWO_FACTOR.into());
        assert_eq!(
            Principal::from_claims(&c)?.acr,
            Acr::OneFactor,
            "2FA claimed with a password alone"
        );
        c.amr = vec!["pwd".into(), "otp".into()];
        assert_eq!(Principal::from_claims(&c)?.acr, Acr::TwoFactor);
        c.amr = Vec::new();
        assert_eq!(
            Principal::from_claims(&c)?.acr,
            Acr::OneFactor,
            "no methods named"
        );
        c.amr = vec!["hwk".into()];
        assert_eq!(Principal::from_claims(&c)?.acr, Acr::TwoFactor);
        c.acr = Some(Acr::ONE_FACTOR.into());
        assert_eq!(
            Principal::from_claims(&c)?.acr,
            Acr::OneFactor,
            "amr alone is not acr"
        );
        c.amr = vec!["pwd".into(), "otp".into()];
        c.acr = Some("urn:dev:loa:2fa-ish".into());
        assert_eq!(Principal::from_claims(&c)?.acr, Acr::OneFactor);
        c.acr = None;
        assert_eq!(Principal::from_claims(&c)?.acr, Acr::OneFactor);
        Ok(())
    }

    #[test]
    fn refuses_claims_without_subject_or_organisation() {
        let mut c = claims();
        c.sub = " ".into();
        assert_eq!(Principal::from_claims(&c), Err(ClaimsError::NoSubject));
        let mut c = claims();
        c.org_id = None;
        assert_eq!(Principal::from_claims(&c), Err(ClaimsError::NoOrganisation));
    }

    #[test]
    fn name_falls_back_to_username_then_subject() -> Result<(), ClaimsError> {
        let mut c = claims();
        c.name = None;
        assert_eq!(Principal::from_claims(&c)?.name, "bob");
        c.preferred_username = None;
        assert_eq!(Principal::from_claims(&c)?.name, "u-bob");
        Ok(())
    }

    /// Every way text can fail to be an id, and the edges of the ones that are: a key's
    /// separator (`/` in `right/espoo/u-bob`, the store's unit separator), a path step, white
    /// space, control and non-ASCII characters, empty, 65 characters.
    #[test]
    fn an_id_is_only_what_can_stand_in_a_key() {
        let good = [
            "espoo",
            "u-bob",
            "bob@espoo.example",
            "isannointi-oy",
            "0245437-2",
            "a_b.c",
        ];
        let longest = "u".repeat(64);
        for s in good.iter().copied().chain([longest.as_str()]) {
            assert_eq!(OrgId::parse(s).map(|o| o.to_string()), Ok(s.to_owned()));
            assert_eq!(UserId::parse(s).map(|u| u.to_string()), Ok(s.to_owned()));
        }
        let too_long = "u".repeat(65);
        let bad = [
            ".espoo",
            "-u",
            "@espoo",
            "_x",
            "",
            " ",
            "espoo/u-bob",
            "..",
            "../espoo",
            "esp\u{1f}oo",
            "esp\u{0}oo",
            " espoo",
            "espoo ",
            "u bob",
            "u\tbob",
            "u\nbob",
            "Äänekoski",
            "u-böb",
            "u:bob",
            "u+bob",
            "u%2fbob",
            too_long.as_str(),
        ];
        for s in bad {
            assert_eq!(OrgId::parse(s), Err(NotAnId), "{s:?}");
            assert_eq!(UserId::parse(s), Err(NotAnId), "{s:?}");
            assert!(!is_id(s), "{s:?}");
        }
    }

    /// A browser's argument naming no id does not decode: serde goes through the rule too.
    #[test]
    fn ids_decode_only_through_the_parser() {
        let ok: Result<OrgId, _> = serde_json::from_str("\"espoo\"");
        assert_eq!(ok.ok(), Some(OrgId::from_static("espoo")));
        for bad in ["\"espoo/u-bob\"", "\"\"", "\"a b\""] {
            assert!(serde_json::from_str::<OrgId>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<UserId>(bad).is_err(), "{bad}");
        }
        // The registry's own records decode as written, whatever rule came later; the rule
        // holds again when their decoding ends.
        let old = decoding_stored(|| serde_json::from_str::<OrgId>("\"Espoon kaupunki\""));
        assert_eq!(
            old.ok().map(|o| o.to_string()).as_deref(),
            Some("Espoon kaupunki")
        );
        assert!(serde_json::from_str::<UserId>("\"u bob\"").is_err());
        let panicked = std::panic::catch_unwind(|| {
            decoding_stored(|| std::panic::resume_unwind(Box::new("mid-decode")))
        });
        assert!(panicked.is_err());
        assert!(
            serde_json::from_str::<UserId>("\"u bob\"").is_err(),
            "restored after a panic"
        );
        // Written as the plain text it was, so stored records need no migration.
        assert_eq!(
            serde_json::to_string(&UserId::from_static("u-bob"))
                .ok()
                .as_deref(),
            Some("\"u-bob\"")
        );
    }

    #[test]
    fn claims_with_an_organisation_or_subject_that_is_no_id_make_no_principal() {
        let mut c = claims();
        c.org_id = Some("espoo/u-x".into());
        assert_eq!(
            Principal::from_claims(&c),
            Err(ClaimsError::MalformedOrganisation)
        );
        let mut c = claims();
        c.sub = "u bob".into();
        assert_eq!(
            Principal::from_claims(&c),
            Err(ClaimsError::MalformedSubject)
        );
    }

    #[test]
    fn a_role_is_named_by_its_slug_and_back() {
        for role in Role::ALL {
            assert_eq!(Role::from_slug(role.slug()), Some(role));
        }
        let slugs: std::collections::BTreeSet<_> = Role::ALL.iter().map(|r| r.slug()).collect();
        assert_eq!(slugs.len(), Role::ALL.len());
        assert_eq!(Role::from_slug("admin"), None);
        assert_eq!(Role::from_slug(""), None);
    }
}
