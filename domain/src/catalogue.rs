//! The screen catalogue as data. One row per screen: its slug, subject kind, data group,
//! layout and columns. Adding a screen = one `ScreenId` variant, one row in [`SCREENS`], one query
//! arm in the engine (an exhaustive `match`, so forgetting it does not compile) and one test.

use crate::access::DataGroup;
use crate::lang::Text;
use crate::screen::SubjectKind;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScreenId {
    PersonBasic,
    PersonAddresses,
    BuildingBasic,
    BuildingResidents,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One record: label–value pairs.
    Card,
    /// Many records: a table with a header row.
    Table,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    Text,
    Date,
    Code,
    Number,
    Flag,
    Link,
}

/// How sensitive a column is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitivity {
    Normal,
    /// Location data covered by a protection order: addresses, home municipality, residence.
    Location,
}

/// What to do with a row about a person under a protection order for a viewer without the
/// right to protected data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtectedRows {
    /// Keep the row and withhold its location columns (the subject's own screens).
    WithholdLocation,
    /// Leave the row out (lists of other people, e.g. residents).
    Omit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    pub key: &'static str,
    pub label: Text,
    pub kind: CellKind,
    pub sensitivity: Sensitivity,
}

const fn col(key: &'static str, label: Text, kind: CellKind) -> ColumnSpec {
    ColumnSpec {
        key,
        label,
        kind,
        sensitivity: Sensitivity::Normal,
    }
}

