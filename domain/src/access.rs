//! The access policy: who may see which screen or search for which purpose. [`authorize`] is a
//! pure function of the actor, the organisation's permit, the request and the date; it is
//! the only maker of a [`Grant`], which has private fields and no `Default` or `Deserialize`, so
//! engine code that demands a `&Grant` cannot be reached without passing the policy.

use crate::catalogue::{ProtectedRows, ScreenId, Sensitivity};
use crate::date::Date;
use crate::principal::{Acr, OrgId, Principal, Role, UserId};
use crate::search::SearchKind;
use crate::subject::{SubjectKind, SubjectRef};
use crate::validation::{Field, FieldError};
use serde::{Deserialize, Serialize};

pub use crate::catalogue::DataGroup;
pub use crate::disclosure::ProtectedAccess;
pub use crate::purpose::Purpose;

/// A case reference (diary number, case id) given with the purpose of use and recorded with
/// every audit entry made under it: printable text of at most [`CaseRef::MAX`] characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRef(String);

impl CaseRef {
    pub const MAX: u16 = 40;

    /// Reads what the user typed: `None` when it is blank.
    pub fn parse(input: &str) -> Result<Option<CaseRef>, FieldError> {
        crate::validation::short_text(input, Field::CaseRef, 1, CaseRef::MAX, |c| {
            c.is_alphanumeric() || " -/._:#()".contains(c)
        })
        .map(|text| text.map(CaseRef))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A purpose of use a permit grants, with its legal basis and the data it opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeGrant {
    pub purpose: Purpose,
    /// The provision that allows disclosure for this purpose (661/2009 or a special law).
    pub legal_basis: String,
    /// The data groups open for this purpose, of those the permit's screens cover; `None`:
    /// all of them.
    pub groups: Option<Vec<DataGroup>>,
}

impl PurposeGrant {
    /// Every data group of the permit's screens, for this purpose.
    pub fn all(purpose: Purpose, legal_basis: &str) -> PurposeGrant {
        PurposeGrant {
            purpose,
            legal_basis: legal_basis.to_owned(),
            groups: None,
        }
    }

    /// Whether this purpose opens a screen's data group.
    pub fn opens(&self, screen: ScreenId) -> bool {
        self.groups
            .as_ref()
            .is_none_or(|groups| groups.contains(&screen.spec().group))
    }
}

/// Where a data permit stands. Only an active permit, within its validity, opens anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PermitState {
    Active,
    /// Suspended by the registry (e.g. suspected misuse); may be resumed.
    Suspended,
    /// Ended for good; a new permit needs a new application.
    Ended,
}

/// An organisation's data permit (tietolupa): the screens ("products") and search types it
/// grants, the purposes of use (each opening all or some of the screens' data groups), and
/// whether it covers data under a protection order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permit {
    /// The registry's number for the decision, e.g. `DVV/412/2026`.
    pub number: String,
    pub organisation: OrgId,
    pub screens: Vec<ScreenId>,
    pub searches: Vec<SearchKind>,
    pub purposes: Vec<PurposeGrant>,
    /// May see data covered by a protection order (authorities with an official need), after
    /// a two-factor sign-in.
    pub protected_data: bool,
    /// Every query needs a two-factor sign-in, whatever it shows.
    pub two_factor_required: bool,
    /// Without the protected-data right, a user may still reveal protected data in an
    /// emergency ("break glass"): one screen at a time, with a typed reason, after a
    /// two-factor sign-in; each reveal is its own audit event and a notice to registry staff.
    pub break_glass: bool,
    /// The terms the organisation committed to (no onward disclosure, storage only where
    /// the law allows, security), as the decision words them.
    pub conditions: Vec<String>,
    /// The prices it states (free for an authority's statutory needs).
    pub fees: crate::fees::Fees,
    /// First valid day.
    pub valid_from: Date,
    /// Last valid day, or `None` for "until further notice".
    pub valid_until: Option<Date>,
    pub state: PermitState,
}

impl Permit {
    /// The purposes of use the permit grants, in its order.
    pub fn purpose_list(&self) -> Vec<Purpose> {
        self.purposes.iter().map(|g| g.purpose).collect()
    }

    /// In force on `today`: active and within its validity; otherwise why not.
    pub fn standing(&self, today: Date) -> Result<(), Denied> {
        match self.state {
            PermitState::Active => {}
            PermitState::Suspended => return Err(Denied::PermitSuspended),
            PermitState::Ended => return Err(Denied::PermitEnded),
        }
        if self.valid_from > today {
            return Err(Denied::PermitNotYetValid);
        }
        if self.valid_until.is_some_and(|last| last < today) {
            return Err(Denied::PermitExpired);
        }
        Ok(())
    }

    pub fn in_force(&self, today: Date) -> bool {
        self.standing(today).is_ok()
    }

    fn grant_for(&self, purpose: Purpose) -> Option<&PurposeGrant> {
        self.purposes.iter().find(|g| g.purpose == purpose)
    }
}

/// Where a personal right stands. Only an active right lets its holder query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RightState {
    /// Proposed by the organisation's responsible user, awaiting the registry.
    Proposed,
    Active,
    Ended,
    /// Blocked at once, e.g. on suspected misuse.
    Blocked,
}

/// A user's personal query right (käyttöoikeus), granted by the registry on the
/// organisation's permit. The identity provider says who someone is; this says what they may
/// do, and it is read on every request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalRight {
    /// The provider's subject id of the user.
    pub user: UserId,
    /// The user's name, as the registry knows it (told to colleagues who need a contact).
    pub name: String,
    pub organisation: OrgId,
    pub roles: Vec<Role>,
    /// The screens of the permit this user may open; `None`: all of them.
    pub screens: Option<Vec<ScreenId>>,
    /// Last valid day, or `None` for "until further notice".
    pub valid_until: Option<Date>,
    pub state: RightState,
    /// Ended by its own organisation while in force: the roles, screens and last valid day
    /// above are those it was in force with (the registry's approval), and a Restore may put
    /// exactly them back before that day. Anything else that ends a right (a proposal
    /// withdrawn or turned down, the end of a blocked right, the registry's own end) and
    /// anything that touches an ended right (a new proposal, a block) leaves it `false`, so
    /// that only the registry puts such a right back in force.
    pub restorable: bool,
}

