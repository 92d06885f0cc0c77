//! The right state machine as a property: random sequences of every actor's steps on one
//! colleague's right (registry staff with and without a second factor, the organisation's
//! responsible user, the colleague themselves, another organisation's responsible user, a
//! responsible user whose own right has expired), with attestation rounds and days passing.
//! Each step the policy allows is applied with the domain's own transition functions, as the
//! engine applies it. Beside it the test keeps, independently of the policy, what the registry
//! last approved (its Approve, Unblock and ApproveChange, or the right it started with); after
//! every step a right in force holds no role, screen or day beyond that, and a right the
//! registry never approved is never in force.

use super::*;
use crate::access::PersonalRight;
use crate::catalogue::ScreenId;
use crate::principal::Acr;
use proptest::prelude::*;

const SCREENS: [ScreenId; 3] = [
    ScreenId::PersonBasic,
    ScreenId::PersonAddresses,
    ScreenId::BuildingBasic,
];
const ROLES: [Role; 4] = [
    Role::QueryUser,
    Role::ResponsibleUser,
    Role::ExtractionResponsibleUser,
    Role::RegistryStaff,
];

fn start_day() -> Date {
    Date::new(2026, 12, 1).unwrap_or_else(|e| unreachable!("{e}"))
}

/// Who acts.
#[derive(Clone, Copy, Debug)]
enum Who {
    Staff,
    StaffOneFactor,
    Responsible,
    /// The colleague whose right it is.
    Holder,
    OtherOrganisation,
    ExpiredResponsible,
}

#[derive(Clone, Debug)]
enum Step {
    Right(Who, RightAction, bool),
    Propose(Who, Vec<Role>),
    Amend(Who, Vec<Role>, Option<Vec<ScreenId>>),
    /// The responsible user starts an attestation round ending this many days ahead.
    StartRound(i64),
    /// ... and confirms the colleague in it.
    Confirm,
    Days(i64),
}

/// The terms a right is in force with.
#[derive(Clone, Debug, PartialEq)]
struct Terms {
    roles: Vec<Role>,
    screens: Option<Vec<ScreenId>>,
    valid_until: Option<Date>,
}

impl Terms {
    fn of(r: &PersonalRight) -> Terms {
        Terms {
            roles: r.roles.clone(),
            screens: r.screens.clone(),
            valid_until: r.valid_until,
        }
    }

    /// No role, screen or day beyond `approved`.
    fn within(&self, approved: &Terms) -> bool {
        let roles = self.roles.iter().all(|r| approved.roles.contains(r));
        let screens = match (&self.screens, &approved.screens) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(mine), Some(theirs)) => mine.iter().all(|s| theirs.contains(s)),
        };
        let days = match (self.valid_until, approved.valid_until) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(mine), Some(theirs)) => mine <= theirs,
        };
        roles && screens && days
    }
}

fn subset<T: Copy + std::fmt::Debug + 'static>(
    items: &'static [T],
) -> impl Strategy<Value = Vec<T>> {
    (0u32..(1 << items.len())).prop_map(move |mask| {
        items
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, t)| *t)
            .collect()
    })
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        3 => Just(Who::Staff),
        1 => Just(Who::StaffOneFactor),
        4 => Just(Who::Responsible),
        1 => Just(Who::Holder),
        1 => Just(Who::OtherOrganisation),
        1 => Just(Who::ExpiredResponsible),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let actions: Vec<RightAction> = RightAction::ALL
        .into_iter()
        .chain(RightAction::CHANGE_DECISIONS)
        .collect();
    prop_oneof![
        6 => (who(), proptest::sample::select(actions), any::<bool>())
            .prop_map(|(w, a, r)| Step::Right(w, a, r)),
        2 => (who(), subset(&ROLES)).prop_map(|(w, r)| Step::Propose(w, r)),
        2 => (who(), subset(&ROLES), proptest::option::of(subset(&SCREENS)))
            .prop_map(|(w, r, s)| Step::Amend(w, r, s)),
        1 => (0i64..40).prop_map(Step::StartRound),
        1 => Just(Step::Confirm),
        1 => (1i64..60).prop_map(Step::Days),
    ]
}

/// Where the sequence starts: no right, a proposal, or a right the registry put in force
/// (with or without a screens limit and an end date).
fn start() -> impl Strategy<Value = Option<PersonalRight>> {
    let state = prop_oneof![
        Just(None),
        Just(Some(RightState::Proposed)),
        Just(Some(RightState::Active)),
    ];
    (
        state,
        subset(&ROLES[..3]),
        proptest::option::of(subset(&SCREENS)),
        proptest::option::of(0i64..90),
    )
        .prop_map(|(state, roles, screens, days)| {
            state.map(|state| PersonalRight {
                user: UserId::from_static("u-frank"),
                name: "Frank".into(),
                organisation: OrgId::from_static("espoo"),
                roles,
                screens,
                valid_until: days.map(|d| start_day().add_days(d)),
                state,
                restorable: false,
            })
        })
}

