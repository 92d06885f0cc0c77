//! Register changes through the gate's feed door on a real register: each kind of change is
//! seen through the gate as a user would see it (a move on the addresses screen, a protection
//! order withholding the address from a viewer without the right at once), the register's
//! own integrity check finds every index moved with its record, a bad change is set aside with
//! its reason and nothing of it is written, a replay changes nothing, a gap applies nothing,
//! and a batch the trail cannot record is not applied.

use crate::fixture::{Fallible, Fixture, TestResult, embedded_fixture, fixture, now, today, user};
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

/// A new surname for the person with `code`, from today.
fn surname_now(code: &str, surname: &str) -> Fallible<RegisterChange> {
    Ok(RegisterChange::NameChange {
        hetu: hetu(code)?,
        date: today(),
        surname: Some(surname.into()),
        first_names: None,
    })
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
    assert!(report.persons > 1000 && report.relations > 0, "{report:?}");
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
        .map(|d| (d.seq, d.refusal))
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
            surname_now(&s.ordinary[0], "Ensimmäinen")?,
            surname_now(&s.ordinary[0], "Toinen")?,
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
    overlapping.extend(events(3, vec![surname_now(&s.ordinary[0], "Kolmas")?]));
    let r = f.engine.apply_changes(&feed(), &overlapping).await?;
    assert_eq!((r.applied, r.skipped, r.position), (1, 2, 3));
    // Change 5 before change 4: refused whole, the position unmoved.
    let gap = events(5, vec![surname_now(&s.ordinary[0], "Viides")?]);
    let r = f.engine.apply_changes(&feed(), &gap).await;
    assert!(matches!(r, Err(EngineError::Invalid(_))), "{r:?}");
    assert_eq!(f.engine.feed_position()?, 3);
    // A gap inside a batch: nothing of the batch, not even what came before the gap.
    let mut holed = events(4, vec![surname_now(&s.ordinary[0], "Neljäs")?]);
    holed.extend(events(6, vec![surname_now(&s.ordinary[0], "Kuudes")?]));
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
    let f = embedded_fixture()?;
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
        total.skipped += r.skipped;
        total.position = r.position;
    }
    // A plan is drawn from the register as it stands: nearly every change applies (a few
    // fall through when two parts of the stream meet the same person).
    assert!(total.applied >= 540, "{total:?}");
    assert!(total.dead <= 30, "{total:?}");
    assert_eq!(u64::from(total.applied + total.dead), total.position);
    assert_eq!(
        total.skipped, 0,
        "each part goes on from the stream's position"
    );
    // An empty part tells where the stream stands.
    assert_eq!(
        f.engine.apply_changes(&feed(), &[]).await?.position,
        total.position
    );
    consistent(&f)?;
    // The generator draws every kind of change the source sends.
    // (Plans of a thousand from a few seeds: one long plan on this small register lets the
    // deaths take the few under guardianship before their guardianship could end.)
    let mut kinds = std::collections::BTreeMap::new();
    for seed in 1..=6 {
        for (kind, n) in f.engine.plan_kinds(seed, 1_000)? {
            *kinds.entry(kind).or_insert(0) += n;
        }
    }
    for kind in [
        "birth",
        "death",
        "move",
        "name",
        "marriage",
        "divorce",
        "protection-set",
        "protection-lifted",
        "hetu",
        "custody",
        "guardian-appointed",
        "guardianship-ended",
        "building-completed",
        "building-altered",
        "building-demolished",
        "dwelling-added",
        "property-divided",
        "property-merged",
        "owner",
    ] {
        assert!(kinds.get(kind).is_some_and(|n| *n > 0), "{kind}: {kinds:?}");
    }
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

/// The municipality code the police's building screen shows.
async fn building_municipality(f: &Fixture, building: BuildingId) -> Fallible<String> {
    let data = f
        .engine
        .load_screen(
            &user("poliisi"),
            ScreenId::BuildingBasic,
            SubjectRef::Building(building),
        )
        .await?;
    let at = ScreenId::BuildingBasic
        .spec()
        .columns
        .iter()
        .position(|c| c.key == "municipality")
        .ok_or("no municipality column")?;
    match &data.rows[0].cells[at] {
        Cell::Code(c) => Ok(c.code.clone()),
        other => Err(format!("{other:?}").into()),
    }
}

