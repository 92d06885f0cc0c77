//! The synthetic register: the same seed gives the same register, every identifier is valid
//! and unique, relations agree in both directions, references resolve, indexes find every
//! record, nonsense options are refused, and an interrupted load leaves no register behind.

use domain::model::Relation;
use domain::{Date, Hetu};
use engine::population::check::{check_register, fingerprint};
use engine::population::{GenerateOptions, OptionsError, generate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn options(persons: u64, seed: u64) -> Result<GenerateOptions, Box<dyn std::error::Error>> {
    Ok(GenerateOptions {
        persons,
        buildings: None,
        properties: None,
        seed,
        today: Date::new(2026, 11, 27)?,
    })
}

#[test]
fn same_seed_same_register_other_seed_other_register() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (a, b, c) = (
        dir.path().join("a.redb"),
        dir.path().join("b.redb"),
        dir.path().join("c.redb"),
    );
    let sa = generate(&a, &options(1500, 99)?, &mut |_| {})?;
    let sb = generate(&b, &options(1500, 99)?, &mut |_| {})?;
    let sc = generate(&c, &options(1500, 100)?, &mut |_| {})?;
    assert_eq!(sa, sb);
    assert_eq!(fingerprint(&a)?, fingerprint(&b)?);
    assert_ne!(fingerprint(&a)?, fingerprint(&c)?);
    assert_ne!(sa.samples, sc.samples);
    assert_eq!(sa.persons, 1500 + sa.persons - 1500, "counts are reported");
    assert!(!dir.path().join("a.redb.partial").exists());
    Ok(())
}

#[test]
fn a_generated_register_is_consistent_and_fully_indexed() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("r.redb");
    let summary = generate(&path, &options(4000, 5)?, &mut |_| {})?;
    let report = check_register(&path)?;
    assert_eq!(report.problems, Vec::<String>::new());
    assert_eq!(report.problem_count, 0);
    assert_eq!(report.persons, summary.persons);
    assert!(
        report.persons >= 4000,
        "the widowed's late spouses are extra persons"
    );
    assert_eq!(report.buildings, summary.buildings);
    assert_eq!(report.properties, summary.properties);
    assert!(report.relations > 1000, "{} relations", report.relations);
    // Finland's ratios, within reason, at this scale.
    let per_person = |n: u64| n as f64 / 4000.0;
    assert!(
        (0.5..0.9).contains(&per_person(summary.buildings)),
        "buildings {}",
        summary.buildings
    );
    assert!(
        (0.3..0.9).contains(&per_person(summary.dwellings)),
        "dwellings {}",
        summary.dwellings
    );
    assert!(
        (0.35..0.6).contains(&per_person(summary.properties)),
        "properties {}",
        summary.properties
    );
    let today = Date::new(2026, 11, 27)?;
    for code in summary
        .samples
        .ordinary
        .iter()
        .chain(&summary.samples.protected)
        .chain(&summary.samples.passive)
    {
        Hetu::parse_as_of(code, today)?;
    }
    assert!(!summary.samples.protected.is_empty());
    assert!(!summary.samples.deceased.is_empty());
    Ok(())
}

#[test]
fn the_check_finds_a_broken_mirror() -> TestResult {
    use redb::ReadableTable;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("r.redb");
    generate(&path, &options(300, 8)?, &mut |_| {})?;
    // Drop one side of one relation, as a faulty loader would.
    let db = redb::Database::open(&path)?;
    let table: redb::TableDefinition<u64, &[u8]> =
        redb::TableDefinition::new(engine::testing::PERSONS_TABLE);
    let txn = db.begin_write()?;
    {
        let mut t = txn.open_table(table)?;
        let mut victim = None;
        for item in t.iter()? {
            let (k, v) = item?;
            let mut p: domain::model::Person = postcard::from_bytes(v.value())?;
            if p.relations
                .iter()
                .any(|r| matches!(r, Relation::Parent { .. }))
            {
                p.relations
                    .retain(|r| !matches!(r, Relation::Parent { .. }));
                victim = Some((k.value(), postcard::to_allocvec(&p)?));
                break;
            }
        }
        let (k, bytes) = victim.ok_or("no person with parents")?;
        t.insert(k, bytes.as_slice())?;
    }
    txn.commit()?;
    drop(db);
    let report = check_register(&path)?;
    assert!(report.problem_count > 0);
    assert!(
        report.problems.iter().any(|p| p.contains("no mirror")),
        "{:?}",
        report.problems
    );
    Ok(())
}

