//! The real-estate unit id (kiinteistötunnus) municipality–area–group–unit, optionally with a
//! parcel (määräala) number. Invariants of a [`PropertyId`]: the municipality is a real current
//! or former municipality (not 198/199/200), area 0–999, group and unit 0–9999, parcel 1–9999.
//! The id has no check digit.
//!
//! Written forms accepted (case-insensitive, surrounding spaces ignored):
//! - long `091-401-0001-0002`, short `91-401-1-2` (leading zeros dropped per part, any mix),
//!   database `09140100010002` (14 digits);
//! - parcels: any of those followed by `M` and 1–4 digits, with or without a hyphen before the
//!   `M` (`91-401-1-2-M601`, `91-401-1-2M601`, `09140100010002M601`), and the 18-digit database
//!   form `091401000100020601`.
//!
//! Canonical forms written: `Display` is the long form, parcels as `091-401-0001-0002-M0601`
//! (every part zero-padded, 23 characters, as in the register's `KKK-SSS-RRRR-YYYY-Xnnnn`);
//! [`PropertyId::database_form`] gives `09140100010002` / `09140100010002M0601` and
//! [`PropertyId::short_form`] `91-401-1-2` / `91-401-1-2-M601`.

mod texts;
use texts as t;

use super::{IdError, IdKind, IdPart, MunicipalityCode, digits, trimmed};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid real-estate unit id or parcel id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PropertyId {
    municipality: MunicipalityCode,
    area: u16,
    group: u16,
    unit: u16,
    parcel: Option<u16>,
}

/// The kind of public area a plan's group number 9901–9909 stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PublicArea {
    Street,
    MarketSquare,
    Park,
    SportsArea,
    HolidayArea,
    TrafficArea,
    DangerArea,
    SpecialArea,
    WaterArea,
}

impl PublicArea {
    pub const ALL: [PublicArea; 9] = [
        PublicArea::Street,
        PublicArea::MarketSquare,
        PublicArea::Park,
        PublicArea::SportsArea,
        PublicArea::HolidayArea,
        PublicArea::TrafficArea,
        PublicArea::DangerArea,
        PublicArea::SpecialArea,
        PublicArea::WaterArea,
    ];

    pub fn from_group(group: u16) -> Option<PublicArea> {
        let index = usize::from(group.checked_sub(9901)?);
        PublicArea::ALL.get(index).copied()
    }

    /// The group number, 9901–9909.
    pub fn group(self) -> u16 {
        9901 + self as u16
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            PublicArea::Street => t::PUBLIC_AREA_STREET,
            PublicArea::MarketSquare => t::PUBLIC_AREA_MARKET_SQUARE,
            PublicArea::Park => t::PUBLIC_AREA_PARK,
            PublicArea::SportsArea => t::PUBLIC_AREA_SPORTS_AREA,
            PublicArea::HolidayArea => t::PUBLIC_AREA_HOLIDAY_AREA,
            PublicArea::TrafficArea => t::PUBLIC_AREA_TRAFFIC_AREA,
            PublicArea::DangerArea => t::PUBLIC_AREA_DANGER_AREA,
            PublicArea::SpecialArea => t::PUBLIC_AREA_SPECIAL_AREA,
            PublicArea::WaterArea => t::PUBLIC_AREA_WATER_AREA,
        }
        .get(lang)
    }
}

impl PropertyId {
    /// A unit id from its parts; `None` if a number is too large.
    pub fn new(
        municipality: MunicipalityCode,
        area: u16,
        group: u16,
        unit: u16,
    ) -> Option<PropertyId> {
        (!municipality.is_artificial() && area <= 999 && group <= 9999 && unit <= 9999).then_some(
            PropertyId {
                municipality,
                area,
                group,
                unit,
                parcel: None,
            },
        )
    }

    /// The parcel `number` (1–9999) of this unit.
    pub fn with_parcel(self, number: u16) -> Option<PropertyId> {
        (1..=9999).contains(&number).then_some(PropertyId {
            parcel: Some(number),
            ..self
        })
    }