/// The stored record of the person with `code` (test support: past the gate).
fn record(f: &Fixture, code: &Hetu) -> Fallible<domain::model::Person> {
    Ok(f.engine
        .person_record(&code.to_string())?
        .ok_or_else(|| format!("no person {code}"))?)
}

fn dead_reasons(f: &Fixture, after: u64) -> Fallible<Vec<(u64, ChangeRefusal)>> {
    Ok(f.engine
        .dead_letters(after, 100)?
        .into_iter()
        .map(|d| (d.seq, d.refusal))
        .collect())
}

#[tokio::test]
async fn a_move_ends_the_old_address_the_day_before_and_changes_the_home_only_across_a_border()
-> TestResult {
    let f = fixture()?;
    let s = &f.samples;
    // Someone who has moved before: an ended address of theirs must stay as it was.
    let mut who = None;
    for code in s.ordinary.iter().chain(&s.singles).chain(&s.families) {
        let h = hetu(code)?;
        if record(&f, &h)?
            .addresses
            .iter()
            .any(|a| !a.period.is_open())
        {
            who = Some(h);
            break;
        }
    }
    let who = who.ok_or("no sample person has moved before")?;
    let before = record(&f, &who)?;
    let home_before = before.home_municipalities.clone();
    let flat = &s.flats[0];
    let building = flat
        .prt
        .parse::<BuildingId>()
        .map_err(|e| format!("{e:?}"))?;
    let day = today().add_days(-1);
    let batch = events(
        1,
        vec![
            RegisterChange::Move {
                hetu: who,
                date: day,
                to: NewHome::Dwelling {
                    building,
                    address_number: 1,
                    dwelling: flat.dwelling.clone(),
                },
            },
            // The same day again: not after the move just made.
            RegisterChange::Move {
                hetu: who,
                date: day,
                to: NewHome::Dwelling {
                    building,
                    address_number: 1,
                    dwelling: flat.dwelling.clone(),
                },
            },
            // An address number the building does not have.
            RegisterChange::Move {
                hetu: who,
                date: today(),
                to: NewHome::Dwelling {
                    building,
                    address_number: 9,
                    dwelling: flat.dwelling.clone(),
                },
            },
        ],
    );
    let r = f.engine.apply_changes(&feed(), &batch).await?;
    assert_eq!((r.applied, r.dead), (1, 2));
    assert_eq!(
        dead_reasons(&f, 0)?,
        vec![
            (2, ChangeRefusal::ImpossibleDate),
            (3, ChangeRefusal::UnknownHome)
        ]
    );
    let after = record(&f, &who)?;
    let permanent: Vec<_> = after
        .addresses
        .iter()
        .filter(|a| a.kind == domain::codes::AddressKind::Permanent)
        .collect();
    let (old, new) = (
        permanent[permanent.len() - 2],
        permanent[permanent.len() - 1],
    );
    assert_eq!(old.period.end, Some(day.add_days(-1).into()));
    assert_eq!(new.period.start, Some(day.into()));
    assert!(new.period.is_open());
    assert_eq!(
        after
            .residence
            .as_ref()
            .map(|r| (r.building, r.dwelling.clone())),
        Some((building, flat.dwelling.clone()))
    );
    // The building's municipality (as the police's building screen says) becomes the home
    // municipality: a new entry only if it is another one.
    let municipality = building_municipality(&f, building).await?;
    let crossed = home_before.last().map(|h| h.code.as_str()) != Some(municipality.as_str());
    assert_eq!(
        after
            .home_municipalities
            .last()
            .map(|h| (h.code.clone(), h.since)),
        Some((
            municipality.clone(),
            if crossed {
                day
            } else {
                home_before.last().map_or(day, |h| h.since)
            }
        ))
    );
    assert_eq!(
        after.home_municipalities.len(),
        home_before.len() + usize::from(crossed)
    );
    // The addresses that had ended, and any that are not permanent, are as they were.
    let untouched = |a: &&domain::model::AddressRecord| {
        a.kind != domain::codes::AddressKind::Permanent || !a.period.is_open()
    };
    assert_eq!(
        after
            .addresses
            .iter()
            .take(before.addresses.len())
            .filter(|a| before.addresses.iter().any(|b| b == *a))
            .count(),
        before.addresses.iter().filter(untouched).count()
    );
    // Moving again within the new municipality: no new home municipality.
    let again = events(
        4,
        vec![RegisterChange::Move {
            hetu: who,
            date: today(),
            to: NewHome::Dwelling {
                building,
                address_number: 1,
                dwelling: flat.dwelling.clone(),
            },
        }],
    );
    assert_eq!(f.engine.apply_changes(&feed(), &again).await?.applied, 1);
    assert_eq!(
        record(&f, &who)?.home_municipalities.len(),
        after.home_municipalities.len()
    );
    consistent(&f)
}

