//! The access policy: who may see which data group for which purpose. [`authorize`] is a pure
//! function of the actor, the organisation's permit, the request and the subject's flags; it is
//! the only maker of a [`Grant`], which has private fields and no `Default` or `Deserialize`, so
//! engine code that demands a `&Grant` cannot be reached without passing the policy.

use crate::catalogue::ScreenId;
use crate::date::Date;
use crate::lang::{Lang, Text};
use crate::principal::{OrgId, Principal, Role};
use crate::screen::SubjectRef;
use serde::{Deserialize, Serialize};

/// A set of register data a permit can grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DataGroup {
    PersonBasic,
    PersonAddress,
    Building,
    Residents,
}

/// Why the data is needed, recorded with every query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Purpose {
    /// Crime prevention and investigation.
    PoliceInvestigation,
    /// Statutory municipal tasks.
    MunicipalTasks,
    /// Property and resident management.
    PropertyManagement,
    /// The registry's own maintenance of the register.
    RegisterMaintenance,
}

impl Purpose {
    pub fn text(self) -> Text {
        match self {
            Purpose::PoliceInvestigation => {
                Text::new("Rikostutkinta", "Brottsutredning", "Criminal investigation")
            }
            Purpose::MunicipalTasks => Text::new(
                "Kunnan lakisääteiset tehtävät",
                "Kommunens lagstadgade uppgifter",
                "Statutory municipal tasks",
            ),
            Purpose::PropertyManagement => {
                Text::new("Isännöinti", "Fastighetsförvaltning", "Property management")
            }
            Purpose::RegisterMaintenance => Text::new(
                "Rekisterin ylläpito",
                "Registerföring",
                "Register maintenance",
            ),
        }
    }
}

/// An organisation's data permit (tietolupa).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permit {
    pub organisation: OrgId,
    pub groups: Vec<DataGroup>,
    pub purposes: Vec<Purpose>,
    /// May see data covered by a protection order (authorities with an official need).
    pub protected_data: bool,
    /// Last valid day, or `None` for "until further notice".
    pub valid_until: Option<Date>,
    /// Suspended by the registry (e.g. suspected misuse).
    pub suspended: bool,
}

/// What is being asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// Look up a person by identity code.
    SearchPerson,
    /// Open one screen of one subject.
    Screen {
        screen: ScreenId,
        subject: SubjectRef,
    },
}

impl Request {
    pub fn group(&self) -> DataGroup {
        match self {
            Request::SearchPerson => DataGroup::PersonBasic,
            Request::Screen { screen, .. } => screen.spec().group,
        }
    }
}

/// What the policy needs to know about the subject before any data is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectFlags {
    pub protection_order: bool,
}

/// Where a request comes from, for the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Who {
    User(Principal),
    /// A background task of the service itself; audited, never granted register screens.
    System {
        task: String,
    },
}

/// The one who acts: a user or a system task, with the request's id and chosen purpose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub who: Who,
    pub request_id: String,
    pub purpose: Option<Purpose>,
    /// The client address as the server saw it.
    pub source: String,
}

impl Actor {
    pub fn user(principal: Principal, request_id: String, source: String) -> Actor {
        Actor {
            who: Who::User(principal),
            request_id,
            purpose: None,
            source,
        }
    }

    /// A service task. Its name says that it is not a user.
    pub fn system(task: &str) -> Actor {
        Actor {
            who: Who::System {
                task: task.to_owned(),
            },
            request_id: format!("system-{task}"),
            purpose: None,
            source: "local".into(),
        }
    }

    pub fn with_purpose(mut self, purpose: Purpose) -> Actor {
        self.purpose = Some(purpose);
        self
    }

    pub fn principal(&self) -> Option<&Principal> {
        match &self.who {
            Who::User(p) => Some(p),
            Who::System { .. } => None,
        }
    }

    pub fn organisation(&self) -> Option<&OrgId> {
        self.principal().map(|p| &p.organisation)
    }
}

/// Proof that [`authorize`] allowed one request.
#[derive(Debug, PartialEq, Eq)]
pub struct Grant {
    request: Request,
    purpose: Purpose,
    protected_data: bool,
    subject_protected: bool,
}

impl Grant {
    pub fn request(&self) -> Request {
        self.request
    }
    pub fn purpose(&self) -> Purpose {
        self.purpose
    }
    /// May this viewer see data covered by a protection order?
    pub fn protected_data(&self) -> bool {
        self.protected_data
    }
    /// Must the subject's own location data be withheld from this viewer?
    pub fn withhold_subject_location(&self) -> bool {
        self.subject_protected && !self.protected_data
    }
}