    /// The unit itself, for a parcel the unit it is a part of.
    pub fn without_parcel(self) -> PropertyId {
        PropertyId {
            parcel: None,
            ..self
        }
    }

    pub fn municipality(self) -> MunicipalityCode {
        self.municipality
    }
    /// Village or city district.
    pub fn area(self) -> u16 {
        self.area
    }
    /// House or city block.
    pub fn group(self) -> u16 {
        self.group
    }
    /// Holding or plot.
    pub fn unit(self) -> u16 {
        self.unit
    }
    pub fn parcel(self) -> Option<u16> {
        self.parcel
    }
    pub fn is_parcel(self) -> bool {
        self.parcel.is_some()
    }

    /// For a public area in a plan (group 9901–9909), which kind.
    pub fn public_area(self) -> Option<PublicArea> {
        PublicArea::from_group(self.group)
    }

    /// 14 digits, parcels followed by `M` and four digits: `09140100010002M0601`.
    pub fn database_form(self) -> String {
        let mut s = format!(
            "{:03}{:03}{:04}{:04}",
            self.municipality.code(),
            self.area,
            self.group,
            self.unit
        );
        if let Some(parcel) = self.parcel {
            s.push_str(&format!("M{parcel:04}"));
        }
        s
    }

    /// Leading zeros dropped per part: `91-401-1-2`, `91-401-1-2-M601`.
    pub fn short_form(self) -> String {
        let mut s = format!(
            "{}-{}-{}-{}",
            self.municipality.code(),
            self.area,
            self.group,
            self.unit
        );
        if let Some(parcel) = self.parcel {
            s.push_str(&format!("-M{parcel}"));
        }
        s
    }
}

/// Parses the unit part (no parcel) of a property id or old building id: four hyphenated
/// parts of at most 3, 3, 4 and 4 digits, or 14 digits. Errors name `kind`.
pub(super) fn parse_unit(s: &str, kind: IdKind) -> Result<PropertyId, IdError> {
    const PARTS: [(IdPart, usize); 4] = [
        (IdPart::Municipality, 3),
        (IdPart::Area, 3),
        (IdPart::Group, 4),
        (IdPart::Unit, 4),
    ];
    let mut numbers = [0u32; 4];
    if s.contains('-') {
        let texts: Vec<&str> = s.split('-').collect();
        if texts.len() != 4 {
            return Err(IdError::Format { kind });
        }
        for ((text, (part, max)), number) in texts.iter().zip(PARTS).zip(&mut numbers) {
            *number = digits(text, max).ok_or(IdError::Part { kind, part })?;
        }
    } else {
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Format { kind });
        }
        if s.len() != 14 {
            return Err(IdError::Length {
                kind,
                expected: 14,
                found: s.len(),
            });
        }
        let mut start = 0;
        for ((_, len), number) in PARTS.iter().zip(&mut numbers) {
            *number = digits(&s[start..start + len], *len).unwrap_or_default();
            start += len;
        }
    }
    let [municipality, area, group, unit] = numbers.map(|n| n as u16);
    let municipality = MunicipalityCode::new(municipality)?;
    PropertyId::new(municipality, area, group, unit).ok_or(IdError::Part {
        kind,
        part: IdPart::Municipality,
    })
}

impl FromStr for PropertyId {
    type Err = IdError;
    fn from_str(input: &str) -> Result<PropertyId, IdError> {
        let kind = IdKind::PropertyId;
        let s = trimmed(input, kind)?.to_uppercase();
        let parcel_error = IdError::Part {
            kind,
            part: IdPart::Parcel,
        };
        let (unit, parcel) = match s.split_once('M') {
            Some((unit, number)) => {
                let number = digits(number, 4).ok_or(parcel_error.clone())?;
                (unit.strip_suffix('-').unwrap_or(unit), Some(number))
            }
            // The 18-digit database form of a parcel: 14 digits and the number in four.
            None if s.len() == 18 && s.bytes().all(|b| b.is_ascii_digit()) => {
                (&s[..14], digits(&s[14..], 4))
            }
            None => (s.as_str(), None),
        };
        let id = parse_unit(unit, kind)?;
        match parcel {
            None => Ok(id),
            Some(number) => id.with_parcel(number as u16).ok_or(parcel_error),
        }
    }
}

