//! A synthetic trail for the trail's benchmark (`server audit bench`): entries shaped as the
//! service writes them (person screens with the persons they showed, identity-code and name
//! searches, refusals, sign-ins and purposes chosen) from a few hundred users of a few dozen
//! organisations, a day's worth every 500,000 entries, written through the writer's commit in
//! groups as under load and indexed as the indexer indexes them. An operator command: it
//! writes a file of its own and returns sizes and timings, never register data.

use super::tree::Head;
use super::{TrailIndex, canonical, create_tables, write_entries};
use crate::EngineError;
use domain::audit::{AuditActor, AuditEntry, AuditEvent, SearchResult};
use domain::catalogue::ScreenId;
use domain::{Date, PersonId, Purpose, SubjectRef, Timestamp};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use redb::{Database, ReadableDatabase};
use std::path::Path;
use std::time::Instant;

/// What writing a synthetic trail took and made.
#[derive(Clone, Debug)]
pub struct TrailFigures {
    pub entries: u64,
    /// The trail's file (entries, time index, tree) and the index file (by subject and
    /// user, counters), in bytes.
    pub trail_bytes: u64,
    pub index_bytes: u64,
    pub write_seconds: f64,
    pub index_seconds: f64,
}

/// Entries a commit holds in the benchmark (a busy writer's group).
const GROUP: usize = 256;

/// Writes a synthetic trail of `entries` at `path` (and its index beside it).
pub fn synthetic_trail(path: &Path, entries: u64, seed: u64) -> Result<TrailFigures, EngineError> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let db = Database::create(path)?;
    create_tables(&db)?;
    let users = users(&mut rng);
    let start = first_day()?;
    let started = Instant::now();
    let mut head = Head::default();
    let mut batch = Vec::with_capacity(GROUP);
    for n in 0..entries {
        let entry = draw(&mut rng, &users, start, n);
        batch.push((entry.at.0, canonical(&entry)?));
        if batch.len() == GROUP || n + 1 == entries {
            head = write_entries(&db, std::mem::take(&mut batch), &head, None)?;
        }
    }
    let write_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let index = TrailIndex::open(Database::create(path.with_extension("index.redb"))?)?;
    index.catch_up(&db)?;
    let index_seconds = started.elapsed().as_secs_f64();
    // Sizes as the pages hold them: redb grows a file ahead of its use, so both are
    // compacted before they are measured.
    let TrailIndex {
        db: mut index_db, ..
    } = index;
    let mut db = db;
    let compact = |e: redb::CompactionError| EngineError::Storage(format!("compaction: {e}"));
    db.compact().map_err(compact)?;
    index_db.compact().map_err(compact)?;
    drop((db, index_db));
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    Ok(TrailFigures {
        entries,
        trail_bytes: size(path),
        index_bytes: size(&path.with_extension("index.redb")),
        write_seconds,
        index_seconds,
    })
}

/// The benchmark's 400 users of 40 organisations (the rng's first draws).
fn users(rng: &mut impl Rng) -> Vec<AuditActor> {
    (0..400)
        .map(|i| AuditActor {
            user: format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                rng.random::<u32>(),
                i,
                i,
                i,
                rng.random::<u64>() >> 16
            ),
            // A given name and a surname's length.
            name: format!("User{:03} Benchmark{:02}", i, i % 61),
            organisation: format!("{:07}-{}", 1_000_000 + (i % 40) * 7919, i % 10),
            request_id: String::new(),
            source: format!("10.{}.{}.{}", i % 40, (i / 40) % 250, 10 + i % 200),
        })
        .collect()
}

/// The trail's first day.
fn first_day() -> Result<Timestamp, EngineError> {
    Ok(Timestamp::start_of_finnish_day(
        Date::new(2026, 1, 5)
            .map_err(|e| EngineError::Invalid(format!("the benchmark's first day: {e}")))?,
    ))
}

/// A person of Finland's 5.6 million.
fn person(rng: &mut impl Rng) -> SubjectRef {
    SubjectRef::Person(PersonId(
        rng.random_range(0..5_600_000u64) * 0x9e37_79b9 + 1,
    ))
}

