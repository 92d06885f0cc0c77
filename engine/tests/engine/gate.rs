//! The gate end to end on a real redb register and a real audit trail: allowed requests return
//! data and leave one audit entry, denied ones leave one entry and no data, a failing audit
//! store returns nothing, a missing subject or a corrupt record is audited and returns nothing,
//! and each demo organisation gets exactly the products its permit lists.

use crate::fixture::{TestResult, actor, embedded_fixture, fixture, refusal, user};
use domain::access::Denied;
use domain::audit::{AuditEvent, SearchResult, SessionEvent};
use domain::principal::UserId;
use domain::principal::{Acr, Role};
use domain::screen::{Cell, PersonId};
use domain::{
    Actor, Field, ScreenId, SearchKind, SearchOutcome, SubjectKind, SubjectLink, SubjectRef,
};
use engine::EngineError;
use std::sync::atomic::Ordering;

#[tokio::test]
async fn allowed_returns_data_and_one_audit_entry() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let code = &f.samples.ordinary[0];
    assert!(!f.engine.audit().is_failed());
    let found = f
        .search(&bob, SearchKind::Hetu, &[(Field::Hetu, code)])
        .await?;
    let SearchOutcome::Found { subject, notice } = found else {
        return Err(format!("{found:?}").into());
    };
    assert_eq!(notice, None);
    assert_eq!(f.engine.audit().len()?, 1, "the search is audited");
    let data = f
        .engine
        .open_screen(&bob, ScreenId::PersonBasic, &subject)
        .await?;
    let subject = f.opened(&subject)?;
    assert_eq!(data.rows.len(), 1);
    assert_eq!(data.rows[0].cells[0], Cell::Text(code.clone()));
    assert_eq!(data.header.heading, f.samples.ordinary_names[0]);
    assert_eq!(data.header.identifier, *code);
    assert_eq!(data.purpose, domain::Purpose::MunicipalTasks);
    assert_eq!(f.engine.audit().len()?, 2, "one entry per call");
    let trail = f.engine.audit().for_subject(&subject.audit_key())?;
    assert_eq!(trail.len(), 2);
    assert!(matches!(
        &trail[0].entry.event,
        AuditEvent::SearchRun { result: SearchResult::Found(s), .. } if *s == subject
    ));
    assert!(matches!(
        trail[1].entry.event,
        AuditEvent::ScreenViewed {
            screen: ScreenId::PersonBasic,
            withheld: false,
            ..
        }
    ));
    assert_eq!(trail[1].entry.actor.user, "u-bob");
    assert_eq!(
        trail[1].entry.purpose,
        Some(domain::Purpose::MunicipalTasks)
    );
    Ok(())
}

#[tokio::test]
async fn the_purpose_decides_the_screens_and_a_refusal_records_it() -> TestResult {
    let f = fixture()?;
    let subject = f.person(&f.samples.ordinary[0]).await?;
    let licences = user("poliisi").with_purpose(domain::Purpose::LicenceAdministration);
    f.engine
        .load_screen(&licences, ScreenId::PersonBasic, subject)
        .await?;
    let before = f.engine.audit().len()?;
    let r = f
        .engine
        .load_screen(&licences, ScreenId::PersonAddresses, subject)
        .await;
    assert_eq!(
        refusal(&r),
        Some(Denied::NotForPurpose(ScreenId::PersonAddresses))
    );
    let last = f.engine.audit().entries_after(before, 10)?;
    assert!(matches!(
        last[0].entry.event,
        AuditEvent::AccessDenied { .. }
    ));
    assert_eq!(
        last[0].entry.purpose,
        Some(domain::Purpose::LicenceAdministration)
    );
    // The same user for criminal investigation opens it, and the menus follow the purpose.
    let police = user("poliisi");
    f.engine
        .load_screen(&police, ScreenId::PersonAddresses, subject)
        .await?;
    let narrow = f.engine.allowed(&licences).await?;
    assert!(narrow.screens.contains(&ScreenId::PersonBasic));
    assert!(!narrow.screens.contains(&ScreenId::PersonAddresses));
    assert!(f.engine.allowed(&police).await?.screens.len() > narrow.screens.len());
    // Every page names the organisation as the registry knows it, whatever the identity
    // provider's claim said (the test principal's claim is its id, "poliisi").
    assert_eq!(narrow.organisation_name.as_deref(), Some("Poliisihallitus"));
    Ok(())
}