impl PersonalRight {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// In force on `today` with `role`: active, not past its last valid day, holding it.
    pub fn serves(&self, role: Role, today: Date) -> bool {
        self.state == RightState::Active
            && self.valid_until.is_none_or(|last| last >= today)
            && self.has_role(role)
    }

    /// Ended by its own organisation while in force, and `today` is not past its last valid
    /// day: a Restore may put it back as it was.
    pub fn restorable_on(&self, today: Date) -> bool {
        self.state == RightState::Ended
            && self.restorable
            && self.valid_until.is_none_or(|last| last >= today)
    }
}

/// What is being asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// Open one screen of one subject; `None` when the link the browser sent opens to no
    /// subject (it is authorised like any screen, then found missing). `reveal`: the user
    /// asks, with a typed reason, to see protected data their permit withholds (break glass).
    Screen {
        screen: ScreenId,
        subject: Option<SubjectRef>,
        reveal: bool,
    },
    /// Run one kind of search.
    Search(SearchKind),
}

impl Request {
    /// The subject whose flags the policy needs, if the request is about one.
    pub fn subject(&self) -> Option<SubjectRef> {
        match self {
            Request::Screen { subject, .. } => *subject,
            Request::Search(_) => None,
        }
    }

    /// A stable name for logs and audit entries, e.g. `person.basic` or `search.hetu`.
    pub fn name(&self) -> &'static str {
        match self {
            Request::Screen { screen, .. } => screen.spec().slug,
            Request::Search(kind) => kind.slug(),
        }
    }
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
    /// The case reference given with the purpose, if any.
    pub case_ref: Option<CaseRef>,
    /// The client address as the server saw it.
    pub source: String,
}

impl Actor {
    pub fn user(principal: Principal, request_id: String, source: String) -> Actor {
        Actor {
            who: Who::User(principal),
            request_id,
            purpose: None,
            case_ref: None,
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
            case_ref: None,
            source: "local".into(),
        }
    }

    pub fn with_purpose(mut self, purpose: Purpose) -> Actor {
        self.purpose = Some(purpose);
        self
    }

    /// The purpose and case reference the user chose for the session (either may be unset).
    pub fn with_choice(mut self, purpose: Option<Purpose>, case_ref: Option<CaseRef>) -> Actor {
        self.purpose = purpose;
        self.case_ref = case_ref;
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

impl Principal {
    /// Whether this sign-in is strong enough to act in `role`; if not, the refusal that asks
    /// for a step-up. The level is the one the verified token showed, never one asked for.
    pub fn may_act_as(&self, role: Role) -> Result<(), Denied> {
        if role.needs_two_factor() && self.acr != Acr::TwoFactor {
            Err(Denied::RoleNeedsTwoFactor(role))
        } else {
            Ok(())
        }
    }
}

/// Proof that [`authorize`] allowed one request.
#[derive(Debug, PartialEq, Eq)]
pub struct Grant {
    request: Request,
    purpose: Purpose,
    protected: ProtectedAccess,
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
        self.protected.shown()
    }
    /// Whether protected data is shown, and if not, why.
    pub fn protected_access(&self) -> ProtectedAccess {
        self.protected
    }
    /// The one protection-order rule, for every output path: a row about a person under a
    /// protection order (`row_protected`) is left out of lists of residents and has its
    /// location columns withheld elsewhere, and on an owner list every natural person
    /// (`row_person`) is shown as a private person, unless the viewer may see protected data.
    pub fn row_disclosure(
        &self,
        rows: ProtectedRows,
        row_protected: bool,
        row_person: bool,
    ) -> RowDisclosure {
        if self.protected_data() {
            return RowDisclosure::Show;
        }
        match rows {
            // Protected or not: a protected owner is told apart from no other private owner.
            ProtectedRows::AnonymisePersons if row_person => RowDisclosure::Anonymise,
            ProtectedRows::AnonymisePersons => RowDisclosure::Show,
            _ if !row_protected => RowDisclosure::Show,
            ProtectedRows::Omit => RowDisclosure::Omit,
            ProtectedRows::WithholdProtected => RowDisclosure::WithholdProtected,
        }
    }
}

/// What the protection-order rule does to one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowDisclosure {
    Show,
    /// Show the row with its location columns withheld.
    WithholdProtected,
    /// Leave the row out without a trace.
    Omit,
    /// Show the row without who the person is (a private owner).
    Anonymise,
}

impl RowDisclosure {
    /// Whether a cell of a column with this sensitivity is withheld.
    pub fn withholds(self, sensitivity: Sensitivity) -> bool {
        self == RowDisclosure::WithholdProtected && sensitivity == Sensitivity::Protected
    }

    /// Whether a cell of a column with this sensitivity shows a private person in place of
    /// who they are.
    pub fn anonymises(self, sensitivity: Sensitivity) -> bool {
        self == RowDisclosure::Anonymise && sensitivity == Sensitivity::Identity
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
    #[error("the organisation's data permit has ended")]
    PermitEnded,
    #[error("the organisation's data permit is not yet in force")]
    PermitNotYetValid,
    #[error("the data permit does not cover this screen")]
    ScreenNotInPermit(ScreenId),
    #[error("the data permit does not cover this search")]
    SearchNotInPermit(SearchKind),
    #[error("the purpose of use is not in the data permit")]
    PurposeNotInPermit,
    #[error("the chosen purpose of use does not open this screen")]
    NotForPurpose(ScreenId),
    #[error("the data permit requires a two-factor sign-in")]
    TwoFactorRequired,
    #[error("this screen needs a two-factor sign-in")]
    ScreenNeedsTwoFactor(ScreenId),
    #[error("acting in this role needs a two-factor sign-in")]
    RoleNeedsTwoFactor(Role),
    #[error("the user's queries are blocked for a while: their searches looked like a sweep")]
    QueriesBlocked,
    #[error("the user has no personal right in this organisation")]
    NoRight,
    #[error("the user's right is not in force (proposed or ended)")]
    RightNotActive,
    #[error("the user's right has expired")]
    RightExpired,
    #[error("the user is blocked")]
    UserBlocked,
    #[error("the user's right does not cover this screen")]
    ScreenNotInRight(ScreenId),
    #[error("a purpose of use must be chosen")]
    PurposeRequired,
    #[error("only a responsible user of the organisation or registry staff may change its rights")]
    NotResponsibleUser,
    #[error("only registry staff may do this")]
    RegistryStaffOnly,
    #[error("nobody changes their own right")]
    OwnRight,
    #[error("the data permit does not allow revealing protected data")]
    RevealNotInPermit,
    #[error("this change needs a reason")]
    ReasonRequired,
    #[error("there is no such right or permit")]
    NoSuchRecord,
    #[error("the change does not apply in the record's current state")]
    NotFromThisState,
    #[error(
        "only a right its own organisation ended while in force can be restored, before its last valid day"
    )]
    NotRestorable,
    #[error("only the applicant organisation may do this")]
    NotApplicant,
    #[error("the organisation already has a permit or an application in progress")]
    AlreadyApplied,
    #[error("this role cannot be proposed")]
    RoleNotProposable,
    #[error("too many questions are waiting for an answer")]
    TooManyOpen,
    #[error("the most questions one person may send in a day have been sent")]
    TooManyToday,
    #[error("the most confirmation messages one person may have sent in a day have been sent")]
    TooManyConfirmations,
    #[error(
        "the confirmation link is not one for the signed-in user's subscription waiting for it"
    )]
    ConfirmationInvalid,
}

