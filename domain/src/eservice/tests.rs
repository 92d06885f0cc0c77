//! Tests of the application state machine (every transition stated a second time, flat, as the
//! registry's process describes it; random walks), the form's rules and the service clock.

use super::*;
use proptest::prelude::*;

use ApplicationAction as A;
use ApplicationState as S;

/// The process, as the registry describes it: (state, party, step) → next state. Anything
/// missing here is an illegal transition.
const LEGAL: &[(S, Party, A, S)] = &[
    (S::Draft, Party::Applicant, A::Submit, S::Submitted),
    (
        S::Submitted,
        Party::Registry,
        A::RequestSupplement,
        S::SupplementRequested,
    ),
    (
        S::InNegotiation,
        Party::Registry,
        A::RequestSupplement,
        S::SupplementRequested,
    ),
    (
        S::TechnicalEvaluation,
        Party::Registry,
        A::RequestSupplement,
        S::SupplementRequested,
    ),
    (
        S::SupplementRequested,
        Party::Applicant,
        A::Supplement,
        S::Submitted,
    ),
    (
        S::Submitted,
        Party::Registry,
        A::Negotiate,
        S::InNegotiation,
    ),
    (
        S::Submitted,
        Party::Registry,
        A::Evaluate,
        S::TechnicalEvaluation,
    ),
    (
        S::InNegotiation,
        Party::Registry,
        A::Evaluate,
        S::TechnicalEvaluation,
    ),
    (S::Submitted, Party::Registry, A::Grant, S::Granted),
    (S::InNegotiation, Party::Registry, A::Grant, S::Granted),
    (
        S::TechnicalEvaluation,
        Party::Registry,
        A::Grant,
        S::Granted,
    ),
    (S::Submitted, Party::Registry, A::Reject, S::Rejected),
    (
        S::SupplementRequested,
        Party::Registry,
        A::Reject,
        S::Rejected,
    ),
    (S::InNegotiation, Party::Registry, A::Reject, S::Rejected),
    (
        S::TechnicalEvaluation,
        Party::Registry,
        A::Reject,
        S::Rejected,
    ),
];

#[test]
fn every_transition_not_in_the_process_is_refused() {
    let mut legal = 0;
    for from in S::ALL {
        for party in [Party::Applicant, Party::Registry] {
            for action in A::ALL {
                let want = LEGAL
                    .iter()
                    .find(|(f, p, a, _)| *f == from && *p == party && *a == action)
                    .map(|(_, _, _, to)| *to);
                let got = authorize_action(party, action, from);
                match want {
                    Some(to) => {
                        legal += 1;
                        assert_eq!(got, Ok(to), "{party:?} {action:?} from {from:?}");
                    }
                    None => assert!(got.is_err(), "{party:?} {action:?} from {from:?}"),
                }
            }
        }
    }
    assert_eq!(legal, LEGAL.len(), "every listed transition is legal once");
}

#[test]
fn a_step_of_the_other_party_is_refused_with_whose_it_is() {
    assert_eq!(
        authorize_action(Party::Applicant, A::Grant, S::Submitted),
        Err(Denied::RegistryStaffOnly)
    );
    assert_eq!(
        authorize_action(Party::Registry, A::Submit, S::Draft),
        Err(Denied::NotApplicant)
    );
    assert_eq!(
        authorize_action(Party::Registry, A::Grant, S::Draft),
        Err(Denied::NotFromThisState)
    );
    assert_eq!(
        actions_open(Party::Registry, S::Submitted),
        vec![
            A::RequestSupplement,
            A::Negotiate,
            A::Evaluate,
            A::Grant,
            A::Reject
        ]
    );
    assert_eq!(actions_open(Party::Applicant, S::Submitted), vec![]);
    assert_eq!(
        actions_open(Party::Applicant, S::SupplementRequested),
        vec![A::Supplement]
    );
}

