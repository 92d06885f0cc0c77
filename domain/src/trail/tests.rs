//! The trail search form's validation, the classification of query events, the filter (each
//! criterion both ways) and the CSV.

#![allow(clippy::expect_used)]

use super::*;
use crate::access::{Denied, Request};
use crate::audit::AuditActor;
use crate::subject::PersonId;

const HETU: &str = "131052-308T";
const PERSON: SubjectRef = SubjectRef::Person(PersonId(7));
const OTHER: SubjectRef = SubjectRef::Person(PersonId(8));

fn entry(event: AuditEvent) -> AuditEntry {
    AuditEntry {
        // 2026-12-01 10.00 in Finland (08.00 UTC).
        at: Timestamp::start_of_finnish_day(Date::new(2026, 12, 1).expect("a day"))
            .plus_seconds(10 * 3600),
        actor: AuditActor {
            user: "u-frank".into(),
            name: "Frank".into(),
            organisation: "espoo".into(),
            request_id: "r".into(),
            source: "127.0.0.1".into(),
        },
        purpose: Some(Purpose::MunicipalTasks),
        case_ref: None,
        event,
    }
}

fn viewed(subject: SubjectRef, shown: Vec<SubjectRef>) -> AuditEvent {
    AuditEvent::ScreenViewed {
        screen: ScreenId::PersonBasic,
        subject,
        shown,
        withheld: true,
        protected: false,
    }
}

#[test]
fn a_blank_form_searches_everything_and_each_field_is_read_by_its_shape() {
    assert_eq!(TrailForm::default().validate(), Ok(TrailQuery::default()));
    let form = |subject: &str| TrailForm {
        subject: subject.into(),
        ..TrailForm::default()
    };
    let subject = |s: &str| form(s).validate().map(|q| q.subject);
    assert!(matches!(
        subject(&format!("  {HETU} ")),
        Ok(Some(TrailSubject::Person(_)))
    ));
    assert!(matches!(
        subject("100012345N"),
        Ok(Some(TrailSubject::Building(_)))
    ));
    assert!(matches!(
        subject("091-401-0001-0002"),
        Ok(Some(TrailSubject::Property(_)))
    ));
    // Anything else is read as a mistyped identity code, and says what is wrong with it.
    for bad in ["131052-308X", "virtanen", "1", "<script>"] {
        let errors = form(bad).validate().expect_err(bad);
        assert_eq!(errors.len(), 1, "{bad}");
        assert_eq!(errors[0].field, Field::TrailSubject, "{bad}");
        assert!(
            matches!(errors[0].error, ValidationError::Hetu(_)),
            "{bad}: {:?}",
            errors[0]
        );
    }
}

#[test]
fn every_wrong_field_is_named_at_once() {
    let form = TrailForm {
        subject: "x".into(),
        user: "u frank".into(),
        organisation: "espoo/x".into(),
        from: "31.4.2026".into(),
        to: "eilen".into(),
        action: "person.nothing".into(),
        ..TrailForm::default()
    };
    let fields: Vec<Field> = form
        .validate()
        .expect_err("all wrong")
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            Field::TrailSubject,
            Field::User,
            Field::Organisation,
            Field::PeriodFrom,
            Field::PeriodTo,
            Field::Action
        ]
    );
    let long = TrailForm {
        user: "u".repeat(65),
        ..TrailForm::default()
    };
    assert_eq!(
        long.validate().expect_err("too long")[0].error,
        ValidationError::TooLong {
            field: Field::User,
            max: 64
        }
    );
}

#[test]
fn a_period_may_be_one_day_and_never_end_before_it_starts() {
    let period = |from: &str, to: &str| {
        TrailForm {
            from: from.into(),
            to: to.into(),
            ..TrailForm::default()
        }
        .validate()
    };
    let one = period("1.12.2026", "2026-12-01").expect("one day");
    assert_eq!(one.from, one.to);
    let errors = period("2.12.2026", "1.12.2026").expect_err("backwards");
    assert_eq!(
        errors,
        [FieldError::new(
            Field::PeriodTo,
            ValidationError::Date(DateRule::BeforeStart)
        )]
    );
    // The filter covers the whole of the last day in Finland, and nothing of the next.
    let filter = TrailFilter::of(&one, None);
    let day = Timestamp::start_of_finnish_day(Date::new(2026, 12, 1).expect("a day"));
    let at = |t: Timestamp| {
        let mut e = entry(viewed(PERSON, Vec::new()));
        e.at = t;
        filter.matches(&e)
    };
    assert!(at(day));
    assert!(at(day.plus_seconds(86_399)));
    assert!(!at(day.plus_seconds(86_400)));
    assert!(!at(day.plus_seconds(-1)));
}

