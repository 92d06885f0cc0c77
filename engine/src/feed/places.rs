//! Register changes of places: a building completed, altered or demolished, a dwelling added,
//! a real-estate unit divided or merged, a unit's change of owner. Each is checked whole
//! against the register before anything is written, and moves the records it touches together:
//! a unit's building list and each building's unit, the address index, and the owners' index
//! (`owned_by`), so the register's own integrity check finds them in step.

use super::{Register, Step, refuse};
use crate::store::{self, MergedUnit};
use domain::changes::{BuildingFigures, ChangeRefusal, NewBuilding, NewDwelling, NewOwner};
use domain::codes::{BuildingState, DemolitionReason, DwellingKind, DwellingState, UseClass};
use domain::ids::{DwellingId, PostalCode};
use domain::model::{Building, Demolition, Dwelling, Owner, Property};
use domain::{BuildingId, Date, PropertyId};
use redb::ReadableTable;

/// At most this many owners in one change of owner (an estate of many heirs is one owner).
const MAX_OWNERS: usize = 100;

impl Register<'_> {
    /// A standing building.
    fn building(&self, id: BuildingId) -> Result<Building, Step> {
        match self.buildings.get(id.number())? {
            Some(b) if b.demolition.is_none() => Ok(b),
            _ => refuse(ChangeRefusal::UnknownPlace),
        }
    }

    /// A unit as it stands (a merged-away id is not one: its land is another unit's now).
    fn unit(&self, id: PropertyId) -> Result<Property, Step> {
        self.properties
            .get(id.to_string().as_str())?
            .ok_or(Step::Refused(ChangeRefusal::UnknownPlace))
    }

    /// Whether `id` names a unit now or one merged away (either way it cannot be made anew).
    fn unit_id_taken(&self, id: PropertyId) -> Result<bool, Step> {
        let key = id.to_string();
        Ok(
            self.properties.get(key.as_str())?.is_some()
                || self.merged.get(key.as_str())?.is_some(),
        )
    }

    fn put_unit(&mut self, unit: &Property) -> Result<(), Step> {
        Ok(self.properties.insert(unit.id.to_string().as_str(), unit)?)
    }

    fn put_building(&mut self, b: &Building) -> Result<(), Step> {
        Ok(self.buildings.insert(b.id.number(), b)?)
    }

    /// Records that `buildings` (listed by a unit) now stand on `unit`. A building a unit lists
    /// but the register lacks is a damaged register, not a bad change: the batch fails whole
    /// (a refusal here would leave the buildings moved before it written).
    fn move_buildings(&mut self, buildings: &[BuildingId], unit: PropertyId) -> Result<(), Step> {
        for id in buildings {
            let Some(mut b) = self.buildings.get(id.number())? else {
                return Err(Step::Failed(crate::error::EngineError::Corrupt {
                    table: "property.v1",
                    detail: format!("a unit lists building {id}, which the register lacks"),
                }));
            };
            b.property = unit;
            self.put_building(&b)?;
        }
        Ok(())
    }

    /// Moves `thing` (`b:<prt>` or `k:<unit>`) in the owners' index from `before` to `after`.
    fn reown(&mut self, thing: &str, before: &[Owner], after: &[Owner]) -> Result<(), Step> {
        for o in before {
            self.owned.remove((store::owner_key(o).as_str(), thing))?;
        }
        for o in after {
            self.owned
                .insert((store::owner_key(o).as_str(), thing), ())?;
        }
        Ok(())
    }

    /// Whether anyone lives in building `b`.
    fn inhabited(&self, b: u32) -> Result<bool, Step> {
        Ok(self
            .by_building
            .range((b, 0)..=(b, u64::MAX))?
            .next()
            .is_some())
    }
}

/// Refuses a change of `b` dated before it was completed (a completion known only to the
/// year or month: before its first day).
fn before_completion(b: &Building, date: Date) -> Result<(), Step> {
    if b.completed
        .and_then(|c| c.earliest())
        .is_some_and(|completed| date < completed)
    {
        return refuse(ChangeRefusal::ImpossibleDate);
    }
    Ok(())
}

/// Whether a building's figures are possible: at least a floor, an area, a volume, and a total
/// area that holds the floor area.
fn sound(f: &BuildingFigures) -> bool {
    f.floors >= 1 && f.floor_area >= 1 && f.total_area >= f.floor_area && f.volume >= 1
}

