//! The gate end to end on a real redb register and a real audit file: allowed requests return
//! data and leave one audit entry, denied ones leave one entry and no data, a failing audit
//! store returns nothing, protection orders are redacted, corrupt records are errors.

use domain::access::{DataGroup, Denied};
use domain::audit::AuditEvent;
use domain::principal::{Acr, OrgId, Role};
use domain::screen::{Cell, PersonId};
use domain::{Actor, Date, Hetu, Principal, ScreenId, SubjectRef, Timestamp};
use engine::population::{GenerateOptions, Samples, generate};
use engine::testing::FailingBackend;
use engine::{AuditLog, Engine, EngineError, FixedClock};
use redb::Database;
use redb::backends::InMemoryBackend;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> Timestamp {
    // 2026-11-27T10:00:00Z
    Timestamp(
        (Date::new(2026, 11, 27)
            .map(|d| d.days_since_epoch())
            .unwrap_or(0))
            * 86_400_000
            + 36_000_000,
    )
}

fn actor(org: &str, roles: &[Role]) -> Actor {
    Actor::user(
        Principal {
            subject: format!("u-{org}"),
            name: format!("User of {org}"),
            organisation: OrgId(org.into()),
            organisation_name: org.into(),
            roles: roles.to_vec(),
            acr: Acr::OneFactor,
        },
        "req-1".into(),
        "127.0.0.1".into(),
    )
}

fn user(org: &str) -> Actor {
    actor(org, &[Role::QueryUser])
}

struct Fixture {
    _dir: tempfile::TempDir,
    engine: Engine,
    samples: Samples,
    fail_audit: Arc<AtomicBool>,
}

fn fixture() -> Result<Fixture, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("register.redb");
    let summary = generate(
        &path,
        &GenerateOptions {
            persons: 600,
            buildings: None,
            properties: None,
            seed: 7,
            today: now().date_in_finland(),
        },
        &mut |_| {},
    )?;
    let (backend, fail_audit) = FailingBackend::new();
    let audit = AuditLog::open_with_backend(backend)?;
    let engine = Engine::open(&path, audit, Arc::new(FixedClock::new(now())))?;
    Ok(Fixture {
        _dir: dir,
        engine,
        samples: summary.samples,
        fail_audit,
    })
}

fn hetu(s: &str) -> Result<Hetu, Box<dyn std::error::Error>> {
    Ok(s.parse()?)
}

#[tokio::test]
async fn allowed_returns_data_and_one_audit_entry() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let code = hetu(&f.samples.ordinary[0])?;
    let subject = f.engine.search_person(&bob, code).await?;
    assert_eq!(f.engine.audit().len()?, 1, "the search is audited");
    let data = f
        .engine
        .load_screen(&bob, ScreenId::PersonBasic, subject)
        .await?;
    assert_eq!(data.rows.len(), 1);
    assert_eq!(data.rows[0].cells[0], Cell::Text(code.to_string()));
    assert_eq!(f.engine.audit().len()?, 2, "one entry per call");
    let trail = f.engine.audit().for_subject(&subject.audit_key())?;
    assert_eq!(trail.len(), 2);
    assert!(matches!(
        trail[1].entry.event,
        AuditEvent::ScreenViewed {
            screen: ScreenId::PersonBasic,
            ..
        }
    ));
    assert_eq!(trail[1].entry.actor.user, "u-espoo");
    assert_eq!(
        trail[1].entry.purpose,
        Some(domain::Purpose::MunicipalTasks)
    );
    Ok(())
}

