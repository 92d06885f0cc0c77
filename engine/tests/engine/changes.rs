//! Register changes through the gate's feed door on a real register: each kind of change is
//! seen through the gate as a user would see it (a move on the addresses screen, a protection
//! order withholding the address from a viewer without the right at once), the register's
//! own integrity check finds every index moved with its record, a bad change is set aside with
//! its reason and nothing of it is written, a replay changes nothing, a gap applies nothing,
//! and a batch the trail cannot record is not applied.

use crate::fixture::{Fallible, Fixture, TestResult, fixture, now, today, user};
use domain::audit::AuditEvent;
use domain::changes::{ChangeEvent, ChangeRefusal, NewHome, RegisterChange};
use domain::codes::Sex;
use domain::hetu::CenturySign;
use domain::screen::Cell;
use domain::{Actor, BuildingId, Date, Hetu, ScreenId, SubjectRef};
use engine::{EngineError, FEED_TASK};
use std::sync::atomic::Ordering;

fn feed() -> Actor {
    Actor::system(FEED_TASK)
}

fn hetu(code: &str) -> Fallible<Hetu> {
    Ok(Hetu::parse_as_of(code, today()).map_err(|e| format!("{code}: {e:?}"))?)
}

/// Numbers `changes` from `from` on, recorded now.
fn events(from: u64, changes: Vec<RegisterChange>) -> Vec<ChangeEvent> {
    (from..)
        .zip(changes)
        .map(|(seq, change)| ChangeEvent {
            seq,
            recorded: now(),
            change,
        })
        .collect()
}

/// What a screen shows of a subject to `viewer`, as text to look into.
async fn shown(f: &Fixture, viewer: &Actor, screen: ScreenId, s: SubjectRef) -> Fallible<String> {
    let link = f.engine.link_to(s)?;
    Ok(format!(
        "{:?}",
        f.engine.open_screen(viewer, screen, &link).await?.rows
    ))
}

/// The identity code the police's basic screen shows for a subject.
async fn code_of(f: &Fixture, s: SubjectRef) -> Fallible<String> {
    let data = f
        .engine
        .load_screen(&user("poliisi"), ScreenId::PersonBasic, s)
        .await?;
    let at = ScreenId::PersonBasic
        .spec()
        .columns
        .iter()
        .position(|c| c.key == "hetu")
        .ok_or("no hetu column")?;
    match &data.rows[0].cells[at] {
        Cell::Text(t) => Ok(t.clone()),
        other => Err(format!("{other:?}").into()),
    }
}

/// A code nobody in the register has, born on `born`.
fn new_code(born: Date, individual: u16) -> Fallible<Hetu> {
    let sign = CenturySign::original_for_year(born.year()).ok_or("no sign")?;
    Ok(Hetu::new(born, sign, individual).map_err(|e| format!("{e:?}"))?)
}

fn consistent(f: &Fixture) -> TestResult {
    let report = f.engine.check_register()?;
    assert_eq!(report.problems, Vec::<String>::new());
    assert_eq!(report.problem_count, 0);
    Ok(())
}

