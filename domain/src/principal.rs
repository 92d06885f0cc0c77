//! Who is asking: the [`Principal`] built from verified ID-token claims by one pure mapping.
//! The mapping refuses claims that cannot make a usable identity (no subject, no organisation)
//! instead of guessing, and ignores role names it does not know.

mod texts;
use texts as t;

use crate::lang::Text;
use serde::{Deserialize, Serialize};

/// An organisation's id as the identity provider names it (e.g. `espoo`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OrgId(pub String);

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
    pub fn from_claim(value: &str) -> Option<Role> {
        match value {
            "query-user" => Some(Role::QueryUser),
            "responsible-user" => Some(Role::ResponsibleUser),
            "registry-staff" => Some(Role::RegistryStaff),
            "extraction-responsible-user" => Some(Role::ExtractionResponsibleUser),
            _ => None,
        }
    }

    pub fn claim(self) -> &'static str {
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
    pub subject: String,
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
            subject: subject.to_owned(),
            name: name.to_owned(),
            organisation: OrgId(organisation.to_owned()),
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
        assert_eq!(p.organisation, OrgId("espoo".into()));
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
}
