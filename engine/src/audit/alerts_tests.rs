//! Tests of the alerts kept with the index: a sweep begun before a restart and completed after
//! it is raised once, by the entry that completed it; an alert raised before the restart is
//! not raised again; an index rebuilt from the trail raises the same alerts under the same
//! keys. The expected alerts come from how the entries were made, never from the tables read.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use domain::alerts::Rule;
use domain::audit::{AuditActor, AuditEvent, SearchResult};
use domain::hetu::{CenturySign, Hetu};
use domain::search::Search;
use domain::{Date, PersonId, ScreenId, SubjectRef, Timestamp};

/// 2026-12-01 10.00 in Finland: office hours, so the night rule stays quiet.
fn at(minute: i64) -> Timestamp {
    Timestamp::start_of_finnish_day(Date::new(2026, 12, 1).unwrap())
        .plus_seconds(36_000 + minute * 60)
}

fn entry(minute: i64, event: AuditEvent) -> AuditEntry {
    AuditEntry {
        at: at(minute),
        actor: AuditActor {
            user: "u-frank".into(),
            name: "Frank".into(),
            organisation: "espoo".into(),
            request_id: format!("r-{minute}"),
            source: "127.0.0.1".into(),
        },
        purpose: None,
        case_ref: None,
        event,
    }
}

/// A search for the code of 14 March 1961 with individual number `n`, found nobody.
fn searched(minute: i64, n: u16) -> AuditEntry {
    let code = Hetu::new(Date::new(1961, 3, 14).unwrap(), CenturySign::Minus, n).unwrap();
    entry(
        minute,
        AuditEvent::SearchRun {
            criteria: Search::Hetu(code),
            result: SearchResult::NotFound,
        },
    )
}

/// Person 7's basic screen; they are under a protection order.
fn protected(minute: i64) -> AuditEntry {
    entry(
        minute,
        AuditEvent::ScreenViewed {
            screen: ScreenId::PersonBasic,
            subject: SubjectRef::Person(PersonId(7)),
            shown: Vec::new(),
            withheld: true,
            protected: true,
        },
    )
}

fn raised(log: &AuditLog) -> Vec<(u64, Rule)> {
    let (alerts, more) = log.alerts(None, None, 50).unwrap();
    assert!(!more);
    let mut out: Vec<(u64, Rule)> = alerts.iter().map(|a| (a.entry, a.rule)).collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sweep_across_a_restart_is_raised_once_and_an_earlier_alert_not_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.redb");
    let log = AuditLog::open(&path).unwrap();
    // Entries 1–5: five codes in sequence; entry 6: the protected person.
    for (i, n) in [200, 202, 204, 206, 208].into_iter().enumerate() {
        log.durable(searched(i64::try_from(i).unwrap(), n))
            .await
            .unwrap();
    }
    assert_eq!(log.durable(protected(5)).await.unwrap(), 6);
    assert_eq!(raised(&log), [(6, Rule::Protected)]);
    log.close().unwrap();

    let log = AuditLog::open(&path).unwrap();
    // Entries 7–9 complete the run of eight; entry 10 looks at the protected person again.
    for (i, n) in [210, 212, 214].into_iter().enumerate() {
        log.durable(searched(6 + i64::try_from(i).unwrap(), n))
            .await
            .unwrap();
    }
    assert_eq!(log.durable(protected(9)).await.unwrap(), 10);
    assert_eq!(
        raised(&log),
        [(6, Rule::Protected), (9, Rule::SequentialCodes)]
    );
    let alert = log.alert(9, Rule::SequentialCodes).unwrap().unwrap();
    assert_eq!(
        (alert.user.as_str(), alert.organisation.as_str()),
        ("u-frank", "espoo")
    );
    assert_eq!(alert.at, at(8));
    assert_eq!(alert.since, at(8).plus_seconds(-30 * 60));
    assert_eq!(
        log.alerts_after(6, 10).unwrap().len(),
        1,
        "the mailing's view"
    );
    assert_eq!(
        log.alerts(Some("espoo"), Some(9), 50).unwrap().0.len(),
        1,
        "the organisation's, before entry 9"
    );
    assert!(log.alerts(Some("vantaa"), None, 50).unwrap().0.is_empty());
    log.close().unwrap();

    // The index lost: rebuilt from the trail, the same alerts under the same keys.
    let index = dir.path().join("audit.index.redb");
    assert!(index.exists(), "the index file is where the test thinks");
    std::fs::remove_file(&index).unwrap();
    let log = AuditLog::open(&path).unwrap();
    assert_eq!(
        raised(&log),
        [(6, Rule::Protected), (9, Rule::SequentialCodes)]
    );
    log.close().unwrap();
}