#[test]
fn every_screen_and_search_has_a_slug_the_form_reads_back() {
    let mut actions: Vec<Action> = ScreenId::ALL.iter().map(|s| Action::Screen(*s)).collect();
    actions.extend(SearchKind::ALL.iter().map(|k| Action::Search(*k)));
    actions.push(Action::LogRead);
    for a in actions {
        assert_eq!(Action::from_slug(a.slug()), Some(a));
        let q = TrailForm {
            action: a.slug().into(),
            ..TrailForm::default()
        }
        .validate()
        .expect("a known action");
        assert_eq!(q.action, Some(a));
    }
    assert_eq!(Action::from_slug("search.nothing"), None);
    assert_eq!(Action::from_slug(""), None);
}

#[test]
fn query_events_are_classified_and_nothing_else_is() {
    let hetu: Hetu = HETU.parse().expect("a code");
    let search = |result| AuditEvent::SearchRun {
        criteria: Search::Hetu(hetu),
        result,
    };
    let cases = [
        (
            search(SearchResult::NotFound),
            (Action::Search(SearchKind::Hetu), Outcome::NotFound),
        ),
        (
            search(SearchResult::TooMany),
            (Action::Search(SearchKind::Hetu), Outcome::TooMany),
        ),
        (
            search(SearchResult::Found(PERSON)),
            (Action::Search(SearchKind::Hetu), Outcome::Shown),
        ),
        (
            search(SearchResult::Several(vec![PERSON, OTHER])),
            (Action::Search(SearchKind::Hetu), Outcome::Shown),
        ),
        (
            viewed(PERSON, Vec::new()),
            (Action::Screen(ScreenId::PersonBasic), Outcome::Shown),
        ),
        (
            AuditEvent::ProtectedRevealed {
                screen: ScreenId::PersonBasic,
                subject: PERSON,
                shown: Vec::new(),
                reason: crate::registry::Reason::parse("court order 12/2026")
                    .expect("a reason")
                    .expect("given"),
            },
            (Action::Screen(ScreenId::PersonBasic), Outcome::Revealed),
        ),
        (
            AuditEvent::ScreenNotFound {
                screen: ScreenId::PersonBasic,
                subject: None,
            },
            (Action::Screen(ScreenId::PersonBasic), Outcome::NotFound),
        ),
        (
            AuditEvent::QueryFailed {
                request: Request::Search(SearchKind::Name),
                criteria: None,
            },
            (Action::Search(SearchKind::Name), Outcome::Failed),
        ),
        (
            AuditEvent::AccessDenied {
                request: Request::Screen {
                    screen: ScreenId::PersonBasic,
                    subject: Some(PERSON),
                    reveal: false,
                },
                reason: Denied::NoRight,
                criteria: None,
            },
            (Action::Screen(ScreenId::PersonBasic), Outcome::Refused),
        ),
        (
            AuditEvent::TrailRead {
                subject: Some(PERSON),
                organisation: None,
                user: None,
                rows: 3,
                exported: false,
            },
            (Action::LogRead, Outcome::Shown),
        ),
    ];
    for (event, want) in cases {
        assert_eq!(classify(&event), Some(want), "{event:?}");
        assert!(TrailFilter::default().matches(&entry(event)));
    }
    for other in [
        AuditEvent::LoggedOut,
        AuditEvent::ServiceRefused {
            reason: Denied::NotResponsibleUser,
        },
    ] {
        assert_eq!(classify(&other), None);
        assert!(!TrailFilter::default().matches(&entry(other)));
    }
}

