//! The screen catalogue as data. A data group ([`DataGroup`], [`GroupSpec`]) is what one read
//! function of the engine fills: every column it sets, one row or many, and what a protection
//! order does to rows about other people. A screen ([`ScreenId`], [`ScreenSpec`]) is a product
//! a permit can grant: a stable slug, titles in three languages, a layout and a subset of its
//! group's columns; narrow, normal and wide variants of a group are column subsets.
//!
//! Adding a screen = one row in `catalogue/screens.rs` (the macro makes the `ScreenId` variant
//! and its exhaustive `spec()` arm). Adding a data group = one variant in the list below, one
//! arm in `catalogue/groups.rs` and one read arm in the engine; all three `match`es are
//! exhaustive, so a forgotten one does not compile.

pub mod columns;
mod groups;
mod screens;

use crate::lang::Text;
use crate::subject::SubjectKind;
use serde::{Deserialize, Serialize};

/// Declares the data groups: the enum, `ALL` and the exhaustive `spec()`.
macro_rules! data_groups {
    ($($(#[$meta:meta])* $name:ident,)+) => {
        /// A set of register data one read function fills; screens show subsets of it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum DataGroup { $($(#[$meta])* $name),+ }

        impl DataGroup {
            pub const ALL: &'static [DataGroup] = &[$(DataGroup::$name),+];

            /// The group's catalogue entry.
            pub fn spec(self) -> &'static GroupSpec {
                match self {
                    $(DataGroup::$name => {
                        const SPEC: GroupSpec = groups::spec(DataGroup::$name);
                        &SPEC
                    })+
                }
            }
        }
    };
}

data_groups! {
    PersonBasic,
    HetuHistory,
    Names,
    NameHistory,
    CurrentAddresses,
    AddressHistory,
    HomeMunicipalityHistory,
    Residence,
    Spouse,
    Marriages,
    Children,
    Parents,
    Custodians,
    Dependants,
    Care,
    Guardianship,
    Guardians,
    PowerOfAttorney,
    Attorneys,
    Bans,
    Protection,
    Citizenships,
    OtherPersonData,
    Ownership,
    OwnershipSummary,
    BuildingBasic,
    BuildingAddresses,
    BuildingOwners,
    Dwellings,
    BuildingResidents,
    BuildingHistory,
    DwellingBasic,
    DwellingResidents,
    PropertyBasic,
    PropertyOwners,
    PropertyBuildings,
    PropertyParcels,
}

impl DataGroup {
    /// Groups whose screens need a two-step sign-in whatever the permit says: guardianship
    /// and continuing powers of attorney tell whose legal capacity is restricted and who acts
    /// for them, and a password alone is not enough to read that.
    pub fn needs_two_factor(self) -> bool {
        matches!(
            self,
            DataGroup::Guardianship
                | DataGroup::Guardians
                | DataGroup::PowerOfAttorney
                | DataGroup::Attorneys
        )
    }
}

/// How a screen draws its rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One record: label–value pairs.
    Card,
    /// Many records: a table with a header row.
    Table,
    /// A history: entries in time order, each with its period (`start`, `end`).
    Timeline,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    Text,
    /// A date, possibly known only to the month or year.
    Date,
    Code,
    Number,
    Flag,
    /// Another subject (a link when the viewer may open it), or a party that is not a subject
    /// (a company owner) as text.
    Link,
}

/// How sensitive a column is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitivity {
    Normal,
    /// Covered by a protection order: where the person lives or can be reached (addresses,
    /// home municipality, residence, voting district, e-mail, what they own and where).
    /// Withheld from viewers without the right to protected data.
    Protected,
    /// The contact address a person under a protection order gave (a PO box, a
    /// representative's office): it exists to be disclosed, to anyone (DOMAIN.md §2.2) —
    /// unless it gives away any part of where the person lives or has lived (street, number,
    /// postal code, post office, municipality), when it is that location and withheld as such.
    Contact,
    /// Who a person on an owner list is (their name and link): under
    /// [`ProtectedRows::AnonymisePersons`], not told to a viewer without the right to
    /// protected data.
    Identity,
}

impl Sensitivity {
    /// The sensitivity of a cell of this column in a row whose contact address does or does
    /// not give away part of the person's location.
    pub fn in_row(self, contact_locates: bool) -> Sensitivity {
        match self {
            Sensitivity::Contact if contact_locates => Sensitivity::Protected,
            Sensitivity::Contact => Sensitivity::Normal,
            other => other,
        }
    }
}

