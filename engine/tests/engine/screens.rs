//! Every catalogue screen on a seeded register: its output matches its catalogue entry (one
//! row for a card, cells of each column's kind, location columns withheld for a protected
//! person and only they), its values are pinned by snapshots, links walk person → dwelling →
//! building → real-estate unit → owner and back to a resident, and a death shows on every
//! person screen; a permit with break glass reveals one screen for a reason, audited and
//! reported.

use crate::fixture::{Fallible, Fixture, TestResult, fixture, user};
use domain::audit::AuditEvent;
use domain::catalogue::{CellKind, Layout, Sensitivity};
use domain::principal::UserId;
use domain::screen::{Cell, ScreenData};
use domain::{Lang, ProtectedAccess, ScreenId, SubjectKind, SubjectRef};

/// Whether a cell may stand in a column of this kind.
fn fits(kind: CellKind, cell: &Cell) -> bool {
    matches!(
        (kind, cell),
        (_, Cell::Empty | Cell::Withheld)
            | (CellKind::Link, Cell::Private)
            | (CellKind::Text, Cell::Text(_))
            | (CellKind::Date, Cell::Date(_) | Cell::PartialDate(_))
            | (CellKind::Code, Cell::Code(_))
            | (CellKind::Number, Cell::Number(_))
            | (CellKind::Flag, Cell::Flag(_))
            | (
                CellKind::Link,
                Cell::Link { .. } | Cell::Text(_) | Cell::Code(_)
            )
    )
}

fn check_shape(data: &ScreenData) -> Result<(), String> {
    let spec = data.screen.spec();
    if spec.layout == Layout::Card && data.rows.len() != 1 {
        return Err(format!(
            "{}: a card has {} rows",
            spec.slug,
            data.rows.len()
        ));
    }
    for row in &data.rows {
        if row.cells.len() != spec.columns.len() {
            return Err(format!(
                "{}: {} cells for {} columns",
                spec.slug,
                row.cells.len(),
                spec.columns.len()
            ));
        }
        for (column, cell) in spec.columns.iter().zip(&row.cells) {
            if !fits(column.kind, cell) {
                return Err(format!(
                    "{}.{}: {cell:?} in a {:?} column",
                    spec.slug, column.key, column.kind
                ));
            }
        }
    }
    Ok(())
}

/// A screen as text, `key: value` per cell, for the snapshots.
fn render(f: &Fixture, data: &ScreenData) -> Fallible<String> {
    let spec = data.screen.spec();
    let mut out = format!("## {}\n", spec.slug);
    for (i, row) in data.rows.iter().enumerate() {
        if spec.layout != Layout::Card {
            out.push_str(&format!(
                "- row {}{}\n",
                i + 1,
                if row.protected { " (protected)" } else { "" }
            ));
        }
        for (column, cell) in spec.columns.iter().zip(&row.cells) {
            let value = match cell {
                Cell::Empty => "–".to_owned(),
                Cell::Text(s) => s.clone(),
                Cell::Date(d) => d.to_finnish(),
                Cell::PartialDate(d) => d.to_string(),
                Cell::Code(c) => format!("{} ({})", c.text.get(Lang::Fi), c.code),
                Cell::Number(n) => n.to_string(),
                Cell::Flag(b) => b.to_string(),
                Cell::Link { target, label } => {
                    format!("{label} → {}", f.opened(target)?.audit_key())
                }
                Cell::Withheld => "[withheld]".to_owned(),
                Cell::Private => "[private person]".to_owned(),
            };
            out.push_str(&format!("  {}: {value}\n", column.key));
        }
    }
    Ok(out)
}

async fn all_screens(
    f: &Fixture,
    org: &'static str,
    subject: SubjectRef,
) -> Fallible<Vec<ScreenData>> {
    let mut out = Vec::new();
    for screen in ScreenId::for_subject(subject.kind()) {
        out.push(f.engine.load_screen(&user(org), screen, subject).await?);
    }
    Ok(out)
}