/// Entry `n`: about 500,000 a day, in the service's mix.
fn draw(rng: &mut impl Rng, users: &[AuditActor], start: Timestamp, n: u64) -> AuditEntry {
    let mut actor = users
        .choose(rng)
        .cloned()
        .unwrap_or_else(|| users[0].clone());
    actor.request_id = format!("{:032x}", rng.random::<u128>());
    let purpose = *Purpose::ALL.choose(rng).unwrap_or(&Purpose::MunicipalTasks);
    let case_ref = rng
        .random_bool(0.3)
        .then(|| {
            domain::CaseRef::parse(&format!("DNRO-2026-{:05}", rng.random_range(0..100_000)))
                .ok()
                .flatten()
        })
        .flatten();
    let roll = rng.random_range(0..100);
    let event = match roll {
        0..70 => AuditEvent::ScreenViewed {
            screen: *ScreenId::ALL.choose(rng).unwrap_or(&ScreenId::ALL[0]),
            subject: person(rng),
            shown: (0..rng.random_range(0..=3)).map(|_| person(rng)).collect(),
            withheld: rng.random_bool(0.01),
            protected: false,
        },
        70..85 => {
            let born = Date::new(
                1940 + rng.random_range(0..60),
                1 + rng.random_range(0..12),
                1 + rng.random_range(0..28),
            );
            let code = born.ok().and_then(|d| {
                domain::hetu::Hetu::new(
                    d,
                    domain::hetu::CenturySign::Minus,
                    rng.random_range(2..899),
                )
                .ok()
            });
            match code {
                Some(code) => AuditEvent::SearchRun {
                    criteria: domain::search::Search::Hetu(code),
                    result: SearchResult::Found(person(rng)),
                },
                None => AuditEvent::LoggedOut,
            }
        }
        85..90 => AuditEvent::SearchRun {
            criteria: domain::search::Search::Name {
                surname: format!("Surname{:03}", rng.random_range(0..500)),
                first_names: format!("Given{:02}", rng.random_range(0..90)),
                birth_date: Date::new(
                    1950 + rng.random_range(0..70),
                    1 + rng.random_range(0..12),
                    1 + rng.random_range(0..28),
                )
                .unwrap_or(start.date_in_finland()),
                municipality: None,
            },
            result: SearchResult::Several(
                (0..rng.random_range(2..8)).map(|_| person(rng)).collect(),
            ),
        },
        90..95 => AuditEvent::ScreenNotFound {
            screen: *ScreenId::ALL.choose(rng).unwrap_or(&ScreenId::ALL[0]),
            subject: Some(person(rng)),
        },
        _ => AuditEvent::PurposeChosen {
            purpose,
            case_ref: None,
        },
    };
    AuditEntry {
        at: Timestamp(start.0 + (n as i64) * 172),
        actor,
        purpose: Some(purpose),
        case_ref,
        event,
    }
}

/// How long one kind of read of the benchmark's trail took, in milliseconds.
#[derive(Clone, Debug)]
pub struct ReadFigures {
    pub what: &'static str,
    pub reads: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// The readers' reads of the trail [`synthetic_trail`] wrote at `path` with `seed`, opened as
/// the server opens it: a page of the log of persons looked up (the log investigation), of an
/// organisation and of a user, an organisation's day, and the counters behind a month's
/// invoice basis and a user's usage statistics.
pub fn read_figures(path: &Path, seed: u64) -> Result<Vec<ReadFigures>, EngineError> {
    use domain::trail::{PAGE, TrailFilter};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let users = users(&mut rng);
    let start = first_day()?;
    let log = super::AuditLog::open(path)?;
    let mut out = Vec::new();
    let mut measure = |what: &'static str,
                       reads: usize,
                       read: &mut dyn FnMut(usize) -> Result<(), EngineError>|
     -> Result<(), EngineError> {
        let mut ms = Vec::with_capacity(reads);
        for i in 0..reads {
            let t = Instant::now();
            read(i)?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        out.push(ReadFigures {
            what,
            reads,
            p50_ms: at(0.5),
            p99_ms: at(0.99),
            max_ms: at(1.0),
        });
        Ok(())
    };
    let page = |source: super::Source<'_>, filter: &TrailFilter| {
        log.search(source, filter, None, PAGE, 20_000).map(|_| ())
    };
    // Persons someone looked up: the first subject of entries drawn at random (a person drawn
    // from the whole population mostly has no entry at all, and costs nothing to look for).
    let entries = log.len()?;
    let mut persons = Vec::new();
    {
        let mut draw = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let txn = log.db.begin_read()?;
        let table = txn.open_table(super::ENTRIES)?;
        while persons.len() < 2000 && entries > 0 {
            let seq = draw.random_range(1..=entries);
            if let Some(bytes) = table.get(seq)?
                && let Some(subject) = super::to_record(seq, bytes.value())?
                    .entry
                    .event
                    .subjects()
                    .first()
            {
                persons.push(*subject);
            }
        }
    }
    let days = i64::try_from(entries / 500_000).unwrap_or(0).max(1);
    measure(
        "a person's log (by subject), first page",
        persons.len(),
        &mut |i| {
            let subject = persons[i];
            let key = subject.audit_key();
            page(
                super::Source::Subject(&key),
                &TrailFilter {
                    subject: Some(subject),
                    ..TrailFilter::default()
                },
            )
        },
    )?;
    measure("an organisation's log, first page", 400, &mut |i| {
        let org = &users[i % users.len()].organisation;
        page(
            super::Source::Organisation(org),
            &TrailFilter {
                organisation: Some(org.clone()),
                ..TrailFilter::default()
            },
        )
    })?;
    measure("a user's log, first page", 400, &mut |i| {
        let user = &users[i % users.len()].user;
        page(
            super::Source::User(user),
            &TrailFilter {
                user: Some(user.clone()),
                ..TrailFilter::default()
            },
        )
    })?;
    measure("an organisation's day, first page", 400, &mut |i| {
        let org = &users[i % users.len()].organisation;
        let from = start.plus_seconds(86_400 * (i64::try_from(i).unwrap_or(0) % days));
        page(
            super::Source::Organisation(org),
            &TrailFilter {
                organisation: Some(org.clone()),
                from: Some(from),
                until: Some(from.plus_seconds(86_400)),
                ..TrailFilter::default()
            },
        )
    })?;
    let month = domain::fees::Month::of(start.date_in_finland());
    measure(
        "a month's invoice basis of an organisation (counters)",
        400,
        &mut |i| {
            log.fee_units(&users[i % users.len()].organisation, month)
                .map(|_| ())
        },
    )?;
    measure(
        "a user's 30 days of usage statistics (counters)",
        400,
        &mut |i| {
            let u = &users[i % users.len()];
            log.usage_of(&u.organisation, &u.user, &u.name, start.date_in_finland())
                .map(|_| ())
        },
    )?;
    log.close()?;
    Ok(out)
}