#[tokio::test]
async fn each_kind_of_change_is_seen_through_the_gate_and_every_index_moves_with_it() -> TestResult
{
    let f = fixture()?;
    let s = &f.samples;
    let mover = f.person(&s.ordinary[0]).await?;
    let flat = &s.flats[0];
    let building = flat
        .prt
        .parse::<BuildingId>()
        .map_err(|e| format!("{e:?}"))?;
    let before = shown(&f, &user("poliisi"), ScreenId::PersonAddresses, mover).await?;
    assert!(!before.contains(&format!("{} {}", flat.street, flat.house_number)));
    // A married parent (the mother) has a child; her spouse is the father.
    let parent = f.person(&s.families[0]).await?;
    let spouse = f.link(ScreenId::PersonSpouse, parent, "spouse").await?;
    let (a, b) = (hetu(&s.families[0])?, hetu(&code_of(&f, spouse).await?)?);
    let (mother, father) = if a.is_odd() { (b, a) } else { (a, b) };
    let child = new_code(today().add_days(-2), 522)?;
    let renamed = hetu(&s.ordinary[1])?;
    let dying = hetu(&s.ordinary[2])?;
    let protected = f.person(&s.ordinary[3]).await?;
    let old_code = hetu(&s.ordinary[4])?;
    let changed_code = new_code(old_code.birth_date(), 733)?;
    let hanna = {
        let mut a = user("lansi-uusimaa");
        if let domain::access::Who::User(p) = &mut a.who {
            p.acr = domain::Acr::TwoFactor;
        }
        a
    };
    assert!(
        !f.engine
            .open_screen(
                &hanna,
                ScreenId::PersonAddresses,
                &f.engine.link_to(protected)?
            )
            .await?
            .has_withheld()
    );
    let batch = events(
        1,
        vec![
            RegisterChange::Move {
                hetu: hetu(&s.ordinary[0])?,
                date: today().add_days(-1),
                to: NewHome::Dwelling {
                    building,
                    address_number: 1,
                    dwelling: flat.dwelling.clone(),
                },
            },
            RegisterChange::Birth {
                hetu: child,
                surname: "Testinen".into(),
                first_names: "Uusi Vauva".into(),
                sex: Sex::Female,
                mother,
                father: Some(father),
            },
            RegisterChange::NameChange {
                hetu: renamed,
                date: today(),
                surname: Some("Vaihdettu-Nimi".into()),
                first_names: None,
            },
            RegisterChange::Death {
                hetu: dying,
                date: today().add_days(-3),
            },
            RegisterChange::ProtectionOrderSet {
                hetu: hetu(&s.ordinary[3])?,
                since: today(),
                ends: None,
            },
            RegisterChange::HetuChanged {
                old: old_code,
                new: changed_code,
                date: today(),
            },
            RegisterChange::Divorce {
                a: mother,
                b: father,
                date: today(),
            },
        ],
    );
    let audit_before = f.engine.audit().len()?;
    let report = f.engine.apply_changes(&feed(), &batch).await?;
    assert_eq!((report.applied, report.dead, report.position), (7, 0, 7));
    assert_eq!(f.engine.dead_letters(0, 10)?, Vec::new());
    // The move: the new address on the screen, the old one history.
    let after = shown(&f, &user("poliisi"), ScreenId::PersonAddresses, mover).await?;
    assert!(
        after.contains(&format!("{} {}", flat.street, flat.house_number)),
        "{after}"
    );
    // The child is found by her code, with her mother's address.
    let baby = f.person(&child.to_string()).await?;
    let basic = shown(&f, &user("poliisi"), ScreenId::PersonBasic, baby).await?;
    assert!(
        basic.contains("Uusi Vauva") && basic.contains("Testinen"),
        "{basic}"
    );
    // The new name is searchable; the old code leads to the same person as the new one.
    let renamed_now = shown(
        &f,
        &user("poliisi"),
        ScreenId::PersonBasic,
        f.person(&renamed.to_string()).await?,
    )
    .await?;
    assert!(renamed_now.contains("Vaihdettu-Nimi"));
    assert_eq!(
        f.person(&old_code.to_string()).await?,
        f.person(&changed_code.to_string()).await?
    );
    // The protection order is in force on the very next request.
    assert!(
        f.engine
            .open_screen(
                &hanna,
                ScreenId::PersonAddresses,
                &f.engine.link_to(protected)?
            )
            .await?
            .has_withheld()
    );
    // Divorced: the parents no longer married.
    let parent_now = shown(&f, &user("poliisi"), ScreenId::PersonSpouse, parent).await?;
    assert!(
        parent_now.contains("divorced") && !parent_now.contains("Link"),
        "{parent_now}"
    );
    // One entry records the batch.
    let entries = f.engine.audit().entries_after(audit_before, 100)?;
    assert_eq!(
        entries
            .iter()
            .filter(|e| matches!(e.entry.event, AuditEvent::RegisterChangesApplied { .. }))
            .count(),
        1,
        "one entry for the batch, whatever the test read after it"
    );
    assert_eq!(
        entries[0].entry.event,
        AuditEvent::RegisterChangesApplied {
            first: 1,
            last: 7,
            applied: 7,
            dead: 0,
            skipped: 0
        }
    );
    assert_eq!(entries[0].entry.actor.user, format!("system:{FEED_TASK}"));
    consistent(&f)
}