#[tokio::test]
async fn denied_returns_no_data_and_one_audit_entry() -> TestResult {
    let f = fixture()?;
    let carol = user("isannointi-oy");
    let code = &f.samples.ordinary[0];
    let denied = f
        .search(&carol, SearchKind::Hetu, &[(Field::Hetu, code)])
        .await;
    assert!(
        matches!(
            denied,
            Err(EngineError::Denied(Denied::SearchNotInPermit(
                SearchKind::Hetu
            )))
        ),
        "{denied:?}"
    );
    assert_eq!(f.engine.audit().len()?, 1);
    // The refusal keeps what was typed: a sweep over identity codes shows in the trail.
    match &f.engine.audit().entries_after(0, 1)?[0].entry.event {
        AuditEvent::AccessDenied {
            criteria: Some(domain::Search::Hetu(h)),
            ..
        } => assert_eq!(h.to_string(), *code),
        other => return Err(format!("{other:?}").into()),
    }
    // Even with a valid reference, the screen is refused and the refusal recorded.
    let subject = f.person(code).await?;
    let before = f.engine.audit().len()?;
    let r = f
        .engine
        .load_screen(&carol, ScreenId::PersonBasic, subject)
        .await;
    assert_eq!(
        refusal(&r),
        Some(Denied::ScreenNotInPermit(ScreenId::PersonBasic))
    );
    assert_eq!(f.engine.audit().len()?, before + 1);
    let last = f.engine.audit().entries_after(before, 10)?;
    assert!(matches!(
        last[0].entry.event,
        AuditEvent::AccessDenied { .. }
    ));
    assert_eq!(
        last[0].entry.event.subjects(),
        vec![subject],
        "a refusal is found by the subject's index"
    );
    // A user the registry gave no right, a right without the query role (whatever the token
    // claims), a right in an organisation without a permit and a service task are refused too.
    f.engine
        .put_right(&right("u-erkki", "espoo", &[Role::ResponsibleUser]))?;
    f.engine
        .put_right(&right("u-ville", "vantaa", &[Role::QueryUser]))?;
    let cases: [(Actor, Denied); 4] = [
        (user("unknown-org"), Denied::NoRight),
        (as_user(actor("espoo"), "u-erkki"), Denied::NoQueryRight),
        (as_user(actor("vantaa"), "u-ville"), Denied::NoPermit),
        (Actor::system("test"), Denied::NotAUser),
    ];
    for (who, reason) in cases {
        let r = f
            .engine
            .load_screen(&who, ScreenId::PersonBasic, subject)
            .await;
        assert_eq!(refusal(&r), Some(reason), "{reason:?}: {r:?}");
    }
    assert_eq!(f.engine.audit().len()?, before + 5);
    Ok(())
}

fn right(user: &'static str, org: &'static str, roles: &[Role]) -> domain::PersonalRight {
    domain::PersonalRight {
        user: UserId::from_static(user),
        name: format!("{user} of {org}"),
        organisation: domain::principal::OrgId::from_static(org),
        roles: roles.to_vec(),
        screens: None,
        valid_until: None,
        state: domain::RightState::Active,
        restorable: false,
    }
}

fn as_user(mut a: Actor, subject: &'static str) -> Actor {
    if let domain::access::Who::User(p) = &mut a.who {
        p.subject = UserId::from_static(subject);
    }
    a
}