impl Denied {
    /// Refusals a sign-in with a second factor mends: the page offers the step-up.
    pub fn asks_for_step_up(self) -> bool {
        matches!(
            self,
            Denied::TwoFactorRequired
                | Denied::ScreenNeedsTwoFactor(_)
                | Denied::RoleNeedsTwoFactor(_)
        )
    }

    /// Refusals the user's responsible user can mend (a right missing, ended, expired,
    /// blocked or without the query role).
    pub fn is_about_the_right(self) -> bool {
        matches!(
            self,
            Denied::NoRight
                | Denied::RightNotActive
                | Denied::RightExpired
                | Denied::UserBlocked
                | Denied::NoQueryRight
        )
    }
}

/// The checks that do not depend on what is asked for: who, which permit, which purpose.
fn admit<'p>(
    actor: &Actor,
    permit: Option<&'p Permit>,
    right: Option<&PersonalRight>,
    today: Date,
) -> Result<(&'p Permit, &'p PurposeGrant), Denied> {
    let principal = actor.principal().ok_or(Denied::NotAUser)?;
    // The right, not the token, says what the user may do; a right of another organisation
    // or another user is no right here.
    let right = right
        .filter(|r| r.user == principal.subject && r.organisation == principal.organisation)
        .ok_or(Denied::NoRight)?;
    match right.state {
        RightState::Active => {}
        RightState::Blocked => return Err(Denied::UserBlocked),
        RightState::Proposed | RightState::Ended => return Err(Denied::RightNotActive),
    }
    if right.valid_until.is_some_and(|last| last < today) {
        return Err(Denied::RightExpired);
    }
    if !(right.has_role(Role::QueryUser) || right.has_role(Role::RegistryStaff)) {
        return Err(Denied::NoQueryRight);
    }
    let permit = permit.ok_or(Denied::NoPermit)?;
    permit.standing(today)?;
    if permit.two_factor_required && principal.acr != Acr::TwoFactor {
        return Err(Denied::TwoFactorRequired);
    }
    let grant = match (actor.purpose, permit.purposes.as_slice()) {
        (Some(p), _) => permit.grant_for(p).ok_or(Denied::PurposeNotInPermit)?,
        (None, [only]) => only,
        (None, _) => return Err(Denied::PurposeRequired),
    };
    Ok((permit, grant))
}

fn covers(
    permit: &Permit,
    right: Option<&PersonalRight>,
    purpose: &PurposeGrant,
    request: Request,
    two_factor: bool,
) -> Result<(), Denied> {
    match request {
        Request::Screen { screen, .. } if !permit.screens.contains(&screen) => {
            Err(Denied::ScreenNotInPermit(screen))
        }
        Request::Screen { screen, .. } if !right_opens(right, screen) => {
            Err(Denied::ScreenNotInRight(screen))
        }
        Request::Screen { screen, .. } if !purpose.opens(screen) => {
            Err(Denied::NotForPurpose(screen))
        }
        Request::Screen { screen, .. } if screen.needs_two_factor() && !two_factor => {
            Err(Denied::ScreenNeedsTwoFactor(screen))
        }
        Request::Search(kind) if !permit.searches.contains(&kind) => {
            Err(Denied::SearchNotInPermit(kind))
        }
        _ => Ok(()),
    }
}

fn right_opens(right: Option<&PersonalRight>, screen: ScreenId) -> bool {
    right
        .and_then(|r| r.screens.as_ref())
        .is_none_or(|screens| screens.contains(&screen))
}

/// Whether a viewer sees protected data: with the permit's right after a two-factor sign-in;
/// without it, only by a reveal the permit allows (also after a two-factor sign-in).
fn protected_access(permit: &Permit, two_factor: bool, reveal: bool) -> ProtectedAccess {
    match (
        permit.protected_data,
        permit.break_glass,
        two_factor,
        reveal,
    ) {
        (true, _, true, _) => ProtectedAccess::Granted,
        (true, _, false, _) | (false, true, false, _) => ProtectedAccess::NeedsTwoFactor,
        (false, true, true, true) => ProtectedAccess::Revealed,
        (false, true, true, false) => ProtectedAccess::Revealable,
        (false, false, _, _) => ProtectedAccess::NotInPermit,
    }
}

/// Decides one request from the organisation's permit and the user's personal right, both as
/// the registry recorded them. `today` is the caller's clock's date.
pub fn authorize(
    actor: &Actor,
    permit: Option<&Permit>,
    right: Option<&PersonalRight>,
    request: Request,
    today: Date,
) -> Result<Grant, Denied> {
    let (permit, grant) = admit(actor, permit, right, today)?;
    let two_factor = actor.principal().is_some_and(|p| p.acr == Acr::TwoFactor);
    covers(permit, right, grant, request, two_factor)?;
    let purpose = grant.purpose;
    // A protection order never denies a screen: the person's identity and the fact of the order
    // may be shown. The grant carries the protected-data right, and redaction applies the
    // protection rule row by row (`Grant::row_disclosure`), to the subject and to everyone else
    // a screen shows.
    let reveal = matches!(request, Request::Screen { reveal: true, .. });
    if reveal && !(permit.protected_data || permit.break_glass) {
        return Err(Denied::RevealNotInPermit);
    }
    Ok(Grant {
        request,
        purpose,
        protected: protected_access(permit, two_factor, reveal),
    })
}

