//! The registry's own records and the one rule for changing them. Organisations (with their
//! business id and kind), the state of a data permit (active, suspended, ended) and of a
//! personal right (proposed, active, ended, blocked) change only through a [`Change`] that
//! [`authorize_change`] allowed: a pure function of who asks (their own right, their
//! organisation's kind), what they ask and the target's current state. The engine applies an
//! allowed change, records it in the target's history and in the audit trail, and the very
//! next request of anyone it concerns is decided by the new state.

mod texts;
use texts as t;

use crate::access::{Denied, PermitState, RightState};
use crate::date::{Date, Timestamp};
use crate::ids::BusinessId;
use crate::lang::Text;
pub use crate::principal::OrgKind;
use crate::principal::{OrgId, Principal, Role, UserId};
use crate::validation::{Field, FieldError, ValidationError};
use serde::{Deserialize, Serialize};

/// An organisation the registry deals with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// The id the identity provider names the organisation by.
    pub id: OrgId,
    pub business_id: BusinessId,
    pub name: String,
    pub kind: OrgKind,
}

/// A change to a personal right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RightAction {
    /// The registry approves a proposed right.
    Approve,
    /// A proposal is turned down (by the registry) or withdrawn (by the responsible user).
    Reject,
    /// The need has ceased (the person changed tasks).
    End,
    /// An ended right is put back in force.
    Restore,
    /// Use is stopped at once, e.g. on suspected misuse.
    Block,
    /// The registry lifts a block.
    Unblock,
    /// The registry puts a proposed change of roles or screens ([`Change::Amend`]) in force.
    ApproveChange,
    /// A proposed change is turned down (by the registry) or withdrawn (by the responsible
    /// user); the right stays as it was.
    RejectChange,
}

impl RightAction {
    pub const ALL: [RightAction; 6] = [
        RightAction::Approve,
        RightAction::Reject,
        RightAction::End,
        RightAction::Restore,
        RightAction::Block,
        RightAction::Unblock,
    ];

    /// The state this action leads to from `from`, or `None` when it does not apply there.
    pub fn apply(self, from: RightState) -> Option<RightState> {
        use RightState::*;
        match (self, from) {
            (RightAction::Approve, Proposed) => Some(Active),
            (RightAction::Reject, Proposed) => Some(Ended),
            (RightAction::End, Active | Blocked) => Some(Ended),
            (RightAction::Restore, Ended) => Some(Active),
            (RightAction::Block, Proposed | Active | Ended) => Some(Blocked),
            (RightAction::Unblock, Blocked) => Some(Active),
            (RightAction::ApproveChange | RightAction::RejectChange, Active) => Some(Active),
            _ => None,
        }
    }

    /// Only the registry may do this (a responsible user may not).
    pub fn registry_only(self) -> bool {
        matches!(
            self,
            RightAction::Approve | RightAction::Unblock | RightAction::ApproveChange
        )
    }

    /// The decisions on a pending change of roles or screens: offered only where one waits.
    pub const CHANGE_DECISIONS: [RightAction; 2] =
        [RightAction::ApproveChange, RightAction::RejectChange];

    /// Decides a pending change rather than the right's state.
    pub fn decides_change(self) -> bool {
        Self::CHANGE_DECISIONS.contains(&self)
    }

    /// A reason must be typed: it is what a later investigation reads.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            RightAction::Reject
                | RightAction::Block
                | RightAction::Unblock
                | RightAction::RejectChange
        )
    }

    /// What happens, for the confirmation a weighty step asks before it is taken (the user's
    /// queries stop at once, a right ends); `None`: the step is taken at the click.
    pub fn consequence(self) -> Option<Text> {
        match self {
            RightAction::Block => Some(t::CONFIRM_BLOCK),
            RightAction::End => Some(t::CONFIRM_END_RIGHT),
            _ => None,
        }
    }

    /// The button's label.
    pub fn text(self) -> Text {
        match self {
            RightAction::Approve => t::RIGHT_ACTION_APPROVE,
            RightAction::Reject => t::RIGHT_ACTION_REJECT,
            RightAction::End => t::RIGHT_ACTION_END,
            RightAction::Restore => t::RIGHT_ACTION_RESTORE,
            RightAction::Block => t::RIGHT_ACTION_BLOCK,
            RightAction::Unblock => t::RIGHT_ACTION_UNBLOCK,
            RightAction::ApproveChange => t::RIGHT_ACTION_APPROVE_CHANGE,
            RightAction::RejectChange => t::RIGHT_ACTION_REJECT_CHANGE,
        }
    }
}

/// A change to a data permit; the registry's alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PermitAction {
    Suspend,
    Resume,
    End,
    /// The registry granted an application to change the permit (purposes, data, searches):
    /// made by the e-service's grant, never offered as a button.
    Change,
    /// Every query under the permit needs a two-factor sign-in from now on: the organisation's
    /// responsible user may tighten its own sign-in at any time, as may the registry.
    RequireTwoFactor,
    /// A password sign-in suffices again: the registry's call (it may have required the second
    /// factor in its decision), with a reason.
    AllowOneFactor,
    /// The registry granted an application for a permit (or a municipal order): made by the
    /// e-service's grant, never offered as a button.
    Grant,
}

impl PermitAction {
    pub const ALL: [PermitAction; 5] = [
        PermitAction::Suspend,
        PermitAction::Resume,
        PermitAction::End,
        PermitAction::RequireTwoFactor,
        PermitAction::AllowOneFactor,
    ];

    pub fn apply(self, from: PermitState) -> Option<PermitState> {
        use PermitState::*;
        match (self, from) {
            (PermitAction::Suspend, Active) => Some(Suspended),
            (PermitAction::Resume, Suspended) => Some(Active),
            (PermitAction::End, Active | Suspended) => Some(Ended),
            // The sign-in rule changes on a permit not yet ended; its state stays.
            (PermitAction::RequireTwoFactor | PermitAction::AllowOneFactor, Active | Suspended) => {
                Some(from)
            }
            _ => None,
        }
    }

    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            PermitAction::Suspend | PermitAction::End | PermitAction::AllowOneFactor
        )
    }

    /// What happens, for the confirmation a weighty step asks first (every user of the
    /// organisation stops at once); `None`: taken at the click.
    pub fn consequence(self) -> Option<Text> {
        match self {
            PermitAction::Suspend => Some(t::CONFIRM_SUSPEND_PERMIT),
            PermitAction::End => Some(t::CONFIRM_END_PERMIT),
            _ => None,
        }
    }

    /// The organisation's own responsible user may take this step on its permit.
    pub fn organisation_may(self) -> bool {
        self == PermitAction::RequireTwoFactor
    }

    /// Whether the step changes anything on a permit whose two-factor rule is `required`.
    pub fn changes_sign_in(self, required: bool) -> bool {
        match self {
            PermitAction::RequireTwoFactor => !required,
            PermitAction::AllowOneFactor => required,
            _ => true,
        }
    }

    /// The button's label.
    pub fn text(self) -> Text {
        match self {
            PermitAction::Suspend => t::PERMIT_ACTION_SUSPEND,
            PermitAction::Resume => t::PERMIT_ACTION_RESUME,
            PermitAction::End => t::PERMIT_ACTION_END,
            PermitAction::Change => t::PERMIT_ACTION_CHANGE,
            PermitAction::Grant => t::PERMIT_ACTION_GRANT,
            PermitAction::RequireTwoFactor => t::PERMIT_ACTION_REQUIRE_TWO_FACTOR,
            PermitAction::AllowOneFactor => t::PERMIT_ACTION_ALLOW_ONE_FACTOR,
        }
    }
}

/// One change to the registry's records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Right {
        organisation: OrgId,
        user: UserId,
        action: RightAction,
    },
    Permit {
        organisation: OrgId,
        action: PermitAction,
    },
    /// A responsible user proposes a right for a colleague (or the applicant of a granted
    /// permit nominates the organisation's first responsible user); the registry approves.
    Propose {
        organisation: OrgId,
        user: UserId,
        roles: Vec<Role>,
    },
    /// A responsible user proposes new roles or screens for a colleague's right in force; the
    /// right stays as it is until the registry approves ([`RightAction::ApproveChange`]).
    /// `screens`: `None` for all of the permit's.
    Amend {
        organisation: OrgId,
        user: UserId,
        roles: Vec<Role>,
        screens: Option<Vec<crate::catalogue::ScreenId>>,
    },
}

/// The history key of a personal right (`right/espoo/u-bob`).
pub fn right_key(organisation: &OrgId, user: &UserId) -> String {
    format!("right/{}/{user}", organisation.as_str())
}

/// The history key of an organisation's permit (`permit/espoo`).
pub fn permit_key(organisation: &OrgId) -> String {
    format!("permit/{}", organisation.as_str())
}

impl Change {
    /// The key of the record the change is about, for its history.
    pub fn target_key(&self) -> String {
        match self {
            Change::Right {
                organisation, user, ..
            }
            | Change::Propose {
                organisation, user, ..
            }
            | Change::Amend {
                organisation, user, ..
            } => right_key(organisation, user),
            Change::Permit { organisation, .. } => permit_key(organisation),
        }
    }

    /// Its lists are no longer than the catalogue allows (its ids are ids by their types,
    /// [`OrgId`] and [`UserId`]): anything else is refused before it is looked up or written
    /// to the trail.
    pub fn is_well_formed(&self) -> bool {
        match self {
            Change::Right { .. } | Change::Permit { .. } => true,
            Change::Propose { roles, .. } => roles.len() <= 4,
            Change::Amend { roles, screens, .. } => {
                roles.len() <= 4
                    && screens
                        .as_ref()
                        .is_none_or(|s| s.len() <= crate::catalogue::ScreenId::ALL.len())
            }
        }
    }