#[tokio::test]
async fn ending_or_blocking_a_right_refuses_the_very_next_request_and_names_whom_to_ask()
-> TestResult {
    let f = fixture()?;
    let subject = f.person(&f.samples.ordinary[0]).await?;
    let bob = user("espoo");
    f.engine
        .load_screen(&bob, ScreenId::PersonBasic, subject)
        .await?;
    let mut record = f.engine.right("espoo", "u-bob")?.ok_or("bob has a right")?;
    for (state, reason) in [
        (domain::RightState::Blocked, Denied::UserBlocked),
        (domain::RightState::Ended, Denied::RightNotActive),
    ] {
        record.state = state;
        f.engine.put_right(&record)?;
        let r = f
            .engine
            .load_screen(&bob, ScreenId::PersonBasic, subject)
            .await;
        assert_eq!(refusal(&r), Some(reason), "{state:?}: {r:?}");
    }
    // A colleague known to the provider but not to the registry is told whom to ask: the
    // organisation's active responsible users (Bob's right has ended, so not him).
    f.engine.put_right(&right(
        "u-anna",
        "espoo",
        &[Role::QueryUser, Role::ResponsibleUser],
    ))?;
    let eve = as_user(actor("espoo"), "u-eve");
    let told = f.engine.allowed(&eve).await?;
    assert_eq!(told.refusal, Some(Denied::NoRight));
    assert_eq!(told.contacts, vec!["u-anna of espoo".to_owned()]);
    // Restored, Bob queries again; his right may also narrow the permit's screens.
    record.state = domain::RightState::Active;
    record.screens = Some(vec![ScreenId::PersonNames]);
    f.engine.put_right(&record)?;
    let r = f
        .engine
        .load_screen(&bob, ScreenId::PersonBasic, subject)
        .await;
    assert_eq!(
        refusal(&r),
        Some(Denied::ScreenNotInRight(ScreenId::PersonBasic))
    );
    f.engine
        .load_screen(&bob, ScreenId::PersonNames, subject)
        .await?;
    // Allowed users are told nothing extra.
    assert!(f.engine.allowed(&bob).await?.contacts.is_empty());
    Ok(())
}

#[tokio::test]
async fn audit_store_unavailable_returns_no_data() -> TestResult {
    let f = embedded_fixture()?;
    let bob = user("espoo");
    let subject = f.person(&f.samples.ordinary[0]).await?;
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
        .search(
            &bob,
            SearchKind::Hetu,
            &[(Field::Hetu, &f.samples.ordinary[1])],
        )
        .await;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    let r = f
        .engine
        .record(
            &bob,
            SessionEvent::LoginSucceeded {
                acr: Acr::OneFactor,
            },
        )
        .await;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    Ok(())
}

#[tokio::test]
async fn a_miss_is_audited_with_what_was_searched() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let r = f
        .search(
            &bob,
            SearchKind::Hetu,
            &[(Field::Hetu, &f.samples.not_in_register)],
        )
        .await?;
    assert_eq!(r, SearchOutcome::NotFound);
    let missing = SubjectRef::Person(PersonId(42));
    let r = f
        .engine
        .load_screen(&bob, ScreenId::PersonBasic, missing)
        .await;
    assert!(matches!(r, Err(EngineError::NotFound)), "{r:?}");
    let trail = f.engine.audit().entries_after(0, 10)?;
    assert_eq!(trail.len(), 2);
    match &trail[0].entry.event {
        AuditEvent::SearchRun {
            criteria: domain::Search::Hetu(h),
            result: SearchResult::NotFound,
        } => assert_eq!(h.to_string(), f.samples.not_in_register),
        other => return Err(format!("{other:?}").into()),
    }
    assert!(matches!(
        trail[1].entry.event,
        AuditEvent::ScreenNotFound { subject, .. } if subject == Some(missing)
    ));
    Ok(())
}

#[tokio::test]
async fn a_guessed_or_tampered_link_is_refused_like_a_missing_subject() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    // A colleague of Bob's whom the registry has given no right.
    let mut eve = user("espoo");
    if let domain::access::Who::User(p) = &mut eve.who {
        p.subject = UserId::from_static("u-eve");
    }
    let person = f.person(&f.samples.ordinary[0]).await?;
    let real = f.engine.link_to(person)?;
    let missing = f.engine.link_to(SubjectRef::Person(PersonId(42)))?;
    // One character changed; the same token as another kind; a token of the right shape.
    let mut chars: Vec<char> = real.token().chars().collect();
    chars[20] = if chars[20] == 'A' { 'B' } else { 'A' };
    let tampered =
        SubjectLink::new(real.kind(), chars.into_iter().collect::<String>()).ok_or("shape")?;
    let other_kind = SubjectLink::new(SubjectKind::Building, real.token()).ok_or("shape")?;
    let guessed =
        SubjectLink::new(real.kind(), "A".repeat(SubjectLink::TOKEN_LEN)).ok_or("shape")?;
    assert!(
        f.engine
            .open_screen(&bob, ScreenId::PersonBasic, &real)
            .await
            .is_ok()
    );
    let before = f.engine.audit().len()?;
    let screen_of = |link: &SubjectLink| match link.kind() {
        SubjectKind::Building => ScreenId::BuildingBasic,
        _ => ScreenId::PersonBasic,
    };
    for link in [&missing, &tampered, &other_kind, &guessed] {
        let r = f.engine.open_screen(&bob, screen_of(link), link).await;
        assert!(matches!(r, Err(EngineError::NotFound)), "{link:?}: {r:?}");
        // Without a right, a missing and a forged link are refused the same way too.
        let r = f.engine.open_screen(&eve, screen_of(link), link).await;
        assert_eq!(refusal(&r), Some(Denied::NoRight), "{link:?}");
    }
    let trail = f.engine.audit().entries_after(before, 10)?;
    assert_eq!(trail.len(), 8, "every attempt is on record");
    let not_found: Vec<_> = trail
        .iter()
        .filter_map(|r| match &r.entry.event {
            AuditEvent::ScreenNotFound { subject, .. } => Some(*subject),
            _ => None,
        })
        .collect();
    assert_eq!(
        not_found,
        vec![Some(SubjectRef::Person(PersonId(42))), None, None, None]
    );
    Ok(())
}