fn step() -> impl Strategy<Value = (Party, A)> {
    (
        prop::sample::select(vec![Party::Applicant, Party::Registry]),
        prop::sample::select(A::ALL.to_vec()),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    /// Any sequence of attempted steps: refused ones change nothing, a decided application
    /// never moves again, and a grant is reached only through a submission.
    #[test]
    fn random_walks_stay_in_the_process(steps in prop::collection::vec(step(), 0..24)) {
        let mut state = S::Draft;
        let mut submitted = false;
        for (party, action) in steps {
            let before = state;
            match authorize_action(party, action, state) {
                Ok(next) => {
                    prop_assert!(!before.decided(), "{action:?} moved a decided application");
                    prop_assert_eq!(action.party(), party);
                    submitted |= action == A::Submit;
                    state = next;
                }
                Err(_) => prop_assert_eq!(state, before),
            }
            if state == S::Granted {
                prop_assert!(submitted);
            }
            prop_assert_eq!(state.applicant_edits(), matches!(state, S::Draft | S::SupplementRequested));
        }
    }

    /// The clock splits the time since the first submission into the registry's and the
    /// applicant's without losing or counting twice any second, and stops at the decision.
    #[test]
    fn the_clock_accounts_for_every_second(
        steps in prop::collection::vec((step(), 1i64..2_000_000), 0..16),
        tail in 0i64..5_000_000,
    ) {
        let start = Timestamp(1_780_000_000_000);
        let mut at = start;
        let mut state = S::Draft;
        let mut events = Vec::new();
        // The flat account: seconds in supplement requested, and all seconds after submission.
        let mut waiting = 0i64;
        let mut handled = 0i64;
        let mut since_submit: Option<Timestamp> = None;
        for ((party, action), gap) in steps {
            if let Ok(to) = authorize_action(party, action, state) {
                if state == S::SupplementRequested {
                    waiting += (at.millis() - last_at(&events)) / 1000;
                } else if state.with_registry() {
                    handled += (at.millis() - last_at(&events)) / 1000;
                }
                events.push(ApplicationEvent { at, by_name: "x".into(), party, action, from: state, to });
                if action == A::Submit {
                    since_submit.get_or_insert(at);
                }
                state = to;
            }
            at = at.plus_seconds(gap);
        }
        let now = at.plus_seconds(tail);
        if !state.decided() {
            if state == S::SupplementRequested {
                waiting += (now.millis() - last_at(&events)) / 1000;
            } else if state.with_registry() {
                handled += (now.millis() - last_at(&events)) / 1000;
            }
        }
        let clock = service_clock(ApplicationKind::DataPermit, &events, now);
        match since_submit {
            None => prop_assert!(clock.is_none()),
            Some(_) => {
                let c = clock.unwrap_or_else(|| unreachable!());
                prop_assert_eq!(c.applicant_seconds, waiting);
                prop_assert_eq!(c.registry_seconds, handled);
                prop_assert_eq!(c.running, !state.decided());
            }
        }
    }
}

fn last_at(events: &[ApplicationEvent]) -> i64 {
    events.last().map_or(0, |e| e.at.millis())
}

fn event(at_days: i64, action: A, from: S, to: S) -> ApplicationEvent {
    ApplicationEvent {
        at: Timestamp(1_780_000_000_000).plus_seconds(at_days * DAY),
        by_name: "x".into(),
        party: action.party(),
        action,
        from,
        to,
    }
}

#[test]
fn waiting_for_the_applicant_does_not_count_against_the_target() {
    let events = vec![
        event(0, A::Submit, S::Draft, S::Submitted),
        event(
            10,
            A::RequestSupplement,
            S::Submitted,
            S::SupplementRequested,
        ),
        event(40, A::Supplement, S::SupplementRequested, S::Submitted),
    ];
    let now = Timestamp(1_780_000_000_000).plus_seconds(70 * DAY);
    let c =
        service_clock(ApplicationKind::DataPermit, &events, now).unwrap_or_else(|| unreachable!());
    assert_eq!((c.registry_days(), c.applicant_days()), (40, 30));
    assert!(!c.overdue(), "40 of 42 days");
    let municipal = service_clock(ApplicationKind::MunicipalOrder, &events, now)
        .unwrap_or_else(|| unreachable!());
    assert!(municipal.overdue(), "40 days against 14");
    let later = Timestamp(1_780_000_000_000).plus_seconds(73 * DAY);
    assert!(
        service_clock(ApplicationKind::DataPermit, &events, later).is_some_and(|c| c.overdue())
    );
    // A decided application's clock stops.
    let mut decided = events.clone();
    decided.push(event(50, A::Grant, S::Submitted, S::Granted));
    let c = service_clock(ApplicationKind::DataPermit, &decided, later)
        .unwrap_or_else(|| unreachable!());
    assert_eq!((c.registry_days(), c.running), (20, false));
}

fn item(id: u64, clock: Option<ServiceClock>) -> QueueItem {
    QueueItem {
        id: ApplicationId(id),
        kind: ApplicationKind::DataPermit,
        organisation_name: format!("org {id}"),
        org_kind: Some(OrgKind::Company),
        state: S::Submitted,
        submitted: None,
        clock,
    }
}

fn clock(registry_days: i64, running: bool) -> Option<ServiceClock> {
    Some(ServiceClock {
        registry_seconds: registry_days * DAY,
        applicant_seconds: 0,
        target_days: 42,
        running,
    })
}

#[test]
fn the_queue_puts_overdue_items_first_then_the_least_time_left() {
    let mut items = [
        item(1, clock(3, true)),
        item(2, clock(50, false)),
        item(3, clock(45, true)),
        item(4, clock(30, true)),
        item(5, clock(60, true)),
    ];
    items.sort_by(QueueItem::order);
    let ids: Vec<u64> = items.iter().map(|i| i.id.0).collect();
    assert_eq!(ids, vec![5, 3, 4, 1, 2]);
}

pub(crate) fn complete_form() -> ApplicationForm {
    ApplicationForm {
        organisation: OrganisationDetails {
            name: "Kotiapu Oy".into(),
            business_id: "3221326-2".into(),
            kind: Some(OrgKind::Company),
            address: "Esimerkkikatu 1, 00100 Helsinki".into(),
            contacts: vec![Contact {
                name: "Ilkka Ilmarinen".into(),
                email: "ilkka@kotiapu.example".into(),
                phone: String::new(),
            }],
        },
        purposes: vec![PurposeRequest {
            purpose: Purpose::PropertyManagement,
            legal_basis: "661/2009 §16".into(),
            justification: "Isännöinnin asukasrekisterin ajantasaisuus.".into(),
        }],
        needs: vec![GroupNeed {
            group: DataGroup::BuildingBasic,
            why: "Isännöitävien rakennusten tiedot.".into(),
        }],
        searches: vec![SearchKind::Building],
        protection: ProtectionAccount {
            users: "Kaksi isännöitsijää toimistossa.".into(),
            location: "Toimiston lukittu tila, oma verkko.".into(),
            access_control: "Henkilökohtaiset tunnukset ja kaksivaiheinen tunnistus.".into(),
            retention: "Ei tallenneta; tulosteet tuhotaan heti.".into(),
            no_onward_disclosure: true,
            two_factor: false,
            other: String::new(),
        },
        terms_accepted: Some(TERMS_VERSION.into()),
        nominee: None,
    }
}

#[test]
fn a_complete_form_passes_and_each_missing_answer_names_its_field() {
    let full = complete_form();
    assert_eq!(full.check(ApplicationKind::DataPermit), Ok(()));
    type Edit = fn(&mut ApplicationForm);
    let cases: Vec<(Edit, Field)> = vec![
        (|f| f.organisation.name.clear(), Field::OrgName),
        (
            |f| f.organisation.business_id = "3221326-3".into(),
            Field::BusinessId,
        ),
        (|f| f.organisation.kind = None, Field::OrgKind),
        (
            |f| f.organisation.kind = Some(OrgKind::Registry),
            Field::OrgKind,
        ),
        (|f| f.organisation.address = "x".into(), Field::Address),
        (|f| f.organisation.contacts.clear(), Field::ContactName),
        (
            |f| f.organisation.contacts[0].email = "ilkka at kotiapu".into(),
            Field::Email,
        ),
        (|f| f.purposes.clear(), Field::Purposes),
        (|f| f.purposes[0].legal_basis.clear(), Field::LegalBasis),
        (
            |f| f.purposes[0].justification = "koska".into(),
            Field::Justification,
        ),
        (|f| f.needs.clear(), Field::DataGroups),
        (|f| f.searches.clear(), Field::Searches),
        (|f| f.protection.users.clear(), Field::Users),
        (|f| f.protection.location.clear(), Field::Location),
        (
            |f| f.protection.access_control.clear(),
            Field::AccessControl,
        ),
        (|f| f.protection.retention.clear(), Field::Retention),
        (
            |f| f.protection.no_onward_disclosure = false,
            Field::NoOnwardDisclosure,
        ),
        (|f| f.terms_accepted = None, Field::Terms),
        (|f| f.terms_accepted = Some("2025-1".into()), Field::Terms),
        (|f| f.searches.push(SearchKind::Building), Field::Searches),
    ];
    for (edit, field) in cases {
        let mut form = full.clone();
        edit(&mut form);
        let errors = form
            .check(ApplicationKind::DataPermit)
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors.iter().map(|e| e.field).collect::<Vec<_>>(),
            vec![field],
            "{form:?}"
        );
    }
    // A municipal order: a municipality, a nominee, no purposes or groups of its own.
    let mut order = full.clone();
    order.purposes.clear();
    order.needs.clear();
    order.searches.clear();
    let fields = |f: &ApplicationForm| {
        f.check(ApplicationKind::MunicipalOrder)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect::<Vec<_>>()
    };
    assert_eq!(fields(&order), vec![Field::OrgKind, Field::Nominee]);
    order.organisation.kind = Some(OrgKind::Municipality);
    order.nominee = Some("u-mirja".into());
    assert_eq!(fields(&order), vec![]);
}

