//! Reference data shipped with the repository (see `engine/data/SOURCES.md`): postal codes with
//! their municipalities and post offices, first names by sex and surnames with their frequencies,
//! street names. Parsed once from the embedded files; a malformed row is skipped, never a panic.

use rand::Rng;
use std::collections::HashMap;
use std::sync::LazyLock;

const POSTAL_CODES: &str = include_str!("../../data/postal_codes.tsv");
const FIRST_NAMES_MALE: &str = include_str!("../../data/first_names_male.tsv");
const FIRST_NAMES_FEMALE: &str = include_str!("../../data/first_names_female.tsv");
const SURNAMES: &str = include_str!("../../data/surnames.tsv");
const STREETS: &str = include_str!("../../data/street_names.tsv");

/// Rows of a tab-separated file without its header line.
fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// Values with weights, drawn in proportion to their weight.
pub(crate) struct Weighted<T> {
    items: Vec<T>,
    cumulative: Vec<u64>,
}

impl<T> Weighted<T> {
    pub(crate) fn new(pairs: impl IntoIterator<Item = (T, u64)>) -> Weighted<T> {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0u64;
        for (item, weight) in pairs {
            if weight == 0 {
                continue;
            }
            total += weight;
            items.push(item);
            cumulative.push(total);
        }
        Weighted { items, cumulative }
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn pick(&self, rng: &mut impl Rng) -> Option<&T> {
        let total = *self.cumulative.last()?;
        let x = rng.random_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.items.get(i)
    }
}

fn names(text: &str) -> Weighted<String> {
    Weighted::new(rows(text).filter_map(|r| {
        let name = r.first()?.trim();
        let weight = r.get(1).and_then(|w| w.trim().parse().ok()).unwrap_or(1);
        (!name.is_empty()).then(|| (name.to_owned(), weight))
    }))
}

pub(crate) struct PostalCode {
    pub code: String,
    pub office_fi: String,
    pub office_sv: String,
}

pub(crate) struct Reference {
    pub male: Weighted<String>,
    pub female: Weighted<String>,
    pub surnames: Weighted<String>,
    /// Whole street names (e.g. `Koulukatu`, `Adolf Lindforsin katu`).
    pub streets: Vec<String>,
    /// Postal codes by municipality number.
    pub postal: HashMap<String, Vec<PostalCode>>,
}

pub(crate) static REFERENCE: LazyLock<Reference> = LazyLock::new(|| {
    let mut postal: HashMap<String, Vec<PostalCode>> = HashMap::new();
    for r in rows(POSTAL_CODES) {
        // Only ordinary area codes (type 1) are street addresses; the rest are PO boxes,
        // parcel lockers, corporate and reply-mail codes.
        if let [code, fi, sv, municipality, "1", ..] = r.as_slice() {
            postal
                .entry((*municipality).to_owned())
                .or_default()
                .push(PostalCode {
                    code: (*code).to_owned(),
                    office_fi: (*fi).to_owned(),
                    office_sv: if sv.is_empty() {
                        (*fi).to_owned()
                    } else {
                        (*sv).to_owned()
                    },
                });
        }
    }
    // Columns stem, suffix, street_name: the last is the name as written.
    let mut streets: Vec<String> = rows(STREETS)
        .filter_map(|r| r.last().map(|s| s.trim().to_owned()))
        .filter(|s| !s.is_empty())
        .collect();
    streets.sort();
    streets.dedup();
    Reference {
        male: names(FIRST_NAMES_MALE),
        female: names(FIRST_NAMES_FEMALE),
        surnames: names(SURNAMES),
        streets,
        postal,
    }
});

/// Post office names (Finnish, Swedish) by postal code, for screens that show a building's
/// address; the register stores only the code for buildings.
static POST_OFFICES: LazyLock<HashMap<String, (String, String)>> = LazyLock::new(|| {
    REFERENCE
        .postal
        .values()
        .flatten()
        .map(|p| (p.code.clone(), (p.office_fi.clone(), p.office_sv.clone())))
        .collect()
});

pub(crate) fn post_office(code: &str) -> Option<&'static (String, String)> {
    POST_OFFICES.get(code)
}