#[tokio::test]
async fn links_keep_working_when_the_register_is_opened_again() -> TestResult {
    use redb::Database;
    use redb::backends::InMemoryBackend;
    use std::sync::Arc;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("register.redb");
    let summary = engine::population::generate(
        &path,
        &engine::population::GenerateOptions {
            persons: 50,
            buildings: None,
            properties: None,
            seed: 3,
            today: crate::fixture::today(),
        },
        &mut |_| {},
    )?;
    let clock = Arc::new(engine::FixedClock::new(crate::fixture::now()));
    let open = || -> Result<engine::Engine, Box<dyn std::error::Error>> {
        Ok(engine::Engine::new(
            Database::open(&path)?,
            engine::AuditLog::open_with_backend(InMemoryBackend::new())?,
            clock.clone(),
        )?)
    };
    let first = open()?;
    let SearchOutcome::Found { subject, .. } = first
        .search(
            &user("poliisi"),
            domain::Search::Hetu(summary.samples.ordinary[0].parse()?),
        )
        .await?
    else {
        return Err("not found".into());
    };
    let person = first.open_link(&subject).ok_or("opens")?;
    drop(first);
    // A bookmark made before a restart opens the same person after it.
    let again = open()?;
    assert_eq!(again.open_link(&subject), Some(person));
    assert_eq!(again.link_to(person)?, subject);
    Ok(())
}

#[tokio::test]
async fn sign_in_events_are_recorded_through_the_narrow_api() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    f.engine
        .record(
            &bob,
            SessionEvent::LoginSucceeded {
                acr: Acr::TwoFactor,
            },
        )
        .await?;
    f.engine.record(&bob, SessionEvent::LoggedOut).await?;
    let trail = f.engine.audit().entries_after(0, 10)?;
    assert_eq!(
        trail
            .iter()
            .map(|r| r.entry.event.clone())
            .collect::<Vec<_>>(),
        vec![
            AuditEvent::LoginSucceeded {
                acr: Acr::TwoFactor
            },
            AuditEvent::LoggedOut
        ]
    );
    Ok(())
}