struct World {
    staff: (Principal, PersonalRight, Organisation),
    staff_one_factor: Principal,
    bob: (Principal, PersonalRight, Organisation),
    expired_bob: PersonalRight,
    frank: (Principal, PersonalRight),
    other: (Principal, PersonalRight, Organisation),
}

fn principal(subject: &'static str, org: &'static str, acr: Acr) -> Principal {
    Principal {
        subject: UserId::from_static(subject),
        name: subject.into(),
        organisation: OrgId::from_static(org),
        organisation_name: org.into(),
        acr,
    }
}

fn organisation(id: &'static str, kind: OrgKind) -> Organisation {
    Organisation {
        id: OrgId::from_static(id),
        business_id: crate::ids::BusinessId::from_body(101_263).unwrap_or_else(|| unreachable!()),
        name: id.into(),
        kind,
    }
}

fn active(subject: &'static str, org: &'static str, roles: &[Role]) -> PersonalRight {
    PersonalRight {
        user: UserId::from_static(subject),
        name: subject.into(),
        organisation: OrgId::from_static(org),
        roles: roles.to_vec(),
        screens: None,
        valid_until: None,
        state: RightState::Active,
        restorable: false,
    }
}

impl World {
    fn new() -> World {
        World {
            staff: (
                principal("u-dora", "dvv", Acr::TwoFactor),
                active("u-dora", "dvv", &[Role::QueryUser, Role::RegistryStaff]),
                organisation("dvv", OrgKind::Registry),
            ),
            staff_one_factor: principal("u-dora", "dvv", Acr::OneFactor),
            bob: (
                principal("u-bob", "espoo", Acr::OneFactor),
                active("u-bob", "espoo", &[Role::QueryUser, Role::ResponsibleUser]),
                organisation("espoo", OrgKind::Municipality),
            ),
            expired_bob: PersonalRight {
                valid_until: Some(start_day().add_days(-1)),
                ..active("u-bob", "espoo", &[Role::QueryUser, Role::ResponsibleUser])
            },
            frank: (
                principal("u-frank", "espoo", Acr::TwoFactor),
                active(
                    "u-frank",
                    "espoo",
                    &[Role::QueryUser, Role::ResponsibleUser],
                ),
            ),
            other: (
                principal("u-olli", "poliisi", Acr::TwoFactor),
                active(
                    "u-olli",
                    "poliisi",
                    &[Role::QueryUser, Role::ResponsibleUser],
                ),
                organisation("poliisi", OrgKind::StateAgency),
            ),
        }
    }

    /// The changer, as the engine builds it from the registry's records. The holder acts with
    /// the right under test as their own.
    fn changer<'a>(&'a self, who: Who, holder: Option<&'a PersonalRight>) -> Changer<'a> {
        let (principal, right, organisation) = match who {
            Who::Staff => (&self.staff.0, Some(&self.staff.1), &self.staff.2),
            Who::StaffOneFactor => (&self.staff_one_factor, Some(&self.staff.1), &self.staff.2),
            Who::Responsible => (&self.bob.0, Some(&self.bob.1), &self.bob.2),
            Who::ExpiredResponsible => (&self.bob.0, Some(&self.expired_bob), &self.bob.2),
            Who::Holder => (&self.frank.0, holder, &self.bob.2),
            Who::OtherOrganisation => (&self.other.0, Some(&self.other.1), &self.other.2),
        };
        Changer {
            principal,
            right,
            organisation: Some(organisation),
            permit_active: true,
            nominates: false,
        }
    }
}

/// The right under test, its pending change, an attestation round, the day, and what the
/// registry last approved.
struct Model {
    right: Option<PersonalRight>,
    pending: Option<Amendment>,
    round: Option<Attestation>,
    today: Date,
    approved: Option<Terms>,
}