/// What the actor may open and search, by the same rule as [`authorize`]: the menus show
/// exactly these, so the client never offers what the server would refuse.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowed {
    pub screens: Vec<ScreenId>,
    pub searches: Vec<SearchKind>,
    /// The purpose queries are recorded for (the chosen one, or the permit's only one).
    pub purpose: Option<Purpose>,
    /// The purposes the user may choose from (their organisation's permit's).
    pub choices: Vec<Purpose>,
    /// Whom to ask when the user's own right is missing: the organisation's responsible users.
    pub contacts: Vec<String>,
    /// Why nothing is allowed, when nothing is.
    pub refusal: Option<Denied>,
    /// The user manages rights (a responsible user) or permits (registry staff): the header
    /// offers the management page.
    pub manage: bool,
    /// Every other screen, with why it is closed to this user (not in the permit, not in
    /// their right, not for the chosen purpose): the menu says so instead of hiding it.
    pub closed: Vec<(ScreenId, Denied)>,
    /// The user's organisation by the name the registry knows it by (every page names it
    /// alike; the identity provider's words may differ), when the registry knows it.
    pub organisation_name: Option<String>,
}

impl Allowed {
    /// The screen a link to a subject of this kind opens: its default screen when allowed,
    /// else the first allowed one; `None` when none is (the link is then plain text).
    pub fn entry_screen(&self, kind: SubjectKind) -> Option<ScreenId> {
        let mut of_kind = self
            .screens
            .iter()
            .copied()
            .filter(|s| s.spec().subject() == kind);
        let first = of_kind.next()?;
        Some(
            std::iter::once(first)
                .chain(of_kind)
                .find(|s| s.is_default_for(kind))
                .unwrap_or(first),
        )
    }

    /// The allowed screens of one subject kind, in catalogue order.
    pub fn screens_of(&self, kind: SubjectKind) -> impl Iterator<Item = ScreenId> + '_ {
        self.screens
            .iter()
            .copied()
            .filter(move |s| s.spec().subject() == kind)
    }
}