#[test]
fn a_draft_keeps_what_was_typed_but_not_without_limit() {
    let mut draft = ApplicationForm::default();
    assert_eq!(draft.fits(), Ok(()), "an empty draft is a draft");
    draft.organisation.name = "x".repeat(201);
    assert_eq!(draft.fits().err().map(|e| e[0].field), Some(Field::OrgName));
    let mut draft = ApplicationForm::default();
    draft.organisation.contacts = vec![Contact::default(); CONTACTS_MAX + 1];
    assert!(draft.fits().is_err());
    let mut draft = ApplicationForm::default();
    draft.protection.other = "y".repeat(usize::from(ANSWER_MAX) + 1);
    assert!(draft.fits().is_err());
}

#[test]
fn e_mail_addresses() {
    for ok in [
        "a@b.fi",
        "ilkka.ilmarinen@kotiapu.example",
        "x+y@sub.domain.org",
    ] {
        assert!(is_email(ok), "{ok}");
    }
    for bad in [
        "", "a", "a@", "@b.fi", "a@b", "a@b.", "a b@c.fi", "a@b@c.fi", "a@.fi",
    ] {
        assert!(!is_email(bad), "{bad}");
    }
}

fn application(kind: ApplicationKind, form: ApplicationForm) -> Application {
    Application {
        id: ApplicationId(7),
        kind,
        organisation: OrgId::from_static("kotiapu-oy"),
        applicant: UserId::from_static("u-ilkka"),
        applicant_name: "Ilkka".into(),
        created: Timestamp(0),
        state: S::Submitted,
        form,
        events: Vec::new(),
        messages: Vec::new(),
        attachments: Vec::new(),
        permit_number: None,
    }
}