impl fmt::Display for PropertyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:03}-{:04}-{:04}",
            self.municipality, self.area, self.group, self.unit
        )?;
        match self.parcel {
            Some(parcel) => write!(f, "-M{parcel:04}"),
            None => Ok(()),
        }
    }
}

string_serde!(PropertyId);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::testing::{assert_accepts, assert_refuses, assert_serde};
    use proptest::prelude::*;

    const KIND: IdKind = IdKind::PropertyId;

    fn part(part: IdPart) -> IdError {
        IdError::Part { kind: KIND, part }
    }

    #[test]
    fn vectors() {
        assert_accepts::<PropertyId>(&[
            ("091-401-0001-0002", "091-401-0001-0002"),
            ("91-401-1-2", "091-401-0001-0002"),
            ("09140100010002", "091-401-0001-0002"),
            ("  091-401-1-0002 ", "091-401-0001-0002"),
            // NLS's own example.
            ("927-445-15-0", "927-445-0015-0000"),
            ("92744500150000", "927-445-0015-0000"),
            // Public areas.
            ("91-1-9901-0", "091-001-9901-0000"),
            ("091-001-9909-0001", "091-001-9909-0001"),
            // Former municipality (Houtskari).
            ("101-401-1-2", "101-401-0001-0002"),
            // Parcels.
            ("91-401-1-2-M601", "091-401-0001-0002-M0601"),
            ("91-401-1-2M601", "091-401-0001-0002-M0601"),
            ("91-401-1-2-m601", "091-401-0001-0002-M0601"),
            ("09140100010002M601", "091-401-0001-0002-M0601"),
            ("09140100010002M0601", "091-401-0001-0002-M0601"),
            ("091401000100020601", "091-401-0001-0002-M0601"),
            ("091-401-0001-0002-M0601", "091-401-0001-0002-M0601"),
            ("91-401-1-2-M1", "091-401-0001-0002-M0001"),
            ("91-401-1-2-M9999", "091-401-0001-0002-M9999"),
        ]);
        assert_refuses::<PropertyId>(&[
            ("", IdError::Empty { kind: KIND }),
            ("91-401-1", IdError::Format { kind: KIND }),
            ("91-401-1-2-3", IdError::Format { kind: KIND }),
            ("91 401 1 2", IdError::Format { kind: KIND }),
            ("0914010001000X", IdError::Format { kind: KIND }),
            (
                "0914010001000",
                IdError::Length {
                    kind: KIND,
                    expected: 14,
                    found: 13,
                },
            ),
            (
                "091401000100020",
                IdError::Length {
                    kind: KIND,
                    expected: 14,
                    found: 15,
                },
            ),
            ("0091-401-1-2", part(IdPart::Municipality)),
            ("-401-1-2", part(IdPart::Municipality)),
            ("91-4011-1-2", part(IdPart::Area)),
            ("91-401-12345-2", part(IdPart::Group)),
            ("91-401-1-", part(IdPart::Unit)),
            ("91-401-1-x", part(IdPart::Unit)),
            ("999-401-1-2", IdError::UnknownMunicipality { code: 999 }),
            ("0-401-1-2", IdError::UnknownMunicipality { code: 0 }),
            ("200-401-1-2", part(IdPart::Municipality)),
            ("91-401-1-2-M", part(IdPart::Parcel)),
            ("91-401-1-2-M0", part(IdPart::Parcel)),
            ("91-401-1-2-M12345", part(IdPart::Parcel)),
            ("91-401-1-2-MX1", part(IdPart::Parcel)),
            ("091401000100020000", part(IdPart::Parcel)),
        ]);
    }

    #[test]
    fn written_forms() -> Result<(), IdError> {
        let id: PropertyId = "927-445-15-0".parse()?;
        assert_eq!(id.database_form(), "92744500150000");
        assert_eq!(id.short_form(), "927-445-15-0");
        assert_eq!(id.to_string(), "927-445-0015-0000");
        assert_eq!(id.to_string().len(), 17);
        let parcel: PropertyId = "91-401-1-2-M601".parse()?;
        assert_eq!(parcel.database_form(), "09140100010002M0601");
        assert_eq!(parcel.short_form(), "91-401-1-2-M601");
        assert_eq!(parcel.to_string().len(), 23);
        assert_eq!(parcel.parcel(), Some(601));
        assert_eq!(parcel.without_parcel(), "091-401-0001-0002".parse()?);
        assert_eq!(parcel.municipality().code(), 91);
        assert_eq!((parcel.area(), parcel.group(), parcel.unit()), (401, 1, 2));
        Ok(())
    }

    #[test]
    fn public_areas() -> Result<(), IdError> {
        for area in PublicArea::ALL {
            assert_eq!(PublicArea::from_group(area.group()), Some(area));
            let names = Lang::ALL.map(|lang| area.name(lang));
            assert!(names[0] != names[1] && names[1] != names[2]);
        }
        assert_eq!(PublicArea::from_group(9900), None);
        assert_eq!(PublicArea::from_group(9910), None);
        let street: PropertyId = "91-1-9901-1".parse()?;
        assert_eq!(street.public_area(), Some(PublicArea::Street));
        assert_eq!(
            "91-1-9909-1".parse::<PropertyId>()?.public_area(),
            Some(PublicArea::WaterArea)
        );
        assert_eq!("91-1-1-1".parse::<PropertyId>()?.public_area(), None);
        Ok(())
    }

    #[test]
    fn serde_refuses_invalid_ids() {
        assert_serde::<PropertyId>("091-401-0001-0002", "999-401-0001-0002");
        assert_serde::<PropertyId>("091-401-0001-0002-M0601", "091-401-0001-0002-M0");
    }

    fn any_property_id() -> impl Strategy<Value = PropertyId> {
        let current: Vec<MunicipalityCode> = MunicipalityCode::all_current().collect();
        (
            proptest::sample::select(current),
            0u16..=999,
            0u16..=9999,
            0u16..=9999,
            proptest::option::of(1u16..=9999),
        )
            .prop_filter_map("valid parts", |(m, area, group, unit, parcel)| {
                let id = PropertyId::new(m, area, group, unit)?;
                match parcel {
                    Some(n) => id.with_parcel(n),
                    None => Some(id),
                }
            })
    }

    proptest! {
        #[test]
        fn every_written_form_means_the_same_id(id in any_property_id()) {
            prop_assert_eq!(id.to_string().parse::<PropertyId>(), Ok(id));
            prop_assert_eq!(id.short_form().parse::<PropertyId>(), Ok(id));
            prop_assert_eq!(id.database_form().parse::<PropertyId>(), Ok(id));
            prop_assert_eq!(id.to_string().to_lowercase().parse::<PropertyId>(), Ok(id));
            if let Some(n) = id.parcel() {
                let compact = format!("{}M{n}", id.without_parcel().short_form());
                prop_assert_eq!(compact.parse::<PropertyId>(), Ok(id));
                let eighteen = format!("{}{n:04}", id.without_parcel().database_form());
                prop_assert_eq!(eighteen.parse::<PropertyId>(), Ok(id));
            }
        }

        #[test]
        fn arbitrary_input_never_panics(s in "[-0-9Mm ]{0,24}|\\PC{0,24}") {
            let _ = s.parse::<PropertyId>();
        }
    }
}