impl Model {
    fn run(&mut self, world: &World, step: &Step) {
        let espoo = OrgId::from_static("espoo");
        let change = match step {
            Step::Right(_, action, _) => Change::Right {
                organisation: espoo.clone(),
                user: UserId::from_static("u-frank"),
                action: *action,
            },
            Step::Propose(_, roles) => Change::Propose {
                organisation: espoo.clone(),
                user: UserId::from_static("u-frank"),
                roles: roles.clone(),
            },
            Step::Amend(_, roles, screens) => Change::Amend {
                organisation: espoo.clone(),
                user: UserId::from_static("u-frank"),
                roles: roles.clone(),
                screens: screens.clone(),
            },
            Step::Days(n) => {
                self.today = self.today.add_days(*n);
                return;
            }
            Step::StartRound(days) => {
                self.start_round(*days);
                return;
            }
            Step::Confirm => {
                self.confirm();
                return;
            }
        };
        let (who, reason) = match step {
            Step::Right(w, _, r) => (*w, *r),
            Step::Propose(w, _) | Step::Amend(w, _, _) => (*w, false),
            _ => return,
        };
        let holder = self.right.clone();
        let changer = world.changer(who, holder.as_ref());
        let reason = reason.then(|| Reason("syy".into()));
        let decided = authorize_change(
            &changer,
            &change,
            self.right.as_ref().map(Current::Right),
            reason.as_ref(),
            self.today,
        );
        let Ok(to) = decided else {
            return;
        };
        let staff = changer.is_registry_staff(self.today);
        match (&change, to) {
            (Change::Propose { roles, .. }, _) => {
                let known = KnownUser {
                    subject: UserId::from_static("u-frank"),
                    name: "Frank".into(),
                    organisation: espoo,
                    last_seen: Timestamp(0),
                };
                self.right = Some(proposed_right(&known, roles));
                // A new proposal: nothing of it is approved yet, whatever was before.
                self.approved = None;
            }
            (Change::Amend { roles, screens, .. }, _) => {
                // The engine offers only the permit's screens and refuses a change that
                // changes nothing; the permit here grants all three.
                let Some(right) = &self.right else { return };
                if *roles == right.roles && *screens == right.screens {
                    return;
                }
                self.pending = Some(Amendment {
                    roles: roles.clone(),
                    screens: screens.clone(),
                    at: Timestamp(0),
                    by_name: "Bob".into(),
                });
            }
            (Change::Right { action, .. }, RecordState::Right(state)) => {
                let Some(right) = self.right.clone() else {
                    return;
                };
                if action.decides_change() {
                    let Some(pending) = self.pending.take() else {
                        return;
                    };
                    if *action == RightAction::ApproveChange {
                        let next = pending.applied_to(&right);
                        if staff {
                            self.approve(&next, true);
                        }
                        self.right = Some(next);
                    }
                } else {
                    let next = right_after(&changer, &right, *action, state);
                    if state != RightState::Active {
                        self.pending = None;
                    }
                    if staff && matches!(action, RightAction::Approve | RightAction::Unblock) {
                        // A proposal is approved whole; an unblock approves the right as it
                        // was before the block.
                        self.approve(&next, *action == RightAction::Unblock);
                    }
                    self.right = Some(next);
                }
            }
            _ => {}
        }
    }

    /// The registry approved `right` as it stands: its roles and screens, and its last valid
    /// day — unless `keep_day` (a change of roles or screens, an unblock) and the registry
    /// approved one before: an attestation round's shorter day is the organisation's, and its
    /// confirmation restores the approved one.
    fn approve(&mut self, right: &PersonalRight, keep_day: bool) {
        let mut terms = Terms::of(right);
        if let Some(before) = self.approved.as_ref().filter(|_| keep_day) {
            terms.valid_until = before.valid_until;
        }
        self.approved = Some(terms);
    }

    /// As the engine starts a round: every right in force ends on the deadline unless
    /// confirmed (the earlier of its own last day and the round's).
    fn start_round(&mut self, days: i64) {
        if self.round.as_ref().is_some_and(|r| r.open(self.today)) {
            return;
        }
        let rights: Vec<PersonalRight> = self.right.iter().cloned().collect();
        let round = Attestation::start(
            OrgId::from_static("espoo"),
            "Bob".into(),
            Timestamp::start_of_finnish_day(self.today),
            self.today.add_days(days),
            &rights,
            &UserId::from_static("u-bob"),
        );
        if let (Some(entry), Some(right)) = (round.entries.first(), self.right.as_mut()) {
            right.valid_until = round.until_during(entry.previous_until);
        }
        self.round = Some(round);
    }

    /// As the engine confirms: the last day before the round comes back, if the right is
    /// still in force with the round's day.
    fn confirm(&mut self) {
        let Some(round) = self.round.as_mut() else {
            return;
        };
        if !round.open(self.today) {
            return;
        }
        let Some(i) = round.entries.iter().position(|e| e.confirmed.is_none()) else {
            return;
        };
        let day = round.until_during(round.entries[i].previous_until);
        let entry = &mut round.entries[i];
        entry.confirmed = Some(Timestamp(0));
        if let Some(right) = self.right.as_mut()
            && right.state == RightState::Active
            && right.valid_until == day
        {
            right.valid_until = entry.previous_until;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn no_right_comes_into_force_beyond_what_the_registry_approved(
        start in start(),
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let world = World::new();
        let approved = start
            .as_ref()
            .filter(|r| r.state == RightState::Active)
            .map(Terms::of);
        let mut model = Model {
            right: start,
            pending: None,
            round: None,
            today: start_day(),
            approved,
        };
        for (i, step) in steps.iter().enumerate() {
            model.run(&world, step);
            if let Some(right) = model.right.as_ref().filter(|r| r.state == RightState::Active) {
                let terms = Terms::of(right);
                let approved = model.approved.as_ref();
                prop_assert!(
                    approved.is_some_and(|a| terms.within(a)),
                    "after step {i} ({step:?}) of {steps:?}: in force with {terms:?}, the registry approved {approved:?}"
                );
            }
        }
    }
}