/// The use a new building is put to, by its use class.
fn first_state(class: UseClass) -> BuildingState {
    match class {
        UseClass::Detached
        | UseClass::SemiDetached
        | UseClass::RowHouse
        | UseClass::SmallBlock
        | UseClass::Block => BuildingState::Permanent,
        UseClass::Holiday => BuildingState::Holiday,
        _ => BuildingState::Secondary,
    }
}

/// A unit's name: 1–100 characters with no control characters (names of units carry numbers:
/// `Koivula 2`).
fn unit_name(name: &str) -> Result<String, Step> {
    let name = name.trim();
    let count = name.chars().count();
    if count == 0 || count > 100 || name.chars().any(char::is_control) {
        return refuse(ChangeRefusal::BadRecord);
    }
    Ok(name.to_owned())
}

pub(super) fn complete(r: &mut Register<'_>, new: &NewBuilding, date: Date) -> Result<(), Step> {
    if r.buildings.get(new.id.number())?.is_some() {
        return refuse(ChangeRefusal::Duplicate);
    }
    let mut unit = r.unit(new.property)?;
    let orders_unique = {
        let mut orders: Vec<u8> = new.addresses.iter().map(|a| a.order).collect();
        orders.sort_unstable();
        orders.dedup();
        orders.len() == new.addresses.len()
    };
    let address_sound = |a: &domain::model::BuildingAddress| {
        (1..=4).contains(&a.order)
            && !a.street_fi.trim().is_empty()
            && !a.number.trim().is_empty()
            && a.postal_code.parse::<PostalCode>().is_ok()
    };
    if new.addresses.is_empty()
        || new.addresses.len() > 4
        || !orders_unique
        || !new.addresses.iter().all(address_sound)
        || !sound(&new.figures)
    {
        return refuse(ChangeRefusal::BadRecord);
    }
    let f = new.figures;
    let building = Building {
        id: new.id,
        old_id: None,
        property: unit.id,
        municipality: unit.id.municipality(),
        addresses: new.addresses.clone(),
        coordinates: new.coordinates,
        use_class: new.use_class,
        completed: Some(date.into()),
        floors: f.floors,
        floor_area: f.floor_area,
        total_area: f.total_area,
        volume: f.volume,
        heating: f.heating,
        energy: f.energy,
        state: first_state(new.use_class),
        owners: unit.owners.clone(),
        demolition: None,
        dwellings: 0,
    };
    let municipality = building.municipality.to_string();
    for a in &building.addresses {
        for street in std::iter::once(&a.street_fi).chain(a.street_sv.as_ref()) {
            let key = store::address_key(
                street,
                &a.number,
                &a.postal_code,
                &municipality,
                building.id,
            );
            r.by_address.insert(key.as_str(), ())?;
        }
    }
    r.reown(&format!("b:{}", building.id), &[], &building.owners)?;
    r.put_building(&building)?;
    unit.buildings.push(building.id);
    r.put_unit(&unit)
}

pub(super) fn alter(
    r: &mut Register<'_>,
    id: BuildingId,
    figures: &BuildingFigures,
    date: Date,
) -> Result<(), Step> {
    let mut b = r.building(id)?;
    before_completion(&b, date)?;
    let now = BuildingFigures {
        floors: b.floors,
        floor_area: b.floor_area,
        total_area: b.total_area,
        volume: b.volume,
        heating: b.heating,
        energy: b.energy,
    };
    if !sound(figures) || *figures == now {
        return refuse(ChangeRefusal::BadRecord);
    }
    b.floors = figures.floors;
    b.floor_area = figures.floor_area;
    b.total_area = figures.total_area;
    b.volume = figures.volume;
    b.heating = figures.heating;
    b.energy = figures.energy;
    r.put_building(&b)
}

pub(super) fn demolish(
    r: &mut Register<'_>,
    id: BuildingId,
    reason: DemolitionReason,
    date: Date,
) -> Result<(), Step> {
    let mut b = r.building(id)?;
    before_completion(&b, date)?;
    if r.inhabited(id.number())? {
        return refuse(ChangeRefusal::Inhabited);
    }
    b.demolition = Some(Demolition {
        date: date.into(),
        reason,
    });
    b.state = BuildingState::Demolished;
    r.put_building(&b)
}