    /// The user whose right the change is about (`None`: a permit's change).
    pub fn user(&self) -> Option<&UserId> {
        match self {
            Change::Right { user, .. }
            | Change::Propose { user, .. }
            | Change::Amend { user, .. } => Some(user),
            Change::Permit { .. } => None,
        }
    }

    pub fn organisation(&self) -> &OrgId {
        match self {
            Change::Right { organisation, .. }
            | Change::Permit { organisation, .. }
            | Change::Propose { organisation, .. }
            | Change::Amend { organisation, .. } => organisation,
        }
    }

    fn needs_reason(&self) -> bool {
        match self {
            Change::Right { action, .. } => action.needs_reason(),
            Change::Permit { action, .. } => action.needs_reason(),
            Change::Propose { .. } | Change::Amend { .. } => false,
        }
    }

    /// What the change was, as a record's history names it.
    pub fn text(&self) -> Text {
        match self {
            Change::Right { action, .. } => action.text(),
            Change::Permit { action, .. } => action.text(),
            Change::Propose { .. } => t::CHANGE_PROPOSE,
            Change::Amend { .. } => t::CHANGE_AMEND,
        }
    }
}

/// The record a change is about, as it stands now: a right whole (whether it may be restored
/// depends on more than its state), a permit by its state.
#[derive(Clone, Copy, Debug)]
pub enum Current<'a> {
    Right(&'a crate::access::PersonalRight),
    Permit(PermitState),
}

impl Current<'_> {
    pub fn state(self) -> RecordState {
        match self {
            Current::Right(r) => RecordState::Right(r.state),
            Current::Permit(s) => RecordState::Permit(s),
        }
    }
}

/// The state of the record a change is about, before or after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordState {
    Right(RightState),
    Permit(PermitState),
}

impl RecordState {
    pub fn text(self) -> Text {
        match self {
            RecordState::Right(s) => right_state_text(s),
            RecordState::Permit(s) => permit_state_text(s),
        }
    }
}

/// A right's state in words.
pub fn right_state_text(state: RightState) -> Text {
    match state {
        RightState::Proposed => t::RIGHT_STATE_PROPOSED,
        RightState::Active => t::RIGHT_STATE_ACTIVE,
        RightState::Ended => t::RIGHT_STATE_ENDED,
        RightState::Blocked => t::RIGHT_STATE_BLOCKED,
    }
}

/// A permit's state in words.
pub fn permit_state_text(state: PermitState) -> Text {
    match state {
        PermitState::Active => t::PERMIT_STATE_ACTIVE,
        PermitState::Suspended => t::PERMIT_STATE_SUSPENDED,
        PermitState::Ended => t::PERMIT_STATE_ENDED,
    }
}

/// A role in words.
pub fn role_text(role: Role) -> Text {
    match role {
        Role::QueryUser => t::ROLE_QUERY_USER,
        Role::ResponsibleUser => t::ROLE_RESPONSIBLE_USER,
        Role::RegistryStaff => t::ROLE_REGISTRY_STAFF,
        Role::ExtractionResponsibleUser => t::ROLE_EXTRACTION_RESPONSIBLE_USER,
    }
}

/// Why a change was made, in the changer's words: printable text, 3 to [`Reason::MAX`]
/// characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason(String);

impl Reason {
    pub const MIN: u16 = 3;
    pub const MAX: u16 = 300;

    /// Reads what the user typed: `None` when blank.
    pub fn parse(input: &str) -> Result<Option<Reason>, FieldError> {
        crate::validation::short_text(input, Field::Reason, Reason::MIN, Reason::MAX, |c| {
            !c.is_control()
        })
        .map(|text| text.map(Reason))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the one asking for a change is, as the registry's records say (never the token's
/// roles): their personal right and their organisation.
#[derive(Clone, Debug)]
pub struct Changer<'a> {
    pub principal: &'a Principal,
    pub right: Option<&'a crate::access::PersonalRight>,
    pub organisation: Option<&'a Organisation>,
    /// The changer's organisation has a data permit in force.
    pub permit_active: bool,
    /// The changer applied for their organisation's granted permit and the organisation has
    /// no responsible user yet: they may nominate one.
    pub nominates: bool,
}

impl Changer<'_> {
    /// An active, unexpired right of this user in their own organisation with `role`.
    fn holds(&self, role: Role, today: Date) -> bool {
        self.right.is_some_and(|r| {
            r.user == self.principal.subject
                && r.organisation == self.principal.organisation
                && r.serves(role, today)
        })
    }

    /// Registry staff: the role, held in the registry's own organisation.
    pub fn is_registry_staff(&self, today: Date) -> bool {
        self.holds(Role::RegistryStaff, today)
            && self
                .organisation
                .is_some_and(|o| o.kind == OrgKind::Registry && o.id == self.principal.organisation)
    }

    /// A responsible user of `org`.
    pub fn is_responsible_for(&self, org: &OrgId, today: Date) -> bool {
        self.principal.organisation == *org && self.holds(Role::ResponsibleUser, today)
    }
}

/// Decides one change: who may make it, from which state, and whether a reason is needed.
/// `current` is the target as it stands (`None`: no such record). The answer is the state the
/// change leads to.
///
/// A right comes into force only by the registry: its Approve of a proposal, its Unblock, its
/// ApproveChange of a proposed change (and its grant of a municipal order). The one exception
/// is a Restore, which undoes its own organisation's End of a right in force: it puts back the
/// roles, screens and last valid day the right was in force with, and only before that day
/// ([`crate::access::PersonalRight::restorable`]). So no sequence of steps without the
/// registry puts a right in force with more than the registry approved.
pub fn authorize_change(
    changer: &Changer<'_>,
    change: &Change,
    current: Option<Current<'_>>,
    reason: Option<&Reason>,
    today: Date,
) -> Result<RecordState, Denied> {
    let staff = changer.is_registry_staff(today);
    // Whether the change is made as registry staff: checked last, so that a sign-in without
    // the role's level is told so only about a change it could otherwise make.
    let as_staff;
    match change {
        Change::Right {
            organisation,
            user,
            action,
        } => {
            let responsible = changer.is_responsible_for(organisation, today);
            if !(staff || responsible) {
                return Err(Denied::NotResponsibleUser);
            }
            if action.registry_only() && !staff {
                return Err(Denied::RegistryStaffOnly);
            }
            // A registry-only step, or another organisation's rights.
            as_staff = action.registry_only() || !responsible;
            // Nobody grants, restores or unblocks themselves, nor hides their own trail by
            // ending their own right in a hurry: another person does it.
            if *user == changer.principal.subject && *organisation == changer.principal.organisation
            {
                return Err(Denied::OwnRight);
            }
        }
        Change::Permit {
            organisation,
            action,
        } => {
            // The organisation may tighten its own sign-in; the rest is the registry's.
            let own = action.organisation_may() && changer.is_responsible_for(organisation, today);
            if !(staff || own) {
                return Err(Denied::RegistryStaffOnly);
            }
            as_staff = !own;
        }
        Change::Propose {
            organisation,
            user,
            roles,
        } => {
            let current = current.map(Current::state);
            return authorize_proposal(changer, organisation, user, roles, current, today);
        }
        Change::Amend {
            organisation,
            user,
            roles,
            ..
        } => {
            let current = current.map(Current::state);
            return authorize_amendment(changer, organisation, user, roles, current, today);
        }
    }
    if change.needs_reason() && reason.is_none() {
        return Err(Denied::ReasonRequired);
    }
    let next = match (change, current) {
        (Change::Right { action, .. }, Some(Current::Right(right))) => {
            let next = action.apply(right.state).ok_or(Denied::NotFromThisState)?;
            if *action == RightAction::Restore && !right.restorable_on(today) {
                return Err(Denied::NotRestorable);
            }
            RecordState::Right(next)
        }
        (Change::Permit { action, .. }, Some(Current::Permit(from))) => {
            RecordState::Permit(action.apply(from).ok_or(Denied::NotFromThisState)?)
        }
        _ => return Err(Denied::NoSuchRecord),
    };
    if as_staff {
        changer.principal.may_act_as(Role::RegistryStaff)?;
    }
    Ok(next)
}

/// A proposal of a right: by a responsible user of the organisation for a colleague, or by the
/// nominating applicant for the first responsible user (themselves or a colleague), on a
/// permit in force, for roles a responsible user may propose, where the person has no right
/// or an ended one. The registry's approval puts it in force.
fn authorize_proposal(
    changer: &Changer<'_>,
    organisation: &OrgId,
    user: &UserId,
    roles: &[Role],
    current: Option<RecordState>,
    today: Date,
) -> Result<RecordState, Denied> {
    let responsible = changer.is_responsible_for(organisation, today);
    let nominating = changer.nominates && changer.principal.organisation == *organisation;
    if !(responsible || nominating) {
        return Err(Denied::NotResponsibleUser);
    }
    if !changer.permit_active {
        return Err(Denied::NoPermit);
    }
    if roles.is_empty()
        || roles.contains(&Role::RegistryStaff)
        || (!responsible && !roles.contains(&Role::ResponsibleUser))
    {
        return Err(Denied::RoleNotProposable);
    }
    if responsible && *user == changer.principal.subject {
        return Err(Denied::OwnRight);
    }
    match current {
        None | Some(RecordState::Right(RightState::Ended)) => {
            Ok(RecordState::Right(RightState::Proposed))
        }
        Some(_) => Err(Denied::NotFromThisState),
    }
}

