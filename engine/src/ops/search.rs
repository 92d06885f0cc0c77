//! The searches. Exact identifiers lead to one subject or none; names and addresses give a hit
//! list of at most [`MAX_HITS`] rows, redacted like a screen. A location criterion never
//! selects a protected person for a viewer without the right to protected data, so such a
//! person cannot be found or counted by where they live.

use crate::error::EngineError;
use crate::gate::{GrantedTxn, Operation, Sealed};
use crate::links::Links;
use crate::reads::{self, municipality, municipality_of};
use crate::record::Cell;
use crate::record::{self, Record};
use crate::store;
use domain::audit::{AuditEvent, SearchResult};
use domain::catalogue::columns as c;
use domain::model::{Person, normalise_name};
use domain::screen::PersonId;
use domain::search::{HitKind, HitList, MAX_HITS, SearchNotice};
use domain::{BuildingId, DwellingRef, Grant, Request, Search, SearchOutcome, SubjectRef};

/// Runs one validated search.
#[derive(Clone, Debug)]
pub struct RunSearch(pub Search);

/// A search's answer, and what the audit trail records it disclosed (the subjects behind the
/// opaque links of the answer).
#[derive(Clone, Debug)]
pub struct SearchAnswer {
    pub outcome: SearchOutcome,
    pub disclosed: SearchResult,
}

/// A search's result before redaction.
pub enum Found {
    One(SubjectRef, Option<SearchNotice>),
    Hits(HitKind, Vec<Record>),
    TooMany,
    None,
    /// An address on a street the register does not know: the nearest street names.
    NoStreet(Vec<String>),
}

impl Sealed for RunSearch {}

fn person_hit(p: &Person, today: domain::Date) -> Record {
    let dead = p.is_dead();
    Record::hit(HitKind::Persons, p.protected_on(today))
        .about(SubjectRef::Person(p.id))
        .set(
            c::PERSON,
            Cell::Link {
                target: SubjectRef::Person(p.id),
                label: p.full_name(),
            },
        )
        .set(c::BIRTH_DATE, Cell::Date(p.birth.date))
        .set(
            c::AGE,
            if dead {
                Cell::Empty
            } else {
                reads::age(p.birth.date, today)
            },
        )
        .set(
            c::HOME_MUNICIPALITY,
            Cell::opt(p.home_municipality(), municipality),
        )
        .set(c::DECEASED, Cell::Flag(dead))
}

/// More matches than a hit list shows.
fn too_many(matches: usize) -> bool {
    matches > MAX_HITS
}

/// One subject, several as a hit list, or too many.
fn outcome(kind: HitKind, mut hits: Vec<Record>) -> Found {
    match hits.len() {
        0 => Found::None,
        n if too_many(n) => Found::TooMany,
        1 => match hits.pop().and_then(|h| h.subject()) {
            Some(subject) => Found::One(subject, None),
            None => Found::None,
        },
        _ => Found::Hits(kind, hits),
    }
}

fn by_person_id(txn: &GrantedTxn<'_>, id: Option<u64>) -> Result<Option<Person>, EngineError> {
    match id {
        Some(id) => store::person(txn, PersonId(id)),
        None => Ok(None),
    }
}

fn name_search(
    txn: &GrantedTxn<'_>,
    surname: &str,
    first_names: &str,
    born: domain::Date,
    wanted_municipality: Option<domain::MunicipalityCode>,
) -> Result<Found, EngineError> {
    let today = txn.today();
    let wanted: Vec<String> = normalise_name(first_names)
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let wanted_code = wanted_municipality.map(|m| m.to_string());
    let mut hits = Vec::new();
    for (names, id) in store::persons_by_surname_and_birth(txn, surname, born)? {
        let tokens: Vec<&str> = names.split(' ').collect();
        if !wanted.iter().all(|w| tokens.contains(&w.as_str())) {
            continue;
        }
        let Some(p) = store::person(txn, PersonId(id))? else {
            continue;
        };
        if let Some(code) = &wanted_code {
            // Where a protected person lives is not for this viewer to match against.
            if p.protected_on(today) && !txn.grant().protected_data() {
                continue;
            }
            if p.home_municipality() != Some(code.as_str()) {
                continue;
            }
        }
        hits.push(person_hit(&p, today));
    }
    Ok(outcome(HitKind::Persons, hits))
}

/// How many street names a miss offers at most.
const NEAREST_STREETS: usize = 5;