#[tokio::test]
async fn a_bad_change_is_set_aside_with_its_reason_and_nothing_of_it_is_written() -> TestResult {
    let f = fixture()?;
    let s = &f.samples;
    let nobody = hetu(&s.not_in_register)?;
    let living = hetu(&s.ordinary[0])?;
    let dead = hetu(&s.deceased[0])?;
    let tomorrow = today().add_days(1);
    let batch = events(
        1,
        vec![
            RegisterChange::Death {
                hetu: nobody,
                date: today(),
            },
            RegisterChange::Death {
                hetu: living,
                date: tomorrow,
            },
            RegisterChange::Move {
                hetu: dead,
                date: today(),
                to: NewHome::Abroad {
                    country: 752,
                    street: "Storgatan 1".into(),
                    place: "Stockholm".into(),
                },
            },
            RegisterChange::Birth {
                hetu: living,
                surname: "Kaksoiskappale".into(),
                first_names: "Uusi".into(),
                sex: Sex::Male,
                mother: hetu(&s.ordinary[1])?,
                father: None,
            },
            RegisterChange::Divorce {
                a: living,
                b: hetu(&s.ordinary[2])?,
                date: today(),
            },
            RegisterChange::NameChange {
                hetu: living,
                date: today(),
                surname: Some("R2D2".into()),
                first_names: None,
            },
            RegisterChange::Move {
                hetu: living,
                date: today(),
                to: NewHome::Dwelling {
                    building: s.flats[0]
                        .prt
                        .parse::<BuildingId>()
                        .map_err(|e| format!("{e:?}"))?,
                    address_number: 1,
                    dwelling: "Ö 999".into(),
                },
            },
            RegisterChange::ProtectionOrderLifted {
                hetu: living,
                date: today(),
            },
            // And one that can be applied, after them all.
            RegisterChange::Move {
                hetu: living,
                date: today(),
                to: NewHome::Abroad {
                    country: 752,
                    street: "Storgatan 1".into(),
                    place: "Stockholm".into(),
                },
            },
        ],
    );
    let report = f.engine.apply_changes(&feed(), &batch).await?;
    assert_eq!((report.applied, report.dead, report.position), (1, 8, 9));
    let reasons: Vec<(u64, ChangeRefusal)> = f
        .engine
        .dead_letters(0, 100)?
        .into_iter()
        .map(|d| (d.event.seq, d.refusal))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (1, ChangeRefusal::UnknownPerson),
            (2, ChangeRefusal::ImpossibleDate),
            (3, ChangeRefusal::Deceased),
            (4, ChangeRefusal::Duplicate),
            (5, ChangeRefusal::NotMarried),
            (6, ChangeRefusal::BadName),
            (7, ChangeRefusal::UnknownHome),
            (8, ChangeRefusal::NoSuchOrder),
        ]
    );
    assert_eq!(
        f.engine.dead_letters(5, 2)?.len(),
        2,
        "read on from a position"
    );
    // The one applied: abroad, home municipality 200; the person is alive and still found.
    let p = f.person(&s.ordinary[0]).await?;
    let basic = shown(&f, &user("poliisi"), ScreenId::PersonAddresses, p).await?;
    assert!(basic.contains("Storgatan 1"), "{basic}");
    consistent(&f)
}

#[tokio::test]
async fn a_replay_changes_nothing_and_a_gap_applies_nothing() -> TestResult {
    let f = fixture()?;
    let s = &f.samples;
    let first = events(
        1,
        vec![
            RegisterChange::NameChange {
                hetu: hetu(&s.ordinary[0])?,
                date: today(),
                surname: Some("Ensimmäinen".into()),
                first_names: None,
            },
            RegisterChange::NameChange {
                hetu: hetu(&s.ordinary[0])?,
                date: today(),
                surname: Some("Toinen".into()),
                first_names: None,
            },
        ],
    );
    f.engine.apply_changes(&feed(), &first).await?;
    let entries = f.engine.audit().len()?;
    // The same batch again: skipped, nothing recorded, the name as the stream left it.
    let again = f.engine.apply_changes(&feed(), &first).await?;
    assert_eq!((again.applied, again.skipped, again.position), (0, 2, 2));
    assert_eq!(f.engine.audit().len()?, entries);
    let p = f.person(&s.ordinary[0]).await?;
    let basic = shown(&f, &user("poliisi"), ScreenId::PersonBasic, p).await?;
    assert!(
        basic.contains("Toinen") && !basic.contains("Ensimmäinen"),
        "{basic}"
    );
    // A batch overlapping the end: the old part skipped, the new part applied.
    let mut overlapping = first.clone();
    overlapping.extend(events(
        3,
        vec![RegisterChange::NameChange {
            hetu: hetu(&s.ordinary[0])?,
            date: today(),
            surname: Some("Kolmas".into()),
            first_names: None,
        }],
    ));
    let r = f.engine.apply_changes(&feed(), &overlapping).await?;
    assert_eq!((r.applied, r.skipped, r.position), (1, 2, 3));
    // Change 5 before change 4: refused whole, the position unmoved.
    let gap = events(
        5,
        vec![RegisterChange::NameChange {
            hetu: hetu(&s.ordinary[0])?,
            date: today(),
            surname: Some("Viides".into()),
            first_names: None,
        }],
    );
    let r = f.engine.apply_changes(&feed(), &gap).await;
    assert!(matches!(r, Err(EngineError::Invalid(_))), "{r:?}");
    assert_eq!(f.engine.feed_position()?, 3);
    // A gap inside a batch: nothing of the batch, not even what came before the gap.
    let mut holed = events(
        4,
        vec![RegisterChange::NameChange {
            hetu: hetu(&s.ordinary[0])?,
            date: today(),
            surname: Some("Neljäs".into()),
            first_names: None,
        }],
    );
    holed.extend(events(
        6,
        vec![RegisterChange::NameChange {
            hetu: hetu(&s.ordinary[0])?,
            date: today(),
            surname: Some("Kuudes".into()),
            first_names: None,
        }],
    ));
    assert!(f.engine.apply_changes(&feed(), &holed).await.is_err());
    assert_eq!(f.engine.feed_position()?, 3);
    let basic = shown(&f, &user("poliisi"), ScreenId::PersonBasic, p).await?;
    assert!(
        basic.contains("Kolmas") && !basic.contains("Neljäs"),
        "{basic}"
    );
    consistent(&f)
}