/// Each demo permit as written by hand: which sample screens and searches it opens.
#[tokio::test]
async fn each_demo_organisation_gets_exactly_its_products() -> TestResult {
    let f = fixture()?;
    let subjects = f.walk().await?;
    use ScreenId as S;
    // (organisation, screen, allowed)
    let expected: &[(&str, ScreenId, bool)] = &[
        ("poliisi", S::PersonBasicWide, true),
        ("poliisi", S::BuildingResidentsWide, true),
        ("dvv", S::PersonAddressHistory, true),
        ("espoo", S::PersonBasic, true),
        ("espoo", S::PersonBasicNarrow, true),
        ("espoo", S::PersonBasicWide, false),
        ("espoo", S::PersonChildren, true),
        ("espoo", S::BuildingBasic, true),
        ("espoo", S::BuildingResidents, false),
        ("espoo", S::DwellingResidents, false),
        ("espoo", S::PropertyOwners, true),
        ("isannointi-oy", S::PersonBasic, false),
        ("isannointi-oy", S::PersonNames, false),
        ("isannointi-oy", S::BuildingBasic, true),
        ("isannointi-oy", S::BuildingResidents, true),
        ("isannointi-oy", S::BuildingResidentsWide, false),
        ("isannointi-oy", S::DwellingResidentsNarrow, true),
        ("isannointi-oy", S::PropertyBasic, true),
    ];
    for &(org, screen, allowed) in expected {
        let subject = subjects.of(screen.spec().subject());
        let before = f.engine.audit().len()?;
        let r = f.engine.load_screen(&user(org), screen, subject).await;
        assert_eq!(r.is_ok(), allowed, "{org} {}: {r:?}", screen.spec().slug);
        if !allowed {
            assert!(matches!(
                r,
                Err(EngineError::Denied(Denied::ScreenNotInPermit(s))) if s == screen
            ));
        }
        assert_eq!(f.engine.audit().len()?, before + 1, "one entry per call");
    }
    // The menus offer exactly what the gate allows.
    let offered = f.engine.allowed(&user("espoo")).await?;
    for &(org, screen, allowed) in expected {
        if org == "espoo" {
            assert_eq!(offered.screens.contains(&screen), allowed, "{screen:?}");
        }
    }
    let manager = f.engine.allowed(&user("isannointi-oy")).await?;
    assert!(!manager.searches.contains(&SearchKind::Hetu));
    assert!(manager.searches.contains(&SearchKind::Address));
    assert!(
        manager
            .screens
            .iter()
            .all(|s| s.spec().subject() != SubjectKind::Person)
    );
    // The wellbeing services county: persons only, for social and health services.
    let county = f.engine.allowed(&user("lansi-uusimaa")).await?;
    assert_eq!(
        county.purpose,
        Some(domain::Purpose::SocialAndHealthServices)
    );
    assert!(county.screens.contains(&ScreenId::PersonBasic));
    assert!(
        county
            .screens
            .iter()
            .all(|s| s.spec().subject() == SubjectKind::Person)
    );
    assert!(!county.searches.contains(&SearchKind::Address));
    let nobody = f.engine.allowed(&user("unknown-org")).await?;
    assert_eq!(nobody.refusal, Some(Denied::NoRight));
    assert!(nobody.screens.is_empty());
    let report = f.engine.audit().verify()?;
    assert_eq!(report.first_bad, None);
    assert_eq!(report.entries, f.engine.audit().len()?);
    Ok(())
}

#[tokio::test]
async fn a_corrupt_record_is_an_audited_error_not_a_panic() -> TestResult {
    use engine::population::{GenerateOptions, generate};
    use redb::Database;
    use redb::backends::InMemoryBackend;
    use std::sync::Arc;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("register.redb");
    let summary = generate(
        &path,
        &GenerateOptions {
            persons: 50,
            buildings: None,
            properties: None,
            seed: 1,
            today: crate::fixture::today(),
        },
        &mut |_| {},
    )?;
    let police = user("poliisi");
    let clock = Arc::new(engine::FixedClock::new(crate::fixture::now()));
    let engine = engine::Engine::new(
        Database::open(&path)?,
        engine::AuditLog::open_with_backend(InMemoryBackend::new())?,
        clock.clone(),
    )?;
    let SearchOutcome::Found { subject, .. } = engine
        .search(
            &police,
            domain::Search::Hetu(summary.samples.ordinary[0].parse()?),
        )
        .await?
    else {
        return Err("not found".into());
    };
    let subject = engine.open_link(&subject).ok_or("no subject")?;
    drop(engine);
    let db = Database::open(&path)?;
    {
        let txn = db.begin_write()?;
        {
            let table: redb::TableDefinition<u64, &[u8]> =
                redb::TableDefinition::new(engine::testing::PERSONS_TABLE);
            let mut t = txn.open_table(table)?;
            let SubjectRef::Person(id) = subject else {
                return Err("not a person".into());
            };
            t.insert(id.0, [0xff_u8, 0xff, 0xff, 0x01].as_slice())?;
        }
        txn.commit()?;
    }
    let engine = engine::Engine::new(
        db,
        engine::AuditLog::open_with_backend(InMemoryBackend::new())?,
        clock,
    )?;
    let r = engine
        .load_screen(&police, ScreenId::PersonBasic, subject)
        .await;
    assert!(matches!(r, Err(EngineError::Corrupt { .. })), "{r:?}");
    assert_eq!(engine.audit().len()?, 1, "the failed attempt is on record");
    assert!(matches!(
        engine.audit().entries_after(0, 1)?[0].entry.event,
        AuditEvent::QueryFailed { .. }
    ));
    Ok(())
}
