//! The next step for every standing a person can be in before their first query (stated flat,
//! one case each), and the status mail's shape.

use super::*;
use crate::access::PersonalRight;
use crate::date::Timestamp;
use crate::eservice::{Application, ApplicationForm, ApplicationView};
use crate::principal::{OrgId, UserId};
use crate::registry::KnownUser;

fn own(id: u64, state: ApplicationState) -> ApplicationView {
    ApplicationView {
        application: Application {
            id: ApplicationId(id),
            kind: ApplicationKind::DataPermit,
            organisation: OrgId::from_static("kotiapu-oy"),
            applicant: UserId::from_static("u-ilkka"),
            applicant_name: "Ilkka".into(),
            created: Timestamp(0),
            state,
            form: ApplicationForm::default(),
            events: Vec::new(),
            messages: Vec::new(),
            attachments: Vec::new(),
            permit_number: None,
        },
        actions: Vec::new(),
        clock: None,
        registry: false,
        candidates: Vec::new(),
    }
}

fn right(state: RightState) -> PersonalRight {
    PersonalRight {
        user: UserId::from_static("u-ilkka"),
        name: "Ilkka".into(),
        organisation: OrgId::from_static("kotiapu-oy"),
        roles: Vec::new(),
        screens: None,
        valid_until: None,
        state,
        restorable: false,
    }
}

fn known() -> KnownUser {
    KnownUser {
        subject: UserId::from_static("u-ilkka"),
        name: "Ilkka".into(),
        organisation: OrgId::from_static("kotiapu-oy"),
        last_seen: Timestamp(0),
    }
}

#[test]
fn each_standing_has_its_one_next_step() {
    use ApplicationState as S;
    use NextStep as N;
    let id = ApplicationId(3);
    let colleague = ColleagueApplication {
        id: ApplicationId(9),
        kind: ApplicationKind::DataPermit,
        state: S::Submitted,
        applicant_name: "Ilkka".into(),
    };
    let mine = |apps: Vec<ApplicationView>| MyApplications {
        applications: apps,
        ..MyApplications::default()
    };
    let no_permit = Some(Denied::NoPermit);
    let cases: Vec<(Option<Denied>, bool, MyApplications, NextStep)> = vec![
        (
            no_permit,
            false,
            mine(vec![own(3, S::Draft)]),
            N::ContinueDraft(id),
        ),
        (
            no_permit,
            false,
            mine(vec![own(3, S::SupplementRequested)]),
            N::AnswerRegistry(id, S::SupplementRequested),
        ),
        (
            no_permit,
            false,
            mine(vec![own(3, S::InNegotiation)]),
            N::AnswerRegistry(id, S::InNegotiation),
        ),
        (
            no_permit,
            false,
            mine(vec![own(3, S::TechnicalEvaluation)]),
            N::WithRegistry(id, S::TechnicalEvaluation),
        ),
        // The newest undecided one counts over an older decided one.
        (
            no_permit,
            false,
            mine(vec![own(3, S::Submitted), own(1, S::Rejected)]),
            N::WithRegistry(id, S::Submitted),
        ),
        (
            Some(Denied::NoRight),
            false,
            MyApplications {
                nominate: vec![known()],
                ..mine(vec![own(3, S::Granted)])
            },
            N::Nominate(id),
        ),
        (
            Some(Denied::RightNotActive),
            false,
            MyApplications {
                responsible: vec![right(RightState::Proposed)],
                nominate: vec![known()],
                ..mine(vec![own(3, S::Granted)])
            },
            N::NominationPending,
        ),
        (
            Some(Denied::UserBlocked),
            true,
            mine(vec![own(3, S::Granted)]),
            N::Blocked,
        ),
        (
            no_permit,
            false,
            MyApplications {
                colleague: Some(colleague.clone()),
                ..MyApplications::default()
            },
            N::ColleagueApplied(colleague),
        ),
        (
            no_permit,
            false,
            MyApplications {
                may_start: vec![ApplicationKind::DataPermit, ApplicationKind::MunicipalOrder],
                ..mine(vec![own(3, S::Rejected)])
            },
            N::Apply(vec![
                ApplicationKind::DataPermit,
                ApplicationKind::MunicipalOrder,
            ]),
        ),
        // The gate names the missing right first; with no permit the way is still to apply.
        (
            Some(Denied::NoRight),
            false,
            MyApplications {
                may_start: vec![ApplicationKind::DataPermit],
                ..MyApplications::default()
            },
            N::Apply(vec![ApplicationKind::DataPermit]),
        ),
        // A responsible user may apply to change a permit in force: not a way in for others.
        (
            Some(Denied::RightNotActive),
            true,
            MyApplications {
                may_start: vec![ApplicationKind::PermitChange],
                ..MyApplications::default()
            },
            N::RightNotInForce,
        ),
        (
            Some(Denied::RightNotActive),
            true,
            mine(vec![]),
            N::RightNotInForce,
        ),
        (Some(Denied::NoRight), true, mine(vec![]), N::AskResponsible),
        (
            Some(Denied::NoRight),
            false,
            mine(vec![]),
            N::NoResponsibleYet,
        ),
        // A permit that ended with nothing the viewer may start: ask, do not send to apply.
        (
            Some(Denied::PermitEnded),
            true,
            mine(vec![]),
            N::AskResponsible,
        ),
    ];
    for (refusal, contacts, standing, expected) in cases {
        assert_eq!(
            next_step(refusal, contacts, &standing),
            Some(expected),
            "{refusal:?} {contacts} {standing:?}"
        );
    }
}