#[test]
fn the_decision_grants_what_was_applied_for_and_the_registry_kept() {
    let today = Date::new(2026, 12, 1).unwrap_or_else(|e| unreachable!("{e}"));
    let mut form = complete_form();
    form.needs.push(GroupNeed {
        group: DataGroup::PersonBasic,
        why: "Asukkaiden nimet.".into(),
    });
    let app = application(ApplicationKind::DataPermit, form);
    let decide = |groups: Vec<DataGroup>, until: &str| {
        Decision::make(
            &app,
            &DecisionForm {
                groups,
                valid_until: until.into(),
                two_factor: false,
            },
            "DVV/507/2026".into(),
            today,
        )
    };
    // The registry keeps buildings and drops persons; a group never applied for is ignored.
    let d = decide(
        vec![DataGroup::BuildingBasic, DataGroup::Bans],
        "31.12.2027",
    )
    .unwrap_or_else(|e| unreachable!("{e:?}"));
    assert!(!d.screens.is_empty());
    assert!(d.screens.contains(&ScreenId::BuildingBasic));
    assert!(
        d.screens
            .iter()
            .all(|s| s.spec().group == DataGroup::BuildingBasic)
    );
    let permit = d.permit(&app.organisation);
    assert_eq!(permit.state, PermitState::Active);
    assert_eq!(permit.purpose_list(), vec![Purpose::PropertyManagement]);
    assert_eq!(permit.searches, vec![SearchKind::Building]);
    assert_eq!(permit.valid_from, today);
    assert_eq!(permit.valid_until, Date::new(2027, 12, 31).ok());
    assert_eq!(permit.number, "DVV/507/2026");
    assert_eq!(permit.conditions.len(), terms().len());
    // Nothing granted, or a validity that ended yesterday, is no decision.
    assert_eq!(
        decide(vec![DataGroup::Bans], "").err().map(|e| e[0].field),
        Some(Field::DataGroups)
    );
    assert_eq!(
        decide(vec![DataGroup::BuildingBasic], "30.11.2026")
            .err()
            .map(|e| e[0].field),
        Some(Field::ValidUntil)
    );
    assert_eq!(
        decide(vec![DataGroup::BuildingBasic], "31.13.2027")
            .err()
            .map(|e| e[0].field),
        Some(Field::ValidUntil)
    );
    // A municipal order gets the blanket permit, whatever groups are named.
    let order = application(ApplicationKind::MunicipalOrder, ApplicationForm::default());
    let d = Decision::make(
        &order,
        &DecisionForm {
            groups: vec![],
            valid_until: String::new(),
            two_factor: false,
        },
        "DVV/508/2026".into(),
        today,
    )
    .unwrap_or_else(|e| unreachable!("{e:?}"));
    assert_eq!(d.screens, municipal_screens());
    assert!(!d.screens.contains(&ScreenId::BuildingResidents));
    assert_eq!(d.purposes[0].purpose, Purpose::MunicipalTasks);
}