#[tokio::test]
async fn every_screen_matches_its_catalogue_entry_and_its_snapshot() -> TestResult {
    let f = fixture()?;
    let s = f.walk().await?;
    let mut seen = 0;
    for kind in SubjectKind::ALL {
        let screens = all_screens(&f, "dvv", s.of(kind)).await?;
        let mut text = String::new();
        for data in &screens {
            check_shape(data)?;
            text.push_str(&render(&f, data)?);
            seen += 1;
        }
        insta::assert_snapshot!(format!("{}_screens", kind.slug()), text);
    }
    assert_eq!(seen, ScreenId::ALL.len(), "every screen was loaded");
    // The dwelling and the property also from the other side: a parcel and a person under
    // guardianship.
    if let Some(code) = f.samples.under_guardianship.first() {
        let p = f.person(code).await?;
        for screen in [ScreenId::PersonGuardianship, ScreenId::PersonGuardians] {
            let data = f.engine.load_screen(&user("dvv"), screen, p).await?;
            check_shape(&data)?;
            assert!(!data.rows.is_empty());
        }
    }
    Ok(())
}

#[tokio::test]
async fn protected_data_needs_the_right_and_a_two_factor_sign_in_and_says_which_is_missing()
-> TestResult {
    use domain::ProtectedAccess;
    let f = fixture()?;
    let code = f.samples.protected.first().ok_or("no protected sample")?;
    let p = f.person(code).await?;
    let screen = ScreenId::PersonAddresses;
    let withheld = |d: &ScreenData| d.rows.iter().any(|r| r.cells.contains(&Cell::Withheld));
    // The registry may see protected data, but its user signed in with one factor here.
    let mut one_factor = user("dvv");
    if let domain::access::Who::User(principal) = &mut one_factor.who {
        principal.acr = domain::principal::Acr::OneFactor;
    }
    let cases = [
        (user("espoo"), ProtectedAccess::NotInPermit, true),
        (one_factor, ProtectedAccess::NeedsTwoFactor, true),
        (user("dvv"), ProtectedAccess::Granted, false),
    ];
    for (who, access, hidden) in cases {
        let data = f.engine.load_screen(&who, screen, p).await?;
        assert_eq!(data.protected_access, access);
        assert_eq!(withheld(&data), hidden, "{access:?}");
        assert!(
            data.rows.iter().any(|r| r.protected),
            "the rows say they are protected, so the page can mark them"
        );
    }
    Ok(())
}

#[tokio::test]
async fn location_columns_are_withheld_for_a_protected_person_and_only_they() -> TestResult {
    let f = fixture()?;
    let code = f.samples.protected.first().ok_or("no protected sample")?;
    let p = f.person(code).await?;
    let offered = f.engine.allowed(&user("espoo")).await?;
    let mut withheld_somewhere = false;
    for screen in ScreenId::for_subject(SubjectKind::Person) {
        if !offered.screens.contains(&screen) {
            continue;
        }
        let data = f.engine.load_screen(&user("espoo"), screen, p).await?;
        let full = f.engine.load_screen(&user("poliisi"), screen, p).await?;
        check_shape(&data)?;
        assert!(data.header.protection_order, "{}", screen.spec().slug);
        assert_eq!(data.rows.len(), full.rows.len(), "{}", screen.spec().slug);
        for (row, full_row) in data.rows.iter().zip(&full.rows) {
            for ((column, cell), full_cell) in screen
                .spec()
                .columns
                .iter()
                .zip(&row.cells)
                .zip(&full_row.cells)
            {
                let own_location = column.sensitivity == Sensitivity::Protected && row.protected;
                if own_location {
                    assert_eq!(
                        *cell,
                        Cell::Withheld,
                        "{}.{}",
                        screen.spec().slug,
                        column.key
                    );
                    withheld_somewhere = true;
                } else {
                    assert_eq!(cell, full_cell, "{}.{}", screen.spec().slug, column.key);
                }
                assert_ne!(*full_cell, Cell::Withheld, "the police see everything");
            }
        }
    }
    assert!(withheld_somewhere);
    // The audit trail says who had location data withheld and who saw it.
    let trail = f.engine.audit().for_subject(&p.audit_key())?;
    let viewed = |org: &str, withheld: bool| {
        trail.iter().any(|r| {
            r.entry.actor.organisation == org
                && matches!(
                    r.entry.event,
                    domain::audit::AuditEvent::ScreenViewed { screen: ScreenId::PersonBasic, withheld: w, .. } if w == withheld
                )
        })
    };
    assert!(viewed("espoo", true));
    assert!(viewed("poliisi", false));
    assert!(!viewed("espoo", false));
    Ok(())
}

