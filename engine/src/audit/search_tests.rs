//! Tests of the trail's search: every source pages through exactly what its filter keeps,
//! newest first and each entry once; a page stops after its budget and the next goes on; a
//! period finds entries stamped out of their written order. The expected entries come from how
//! each was made (its number), never from the tables searched.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use domain::audit::{AuditActor, AuditEvent};
use domain::trail::TrailFilter;
use domain::{PersonId, ScreenId, SubjectRef, Timestamp};

const T0: i64 = 1_800_000_000_000;

/// Entry `n`: user and organisation `n % 2`, person `n % 3`, stamped `n` seconds after `T0`
/// give or take up to two minutes (`skew(n)`).
fn made(n: u64, skew: impl Fn(u64) -> i64) -> AuditEntry {
    AuditEntry {
        at: Timestamp(T0 + i64::try_from(n).unwrap() * 1000 + skew(n)),
        actor: AuditActor {
            user: format!("u-{}", n % 2),
            name: "Test".into(),
            organisation: format!("org-{}", n % 2),
            request_id: format!("r-{n}"),
            source: "127.0.0.1".into(),
        },
        purpose: None,
        case_ref: None,
        event: AuditEvent::ScreenViewed {
            screen: ScreenId::PersonBasic,
            subject: SubjectRef::Person(PersonId(n % 3)),
            shown: Vec::new(),
            withheld: false,
            protected: false,
        },
    }
}

async fn trail(count: u64, skew: impl Fn(u64) -> i64) -> AuditLog {
    let log = AuditLog::open_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
    for n in 0..count {
        // One at a time: entry n is number n + 1.
        assert_eq!(log.durable(made(n, &skew)).await.unwrap(), n + 1);
    }
    log
}