#[tokio::test]
async fn only_the_feed_changes_the_register_and_only_what_the_trail_records() -> TestResult {
    let f = fixture()?;
    let s = &f.samples;
    let batch = events(
        1,
        vec![RegisterChange::ProtectionOrderSet {
            hetu: hetu(&s.ordinary[0])?,
            since: today(),
            ends: None,
        }],
    );
    for stranger in [user("dvv"), Actor::system("nightly")] {
        let r = f.engine.apply_changes(&stranger, &batch).await;
        assert!(matches!(r, Err(EngineError::Invalid(_))), "{r:?}");
    }
    assert_eq!(f.engine.feed_position()?, 0);
    let p = f.person(&s.ordinary[0]).await?;
    let hanna = user("lansi-uusimaa");
    let link = f.engine.link_to(p)?;
    let r = f.engine.apply_changes(&feed(), &batch).await?;
    assert_eq!(r.applied, 1);
    assert!(
        f.engine
            .open_screen(&hanna, ScreenId::PersonAddresses, &link)
            .await?
            .has_withheld()
    );
    // The next batch, which the trail cannot record: not applied (the trail's writer stops,
    // and the service with it, until it is restarted).
    let next = events(
        2,
        vec![RegisterChange::ProtectionOrderLifted {
            hetu: hetu(&s.ordinary[0])?,
            date: today(),
        }],
    );
    f.fail_audit.store(true, Ordering::SeqCst);
    let r = f.engine.apply_changes(&feed(), &next).await;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    assert_eq!(f.engine.feed_position()?, 1);
    consistent(&f)
}

#[tokio::test]
async fn a_generated_stream_applies_almost_whole_and_leaves_the_register_consistent() -> TestResult
{
    let f = fixture()?;
    let mut total = domain::changes::FeedReport::default();
    for _ in 0..4 {
        let r = f.engine.feed_generated(&feed(), 11, 150).await?;
        total.applied += r.applied;
        total.dead += r.dead;
        total.position = r.position;
    }
    // A plan is drawn from the register as it stands: nearly every change applies (a few
    // fall through when two parts of the stream meet the same person).
    assert!(total.applied >= 540, "{total:?}");
    assert!(total.dead <= 30, "{total:?}");
    assert_eq!(u64::from(total.applied + total.dead), total.position);
    // An empty part tells where the stream stands.
    assert_eq!(
        f.engine.apply_changes(&feed(), &[]).await?.position,
        total.position
    );
    consistent(&f)?;
    // The same seed on another copy of the same register: the same stream, the same register.
    let g = fixture()?;
    for _ in 0..4 {
        g.engine.feed_generated(&feed(), 11, 150).await?;
    }
    assert_eq!(g.engine.feed_position()?, total.position);
    assert_eq!(
        g.engine.dead_letters(0, 1000)?,
        f.engine.dead_letters(0, 1000)?
    );
    Ok(())
}