#[test]
fn each_criterion_keeps_what_it_names_and_drops_the_rest() {
    let e = entry(viewed(OTHER, vec![PERSON]));
    let keeps = |f: TrailFilter| f.matches(&e);
    let base = TrailFilter::default;
    // The subject: asked for, or only shown beside another.
    assert!(keeps(TrailFilter {
        subject: Some(PERSON),
        ..base()
    }));
    assert!(keeps(TrailFilter {
        subject: Some(OTHER),
        ..base()
    }));
    assert!(!keeps(TrailFilter {
        subject: Some(SubjectRef::Person(PersonId(9))),
        ..base()
    }));
    assert!(keeps(TrailFilter {
        user: Some("u-frank".into()),
        ..base()
    }));
    assert!(!keeps(TrailFilter {
        user: Some("u-fran".into()),
        ..base()
    }));
    assert!(keeps(TrailFilter {
        organisation: Some("espoo".into()),
        ..base()
    }));
    assert!(!keeps(TrailFilter {
        organisation: Some("vantaa".into()),
        ..base()
    }));
    assert!(keeps(TrailFilter {
        purpose: Some(Purpose::MunicipalTasks),
        ..base()
    }));
    assert!(!keeps(TrailFilter {
        purpose: Some(Purpose::PoliceInvestigation),
        ..base()
    }));
    assert!(keeps(TrailFilter {
        action: Some(Action::Screen(ScreenId::PersonBasic)),
        ..base()
    }));
    assert!(!keeps(TrailFilter {
        action: Some(Action::Search(SearchKind::Hetu)),
        ..base()
    }));
    assert!(keeps(TrailFilter {
        outcome: Some(Outcome::Shown),
        ..base()
    }));
    assert!(!keeps(TrailFilter {
        outcome: Some(Outcome::Refused),
        ..base()
    }));
    assert!(keeps(TrailFilter {
        from: Some(e.at),
        until: Some(e.at.plus_seconds(1)),
        ..base()
    }));
    assert!(!keeps(TrailFilter {
        from: Some(e.at.plus_seconds(1)),
        ..base()
    }));
    assert!(!keeps(TrailFilter {
        until: Some(e.at),
        ..base()
    }));
    // An entry without a purpose is not one of any purpose.
    let mut none = e.clone();
    none.purpose = None;
    assert!(
        !TrailFilter {
            purpose: Some(Purpose::MunicipalTasks),
            ..base()
        }
        .matches(&none)
    );
}

#[test]
fn a_row_names_the_subject_first_and_the_others_beside_it() {
    assert_eq!(
        TrailRow::subjects_of(&viewed(PERSON, vec![OTHER])),
        (Some(PERSON), vec![OTHER], true)
    );
    assert_eq!(
        TrailRow::subjects_of(&AuditEvent::SearchRun {
            criteria: Search::Hetu(HETU.parse().expect("a code")),
            result: SearchResult::Several(vec![PERSON, OTHER]),
        }),
        (None, vec![PERSON, OTHER], false)
    );
}

#[test]
fn the_csv_keeps_its_columns_defuses_formulas_and_masks_the_protected() {
    let row = TrailRow {
        seq: 12,
        at: entry(LOGGED_OUT).at,
        organisation: "espoo".into(),
        user: "u-frank".into(),
        user_name: "=HYPERLINK(\"http://x\")".into(),
        purpose: Some(Purpose::MunicipalTasks),
        case_ref: Some("A; 1".into()),
        action: Action::Search(SearchKind::Hetu),
        outcome: Outcome::NotFound,
        subject: Some(SubjectLabel {
            kind: SubjectKind::Person,
            id: HETU.into(),
            name: "Virtanen Matti".into(),
            masked: true,
        }),
        shown: Vec::new(),
        shown_total: 0,
        withheld: false,
        criteria: Some(Search::Hetu(HETU.parse().expect("a code"))),
    };
    let csv = csv(&[row], Lang::En);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert_eq!(lines[0].split(';').count(), t::CSV_HEADER.len());
    assert!(lines[1].starts_with("12;1.12.2026 10.00;espoo;u-frank;\"'=HYPERLINK"));
    assert!(lines[1].contains("\"A; 1\""));
    assert!(
        !lines[1].contains("Virtanen"),
        "a masked subject shows: {csv}"
    );
    assert!(lines[1].contains("person under a protection order"));
    assert!(
        lines[1].ends_with(&format!("Identity code: {HETU}")),
        "{csv}"
    );
}

const LOGGED_OUT: AuditEvent = AuditEvent::LoggedOut;