/// What a protection order does to a row about a protected person, for a viewer without the
/// right to protected data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtectedRows {
    /// Keep the row and withhold its protected columns (the subject's own data, relatives).
    WithholdProtected,
    /// Leave the row out, without a trace (residents: being on the list is itself where the
    /// person lives).
    Omit,
    /// Owners: for a viewer without the right to protected data, every natural person on the
    /// list is shown as a private person with their share (their [`Sensitivity::Identity`]
    /// cells as [`crate::screen::Cell::Private`]), protected or not. Leaving protected owners
    /// out would show (an empty list where every building and unit has an owner, shares that
    /// do not add up); shown alike, a protected owner cannot be told from any other.
    AnonymisePersons,
}

/// Whether a group yields one record or many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    One,
    Many,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    pub key: &'static str,
    pub label: Text,
    pub kind: CellKind,
    pub sensitivity: Sensitivity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupSpec {
    pub group: DataGroup,
    pub subject: SubjectKind,
    pub rows: Rows,
    pub protected_rows: ProtectedRows,
    pub title: Text,
    /// Every column the group's read sets, each key once.
    pub columns: &'static [ColumnSpec],
}

impl GroupSpec {
    pub fn column(&self, key: &str) -> Option<&'static ColumnSpec> {
        self.columns.iter().find(|c| c.key == key)
    }
}

/// Where a screen sits in a subject's menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    PersonIdentity,
    PersonResidence,
    PersonFamily,
    PersonGuardianship,
    PersonRestrictions,
    PersonOther,
    Building,
    BuildingDwellings,
    BuildingOwners,
    Dwelling,
    Property,
}

impl Section {
    pub fn title(self) -> Text {
        match self {
            Section::PersonIdentity => Text::new("Henkilö", "Person", "Person"),
            Section::PersonResidence => Text::new(
                "Osoitteet ja asuminen",
                "Adresser och boende",
                "Addresses and residence",
            ),
            Section::PersonFamily => Text::new("Perhesuhteet", "Familjeförhållanden", "Family"),
            Section::PersonGuardianship => {
                Text::new("Edunvalvonta", "Intressebevakning", "Guardianship")
            }
            Section::PersonRestrictions => Text::new(
                "Kiellot ja turvakielto",
                "Spärrar och spärrmarkering",
                "Bans and protection order",
            ),
            Section::PersonOther => Text::new("Muut tiedot", "Övriga uppgifter", "Other data"),
            Section::Building => Text::new("Rakennus", "Byggnad", "Building"),
            Section::BuildingDwellings => Text::new(
                "Huoneistot ja asukkaat",
                "Lägenheter och invånare",
                "Dwellings and residents",
            ),
            Section::BuildingOwners => Text::new("Omistajat", "Ägare", "Owners"),
            Section::Dwelling => Text::new("Huoneisto", "Lägenhet", "Dwelling"),
            Section::Property => Text::new("Kiinteistö", "Fastighet", "Real-estate unit"),
        }
    }
}

/// Which variant of its group a screen is, for organisations whose needs differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    Narrow,
    Normal,
    Wide,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScreenSpec {
    pub id: ScreenId,
    /// Stable id, `subject.screen`; never reused for other content.
    pub slug: &'static str,
    pub title: Text,
    pub group: DataGroup,
    pub layout: Layout,
    pub section: Section,
    pub variant: Variant,
    /// A subset of the group's columns, in the order shown.
    pub columns: &'static [ColumnSpec],
}

impl ScreenSpec {
    pub fn subject(&self) -> SubjectKind {
        self.group.spec().subject
    }

    /// The part of the slug after the subject kind, used in URLs.
    pub fn short_slug(&self) -> &'static str {
        self.slug.split_once('.').map_or(self.slug, |(_, s)| s)
    }
}

/// The part of a screen row the catalogue macro fills in besides the id.
pub(crate) struct ScreenRow {
    pub slug: &'static str,
    pub title: Text,
    pub group: DataGroup,
    pub layout: Layout,
    pub section: Section,
    pub variant: Variant,
    pub columns: &'static [ColumnSpec],
}

impl ScreenRow {
    pub(crate) const fn with_id(self, id: ScreenId) -> ScreenSpec {
        ScreenSpec {
            id,
            slug: self.slug,
            title: self.title,
            group: self.group,
            layout: self.layout,
            section: self.section,
            variant: self.variant,
            columns: self.columns,
        }
    }
}

pub use screens::ScreenId;

impl ScreenId {
    /// The screen needs a two-step sign-in (its data group does).
    pub fn needs_two_factor(self) -> bool {
        self.spec().group.needs_two_factor()
    }

