//! The register changes of places and of care on a real register, seen through the gate as an
//! official sees them: a building completed, given a dwelling, altered, moved into and
//! demolished (an inhabited one is not); a unit sold, divided and merged back, its id leading on
//! to the unit it joined; custody given to one parent and back to both, a guardian appointed
//! and the guardianship ended. Each refusal is the shape of a wrong change (not one example),
//! sets the change aside with its reason and writes nothing of it; the register's own integrity
//! check (owners' index, a unit and its buildings from both sides) holds after every batch.

use crate::fixture::{Fallible, Fixture, TestResult, fixture, now, today, user};
use domain::changes::{
    BuildingFigures, ChangeEvent, ChangeRefusal, NewBuilding, NewDwelling, NewHome, NewOwner,
    RegisterChange,
};
use domain::codes::{
    DemolitionReason, DwellingKind, EnergySource, HeatingMethod, KitchenKind, Restriction, Sex,
    Tenure, UseClass,
};
use domain::hetu::CenturySign;
use domain::model::{BuildingAddress, Equipment, GuardianParty, Relation};
use domain::screen::Cell;
use domain::{
    Actor, BuildingId, Date, Field, Hetu, PropertyId, ScreenId, SearchKind, SearchOutcome,
    SubjectRef,
};
use engine::FEED_TASK;
use std::collections::BTreeMap;

fn feed() -> Actor {
    Actor::system(FEED_TASK)
}

fn hetu(code: &str) -> Fallible<Hetu> {
    Ok(Hetu::parse_as_of(code, today()).map_err(|e| format!("{code}: {e:?}"))?)
}

/// Applies `changes` numbered on from the feed's position; answers the refusals of this batch,
/// in order, by the change's place in the batch (0-based).
async fn apply(f: &Fixture, changes: Vec<RegisterChange>) -> Fallible<Vec<(u64, ChangeRefusal)>> {
    let from = f.engine.feed_position()?;
    let batch: Vec<ChangeEvent> = (from + 1..)
        .zip(changes)
        .map(|(seq, change)| ChangeEvent {
            seq,
            recorded: now(),
            change,
        })
        .collect();
    let report = f.engine.apply_changes(&feed(), &batch).await?;
    assert_eq!(report.position, from + batch.len() as u64, "{report:?}");
    Ok(f.engine
        .dead_letters(from, 100)?
        .into_iter()
        .map(|d| (d.seq - from - 1, d.refusal))
        .collect())
}

/// The rows of a screen the police see, each as column key → cell.
async fn rows(
    f: &Fixture,
    screen: ScreenId,
    s: SubjectRef,
) -> Fallible<Vec<BTreeMap<&'static str, Cell<domain::SubjectLink>>>> {
    let data = f.engine.load_screen(&user("poliisi"), screen, s).await?;
    let keys: Vec<&'static str> = screen.spec().columns.iter().map(|c| c.key).collect();
    Ok(data
        .rows
        .into_iter()
        .map(|r| keys.iter().copied().zip(r.cells).collect())
        .collect())
}

/// One cell of the first row.
async fn first(f: &Fixture, screen: ScreenId, s: SubjectRef, key: &str) -> Fallible<Cell> {
    rows(f, screen, s)
        .await?
        .into_iter()
        .next()
        .and_then(|mut r| r.remove(key))
        .ok_or_else(|| format!("no {key} on {}", screen.spec().slug).into())
}

async fn number(f: &Fixture, screen: ScreenId, s: SubjectRef, key: &str) -> Fallible<i64> {
    match first(f, screen, s, key).await? {
        Cell::Number(n) => Ok(n),
        other => Err(format!("{key}: {other:?}").into()),
    }
}

/// The subject a search by one field finds, or `None` when it finds nothing.
async fn found(
    f: &Fixture,
    kind: SearchKind,
    field: Field,
    value: &str,
) -> Fallible<Option<SubjectRef>> {
    match f.search(&user("poliisi"), kind, &[(field, value)]).await? {
        SearchOutcome::Found { subject, .. } => Ok(Some(f.opened(&subject)?)),
        SearchOutcome::NotFound => Ok(None),
        other => Err(format!("{value}: {other:?}").into()),
    }
}

/// The labels of the links in column `key` of every row.
async fn links(f: &Fixture, screen: ScreenId, s: SubjectRef, key: &str) -> Fallible<Vec<String>> {
    Ok(rows(f, screen, s)
        .await?
        .into_iter()
        .filter_map(|mut r| match r.remove(key) {
            Some(Cell::Link { label, .. }) => Some(label),
            _ => None,
        })
        .collect())
}

/// The code of a code cell of the first row.
async fn code(f: &Fixture, screen: ScreenId, s: SubjectRef, key: &str) -> Fallible<String> {
    match first(f, screen, s, key).await? {
        Cell::Code(c) => Ok(c.code),
        other => Err(format!("{key}: {other:?}").into()),
    }
}

async fn date_of(f: &Fixture, screen: ScreenId, s: SubjectRef, key: &str) -> Fallible<Date> {
    match first(f, screen, s, key).await? {
        Cell::Date(d) => Ok(d),
        other => Err(format!("{key}: {other:?}").into()),
    }
}

