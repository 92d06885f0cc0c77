//! Changes to the register as the population information system sends them: typed events
//! (a birth, a death, a move, a name change, a marriage, a divorce, custody and guardianship,
//! a protection order set or lifted, an identity code changed; a building completed, altered
//! or demolished, a dwelling added, a real-estate unit divided or merged, a change of owner),
//! numbered in the order they are to be applied. Each is
//! applied whole or not at all; one that cannot be (an unknown person, an impossible date, a
//! duplicate) is set aside with its [`ChangeRefusal`] on the dead-letter list, and the stream
//! goes on. The numbers make a replay harmless: what was applied is not applied again.

use crate::codes::{
    DemolitionReason, DwellingKind, EnergySource, HeatingMethod, KitchenKind, Restriction, Sex,
    Tenure, UseClass,
};
use crate::date::{Date, Timestamp};
use crate::hetu::Hetu;
use crate::ids::{BuildingId, BusinessId, PropertyId};
use crate::model::{BuildingAddress, Equipment};
use serde::{Deserialize, Serialize};

/// One change, with its place in the stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    /// Its place in the stream, from 1, without gaps.
    pub seq: u64,
    /// When the source recorded it.
    pub recorded: Timestamp,
    pub change: RegisterChange,
}

/// Where a person moves to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewHome {
    /// A dwelling of the register (a detached house's is the empty label): the address is the
    /// building's address number `address_number`, the home municipality the building's.
    Dwelling {
        building: BuildingId,
        address_number: u8,
        dwelling: String,
    },
    /// Abroad: the foreign address as given; the home municipality becomes 200 (abroad).
    Abroad {
        country: u16,
        street: String,
        place: String,
    },
}

/// A building completed, as the building register sends it: its permanent id, the unit it
/// stands on (its municipality and owners are the unit's), where and what it is. Its
/// dwellings come as their own changes ([`RegisterChange::DwellingAdded`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewBuilding {
    pub id: BuildingId,
    pub property: PropertyId,
    /// 1–4 addresses, each with its own order number.
    pub addresses: Vec<BuildingAddress>,
    /// ETRS-TM35FIN (north, east) in metres.
    pub coordinates: Option<(u32, u32)>,
    pub use_class: UseClass,
    pub figures: BuildingFigures,
}

/// What a building is, as an alteration (a new storey, an extension, a change of use or of
/// heating) leaves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingFigures {
    pub floors: u8,
    pub floor_area: u32,
    pub total_area: u32,
    pub volume: u32,
    pub heating: Option<HeatingMethod>,
    pub energy: Option<EnergySource>,
}

/// A dwelling added to a building (a new building's, a division of a flat, an attic built).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDwelling {
    pub building: BuildingId,
    /// The building's address it is reached by (its order number, 1–4).
    pub address_number: u8,
    /// Staircase, flat and division as written (`B 12a`); empty for a detached house.
    pub label: String,
    pub kind: DwellingKind,
    pub floor_area: u16,
    pub rooms: u8,
    pub kitchen: KitchenKind,
    pub equipment: Equipment,
    pub tenure: Tenure,
}

/// An owner as a change of owner names them: a person by identity code, an organisation by
/// business id; the share as a fraction (the shares of one change add up to one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewOwner {
    Person {
        hetu: Hetu,
        share: (u16, u16),
    },
    Organisation {
        business_id: BusinessId,
        name: String,
        share: (u16, u16),
    },
}