/// A proposed change of a right in force: by a responsible user of the organisation, for a
/// colleague (never themselves), on a permit in force, to roles a responsible user may
/// propose. The right stays in force as it was; the registry's approval applies the change.
fn authorize_amendment(
    changer: &Changer<'_>,
    organisation: &OrgId,
    user: &UserId,
    roles: &[Role],
    current: Option<RecordState>,
    today: Date,
) -> Result<RecordState, Denied> {
    if !changer.is_responsible_for(organisation, today) {
        return Err(Denied::NotResponsibleUser);
    }
    if !changer.permit_active {
        return Err(Denied::NoPermit);
    }
    if roles.is_empty() || roles.iter().any(|r| !PROPOSABLE_ROLES.contains(r)) {
        return Err(Denied::RoleNotProposable);
    }
    if *user == changer.principal.subject {
        return Err(Denied::OwnRight);
    }
    match current {
        Some(RecordState::Right(RightState::Active)) => Ok(RecordState::Right(RightState::Active)),
        None => Err(Denied::NoSuchRecord),
        Some(_) => Err(Denied::NotFromThisState),
    }
}

/// A right after an allowed change of its state to `to` by `changer` ([`Change::Right`], not a
/// pending change's decision): its roles, screens and last valid day stay as they are. It may
/// be restored later only when its own organisation ended it while it was in force.
pub fn right_after(
    changer: &Changer<'_>,
    right: &crate::access::PersonalRight,
    action: RightAction,
    to: RightState,
) -> crate::access::PersonalRight {
    crate::access::PersonalRight {
        state: to,
        restorable: action == RightAction::End
            && right.state == RightState::Active
            && changer.principal.organisation == right.organisation,
        ..right.clone()
    }
}

/// A proposed right for a person the identity provider has signed in: it starts afresh, so no
/// screens limit, end date or restorability of an ended right carries over unseen; the
/// registry's approval puts it in force as proposed.
pub fn proposed_right(known: &KnownUser, roles: &[Role]) -> crate::access::PersonalRight {
    crate::access::PersonalRight {
        user: known.subject.clone(),
        name: known.name.clone(),
        organisation: known.organisation.clone(),
        roles: roles.to_vec(),
        screens: None,
        valid_until: None,
        state: RightState::Proposed,
        restorable: false,
    }
}

/// The right a granted municipal order gives the responsible user it names: a query and
/// responsible user's right in force. A right that stands is not weakened: a block stays (the
/// registry lifts it on its own), a right in force keeps its screens and last valid day and
/// gains the two roles.
pub fn nominated_right(
    known: &KnownUser,
    existing: Option<&crate::access::PersonalRight>,
) -> crate::access::PersonalRight {
    const ROLES: [Role; 2] = [Role::QueryUser, Role::ResponsibleUser];
    match existing {
        Some(r) if r.state == RightState::Blocked => r.clone(),
        Some(r) if r.state == RightState::Active => {
            let mut roles = r.roles.clone();
            roles.extend(ROLES.iter().filter(|role| !r.roles.contains(role)));
            crate::access::PersonalRight { roles, ..r.clone() }
        }
        _ => crate::access::PersonalRight {
            state: RightState::Active,
            ..proposed_right(known, &ROLES)
        },
    }
}

/// A proposed change of roles or screens, waiting for the registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub roles: Vec<Role>,
    /// `None`: all of the permit's screens.
    pub screens: Option<Vec<crate::catalogue::ScreenId>>,
    pub at: Timestamp,
    pub by_name: String,
}

impl Amendment {
    /// The right as it will be once approved.
    pub fn applied_to(&self, right: &crate::access::PersonalRight) -> crate::access::PersonalRight {
        crate::access::PersonalRight {
            roles: self.roles.clone(),
            screens: self.screens.clone(),
            ..right.clone()
        }
    }
}

/// The roles a responsible user may propose, in the order the form offers them.
pub const PROPOSABLE_ROLES: [Role; 3] = [
    Role::QueryUser,
    Role::ResponsibleUser,
    Role::ExtractionResponsibleUser,
];

/// One entry of a record's history: who changed it, when, from what to what and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRecord {
    pub at: Timestamp,
    /// The changer's provider subject and name at the time.
    pub by: UserId,
    pub by_name: String,
    pub by_organisation: OrgId,
    pub change: Change,
    /// `None`: the record did not exist before (a first proposal).
    pub from: Option<RecordState>,
    pub to: RecordState,
    pub reason: Option<Reason>,
}

impl ChangeRecord {
    /// The history line of `change` made by `by` at `at`.
    pub fn new(
        by: &Principal,
        at: Timestamp,
        change: Change,
        (from, to): (Option<RecordState>, RecordState),
        reason: Option<Reason>,
    ) -> ChangeRecord {
        ChangeRecord {
            at,
            by: by.subject.clone(),
            by_name: by.name.clone(),
            by_organisation: by.organisation.clone(),
            change,
            from,
            to,
            reason,
        }
    }
}

/// A person the identity provider signed in, as the registry last saw them: whom a responsible
/// user can propose (nobody can be proposed who has never signed in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownUser {
    pub subject: UserId,
    pub name: String,
    pub organisation: OrgId,
    pub last_seen: Timestamp,
}

/// A personal right as the management pages show it, with the actions the viewer may take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightView {
    pub right: crate::access::PersonalRight,
    pub actions: Vec<RightAction>,
    /// The latest [`HISTORY_SHOWN`] changes, oldest first; `history_total` counts them all.
    pub history: Vec<ChangeRecord>,
    pub history_total: u32,
    /// In force, and its last valid day within [`ENDS_SOON_DAYS`]: time to renew or end it.
    pub ends_soon: bool,
    /// A change of roles or screens waiting for the registry.
    pub pending: Option<Amendment>,
}

/// How near its last valid day a right is flagged as ending soon.
pub const ENDS_SOON_DAYS: i64 = 30;

/// Whether a right in force ends within [`ENDS_SOON_DAYS`] of `today`.
pub fn ends_soon(right: &crate::access::PersonalRight, today: Date) -> bool {
    right.state == RightState::Active
        && right
            .valid_until
            .is_some_and(|last| last >= today && last <= today.add_days(ENDS_SOON_DAYS))
}

/// A permit as registry staff see it on the management page, with the actions open to them:
/// the parts the page shows (not the whole permit, whose screen and data-group lists the page
/// does not need to carry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermitView {
    pub organisation: Organisation,
    pub number: String,
    pub purposes: Vec<crate::access::Purpose>,
    pub state: PermitState,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    /// Every query needs a two-factor sign-in.
    pub two_factor_required: bool,
    pub actions: Vec<PermitAction>,
    /// The latest [`HISTORY_SHOWN`] changes, oldest first; `history_total` counts them all.
    pub history: Vec<ChangeRecord>,
    pub history_total: u32,
}

/// How many of a record's latest changes the management page shows with it (every change is
/// kept, and in the audit trail).
pub const HISTORY_SHOWN: usize = 10;

/// A reveal of protected data (break glass), as registry staff are notified of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealNotice<S> {
    pub at: Timestamp,
    pub by: UserId,
    pub by_name: String,
    pub organisation: OrgId,
    pub screen: crate::catalogue::ScreenId,
    /// The subject: a register reference in the store, a sealed link on the page.
    pub subject: S,
    pub reason: Reason,
}

/// What the management page shows its viewer: the rights they manage and, for registry staff,
/// every permit and the latest reveals of protected data, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Management {
    /// One page of the rights, [`RIGHTS_PAGE`] at a time, in (organisation, user) order.
    pub rights: Vec<RightView>,
    /// How many rights there are in all, and which page this is.
    pub rights_total: u32,
    pub page: u32,
    /// People of the viewer's organisation who have signed in and hold no right in force or
    /// proposed: whom a responsible user can propose.
    pub candidates: Vec<KnownUser>,
    pub permits: Vec<PermitView>,
    pub reveals: Vec<RevealNotice<crate::screen::SubjectLink>>,
    /// A responsible user: the screens of their organisation's permit, which a proposed change
    /// may choose from.
    pub screens_on_offer: Vec<crate::catalogue::ScreenId>,
    /// A responsible user: the organisation's attestation round in progress or last held.
    pub attestation: Option<Attestation>,
    /// A responsible user: their organisation's permit, with the steps open to them on it
    /// (requiring a two-factor sign-in of every user).
    pub own_permit: Option<PermitView>,
}

/// Rights per page of the management page.
pub const RIGHTS_PAGE: u32 = 50;

/// How far ahead an attestation round's last day may be set: time enough to answer, not so
/// long that it is forgotten.
pub const ATTESTATION_DAYS: std::ops::RangeInclusive<i64> = 7..=90;

/// The last day of an attestation round as typed (d.m.yyyy), 7 to 90 days from `today`.
pub fn attestation_deadline(input: &str, today: Date) -> Result<Date, FieldError> {
    let field = crate::validation::Field::ValidUntil;
    if input.trim().is_empty() {
        return Err(FieldError::new(field, ValidationError::Required(field)));
    }
    let day = Date::parse_input(input).map_err(|e| FieldError::new(field, e))?;
    let ahead = day.days_since_epoch() - today.days_since_epoch();
    if ATTESTATION_DAYS.contains(&ahead) {
        Ok(day)
    } else {
        Err(FieldError::new(
            field,
            ValidationError::Date(crate::validation::DateRule::Window {
                min: *ATTESTATION_DAYS.start() as u16,
                max: *ATTESTATION_DAYS.end() as u16,
            }),
        ))
    }
}