pub(super) fn add_dwelling(
    r: &mut Register<'_>,
    new: &NewDwelling,
    date: Date,
) -> Result<(), Step> {
    let mut b = r.building(new.building)?;
    before_completion(&b, date)?;
    let label = new.label.trim().to_owned();
    let label_sound = label.is_empty() || label.parse::<DwellingId>().is_ok();
    let rooms_sound = new.rooms >= 1 || new.kind != DwellingKind::Dwelling;
    if !b.addresses.iter().any(|a| a.order == new.address_number)
        || !label_sound
        || new.floor_area == 0
        || !rooms_sound
    {
        return refuse(ChangeRefusal::BadRecord);
    }
    if r.dwellings.get((b.id.number(), label.as_str()))?.is_some() {
        return refuse(ChangeRefusal::Duplicate);
    }
    let Some(count) = b.dwellings.checked_add(1) else {
        return refuse(ChangeRefusal::BadRecord);
    };
    let dwelling = Dwelling {
        building: b.id,
        address_number: new.address_number,
        label,
        kind: new.kind,
        floor_area: new.floor_area,
        rooms: new.rooms,
        kitchen: new.kitchen,
        equipment: new.equipment,
        tenure: new.tenure,
        state: DwellingState::Empty,
    };
    r.dwellings
        .insert((b.id.number(), dwelling.label.as_str()), &dwelling)?;
    b.dwellings = count;
    r.put_building(&b)
}

/// The new unit of a division.
pub(super) struct Parcelled<'a> {
    pub(super) id: PropertyId,
    pub(super) name: &'a str,
    pub(super) area_m2: u64,
    pub(super) buildings: &'a [BuildingId],
}

pub(super) fn divide(
    r: &mut Register<'_>,
    unit: PropertyId,
    new: Parcelled<'_>,
    date: Date,
) -> Result<(), Step> {
    let mut from = r.unit(unit)?;
    if date < from.registered {
        return refuse(ChangeRefusal::ImpossibleDate);
    }
    if r.unit_id_taken(new.id)? {
        return refuse(ChangeRefusal::Duplicate);
    }
    let name = unit_name(new.name)?;
    let mut moved = new.buildings.to_vec();
    moved.sort_unstable();
    moved.dedup();
    if unit.is_parcel()
        || new.id.is_parcel()
        || new.id.municipality() != unit.municipality()
        || new.area_m2 == 0
        || new.area_m2 >= from.area_m2
        || moved.len() != new.buildings.len()
        || !moved.iter().all(|b| from.buildings.contains(b))
    {
        return refuse(ChangeRefusal::BadRecord);
    }
    let parcelled = Property {
        id: new.id,
        name,
        area_m2: new.area_m2,
        registered: date,
        owners: from.owners.clone(),
        buildings: new.buildings.to_vec(),
    };
    r.move_buildings(new.buildings, parcelled.id)?;
    from.area_m2 -= new.area_m2;
    from.buildings.retain(|b| !moved.contains(b));
    r.reown(&format!("k:{}", parcelled.id), &[], &parcelled.owners)?;
    r.put_unit(&from)?;
    r.put_unit(&parcelled)
}

pub(super) fn merge(
    r: &mut Register<'_>,
    into: PropertyId,
    from: PropertyId,
    date: Date,
) -> Result<(), Step> {
    let mut target = r.unit(into)?;
    let merged = r.unit(from)?;
    if date < target.registered || date < merged.registered {
        return refuse(ChangeRefusal::ImpossibleDate);
    }
    let has_parcels = {
        let lower = format!("{from}-M");
        let upper = format!("{from}-N");
        r.properties.any_between(&lower, &upper)?
    };
    if into == from
        || into.is_parcel()
        || from.is_parcel()
        || into.municipality() != from.municipality()
        || store::owner_set(&target.owners) != store::owner_set(&merged.owners)
        || has_parcels
    {
        return refuse(ChangeRefusal::BadRecord);
    }
    let Some(area) = target.area_m2.checked_add(merged.area_m2) else {
        return refuse(ChangeRefusal::BadRecord);
    };
    r.move_buildings(&merged.buildings, into)?;
    target.area_m2 = area;
    target.buildings.extend(merged.buildings.iter().copied());
    r.reown(&format!("k:{from}"), &merged.owners, &[])?;
    r.properties.remove(from.to_string().as_str())?;
    r.merged.insert(
        from.to_string().as_str(),
        &MergedUnit {
            into,
            date,
            was: merged,
        },
    )?;
    r.put_unit(&target)
}