/// Every label in the `owner` column of a building's or unit's owner list, sorted.
async fn owners_of(f: &Fixture, screen: ScreenId, s: SubjectRef) -> Fallible<Vec<String>> {
    let mut labels = links(f, screen, s, "owner").await?;
    labels.sort();
    Ok(labels)
}

/// `n` organisations owning a unit in equal shares.
fn companies(n: u16) -> Vec<NewOwner> {
    (1_000_000..)
        .filter_map(domain::BusinessId::from_body)
        .take(usize::from(n))
        .map(|business_id| NewOwner::Organisation {
            business_id,
            name: format!("Yhtiö {}", business_id.body()),
            share: (1, n),
        })
        .collect()
}

fn consistent(f: &Fixture) -> TestResult {
    let report = f.engine.check_register()?;
    assert_eq!(report.problems, Vec::<String>::new());
    Ok(())
}

fn figures(floors: u8, floor_area: u32) -> BuildingFigures {
    BuildingFigures {
        floors,
        floor_area,
        total_area: floor_area + 20,
        volume: (floor_area + 20) * 3,
        heating: Some(HeatingMethod::Water),
        energy: Some(EnergySource::GroundHeat),
    }
}

/// A new detached house with one address on `street`.
fn house(id: BuildingId, property: PropertyId, street: &str, number: &str) -> NewBuilding {
    NewBuilding {
        id,
        property,
        addresses: vec![BuildingAddress {
            order: 1,
            street_fi: street.into(),
            street_sv: None,
            number: number.into(),
            postal_code: "02100".into(),
        }],
        coordinates: None,
        use_class: UseClass::Detached,
        figures: figures(2, 150),
    }
}

fn flat(building: BuildingId, label: &str, rooms: u8) -> NewDwelling {
    NewDwelling {
        building,
        address_number: 1,
        label: label.into(),
        kind: DwellingKind::Dwelling,
        floor_area: 40 + u16::from(rooms) * 20,
        rooms,
        kitchen: KitchenKind::Kitchen,
        equipment: Equipment::default(),
        tenure: Tenure::Owned,
    }
}

/// A building number the register does not have (the search finds nothing).
async fn free_building(f: &Fixture, from: u32) -> Fallible<BuildingId> {
    for n in from..from + 50 {
        let id = BuildingId::from_number(n).ok_or("out of range")?;
        if found(f, SearchKind::Building, Field::BuildingId, &id.to_string())
            .await?
            .is_none()
        {
            return Ok(id);
        }
    }
    Err("no free building number".into())
}