/// `p`'s marriages to `other`: (number, how it ended, when).
fn marriages_of(
    p: &domain::model::Person,
    other: domain::screen::PersonId,
) -> Vec<(
    u8,
    Option<domain::codes::MarriageEnd>,
    Option<domain::model::PartialDate>,
)> {
    p.relations
        .iter()
        .filter_map(|rel| match rel {
            domain::model::Relation::Spouse {
                other: o,
                ordinal,
                end_way,
                period,
                ..
            } if *o == other => Some((*ordinal, *end_way, period.end)),
            _ => None,
        })
        .collect()
}

/// The surname the police's basic screen shows for the person with `code`.
async fn hetu_surname(f: &Fixture, code: &str) -> Fallible<String> {
    let s = f.person(code).await?;
    let data = f
        .engine
        .load_screen(&user("poliisi"), ScreenId::PersonBasic, s)
        .await?;
    let at = ScreenId::PersonBasic
        .spec()
        .columns
        .iter()
        .position(|c| c.key == "surname")
        .ok_or("no surname column")?;
    match &data.rows[0].cells[at] {
        Cell::Text(t) => Ok(t.clone()),
        other => Err(format!("{other:?}").into()),
    }
}

/// A married parent of the samples and their spouse.
async fn couple(f: &Fixture, code: &str) -> Fallible<(Hetu, Hetu)> {
    let parent = f.person(code).await?;
    let spouse = f.link(ScreenId::PersonSpouse, parent, "spouse").await?;
    Ok((hetu(code)?, hetu(&code_of(f, spouse).await?)?))
}