    /// The screen named by `slug`. Every permit and right read on a request decodes its
    /// screens by slug, so this is a binary search over the slugs sorted once, not a walk
    /// through the catalogue.
    pub fn from_slug(slug: &str) -> Option<ScreenId> {
        static BY_SLUG: std::sync::LazyLock<Vec<(&'static str, ScreenId)>> =
            std::sync::LazyLock::new(|| {
                let mut by_slug: Vec<_> =
                    ScreenId::ALL.iter().map(|s| (s.spec().slug, *s)).collect();
                by_slug.sort_unstable_by_key(|(slug, _)| *slug);
                by_slug
            });
        BY_SLUG
            .binary_search_by(|(s, _)| (*s).cmp(slug))
            .ok()
            .and_then(|i| BY_SLUG.get(i))
            .map(|(_, screen)| *screen)
    }

    /// The screens of one subject kind, in catalogue order.
    pub fn for_subject(kind: SubjectKind) -> impl Iterator<Item = ScreenId> {
        ScreenId::ALL
            .iter()
            .copied()
            .filter(move |s| s.spec().subject() == kind)
    }

    /// The subject kind's first screen: where a link to a subject leads when allowed.
    pub fn is_default_for(self, kind: SubjectKind) -> bool {
        matches!(
            (kind, self),
            (SubjectKind::Person, ScreenId::PersonBasic)
                | (SubjectKind::Building, ScreenId::BuildingBasic)
                | (SubjectKind::Dwelling, ScreenId::DwellingBasic)
                | (SubjectKind::Property, ScreenId::PropertyBasic)
        )
    }
}

/// Screens travel as their slug: stable across versions, readable in logs and audit entries.
impl Serialize for ScreenId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.spec().slug)
    }
}

impl<'de> Deserialize<'de> for ScreenId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ScreenId, D::Error> {
        let slug = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ScreenId::from_slug(&slug)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown screen {slug}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_catalogue_has_at_least_eighty_screens_with_unique_slugs() {
        assert!(ScreenId::ALL.len() >= 80, "{}", ScreenId::ALL.len());
        let slugs: HashSet<_> = ScreenId::ALL.iter().map(|s| s.spec().slug).collect();
        assert_eq!(slugs.len(), ScreenId::ALL.len());
        for &id in ScreenId::ALL {
            let spec = id.spec();
            assert_eq!(spec.id, id, "{}", spec.slug);
            assert_eq!(ScreenId::from_slug(spec.slug), Some(id));
            assert_eq!(ScreenId::from_slug(&format!("{}x", spec.slug)), None);
            assert_eq!(ScreenId::from_slug(&spec.slug[..spec.slug.len() - 1]), None);
            let json = serde_json::to_string(&id).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", spec.slug));
            assert_eq!(serde_json::from_str::<ScreenId>(&json).ok(), Some(id));
        }
        assert!(serde_json::from_str::<ScreenId>("\"person.nothing\"").is_err());
    }

    #[test]
    fn slugs_name_their_subject_and_are_url_safe() {
        for &id in ScreenId::ALL {
            let s = id.spec();
            let (kind, rest) = s.slug.split_once('.').unwrap_or(("", ""));
            assert_eq!(kind, s.subject().slug(), "{}", s.slug);
            assert!(
                !rest.is_empty()
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
                "{}",
                s.slug
            );
        }
    }

    #[test]
    fn every_text_exists_in_three_different_languages_or_is_a_shared_term() {
        // Words that are the same in every language (abbreviations, loan words).
        let shared = ["WC", "Sauna", "Status"];
        let check = |t: Text, what: &str| {
            assert!(
                !t.fi.is_empty() && !t.sv.is_empty() && !t.en.is_empty(),
                "{what}"
            );
            assert!(
                shared.contains(&t.fi) || (t.fi != t.sv || t.fi != t.en),
                "{what}: {t:?} is not translated"
            );
        };
        for &id in ScreenId::ALL {
            let s = id.spec();
            check(s.title, s.slug);
            check(s.section.title(), s.slug);
            for c in s.columns {
                check(c.label, c.key);
            }
        }
        for &g in DataGroup::ALL {
            check(g.spec().title, "group title");
        }
    }