#[tokio::test]
async fn a_building_is_completed_furnished_altered_lived_in_and_demolished_only_when_empty()
-> TestResult {
    let f = fixture()?;
    let s = &f.samples;
    let unit: PropertyId = s.properties[0].parse().map_err(|e| format!("{e:?}"))?;
    let unit_ref = found(
        &f,
        SearchKind::Property,
        Field::PropertyId,
        &s.properties[0],
    )
    .await?
    .ok_or("no unit")?;
    let buildings_before = number(&f, ScreenId::PropertyBasic, unit_ref, "building_count").await?;
    let home = free_building(&f, 199_999_000).await?;
    let shed = free_building(&f, home.number() + 1).await?;
    let cottage = free_building(&f, shed.number() + 1).await?;
    let corner = free_building(&f, cottage.number() + 1).await?;
    let mut holiday = house(cottage, unit, "Kesätie", "1");
    holiday.use_class = UseClass::Holiday;
    // A building on a corner of four streets: four addresses is the most a building has.
    let mut four = house(corner, unit, "Kulmatie", "1");
    for (order, street) in [(2, "Toinen katu"), (3, "Kolmas katu"), (4, "Neljäs katu")] {
        four.addresses.push(BuildingAddress {
            order,
            street_fi: street.into(),
            street_sv: None,
            number: "2".into(),
            postal_code: "02100".into(),
        });
    }
    // Business premises have no rooms to count.
    let shop = NewDwelling {
        kind: DwellingKind::Business,
        rooms: 0,
        ..flat(corner, "A 1", 0)
    };
    let inhabited: BuildingId = s.flats[0].prt.parse().map_err(|e| format!("{e:?}"))?;
    let mover = hetu(&s.ordinary[0])?;
    let day = today().add_days(-5);
    let later = today().add_days(-2);
    let refused = apply(
        &f,
        vec![
            RegisterChange::BuildingCompleted {
                building: house(home, unit, "Uudisrakentajantie", "7"),
                date: day,
            },
            RegisterChange::DwellingAdded {
                dwelling: flat(home, "", 5),
                date: day,
            },
            RegisterChange::BuildingAltered {
                building: home,
                figures: figures(2, 180),
                date: later,
            },
            RegisterChange::Move {
                hetu: mover,
                date: later,
                to: NewHome::Dwelling {
                    building: home,
                    address_number: 1,
                    dwelling: String::new(),
                },
            },
            RegisterChange::BuildingCompleted {
                building: house(shed, unit, "Uudisrakentajantie", "7b"),
                date: day,
            },
            RegisterChange::BuildingDemolished {
                building: shed,
                reason: DemolitionReason::Fire,
                date: today(),
            },
            RegisterChange::BuildingCompleted {
                building: holiday,
                date: day,
            },
            RegisterChange::BuildingCompleted {
                building: four,
                date: day,
            },
            RegisterChange::DwellingAdded {
                dwelling: shop,
                date: day,
            },
            // 9: people live in it.
            RegisterChange::BuildingDemolished {
                building: home,
                reason: DemolitionReason::Demolished,
                date: today(),
            },
            // 10: a flat of a block whose residents have not moved out.
            RegisterChange::BuildingDemolished {
                building: inhabited,
                reason: DemolitionReason::Demolished,
                date: today(),
            },
        ],
    )
    .await?;
    assert_eq!(
        refused,
        vec![
            (9, ChangeRefusal::Inhabited),
            (10, ChangeRefusal::Inhabited)
        ]
    );
    // In use as its class says: a house lived in permanently, a cottage for holidays.
    for (id, state) in [(home, "01"), (cottage, "03")] {
        let b = found(&f, SearchKind::Building, Field::BuildingId, &id.to_string())
            .await?
            .ok_or("not found")?;
        assert_eq!(
            code(&f, ScreenId::BuildingBasic, b, "building_state").await?,
            state
        );
    }
    let corner_ref = found(
        &f,
        SearchKind::Building,
        Field::BuildingId,
        &corner.to_string(),
    )
    .await?
    .ok_or("the building of four addresses is not found")?;
    assert_eq!(
        number(&f, ScreenId::BuildingBasic, corner_ref, "dwelling_count").await?,
        1
    );
    // The new building is found by its id and by its address, on its unit, as altered.
    let new = found(
        &f,
        SearchKind::Building,
        Field::BuildingId,
        &home.to_string(),
    )
    .await?
    .ok_or("the completed building is not found")?;
    let by_address = f
        .search(
            &user("poliisi"),
            SearchKind::Address,
            &[
                (Field::Street, "Uudisrakentajantie"),
                (Field::HouseNumber, "7"),
            ],
        )
        .await?;
    assert!(
        matches!(&by_address, SearchOutcome::Found { subject, .. } if f.opened(subject)? == new),
        "{by_address:?}"
    );
    assert_eq!(
        number(&f, ScreenId::BuildingBasic, new, "dwelling_count").await?,
        1
    );
    assert_eq!(
        number(&f, ScreenId::BuildingTechnical, new, "floor_area").await?,
        180
    );
    assert_eq!(
        number(&f, ScreenId::PropertyBasic, unit_ref, "building_count").await?,
        buildings_before + 4,
        "the new buildings stand on the unit (the demolished one keeps its record)"
    );
    // The mover lives in it, and its owners are the unit's.
    let residents = links(&f, ScreenId::BuildingResidents, new, "resident").await?;
    assert_eq!(residents.len(), 1, "{residents:?}");
    let unit_owners = number(&f, ScreenId::PropertyBasicWide, unit_ref, "owner_count").await?;
    assert_eq!(
        number(&f, ScreenId::BuildingBasicWide, new, "owner_count").await?,
        unit_owners
    );
    // Demolished: the shed's record stays, with the removal; the inhabited ones stand.
    let shed_ref = found(
        &f,
        SearchKind::Building,
        Field::BuildingId,
        &shed.to_string(),
    )
    .await?
    .ok_or("a demolished building keeps its record")?;
    assert_eq!(
        first(&f, ScreenId::BuildingDemolition, shed_ref, "demolished").await?,
        Cell::Flag(true)
    );
    for standing in [
        new,
        f.opened(&f.engine.link_to(SubjectRef::Building(inhabited))?)?,
    ] {
        assert_eq!(
            first(&f, ScreenId::BuildingDemolition, standing, "demolished").await?,
            Cell::Flag(false)
        );
    }
    consistent(&f)?;

    // Every wrong shape of a place change is set aside, and nothing of it is written.
    let mut twin = house(shed, unit, "Uudisrakentajantie", "9");
    twin.id = home;
    let bad_unit = PropertyId::new(unit.municipality(), 999, 9_999, 9_999).ok_or("id")?;
    let mut no_address = house(free_building(&f, shed.number() + 1).await?, unit, "X", "1");
    no_address.addresses.clear();
    let mut twice = house(no_address.id, unit, "Tie", "1");
    twice.addresses.push(twice.addresses[0].clone());
    let mut bad_postal = house(no_address.id, unit, "Tie", "1");
    bad_postal.addresses[0].postal_code = "2100".into();
    let mut hollow = house(no_address.id, unit, "Tie", "1");
    hollow.figures.total_area = hollow.figures.floor_area - 1;
    let mut nowhere = house(no_address.id, bad_unit, "Tie", "1");
    nowhere.property = bad_unit;
    let mut wrong_door = flat(home, "A 2", 2);
    wrong_door.address_number = 2;
    let refused = apply(
        &f,
        vec![
            RegisterChange::BuildingCompleted {
                building: twin,
                date: day,
            },
            RegisterChange::BuildingCompleted {
                building: no_address,
                date: day,
            },
            RegisterChange::BuildingCompleted {
                building: twice,
                date: day,
            },
            RegisterChange::BuildingCompleted {
                building: bad_postal,
                date: day,
            },
            RegisterChange::BuildingCompleted {
                building: hollow,
                date: day,
            },
            RegisterChange::BuildingCompleted {
                building: nowhere,
                date: day,
            },
            RegisterChange::DwellingAdded {
                dwelling: flat(home, "", 3),
                date: today(),
            },
            RegisterChange::DwellingAdded {
                dwelling: wrong_door,
                date: today(),
            },
            RegisterChange::DwellingAdded {
                dwelling: flat(home, "A 2 b c", 2),
                date: today(),
            },
            RegisterChange::DwellingAdded {
                dwelling: flat(shed, "A 2", 2),
                date: today(),
            },
            RegisterChange::BuildingAltered {
                building: home,
                figures: figures(2, 180),
                date: today(),
            },
            RegisterChange::BuildingAltered {
                building: home,
                figures: figures(0, 180),
                date: today(),
            },
            RegisterChange::BuildingAltered {
                building: home,
                figures: figures(3, 200),
                date: day.add_days(-1),
            },
            RegisterChange::BuildingAltered {
                building: shed,
                figures: figures(1, 20),
                date: today(),
            },
            RegisterChange::BuildingDemolished {
                building: shed,
                reason: DemolitionReason::Other,
                date: today(),
            },
            RegisterChange::DwellingAdded {
                dwelling: flat(corner, "A 2", 0),
                date: today(),
            },
            // A move into the demolished building.
            RegisterChange::Move {
                hetu: hetu(&s.ordinary[1])?,
                date: today(),
                to: NewHome::Dwelling {
                    building: shed,
                    address_number: 1,
                    dwelling: String::new(),
                },
            },
        ],
    )
    .await?;
    use ChangeRefusal::{BadRecord, Duplicate, ImpossibleDate, UnknownHome, UnknownPlace};
    assert_eq!(
        refused,
        vec![
            (0, Duplicate),
            (1, BadRecord),
            (2, BadRecord),
            (3, BadRecord),
            (4, BadRecord),
            (5, UnknownPlace),
            (6, Duplicate),
            (7, BadRecord),
            (8, BadRecord),
            (9, UnknownPlace),
            (10, BadRecord),
            (11, BadRecord),
            (12, ImpossibleDate),
            (13, UnknownPlace),
            (14, UnknownPlace),
            (15, BadRecord),
            (16, UnknownHome),
        ]
    );
    assert_eq!(
        number(&f, ScreenId::BuildingBasic, new, "dwelling_count").await?,
        1
    );
    assert_eq!(
        number(&f, ScreenId::BuildingTechnical, new, "floor_area").await?,
        180
    );
    assert_eq!(
        number(&f, ScreenId::PropertyBasic, unit_ref, "building_count").await?,
        buildings_before + 4
    );
    consistent(&f)
}