/// A change of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegisterChange {
    /// A child born in Finland: born on the code's date, living with the mother, in her
    /// custody (and the father's, when known), with her mother tongue.
    Birth {
        hetu: Hetu,
        surname: String,
        first_names: String,
        sex: Sex,
        mother: Hetu,
        father: Option<Hetu>,
    },
    Death {
        hetu: Hetu,
        date: Date,
    },
    /// A move: the current permanent address ends the day before `date`.
    Move {
        hetu: Hetu,
        date: Date,
        to: NewHome,
    },
    /// A new surname or new first names (either or both); the old one becomes a former name.
    NameChange {
        hetu: Hetu,
        date: Date,
        surname: Option<String>,
        first_names: Option<String>,
    },
    /// A marriage; `b` takes `a`'s surname when `b_takes_surname`.
    Marriage {
        a: Hetu,
        b: Hetu,
        date: Date,
        b_takes_surname: bool,
    },
    Divorce {
        a: Hetu,
        b: Hetu,
        date: Date,
    },
    ProtectionOrderSet {
        hetu: Hetu,
        since: Date,
        ends: Option<Date>,
    },
    ProtectionOrderLifted {
        hetu: Hetu,
        date: Date,
    },
    /// A corrected or changed identity code: the old one is passivated and still leads to the
    /// person.
    HetuChanged {
        old: Hetu,
        new: Hetu,
        date: Date,
    },
    /// Custody of a minor given by a decision or an agreement to one or two custodians: the
    /// custody in force ends the day before `date`.
    CustodyChanged {
        child: Hetu,
        custodians: Vec<Hetu>,
        date: Date,
    },
    /// A guardian appointed for an adult (edunvalvonta), with the restriction of legal
    /// capacity the court ordered.
    GuardianAppointed {
        hetu: Hetu,
        guardian: Hetu,
        restriction: Restriction,
        date: Date,
    },
    /// The guardianship in force ends the day before `date`.
    GuardianshipEnded {
        hetu: Hetu,
        date: Date,
    },
    /// A new building, completed on `date`.
    BuildingCompleted {
        building: NewBuilding,
        date: Date,
    },
    /// A building altered: its figures from `date` on.
    BuildingAltered {
        building: BuildingId,
        figures: BuildingFigures,
        date: Date,
    },
    /// A building demolished or destroyed (its record stays, with the removal); no one may
    /// still live in it.
    BuildingDemolished {
        building: BuildingId,
        reason: DemolitionReason,
        date: Date,
    },
    DwellingAdded {
        dwelling: NewDwelling,
        date: Date,
    },
    /// A new unit parcelled out of `unit` (lohkominen): `area_m2` of its land and the
    /// buildings standing on it go to the new unit, which has the same owners.
    PropertyDivided {
        unit: PropertyId,
        new: PropertyId,
        name: String,
        area_m2: u64,
        buildings: Vec<BuildingId>,
        date: Date,
    },
    /// `from` merged into `into` (units of one municipality and the same owners): its land
    /// and buildings become `into`'s, and its id leads to `into` from then on.
    PropertyMerged {
        into: PropertyId,
        from: PropertyId,
        date: Date,
    },
    /// New owners of a unit (a sale, an inheritance): the buildings the old owners owned
    /// with the land change owner with it.
    OwnerChanged {
        property: PropertyId,
        owners: Vec<NewOwner>,
        date: Date,
    },
}

impl RegisterChange {
    /// The kind, as counted in reports and named in the log: `birth`, `death`, …
    pub fn kind(&self) -> &'static str {
        match self {
            RegisterChange::Birth { .. } => "birth",
            RegisterChange::Death { .. } => "death",
            RegisterChange::Move { .. } => "move",
            RegisterChange::NameChange { .. } => "name",
            RegisterChange::Marriage { .. } => "marriage",
            RegisterChange::Divorce { .. } => "divorce",
            RegisterChange::ProtectionOrderSet { .. } => "protection-set",
            RegisterChange::ProtectionOrderLifted { .. } => "protection-lifted",
            RegisterChange::HetuChanged { .. } => "hetu",
            RegisterChange::CustodyChanged { .. } => "custody",
            RegisterChange::GuardianAppointed { .. } => "guardian-appointed",
            RegisterChange::GuardianshipEnded { .. } => "guardianship-ended",
            RegisterChange::BuildingCompleted { .. } => "building-completed",
            RegisterChange::BuildingAltered { .. } => "building-altered",
            RegisterChange::BuildingDemolished { .. } => "building-demolished",
            RegisterChange::DwellingAdded { .. } => "dwelling-added",
            RegisterChange::PropertyDivided { .. } => "property-divided",
            RegisterChange::PropertyMerged { .. } => "property-merged",
            RegisterChange::OwnerChanged { .. } => "owner",
        }
    }

    /// The day it takes effect (a birth: the birth date the code carries).
    pub fn effective(&self) -> Date {
        match self {
            RegisterChange::Birth { hetu, .. } => hetu.birth_date(),
            RegisterChange::Death { date, .. }
            | RegisterChange::Move { date, .. }
            | RegisterChange::NameChange { date, .. }
            | RegisterChange::Marriage { date, .. }
            | RegisterChange::Divorce { date, .. }
            | RegisterChange::ProtectionOrderLifted { date, .. }
            | RegisterChange::HetuChanged { date, .. }
            | RegisterChange::CustodyChanged { date, .. }
            | RegisterChange::GuardianAppointed { date, .. }
            | RegisterChange::GuardianshipEnded { date, .. }
            | RegisterChange::BuildingCompleted { date, .. }
            | RegisterChange::BuildingAltered { date, .. }
            | RegisterChange::BuildingDemolished { date, .. }
            | RegisterChange::DwellingAdded { date, .. }
            | RegisterChange::PropertyDivided { date, .. }
            | RegisterChange::PropertyMerged { date, .. }
            | RegisterChange::OwnerChanged { date, .. } => *date,
            RegisterChange::ProtectionOrderSet { since, .. } => *since,
        }
    }
}