/// One person in an attestation round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationEntry {
    pub user: UserId,
    pub name: String,
    /// The right's last valid day before the round (restored on confirmation).
    pub previous_until: Option<Date>,
    pub confirmed: Option<Timestamp>,
}

/// "Confirm these people still need access": every right in force of the organisation (but
/// the starter's own) ends on `deadline` unless the responsible user confirms it first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestation {
    pub organisation: OrgId,
    pub started: Timestamp,
    pub by_name: String,
    pub deadline: Date,
    pub entries: Vec<AttestationEntry>,
}

impl Attestation {
    /// A new round over `rights`: those in force, except `starter`'s own.
    pub fn start(
        organisation: OrgId,
        by_name: String,
        started: Timestamp,
        deadline: Date,
        rights: &[crate::access::PersonalRight],
        starter: &UserId,
    ) -> Attestation {
        let today = started.date_in_finland();
        let entries = rights
            .iter()
            .filter(|r| {
                r.state == RightState::Active
                    && r.user != *starter
                    && r.valid_until.is_none_or(|last| last >= today)
            })
            .map(|r| AttestationEntry {
                user: r.user.clone(),
                name: r.name.clone(),
                previous_until: r.valid_until,
                confirmed: None,
            })
            .collect();
        Attestation {
            organisation,
            started,
            by_name,
            deadline,
            entries,
        }
    }

    /// Still running on `today`: its last day has not passed and someone is unconfirmed.
    pub fn open(&self, today: Date) -> bool {
        today <= self.deadline && self.entries.iter().any(|e| e.confirmed.is_none())
    }

    /// A right's last valid day while the round runs: the earlier of its own and the round's.
    pub fn until_during(&self, previous: Option<Date>) -> Option<Date> {
        Some(previous.map_or(self.deadline, |p| p.min(self.deadline)))
    }
}

/// The actions `changer` may take on a right now (those [`authorize_change`] would allow,
/// reasons aside): the page offers only these.
/// A change the page offers: one allowed now, or one the changer's role allows once they
/// sign in with a second factor (acting asks for the step-up).
fn offered(decision: Result<RecordState, Denied>) -> bool {
    matches!(decision, Ok(_) | Err(Denied::RoleNeedsTwoFactor(_)))
}

pub fn right_actions(
    changer: &Changer<'_>,
    right: &crate::access::PersonalRight,
    today: Date,
) -> Vec<RightAction> {
    RightAction::ALL
        .into_iter()
        .filter(|&action| {
            let change = Change::Right {
                organisation: right.organisation.clone(),
                user: right.user.clone(),
                action,
            };
            let any = Reason("any".into());
            offered(authorize_change(
                changer,
                &change,
                Some(Current::Right(right)),
                Some(&any),
                today,
            ))
        })
        .collect()
}

/// The decisions on a pending change of roles or screens `changer` may take on this right.
pub fn change_decisions(
    changer: &Changer<'_>,
    right: &crate::access::PersonalRight,
    today: Date,
) -> Vec<RightAction> {
    RightAction::CHANGE_DECISIONS
        .into_iter()
        .filter(|&action| {
            let change = Change::Right {
                organisation: right.organisation.clone(),
                user: right.user.clone(),
                action,
            };
            let any = Reason("any".into());
            offered(authorize_change(
                changer,
                &change,
                Some(Current::Right(right)),
                Some(&any),
                today,
            ))
        })
        .collect()
}