#[tokio::test]
async fn marriage_death_and_divorce_keep_both_sides_of_a_couple_in_step() -> TestResult {
    let f = fixture()?;
    let s = &f.samples;
    let (a, b) = couple(&f, &s.families[0]).await?;
    let other_family = s
        .families
        .iter()
        .skip(1)
        .find(|code| **code != a.to_string() && **code != b.to_string())
        .ok_or("no second family")?;
    let (c, d) = couple(&f, other_family).await?;
    let (single, single2) = (hetu(&s.singles[0])?, hetu(&s.singles[1])?);
    let surname2 = hetu_surname(&f, &s.singles[1]).await?;
    let baby = new_code(today().add_days(-2), 522)?;
    let (mother, father) = if a.is_odd() { (b, a) } else { (a, b) };
    let batch = events(
        1,
        vec![
            // Married already: neither may marry again.
            RegisterChange::Marriage {
                a,
                b: single,
                date: today(),
                b_takes_surname: false,
            },
            RegisterChange::Marriage {
                a: single,
                b,
                date: today(),
                b_takes_surname: false,
            },
            // Not to oneself, not under 18.
            RegisterChange::Marriage {
                a: single,
                b: single,
                date: today(),
                b_takes_surname: false,
            },
            RegisterChange::Birth {
                hetu: baby,
                surname: "Testinen".into(),
                first_names: "Vauva".into(),
                sex: Sex::Male,
                mother,
                father: Some(mother),
            },
            RegisterChange::Birth {
                hetu: baby,
                surname: "Testinen".into(),
                first_names: "Vauva".into(),
                sex: Sex::Male,
                mother,
                father: Some(father),
            },
            RegisterChange::Marriage {
                a: single,
                b: baby,
                date: today(),
                b_takes_surname: false,
            },
            // Renamed on the day he was born: a change on the birth day is in his lifetime.
            RegisterChange::NameChange {
                hetu: baby,
                date: baby.birth_date(),
                surname: None,
                first_names: Some("Eino".into()),
            },
            // To the name he has: nothing to change.
            RegisterChange::NameChange {
                hetu: baby,
                date: today(),
                surname: None,
                first_names: Some("Eino".into()),
            },
            // Before he was born.
            RegisterChange::NameChange {
                hetu: baby,
                date: baby.birth_date().add_days(-1),
                surname: None,
                first_names: Some("Toivo".into()),
            },
            // Another couple divorces, she takes another name, and they marry again: she
            // takes his.
            RegisterChange::Divorce {
                a: c,
                b: d,
                date: today().add_days(-1),
            },
            RegisterChange::NameChange {
                hetu: d,
                date: today().add_days(-1),
                surname: Some("Erinimi".into()),
                first_names: None,
            },
            RegisterChange::Marriage {
                a: c,
                b: d,
                date: today(),
                b_takes_surname: true,
            },
            // The father dies: the mother is widowed, their marriage ended by his death.
            RegisterChange::Death {
                hetu: father,
                date: today(),
            },
            // Divorce on the wedding day: not after it.
            RegisterChange::Divorce {
                a: c,
                b: d,
                date: today(),
            },
            // Under 18 on either side.
            RegisterChange::Marriage {
                a: baby,
                b: single2,
                date: today(),
                b_takes_surname: false,
            },
            // Two who never married: each keeps their name.
            RegisterChange::Marriage {
                a: single,
                b: single2,
                date: today(),
                b_takes_surname: false,
            },
        ],
    );
    let r = f.engine.apply_changes(&feed(), &batch).await?;
    assert_eq!(
        dead_reasons(&f, 0)?,
        vec![
            (1, ChangeRefusal::CannotMarry),
            (2, ChangeRefusal::CannotMarry),
            (3, ChangeRefusal::CannotMarry),
            (4, ChangeRefusal::Duplicate),
            (6, ChangeRefusal::CannotMarry),
            (8, ChangeRefusal::BadName),
            (9, ChangeRefusal::ImpossibleDate),
            (14, ChangeRefusal::ImpossibleDate),
            (15, ChangeRefusal::CannotMarry),
        ]
    );
    assert_eq!((r.applied, r.dead), (7, 9));
    let (one, two) = (record(&f, &single)?, record(&f, &single2)?);
    assert_eq!(two.names.surname, surname2);
    assert_eq!(one.marital_status, domain::codes::MaritalStatus::Married);
    assert_eq!(
        marriages_of(&one, two.id),
        vec![(1, None, None)],
        "their first marriage, open"
    );
    let child = record(&f, &baby)?;
    assert_eq!(child.names.first_names, "Eino");
    let former = child.names.history.last().ok_or("no former name")?;
    assert_eq!(former.name, "Vauva");
    assert_eq!(
        former.period.end,
        Some(baby.birth_date().add_days(-1).into())
    );
    let home = record(&f, &mother)?.home_municipality().map(str::to_owned);
    assert_eq!(child.birth.municipality, home);
    // The widow: marital status and the marriage ended by the death, on both sides alike.
    let widow = record(&f, &mother)?;
    assert_eq!(widow.marital_status, domain::codes::MaritalStatus::Widowed);
    let marriages = |p: &domain::model::Person, other: domain::screen::PersonId| {
        p.relations
            .iter()
            .filter_map(|rel| match rel {
                domain::model::Relation::Spouse {
                    other: o,
                    ordinal,
                    end_way,
                    period,
                    ..
                } if *o == other => Some((*ordinal, *end_way, period.end)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let dead = record(&f, &father)?;
    let ended = marriages(&widow, dead.id);
    assert_eq!(ended, marriages(&dead, widow.id));
    assert_eq!(
        ended.last().map(|m| (m.1, m.2)),
        Some((
            Some(domain::codes::MarriageEnd::SpouseDied),
            Some(today().into())
        ))
    );
    // The couple who divorced and married again: two marriages, the first ended by the
    // divorce the day before, the second open and numbered after it; her other name kept.
    let (him, her) = (record(&f, &c)?, record(&f, &d)?);
    let both = marriages(&him, her.id);
    assert_eq!(both, marriages(&her, him.id));
    assert_eq!(both.len(), 2, "{both:?}");
    assert_eq!(
        (both[0].1, both[0].2),
        (
            Some(domain::codes::MarriageEnd::Divorce),
            Some(today().add_days(-1).into())
        )
    );
    assert_eq!(
        (both[1].0, both[1].1, both[1].2),
        (both[0].0 + 1, None, None)
    );
    assert_eq!(him.marital_status, domain::codes::MaritalStatus::Married);
    assert_eq!(her.names.surname, him.names.surname);
    let taken = her.names.history.last().ok_or("no former name")?;
    assert_eq!(
        (taken.name.as_str(), taken.change_way, taken.period.end),
        (
            "Erinimi",
            Some(domain::codes::NameChangeWay::SpousesName),
            Some(today().add_days(-1).into())
        )
    );
    consistent(&f)
}

#[tokio::test]
async fn a_protection_order_is_set_and_lifted_only_as_it_stands() -> TestResult {
    let f = fixture()?;
    let s = &f.samples;
    let (p, q) = (hetu(&s.ordinary[0])?, hetu(&s.ordinary[1])?);
    let protected = hetu(&s.protected[0])?;
    let holder = hetu(&s.ordinary[2])?;
    let batch = events(
        1,
        vec![
            // Ending before it begins.
            RegisterChange::ProtectionOrderSet {
                hetu: p,
                since: today(),
                ends: Some(today().add_days(-1)),
            },
            // Ending the day it begins: fine. In force today, so a second is refused.
            RegisterChange::ProtectionOrderSet {
                hetu: p,
                since: today(),
                ends: Some(today()),
            },
            RegisterChange::ProtectionOrderSet {
                hetu: p,
                since: today(),
                ends: None,
            },
            // An order that has ended cannot be lifted.
            RegisterChange::ProtectionOrderSet {
                hetu: q,
                since: today().add_days(-10),
                ends: Some(today().add_days(-5)),
            },
            RegisterChange::ProtectionOrderLifted {
                hetu: q,
                date: today(),
            },
            // An order in force for long is lifted from today: in force through yesterday.
            RegisterChange::ProtectionOrderLifted {
                hetu: protected,
                date: today(),
            },
            // A code already someone's is no new code; nor is the same code.
            RegisterChange::HetuChanged {
                old: holder,
                new: p,
                date: today(),
            },
            RegisterChange::HetuChanged {
                old: holder,
                new: holder,
                date: today(),
            },
        ],
    );
    let r = f.engine.apply_changes(&feed(), &batch).await?;
    assert_eq!(
        dead_reasons(&f, 0)?,
        vec![
            (1, ChangeRefusal::ImpossibleDate),
            (3, ChangeRefusal::NoSuchOrder),
            (5, ChangeRefusal::NoSuchOrder),
            (7, ChangeRefusal::Duplicate),
            (8, ChangeRefusal::Duplicate),
        ]
    );
    assert_eq!((r.applied, r.dead), (3, 5));
    let lifted = record(&f, &protected)?;
    let order = lifted
        .protection_order
        .as_ref()
        .ok_or("the order is kept as history")?;
    assert_eq!(order.ends, Some(today().add_days(-1)));
    assert!(!lifted.protected_on(today()));
    assert!(lifted.protected_on(today().add_days(-1)));
    assert!(record(&f, &p)?.protected_on(today()));
    consistent(&f)
}

#[tokio::test]
async fn changes_sent_by_hand_are_numbered_on_from_the_stream() -> TestResult {
    let f = fixture()?;
    let s = &f.samples;
    let first = events(
        1,
        vec![RegisterChange::ProtectionOrderSet {
            hetu: hetu(&s.ordinary[0])?,
            since: today(),
            ends: None,
        }],
    );
    f.engine.apply_changes(&feed(), &first).await?;
    let by_hand = vec![
        RegisterChange::Death {
            hetu: hetu(&s.not_in_register)?,
            date: today(),
        },
        RegisterChange::ProtectionOrderLifted {
            hetu: hetu(&s.ordinary[0])?,
            date: today(),
        },
    ];
    let r = f.engine.append_changes(&feed(), &by_hand).await?;
    assert_eq!((r.applied, r.dead, r.position), (1, 1, 3));
    assert_eq!(
        dead_reasons(&f, 0)?,
        vec![(2, ChangeRefusal::UnknownPerson)]
    );
    assert!(
        f.engine
            .append_changes(&user("dvv"), &by_hand)
            .await
            .is_err()
    );
    assert_eq!(f.engine.feed_position()?, 3);
    Ok(())
}