#[test]
fn nonsense_options_are_refused_with_a_clear_message() -> TestResult {
    let mut o = options(0, 1)?;
    assert_eq!(o.check(), Err(OptionsError::Persons(0)));
    o.persons = 10_000;
    o.buildings = Some(10);
    let e = o.check().err().ok_or("accepted")?;
    assert!(e.to_string().contains("cannot house"), "{e}");
    o.buildings = None;
    o.properties = Some(1);
    assert!(matches!(
        o.check(),
        Err(OptionsError::TooFewProperties { .. })
    ));
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("r.redb");
    assert!(generate(&path, &o, &mut |_| {}).is_err());
    assert!(!path.exists(), "nothing written for refused options");
    Ok(())
}

#[test]
#[allow(clippy::panic)] // a panic out of the progress callback stands in for Ctrl-C
fn an_interrupted_load_leaves_the_old_register_in_place() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("r.redb");
    generate(&path, &options(200, 1)?, &mut |_| {})?;
    let before = fingerprint(&path)?;
    // Interrupt the next load from the progress callback, as Ctrl-C would end the process.
    let result = std::panic::catch_unwind(|| {
        let o = options(3000, 2).unwrap_or_else(|e| unreachable!("{e}"));
        let _ = generate(&path, &o, &mut |p| {
            if p.persons_done > 500 {
                std::panic::panic_any("interrupted");
            }
        });
    });
    assert!(result.is_err(), "the load was interrupted");
    assert_eq!(fingerprint(&path)?, before, "the old register is untouched");
    // The next run cleans up and completes.
    generate(&path, &options(300, 3)?, &mut |_| {})?;
    assert!(!dir.path().join("r.redb.partial").exists());
    Ok(())
}

#[test]
fn a_register_of_another_schema_is_refused_with_what_to_do() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("old.redb");
    drop(redb::Database::create(&path)?);
    assert_eq!(engine::register_schema(&path)?, None);
    let audit = engine::AuditLog::open_with_backend(redb::backends::InMemoryBackend::new())?;
    let clock = std::sync::Arc::new(engine::SystemClock);
    let refused = engine::Engine::open(&path, audit.clone(), clock.clone());
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("server generate"), "{message}");
    let missing = engine::Engine::open(&dir.path().join("none.redb"), audit.clone(), clock.clone());
    assert!(missing.is_err());
    generate(&path, &options(100, 1)?, &mut |_| {})?;
    assert_eq!(
        engine::register_schema(&path)?.as_deref(),
        Some(engine::REGISTER_SCHEMA)
    );
    assert!(engine::Engine::open(&path, audit, clock).is_ok());
    Ok(())
}

/// 4 KiB overwritten inside the file, as a failing disk or a botched copy leaves it: the
/// engine refuses to serve it and the check reports it, neither panics.
#[test]
fn a_damaged_register_is_refused_at_start_and_reported_by_the_check() -> TestResult {
    use std::io::{Seek, SeekFrom, Write};
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("register.redb");
    generate(&path, &options(2000, 4)?, &mut |_| {})?;
    let audit = engine::AuditLog::open_with_backend(redb::backends::InMemoryBackend::new())?;
    let clock = std::sync::Arc::new(engine::SystemClock);
    // Intact: it opens (and the check passes), so the refusal below is the damage's doing.
    drop(engine::Engine::open(&path, audit.clone(), clock.clone())?);
    assert_eq!(check_register(&path)?.problem_count, 0);
    let len = std::fs::metadata(&path)?.len();
    let mut file = std::fs::OpenOptions::new().write(true).open(&path)?;
    file.seek(SeekFrom::Start(len / 2))?;
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    file.write_all(&garbage)?;
    file.sync_all()?;
    drop(file);
    let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        engine::Engine::open(&path, audit, clock)
    }))
    .map_err(|_| "opening a damaged register panicked")?;
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("damaged"), "{message}");
    assert!(message.contains("backup"), "says what to do: {message}");
    let checked =
        std::panic::catch_unwind(|| check_register(&path)).map_err(|_| "the check panicked")?;
    let message = checked.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("damaged"), "{message}");
    Ok(())
}