#[test]
fn the_organisation_record_comes_from_the_form() {
    let form = complete_form();
    let org = form.organisation_record(&OrgId::from_static("kotiapu-oy"));
    assert_eq!(
        org.map(|o| (o.name, o.business_id.to_string(), o.kind)),
        Some(("Kotiapu Oy".into(), "3221326-2".into(), OrgKind::Company))
    );
    let mut bad = form;
    bad.organisation.kind = Some(OrgKind::Registry);
    assert_eq!(bad.organisation_record(&OrgId::from_static("x")), None);
}

#[test]
fn numbers_slugs_and_which_steps_need_a_message() {
    assert_eq!(ApplicationId(7).to_string(), "H-00007");
    assert_eq!(ApplicationId(123_456).to_string(), "H-123456");
    for s in S::ALL {
        assert_eq!(ApplicationState::from_slug(s.slug()), Some(s));
    }
    assert_eq!(ApplicationState::from_slug("granted"), Some(S::Granted));
    assert_eq!(ApplicationState::from_slug(""), None);
    let kinds: Vec<&str> = ApplicationKind::ALL.iter().map(|k| k.slug()).collect();
    assert_eq!(
        kinds,
        vec!["data-permit", "municipal-order", "permit-change"]
    );
    let actions: std::collections::HashSet<&str> = A::ALL.iter().map(|a| a.slug()).collect();
    assert_eq!(actions.len(), A::ALL.len());
    assert!(actions.contains("request-supplement"));
    let with_message: Vec<A> = A::ALL.into_iter().filter(|a| a.needs_message()).collect();
    assert_eq!(
        with_message,
        vec![A::RequestSupplement, A::Supplement, A::Reject]
    );
}