#[tokio::test]
async fn residents_lists_leave_protected_persons_out_without_a_trace() -> TestResult {
    let f = fixture()?;
    let code = f.samples.protected.first().ok_or("no protected sample")?;
    let p = f.person(code).await?;
    let building = f.link(ScreenId::PersonResidence, p, "building").await?;
    let dwelling = f.link(ScreenId::PersonResidence, p, "dwelling").await?;
    let listed = |d: &ScreenData| {
        d.rows
            .iter()
            .any(|r| matches!(&r.cells[0], Cell::Link { target, .. } if f.engine.open_link(target) == Some(p)))
    };
    for (screen, subject) in [
        (ScreenId::BuildingResidents, building),
        (ScreenId::DwellingResidents, dwelling),
    ] {
        let police = f
            .engine
            .load_screen(&user("poliisi"), screen, subject)
            .await?;
        assert!(listed(&police));
        assert!(police.rows.iter().any(|r| r.protected));
        let manager = f
            .engine
            .load_screen(&user("isannointi-oy"), screen, subject)
            .await?;
        assert!(!listed(&manager));
        assert!(manager.rows.iter().all(|r| !r.protected));
        assert_eq!(
            manager.rows.len(),
            police.rows.iter().filter(|r| !r.protected).count()
        );
        // Nothing on the wire tells that a row is missing.
        assert!(!manager.has_withheld());
        let json = serde_json::to_string(&manager)?;
        assert!(!json.contains("Withheld") && !json.contains(code));
    }
    // The audit trail knows what was left out.
    let trail = f.engine.audit().for_subject(&building.audit_key())?;
    assert!(trail.iter().any(|r| matches!(
        r.entry.event,
        domain::audit::AuditEvent::ScreenViewed { withheld: true, .. }
    )));
    // Each resident shown is in the entry, so their own trail shows who saw them; the
    // protected one only where they were shown (to the police).
    let own = f.engine.audit().for_subject(&p.audit_key())?;
    let listed_in = |org: &str| {
        own.iter().any(|r| {
            r.entry.actor.organisation == org
                && matches!(
                    &r.entry.event,
                    domain::audit::AuditEvent::ScreenViewed { screen: ScreenId::BuildingResidents, shown, .. }
                        if shown.contains(&p)
                )
        })
    };
    assert!(listed_in("poliisi"));
    assert!(!listed_in("isannointi-oy"));
    Ok(())
}

#[tokio::test]
async fn owner_lists_show_every_private_owner_alike_and_ownership_is_protected() -> TestResult {
    let f = fixture()?;
    let mut checked = 0;
    for code in &f.samples.protected {
        let p = f.person(code).await?;
        let owned = f
            .engine
            .load_screen(&user("poliisi"), ScreenId::PersonOwnership, p)
            .await?;
        for thing in f.first_column_links(&owned.rows)? {
            let screen = match thing.kind() {
                SubjectKind::Building => ScreenId::BuildingOwners,
                SubjectKind::Property => ScreenId::PropertyOwners,
                _ => continue,
            };
            let police = f
                .engine
                .load_screen(&user("poliisi"), screen, thing)
                .await?;
            assert!(f.first_column_links(&police.rows)?.contains(&p));
            let manager = f
                .engine
                .load_screen(&user("isannointi-oy"), screen, thing)
                .await?;
            // Every owner is there; each private owner is a private person, protected or
            // not, with the share; nothing is marked and nobody is linked.
            assert_eq!(manager.rows.len(), police.rows.len());
            for (mine, theirs) in manager.rows.iter().zip(&police.rows) {
                assert!(!mine.protected);
                match &theirs.cells[0] {
                    Cell::Link { .. } => assert_eq!(mine.cells[0], Cell::Private),
                    other => assert_eq!(&mine.cells[0], other),
                }
                assert_eq!(mine.cells[1..], theirs.cells[1..]);
            }
            checked += 1;
        }
        // On the person's own ownership screen, what and where are withheld.
        let espoo = f
            .engine
            .load_screen(&user("espoo"), ScreenId::PersonOwnership, p)
            .await?;
        for row in &espoo.rows {
            assert_eq!(row.cells[0], Cell::Withheld);
        }
    }
    assert!(checked > 0, "no protected owner in the fixture");
    Ok(())
}