#[test]
fn the_form_survives_a_round_trip_through_a_url_whatever_is_typed() {
    let form = TrailForm {
        subject: " 131052-308T ".into(),
        user: "u-frank".into(),
        organisation: "espoo".into(),
        from: "1.12.2026".into(),
        to: "2026-12-31".into(),
        purpose: Some(Purpose::MunicipalTasks),
        action: "search.hetu".into(),
        outcome: Some(Outcome::NotFound),
        before: Some(42),
    };
    let query = form.to_query();
    assert_eq!(
        query,
        "subject=131052-308T&user=u-frank&organisation=espoo&from=1.12.2026&to=2026-12-31\
         &purpose=municipal-tasks&action=search.hetu&outcome=not-found&before=42"
    );
    assert_eq!(
        TrailForm::from_query(&query),
        TrailForm {
            subject: "131052-308T".into(),
            ..form
        }
    );
    assert_eq!(TrailForm::default().to_query(), "");
    assert_eq!(TrailForm::from_query(""), TrailForm::default());
    // Whatever a user types comes back as typed: separators, escapes, other scripts.
    for typed in [
        "a&b=c",
        "100% ok",
        "%zz+%4",
        "Åström ÄÖ",
        "x%2526y",
        "\u{1F600}",
    ] {
        let form = TrailForm {
            user: typed.into(),
            ..TrailForm::default()
        };
        let query = form.to_query();
        assert!(query.bytes().all(|b| b.is_ascii_graphic()), "{query}");
        assert_eq!(TrailForm::from_query(&query).user, typed.trim());
    }
    // What no form sends reads as not given.
    let odd = TrailForm::from_query("purpose=nothing&outcome=&before=-1&x=1&user");
    assert_eq!(odd, TrailForm::default());
    assert_eq!(TrailForm::from_query("user=a+b%2").user, "a b%2");
}

#[test]
fn an_id_may_be_as_long_as_the_registry_keeps_and_no_longer() {
    let user = |n: usize| {
        TrailForm {
            user: "u".repeat(n),
            ..TrailForm::default()
        }
        .validate()
    };
    assert_eq!(
        user(64).map(|q| q.user.map(|u| u.as_str().len())),
        Ok(Some(64))
    );
    assert!(user(65).is_err());
}

#[test]
fn a_search_keeps_its_criteria_run_refused_or_failed_and_nothing_else_has_any() {
    let hetu: Hetu = HETU.parse().expect("a code");
    let typed = Search::Hetu(hetu);
    let request = Request::Search(SearchKind::Hetu);
    for event in [
        AuditEvent::SearchRun {
            criteria: typed.clone(),
            result: SearchResult::NotFound,
        },
        AuditEvent::QueryFailed {
            request,
            criteria: Some(typed.clone()),
        },
        AuditEvent::AccessDenied {
            request,
            reason: Denied::NoRight,
            criteria: Some(typed.clone()),
        },
    ] {
        assert_eq!(
            TrailRow::criteria_of(&event),
            Some(typed.clone()),
            "{event:?}"
        );
    }
    assert_eq!(TrailRow::criteria_of(&viewed(PERSON, Vec::new())), None);
}

#[test]
fn a_masked_person_anywhere_in_a_row_takes_the_criteria_with_them() {
    let label = |masked: bool| SubjectLabel {
        kind: SubjectKind::Person,
        id: if masked { String::new() } else { HETU.into() },
        name: String::new(),
        masked,
    };
    let row = |subject: Option<SubjectLabel>, shown: Vec<SubjectLabel>| TrailRow {
        seq: 1,
        at: Timestamp(0),
        organisation: "espoo".into(),
        user: "u-frank".into(),
        user_name: "Frank".into(),
        purpose: None,
        case_ref: None,
        action: Action::Search(SearchKind::Name),
        outcome: Outcome::Shown,
        subject,
        shown_total: u32::try_from(shown.len()).expect("small"),
        shown,
        withheld: false,
        criteria: Some(Search::Hetu(HETU.parse().expect("a code"))),
    };
    // The one hit masked, or any one of a list: no criteria.
    assert_eq!(
        row(Some(label(true)), Vec::new()).mask_criteria().criteria,
        None
    );
    assert_eq!(
        row(None, vec![label(false), label(true), label(false)])
            .mask_criteria()
            .criteria,
        None
    );
    // Nobody masked: the criteria stay.
    assert!(
        row(Some(label(false)), vec![label(false)])
            .mask_criteria()
            .criteria
            .is_some()
    );
    assert!(row(None, Vec::new()).mask_criteria().criteria.is_some());
}