/// Why a change was set aside rather than applied. Operators read these (the dead-letter list
/// of `server changes`); no register data is in them beyond the change itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeRefusal {
    /// No person has this identity code (active or passive).
    UnknownPerson,
    /// The building or the dwelling moved to is not in the register, or is demolished.
    UnknownHome,
    /// The person has died.
    Deceased,
    /// The day is after the change was recorded, or before the person was born.
    ImpossibleDate,
    /// The new person's or the new code (or the new building, dwelling or unit) is already in
    /// the register.
    Duplicate,
    /// A marriage of someone married, under 18, or of a person to themselves.
    CannotMarry,
    /// A divorce of two persons not married to each other.
    NotMarried,
    /// A protection order lifted that is not in force, or one set that already is.
    NoSuchOrder,
    /// A name that is not a name (empty, too long, digits or control characters), or a name
    /// change that changes nothing.
    BadName,
    /// The building, dwelling or real-estate unit is not in the register, or the building is
    /// demolished.
    UnknownPlace,
    /// People still live in the building.
    Inhabited,
    /// The record breaks the register's rules: a building's addresses or figures, a dwelling's
    /// address, a unit's area or municipality, owners' shares not adding up to one, or a
    /// change that changes nothing.
    BadRecord,
    /// Custody of someone of age, or custodians who are the child, minors, or named twice (or
    /// none, or more than two).
    CannotHaveCustody,
    /// A guardianship ended that is not in force, or one appointed while one is (or for a
    /// minor, or the guardian is the person or a minor).
    NoGuardianship,
}

impl ChangeRefusal {
    /// The reason in words, for the operator.
    pub fn reason(self) -> &'static str {
        match self {
            ChangeRefusal::UnknownPerson => "no person has this identity code",
            ChangeRefusal::UnknownHome => {
                "the building or dwelling is not in the register, or is demolished"
            }
            ChangeRefusal::Deceased => "the person has died",
            ChangeRefusal::ImpossibleDate => {
                "the day is after the change was recorded or before the person was born"
            }
            ChangeRefusal::Duplicate => {
                "the identity code, building, dwelling or unit is already in the register"
            }
            ChangeRefusal::CannotMarry => {
                "one of them is married, under 18, or they are the same person"
            }
            ChangeRefusal::NotMarried => "they are not married to each other",
            ChangeRefusal::NoSuchOrder => {
                "no protection order in force to lift, or one is already in force"
            }
            ChangeRefusal::BadName => "the name is not a name, or changes nothing",
            ChangeRefusal::UnknownPlace => {
                "the building, dwelling or real-estate unit is not in the register, or the building is demolished"
            }
            ChangeRefusal::Inhabited => "people still live in the building",
            ChangeRefusal::BadRecord => {
                "the record breaks the register's rules (addresses, figures, area, municipality, owners' shares) or changes nothing"
            }
            ChangeRefusal::CannotHaveCustody => {
                "the child is of age, or a custodian is the child, a minor, named twice, or there are none or more than two"
            }
            ChangeRefusal::NoGuardianship => {
                "no guardianship in force to end, one already is, the person is a minor, or the guardian cannot be one"
            }
        }
    }
}

