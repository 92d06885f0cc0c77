//! Property tests of the access policy over generated personal rights, permits, chosen
//! purposes, sign-in strengths and requests. The rule is stated here a second time, flat, as
//! the law and the permit put it (who holds which right, which permit is in force, what it
//! grants for which purpose); `authorize` must agree with it on every case, show protected data
//! exactly when the permit and the sign-in allow, and the menus (`allowed`) must offer exactly
//! what `authorize` would grant.

use super::*;
use crate::principal::Acr;
use crate::screen::PersonId;
use proptest::prelude::*;

/// The screens the generated permits and rights choose from: two of a person's groups and a
/// building's.
const SCREENS: [ScreenId; 3] = [
    ScreenId::PersonBasic,
    ScreenId::PersonAddresses,
    ScreenId::BuildingBasic,
];
/// The purposes permits grant; a user may also choose one no permit grants.
const PURPOSES: [Purpose; 3] = [
    Purpose::MunicipalTasks,
    Purpose::PoliceInvestigation,
    Purpose::SocialAndHealthServices,
];
const CHOSEN: [Purpose; 4] = [
    Purpose::MunicipalTasks,
    Purpose::PoliceInvestigation,
    Purpose::SocialAndHealthServices,
    Purpose::LicenceAdministration,
];
const SEARCHES: [SearchKind; 3] = [SearchKind::Hetu, SearchKind::Name, SearchKind::Address];