/// Frank opens person 1's basic screen `day` days after 1 December 2026, `second` seconds
/// after 9.00 Finnish time.
fn viewed(day: i64, second: i64) -> AuditEntry {
    let mut e = entry(
        0,
        AuditEvent::ScreenViewed {
            screen: ScreenId::PersonBasic,
            subject: SubjectRef::Person(PersonId(1)),
            shown: Vec::new(),
            withheld: false,
            protected: false,
        },
    );
    e.at = Timestamp::start_of_finnish_day(Date::new(2026, 12, 1).unwrap())
        .plus_seconds(day * 86_400 + 9 * 3600 + second);
    e
}

/// A burst is measured against the user's usual hour: 160 lookups on the first day and 320
/// on the second make 30 an hour on the third (480 over two working days of eight hours), so
/// the third day's burst is its 150th lookup within the hour, whether the earlier days were
/// indexed before (one at a time) or in the same batch (a trail indexed anew). A busy day 40
/// days back is past the 28 counted, and a day on which every request was refused is no
/// working day.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_is_five_times_the_users_own_usual_hour() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.redb");
    let log = AuditLog::open(&path).unwrap();
    let mut made = Vec::new();
    for i in 0..800 {
        log.durable(viewed(-40, i * 10)).await.unwrap();
    }
    let mut refused = viewed(-1, 0);
    refused.event = AuditEvent::AccessDenied {
        request: domain::access::Request::Screen {
            screen: ScreenId::PersonBasic,
            subject: Some(SubjectRef::Person(PersonId(1))),
            reveal: false,
        },
        reason: domain::access::Denied::NoRight,
        criteria: None,
    };
    log.durable(refused).await.unwrap();
    log.alerts(None, None, 1).unwrap();
    for (day, count) in [(0, 160), (1, 320), (2, 160)] {
        for i in 0..count {
            let seq = log.durable(viewed(day, i * 10)).await.unwrap();
            made.push((day, i, seq));
            if day < 2 && i == count - 1 {
                // The index current at the end of each day, as when the trail is served.
                log.alerts(None, None, 1).unwrap();
            }
        }
    }
    let third_day_bursts = |log: &AuditLog| -> Vec<u64> {
        let (alerts, _) = log.alerts(None, None, 50).unwrap();
        let first_of_day3 = made.iter().find(|(d, _, _)| *d == 2).unwrap().2;
        alerts
            .iter()
            .filter(|a| a.rule == Rule::Burst && a.entry >= first_of_day3)
            .map(|a| a.entry)
            .collect()
    };
    let the_150th = made
        .iter()
        .find(|(d, i, _)| *d == 2 && *i == 149)
        .unwrap()
        .2;
    assert_eq!(third_day_bursts(&log), [the_150th]);
    log.close().unwrap();
    // The index rebuilt from the whole trail in one batch: the same.
    std::fs::remove_file(dir.path().join("audit.index.redb")).unwrap();
    let log = AuditLog::open(&path).unwrap();
    assert_eq!(third_day_bursts(&log), [the_150th]);
    log.close().unwrap();
}

/// An alert raised two hours before the restart, beyond the hour that is replayed, is still
/// not raised again the same day; an organisation's alerts page back by their entries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_hours_before_a_restart_is_remembered_and_pages_go_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.redb");
    let log = AuditLog::open(&path).unwrap();
    assert_eq!(log.durable(protected(0)).await.unwrap(), 1);
    assert_eq!(log.durable(searched(120, 200)).await.unwrap(), 2);
    assert_eq!(raised(&log), [(1, Rule::Protected)]);
    log.close().unwrap();
    let log = AuditLog::open(&path).unwrap();
    assert_eq!(log.durable(protected(125)).await.unwrap(), 3);
    assert_eq!(
        raised(&log),
        [(1, Rule::Protected)],
        "remembered from before"
    );
    // Another protected person's screen an hour later: a second alert.
    let mut other = protected(185);
    if let AuditEvent::ScreenViewed { subject, .. } = &mut other.event {
        *subject = SubjectRef::Person(PersonId(8));
    }
    assert_eq!(log.durable(other).await.unwrap(), 4);
    let (page, more) = log.alerts(Some("espoo"), None, 1).unwrap();
    assert_eq!(
        (page.iter().map(|a| a.entry).collect::<Vec<_>>(), more),
        (vec![4], true)
    );
    let (page, more) = log.alerts(Some("espoo"), Some(4), 1).unwrap();
    assert_eq!(
        (page.iter().map(|a| a.entry).collect::<Vec<_>>(), more),
        (vec![1], false)
    );
    let (page, more) = log.alerts(Some("espoo"), None, 50).unwrap();
    assert_eq!((page.len(), more), (2, false));
    let (page, more) = log.alerts(None, None, 1).unwrap();
    assert_eq!(
        (page.iter().map(|a| a.entry).collect::<Vec<_>>(), more),
        (vec![4], true)
    );
    log.close().unwrap();
}