/// Why a request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Denied {
    #[error("service tasks cannot open register screens")]
    NotAUser,
    #[error("the user has no personal query right")]
    NoQueryRight,
    #[error("the organisation has no data permit")]
    NoPermit,
    #[error("the organisation's data permit has expired")]
    PermitExpired,
    #[error("the organisation's data permit is suspended")]
    PermitSuspended,
    #[error("the data permit does not cover this data")]
    NotInPermit(DataGroup),
    #[error("the purpose of use is not in the data permit")]
    PurposeNotInPermit,
    #[error("a purpose of use must be chosen")]
    PurposeRequired,
}

impl Denied {
    /// What the user reads, and what they can do about it.
    pub fn message(self, lang: Lang) -> &'static str {
        let t = match self {
            Denied::NotAUser | Denied::NoQueryRight => Text::new(
                "Sinulla ei ole henkilökohtaista kyselyoikeutta. Pyydä sitä organisaatiosi vastuukäyttäjältä.",
                "Du har ingen personlig förfrågningsrätt. Be din organisations ansvariga användare om den.",
                "You have no personal query right. Ask your organisation's responsible user for one.",
            ),
            Denied::NoPermit => Text::new(
                "Organisaatiollasi ei ole tietolupaa väestötietojärjestelmään.",
                "Din organisation har inget datatillstånd för befolkningsdatasystemet.",
                "Your organisation has no data permit for the population register.",
            ),
            Denied::PermitExpired => Text::new(
                "Organisaatiosi tietolupa on päättynyt. Vastuukäyttäjä voi hakea uutta lupaa.",
                "Din organisations datatillstånd har gått ut. Den ansvariga användaren kan ansöka om ett nytt.",
                "Your organisation's data permit has expired. Your responsible user can apply for a new one.",
            ),
            Denied::PermitSuspended => Text::new(
                "Organisaatiosi tietolupa on keskeytetty. Ota yhteys vastuukäyttäjään.",
                "Din organisations datatillstånd har avbrutits. Kontakta den ansvariga användaren.",
                "Your organisation's data permit is suspended. Contact your responsible user.",
            ),
            Denied::NotInPermit(_) => Text::new(
                "Organisaatiosi tietolupa ei kata näitä tietoja.",
                "Din organisations datatillstånd omfattar inte de här uppgifterna.",
                "Your organisation's data permit does not cover this data.",
            ),
            Denied::PurposeNotInPermit => Text::new(
                "Valittu käyttötarkoitus ei kuulu organisaatiosi tietolupaan.",
                "Det valda användningsändamålet ingår inte i din organisations datatillstånd.",
                "The chosen purpose of use is not in your organisation's data permit.",
            ),
            Denied::PurposeRequired => Text::new(
                "Valitse käyttötarkoitus ennen hakua.",
                "Välj användningsändamål före sökningen.",
                "Choose a purpose of use before searching.",
            ),
        };
        t.get(lang)
    }
}