/// A change set aside, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    pub event: ChangeEvent,
    pub refusal: ChangeRefusal,
}

/// A change set aside, as the operator who fed it is told: which, of what kind, and why;
/// never the change's data (identity codes, names, addresses).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAside {
    pub seq: u64,
    pub kind: String,
    pub refusal: ChangeRefusal,
}

impl From<&DeadLetter> for SetAside {
    fn from(d: &DeadLetter) -> SetAside {
        SetAside {
            seq: d.event.seq,
            kind: d.event.change.kind().to_owned(),
            refusal: d.refusal,
        }
    }
}

/// What one batch of changes came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedReport {
    pub applied: u32,
    /// Set aside on the dead-letter list.
    pub dead: u32,
    /// Already applied before (a replay): nothing done.
    pub skipped: u32,
    /// The last change now applied or set aside (the stream's position).
    pub position: u64,
}

/// A name as the register holds it: trimmed, 1–100 characters, letters, spaces, hyphens and
/// apostrophes only.
pub fn register_name(input: &str) -> Result<String, ChangeRefusal> {
    let name = input.trim();
    let count = name.chars().count();
    let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'');
    if count == 0 || count > 100 || !name.chars().all(allowed) {
        return Err(ChangeRefusal::BadName);
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_letters_and_the_few_marks_names_have() {
        assert_eq!(
            register_name("  Virtanen-Koski "),
            Ok("Virtanen-Koski".into())
        );
        assert_eq!(register_name("O'Neill"), Ok("O'Neill".into()));
        assert_eq!(register_name("Åström"), Ok("Åström".into()));
        for bad in ["", "   ", "R2D2", "a\u{7}b", &"x".repeat(101)] {
            assert_eq!(register_name(bad), Err(ChangeRefusal::BadName), "{bad:?}");
        }
        assert!(register_name(&"x".repeat(100)).is_ok());
    }

    /// The examples operators copy from docs/changes.md are changes this version reads.
    #[test]
    fn the_documented_examples_read_as_changes() -> Result<(), String> {
        let doc = include_str!("../../docs/changes.md");
        let block = doc
            .split("```json")
            .nth(1)
            .and_then(|b| b.split("```").next())
            .unwrap_or_default();
        let mut kinds = Vec::new();
        for line in block.lines().filter(|l| !l.trim().is_empty()) {
            let change: RegisterChange =
                serde_json::from_str(line).map_err(|e| format!("{line}: {e}"))?;
            kinds.push(change.kind());
        }
        assert_eq!(
            kinds,
            [
                "custody",
                "guardian-appointed",
                "guardianship-ended",
                "building-completed",
                "dwelling-added",
                "building-altered",
                "building-demolished",
                "property-divided",
                "property-merged",
                "owner"
            ]
        );
        Ok(())
    }

    #[test]
    fn every_refusal_has_its_words() {
        let all = [
            ChangeRefusal::UnknownPerson,
            ChangeRefusal::UnknownHome,
            ChangeRefusal::Deceased,
            ChangeRefusal::ImpossibleDate,
            ChangeRefusal::Duplicate,
            ChangeRefusal::CannotMarry,
            ChangeRefusal::NotMarried,
            ChangeRefusal::NoSuchOrder,
            ChangeRefusal::BadName,
            ChangeRefusal::UnknownPlace,
            ChangeRefusal::Inhabited,
            ChangeRefusal::BadRecord,
            ChangeRefusal::CannotHaveCustody,
            ChangeRefusal::NoGuardianship,
        ];
        let words: std::collections::BTreeSet<&str> = all.iter().map(|r| r.reason()).collect();
        assert_eq!(words.len(), all.len());
    }
}