/// The actions `changer` may take on a permit now.
pub fn permit_actions(
    changer: &Changer<'_>,
    permit: &crate::access::Permit,
    today: Date,
) -> Vec<PermitAction> {
    PermitAction::ALL
        .into_iter()
        .filter(|action| action.changes_sign_in(permit.two_factor_required))
        .filter(|&action| {
            let change = Change::Permit {
                organisation: permit.organisation.clone(),
                action,
            };
            let any = Reason("any".into());
            offered(authorize_change(
                changer,
                &change,
                Some(Current::Permit(permit.state)),
                Some(&any),
                today,
            ))
        })
        .collect()
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::PersonalRight;
    use crate::principal::Acr;
    use crate::validation::ValidationError;

    /// A case of the change policy: name, changer, change, current state, reason, decision.
    type Case<'a> = (
        &'static str,
        &'a Changer<'a>,
        Change,
        Option<RecordState>,
        Option<Reason>,
        Result<RecordState, Denied>,
    );

    fn today() -> Date {
        Date::new(2026, 12, 1).unwrap_or_else(|e| unreachable!("{e}"))
    }

    fn principal(user: &'static str, org: &'static str) -> Principal {
        Principal {
            subject: UserId::from_static(user),
            name: user.into(),
            organisation: OrgId::from_static(org),
            organisation_name: org.into(),
            acr: Acr::TwoFactor,
        }
    }

    fn right(
        user: &'static str,
        org: &'static str,
        roles: &[Role],
        state: RightState,
    ) -> PersonalRight {
        PersonalRight {
            user: UserId::from_static(user),
            name: user.into(),
            organisation: OrgId::from_static(org),
            roles: roles.to_vec(),
            screens: None,
            valid_until: None,
            state,
            restorable: false,
        }
    }

    fn org(id: &'static str, kind: OrgKind) -> Organisation {
        Organisation {
            id: OrgId::from_static(id),
            business_id: BusinessId::from_body(101_263).unwrap_or_else(|| unreachable!()),
            name: id.into(),
            kind,
        }
    }

    fn on_right(org: &'static str, user: &'static str, action: RightAction) -> Change {
        Change::Right {
            organisation: OrgId::from_static(org),
            user: UserId::from_static(user),
            action,
        }
    }

    fn reason() -> Reason {
        Reason("epäilty väärinkäyttö".into())
    }

    /// The policy over a target given by its state alone, as the tables below state it: a
    /// right is the change's user's, until further notice, and (if ended) ended by its own
    /// organisation while in force; the Restore rules have their own test.
    fn authorize_change(
        changer: &Changer<'_>,
        change: &Change,
        current: Option<RecordState>,
        reason: Option<&Reason>,
        today: Date,
    ) -> Result<RecordState, Denied> {
        let target = match (current, change.user()) {
            (Some(RecordState::Right(state)), Some(user)) => Some(PersonalRight {
                restorable: true,
                organisation: change.organisation().clone(),
                user: user.clone(),
                ..right("u-any", "espoo", &[Role::QueryUser], state)
            }),
            _ => None,
        };
        let current = match current {
            Some(RecordState::Right(_)) => target.as_ref().map(Current::Right),
            Some(RecordState::Permit(state)) => Some(Current::Permit(state)),
            None => None,
        };
        super::authorize_change(changer, change, current, reason, today)
    }

    #[test]
    fn a_municipal_orders_nominee_gets_a_right_in_force_and_nothing_that_stands_is_weakened() {
        let known = KnownUser {
            subject: UserId::from_static("u-mirja"),
            name: "Mirja".into(),
            organisation: OrgId::from_static("vantaa"),
            last_seen: Timestamp(0),
        };
        let both = vec![Role::QueryUser, Role::ResponsibleUser];
        let fresh = PersonalRight {
            name: "Mirja".into(),
            ..right("u-mirja", "vantaa", &both, RightState::Active)
        };
        // No right, a proposal, an ended one: a right in force as the order names it.
        assert_eq!(nominated_right(&known, None), fresh);
        for state in [RightState::Proposed, RightState::Ended] {
            let old = PersonalRight {
                screens: Some(vec![crate::catalogue::ScreenId::PersonBasic]),
                valid_until: Some(today()),
                restorable: true,
                ..right(
                    "u-mirja",
                    "vantaa",
                    &[Role::ExtractionResponsibleUser],
                    state,
                )
            };
            assert_eq!(nominated_right(&known, Some(&old)), fresh, "{state:?}");
        }
        // A block stands.
        let blocked = right("u-mirja", "vantaa", &[Role::QueryUser], RightState::Blocked);
        assert_eq!(nominated_right(&known, Some(&blocked)), blocked);
        // A right in force gains the two roles (once each) and keeps its screens and last day.
        let active = PersonalRight {
            screens: Some(vec![crate::catalogue::ScreenId::PersonBasic]),
            valid_until: Some(today()),
            ..right(
                "u-mirja",
                "vantaa",
                &[Role::ResponsibleUser, Role::ExtractionResponsibleUser],
                RightState::Active,
            )
        };
        assert_eq!(
            nominated_right(&known, Some(&active)),
            PersonalRight {
                roles: vec![
                    Role::ResponsibleUser,
                    Role::ExtractionResponsibleUser,
                    Role::QueryUser
                ],
                ..active.clone()
            }
        );
    }

    #[test]
    fn a_change_names_the_user_whose_right_it_is() {
        let org = OrgId::from_static("espoo");
        assert_eq!(
            on_right("espoo", "u-frank", RightAction::End).user(),
            Some(&UserId::from_static("u-frank"))
        );
        let propose = Change::Propose {
            organisation: org.clone(),
            user: UserId::from_static("u-gus"),
            roles: Vec::new(),
        };
        assert_eq!(propose.user(), Some(&UserId::from_static("u-gus")));
        let amend = Change::Amend {
            organisation: org.clone(),
            user: UserId::from_static("u-hilla"),
            roles: Vec::new(),
            screens: None,
        };
        assert_eq!(amend.user(), Some(&UserId::from_static("u-hilla")));
        let permit = Change::Permit {
            organisation: org,
            action: PermitAction::Suspend,
        };
        assert_eq!(permit.user(), None);
    }

    #[test]
    fn only_a_right_its_own_organisation_ended_in_force_is_restored_before_its_last_day() {
        let day = today();
        let espoo = org("espoo", OrgKind::Municipality);
        let dvv = org("dvv", OrgKind::Registry);
        let bob_p = principal("u-bob", "espoo");
        let bob_r = right(
            "u-bob",
            "espoo",
            &[Role::QueryUser, Role::ResponsibleUser],
            RightState::Active,
        );
        let bob = Changer {
            principal: &bob_p,
            right: Some(&bob_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let dora_p = principal("u-dora", "dvv");
        let dora_r = right("u-dora", "dvv", &[Role::RegistryStaff], RightState::Active);
        let dora = Changer {
            principal: &dora_p,
            right: Some(&dora_r),
            organisation: Some(&dvv),
            permit_active: true,
            nominates: false,
        };
        let frank = right("u-frank", "espoo", &[Role::QueryUser], RightState::Active);
        let restore = on_right("espoo", "u-frank", RightAction::Restore);
        let end = |who: &Changer<'_>, r: &PersonalRight| {
            right_after(who, r, RightAction::End, RightState::Ended)
        };
        let decide = |who: &Changer<'_>, r: &PersonalRight| {
            super::authorize_change(who, &restore, Some(Current::Right(r)), None, day)
        };
        let active = Ok(RecordState::Right(RightState::Active));

        // Ended in force by its own organisation: restored, by it or by the registry.
        let ended = end(&bob, &frank);
        assert!(ended.restorable);
        assert_eq!(decide(&bob, &ended), active);
        assert_eq!(decide(&dora, &ended), active);
        // ... until its last valid day, and not after it.
        let mut last_day = end(
            &bob,
            &PersonalRight {
                valid_until: Some(day),
                ..frank.clone()
            },
        );
        assert_eq!(decide(&bob, &last_day), active);
        last_day.valid_until = Some(day.add_days(-1));
        assert_eq!(decide(&bob, &last_day), Err(Denied::NotRestorable));
        assert_eq!(decide(&dora, &last_day), Err(Denied::NotRestorable));

        // The registry's own end stands.
        let by_registry = end(&dora, &frank);
        assert!(!by_registry.restorable);
        assert_eq!(decide(&bob, &by_registry), Err(Denied::NotRestorable));

        // A blocked right ended: the block is not undone by a restore.
        let blocked = right_after(&bob, &frank, RightAction::Block, RightState::Blocked);
        let ended_block = end(&bob, &blocked);
        assert!(!ended_block.restorable);
        assert_eq!(decide(&bob, &ended_block), Err(Denied::NotRestorable));

        // A proposal withdrawn or turned down was never in force.
        let gus = PersonalRight {
            user: UserId::from_static("u-frank"),
            ..right("u-frank", "espoo", &[Role::QueryUser], RightState::Proposed)
        };
        let withdrawn = right_after(&bob, &gus, RightAction::Reject, RightState::Ended);
        assert_eq!(decide(&bob, &withdrawn), Err(Denied::NotRestorable));
        let turned_down = right_after(&dora, &gus, RightAction::Reject, RightState::Ended);
        assert_eq!(decide(&bob, &turned_down), Err(Denied::NotRestorable));

        // A new proposal over an ended right, withdrawn: nothing to restore.
        let known = KnownUser {
            subject: UserId::from_static("u-frank"),
            name: "Frank".into(),
            organisation: OrgId::from_static("espoo"),
            last_seen: Timestamp(0),
        };
        let again = proposed_right(&known, &[Role::QueryUser, Role::ResponsibleUser]);
        assert!(!again.restorable);
        assert_eq!(again.state, RightState::Proposed);
        let withdrawn = right_after(&bob, &again, RightAction::Reject, RightState::Ended);
        assert_eq!(decide(&bob, &withdrawn), Err(Denied::NotRestorable));

        // A restored right is in force as it was, and restorable again only by a new end.
        let back = right_after(&bob, &ended, RightAction::Restore, RightState::Active);
        assert_eq!(
            back,
            PersonalRight {
                restorable: false,
                ..frank.clone()
            }
        );
        // Not offered where refused.
        assert!(!right_actions(&bob, &by_registry, day).contains(&RightAction::Restore));
        assert!(right_actions(&bob, &ended, day).contains(&RightAction::Restore));
    }

    #[test]
    fn right_transitions_follow_the_registrys_state_diagram() {
        use RightAction::*;
        use RightState::*;
        let table = [
            (Approve, [Some(Active), None, None, None]),
            (Reject, [Some(Ended), None, None, None]),
            (End, [None, Some(Ended), None, Some(Ended)]),
            (Restore, [None, None, Some(Active), None]),
            (Block, [Some(Blocked), Some(Blocked), Some(Blocked), None]),
            (Unblock, [None, None, None, Some(Active)]),
        ];
        for (action, outcomes) in table {
            for (from, want) in [Proposed, Active, Ended, Blocked].into_iter().zip(outcomes) {
                assert_eq!(action.apply(from), want, "{action:?} from {from:?}");
            }
        }
        use PermitState as P;
        let table = [
            (PermitAction::Suspend, [Some(P::Suspended), None, None]),
            (PermitAction::Resume, [None, Some(P::Active), None]),
            (PermitAction::End, [Some(P::Ended), Some(P::Ended), None]),
            (
                PermitAction::RequireTwoFactor,
                [Some(P::Active), Some(P::Suspended), None],
            ),
            (
                PermitAction::AllowOneFactor,
                [Some(P::Active), Some(P::Suspended), None],
            ),
        ];
        for (action, outcomes) in table {
            for (from, want) in [P::Active, P::Suspended, P::Ended]
                .into_iter()
                .zip(outcomes)
            {
                assert_eq!(action.apply(from), want, "{action:?} from {from:?}");
            }
        }
    }

    #[test]
    fn who_may_change_what() {
        let day = today();
        let dvv = org("dvv", OrgKind::Registry);
        let espoo = org("espoo", OrgKind::Municipality);
        let dora_p = principal("u-dora", "dvv");
        let dora_r = right(
            "u-dora",
            "dvv",
            &[Role::QueryUser, Role::RegistryStaff],
            RightState::Active,
        );
        let staff = Changer {
            principal: &dora_p,
            right: Some(&dora_r),
            organisation: Some(&dvv),
            permit_active: true,
            nominates: false,
        };
        let bob_p = principal("u-bob", "espoo");
        let bob_r = right(
            "u-bob",
            "espoo",
            &[Role::QueryUser, Role::ResponsibleUser],
            RightState::Active,
        );
        let responsible = Changer {
            principal: &bob_p,
            right: Some(&bob_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        // Staff's role in another organisation's right is no staff role.
        let impostor_r = right(
            "u-bob",
            "espoo",
            &[Role::RegistryStaff, Role::ResponsibleUser],
            RightState::Active,
        );
        let impostor = Changer {
            principal: &bob_p,
            right: Some(&impostor_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let ended_bob = right(
            "u-bob",
            "espoo",
            &[Role::ResponsibleUser],
            RightState::Ended,
        );
        let former = Changer {
            principal: &bob_p,
            right: Some(&ended_bob),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let mut expired_r = bob_r.clone();
        expired_r.valid_until = Some(day.add_days(-1));
        let expired = Changer {
            principal: &bob_p,
            right: Some(&expired_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let carol_p = principal("u-carol", "espoo");
        let carol_r = right("u-carol", "espoo", &[Role::QueryUser], RightState::Active);
        let plain = Changer {
            principal: &carol_p,
            right: Some(&carol_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let nobody = Changer {
            principal: &carol_p,
            right: None,
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };

        let frank = |a| on_right("espoo", "u-frank", a);
        let r = |s| Some(RecordState::Right(s));
        let why = Some(reason());
        use RightAction::*;
        use RightState::*;
        let cases: Vec<Case> = vec![
            (
                "staff approve",
                &staff,
                frank(Approve),
                r(Proposed),
                None,
                Ok(RecordState::Right(Active)),
            ),
            (
                "responsible cannot approve",
                &responsible,
                frank(Approve),
                r(Proposed),
                None,
                Err(Denied::RegistryStaffOnly),
            ),
            (
                "responsible ends",
                &responsible,
                frank(End),
                r(Active),
                None,
                Ok(RecordState::Right(Ended)),
            ),
            (
                "responsible restores",
                &responsible,
                frank(Restore),
                r(Ended),
                None,
                Ok(RecordState::Right(Active)),
            ),
            (
                "responsible blocks with a reason",
                &responsible,
                frank(Block),
                r(Active),
                why.clone(),
                Ok(RecordState::Right(Blocked)),
            ),
            (
                "block needs a reason",
                &responsible,
                frank(Block),
                r(Active),
                None,
                Err(Denied::ReasonRequired),
            ),
            (
                "responsible cannot unblock",
                &responsible,
                frank(Unblock),
                r(Blocked),
                why.clone(),
                Err(Denied::RegistryStaffOnly),
            ),
            (
                "staff unblocks",
                &staff,
                frank(Unblock),
                r(Blocked),
                why.clone(),
                Ok(RecordState::Right(Active)),
            ),
            (
                "responsible withdraws a proposal",
                &responsible,
                frank(Reject),
                r(Proposed),
                why.clone(),
                Ok(RecordState::Right(Ended)),
            ),
            (
                "another organisation's user",
                &responsible,
                on_right("poliisi", "u-alice", End),
                r(Active),
                None,
                Err(Denied::NotResponsibleUser),
            ),
            (
                "staff in any organisation",
                &staff,
                on_right("poliisi", "u-alice", End),
                r(Active),
                None,
                Ok(RecordState::Right(Ended)),
            ),
            (
                "own right",
                &responsible,
                on_right("espoo", "u-bob", End),
                r(Active),
                None,
                Err(Denied::OwnRight),
            ),
            (
                "staff's own right",
                &staff,
                on_right("dvv", "u-dora", Block),
                r(Active),
                why.clone(),
                Err(Denied::OwnRight),
            ),
            (
                "a query user",
                &plain,
                frank(End),
                r(Active),
                None,
                Err(Denied::NotResponsibleUser),
            ),
            (
                "no right at all",
                &nobody,
                frank(End),
                r(Active),
                None,
                Err(Denied::NotResponsibleUser),
            ),
            (
                "staff role outside the registry",
                &impostor,
                frank(Approve),
                r(Proposed),
                None,
                Err(Denied::RegistryStaffOnly),
            ),
            (
                "an ended responsible user",
                &former,
                frank(End),
                r(Active),
                None,
                Err(Denied::NotResponsibleUser),
            ),
            (
                "an expired responsible user",
                &expired,
                frank(End),
                r(Active),
                None,
                Err(Denied::NotResponsibleUser),
            ),
            (
                "not from this state",
                &responsible,
                frank(Restore),
                r(Active),
                None,
                Err(Denied::NotFromThisState),
            ),
            (
                "no such right",
                &responsible,
                frank(End),
                None,
                None,
                Err(Denied::NoSuchRecord),
            ),
            (
                "a permit state for a right",
                &staff,
                frank(End),
                Some(RecordState::Permit(PermitState::Active)),
                None,
                Err(Denied::NoSuchRecord),
            ),
        ];
        for (name, who, change, current, reason, want) in cases {
            assert_eq!(
                authorize_change(who, &change, current, reason.as_ref(), day),
                want,
                "{name}"
            );
        }

        let suspend = |a| Change::Permit {
            organisation: OrgId::from_static("espoo"),
            action: a,
        };
        let p = |s| Some(RecordState::Permit(s));
        use PermitAction as A;
        let cases: Vec<Case> = vec![
            (
                "staff suspends",
                &staff,
                suspend(A::Suspend),
                p(PermitState::Active),
                why.clone(),
                Ok(RecordState::Permit(PermitState::Suspended)),
            ),
            (
                "suspend needs a reason",
                &staff,
                suspend(A::Suspend),
                p(PermitState::Active),
                None,
                Err(Denied::ReasonRequired),
            ),
            (
                "staff resumes without one",
                &staff,
                suspend(A::Resume),
                p(PermitState::Suspended),
                None,
                Ok(RecordState::Permit(PermitState::Active)),
            ),
            (
                "responsible user cannot",
                &responsible,
                suspend(A::Suspend),
                p(PermitState::Active),
                why.clone(),
                Err(Denied::RegistryStaffOnly),
            ),
            (
                "an ended permit stays ended",
                &staff,
                suspend(A::Resume),
                p(PermitState::Ended),
                None,
                Err(Denied::NotFromThisState),
            ),
        ];
        for (name, who, change, current, reason, want) in cases {
            assert_eq!(
                authorize_change(who, &change, current, reason.as_ref(), day),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn a_right_ends_soon_within_thirty_days_of_its_last_day() {
        let day = today();
        let mut r = right("u-frank", "espoo", &[Role::QueryUser], RightState::Active);
        assert!(!ends_soon(&r, day), "until further notice");
        for (offset, want) in [(-1, false), (0, true), (30, true), (31, false)] {
            r.valid_until = Some(day.add_days(offset));
            assert_eq!(ends_soon(&r, day), want, "{offset}");
        }
        r.valid_until = Some(day.add_days(5));
        r.state = RightState::Ended;
        assert!(!ends_soon(&r, day), "only a right in force");
    }

    #[test]
    fn who_may_propose_a_right() {
        let day = today();
        let espoo = org("espoo", OrgKind::Municipality);
        let bob_p = principal("u-bob", "espoo");
        let bob_r = right(
            "u-bob",
            "espoo",
            &[Role::ResponsibleUser],
            RightState::Active,
        );
        let responsible = Changer {
            principal: &bob_p,
            right: Some(&bob_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let ilkka_p = principal("u-ilkka", "kotiapu");
        let applicant = Changer {
            principal: &ilkka_p,
            right: None,
            organisation: None,
            permit_active: true,
            nominates: true,
        };
        let not_yet = Changer {
            permit_active: false,
            ..applicant.clone()
        };
        let stranger = Changer {
            nominates: false,
            ..applicant.clone()
        };
        let propose = |org: &'static str, user: &'static str, roles: &[Role]| Change::Propose {
            organisation: OrgId::from_static(org),
            user: UserId::from_static(user),
            roles: roles.to_vec(),
        };
        let q = [Role::QueryUser];
        let ru = [Role::ResponsibleUser, Role::QueryUser];
        let proposed = Ok(RecordState::Right(RightState::Proposed));
        let r = |s| Some(RecordState::Right(s));
        let cases: Vec<Case> = vec![
            (
                "a colleague",
                &responsible,
                propose("espoo", "u-gus", &q),
                None,
                None,
                proposed,
            ),
            (
                "an ended right again",
                &responsible,
                propose("espoo", "u-gus", &q),
                r(RightState::Ended),
                None,
                proposed,
            ),
            (
                "not over an active right",
                &responsible,
                propose("espoo", "u-gus", &q),
                r(RightState::Active),
                None,
                Err(Denied::NotFromThisState),
            ),
            (
                "not over a block",
                &responsible,
                propose("espoo", "u-gus", &q),
                r(RightState::Blocked),
                None,
                Err(Denied::NotFromThisState),
            ),
            (
                "not twice",
                &responsible,
                propose("espoo", "u-gus", &q),
                r(RightState::Proposed),
                None,
                Err(Denied::NotFromThisState),
            ),
            (
                "not in another organisation",
                &responsible,
                propose("poliisi", "u-x", &q),
                None,
                None,
                Err(Denied::NotResponsibleUser),
            ),
            (
                "not oneself",
                &responsible,
                propose("espoo", "u-bob", &q),
                r(RightState::Ended),
                None,
                Err(Denied::OwnRight),
            ),
            (
                "no staff role",
                &responsible,
                propose("espoo", "u-gus", &[Role::RegistryStaff]),
                None,
                None,
                Err(Denied::RoleNotProposable),
            ),
            (
                "some role",
                &responsible,
                propose("espoo", "u-gus", &[]),
                None,
                None,
                Err(Denied::RoleNotProposable),
            ),
            (
                "the applicant nominates themselves",
                &applicant,
                propose("kotiapu", "u-ilkka", &ru),
                None,
                None,
                proposed,
            ),
            (
                "or a colleague",
                &applicant,
                propose("kotiapu", "u-jaana", &ru),
                None,
                None,
                proposed,
            ),
            (
                "but only a responsible user",
                &applicant,
                propose("kotiapu", "u-jaana", &q),
                None,
                None,
                Err(Denied::RoleNotProposable),
            ),
            (
                "only in their organisation",
                &applicant,
                propose("espoo", "u-jaana", &ru),
                None,
                None,
                Err(Denied::NotResponsibleUser),
            ),
            (
                "only on a permit in force",
                &not_yet,
                propose("kotiapu", "u-ilkka", &ru),
                None,
                None,
                Err(Denied::NoPermit),
            ),
            (
                "nobody else of the organisation",
                &stranger,
                propose("kotiapu", "u-ilkka", &ru),
                None,
                None,
                Err(Denied::NotResponsibleUser),
            ),
        ];
        for (name, who, change, current, reason, want) in cases {
            assert_eq!(
                authorize_change(who, &change, current, reason.as_ref(), day),
                want,
                "{name}"
            );
        }
        let staff_p = principal("u-dora", "dvv");
        let staff_r = right("u-dora", "dvv", &[Role::RegistryStaff], RightState::Active);
        let dvv = org("dvv", OrgKind::Registry);
        let staff = Changer {
            principal: &staff_p,
            right: Some(&staff_r),
            organisation: Some(&dvv),
            permit_active: true,
            nominates: false,
        };
        assert_eq!(
            authorize_change(&staff, &propose("espoo", "u-gus", &q), None, None, day),
            Err(Denied::NotResponsibleUser),
            "the registry approves; it does not propose"
        );
    }

    #[test]
    fn registry_staff_act_only_after_a_two_factor_sign_in() {
        let day = today();
        let dvv = org("dvv", OrgKind::Registry);
        let mut dora_p = principal("u-dora", "dvv");
        dora_p.acr = Acr::OneFactor;
        let dora_r = right(
            "u-dora",
            "dvv",
            &[Role::RegistryStaff, Role::ResponsibleUser],
            RightState::Active,
        );
        let staff = Changer {
            principal: &dora_p,
            right: Some(&dora_r),
            organisation: Some(&dvv),
            permit_active: true,
            nominates: false,
        };
        let reason = Reason("tarkastettu".into());
        let decide = |change: Change, current| {
            authorize_change(&staff, &change, Some(current), Some(&reason), day)
        };
        let step_up = Err(Denied::RoleNeedsTwoFactor(Role::RegistryStaff));
        let right_of = |org: &'static str, action| Change::Right {
            organisation: OrgId::from_static(org),
            user: UserId::from_static("u-frank"),
            action,
        };
        assert_eq!(
            decide(
                right_of("espoo", RightAction::Approve),
                RecordState::Right(RightState::Proposed)
            ),
            step_up
        );
        assert_eq!(
            decide(
                right_of("espoo", RightAction::Block),
                RecordState::Right(RightState::Active)
            ),
            step_up
        );
        // The registry's own approval of its own colleague is still a registry act.
        assert_eq!(
            decide(
                right_of("dvv", RightAction::Approve),
                RecordState::Right(RightState::Proposed)
            ),
            step_up
        );
        // As the registry's responsible user, for a colleague: no staff act, no step-up.
        assert_eq!(
            decide(
                right_of("dvv", RightAction::End),
                RecordState::Right(RightState::Active)
            ),
            Ok(RecordState::Right(RightState::Ended))
        );
        let suspend = Change::Permit {
            organisation: OrgId::from_static("espoo"),
            action: PermitAction::Suspend,
        };
        assert_eq!(
            decide(suspend.clone(), RecordState::Permit(PermitState::Active)),
            step_up
        );
        // A change that does not apply says so, not that a second factor would help.
        assert_eq!(
            decide(suspend, RecordState::Permit(PermitState::Ended)),
            Err(Denied::NotFromThisState)
        );
        // The page still offers what the role may do; acting asks for the step-up.
        let frank = right("u-frank", "espoo", &[Role::QueryUser], RightState::Proposed);
        assert!(right_actions(&staff, &frank, day).contains(&RightAction::Approve));
        let strong = Principal {
            acr: Acr::TwoFactor,
            ..dora_p.clone()
        };
        let staff = Changer {
            principal: &strong,
            ..staff
        };
        assert_eq!(
            authorize_change(
                &staff,
                &right_of("espoo", RightAction::Approve),
                Some(RecordState::Right(RightState::Proposed)),
                Some(&reason),
                day
            ),
            Ok(RecordState::Right(RightState::Active))
        );
    }

    #[test]
    fn the_offered_actions_are_exactly_the_allowed_ones() {
        let day = today();
        let espoo = org("espoo", OrgKind::Municipality);
        let bob_p = principal("u-bob", "espoo");
        let bob_r = right(
            "u-bob",
            "espoo",
            &[Role::ResponsibleUser],
            RightState::Active,
        );
        let responsible = Changer {
            principal: &bob_p,
            right: Some(&bob_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let frank = |s| right("u-frank", "espoo", &[Role::QueryUser], s);
        use RightAction::*;
        assert_eq!(
            right_actions(&responsible, &frank(RightState::Active), day),
            vec![End, Block]
        );
        assert_eq!(
            right_actions(&responsible, &frank(RightState::Proposed), day),
            vec![Reject, Block]
        );
        // An ended right is restored only where its own organisation ended it in force.
        assert_eq!(
            right_actions(&responsible, &frank(RightState::Ended), day),
            vec![Block]
        );
        assert_eq!(
            right_actions(
                &responsible,
                &PersonalRight {
                    restorable: true,
                    ..frank(RightState::Ended)
                },
                day
            ),
            vec![Restore, Block]
        );
        assert_eq!(
            right_actions(&responsible, &frank(RightState::Blocked), day),
            vec![End]
        );
        assert!(
            right_actions(&responsible, &bob_r, day).is_empty(),
            "not on one's own right"
        );
        let dvv = org("dvv", OrgKind::Registry);
        let dora_p = principal("u-dora", "dvv");
        let dora_r = right("u-dora", "dvv", &[Role::RegistryStaff], RightState::Active);
        let staff = Changer {
            principal: &dora_p,
            right: Some(&dora_r),
            organisation: Some(&dvv),
            permit_active: true,
            nominates: false,
        };
        let permit = |state| crate::access::Permit {
            number: "DVV/1/2026".into(),
            organisation: OrgId::from_static("espoo"),
            screens: Vec::new(),
            searches: Vec::new(),
            purposes: Vec::new(),
            protected_data: false,
            two_factor_required: false,
            break_glass: false,
            conditions: Vec::new(),
            fees: crate::fees::Fees::Statutory,
            valid_from: day,
            valid_until: None,
            state,
        };
        use PermitAction as P;
        assert_eq!(
            permit_actions(&staff, &permit(PermitState::Active), day),
            vec![P::Suspend, P::End, P::RequireTwoFactor]
        );
        assert_eq!(
            permit_actions(&staff, &permit(PermitState::Suspended), day),
            vec![P::Resume, P::End, P::RequireTwoFactor]
        );
        assert!(permit_actions(&staff, &permit(PermitState::Ended), day).is_empty());
        // The organisation's responsible user may only tighten its own sign-in.
        assert_eq!(
            permit_actions(&responsible, &permit(PermitState::Active), day),
            vec![P::RequireTwoFactor]
        );
        let strict = |state| crate::access::Permit {
            two_factor_required: true,
            ..permit(state)
        };
        assert!(permit_actions(&responsible, &strict(PermitState::Active), day).is_empty());
        assert_eq!(
            permit_actions(&staff, &strict(PermitState::Active), day),
            vec![P::Suspend, P::End, P::AllowOneFactor]
        );
        // Another organisation's responsible user: nothing.
        let vantaa = org("vantaa", OrgKind::Municipality);
        let niko_p = principal("u-niko", "vantaa");
        let niko_r = right(
            "u-niko",
            "vantaa",
            &[Role::ResponsibleUser],
            RightState::Active,
        );
        let other = Changer {
            principal: &niko_p,
            right: Some(&niko_r),
            organisation: Some(&vantaa),
            permit_active: true,
            nominates: false,
        };
        assert!(permit_actions(&other, &permit(PermitState::Active), day).is_empty());
        // Tightening needs no reason and no staff sign-in level; loosening needs both.
        let mut weak = bob_p.clone();
        weak.acr = Acr::OneFactor;
        let weak_responsible = Changer {
            principal: &weak,
            ..responsible
        };
        let on_espoo = |action| Change::Permit {
            organisation: OrgId::from_static("espoo"),
            action,
        };
        let active = Some(RecordState::Permit(PermitState::Active));
        assert_eq!(
            authorize_change(
                &weak_responsible,
                &on_espoo(P::RequireTwoFactor),
                active,
                None,
                day
            ),
            Ok(RecordState::Permit(PermitState::Active))
        );
        assert_eq!(
            authorize_change(
                &weak_responsible,
                &on_espoo(P::AllowOneFactor),
                active,
                Some(&Reason("pyyntö".into())),
                day
            ),
            Err(Denied::RegistryStaffOnly)
        );
        assert_eq!(
            authorize_change(&staff, &on_espoo(P::AllowOneFactor), active, None, day),
            Err(Denied::ReasonRequired)
        );
        assert_eq!(
            right_actions(&staff, &frank(RightState::Proposed), day),
            vec![Approve, Reject, Block]
        );
    }

    #[test]
    fn each_record_has_its_own_history_key_and_every_change_to_it_shares_it() {
        let espoo = OrgId::from_static("espoo");
        let keys: std::collections::BTreeSet<String> = [
            right_key(&espoo, &UserId::from_static("u-bob")),
            right_key(&espoo, &UserId::from_static("u-frank")),
            right_key(&OrgId::from_static("vantaa"), &UserId::from_static("u-bob")),
            permit_key(&espoo),
            permit_key(&OrgId::from_static("vantaa")),
        ]
        .into();
        assert_eq!(keys.len(), 5, "{keys:?}");
        for action in RightAction::ALL {
            assert_eq!(
                on_right("espoo", "u-bob", action).target_key(),
                right_key(&espoo, &UserId::from_static("u-bob"))
            );
        }
        for action in PermitAction::ALL {
            let change = Change::Permit {
                organisation: espoo.clone(),
                action,
            };
            assert_eq!(change.target_key(), permit_key(&espoo));
            assert_eq!(change.organisation(), &espoo);
        }
    }

    #[test]
    fn a_change_names_no_more_roles_or_screens_than_there_are() {
        assert!(on_right("espoo", "u-bob", RightAction::End).is_well_formed());
        assert!(amend("u-bob", &[Role::QueryUser; 4]).is_well_formed());
        assert!(!amend("u-bob", &[Role::QueryUser; 5]).is_well_formed());
        let propose = |n: usize| Change::Propose {
            organisation: OrgId::from_static("espoo"),
            user: UserId::from_static("u-bob"),
            roles: vec![Role::QueryUser; n],
        };
        assert!(propose(4).is_well_formed());
        assert!(!propose(5).is_well_formed());
        let screens = |n: usize| Change::Amend {
            organisation: OrgId::from_static("espoo"),
            user: UserId::from_static("u-bob"),
            roles: vec![Role::QueryUser],
            screens: Some(vec![crate::catalogue::ScreenId::ALL[0]; n]),
        };
        assert!(screens(crate::catalogue::ScreenId::ALL.len()).is_well_formed());
        assert!(!screens(crate::catalogue::ScreenId::ALL.len() + 1).is_well_formed());
    }

    #[test]
    fn a_reason_is_printable_text_of_a_few_words_at_most_a_paragraph() {
        assert_eq!(Reason::parse("  "), Ok(None));
        assert_eq!(
            Reason::parse(" tarkastus ")
                .ok()
                .flatten()
                .as_ref()
                .map(Reason::as_str),
            Some("tarkastus")
        );
        assert_eq!(
            Reason::parse(" epäilty väärinkäyttö ").map(|r| r.map(|r| r.0)),
            Ok(Some("epäilty väärinkäyttö".into()))
        );
        assert_eq!(
            Reason::parse("ok").map_err(|e| e.error),
            Err(ValidationError::TooShort {
                field: Field::Reason,
                min: Reason::MIN
            }),
            "too short to explain anything"
        );
        assert!(Reason::parse("abc").is_ok());
        assert!(Reason::parse("rivi\u{7}kello").is_err());
        let longest = "a".repeat(usize::from(Reason::MAX));
        assert!(Reason::parse(&longest).is_ok());
        assert!(Reason::parse(&format!("{longest}a")).is_err());
    }

    fn amend(user: &'static str, roles: &[Role]) -> Change {
        Change::Amend {
            organisation: OrgId::from_static("espoo"),
            user: UserId::from_static(user),
            roles: roles.to_vec(),
            screens: None,
        }
    }

    #[test]
    fn a_change_of_roles_is_a_responsible_users_proposal_on_a_right_in_force() {
        let day = today();
        let espoo = org("espoo", OrgKind::Municipality);
        let bob_p = principal("u-bob", "espoo");
        let bob_r = right(
            "u-bob",
            "espoo",
            &[Role::QueryUser, Role::ResponsibleUser],
            RightState::Active,
        );
        let responsible = Changer {
            principal: &bob_p,
            right: Some(&bob_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let no_permit = Changer {
            permit_active: false,
            ..responsible.clone()
        };
        let frank_p = principal("u-frank", "espoo");
        let frank_r = right("u-frank", "espoo", &[Role::QueryUser], RightState::Active);
        let query_user = Changer {
            principal: &frank_p,
            right: Some(&frank_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let r = |s| Some(RecordState::Right(s));
        let q = [Role::QueryUser, Role::ResponsibleUser];
        let cases: Vec<Case> = vec![
            (
                "proposed",
                &responsible,
                amend("u-frank", &q),
                r(RightState::Active),
                None,
                Ok(RecordState::Right(RightState::Active)),
            ),
            (
                "not responsible",
                &query_user,
                amend("u-gus", &q),
                r(RightState::Active),
                None,
                Err(Denied::NotResponsibleUser),
            ),
            (
                "no permit",
                &no_permit,
                amend("u-frank", &q),
                r(RightState::Active),
                None,
                Err(Denied::NoPermit),
            ),
            (
                "staff role",
                &responsible,
                amend("u-frank", &[Role::RegistryStaff]),
                r(RightState::Active),
                None,
                Err(Denied::RoleNotProposable),
            ),
            (
                "no roles",
                &responsible,
                amend("u-frank", &[]),
                r(RightState::Active),
                None,
                Err(Denied::RoleNotProposable),
            ),
            (
                "own right",
                &responsible,
                amend("u-bob", &q),
                r(RightState::Active),
                None,
                Err(Denied::OwnRight),
            ),
            (
                "proposed right",
                &responsible,
                amend("u-frank", &q),
                r(RightState::Proposed),
                None,
                Err(Denied::NotFromThisState),
            ),
            (
                "ended right",
                &responsible,
                amend("u-frank", &q),
                r(RightState::Ended),
                None,
                Err(Denied::NotFromThisState),
            ),
            (
                "blocked right",
                &responsible,
                amend("u-frank", &q),
                r(RightState::Blocked),
                None,
                Err(Denied::NotFromThisState),
            ),
            (
                "nobody",
                &responsible,
                amend("u-x", &q),
                None,
                None,
                Err(Denied::NoSuchRecord),
            ),
            (
                "another organisation",
                &responsible,
                Change::Amend {
                    organisation: OrgId::from_static("poliisi"),
                    user: UserId::from_static("u-alice"),
                    roles: q.to_vec(),
                    screens: None,
                },
                r(RightState::Active),
                None,
                Err(Denied::NotResponsibleUser),
            ),
        ];
        for (name, changer, change, current, reason, want) in cases {
            assert_eq!(
                authorize_change(changer, &change, current, reason.as_ref(), day),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn a_pending_change_is_approved_by_the_registry_and_withdrawn_by_either_with_a_reason() {
        let day = today();
        let dvv = org("dvv", OrgKind::Registry);
        let espoo = org("espoo", OrgKind::Municipality);
        let dora_p = principal("u-dora", "dvv");
        let dora_r = right("u-dora", "dvv", &[Role::RegistryStaff], RightState::Active);
        let staff = Changer {
            principal: &dora_p,
            right: Some(&dora_r),
            organisation: Some(&dvv),
            permit_active: true,
            nominates: false,
        };
        let bob_p = principal("u-bob", "espoo");
        let bob_r = right(
            "u-bob",
            "espoo",
            &[Role::ResponsibleUser],
            RightState::Active,
        );
        let responsible = Changer {
            principal: &bob_p,
            right: Some(&bob_r),
            organisation: Some(&espoo),
            permit_active: true,
            nominates: false,
        };
        let frank = right("u-frank", "espoo", &[Role::QueryUser], RightState::Active);
        assert_eq!(
            change_decisions(&staff, &frank, day),
            RightAction::CHANGE_DECISIONS.to_vec()
        );
        assert_eq!(
            change_decisions(&responsible, &frank, day),
            vec![RightAction::RejectChange]
        );
        for state in [RightState::Proposed, RightState::Ended, RightState::Blocked] {
            let other = right("u-frank", "espoo", &[Role::QueryUser], state);
            assert!(
                change_decisions(&staff, &other, day).is_empty(),
                "{state:?}"
            );
        }
        let reject = on_right("espoo", "u-frank", RightAction::RejectChange);
        assert_eq!(
            authorize_change(
                &staff,
                &reject,
                Some(RecordState::Right(RightState::Active)),
                None,
                day
            ),
            Err(Denied::ReasonRequired)
        );
        assert!(RightAction::ApproveChange.registry_only());
        assert!(!RightAction::RejectChange.registry_only());
        assert!(
            RightAction::ApproveChange.decides_change()
                && RightAction::RejectChange.decides_change()
        );
        assert!(RightAction::ALL.iter().all(|a| !a.decides_change()));
        assert!(amend("u-frank", &[Role::QueryUser]).is_well_formed());
        assert!(UserId::parse("u frank").is_err(), "no change can name it");
        assert_eq!(amend("u-frank", &[]).target_key(), "right/espoo/u-frank");
        let a = Amendment {
            roles: vec![Role::QueryUser, Role::ResponsibleUser],
            screens: Some(vec![crate::catalogue::ScreenId::PersonBasic]),
            at: Timestamp(0),
            by_name: "Bob".into(),
        };
        let applied = a.applied_to(&frank);
        assert_eq!(applied.roles, a.roles);
        assert_eq!(applied.screens, a.screens);
        assert_eq!(
            (applied.user.as_str(), applied.state),
            ("u-frank", RightState::Active)
        );
    }

    #[test]
    fn an_attestation_round_covers_colleagues_in_force_and_sets_their_last_day() {
        let started = Timestamp(today().days_since_epoch() * 86_400_000 + 10 * 3_600_000);
        let deadline = today().add_days(14);
        let mut rights = vec![
            right(
                "u-bob",
                "espoo",
                &[Role::ResponsibleUser],
                RightState::Active,
            ),
            right("u-frank", "espoo", &[Role::QueryUser], RightState::Active),
            right("u-gus", "espoo", &[Role::QueryUser], RightState::Proposed),
            right("u-ida", "espoo", &[Role::QueryUser], RightState::Ended),
            right("u-jon", "espoo", &[Role::QueryUser], RightState::Active),
            right("u-old", "espoo", &[Role::QueryUser], RightState::Active),
        ];
        rights[4].valid_until = Some(today().add_days(3));
        rights[5].valid_until = Some(today().add_days(-1));
        let round = Attestation::start(
            OrgId::from_static("espoo"),
            "Bob".into(),
            started,
            deadline,
            &rights,
            &UserId::from_static("u-bob"),
        );
        let users: Vec<&str> = round.entries.iter().map(|e| e.user.as_str()).collect();
        assert_eq!(users, vec!["u-frank", "u-jon"]);
        assert_eq!(round.until_during(None), Some(deadline));
        assert_eq!(
            round.until_during(Some(today().add_days(3))),
            Some(today().add_days(3))
        );
        assert_eq!(
            round.until_during(Some(today().add_days(40))),
            Some(deadline)
        );
        assert!(round.open(today()));
        assert!(round.open(deadline));
        assert!(!round.open(deadline.add_days(1)));
        let mut done = round.clone();
        for e in &mut done.entries {
            e.confirmed = Some(started);
        }
        assert!(!done.open(today()), "everyone confirmed");
    }

    #[test]
    fn an_attestation_deadline_is_one_to_thirteen_weeks_ahead() {
        let day = today();
        assert_eq!(
            attestation_deadline(&day.add_days(7).to_finnish(), day),
            Ok(day.add_days(7))
        );
        assert_eq!(
            attestation_deadline(&day.add_days(90).to_finnish(), day),
            Ok(day.add_days(90))
        );
        for bad in [day.add_days(6), day.add_days(91), day, day.add_days(-3)] {
            assert_eq!(
                attestation_deadline(&bad.to_finnish(), day).map_err(|e| e.error),
                Err(ValidationError::Date(crate::validation::DateRule::Window {
                    min: 7,
                    max: 90
                })),
                "{bad:?}"
            );
        }
        assert_eq!(
            attestation_deadline(" ", day).map_err(|e| e.error),
            Err(ValidationError::Required(Field::ValidUntil))
        );
        assert!(matches!(
            attestation_deadline("31.2.2027", day).map_err(|e| e.error),
            Err(ValidationError::Date(_))
        ));
    }
}