/// Whether the shares add up to exactly one (none of them empty).
fn whole(shares: impl Iterator<Item = (u16, u16)>) -> bool {
    fn gcd(a: u128, b: u128) -> u128 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let (mut num, mut den) = (0u128, 1u128);
    for (n, d) in shares {
        // (A share above one needs no rule of its own: with none below zero, the sum then
        // exceeds one.)
        if n == 0 || d == 0 {
            return false;
        }
        let (n, d) = (u128::from(n), u128::from(d));
        let (Some(a), Some(b), Some(c)) =
            (num.checked_mul(d), n.checked_mul(den), den.checked_mul(d))
        else {
            return false;
        };
        let Some(sum) = a.checked_add(b) else {
            return false;
        };
        let g = gcd(sum, c).max(1);
        (num, den) = (sum / g, c / g);
    }
    num == den
}

pub(super) fn change_owners(
    r: &mut Register<'_>,
    property: PropertyId,
    owners: &[NewOwner],
    date: Date,
) -> Result<(), Step> {
    let mut unit = r.unit(property)?;
    if date < unit.registered {
        return refuse(ChangeRefusal::ImpossibleDate);
    }
    // (No owners at all is refused below: their shares do not add up to one.)
    if owners.len() > MAX_OWNERS {
        return refuse(ChangeRefusal::BadRecord);
    }
    let mut after = Vec::with_capacity(owners.len());
    for o in owners {
        after.push(match o {
            NewOwner::Person { hetu, share } => Owner::Person {
                id: super::living(r, hetu, date)?.id,
                share: *share,
            },
            NewOwner::Organisation {
                business_id,
                name,
                share,
            } => Owner::Organisation {
                business_id: *business_id,
                name: unit_name(name)?,
                share: *share,
            },
        });
    }
    let keys = store::owner_set(&after);
    let mut distinct: Vec<&String> = keys.iter().map(|(k, _)| k).collect();
    distinct.dedup();
    let shares = after.iter().map(Owner::share);
    if distinct.len() != after.len() || !whole(shares) || keys == store::owner_set(&unit.owners) {
        return refuse(ChangeRefusal::BadRecord);
    }
    // The buildings the unit's owners owned with the land change owner with it; a building
    // owned apart from the land (on leased land) keeps its owner.
    let before = store::owner_set(&unit.owners);
    for id in unit.buildings.clone() {
        let Some(mut b) = r.buildings.get(id.number())? else {
            continue;
        };
        if store::owner_set(&b.owners) == before {
            r.reown(&format!("b:{}", b.id), &b.owners, &after)?;
            b.owners.clone_from(&after);
            r.put_building(&b)?;
        }
    }
    r.reown(&format!("k:{}", unit.id), &unit.owners, &after)?;
    unit.owners = after;
    r.put_unit(&unit)
}

#[cfg(test)]
mod tests {
    use super::whole;

    #[test]
    fn shares_are_whole_only_when_they_add_up_to_exactly_one() {
        assert!(whole([(1, 1)].into_iter()));
        assert!(whole([(1, 2), (1, 2)].into_iter()));
        assert!(whole([(1, 3), (1, 6), (1, 2)].into_iter()));
        assert!(whole([(2, 4), (3, 6)].into_iter()));
        assert!(!whole([(1, 2)].into_iter()));
        assert!(!whole([(1, 2), (1, 3), (1, 3)].into_iter()));
        assert!(!whole([(0, 1), (1, 1)].into_iter()));
        assert!(!whole([(1, 0)].into_iter()));
        assert!(!whole([(2, 1)].into_iter()));
        assert!(!whole(std::iter::empty()));
        // Many owners with large denominators do not overflow into a wrong answer.
        let many: Vec<(u16, u16)> = (0..60).map(|_| (1, 60)).collect();
        assert!(whole(many.into_iter()));
        let primes = [(1, 65_521), (1, 65_519), (1, 65_497), (65_521 - 3, 65_521)];
        assert!(!whole(primes.into_iter()));
    }
}