/// Decides one request. `today` is the caller's clock's date.
pub fn authorize(
    actor: &Actor,
    permit: Option<&Permit>,
    request: Request,
    flags: SubjectFlags,
    today: Date,
) -> Result<Grant, Denied> {
    let principal = actor.principal().ok_or(Denied::NotAUser)?;
    if !(principal.has_role(Role::QueryUser) || principal.has_role(Role::RegistryStaff)) {
        return Err(Denied::NoQueryRight);
    }
    let permit = permit.ok_or(Denied::NoPermit)?;
    if permit.suspended {
        return Err(Denied::PermitSuspended);
    }
    if permit.valid_until.is_some_and(|last| last < today) {
        return Err(Denied::PermitExpired);
    }
    let group = request.group();
    if !permit.groups.contains(&group) {
        return Err(Denied::NotInPermit(group));
    }
    let purpose = match (actor.purpose, permit.purposes.as_slice()) {
        (Some(p), granted) if granted.contains(&p) => p,
        (Some(_), _) => return Err(Denied::PurposeNotInPermit),
        (None, [only]) => *only,
        (None, _) => return Err(Denied::PurposeRequired),
    };
    // A protection order never denies the screen itself: the person's identity and the fact of
    // the order may be shown; the grant tells redaction to withhold the location data.
    Ok(Grant {
        request,
        purpose,
        protected_data: permit.protected_data,
        subject_protected: flags.protection_order,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::Acr;
    use crate::screen::PersonId;

    fn today() -> Date {
        Date::new(2026, 11, 27).unwrap_or_else(|e| unreachable!("{e}"))
    }

    fn user(roles: &[Role], org: &str) -> Actor {
        Actor::user(
            Principal {
                subject: "u".into(),
                name: "U".into(),
                organisation: OrgId(org.into()),
                organisation_name: org.into(),
                roles: roles.to_vec(),
                acr: Acr::OneFactor,
            },
            "r1".into(),
            "127.0.0.1".into(),
        )
    }

    fn permit(groups: &[DataGroup], purposes: &[Purpose]) -> Permit {
        Permit {
            organisation: OrgId("espoo".into()),
            groups: groups.to_vec(),
            purposes: purposes.to_vec(),
            protected_data: false,
            valid_until: None,
            suspended: false,
        }
    }

    fn basic() -> Request {
        Request::Screen {
            screen: ScreenId::PersonBasic,
            subject: SubjectRef::Person(PersonId(7)),
        }
    }

    #[test]
    fn policy_matrix() {
        let q = user(&[Role::QueryUser], "espoo");
        let one = permit(&[DataGroup::PersonBasic], &[Purpose::MunicipalTasks]);
        let two = permit(
            &[DataGroup::PersonBasic],
            &[Purpose::MunicipalTasks, Purpose::PropertyManagement],
        );
        let flags = SubjectFlags::default();
        type Case = (
            &'static str,
            Actor,
            Option<Permit>,
            Request,
            Result<Purpose, Denied>,
        );
        let cases: Vec<Case> = vec![
            (
                "allowed with the only purpose",
                q.clone(),
                Some(one.clone()),
                basic(),
                Ok(Purpose::MunicipalTasks),
            ),
            (
                "search uses the basic group",
                q.clone(),
                Some(one.clone()),
                Request::SearchPerson,
                Ok(Purpose::MunicipalTasks),
            ),
            (
                "system task",
                Actor::system("job"),
                Some(one.clone()),
                basic(),
                Err(Denied::NotAUser),
            ),
            (
                "no role",
                user(&[Role::ResponsibleUser], "espoo"),
                Some(one.clone()),
                basic(),
                Err(Denied::NoQueryRight),
            ),
            ("no permit", q.clone(), None, basic(), Err(Denied::NoPermit)),
            (
                "group not in permit",
                q.clone(),
                Some(one.clone()),
                Request::Screen {
                    screen: ScreenId::PersonAddresses,
                    subject: SubjectRef::Person(PersonId(7)),
                },
                Err(Denied::NotInPermit(DataGroup::PersonAddress)),
            ),
            (
                "purpose must be chosen among several",
                q.clone(),
                Some(two.clone()),
                basic(),
                Err(Denied::PurposeRequired),
            ),
            (
                "chosen purpose granted",
                q.clone().with_purpose(Purpose::PropertyManagement),
                Some(two.clone()),
                basic(),
                Ok(Purpose::PropertyManagement),
            ),
            (
                "chosen purpose not granted",
                q.clone().with_purpose(Purpose::PoliceInvestigation),
                Some(two),
                basic(),
                Err(Denied::PurposeNotInPermit),
            ),
            (
                "expired yesterday",
                q.clone(),
                Some(Permit {
                    valid_until: Some(today().add_days(-1)),
                    ..one.clone()
                }),
                basic(),
                Err(Denied::PermitExpired),
            ),
            (
                "valid through today",
                q.clone(),
                Some(Permit {
                    valid_until: Some(today()),
                    ..one.clone()
                }),
                basic(),
                Ok(Purpose::MunicipalTasks),
            ),
            (
                "suspended",
                q,
                Some(Permit {
                    suspended: true,
                    ..one
                }),
                basic(),
                Err(Denied::PermitSuspended),
            ),
        ];
        for (name, actor, permit, request, expected) in cases {
            let got =
                authorize(&actor, permit.as_ref(), request, flags, today()).map(|g| g.purpose());
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn grant_carries_the_protected_data_right() {
        let q = user(&[Role::QueryUser], "poliisi");
        let p = Permit {
            protected_data: true,
            ..permit(&[DataGroup::PersonBasic], &[Purpose::PoliceInvestigation])
        };
        let flags = SubjectFlags {
            protection_order: true,
        };
        let g = authorize(&q, Some(&p), basic(), flags, today());
        assert_eq!(
            g.map(|g| (g.protected_data(), g.withhold_subject_location())),
            Ok((true, false))
        );
        let p = Permit {
            protected_data: false,
            ..p
        };
        let g = authorize(&q, Some(&p), basic(), flags, today());
        assert_eq!(
            g.map(|g| (g.protected_data(), g.withhold_subject_location())),
            Ok((false, true)),
            "an order does not deny, it redacts"
        );
        let g = authorize(&q, Some(&p), basic(), SubjectFlags::default(), today());
        assert_eq!(g.map(|g| g.withhold_subject_location()), Ok(false));
    }

    #[test]
    fn every_denial_has_a_message_in_every_language() {
        let all = [
            Denied::NotAUser,
            Denied::NoQueryRight,
            Denied::NoPermit,
            Denied::PermitExpired,
            Denied::PermitSuspended,
            Denied::NotInPermit(DataGroup::Building),
            Denied::PurposeNotInPermit,
            Denied::PurposeRequired,
        ];
        for d in all {
            for lang in Lang::ALL {
                assert!(d.message(lang).len() > 10);
            }
        }
    }
}