#[tokio::test]
async fn denied_returns_no_data_and_one_audit_entry() -> TestResult {
    let f = fixture()?;
    let carol = user("isannointi-oy");
    let code = hetu(&f.samples.ordinary[0])?;
    let denied = f.engine.search_person(&carol, code).await;
    assert!(matches!(
        denied,
        Err(EngineError::Denied(Denied::NotInPermit(
            DataGroup::PersonBasic
        )))
    ));
    assert_eq!(f.engine.audit().len()?, 1);
    // Even with a valid reference, the screen is refused and the refusal recorded.
    let subject = f.engine.search_person(&user("espoo"), code).await?;
    let before = f.engine.audit().len()?;
    let r = f
        .engine
        .load_screen(&carol, ScreenId::PersonBasic, subject)
        .await;
    assert!(matches!(r, Err(EngineError::Denied(_))), "{r:?}");
    assert_eq!(f.engine.audit().len()?, before + 1);
    let last = f.engine.audit().entries_after(before, 10)?;
    assert!(matches!(
        last[0].entry.event,
        AuditEvent::AccessDenied { .. }
    ));
    // An unknown organisation and a user without a query role are refused too.
    assert!(matches!(
        f.engine
            .load_screen(&user("unknown-org"), ScreenId::PersonBasic, subject)
            .await,
        Err(EngineError::Denied(Denied::NoPermit))
    ));
    assert!(matches!(
        f.engine
            .load_screen(
                &actor("espoo", &[Role::ResponsibleUser]),
                ScreenId::PersonBasic,
                subject
            )
            .await,
        Err(EngineError::Denied(Denied::NoQueryRight))
    ));
    assert!(matches!(
        f.engine
            .load_screen(&Actor::system("test"), ScreenId::PersonBasic, subject)
            .await,
        Err(EngineError::Denied(Denied::NotAUser))
    ));
    assert_eq!(f.engine.audit().len()?, before + 4);
    Ok(())
}

#[tokio::test]
async fn audit_store_unavailable_returns_no_data() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let subject = f
        .engine
        .search_person(&bob, hetu(&f.samples.ordinary[0])?)
        .await?;
    f.fail_audit.store(true, Ordering::SeqCst);
    let r = f
        .engine
        .load_screen(&bob, ScreenId::PersonBasic, subject)
        .await;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    // The writer stays stopped: fail closed until restart, even once the disk recovers.
    f.fail_audit.store(false, Ordering::SeqCst);
    let r = f
        .engine
        .load_screen(&bob, ScreenId::PersonBasic, subject)
        .await;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    assert!(f.engine.audit().is_failed());
    let r = f
        .engine
        .search_person(&bob, hetu(&f.samples.ordinary[1])?)
        .await;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    Ok(())
}

#[tokio::test]
async fn not_found_is_audited_and_distinct() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let r = f
        .engine
        .search_person(&bob, hetu(&f.samples.not_in_register)?)
        .await;
    assert!(matches!(r, Err(EngineError::NotFound)));
    let missing = SubjectRef::Person(PersonId(42));
    let r = f
        .engine
        .load_screen(&bob, ScreenId::PersonBasic, missing)
        .await;
    assert!(matches!(r, Err(EngineError::NotFound)));
    assert_eq!(f.engine.audit().len()?, 2);
    Ok(())
}

#[tokio::test]
async fn protection_order_is_redacted_for_viewers_without_the_right() -> TestResult {
    let f = fixture()?;
    let police = user("poliisi");
    let code = hetu(f.samples.protected.first().ok_or("no protected sample")?)?;
    let subject = f.engine.search_person(&police, code).await?;
    let full = f
        .engine
        .load_screen(&police, ScreenId::PersonAddresses, subject)
        .await?;
    assert!(full.protection_order && !full.withheld);
    assert!(!full.rows[0].cells.contains(&Cell::Withheld));

    let bob = user("espoo");
    let basic = f
        .engine
        .load_screen(&bob, ScreenId::PersonBasic, subject)
        .await?;
    assert!(basic.protection_order && basic.withheld);
    let spec = ScreenId::PersonBasic.spec();
    let at = |key: &str| {
        spec.columns
            .iter()
            .position(|c| c.key == key)
            .unwrap_or(usize::MAX)
    };
    assert_eq!(basic.rows[0].cells[at("home_municipality")], Cell::Withheld);
    assert_eq!(
        basic.rows[0].cells[at("hetu")],
        Cell::Text(code.to_string()),
        "identity stays visible"
    );
    assert_eq!(
        basic.rows[0].cells[at("protection_order")],
        Cell::Flag(true)
    );
    let addresses = f
        .engine
        .load_screen(&bob, ScreenId::PersonAddresses, subject)
        .await?;
    assert!(
        addresses.rows[0].cells.iter().all(|c| *c == Cell::Withheld),
        "{:?}",
        addresses.rows[0]
    );
    let trail = f.engine.audit().for_subject(&subject.audit_key())?;
    assert!(trail.iter().any(|r| matches!(
        r.entry.event,
        AuditEvent::ScreenViewed {
            location_withheld: true,
            ..
        }
    )));

    // Resident lists leave the protected person out for a viewer without the right.
    let building = match &full.rows[0].cells[4] {
        Cell::Link { target, .. } => *target,
        other => return Err(format!("expected a building link, got {other:?}").into()),
    };
    let is_listed = |d: &domain::ScreenData| {
        d.rows
            .iter()
            .any(|r| matches!(&r.cells[0], Cell::Link { target, .. } if *target == subject))
    };
    let for_police = f
        .engine
        .load_screen(&police, ScreenId::BuildingResidents, building)
        .await?;
    assert!(is_listed(&for_police));
    let manager = user("isannointi-oy");
    let for_manager = f
        .engine
        .load_screen(&manager, ScreenId::BuildingResidents, building)
        .await?;
    assert!(!is_listed(&for_manager) && for_manager.withheld);
    let unprotected = for_police.rows.iter().filter(|r| !r.protected).count();
    assert_eq!(for_manager.rows.len(), unprotected);
    assert!(for_manager.rows.iter().all(|r| !r.protected));
    Ok(())
}