pub fn allowed(
    actor: &Actor,
    permit: Option<&Permit>,
    right: Option<&PersonalRight>,
    today: Date,
) -> Allowed {
    match admit(actor, permit, right, today) {
        Err(reason) => Allowed {
            // Only a missing or foreign purpose is mended by choosing one.
            choices: match (reason, permit) {
                (Denied::PurposeRequired | Denied::PurposeNotInPermit, Some(p)) => p.purpose_list(),
                _ => Vec::new(),
            },
            refusal: Some(reason),
            ..Allowed::default()
        },
        Ok((permit, grant)) => {
            let two_factor = actor.principal().is_some_and(|p| p.acr == Acr::TwoFactor);
            let mut screens = Vec::new();
            let mut closed = Vec::new();
            for &screen in ScreenId::ALL {
                let request = Request::Screen {
                    screen,
                    subject: None,
                    reveal: false,
                };
                match covers(permit, right, grant, request, two_factor) {
                    Ok(()) => screens.push(screen),
                    Err(reason) => closed.push((screen, reason)),
                }
            }
            let searches = SearchKind::ALL
                .iter()
                .copied()
                .filter(|k| permit.searches.contains(k))
                .collect();
            Allowed {
                screens,
                searches,
                purpose: Some(grant.purpose),
                choices: permit.purpose_list(),
                contacts: Vec::new(),
                refusal: None,
                manage: false,
                closed,
                organisation_name: None,
            }
        }
    }
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::Acr;
    use crate::screen::PersonId;
    use crate::validation::ValidationError;

    fn today() -> Date {
        Date::new(2026, 11, 27).unwrap_or_else(|e| unreachable!("{e}"))
    }

    /// A user of `org` whose right (see [`right_of`]) holds `roles`: the roles ride in the
    /// test user's subject, so that each carries its own right (a principal has no roles).
    fn user(roles: &[Role], org: &'static str) -> Actor {
        let roles: Vec<&str> = roles.iter().map(|r| r.slug()).collect();
        Actor::user(
            Principal {
                subject: UserId::parse(&format!("u.{}", roles.join(".")))
                    .unwrap_or_else(|e| unreachable!("{e}")),
                name: "U".into(),
                organisation: OrgId::from_static(org),
                organisation_name: org.into(),
                acr: Acr::OneFactor,
            },
            "r1".into(),
            "127.0.0.1".into(),
        )
    }

    /// An active right with the roles the test user was made with.
    fn right_of(actor: &Actor) -> Option<PersonalRight> {
        actor.principal().map(|p| PersonalRight {
            user: p.subject.clone(),
            name: p.name.clone(),
            organisation: p.organisation.clone(),
            roles: p
                .subject
                .as_str()
                .trim_start_matches("u.")
                .split('.')
                .filter_map(Role::from_slug)
                .collect(),
            screens: None,
            valid_until: None,
            state: RightState::Active,
            restorable: false,
        })
    }

    fn authorize(a: &Actor, p: Option<&Permit>, r: Request, d: Date) -> Result<Grant, Denied> {
        super::authorize(a, p, right_of(a).as_ref(), r, d)
    }

    fn allowed(a: &Actor, p: Option<&Permit>, d: Date) -> Allowed {
        super::allowed(a, p, right_of(a).as_ref(), d)
    }

    fn permit(screens: &[ScreenId], purposes: &[Purpose]) -> Permit {
        Permit {
            number: "DVV/1/2026".into(),
            organisation: OrgId::from_static("espoo"),
            screens: screens.to_vec(),
            searches: vec![SearchKind::Hetu],
            purposes: purposes
                .iter()
                .map(|&p| PurposeGrant::all(p, "661/2009"))
                .collect(),
            protected_data: false,
            two_factor_required: false,
            break_glass: false,
            conditions: Vec::new(),
            fees: crate::fees::Fees::Statutory,
            valid_from: Date::new(2020, 1, 1).unwrap_or_else(|e| unreachable!("{e}")),
            valid_until: None,
            state: PermitState::Active,
        }
    }

    fn basic() -> Request {
        Request::Screen {
            screen: ScreenId::PersonBasic,
            subject: Some(SubjectRef::Person(PersonId(7))),
            reveal: false,
        }
    }

    #[test]
    fn the_choices_are_the_permits_purposes_when_a_choice_would_help_and_none_otherwise() {
        let q = user(&[Role::QueryUser], "espoo");
        let two = permit(
            &[ScreenId::PersonBasic],
            &[Purpose::MunicipalTasks, Purpose::PropertyManagement],
        );
        let day = today();
        let unchosen = allowed(&q, Some(&two), day);
        assert_eq!(unchosen.refusal, Some(Denied::PurposeRequired));
        assert!(unchosen.screens.is_empty());
        assert_eq!(
            unchosen.choices,
            vec![Purpose::MunicipalTasks, Purpose::PropertyManagement]
        );
        let foreign = allowed(
            &q.clone().with_purpose(Purpose::PoliceInvestigation),
            Some(&two),
            day,
        );
        assert_eq!(foreign.refusal, Some(Denied::PurposeNotInPermit));
        assert_eq!(foreign.choices, unchosen.choices);
        let chosen = allowed(
            &q.clone().with_purpose(Purpose::PropertyManagement),
            Some(&two),
            day,
        );
        assert_eq!(
            (chosen.refusal, chosen.purpose, chosen.choices),
            (
                None,
                Some(Purpose::PropertyManagement),
                unchosen.choices.clone()
            )
        );
        let mut suspended = two.clone();
        suspended.state = PermitState::Suspended;
        let refused = allowed(&q, Some(&suspended), day);
        assert_eq!(refused.refusal, Some(Denied::PermitSuspended));
        assert!(
            refused.choices.is_empty(),
            "no purpose mends a suspended permit"
        );
    }

    #[test]
    fn a_purpose_opens_only_its_data_groups_and_the_menus_follow() {
        let mut p = permit(
            &[ScreenId::PersonBasic, ScreenId::PersonAddresses],
            &[Purpose::PoliceInvestigation],
        );
        p.purposes.push(PurposeGrant {
            purpose: Purpose::LicenceAdministration,
            legal_basis: "661/2009; 1/1998".into(),
            groups: Some(vec![DataGroup::PersonBasic]),
        });
        let addresses = Request::Screen {
            screen: ScreenId::PersonAddresses,
            subject: Some(SubjectRef::Person(PersonId(7))),
            reveal: false,
        };
        let day = today();
        let q = user(&[Role::QueryUser], "espoo");
        let licences = q.clone().with_purpose(Purpose::LicenceAdministration);
        let police = q.with_purpose(Purpose::PoliceInvestigation);
        let purpose_of = |r: Result<Grant, Denied>| r.map(|g| g.purpose());
        assert_eq!(
            purpose_of(authorize(&licences, Some(&p), basic(), day)),
            Ok(Purpose::LicenceAdministration)
        );
        assert_eq!(
            purpose_of(authorize(&licences, Some(&p), addresses, day)),
            Err(Denied::NotForPurpose(ScreenId::PersonAddresses))
        );
        assert_eq!(
            purpose_of(authorize(&police, Some(&p), addresses, day)),
            Ok(Purpose::PoliceInvestigation)
        );
        assert_eq!(
            purpose_of(authorize(
                &licences,
                Some(&p),
                Request::Search(SearchKind::Hetu),
                day
            )),
            Ok(Purpose::LicenceAdministration),
            "searches are the permit's"
        );
        assert_eq!(
            allowed(&licences, Some(&p), day).screens,
            vec![ScreenId::PersonBasic]
        );
        assert_eq!(
            allowed(&police, Some(&p), day).screens,
            vec![ScreenId::PersonBasic, ScreenId::PersonAddresses]
        );
        // A screen outside the permit stays outside whatever the purpose opens.
        let outside = Request::Screen {
            screen: ScreenId::PersonNames,
            subject: Some(SubjectRef::Person(PersonId(7))),
            reveal: false,
        };
        assert_eq!(
            purpose_of(authorize(&police, Some(&p), outside, day)),
            Err(Denied::ScreenNotInPermit(ScreenId::PersonNames))
        );
    }

    #[test]
    fn only_refusals_about_the_users_own_right_send_them_to_their_responsible_user() {
        for d in [
            Denied::NoRight,
            Denied::RightNotActive,
            Denied::RightExpired,
            Denied::UserBlocked,
            Denied::NoQueryRight,
        ] {
            assert!(d.is_about_the_right(), "{d:?}");
        }
        for d in [
            Denied::NotAUser,
            Denied::NoPermit,
            Denied::PermitExpired,
            Denied::PermitSuspended,
            Denied::PurposeRequired,
            Denied::TwoFactorRequired,
            Denied::ScreenNotInRight(ScreenId::PersonBasic),
        ] {
            assert!(!d.is_about_the_right(), "{d:?}");
        }
    }

    #[test]
    fn the_personal_right_decides_not_the_token() {
        let q = user(&[Role::QueryUser], "espoo");
        let p = permit(
            &[ScreenId::PersonBasic, ScreenId::PersonNames],
            &[Purpose::MunicipalTasks],
        );
        let active = right_of(&q).unwrap_or_else(|| unreachable!("a user has a right"));
        let day = today();
        let decide = |r: Option<PersonalRight>| {
            super::authorize(&q, Some(&p), r.as_ref(), basic(), day).map(|g| g.purpose())
        };
        let with = |f: &dyn Fn(&mut PersonalRight)| {
            let mut r = active.clone();
            f(&mut r);
            Some(r)
        };
        let cases: Vec<(&str, Option<PersonalRight>, Result<Purpose, Denied>)> = vec![
            ("active", Some(active.clone()), Ok(Purpose::MunicipalTasks)),
            ("none", None, Err(Denied::NoRight)),
            (
                "another user's",
                with(&|r| r.user = UserId::from_static("u-other")),
                Err(Denied::NoRight),
            ),
            (
                "in another organisation",
                with(&|r| r.organisation = OrgId::from_static("vantaa")),
                Err(Denied::NoRight),
            ),
            (
                "proposed",
                with(&|r| r.state = RightState::Proposed),
                Err(Denied::RightNotActive),
            ),
            (
                "ended",
                with(&|r| r.state = RightState::Ended),
                Err(Denied::RightNotActive),
            ),
            (
                "blocked",
                with(&|r| r.state = RightState::Blocked),
                Err(Denied::UserBlocked),
            ),
            (
                "expired yesterday",
                with(&|r| r.valid_until = Some(day.add_days(-1))),
                Err(Denied::RightExpired),
            ),
            (
                "valid through today",
                with(&|r| r.valid_until = Some(day)),
                Ok(Purpose::MunicipalTasks),
            ),
            (
                // The token says query user; the registry's record says otherwise.
                "responsible user only",
                with(&|r| r.roles = vec![Role::ResponsibleUser]),
                Err(Denied::NoQueryRight),
            ),
            (
                "registry staff",
                with(&|r| r.roles = vec![Role::RegistryStaff]),
                Ok(Purpose::MunicipalTasks),
            ),
        ];
        for (name, right, expected) in cases {
            assert_eq!(decide(right), expected, "{name}");
        }
        // A right may narrow the permit's screens; the menus follow.
        let narrow = with(&|r| r.screens = Some(vec![ScreenId::PersonNames]));
        assert_eq!(
            super::authorize(&q, Some(&p), narrow.as_ref(), basic(), day).map(|g| g.purpose()),
            Err(Denied::ScreenNotInRight(ScreenId::PersonBasic))
        );
        assert_eq!(
            super::allowed(&q, Some(&p), narrow.as_ref(), day).screens,
            vec![ScreenId::PersonNames]
        );
        assert_eq!(
            super::allowed(&q, Some(&p), None, day).refusal,
            Some(Denied::NoRight)
        );
    }

    #[test]
    fn a_case_reference_is_printable_text_of_at_most_forty_characters() {
        assert_eq!(CaseRef::parse("  "), Ok(None));
        let ok = CaseRef::parse(" 1234/R/2026 (Dnro: 7.1) ");
        assert_eq!(
            ok.map(|c| c.map(|c| c.as_str().to_owned())),
            Ok(Some("1234/R/2026 (Dnro: 7.1)".to_owned()))
        );
        assert_eq!(
            CaseRef::parse("Ärende #5").map(|c| c.is_some()),
            Ok(true),
            "letters of any language"
        );
        let long = "x".repeat(41);
        assert_eq!(
            CaseRef::parse(&long).map_err(|e| e.error),
            Err(ValidationError::TooLong {
                field: Field::CaseRef,
                max: 40
            })
        );
        assert_eq!(
            CaseRef::parse(&"x".repeat(40)).map(|c| c.is_some()),
            Ok(true)
        );
        for bad in ["a<b", "a\nb", "a;b", "x\u{202e}y"] {
            assert_eq!(
                CaseRef::parse(bad).map_err(|e| e.error),
                Err(ValidationError::Characters(Field::CaseRef)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn policy_matrix() {
        let q = user(&[Role::QueryUser], "espoo");
        let one = permit(&[ScreenId::PersonBasic], &[Purpose::MunicipalTasks]);
        let two = permit(
            &[ScreenId::PersonBasic],
            &[Purpose::MunicipalTasks, Purpose::PropertyManagement],
        );
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
                "a granted search",
                q.clone(),
                Some(one.clone()),
                Request::Search(SearchKind::Hetu),
                Ok(Purpose::MunicipalTasks),
            ),
            (
                "a search type the permit does not grant",
                q.clone(),
                Some(one.clone()),
                Request::Search(SearchKind::Name),
                Err(Denied::SearchNotInPermit(SearchKind::Name)),
            ),
            (
                "registry staff may query within the permit",
                user(&[Role::RegistryStaff], "dvv"),
                Some(one.clone()),
                basic(),
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
                "screen not in permit, even of a granted group",
                q.clone(),
                Some(one.clone()),
                Request::Screen {
                    screen: ScreenId::PersonBasicWide,
                    subject: Some(SubjectRef::Person(PersonId(7))),
                    reveal: false,
                },
                Err(Denied::ScreenNotInPermit(ScreenId::PersonBasicWide)),
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
                "chosen purpose not granted, even if the permit has only one",
                q.clone().with_purpose(Purpose::PoliceInvestigation),
                Some(one.clone()),
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
                q.clone(),
                Some(Permit {
                    state: PermitState::Suspended,
                    ..one.clone()
                }),
                basic(),
                Err(Denied::PermitSuspended),
            ),
            (
                "ended",
                q.clone(),
                Some(Permit {
                    state: PermitState::Ended,
                    ..one.clone()
                }),
                basic(),
                Err(Denied::PermitEnded),
            ),
            (
                "in force from tomorrow",
                q.clone(),
                Some(Permit {
                    valid_from: today().add_days(1),
                    ..one.clone()
                }),
                basic(),
                Err(Denied::PermitNotYetValid),
            ),
            (
                "in force from today",
                q,
                Some(Permit {
                    valid_from: today(),
                    ..one
                }),
                basic(),
                Ok(Purpose::MunicipalTasks),
            ),
        ];
        for (name, actor, permit, request, expected) in cases {
            let got = authorize(&actor, permit.as_ref(), request, today()).map(|g| g.purpose());
            assert_eq!(got, expected, "{name}");
            // The menus follow the same rule: a refused actor is offered nothing, and an
            // admitted one exactly the permit's screens and searches.
            let offered = allowed(&actor, permit.as_ref(), today());
            match (&expected, request) {
                (Err(Denied::ScreenNotInPermit(s)), _) => {
                    assert!(!offered.screens.contains(s), "{name}")
                }
                (Err(Denied::SearchNotInPermit(k)), _) => {
                    assert!(!offered.searches.contains(k), "{name}")
                }
                (Err(reason), _) => {
                    assert_eq!(offered.refusal, Some(*reason), "{name}");
                    assert!(offered.screens.is_empty() && offered.searches.is_empty());
                }
                (Ok(_), Request::Screen { screen, .. }) => {
                    assert!(offered.screens.contains(&screen), "{name}")
                }
                (Ok(_), Request::Search(kind)) => {
                    assert!(offered.searches.contains(&kind), "{name}")
                }
            }
        }
    }

    #[test]
    fn links_open_the_default_screen_or_the_first_allowed_one() {
        let q = user(&[Role::QueryUser], "x");
        let p = permit(
            &[
                ScreenId::PersonNames,
                ScreenId::PersonBasic,
                ScreenId::BuildingOwners,
            ],
            &[Purpose::MunicipalTasks],
        );
        let a = allowed(&q, Some(&p), today());
        assert_eq!(
            a.entry_screen(SubjectKind::Person),
            Some(ScreenId::PersonBasic)
        );
        assert_eq!(
            a.entry_screen(SubjectKind::Building),
            Some(ScreenId::BuildingOwners)
        );
        assert_eq!(a.entry_screen(SubjectKind::Property), None);
        assert_eq!(a.purpose, Some(Purpose::MunicipalTasks));
        assert_eq!(
            a.screens_of(SubjectKind::Person).collect::<Vec<_>>(),
            vec![ScreenId::PersonBasic, ScreenId::PersonNames],
            "catalogue order, not the permit's"
        );
    }

    #[test]
    fn break_glass_reveals_only_when_asked_with_two_factors_and_only_where_the_permit_allows() {
        let one = user(&[Role::QueryUser], "lansi-uusimaa");
        let two = two_factor(one.clone());
        let glass = Permit {
            break_glass: true,
            ..permit(
                &[ScreenId::PersonAddresses],
                &[Purpose::SocialAndHealthServices],
            )
        };
        let plain = Permit {
            break_glass: false,
            ..glass.clone()
        };
        let entitled = Permit {
            protected_data: true,
            ..plain.clone()
        };
        let screen = |reveal| Request::Screen {
            screen: ScreenId::PersonAddresses,
            subject: Some(SubjectRef::Person(PersonId(7))),
            reveal,
        };
        let access = |a: &Actor, p: &Permit, reveal: bool| {
            authorize(a, Some(p), screen(reveal), today())
                .map(|g| (g.protected_access(), g.protected_data()))
        };
        use ProtectedAccess::*;
        let table = [
            (
                "asked, two factors",
                &two,
                &glass,
                true,
                Ok((Revealed, true)),
            ),
            ("not asked", &two, &glass, false, Ok((Revealable, false))),
            (
                "one factor",
                &one,
                &glass,
                true,
                Ok((NeedsTwoFactor, false)),
            ),
            (
                "one factor, not asked",
                &one,
                &glass,
                false,
                Ok((NeedsTwoFactor, false)),
            ),
            (
                "no break glass",
                &two,
                &plain,
                true,
                Err(Denied::RevealNotInPermit),
            ),
            (
                "no break glass, not asked",
                &two,
                &plain,
                false,
                Ok((NotInPermit, false)),
            ),
            (
                "entitled anyway",
                &two,
                &entitled,
                true,
                Ok((Granted, true)),
            ),
            (
                "entitled, one factor",
                &one,
                &entitled,
                true,
                Ok((NeedsTwoFactor, false)),
            ),
        ];
        for (name, actor, permit, reveal, want) in table {
            assert_eq!(access(actor, permit, reveal), want, "{name}");
        }
        assert!(Revealed.shown() && Granted.shown());
        assert!(!Revealable.shown() && !NeedsTwoFactor.shown() && !NotInPermit.shown());
    }

    #[test]
    fn every_purpose_has_its_own_slug() {
        let slugs: std::collections::BTreeSet<&str> =
            Purpose::ALL.iter().map(|p| p.slug()).collect();
        assert_eq!(slugs.len(), Purpose::ALL.len());
        assert_eq!(Purpose::PoliceInvestigation.slug(), "police-investigation");
        assert!(
            slugs
                .iter()
                .all(|s| s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
        );
    }

    #[test]
    fn every_screen_the_menu_leaves_out_says_why() {
        let q = user(&[Role::QueryUser], "espoo").with_purpose(Purpose::LicenceAdministration);
        let p = Permit {
            purposes: vec![PurposeGrant {
                purpose: Purpose::LicenceAdministration,
                legal_basis: "661/2009".into(),
                groups: Some(vec![DataGroup::PersonBasic]),
            }],
            ..permit(
                &[
                    ScreenId::PersonBasic,
                    ScreenId::PersonAddresses,
                    ScreenId::PersonNames,
                ],
                &[],
            )
        };
        let mut right = right_of(&q).unwrap_or_else(|| unreachable!());
        right.screens = Some(vec![ScreenId::PersonBasic, ScreenId::PersonAddresses]);
        let a = super::allowed(&q, Some(&p), Some(&right), today());
        assert_eq!(a.screens, vec![ScreenId::PersonBasic]);
        let why = |s: ScreenId| a.closed.iter().find(|(c, _)| *c == s).map(|(_, d)| *d);
        assert_eq!(
            why(ScreenId::PersonAddresses),
            Some(Denied::NotForPurpose(ScreenId::PersonAddresses))
        );
        assert_eq!(
            why(ScreenId::PersonNames),
            Some(Denied::ScreenNotInRight(ScreenId::PersonNames))
        );
        assert_eq!(
            why(ScreenId::BuildingBasic),
            Some(Denied::ScreenNotInPermit(ScreenId::BuildingBasic))
        );
        assert_eq!(why(ScreenId::PersonBasic), None);
        assert_eq!(
            a.screens.len() + a.closed.len(),
            ScreenId::ALL.len(),
            "every screen is either open or closed with a reason"
        );
    }

    #[test]
    fn grant_carries_the_protected_data_right_after_two_factor_only() {
        let one = user(&[Role::QueryUser], "poliisi");
        let two = two_factor(one.clone());
        let with = Permit {
            protected_data: true,
            ..permit(&[ScreenId::PersonBasic], &[Purpose::PoliceInvestigation])
        };
        let without = Permit {
            protected_data: false,
            ..with.clone()
        };
        let access = |a: &Actor, p: &Permit| {
            authorize(a, Some(p), basic(), today())
                .map(|g| (g.protected_access(), g.protected_data()))
        };
        assert_eq!(access(&two, &with), Ok((ProtectedAccess::Granted, true)));
        assert_eq!(
            access(&one, &with),
            Ok((ProtectedAccess::NeedsTwoFactor, false))
        );
        assert_eq!(
            access(&two, &without),
            Ok((ProtectedAccess::NotInPermit, false))
        );
        assert_eq!(
            access(&one, &without),
            Ok((ProtectedAccess::NotInPermit, false))
        );
        // A permit may require two factors for every query.
        let strict = Permit {
            two_factor_required: true,
            break_glass: false,
            ..without
        };
        assert_eq!(access(&one, &strict), Err(Denied::TwoFactorRequired));
        assert_eq!(
            access(&two, &strict),
            Ok((ProtectedAccess::NotInPermit, false))
        );
        assert_eq!(
            allowed(&one, Some(&strict), today()).refusal,
            Some(Denied::TwoFactorRequired)
        );
    }

    #[test]
    fn guardianship_screens_need_a_two_factor_sign_in_whatever_the_permit_says() {
        let one = user(&[Role::QueryUser], "espoo");
        let two = two_factor(one.clone());
        let p = permit(
            &[
                ScreenId::PersonBasic,
                ScreenId::PersonGuardianship,
                ScreenId::PersonAttorneys,
            ],
            &[Purpose::MunicipalTasks],
        );
        let open = |a: &Actor, screen| {
            let request = Request::Screen {
                screen,
                subject: Some(SubjectRef::Person(PersonId(7))),
                reveal: false,
            };
            authorize(a, Some(&p), request, today()).map(|_| ())
        };
        for screen in [ScreenId::PersonGuardianship, ScreenId::PersonAttorneys] {
            assert_eq!(
                open(&one, screen),
                Err(Denied::ScreenNeedsTwoFactor(screen))
            );
            assert_eq!(open(&two, screen), Ok(()), "{screen:?}");
        }
        assert_eq!(open(&one, ScreenId::PersonBasic), Ok(()));
        // Outside the permit the permit's word comes first: a second factor would not help.
        assert_eq!(
            open(&one, ScreenId::PersonGuardians),
            Err(Denied::ScreenNotInPermit(ScreenId::PersonGuardians))
        );
        // The menu says which screens a step-up opens.
        let a = allowed(&one, Some(&p), today());
        assert!(!a.screens.contains(&ScreenId::PersonGuardianship));
        assert!(a.closed.contains(&(
            ScreenId::PersonGuardianship,
            Denied::ScreenNeedsTwoFactor(ScreenId::PersonGuardianship)
        )));
        assert!(
            allowed(&two, Some(&p), today())
                .screens
                .contains(&ScreenId::PersonGuardianship)
        );
        let needing: Vec<ScreenId> = ScreenId::ALL
            .iter()
            .copied()
            .filter(|s| s.needs_two_factor())
            .collect();
        assert!(needing.contains(&ScreenId::PersonGuardiansNarrow));
        assert!(needing.contains(&ScreenId::PersonPowerOfAttorney));
        assert!(!needing.contains(&ScreenId::PersonAddresses));
        assert!(Denied::ScreenNeedsTwoFactor(ScreenId::PersonGuardianship).asks_for_step_up());
        assert!(Denied::RoleNeedsTwoFactor(Role::RegistryStaff).asks_for_step_up());
        assert!(Denied::TwoFactorRequired.asks_for_step_up());
        assert!(!Denied::ScreenNotInPermit(ScreenId::PersonBasic).asks_for_step_up());
    }

    fn two_factor(mut a: Actor) -> Actor {
        if let Who::User(p) = &mut a.who {
            p.acr = Acr::TwoFactor;
        }
        a
    }

    #[test]
    fn requests_name_their_subject_and_themselves() {
        let subject = SubjectRef::Person(PersonId(7));
        assert_eq!(basic().subject(), Some(subject));
        assert_eq!(basic().name(), "person.basic");
        let search = Request::Search(SearchKind::Name);
        assert_eq!(search.subject(), None);
        assert_eq!(search.name(), "search.name");
        let q = user(&[Role::QueryUser], "espoo");
        assert_eq!(q.organisation(), Some(&OrgId::from_static("espoo")));
        assert_eq!(Actor::system("job").organisation(), None);
        assert_eq!(Actor::system("job").principal(), None);
    }

    #[test]
    fn the_protection_rule_for_rows() -> Result<(), Denied> {
        let q = user(&[Role::QueryUser], "x");
        let without = permit(&[ScreenId::PersonBasic], &[Purpose::MunicipalTasks]);
        let with = Permit {
            protected_data: true,
            ..without.clone()
        };
        let g = authorize(&q, Some(&without), basic(), today())?;
        use ProtectedRows::{AnonymisePersons, Omit, WithholdProtected};
        use RowDisclosure as D;
        // (rows, protected, person) → without the right, with it.
        let table = [
            (Omit, true, true, D::Omit),
            (Omit, false, true, D::Show),
            (WithholdProtected, true, true, D::WithholdProtected),
            (WithholdProtected, false, true, D::Show),
            // Owners: every natural person alike, protected or not; organisations shown.
            (AnonymisePersons, true, true, D::Anonymise),
            (AnonymisePersons, false, true, D::Anonymise),
            (AnonymisePersons, false, false, D::Show),
        ];
        let entitled = authorize(&two_factor(q.clone()), Some(&with), basic(), today())?;
        for (rows, protected, person, without_right) in table {
            let case = format!("{rows:?} protected {protected} person {person}");
            assert_eq!(
                g.row_disclosure(rows, protected, person),
                without_right,
                "{case}"
            );
            assert_eq!(
                entitled.row_disclosure(rows, protected, person),
                D::Show,
                "{case}"
            );
        }
        assert!(D::WithholdProtected.withholds(Sensitivity::Protected));
        assert!(!D::WithholdProtected.withholds(Sensitivity::Normal));
        assert!(!D::WithholdProtected.withholds(Sensitivity::Identity));
        assert!(!D::Show.withholds(Sensitivity::Protected));
        assert!(!D::Omit.withholds(Sensitivity::Protected));
        assert!(!D::Anonymise.withholds(Sensitivity::Protected));
        assert!(D::Anonymise.anonymises(Sensitivity::Identity));
        assert!(!D::Anonymise.anonymises(Sensitivity::Normal));
        assert!(!D::Show.anonymises(Sensitivity::Identity));
        assert!(!D::WithholdProtected.anonymises(Sensitivity::Identity));
        Ok(())
    }
}