#[test]
fn answers_keep_line_breaks_and_tabs_but_no_other_control_characters() {
    let mut form = complete_form();
    form.purposes[0].justification = "Ensimmäinen kohta.\n\tToinen kohta, sisennetty.".into();
    assert_eq!(form.check(ApplicationKind::DataPermit), Ok(()));
    form.purposes[0].justification = "Kohta jossa on kello\u{7} ja muuta tekstiä.".into();
    assert_eq!(
        form.check(ApplicationKind::DataPermit).err().map(|e| e
            .iter()
            .map(|f| (f.field, f.error.clone()))
            .collect::<Vec<_>>()),
        Some(vec![(
            Field::Justification,
            ValidationError::Characters(Field::Justification)
        )])
    );
    assert_eq!(
        parse_message("Rivi 1\nRivi 2"),
        Ok(Some("Rivi 1\nRivi 2".into()))
    );
    assert!(parse_message("kello\u{7}").is_err());
}

#[test]
fn limits_are_inclusive_and_the_clock_boundaries_exact() {
    let mut draft = ApplicationForm::default();
    draft.organisation.name = "x".repeat(200);
    draft.organisation.contacts = vec![Contact::default(); CONTACTS_MAX];
    assert_eq!(
        draft.fits(),
        Ok(()),
        "200 characters and five contacts are allowed"
    );
    let exactly = ServiceClock {
        registry_seconds: 42 * DAY,
        applicant_seconds: 0,
        target_days: 42,
        running: true,
    };
    assert!(!exactly.overdue(), "the 42nd day is still on time");
    assert_eq!(exactly.seconds_left(), 0);
    let later = ServiceClock {
        registry_seconds: 40 * DAY,
        ..exactly
    };
    assert_eq!(later.seconds_left(), 2 * DAY);
    let mut app = application(ApplicationKind::DataPermit, complete_form());
    assert_eq!(app.clock(Timestamp(0)), None, "no clock before submission");
    app.events.push(event(0, A::Submit, S::Draft, S::Submitted));
    let now = Timestamp(1_780_000_000_000).plus_seconds(3 * DAY);
    assert_eq!(app.clock(now).map(|c| c.registry_days()), Some(3));
}

#[test]
fn the_queue_filter_admits_by_state_and_kind_but_never_drafts() {
    let mut submitted = item(1, None);
    submitted.org_kind = Some(OrgKind::Municipality);
    let mut draft = submitted.clone();
    draft.state = S::Draft;
    let all = QueueFilter::default();
    assert!(all.admits(&submitted));
    assert!(!all.admits(&draft));
    let by_state = |state| QueueFilter {
        state: Some(state),
        ..QueueFilter::default()
    };
    assert!(by_state(S::Submitted).admits(&submitted));
    assert!(!by_state(S::Granted).admits(&submitted));
    assert!(!by_state(S::Draft).admits(&draft), "not even asked for");
    let by_kind = |kind| QueueFilter {
        org_kind: Some(kind),
        ..QueueFilter::default()
    };
    assert!(by_kind(OrgKind::Municipality).admits(&submitted));
    assert!(!by_kind(OrgKind::Company).admits(&submitted));
}

#[test]
fn the_blanket_permit_and_the_groups_on_offer() {
    let screens = municipal_screens();
    assert!(screens.contains(&ScreenId::PersonBasic));
    assert!(screens.contains(&ScreenId::BuildingBasic));
    assert!(!screens.contains(&ScreenId::BuildingResidents));
    assert!(!screens.contains(&ScreenId::BuildingBasicWide));
    let offer = groups_on_offer();
    assert!(offer.contains(&(DataGroup::PersonBasic, SubjectKind::Person)));
    assert!(offer.contains(&(DataGroup::BuildingBasic, SubjectKind::Building)));
    assert!(!offer.contains(&(DataGroup::PersonBasic, SubjectKind::Building)));
    // A validity that ends today is still a validity.
    let today = Date::new(2026, 12, 1).unwrap_or_else(|e| unreachable!("{e}"));
    let app = application(ApplicationKind::DataPermit, complete_form());
    let d = Decision::make(
        &app,
        &DecisionForm {
            groups: vec![DataGroup::BuildingBasic],
            valid_until: "1.12.2026".into(),
            two_factor: false,
        },
        "DVV/1/2026".into(),
        today,
    );
    assert_eq!(d.map(|d| d.valid_until), Ok(Some(today)));
}