#[tokio::test]
async fn links_walk_from_a_person_to_the_property_and_back_to_a_resident() -> TestResult {
    let f = fixture()?;
    let s = f.walk().await?;
    // Dwelling → its building; building → its property; property → its buildings.
    assert_eq!(
        f.link(ScreenId::DwellingBasic, s.dwelling, "building")
            .await?,
        s.building
    );
    let on_property = f
        .engine
        .load_screen(&user("poliisi"), ScreenId::PropertyBuildings, s.property)
        .await?;
    assert!(
        on_property
            .rows
            .iter()
            .any(|r| matches!(&r.cells[0], Cell::Link { target, .. } if f.engine.open_link(target) == Some(s.building)))
    );
    // Building → residents → back to the person, and to another resident.
    let residents = f
        .engine
        .load_screen(&user("poliisi"), ScreenId::BuildingResidents, s.building)
        .await?;
    let people = f.first_column_links(&residents.rows)?;
    assert!(people.contains(&s.person));
    // A spouse or child links to another person whose screens open.
    let relative = f.link(ScreenId::PersonChildren, s.person, "child").await?;
    assert_ne!(relative, s.person);
    let data = f
        .engine
        .load_screen(&user("poliisi"), ScreenId::PersonParents, relative)
        .await?;
    assert!(
        data.rows
            .iter()
            .any(|r| matches!(&r.cells[0], Cell::Link { target, .. } if f.engine.open_link(target) == Some(s.person)))
    );
    // The property's owners link to persons or name organisations.
    let owners = f
        .engine
        .load_screen(&user("poliisi"), ScreenId::PropertyOwners, s.property)
        .await?;
    assert!(!owners.rows.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_death_shows_on_every_person_screen() -> TestResult {
    let f = fixture()?;
    let code = f.samples.deceased.first().ok_or("no deceased sample")?;
    let p = f.person(code).await?;
    for data in all_screens(&f, "dvv", p).await? {
        assert!(
            data.header.deceased.is_some(),
            "{}",
            data.screen.spec().slug
        );
    }
    let alive = f.person(&f.samples.ordinary[0]).await?;
    let data = f
        .engine
        .load_screen(&user("dvv"), ScreenId::PersonBasic, alive)
        .await?;
    assert_eq!(data.header.deceased, None);
    Ok(())
}

#[tokio::test]
async fn a_screen_of_another_subject_kind_is_not_found() -> TestResult {
    let f = fixture()?;
    let s = f.walk().await?;
    for (screen, subject) in [
        (ScreenId::PersonBasic, s.building),
        (ScreenId::BuildingBasic, s.person),
        (ScreenId::DwellingBasic, s.property),
        (ScreenId::PropertyBasic, s.dwelling),
    ] {
        let r = f.engine.load_screen(&user("dvv"), screen, subject).await;
        assert!(matches!(r, Err(engine::EngineError::NotFound)), "{r:?}");
    }
    Ok(())
}

#[tokio::test]
async fn break_glass_reveals_one_screen_with_a_reason_audits_it_and_notifies_the_registry()
-> TestResult {
    let f = fixture()?;
    let p = f.person(&f.samples.protected[0]).await?;
    let link = f.engine.link_to(p)?;
    let one_factor = user("lansi-uusimaa");
    let mut hanna = one_factor.clone();
    if let domain::access::Who::User(principal) = &mut hanna.who {
        principal.acr = domain::Acr::TwoFactor;
    }
    let screen = ScreenId::PersonAddresses;
    let plain = f.engine.open_screen(&hanna, screen, &link).await?;
    assert_eq!(plain.protected_access, ProtectedAccess::Revealable);
    assert!(plain.has_withheld());
    let reason = domain::registry::Reason::parse("kiireellinen lastensuojeluasia")
        .map_err(|e| format!("{e:?}"))?
        .ok_or("blank")?;
    let before = f.engine.audit().len()?;
    let shown = f
        .engine
        .reveal_screen(&hanna, screen, &link, reason.clone())
        .await?;
    assert_eq!(shown.protected_access, ProtectedAccess::Revealed);
    assert!(!shown.has_withheld());
    let police = f
        .engine
        .open_screen(&user("poliisi"), screen, &link)
        .await?;
    assert_eq!(shown.rows, police.rows, "what the entitled police see");
    let entry = f.engine.audit().entries_after(before, 1)?;
    match &entry[0].entry.event {
        AuditEvent::ProtectedRevealed {
            screen: s,
            subject,
            reason: why,
            ..
        } => {
            assert_eq!((*s, *subject, why), (screen, p, &reason));
        }
        other => return Err(format!("{other:?}").into()),
    }
    // The next screen asks again; a second reveal is a second notice.
    let again = f.engine.open_screen(&hanna, screen, &link).await?;
    assert!(again.has_withheld());
    let second = ScreenId::PersonBasic;
    f.engine
        .reveal_screen(&hanna, second, &link, reason.clone())
        .await?;
    // Registry staff are told who revealed what, when and why; nobody else sees the notices.
    let notices = f.engine.management(&user("dvv")).await?.reveals;
    assert_eq!(notices.len(), 2);
    assert_eq!(notices[0].screen, second, "newest first");
    let n = &notices[1];
    assert_eq!(
        (&n.by, &n.subject, n.screen, &n.reason),
        (&UserId::from_static("u-hanna"), &link, screen, &reason)
    );
    assert!(
        f.engine
            .management(&user("espoo"))
            .await?
            .reveals
            .is_empty()
    );
    // One factor: nothing revealed, no notice, and the trail says it was a plain view.
    let before = f.engine.audit().len()?;
    let weak = f
        .engine
        .reveal_screen(&one_factor, screen, &link, reason.clone())
        .await?;
    assert_eq!(weak.protected_access, ProtectedAccess::NeedsTwoFactor);
    assert!(weak.has_withheld());
    let entry = f.engine.audit().entries_after(before, 1)?;
    assert!(
        matches!(
            entry[0].entry.event,
            AuditEvent::ScreenViewed { withheld: true, .. }
        ),
        "{:?}",
        entry[0].entry.event
    );
    // A permit without break glass refuses the reveal outright.
    let r = f
        .engine
        .reveal_screen(&user("espoo"), screen, &link, reason)
        .await;
    assert_eq!(
        crate::fixture::refusal(&r),
        Some(domain::Denied::RevealNotInPermit)
    );
    assert_eq!(f.engine.management(&user("dvv")).await?.reveals.len(), 2);
    Ok(())
}

#[tokio::test]
async fn each_view_records_the_other_persons_it_showed_and_only_them() -> TestResult {
    let f = fixture()?;
    let s = f.walk().await?;
    let police = user("poliisi");
    let before = f.engine.audit().len()?;
    let mut listed_someone = false;
    for kind in SubjectKind::ALL {
        let subject = s.of(kind);
        for screen in ScreenId::for_subject(kind) {
            f.engine.load_screen(&police, screen, subject).await?;
        }
    }
    for record in f.engine.audit().entries_after(before, 1000)? {
        if let AuditEvent::ScreenViewed {
            subject,
            shown,
            screen,
            ..
        } = &record.entry.event
        {
            assert!(!shown.contains(subject), "{screen:?} lists its own subject");
            assert!(
                shown.iter().all(|p| p.kind() == SubjectKind::Person),
                "{screen:?}: {shown:?}"
            );
            listed_someone |= !shown.is_empty();
        }
    }
    assert!(listed_someone, "some screen showed other persons");
    Ok(())
}