/// What the person with `code` owns, as the ownership screen links it.
async fn owned(f: &Fixture, code: &Hetu) -> Fallible<Vec<String>> {
    let p = f.person(&code.to_string()).await?;
    links(f, ScreenId::PersonOwnership, p, "owned").await
}

#[tokio::test]
async fn a_unit_is_sold_divided_and_merged_back_and_its_owners_and_buildings_move_with_it()
-> TestResult {
    let f = fixture()?;
    let s = &f.samples;
    let unit: PropertyId = s.properties[0].parse().map_err(|e| format!("{e:?}"))?;
    let unit_ref = found(
        &f,
        SearchKind::Property,
        Field::PropertyId,
        &s.properties[0],
    )
    .await?
    .ok_or("no unit")?;
    let area = number(&f, ScreenId::PropertyBasic, unit_ref, "area_m2").await?;
    let buildings = number(&f, ScreenId::PropertyBasic, unit_ref, "building_count").await?;
    assert!(buildings >= 1 && area > 1_000, "{buildings} {area}");
    let (a, b) = (hetu(&s.singles[0])?, hetu(&s.singles[1])?);
    let new = PropertyId::new(unit.municipality(), unit.area(), unit.group(), 9_876).ok_or("id")?;
    let elsewhere = PropertyId::new(
        domain::MunicipalityCode::new(if unit.municipality().to_string() == "091" {
            49
        } else {
            91
        })
        .map_err(|e| format!("{e:?}"))?,
        1,
        1,
        9_877,
    )
    .ok_or("id")?;
    let half = |h: Hetu| NewOwner::Person {
        hetu: h,
        share: (1, 2),
    };
    let standing = f
        .link(ScreenId::PropertyBuildings, unit_ref, "building")
        .await?;
    let land_owners = owners_of(&f, ScreenId::PropertyOwners, unit_ref).await?;
    let building_owners = owners_of(&f, ScreenId::BuildingOwners, standing).await?;
    let refused = apply(
        &f,
        vec![
            RegisterChange::OwnerChanged {
                property: unit,
                owners: vec![half(a), half(b)],
                date: today().add_days(-3),
            },
            RegisterChange::PropertyDivided {
                unit,
                new,
                name: "Uusitila 2".into(),
                area_m2: 400,
                buildings: Vec::new(),
                date: today().add_days(-2),
            },
        ],
    )
    .await?;
    assert_eq!(refused, Vec::new());
    // Both buyers own the unit and its buildings the old owners owned with it; the new unit
    // has the same owners.
    let new_ref = found(
        &f,
        SearchKind::Property,
        Field::PropertyId,
        &new.to_string(),
    )
    .await?
    .ok_or("the parcelled unit is not found")?;
    for buyer in [&a, &b] {
        let things = owned(&f, buyer).await?;
        assert!(
            things.iter().any(|t| t.contains(&unit.to_string()))
                && things.iter().any(|t| t.contains(&new.to_string())),
            "{things:?}"
        );
    }
    assert_eq!(
        number(&f, ScreenId::PropertyBasic, new_ref, "area_m2").await?,
        400
    );
    assert_eq!(
        first(&f, ScreenId::PropertyBasic, new_ref, "property_name").await?,
        Cell::Text("Uusitila 2".into())
    );
    // A building its owners owned with the land changed owner with it.
    let sold_to = owners_of(&f, ScreenId::PropertyOwners, unit_ref).await?;
    assert_ne!(sold_to, land_owners);
    if building_owners == land_owners {
        assert_eq!(
            owners_of(&f, ScreenId::BuildingOwners, standing).await?,
            sold_to
        );
    }
    assert_eq!(
        number(&f, ScreenId::PropertyBasic, unit_ref, "area_m2").await?,
        area - 400
    );
    consistent(&f)?;

    // Merged back: the land is whole again, and the merged unit's id leads to the unit.
    let refused = apply(
        &f,
        // On the day the merged unit was registered: a unit may merge from its first day.
        vec![RegisterChange::PropertyMerged {
            into: unit,
            from: new,
            date: today().add_days(-2),
        }],
    )
    .await?;
    assert_eq!(refused, Vec::new());
    assert_eq!(
        number(&f, ScreenId::PropertyBasic, unit_ref, "area_m2").await?,
        area
    );
    let merged = found(
        &f,
        SearchKind::Property,
        Field::PropertyId,
        &new.to_string(),
    )
    .await?
    .ok_or("a merged unit's id leads on")?;
    assert_eq!(
        first(&f, ScreenId::PropertyBasic, merged, "property_id").await?,
        Cell::Text(unit.to_string())
    );
    for buyer in [&a, &b] {
        let things = owned(&f, buyer).await?;
        assert!(
            !things.iter().any(|t| t.contains(&new.to_string())),
            "{things:?}"
        );
    }
    consistent(&f)?;

    // The wrong shapes: shares that are not one whole, an owner twice, a dead or unknown
    // owner, a change that changes nothing, a unit that is not one; a division too large, into
    // another municipality, onto a taken id, taking a building that is not the unit's; a
    // merger with itself, of different owners, of a unit merged away.
    let other: PropertyId = s.properties[1].parse().map_err(|e| format!("{e:?}"))?;
    let dead = hetu(&s.deceased[0])?;
    let c = hetu(&s.singles[2])?;
    let owned_by_c = owned(&f, &c).await?;
    let whole = |h: Hetu| NewOwner::Person {
        hetu: h,
        share: (1, 1),
    };
    let stranger: BuildingId = s.flats[0].prt.parse().map_err(|e| format!("{e:?}"))?;
    let registered = date_of(&f, ScreenId::PropertyBasic, unit_ref, "registered").await?;
    let other_ref = found(
        &f,
        SearchKind::Property,
        Field::PropertyId,
        &other.to_string(),
    )
    .await?
    .ok_or("no other unit")?;
    let other_registered = date_of(&f, ScreenId::PropertyBasic, other_ref, "registered").await?;
    let parted =
        |new: PropertyId, name: &str, area_m2: u64, date: Date| RegisterChange::PropertyDivided {
            unit,
            new,
            name: name.into(),
            area_m2,
            buildings: Vec::new(),
            date,
        };
    let divide = |new: PropertyId, area_m2: u64, buildings: Vec<BuildingId>| {
        RegisterChange::PropertyDivided {
            unit,
            new,
            name: "Lohko".into(),
            area_m2,
            buildings,
            date: today(),
        }
    };
    let fresh =
        PropertyId::new(unit.municipality(), unit.area(), unit.group(), 9_878).ok_or("id")?;
    let refused = apply(
        &f,
        vec![
            RegisterChange::OwnerChanged {
                property: unit,
                owners: vec![half(c)],
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: unit,
                owners: vec![
                    half(c),
                    NewOwner::Person {
                        hetu: c,
                        share: (1, 2),
                    },
                ],
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: unit,
                owners: vec![whole(dead)],
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: unit,
                owners: vec![whole(hetu(&s.not_in_register)?)],
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: unit,
                owners: vec![half(b), half(a)],
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: new,
                owners: vec![whole(c)],
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: unit,
                owners: Vec::new(),
                date: today(),
            },
            divide(fresh, u64::try_from(area)?, Vec::new()),
            divide(elsewhere, 10, Vec::new()),
            divide(other, 10, Vec::new()),
            divide(new, 10, Vec::new()),
            divide(fresh, 10, vec![stranger]),
            divide(fresh, 0, Vec::new()),
            RegisterChange::PropertyMerged {
                into: unit,
                from: unit,
                date: today(),
            },
            RegisterChange::PropertyMerged {
                into: unit,
                from: other,
                date: today(),
            },
            RegisterChange::PropertyMerged {
                into: unit,
                from: new,
                date: today(),
            },
            parted(fresh, "   ", 10, today()),
            parted(fresh, &"x".repeat(101), 10, today()),
            parted(fresh, "Koivu\u{7}la", 10, today()),
            parted(unit.with_parcel(9_999).ok_or("id")?, "Lohko", 10, today()),
            parted(fresh, "Lohko", 10, registered.add_days(-1)),
            RegisterChange::OwnerChanged {
                property: other,
                owners: companies(101),
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: other,
                owners: companies(1),
                date: other_registered.add_days(-1),
            },
        ],
    )
    .await?;
    use ChangeRefusal::{
        BadRecord, Deceased, Duplicate, ImpossibleDate, UnknownPerson, UnknownPlace,
    };
    assert_eq!(
        refused,
        vec![
            (0, BadRecord),
            (1, BadRecord),
            (2, Deceased),
            (3, UnknownPerson),
            (4, BadRecord),
            (5, UnknownPlace),
            (6, BadRecord),
            (7, BadRecord),
            (8, BadRecord),
            (9, Duplicate),
            (10, Duplicate),
            (11, BadRecord),
            (12, BadRecord),
            (13, BadRecord),
            (14, BadRecord),
            (15, UnknownPlace),
            (16, BadRecord),
            (17, BadRecord),
            (18, BadRecord),
            (19, BadRecord),
            (20, ImpossibleDate),
            (21, BadRecord),
            (22, ImpossibleDate),
        ]
    );
    assert_eq!(
        number(&f, ScreenId::PropertyBasic, unit_ref, "area_m2").await?,
        area
    );
    assert_eq!(owned(&f, &c).await?, owned_by_c);
    consistent(&f)?;

    // At the limits: a name of 100 characters, a division on the unit's first day; a hundred
    // owners, a sale on the unit's first day.
    let refused = apply(
        &f,
        vec![
            parted(fresh, &"x".repeat(100), 10, registered),
            RegisterChange::OwnerChanged {
                property: other,
                owners: companies(100),
                date: other_registered,
            },
        ],
    )
    .await?;
    assert_eq!(refused, Vec::new());
    assert_eq!(
        rows(&f, ScreenId::PropertyOwners, other_ref).await?.len(),
        100
    );
    consistent(&f)?;

    // Mergers that fail on one rule alone: a unit registered today cannot take land before
    // today (it can today); a parcel is not merged (its unit is divided instead); units of two
    // municipalities are not one unit, whoever owns them.
    let later =
        PropertyId::new(unit.municipality(), unit.area(), unit.group(), 9_879).ok_or("id")?;
    let parcel: PropertyId = s.parcels[0].parse().map_err(|e| format!("{e:?}"))?;
    // A unit of another municipality: where one of the sample flats stands.
    let mut elsewhere_unit = None;
    for flat in &s.flats {
        let prt = flat
            .prt
            .parse::<BuildingId>()
            .map_err(|e| format!("{e:?}"))?;
        let building = f.opened(&f.engine.link_to(SubjectRef::Building(prt))?)?;
        let on = f
            .link(ScreenId::BuildingBasic, building, "location_property")
            .await?;
        let id = match first(&f, ScreenId::PropertyBasic, on, "property_id").await? {
            Cell::Text(t) => t.parse::<PropertyId>().map_err(|e| format!("{e:?}"))?,
            other => return Err(format!("{other:?}").into()),
        };
        if id.municipality() != unit.municipality() && !id.is_parcel() {
            elsewhere_unit = Some(id);
            break;
        }
    }
    let elsewhere_unit =
        elsewhere_unit.ok_or("no unit of another municipality among the samples")?;
    let carved = PropertyId::new(
        elsewhere_unit.municipality(),
        elsewhere_unit.area(),
        elsewhere_unit.group(),
        9_880,
    )
    .ok_or("id")?;
    let one_company = companies(1);
    let refused = apply(
        &f,
        vec![
            parted(later, "Lohko 3", 10, today()),
            RegisterChange::PropertyDivided {
                unit: elsewhere_unit,
                new: carved,
                name: "Toisaalla".into(),
                area_m2: 10,
                buildings: Vec::new(),
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: carved,
                owners: vec![half(a), half(b)],
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: parcel.without_parcel(),
                owners: one_company.clone(),
                date: today(),
            },
            RegisterChange::OwnerChanged {
                property: parcel,
                owners: one_company,
                date: today(),
            },
            // 5
            RegisterChange::PropertyMerged {
                into: later,
                from: fresh,
                date: today().add_days(-1),
            },
            RegisterChange::PropertyMerged {
                into: parcel.without_parcel(),
                from: parcel,
                date: today(),
            },
            RegisterChange::PropertyMerged {
                into: later,
                from: carved,
                date: today(),
            },
            RegisterChange::PropertyMerged {
                into: later,
                from: fresh,
                date: today(),
            },
        ],
    )
    .await?;
    assert_eq!(
        refused,
        vec![
            (5, ChangeRefusal::ImpossibleDate),
            (6, ChangeRefusal::BadRecord),
            (7, ChangeRefusal::BadRecord),
        ]
    );
    consistent(&f)
}