/// A second factor is required when the registry decides so or the organisation asked for it
/// in its application; neither drops what the other chose.
#[test]
fn two_factors_are_the_registrys_or_the_organisations_choice() {
    let today = Date::new(2026, 11, 27).unwrap_or_else(|e| unreachable!("{e:?}"));
    for (asked, decided, required) in [
        (false, false, false),
        (true, false, true),
        (false, true, true),
        (true, true, true),
    ] {
        let mut form = complete_form();
        form.protection.two_factor = asked;
        let app = application(ApplicationKind::DataPermit, form);
        let groups = app.form.needs.iter().map(|n| n.group).collect();
        let d = Decision::make(
            &app,
            &DecisionForm {
                groups,
                valid_until: String::new(),
                two_factor: decided,
            },
            "DVV/508/2026".into(),
            today,
        )
        .unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(
            d.permit(&app.organisation).two_factor_required,
            required,
            "asked {asked}, decided {decided}"
        );
    }
}

#[test]
fn the_registrys_steps_need_a_two_factor_sign_in_and_the_applicants_do_not() {
    use crate::principal::{Acr, OrgId, Role};
    let who = |org: &'static str, acr| crate::Principal {
        subject: UserId::from_static("u-x"),
        name: "X".into(),
        organisation: OrgId::from_static(org),
        organisation_name: org.into(),
        acr,
    };
    let weak_staff = who("dvv", Acr::OneFactor);
    assert_eq!(
        authorize_step(Party::Registry, A::Grant, S::Submitted, &weak_staff),
        Err(Denied::RoleNeedsTwoFactor(Role::RegistryStaff))
    );
    // A step out of place says so first.
    assert_eq!(
        authorize_step(Party::Registry, A::Grant, S::Draft, &weak_staff),
        Err(Denied::NotFromThisState)
    );
    assert_eq!(
        authorize_step(
            Party::Registry,
            A::Grant,
            S::Submitted,
            &who("dvv", Acr::TwoFactor)
        ),
        Ok(S::Granted)
    );
    assert_eq!(
        authorize_step(
            Party::Applicant,
            A::Submit,
            S::Draft,
            &who("kotiapu-oy", Acr::OneFactor)
        ),
        Ok(S::Submitted)
    );
    // The page still offers the registry's steps; acting asks for the step-up.
    assert!(actions_open(Party::Registry, S::Submitted).contains(&A::Grant));
}