const fn loc(key: &'static str, label: Text, kind: CellKind) -> ColumnSpec {
    ColumnSpec {
        key,
        label,
        kind,
        sensitivity: Sensitivity::Location,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScreenSpec {
    pub id: ScreenId,
    /// Stable id, `subject.screen`.
    pub slug: &'static str,
    pub subject: SubjectKind,
    pub group: DataGroup,
    pub layout: Layout,
    pub title: Text,
    pub columns: &'static [ColumnSpec],
    pub protected_rows: ProtectedRows,
}

impl ScreenSpec {
    /// The part of the slug after the subject kind, used in URLs.
    pub fn short_slug(&self) -> &'static str {
        self.slug.split_once('.').map_or(self.slug, |(_, s)| s)
    }
}

use CellKind as K;

pub const SCREENS: &[ScreenSpec] = &[
    ScreenSpec {
        id: ScreenId::PersonBasic,
        slug: "person.basic",
        subject: SubjectKind::Person,
        group: DataGroup::PersonBasic,
        layout: Layout::Card,
        title: Text::new(
            "Henkilön perustiedot",
            "Personens grunduppgifter",
            "Basic person data",
        ),
        columns: &[
            col(
                "hetu",
                Text::new("Henkilötunnus", "Personbeteckning", "Identity code"),
                K::Text,
            ),
            col(
                "surname",
                Text::new("Sukunimi", "Efternamn", "Surname"),
                K::Text,
            ),
            col(
                "first_names",
                Text::new("Etunimet", "Förnamn", "First names"),
                K::Text,
            ),
            col("sex", Text::new("Sukupuoli", "Kön", "Sex"), K::Code),
            col(
                "birth_date",
                Text::new("Syntymäaika", "Födelsedatum", "Date of birth"),
                K::Date,
            ),
            col(
                "death_date",
                Text::new("Kuolinpäivä", "Dödsdag", "Date of death"),
                K::Date,
            ),
            col(
                "mother_tongue",
                Text::new("Äidinkieli", "Modersmål", "Mother tongue"),
                K::Code,
            ),
            col(
                "citizenship",
                Text::new("Kansalaisuus", "Medborgarskap", "Citizenship"),
                K::Code,
            ),
            loc(
                "home_municipality",
                Text::new("Kotikunta", "Hemkommun", "Home municipality"),
                K::Code,
            ),
            col(
                "protection_order",
                Text::new("Turvakielto", "Spärrmarkering", "Protection order"),
                K::Flag,
            ),
        ],
        protected_rows: ProtectedRows::WithholdLocation,
    },
    ScreenSpec {
        id: ScreenId::PersonAddresses,
        slug: "person.addresses",
        subject: SubjectKind::Person,
        group: DataGroup::PersonAddress,
        layout: Layout::Card,
        title: Text::new("Osoitetiedot", "Adressuppgifter", "Addresses"),
        columns: &[
            loc(
                "street",
                Text::new(
                    "Vakinainen osoite",
                    "Stadigvarande adress",
                    "Permanent address",
                ),
                K::Text,
            ),
            loc(
                "postal_code",
                Text::new("Postinumero", "Postnummer", "Postal code"),
                K::Text,
            ),
            loc(
                "post_office",
                Text::new("Postitoimipaikka", "Postanstalt", "Post office"),
                K::Text,
            ),
            loc(
                "since",
                Text::new("Asunut alkaen", "Bott sedan", "Living there since"),
                K::Date,
            ),
            loc(
                "building",
                Text::new("Rakennus", "Byggnad", "Building"),
                K::Link,
            ),
            loc(
                "home_municipality",
                Text::new("Kotikunta", "Hemkommun", "Home municipality"),
                K::Code,
            ),
        ],
        protected_rows: ProtectedRows::WithholdLocation,
    },
    ScreenSpec {
        id: ScreenId::BuildingBasic,
        slug: "building.basic",
        subject: SubjectKind::Building,
        group: DataGroup::Building,
        layout: Layout::Card,
        title: Text::new(
            "Rakennuksen perustiedot",
            "Byggnadens grunduppgifter",
            "Basic building data",
        ),
        columns: &[
            col(
                "prt",
                Text::new(
                    "Pysyvä rakennustunnus",
                    "Permanent byggnadsbeteckning",
                    "Permanent building id",
                ),
                K::Text,
            ),
            col("address", Text::new("Osoite", "Adress", "Address"), K::Text),
            col(
                "postal_code",
                Text::new("Postinumero", "Postnummer", "Postal code"),
                K::Text,
            ),
            col(
                "municipality",
                Text::new("Kunta", "Kommun", "Municipality"),
                K::Code,
            ),
            col(
                "use_class",
                Text::new("Käyttötarkoitus", "Användningsändamål", "Use"),
                K::Code,
            ),
            col(
                "completed",
                Text::new("Valmistumispäivä", "Färdigställd", "Completed"),
                K::Date,
            ),
            col(
                "floors",
                Text::new("Kerroksia", "Våningar", "Floors"),
                K::Number,
            ),
            col(
                "dwellings",
                Text::new("Asuntoja", "Bostäder", "Dwellings"),
                K::Number,
            ),
        ],
        protected_rows: ProtectedRows::WithholdLocation,
    },
    ScreenSpec {
        id: ScreenId::BuildingResidents,
        slug: "building.residents",
        subject: SubjectKind::Building,
        group: DataGroup::Residents,
        layout: Layout::Table,
        title: Text::new("Asukkaat", "Invånare", "Residents"),
        columns: &[
            col("name", Text::new("Nimi", "Namn", "Name"), K::Link),
            col(
                "birth_date",
                Text::new("Syntymäaika", "Födelsedatum", "Date of birth"),
                K::Date,
            ),
            col("flat", Text::new("Huoneisto", "Lägenhet", "Flat"), K::Text),
            col(
                "since",
                Text::new("Asunut alkaen", "Bott sedan", "Living there since"),
                K::Date,
            ),
        ],
        protected_rows: ProtectedRows::Omit,
    },
];

impl ScreenId {
    pub const ALL: [ScreenId; 4] = [
        ScreenId::PersonBasic,
        ScreenId::PersonAddresses,
        ScreenId::BuildingBasic,
        ScreenId::BuildingResidents,
    ];

    /// The catalogue row. Every variant has exactly one (checked by a test).
    pub fn spec(self) -> &'static ScreenSpec {
        SCREENS.iter().find(|s| s.id == self).unwrap_or(&SCREENS[0])
    }

    pub fn from_slug(slug: &str) -> Option<ScreenId> {
        SCREENS.iter().find(|s| s.slug == slug).map(|s| s.id)
    }

    /// The screens of one subject kind, in catalogue order (the tabs of a subject page).
    pub fn for_subject(kind: SubjectKind) -> impl Iterator<Item = ScreenId> {
        SCREENS
            .iter()
            .filter(move |s| s.subject == kind)
            .map(|s| s.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_screen_has_exactly_one_row_with_a_unique_slug() {
        for id in ScreenId::ALL {
            assert_eq!(SCREENS.iter().filter(|s| s.id == id).count(), 1, "{id:?}");
            assert_eq!(id.spec().id, id);
            assert_eq!(ScreenId::from_slug(id.spec().slug), Some(id));
        }
        assert_eq!(SCREENS.len(), ScreenId::ALL.len());
        let slugs: HashSet<_> = SCREENS.iter().map(|s| s.slug).collect();
        assert_eq!(slugs.len(), SCREENS.len());
    }

    #[test]
    fn slugs_name_their_subject_and_columns_are_unique() {
        for s in SCREENS {
            assert!(
                s.slug.starts_with(&format!("{}.", s.subject.slug())),
                "{}",
                s.slug
            );
            let keys: HashSet<_> = s.columns.iter().map(|c| c.key).collect();
            assert_eq!(keys.len(), s.columns.len(), "{}", s.slug);
            for c in s.columns {
                assert!(!c.label.fi.is_empty() && !c.label.sv.is_empty() && !c.label.en.is_empty());
            }
        }
    }
}
