//! Tests of the usage counts: office hours in Finnish local time (winter and summer), and what
//! counts as a query, a miss, a refusal and off-hours use.

use super::*;
use crate::access::Request;
use crate::audit::AuditActor;
use crate::catalogue::ScreenId;
use crate::screen::{PersonId, SubjectRef};
use crate::search::Search;

/// A UTC instant.
fn utc(y: i32, m: u8, d: u8, hour: i64, minute: i64) -> Timestamp {
    let day = Date::new(y, m, d)
        .map(|d| d.days_since_epoch())
        .unwrap_or_else(|e| unreachable!("{e}"));
    Timestamp(day * 86_400_000 + hour * 3_600_000 + minute * 60_000)
}

#[test]
fn office_hours_are_weekdays_seven_to_six_finnish_time() {
    // 1 December 2026 is a Tuesday; Finland is UTC+2 in winter.
    assert!(in_office_hours(utc(2026, 12, 1, 5, 0)), "07.00 local");
    assert!(!in_office_hours(utc(2026, 12, 1, 4, 59)), "06.59 local");
    assert!(in_office_hours(utc(2026, 12, 1, 15, 59)), "17.59 local");
    assert!(!in_office_hours(utc(2026, 12, 1, 16, 0)), "18.00 local");
    // Saturday noon, Sunday noon.
    assert!(!in_office_hours(utc(2026, 12, 5, 10, 0)));
    assert!(!in_office_hours(utc(2026, 12, 6, 10, 0)));
    assert!(in_office_hours(utc(2026, 12, 4, 10, 0)), "Friday");
    // Summer (UTC+3): 1 July 2026 is a Wednesday; 04.30 UTC is 07.30 local.
    assert!(in_office_hours(utc(2026, 7, 1, 4, 30)));
    assert!(!in_office_hours(utc(2026, 7, 1, 3, 30)), "06.30 local");
    assert!(!in_office_hours(utc(2026, 7, 1, 15, 0)), "18.00 local");
}

fn entry(at: Timestamp, purpose: Option<Purpose>, event: AuditEvent) -> AuditEntry {
    AuditEntry {
        at,
        actor: AuditActor {
            user: "u-frank".into(),
            name: "Frank".into(),
            organisation: "espoo".into(),
            request_id: "r".into(),
            source: "127.0.0.1".into(),
        },
        purpose,
        case_ref: None,
        event,
    }
}

fn viewed() -> AuditEvent {
    AuditEvent::ScreenViewed {
        screen: ScreenId::PersonBasic,
        subject: SubjectRef::Person(PersonId(1)),
        shown: Vec::new(),
        withheld: false,
        protected: false,
    }
}

fn searched(result: SearchResult) -> AuditEvent {
    AuditEvent::SearchRun {
        criteria: Search::Hetu(
            "131052-308T"
                .parse()
                .unwrap_or_else(|e| unreachable!("{e:?}")),
        ),
        result,
    }
}

#[test]
fn queries_misses_refusals_and_off_hours_are_counted_per_day_and_purpose() {
    let m = Some(Purpose::MunicipalTasks);
    let p = Some(Purpose::PropertyManagement);
    let tuesday = |h| utc(2026, 12, 1, h, 0);
    let entries = vec![
        entry(tuesday(8), m, viewed()),
        entry(tuesday(9), m, searched(SearchResult::NotFound)),
        entry(tuesday(9), p, searched(SearchResult::TooMany)),
        // 21.00 local: off hours.
        entry(tuesday(19), m, viewed()),
        entry(
            utc(2026, 12, 2, 8, 0),
            m,
            AuditEvent::ScreenNotFound {
                screen: ScreenId::PersonBasic,
                subject: None,
            },
        ),
        entry(
            utc(2026, 12, 2, 8, 0),
            m,
            AuditEvent::AccessDenied {
                request: Request::Search(crate::SearchKind::Hetu),
                reason: crate::Denied::NoRight,
                criteria: None,
            },
        ),
        // Not queries: signing in, choosing a purpose.
        entry(
            tuesday(7),
            None,
            AuditEvent::LoginSucceeded {
                acr: crate::Acr::OneFactor,
            },
        ),
    ];
    let u = count("u-frank", "Frank Forsman", &entries);
    assert_eq!(
        (u.queries, u.not_found, u.off_hours, u.refused),
        (5, 2, 1, 1)
    );
    let day1 = Date::new(2026, 12, 1).ok();
    let day2 = Date::new(2026, 12, 2).ok();
    let days: Vec<(Option<Date>, Option<Purpose>, u32)> = u
        .days
        .iter()
        .map(|d| (Some(d.day), d.purpose, d.queries))
        .collect();
    assert_eq!(
        days,
        vec![(day1, m, 3), (day1, p, 1), (day2, m, 1)],
        "per day and purpose, oldest first"
    );
    assert_eq!(UserUsage::percent(2, 5), 40);
    assert_eq!(UserUsage::percent(1, 3), 33);
    assert_eq!(UserUsage::percent(2, 3), 67);
    assert_eq!(UserUsage::percent(0, 0), 0);
}