/// What a grant makes of the permit that stands, in every state it may be in: a new permit is
/// refused over one in force or suspended; a change keeps the state; the protected-data right,
/// break glass and a two-factor requirement carry over from the old record, whichever of the
/// decision and the old record grants them.
#[test]
fn a_grant_never_weakens_the_permit_that_stands() {
    let today = Date::new(2026, 12, 6).unwrap_or_else(|e| unreachable!("{e}"));
    let base = Permit {
        number: "DVV/1/2026".into(),
        organisation: OrgId::from_static("org"),
        screens: Vec::new(),
        searches: Vec::new(),
        purposes: Vec::new(),
        protected_data: false,
        two_factor_required: false,
        break_glass: false,
        conditions: Vec::new(),
        fees: crate::fees::Fees::Statutory,
        valid_from: today.add_days(-400),
        valid_until: None,
        state: PermitState::Active,
    };
    let decided = Permit {
        number: "DVV/9/2026".into(),
        valid_from: today,
        ..base.clone()
    };
    let flags = |p: &Permit| (p.protected_data, p.break_glass, p.two_factor_required);
    let old = |state, valid_until, on: bool| Permit {
        protected_data: on,
        break_glass: on,
        two_factor_required: on,
        state,
        valid_until,
        ..base.clone()
    };
    let expired = Some(today.add_days(-1));
    use ApplicationKind::{DataPermit, MunicipalOrder, PermitChange};
    use PermitState::{Active, Ended, Suspended};
    // (kind, old record, decided flags) → the state and flags granted, or the refusal.
    type Want = Result<(PermitState, (bool, bool, bool)), Denied>;
    let cases: Vec<(&str, ApplicationKind, Option<Permit>, bool, Want)> = vec![
        (
            "first permit",
            DataPermit,
            None,
            false,
            Ok((Active, (false, false, false))),
        ),
        (
            "first, decided strict",
            MunicipalOrder,
            None,
            true,
            Ok((Active, (true, true, true))),
        ),
        (
            "over one in force",
            DataPermit,
            Some(old(Active, None, false)),
            false,
            Err(Denied::AlreadyApplied),
        ),
        (
            "over a suspended one",
            MunicipalOrder,
            Some(old(Suspended, None, false)),
            false,
            Err(Denied::PermitSuspended),
        ),
        (
            "over an ended one with rights",
            DataPermit,
            Some(old(Ended, None, true)),
            false,
            Ok((Active, (true, true, true))),
        ),
        (
            "over an expired one with rights",
            MunicipalOrder,
            Some(old(Active, expired, true)),
            false,
            Ok((Active, (true, true, true))),
        ),
        (
            "over an ended one without, decided strict",
            DataPermit,
            Some(old(Ended, None, false)),
            true,
            Ok((Active, (true, true, true))),
        ),
        (
            "over an ended one without, decided lax",
            DataPermit,
            Some(old(Ended, None, false)),
            false,
            Ok((Active, (false, false, false))),
        ),
        (
            "a change of nothing",
            PermitChange,
            None,
            false,
            Err(Denied::NoPermit),
        ),
        (
            "a change of an ended one",
            PermitChange,
            Some(old(Ended, None, true)),
            false,
            Err(Denied::NoPermit),
        ),
        (
            "a change of an expired one",
            PermitChange,
            Some(old(Active, expired, true)),
            false,
            Err(Denied::NoPermit),
        ),
        (
            "a change in force",
            PermitChange,
            Some(old(Active, None, true)),
            false,
            Ok((Active, (true, true, true))),
        ),
        (
            "a change in force, lax",
            PermitChange,
            Some(old(Active, None, false)),
            false,
            Ok((Active, (false, false, false))),
        ),
        (
            "a change while suspended",
            PermitChange,
            Some(old(Suspended, None, true)),
            false,
            Ok((Suspended, (true, true, true))),
        ),
    ];
    for (name, kind, old, strict, want) in cases {
        let decided = Permit {
            protected_data: strict,
            break_glass: strict,
            two_factor_required: strict,
            ..decided.clone()
        };
        let got = granted_permit(kind, decided, old.as_ref(), today);
        assert_eq!(
            got.as_ref().map(|p| (p.state, flags(p))).map_err(|d| *d),
            want.clone(),
            "{name}"
        );
        if let Ok(p) = got {
            assert_eq!(p.number, "DVV/9/2026", "{name}: the decision's permit");
        }
    }
}

/// A change application starts from the last granted form, its words kept, the terms to be
/// accepted anew and the organisation as the registry knows it now.
#[test]
fn a_change_starts_from_the_granted_form_with_the_terms_unaccepted() {
    let mut granted = complete_form();
    granted.organisation.name = "Vanha nimi Oy".into();
    assert!(granted.terms_accepted.is_some());
    let known = Organisation {
        id: OrgId::from_static("kotiapu-oy"),
        name: "Kotiapu Oy".into(),
        business_id: "1234567-1"
            .parse::<BusinessId>()
            .unwrap_or_else(|e| unreachable!("{e}")),
        kind: OrgKind::Company,
    };
    let start = change_start(Some(&granted), None, Some(&known));
    assert_eq!(start.purposes, granted.purposes);
    assert_eq!(start.needs, granted.needs);
    assert_eq!(start.protection, granted.protection);
    assert_eq!(start.terms_accepted, None);
    assert_eq!(start.organisation.name, "Kotiapu Oy");
    assert_eq!(start.organisation.contacts, granted.organisation.contacts);
    assert_eq!(change_start(None, None, None), ApplicationForm::default());
}