    #[test]
    fn every_screen_column_is_a_column_of_its_group_each_once() {
        for &id in ScreenId::ALL {
            let s = id.spec();
            let group = s.group.spec();
            assert!(!s.columns.is_empty(), "{}", s.slug);
            let keys: HashSet<_> = s.columns.iter().map(|c| c.key).collect();
            assert_eq!(keys.len(), s.columns.len(), "{}: a column twice", s.slug);
            for c in s.columns {
                assert_eq!(
                    group.column(c.key),
                    Some(c),
                    "{}: column {} is not its group's",
                    s.slug,
                    c.key
                );
            }
        }
    }

    #[test]
    fn every_group_has_unique_keys_and_at_least_one_screen() {
        for (i, &g) in DataGroup::ALL.iter().enumerate() {
            let spec = g.spec();
            assert_eq!(spec.group, g);
            assert_eq!(DataGroup::ALL.iter().position(|x| *x == g), Some(i));
            let keys: HashSet<_> = spec.columns.iter().map(|c| c.key).collect();
            assert_eq!(keys.len(), spec.columns.len(), "{g:?}");
            assert!(
                ScreenId::ALL.iter().any(|s| s.spec().group == g),
                "{g:?} has no screen"
            );
        }
    }

    #[test]
    fn layouts_fit_their_groups() {
        for &id in ScreenId::ALL {
            let s = id.spec();
            let group = s.group.spec();
            match s.layout {
                Layout::Card => assert_eq!(group.rows, Rows::One, "{}", s.slug),
                Layout::Table => assert_eq!(group.rows, Rows::Many, "{}", s.slug),
                Layout::Timeline => {
                    assert_eq!(group.rows, Rows::Many, "{}", s.slug);
                    assert!(
                        s.columns.iter().any(|c| c.key == "start"),
                        "{}: a timeline needs its start",
                        s.slug
                    );
                }
            }
        }
    }

    #[test]
    fn lists_of_residents_and_owners_leave_protected_persons_out() {
        for g in [DataGroup::BuildingResidents, DataGroup::DwellingResidents] {
            assert_eq!(g.spec().protected_rows, ProtectedRows::Omit, "{g:?}");
        }
        for g in [DataGroup::BuildingOwners, DataGroup::PropertyOwners] {
            let spec = g.spec();
            assert_eq!(
                spec.protected_rows,
                ProtectedRows::AnonymisePersons,
                "{g:?}"
            );
            assert_eq!(
                spec.column("owner").map(|c| c.sensitivity),
                Some(Sensitivity::Identity),
                "{g:?}: who the owner is"
            );
        }
        assert_eq!(
            DataGroup::Protection
                .spec()
                .column("contact_address")
                .map(|c| c.sensitivity),
            Some(Sensitivity::Contact),
            "the contact address exists to be disclosed, unless it locates the person"
        );
        assert_eq!(Sensitivity::Contact.in_row(false), Sensitivity::Normal);
        assert_eq!(Sensitivity::Contact.in_row(true), Sensitivity::Protected);
        assert_eq!(Sensitivity::Normal.in_row(true), Sensitivity::Normal);
        assert_eq!(Sensitivity::Protected.in_row(false), Sensitivity::Protected);
    }

    #[test]
    fn every_subject_kind_has_its_default_screen_and_a_menu() {
        for kind in SubjectKind::ALL {
            let defaults: Vec<_> = ScreenId::for_subject(kind)
                .filter(|s| s.is_default_for(kind))
                .collect();
            assert_eq!(defaults.len(), 1, "{kind:?}");
        }
    }

    #[test]
    fn protected_columns_are_marked_wherever_they_appear() {
        // A protected key is protected in every group of a person: a screen cannot show an
        // address or an e-mail under another sensitivity by reusing its key.
        let location: HashSet<&str> = [
            "home_municipality",
            "home_since",
            "permanent_address",
            "address_kind",
            "residence_id",
            "moved_in",
            "voting_district",
            "email",
            "owned",
        ]
        .into_iter()
        .collect();
        for &g in DataGroup::ALL {
            let spec = g.spec();
            for c in spec.columns {
                if location.contains(c.key) && spec.subject == SubjectKind::Person {
                    assert_eq!(c.sensitivity, Sensitivity::Protected, "{g:?}.{}", c.key);
                }
            }
        }
        for g in [
            DataGroup::CurrentAddresses,
            DataGroup::AddressHistory,
            DataGroup::HomeMunicipalityHistory,
            DataGroup::Residence,
        ] {
            assert_eq!(g.spec().protected_rows, ProtectedRows::WithholdProtected);
            assert!(
                g.spec()
                    .columns
                    .iter()
                    .all(|c| c.sensitivity == Sensitivity::Protected),
                "{g:?}: every column is where the person lives"
            );
        }
    }
}