/// A refusal that is not about where the person stands has its own words (choose a purpose,
/// sign in with a second factor): no next step competes with them.
#[test]
fn no_next_step_for_a_refusal_that_is_not_about_standing() {
    let any = MyApplications {
        may_start: vec![ApplicationKind::DataPermit],
        ..MyApplications::default()
    };
    for refusal in [
        Denied::PurposeRequired,
        Denied::TwoFactorRequired,
        Denied::QueriesBlocked,
        Denied::PurposeNotInPermit,
    ] {
        assert_eq!(next_step(Some(refusal), true, &any), None, "{refusal:?}");
    }
}

#[test]
fn a_step_offers_a_link_only_where_there_is_something_to_open() {
    let id = ApplicationId(3);
    assert_eq!(
        NextStep::AnswerRegistry(id, ApplicationState::SupplementRequested)
            .link()
            .map(|(href, _)| href),
        Some("/eservice/3".to_owned())
    );
    // Waiting on the registry: the application can still be read.
    assert_eq!(
        NextStep::WithRegistry(id, ApplicationState::Submitted)
            .link()
            .map(|(href, _)| href),
        Some("/eservice/3".to_owned())
    );
    assert_eq!(
        NextStep::Apply(vec![ApplicationKind::DataPermit])
            .link()
            .map(|(h, _)| h),
        Some("/eservice".to_owned())
    );
    for waiting in [
        NextStep::AskResponsible,
        NextStep::RightNotInForce,
        NextStep::Blocked,
    ] {
        assert_eq!(waiting.link(), None, "{waiting:?}");
    }
    assert_ne!(
        NextStep::Apply(vec![ApplicationKind::MunicipalOrder]).text(),
        NextStep::Apply(vec![ApplicationKind::DataPermit]).text(),
        "a municipality is told of the order"
    );
}

#[test]
fn the_status_mail_names_the_application_in_three_languages_and_holds_no_link() {
    let (subject, body) = status_mail(
        ApplicationId(12),
        "Kotiapu Oy",
        ApplicationAction::RequestSupplement,
        ApplicationState::SupplementRequested,
    );
    assert!(subject.contains("H-00012"), "{subject}");
    assert!(subject.contains("Täydennystä pyydetty"), "{subject}");
    for words in [
        "pyytää täydennystä",
        "begär komplettering",
        "asks for a supplement",
    ] {
        assert!(body.contains(words), "{words}: {body}");
    }
    assert_eq!(body.matches("H-00012 (Kotiapu Oy)").count(), 3, "{body}");
    assert!(!body.contains("http"), "{body}");
}
