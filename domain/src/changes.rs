//! Changes to the register as the population information system sends them: typed events
//! (a birth, a death, a move, a name change, a marriage, a divorce, a protection order set or
//! lifted, an identity code changed), numbered in the order they are to be applied. Each is
//! applied whole or not at all; one that cannot be (an unknown person, an impossible date, a
//! duplicate) is set aside with its [`ChangeRefusal`] on the dead-letter list, and the stream
//! goes on. The numbers make a replay harmless: what was applied is not applied again.

use crate::codes::Sex;
use crate::date::{Date, Timestamp};
use crate::hetu::Hetu;
use crate::ids::BuildingId;
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
            | RegisterChange::HetuChanged { date, .. } => *date,
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
    /// The new person's or the new code is already in the register.
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
            ChangeRefusal::Duplicate => "the identity code is already in the register",
            ChangeRefusal::CannotMarry => {
                "one of them is married, under 18, or they are the same person"
            }
            ChangeRefusal::NotMarried => "they are not married to each other",
            ChangeRefusal::NoSuchOrder => {
                "no protection order in force to lift, or one is already in force"
            }
            ChangeRefusal::BadName => "the name is not a name, or changes nothing",
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
        ];
        let words: std::collections::BTreeSet<&str> = all.iter().map(|r| r.reason()).collect();
        assert_eq!(words.len(), all.len());
    }
}