/// Every page of a search, newest first: the numbers found, and how many pages stopped short.
fn pages(
    log: &AuditLog,
    source: Source<'_>,
    filter: &TrailFilter,
    limit: usize,
    budget: usize,
) -> (Vec<u64>, usize) {
    let (mut seqs, mut partial, mut before) = (Vec::new(), 0, None);
    for _ in 0..10_000 {
        let found = log.search(source, filter, before, limit, budget).unwrap();
        assert!(found.records.len() <= limit);
        seqs.extend(found.records.iter().map(|r| r.seq));
        partial += usize::from(found.partial);
        match found.next {
            Some(next) => {
                assert!(before.is_none_or(|b| next < b), "the pages go back");
                before = Some(next);
            }
            None => return (seqs, partial),
        }
    }
    panic!("the search never ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_source_pages_through_what_its_filter_keeps_newest_first_once() {
    let log = trail(300, |_| 0).await;
    let newest_first = |keep: &dyn Fn(u64) -> bool| -> Vec<u64> {
        (0..300u64)
            .rev()
            .filter(|n| keep(*n))
            .map(|n| n + 1)
            .collect()
    };
    let person = SubjectRef::Person(PersonId(1));
    let key = person.audit_key();
    let cases: Vec<(Source<'_>, TrailFilter, Vec<u64>)> = vec![
        (
            Source::Subject(&key),
            TrailFilter {
                subject: Some(person),
                ..TrailFilter::default()
            },
            newest_first(&|n| n % 3 == 1),
        ),
        (
            Source::User("u-0"),
            TrailFilter {
                user: Some("u-0".into()),
                ..TrailFilter::default()
            },
            newest_first(&|n| n % 2 == 0),
        ),
        (
            Source::Organisation("org-1"),
            TrailFilter {
                organisation: Some("org-1".into()),
                ..TrailFilter::default()
            },
            newest_first(&|n| n % 2 == 1),
        ),
        (
            // Two criteria: the index of one, the filter for the other.
            Source::Organisation("org-1"),
            TrailFilter {
                organisation: Some("org-1".into()),
                subject: Some(person),
                ..TrailFilter::default()
            },
            newest_first(&|n| n % 2 == 1 && n % 3 == 1),
        ),
        (
            Source::Trail,
            TrailFilter::default(),
            newest_first(&|_| true),
        ),
        (
            Source::Organisation("org-9"),
            TrailFilter {
                organisation: Some("org-9".into()),
                ..TrailFilter::default()
            },
            Vec::new(),
        ),
    ];
    for (source, filter, want) in cases {
        for limit in [1, 7, 50, 1000] {
            let (got, partial) = pages(&log, source, &filter, limit, 20_000);
            assert_eq!(got, want, "{source:?} {filter:?}, pages of {limit}");
            assert_eq!(partial, 0);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_stops_after_its_budget_and_the_next_goes_on() {
    let log = trail(300, |_| 0).await;
    // Person 1 by user u-0 in the eleventh second: entry 11 (n = 10) alone.
    let filter = TrailFilter {
        subject: Some(SubjectRef::Person(PersonId(1))),
        user: Some("u-0".into()),
        from: Some(Timestamp(T0 + 10_000)),
        until: Some(Timestamp(T0 + 11_000)),
        ..TrailFilter::default()
    };
    let (got, _) = pages(&log, Source::Trail, &filter, 50, 20_000);
    assert_eq!(got, [11]);
    let wide = TrailFilter {
        from: None,
        until: None,
        purpose: None,
        ..filter
    };
    let want: Vec<u64> = (0..300u64)
        .rev()
        .filter(|n| n % 2 == 0 && n % 3 == 1)
        .map(|n| n + 1)
        .collect();
    // A budget of 40 entries a page: the trail's 300 take 8 pages, each stopping short but
    // the last, and together they find every match once.
    let (got, partial) = pages(&log, Source::Trail, &wide, 1000, 40);
    assert_eq!(got, want);
    assert_eq!(partial, 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_period_finds_the_entries_stamped_in_it_whatever_their_order() {
    // Every third entry is stamped up to two minutes early: written later than entries
    // stamped after it.
    let skew = |n: u64| {
        if n.is_multiple_of(3) {
            -120_000 + i64::try_from(n).unwrap()
        } else {
            0
        }
    };
    let log = trail(400, skew).await;
    let at = |n: u64| T0 + i64::try_from(n).unwrap() * 1000 + skew(n);
    for (from, until) in [
        (100_000, 200_000),
        (0, 1000),
        (399_000, 400_000),
        (250_500, 250_600),
    ] {
        let filter = TrailFilter {
            from: Some(Timestamp(T0 + from)),
            until: Some(Timestamp(T0 + until)),
            ..TrailFilter::default()
        };
        let mut want: Vec<u64> = (0..400u64)
            .filter(|n| (T0 + from..T0 + until).contains(&at(*n)))
            .map(|n| n + 1)
            .collect();
        want.reverse();
        for source in [Source::Trail, Source::Organisation("org-0")] {
            let keep = |s: &u64| source == Source::Trail || (s - 1).is_multiple_of(2);
            let want: Vec<u64> = want.iter().copied().filter(keep).collect();
            let (got, _) = pages(&log, source, &filter, 30, 20_000);
            assert_eq!(got, want, "{from}..{until} from {source:?}");
        }
    }
    // A period before the first entry or after the last finds nothing, at once.
    for (from, until) in [(-10_000_000, -9_000_000), (10_000_000, 11_000_000)] {
        let filter = TrailFilter {
            from: Some(Timestamp(T0 + from)),
            until: Some(Timestamp(T0 + until)),
            ..TrailFilter::default()
        };
        let found = log
            .search(Source::Trail, &filter, None, 10, 20_000)
            .unwrap();
        assert!(found.records.is_empty() && found.next.is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_is_told_to_come_back_while_the_index_is_far_behind() {
    let log = trail(10, |_| 0).await;
    // The index current, its thread stopped (as while it rebuilds elsewhere), 50 more entries.
    log.index.catch_up(&log.db).unwrap();
    log.index.stop().unwrap();
    for n in 10..60 {
        log.durable(made(n, |_| 0)).await.unwrap();
    }
    log.index.reader_limit.store(49, Ordering::Relaxed);
    let filter = TrailFilter {
        organisation: Some("org-0".into()),
        ..TrailFilter::default()
    };
    let behind = log.search(Source::Organisation("org-0"), &filter, None, 100, 20_000);
    assert!(
        matches!(behind, Err(EngineError::Unavailable(_))),
        "{behind:?}"
    );
    // The trail itself needs no index.
    let whole = log
        .search(Source::Trail, &filter, None, 100, 20_000)
        .unwrap();
    assert_eq!(whole.records.len(), 30);
    // Within the limit, the reader catches the index up and finds everything.
    log.index.reader_limit.store(50, Ordering::Relaxed);
    let found = log
        .search(Source::Organisation("org-0"), &filter, None, 100, 20_000)
        .unwrap();
    assert_eq!(found.records.len(), 30);
}