/// The ends of `code`'s custody relations with `other` (custodian side or dependant side).
fn custody_ends(f: &Fixture, code: &Hetu, other: &Hetu) -> Fallible<Vec<Option<Date>>> {
    let p = f
        .engine
        .person_record(&code.to_string())?
        .ok_or("no person")?;
    let o = f
        .engine
        .person_record(&other.to_string())?
        .ok_or("no person")?;
    Ok(p.relations
        .iter()
        .filter_map(|r| match r {
            Relation::Custodian { other, period, .. }
            | Relation::Dependant { other, period, .. }
                if *other == o.id =>
            {
                Some(period.end.and_then(|e| e.latest()))
            }
            _ => None,
        })
        .collect())
}

#[tokio::test]
async fn custody_and_guardianship_change_on_both_sides_and_what_ends_stays_as_history() -> TestResult
{
    let f = fixture()?;
    let s = &f.samples;
    // A newborn in both parents' custody (a birth of a married couple).
    let parent = f.person(&s.families[0]).await?;
    let spouse = f.link(ScreenId::PersonSpouse, parent, "spouse").await?;
    let spouse_code = match first(&f, ScreenId::PersonBasic, spouse, "hetu").await? {
        Cell::Text(t) => hetu(&t)?,
        other => return Err(format!("{other:?}").into()),
    };
    let (x, y) = (hetu(&s.families[0])?, spouse_code);
    let (mother, father) = if x.is_odd() { (y, x) } else { (x, y) };
    let born = today().add_days(-20);
    let sign = CenturySign::original_for_year(born.year()).ok_or("sign")?;
    let child = Hetu::new(born, sign, 524).map_err(|e| format!("{e:?}"))?;
    let adult = hetu(&s.ordinary[2])?;
    let minor = Hetu::new(today().add_days(-400), sign, 526).map_err(|e| format!("{e:?}"))?;
    let refused = apply(
        &f,
        vec![
            RegisterChange::Birth {
                hetu: child,
                surname: "Huoltotesti".into(),
                first_names: "Pieni".into(),
                sex: Sex::Female,
                mother,
                father: Some(father),
            },
            RegisterChange::Birth {
                hetu: minor,
                surname: "Huoltotesti".into(),
                first_names: "Toinen".into(),
                sex: Sex::Male,
                mother,
                father: Some(father),
            },
            RegisterChange::CustodyChanged {
                child,
                custodians: vec![mother],
                date: today().add_days(-5),
            },
        ],
    )
    .await?;
    assert_eq!(refused, Vec::new());
    let last_day = today().add_days(-6);
    assert_eq!(custody_ends(&f, &child, &father)?, vec![Some(last_day)]);
    assert_eq!(custody_ends(&f, &father, &child)?, vec![Some(last_day)]);
    assert_eq!(
        custody_ends(&f, &child, &mother)?,
        vec![None],
        "the mother's goes on"
    );
    let baby = f.person(&child.to_string()).await?;
    let ends: Vec<Cell> = rows(&f, ScreenId::PersonCustodians, baby)
        .await?
        .into_iter()
        .filter_map(|mut r| r.remove("end"))
        .collect();
    assert_eq!(
        ends.iter()
            .filter(|e| matches!(e, Cell::Date(_) | Cell::PartialDate(_)))
            .count(),
        1,
        "the father's custody is history on the screen: {ends:?}"
    );
    // Given back to both by a decision: a new relation from the day, the old one stays.
    let refused = apply(
        &f,
        vec![RegisterChange::CustodyChanged {
            child,
            custodians: vec![father, mother],
            date: today(),
        }],
    )
    .await?;
    assert_eq!(refused, Vec::new());
    assert_eq!(
        custody_ends(&f, &child, &father)?,
        vec![Some(last_day), None]
    );
    assert_eq!(
        custody_ends(&f, &father, &child)?,
        vec![Some(last_day), None]
    );
    consistent(&f)?;

    // Guardianship: appointed, then ended the day before its end date.
    let ward = hetu(&s.ordinary[3])?;
    let guardian = hetu(&s.ordinary[4])?;
    let refused = apply(
        &f,
        vec![
            RegisterChange::GuardianAppointed {
                hetu: ward,
                guardian,
                restriction: Restriction::PartlyRestricted,
                date: today().add_days(-10),
            },
            RegisterChange::GuardianshipEnded {
                hetu: hetu(&s.under_guardianship[0])?,
                date: today(),
            },
        ],
    )
    .await?;
    assert_eq!(refused, Vec::new());
    let ward_ref = f.person(&ward.to_string()).await?;
    assert_eq!(
        first(&f, ScreenId::PersonGuardianship, ward_ref, "in_force").await?,
        Cell::Flag(true)
    );
    let record = f
        .engine
        .person_record(&ward.to_string())?
        .ok_or("no ward")?;
    let guardian_id = f
        .engine
        .person_record(&guardian.to_string())?
        .ok_or("no guardian")?
        .id;
    assert_eq!(
        record
            .guardianship
            .map(|g| g.guardians.into_iter().map(|x| x.party).collect::<Vec<_>>()),
        Some(vec![GuardianParty::Person(guardian_id)])
    );
    let ended = f.person(&s.under_guardianship[0]).await?;
    assert_eq!(
        first(&f, ScreenId::PersonGuardianship, ended, "in_force").await?,
        Cell::Flag(false)
    );

    // Of age on the very day: eighteen years old today may have a guardian, be one, and be
    // a custodian, and is no one's child in custody; a day younger, the other way round.
    let of_age = Date::new(today().year() - 18, today().month(), today().day())
        .map_err(|e| format!("{e:?}"))?;
    let sign18 = CenturySign::original_for_year(of_age.year()).ok_or("sign")?;
    let eighteen = Hetu::new(of_age, sign18, 527).map_err(|e| format!("{e:?}"))?;
    let seventeen = Hetu::new(of_age.add_days(1), sign18, 529).map_err(|e| format!("{e:?}"))?;
    let other_adult = hetu(&s.ordinary[1])?;
    let born_then = |hetu: Hetu| RegisterChange::Birth {
        hetu,
        surname: "Rajatesti".into(),
        first_names: "Juuri".into(),
        sex: Sex::Male,
        mother,
        father: Some(father),
    };
    let refused = apply(
        &f,
        vec![
            born_then(eighteen),
            born_then(seventeen),
            RegisterChange::GuardianAppointed {
                hetu: eighteen,
                guardian: adult,
                restriction: Restriction::NotRestricted,
                date: today(),
            },
            RegisterChange::GuardianAppointed {
                hetu: other_adult,
                guardian: eighteen,
                restriction: Restriction::NotRestricted,
                date: today(),
            },
            RegisterChange::CustodyChanged {
                child: minor,
                custodians: vec![mother, eighteen],
                date: today(),
            },
            RegisterChange::CustodyChanged {
                child: seventeen,
                custodians: vec![mother],
                date: today(),
            },
            // 6: of age.
            RegisterChange::CustodyChanged {
                child: eighteen,
                custodians: vec![mother],
                date: today(),
            },
            RegisterChange::GuardianAppointed {
                hetu: seventeen,
                guardian: adult,
                restriction: Restriction::NotRestricted,
                date: today(),
            },
            RegisterChange::GuardianAppointed {
                hetu: hetu(&s.ordinary[0])?,
                guardian: seventeen,
                restriction: Restriction::NotRestricted,
                date: today(),
            },
            // 9: before the child's custody last changed, and on the day a custody began.
            RegisterChange::CustodyChanged {
                child,
                custodians: vec![mother],
                date: today().add_days(-1),
            },
            RegisterChange::CustodyChanged {
                child: minor,
                custodians: vec![mother],
                date: today(),
            },
        ],
    )
    .await?;
    assert_eq!(
        refused,
        vec![
            (6, ChangeRefusal::CannotHaveCustody),
            (7, ChangeRefusal::NoGuardianship),
            (8, ChangeRefusal::NoGuardianship),
            (9, ChangeRefusal::ImpossibleDate),
            (10, ChangeRefusal::ImpossibleDate),
        ]
    );
    assert_eq!(custody_ends(&f, &minor, &eighteen)?, vec![None]);
    assert_eq!(custody_ends(&f, &eighteen, &minor)?, vec![None]);
    assert_eq!(
        custody_ends(&f, &minor, &father)?,
        vec![Some(today().add_days(-1))]
    );
    consistent(&f)?;

    // The wrong shapes of care changes.
    let refused = apply(
        &f,
        vec![
            RegisterChange::CustodyChanged {
                child: adult,
                custodians: vec![mother],
                date: today(),
            },
            RegisterChange::CustodyChanged {
                child,
                custodians: vec![child],
                date: today(),
            },
            RegisterChange::CustodyChanged {
                child,
                custodians: vec![minor],
                date: today(),
            },
            RegisterChange::CustodyChanged {
                child,
                custodians: vec![mother, mother],
                date: today(),
            },
            RegisterChange::CustodyChanged {
                child,
                custodians: Vec::new(),
                date: today(),
            },
            RegisterChange::CustodyChanged {
                child,
                custodians: vec![mother, father, adult],
                date: today(),
            },
            RegisterChange::CustodyChanged {
                child,
                custodians: vec![mother, father],
                date: today(),
            },
            RegisterChange::CustodyChanged {
                child,
                custodians: vec![hetu(&s.deceased[0])?],
                date: today(),
            },
            RegisterChange::GuardianAppointed {
                hetu: ward,
                guardian: adult,
                restriction: Restriction::NotRestricted,
                date: today(),
            },
            RegisterChange::GuardianAppointed {
                hetu: adult,
                guardian: adult,
                restriction: Restriction::NotRestricted,
                date: today(),
            },
            RegisterChange::GuardianAppointed {
                hetu: minor,
                guardian: adult,
                restriction: Restriction::NotRestricted,
                date: today(),
            },
            RegisterChange::GuardianAppointed {
                hetu: adult,
                guardian: minor,
                restriction: Restriction::NotRestricted,
                date: today(),
            },
            RegisterChange::GuardianshipEnded {
                hetu: adult,
                date: today(),
            },
            RegisterChange::GuardianshipEnded {
                hetu: hetu(&s.under_guardianship[0])?,
                date: today(),
            },
            RegisterChange::GuardianshipEnded {
                hetu: ward,
                date: today().add_days(-10),
            },
        ],
    )
    .await?;
    use ChangeRefusal::{BadRecord, CannotHaveCustody, Deceased, ImpossibleDate, NoGuardianship};
    assert_eq!(
        refused,
        vec![
            (0, CannotHaveCustody),
            (1, CannotHaveCustody),
            (2, CannotHaveCustody),
            (3, CannotHaveCustody),
            (4, CannotHaveCustody),
            (5, CannotHaveCustody),
            (6, BadRecord),
            (7, Deceased),
            (8, NoGuardianship),
            (9, NoGuardianship),
            (10, NoGuardianship),
            (11, NoGuardianship),
            (12, NoGuardianship),
            (13, NoGuardianship),
            (14, ImpossibleDate),
        ]
    );
    assert_eq!(
        custody_ends(&f, &child, &father)?,
        vec![Some(last_day), None]
    );
    consistent(&f)
}