#[tokio::test]
async fn every_screen_for_every_demo_organisation_follows_its_permit() -> TestResult {
    let f = fixture()?;
    let police = user("poliisi");
    let person = f
        .engine
        .search_person(&police, hetu(&f.samples.ordinary[0])?)
        .await?;
    let addresses = f
        .engine
        .load_screen(&police, ScreenId::PersonAddresses, person)
        .await?;
    let building = match &addresses.rows[0].cells[4] {
        Cell::Link { target, .. } => *target,
        other => return Err(format!("expected a building link, got {other:?}").into()),
    };
    for permit in engine::population::demo_permits() {
        let a = user(&permit.organisation.0);
        for screen in ScreenId::ALL {
            let subject = match screen.spec().subject {
                domain::SubjectKind::Person => person,
                domain::SubjectKind::Building => building,
            };
            let before = f.engine.audit().len()?;
            let r = f.engine.load_screen(&a, screen, subject).await;
            let allowed = permit.groups.contains(&screen.spec().group);
            assert_eq!(
                r.is_ok(),
                allowed,
                "{} {:?}: {r:?}",
                permit.organisation.0,
                screen
            );
            assert_eq!(f.engine.audit().len()?, before + 1, "one entry per call");
        }
    }
    let report = f.engine.audit().verify()?;
    assert_eq!(report.first_bad, None);
    assert_eq!(report.entries, f.engine.audit().len()?);
    Ok(())
}

#[tokio::test]
async fn a_corrupt_record_is_an_error_not_a_panic() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("register.redb");
    let summary = generate(
        &path,
        &GenerateOptions {
            persons: 50,
            buildings: None,
            properties: None,
            seed: 1,
            today: now().date_in_finland(),
        },
        &mut |_| {},
    )?;
    let db = Database::create(&path)?;
    let police = user("poliisi");
    let audit = AuditLog::open_with_backend(InMemoryBackend::new())?;
    let engine = Engine::new(db, audit, Arc::new(FixedClock::new(now())));
    let subject = engine
        .search_person(&police, hetu(&summary.samples.ordinary[0])?)
        .await?;
    drop(engine);
    let db = Database::create(&path)?;
    {
        let txn = db.begin_write()?;
        {
            let table: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("person.v2");
            let mut t = txn.open_table(table)?;
            let SubjectRef::Person(id) = subject else {
                return Err("not a person".into());
            };
            t.insert(id.0, [0xff_u8, 0xff, 0xff, 0x01].as_slice())?;
        }
        txn.commit()?;
    }
    let engine = Engine::new(
        db,
        AuditLog::open_with_backend(InMemoryBackend::new())?,
        Arc::new(FixedClock::new(now())),
    );
    let r = engine
        .load_screen(&police, ScreenId::PersonBasic, subject)
        .await;
    assert!(
        matches!(
            r,
            Err(EngineError::Corrupt {
                table: "person.v2",
                ..
            })
        ),
        "{r:?}"
    );
    Ok(())
}