fn today() -> Date {
    Date::new(2026, 12, 1).unwrap_or_else(|e| unreachable!("{e}"))
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

/// A day near today: yesterday, today or tomorrow.
fn near() -> impl Strategy<Value = Date> {
    (-1i64..=1).prop_map(|d| today().add_days(d))
}

fn right() -> impl Strategy<Value = Option<PersonalRight>> {
    let state = prop_oneof![
        Just(RightState::Proposed),
        Just(RightState::Active),
        Just(RightState::Ended),
        Just(RightState::Blocked)
    ];
    let roles = subset(&[Role::QueryUser, Role::ResponsibleUser, Role::RegistryStaff]);
    proptest::option::weighted(
        0.9,
        (
            state,
            roles,
            proptest::option::of(near()),
            proptest::option::of(subset(&SCREENS)),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(state, roles, valid_until, screens, same_user, same_org)| PersonalRight {
                    user: UserId::from_static(if same_user { "u-1" } else { "u-2" }),
                    name: "U".into(),
                    organisation: OrgId::from_static(if same_org { "org" } else { "other" }),
                    roles,
                    screens,
                    valid_until,
                    state,
                    restorable: false,
                },
            ),
    )
}

fn purpose_grants() -> impl Strategy<Value = Vec<PurposeGrant>> {
    let groups = subset(&[
        DataGroup::PersonBasic,
        DataGroup::CurrentAddresses,
        DataGroup::BuildingBasic,
    ]);
    (
        subset(&PURPOSES),
        proptest::collection::vec(proptest::option::of(groups), 3),
    )
        .prop_map(|(purposes, groups)| {
            purposes
                .into_iter()
                .zip(groups)
                .map(|(purpose, groups)| PurposeGrant {
                    purpose,
                    legal_basis: "661/2009".into(),
                    groups,
                })
                .collect()
        })
}

fn permit() -> impl Strategy<Value = Option<Permit>> {
    let state = prop_oneof![
        Just(PermitState::Active),
        Just(PermitState::Suspended),
        Just(PermitState::Ended)
    ];
    proptest::option::weighted(
        0.9,
        (
            (state, near(), proptest::option::of(near())),
            (any::<bool>(), any::<bool>(), any::<bool>()),
            purpose_grants(),
            subset(&SCREENS),
            subset(&SEARCHES),
        )
            .prop_map(
                |(
                    (state, valid_from, valid_until),
                    (protected_data, two_factor_required, break_glass),
                    purposes,
                    screens,
                    searches,
                )| Permit {
                    number: "DVV/1/2026".into(),
                    organisation: OrgId::from_static("org"),
                    screens,
                    searches,
                    purposes,
                    protected_data,
                    two_factor_required,
                    break_glass,
                    conditions: Vec::new(),
                    fees: crate::fees::Fees::Statutory,
                    valid_from,
                    valid_until,
                    state,
                },
            ),
    )
}

fn actor() -> impl Strategy<Value = Actor> {
    (
        proptest::option::of(proptest::sample::select(&CHOSEN[..])),
        any::<bool>(),
    )
        .prop_map(|(purpose, two_factor)| Actor {
            who: Who::User(Principal {
                subject: UserId::from_static("u-1"),
                name: "U".into(),
                organisation: OrgId::from_static("org"),
                organisation_name: "Org".into(),
                // What the token claims never matters: the right decides.
                acr: if two_factor {
                    Acr::TwoFactor
                } else {
                    Acr::OneFactor
                },
            }),
            request_id: "r".into(),
            purpose,
            case_ref: None,
            source: "127.0.0.1".into(),
        })
}

fn request() -> impl Strategy<Value = Request> {
    prop_oneof![
        (proptest::sample::select(&SCREENS[..]), any::<bool>()).prop_map(|(screen, reveal)| {
            Request::Screen {
                screen,
                subject: Some(SubjectRef::Person(PersonId(7))),
                reveal,
            }
        }),
        proptest::sample::select(&SEARCHES[..]).prop_map(Request::Search),
    ]
}

/// The rule, flat: `Some(purpose)` when the request must be granted for that purpose.
fn should_grant(
    actor: &Actor,
    permit: Option<&Permit>,
    right: Option<&PersonalRight>,
    request: Request,
) -> Option<Purpose> {
    let today = today();
    let p = actor.principal()?;
    let right = right?;
    let holds = right.user == p.subject
        && right.organisation == p.organisation
        && right.state == RightState::Active
        && right.valid_until.is_none_or(|d| d >= today)
        && (right.roles.contains(&Role::QueryUser) || right.roles.contains(&Role::RegistryStaff));
    let permit = permit?;
    let in_force = permit.state == PermitState::Active
        && permit.valid_from <= today
        && permit.valid_until.is_none_or(|d| d >= today)
        && (!permit.two_factor_required || p.acr == Acr::TwoFactor);
    let grant = match actor.purpose {
        Some(chosen) => permit.purposes.iter().find(|g| g.purpose == chosen)?,
        None if permit.purposes.len() == 1 => &permit.purposes[0],
        None => return None,
    };
    let covered = match request {
        Request::Screen { screen, reveal, .. } => {
            permit.screens.contains(&screen)
                && right.screens.as_ref().is_none_or(|s| s.contains(&screen))
                && grant
                    .groups
                    .as_ref()
                    .is_none_or(|g| g.contains(&screen.spec().group))
                && (!reveal || permit.protected_data || permit.break_glass)
        }
        Request::Search(kind) => permit.searches.contains(&kind),
    };
    (holds && in_force && covered).then_some(grant.purpose)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn authorize_grants_exactly_what_the_rule_allows(
        actor in actor(),
        permit in permit(),
        right in right(),
        request in request(),
    ) {
        let got = authorize(&actor, permit.as_ref(), right.as_ref(), request, today());
        let want = should_grant(&actor, permit.as_ref(), right.as_ref(), request);
        prop_assert_eq!(got.as_ref().ok().map(|g| g.purpose()), want);
        if let Ok(grant) = &got {
            prop_assert_eq!(grant.request(), request);
            // Protected data: the permit's right or a reveal it allows, after two factors.
            let (permit, p) = (permit.as_ref(), actor.principal());
            let two_factor = p.is_some_and(|p| p.acr == Acr::TwoFactor);
            let reveal = matches!(request, Request::Screen { reveal: true, .. });
            let entitled = permit.is_some_and(|x| x.protected_data || (x.break_glass && reveal));
            prop_assert_eq!(grant.protected_data(), two_factor && entitled);
            // Without it, a protected row is never shown as it is.
            for rows in [ProtectedRows::Omit, ProtectedRows::WithholdProtected] {
                prop_assert_eq!(
                    grant.row_disclosure(rows, true, true) == RowDisclosure::Show,
                    grant.protected_data()
                );
                prop_assert_eq!(grant.row_disclosure(rows, false, true), RowDisclosure::Show);
            }
            // Owners: without it, no natural person is named, and protection makes no
            // difference to how a row is shown.
            let owners = ProtectedRows::AnonymisePersons;
            for person in [true, false] {
                prop_assert_eq!(
                    grant.row_disclosure(owners, true, person),
                    grant.row_disclosure(owners, false, person)
                );
            }
            prop_assert_eq!(
                grant.row_disclosure(owners, false, true) == RowDisclosure::Show,
                grant.protected_data()
            );
        }
    }

    #[test]
    fn the_menus_offer_exactly_what_authorize_grants(
        actor in actor(),
        permit in permit(),
        right in right(),
    ) {
        let a = allowed(&actor, permit.as_ref(), right.as_ref(), today());
        for &screen in ScreenId::ALL {
            let request = Request::Screen {
                screen,
                subject: Some(SubjectRef::Person(PersonId(7))),
                reveal: false,
            };
            let granted = authorize(&actor, permit.as_ref(), right.as_ref(), request, today());
            prop_assert_eq!(a.screens.contains(&screen), granted.is_ok(), "{:?}", screen);
            // A closed screen says why, and the reason is the one a request gets.
            if a.refusal.is_none() && !a.screens.contains(&screen) {
                let why = a.closed.iter().find(|(s, _)| *s == screen).map(|(_, d)| *d);
                prop_assert_eq!(why, granted.err());
            }
        }
        for &kind in SearchKind::ALL {
            let granted = authorize(&actor, permit.as_ref(), right.as_ref(), Request::Search(kind), today());
            prop_assert_eq!(a.searches.contains(&kind), granted.is_ok(), "{:?}", kind);
        }
        match a.refusal {
            Some(_) => prop_assert!(a.screens.is_empty() && a.searches.is_empty() && a.purpose.is_none()),
            None => prop_assert_eq!(a.screens.len() + a.closed.len(), ScreenId::ALL.len()),
        }
    }
}