fn address_search(txn: &GrantedTxn<'_>, search: &Search) -> Result<Found, EngineError> {
    let Search::Address {
        street,
        house_number,
        dwelling,
        postal_code,
        municipality: wanted_municipality,
    } = search
    else {
        return Ok(Found::None);
    };
    let postal = postal_code.map(|p| p.to_string());
    let kunta = wanted_municipality.map(|m| m.to_string());
    let ids = store::buildings_by_address(
        txn,
        street,
        house_number,
        postal.as_deref(),
        kunta.as_deref(),
        usize::MAX,
    )?;
    // A street nobody lives on at any number is likely a typo: offer the nearest names, as
    // the register writes them.
    if ids.is_empty() && !store::street_known(txn, street)? {
        let mut nearest = Vec::new();
        for (name, building) in store::streets_near(txn, street, NEAREST_STREETS)? {
            let written = BuildingId::from_number(building)
                .map(|id| store::building(txn, id))
                .transpose()?
                .flatten()
                .and_then(|b| {
                    // Indexed by its Finnish and its Swedish name: offer the one that matched.
                    b.addresses.iter().find_map(|a| {
                        std::iter::once(&a.street_fi)
                            .chain(a.street_sv.as_ref())
                            .find(|s| domain::model::normalise_name(s) == name)
                            .cloned()
                    })
                });
            if let Some(w) = written
                && !nearest.contains(&w)
            {
                nearest.push(w);
            }
        }
        return Ok(Found::NoStreet(nearest));
    }
    // Counted from the index alone: too many buildings are not loaded at all.
    if too_many(ids.len()) {
        return Ok(Found::TooMany);
    }
    let mut buildings = Vec::new();
    for id in ids {
        if let Some(b) = BuildingId::from_number(id)
            .map(|id| store::building(txn, id))
            .transpose()?
            .flatten()
        {
            buildings.push(b);
        }
    }
    match dwelling {
        None => Ok(outcome(
            HitKind::Buildings,
            buildings
                .iter()
                .map(|b| {
                    let first = b.addresses.first();
                    Record::hit(HitKind::Buildings, false)
                        .about(SubjectRef::Building(b.id))
                        .set(
                            c::BUILDING,
                            Cell::Link {
                                target: SubjectRef::Building(b.id),
                                label: crate::reads::building_heading(b),
                            },
                        )
                        .set(
                            c::POSTAL_CODE,
                            Cell::opt(first, |a| Cell::text(&a.postal_code)),
                        )
                        .set(c::MUNICIPALITY, municipality_of(b.municipality))
                        .set(c::USE_CLASS, Cell::Code(b.use_class.code_value()))
                        .set(c::PRT, Cell::Text(b.id.to_string()))
                })
                .collect(),
        )),
        Some(d) => {
            let mut hits = Vec::new();
            for b in &buildings {
                let target = DwellingRef {
                    building: b.id,
                    dwelling: Some(*d),
                };
                if let Some(found) = store::dwelling(txn, target)? {
                    hits.push(
                        Record::hit(HitKind::Dwellings, false)
                            .about(SubjectRef::Dwelling(target))
                            .set(
                                c::DWELLING,
                                Cell::Link {
                                    target: SubjectRef::Dwelling(target),
                                    label: found.label.clone(),
                                },
                            )
                            .set(
                                c::ADDRESS,
                                Cell::Text(crate::reads::dwelling_heading(&found, b)),
                            )
                            .set(c::ROOMS, Cell::Number(i64::from(found.rooms)))
                            .set(c::DWELLING_AREA, Cell::Number(i64::from(found.floor_area))),
                    );
                }
            }
            Ok(outcome(HitKind::Dwellings, hits))
        }
    }
}

impl Operation for RunSearch {
    type Raw = Found;
    type Output = SearchAnswer;

    fn request(&self) -> Request {
        Request::Search(self.0.kind())
    }

    fn criteria(&self) -> Option<Search> {
        Some(self.0.clone())
    }

    fn read(&self, txn: &GrantedTxn<'_>) -> Result<Found, EngineError> {
        let one = |s: Option<SubjectRef>| match s {
            Some(s) => Found::One(s, None),
            None => Found::None,
        };
        Ok(match &self.0 {
            Search::Hetu(hetu) => {
                let p = by_person_id(txn, store::person_id_by_hetu(txn, &hetu.to_string())?)?;
                match p {
                    Some(p) if p.hetu != *hetu => Found::One(
                        SubjectRef::Person(p.id),
                        Some(SearchNotice::HetuChanged {
                            searched: *hetu,
                            active: p.hetu,
                        }),
                    ),
                    Some(p) => Found::One(SubjectRef::Person(p.id), None),
                    None => Found::None,
                }
            }
            Search::Satu(satu) => {
                let p = by_person_id(txn, store::person_id_by_satu(txn, &satu.to_string())?)?;
                one(p.map(|p| SubjectRef::Person(p.id)))
            }
            Search::Name {
                surname,
                first_names,
                birth_date,
                municipality,
            } => name_search(txn, surname, first_names, *birth_date, *municipality)?,
            Search::Address { .. } => address_search(txn, &self.0)?,
            Search::Building(id) => {
                one(store::building(txn, *id)?.map(|b| SubjectRef::Building(b.id)))
            }
            Search::OldBuilding(old) => {
                let id = store::building_by_old_id(txn, &old.to_string())?
                    .and_then(BuildingId::from_number);
                one(id.map(SubjectRef::Building))
            }
            Search::Dwelling(d) => one(store::dwelling(txn, *d)?.map(|_| SubjectRef::Dwelling(*d))),
            Search::Property(id) => {
                one(store::property(txn, *id)?.map(|p| SubjectRef::Property(p.id)))
            }
        })
    }

    fn redact(
        &self,
        raw: Found,
        grant: &Grant,
        links: &Links,
    ) -> Result<SearchAnswer, EngineError> {
        Ok(match raw {
            Found::None => SearchAnswer {
                outcome: SearchOutcome::NotFound,
                disclosed: SearchResult::NotFound,
            },
            // Street names only (no one's data): the trail records a miss.
            Found::NoStreet(nearest) => SearchAnswer {
                outcome: SearchOutcome::NoSuchStreet { nearest },
                disclosed: SearchResult::NotFound,
            },
            Found::TooMany => SearchAnswer {
                outcome: SearchOutcome::TooMany,
                disclosed: SearchResult::TooMany,
            },
            Found::One(subject, notice) => SearchAnswer {
                outcome: SearchOutcome::Found {
                    subject: links.seal(subject)?,
                    notice,
                },
                disclosed: SearchResult::Found(subject),
            },
            Found::Hits(kind, records) => {
                // Hit lists keep every row (a protected person's location is withheld, the
                // person is not left out), so `outcome`'s count stands.
                let redacted = record::redact(
                    &records,
                    kind.columns(),
                    kind.protected_rows(),
                    grant,
                    links,
                )?;
                SearchAnswer {
                    outcome: SearchOutcome::Several(HitList {
                        kind,
                        rows: redacted.rows,
                    }),
                    disclosed: SearchResult::Several(redacted.subjects),
                }
            }
        })
    }

    fn event(&self, outcome: &Result<SearchAnswer, EngineError>) -> AuditEvent {
        let result = match outcome {
            Ok(answer) => answer.disclosed.clone(),
            Err(_) => {
                return AuditEvent::QueryFailed {
                    request: self.request(),
                    criteria: Some(self.0.clone()),
                };
            }
        };
        AuditEvent::SearchRun {
            criteria: self.0.clone(),
            result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::PersonId;

    fn hits(n: u64) -> Vec<Record> {
        (0..n)
            .map(|i| Record::hit(HitKind::Persons, false).about(SubjectRef::Person(PersonId(i))))
            .collect()
    }

    #[test]
    fn one_hit_opens_several_list_too_many_ask_to_narrow() {
        assert!(matches!(outcome(HitKind::Persons, hits(0)), Found::None));
        assert!(matches!(
            outcome(HitKind::Persons, hits(1)),
            Found::One(SubjectRef::Person(PersonId(0)), None)
        ));
        assert!(matches!(outcome(HitKind::Persons, hits(2)), Found::Hits(_, h) if h.len() == 2));
        let limit = MAX_HITS as u64;
        assert!(
            matches!(outcome(HitKind::Persons, hits(limit)), Found::Hits(_, h) if h.len() == MAX_HITS)
        );
        assert!(matches!(
            outcome(HitKind::Persons, hits(limit + 1)),
            Found::TooMany
        ));
        assert!(!too_many(MAX_HITS) && too_many(MAX_HITS + 1));
    }
}
