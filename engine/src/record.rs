//! Records keyed by column, and the one redaction every screen and hit list passes through.
//! A read sets each cell by its column (`record.set(columns::HETU, ..)`), never by position;
//! a screen takes its columns from the record by key, and a protection order withholds cells
//! by the sensitivity of the column the key names in the group's catalogue entry. A read that
//! misses a column or sets one its group does not have is an error, not a shifted row.

use crate::error::EngineError;
use crate::links::Links;
use domain::access::RowDisclosure;
use domain::catalogue::{ColumnSpec, DataGroup, ProtectedRows};
use domain::screen::Row;
use domain::search::HitKind;
use domain::{Grant, SubjectRef};

/// A cell as the reads make it: links name register subjects, and are sealed into opaque
/// links by [`redact`] before a row leaves the engine.
pub(crate) type Cell = domain::screen::Cell<SubjectRef>;

/// One record of a data group.
#[derive(Clone, Debug)]
pub struct Record {
    /// What the record is of, for errors: a data group or a hit list.
    of: &'static str,
    /// Every column the read must set: the group's (or the hit list's).
    columns: &'static [ColumnSpec],
    /// Indexed like `columns`.
    cells: Vec<Option<Cell>>,
    /// A column the read set that is not among `columns` (a catalogue/read mismatch).
    stray: Option<&'static str>,
    /// The record is about a person under a protection order in force.
    protected: bool,
    /// The subject the row is about, when it is another subject (a resident, a hit).
    about: Option<SubjectRef>,
    /// The person's contact address gives away part of where they live: a
    /// [`domain::catalogue::Sensitivity::Contact`] cell is then the location itself.
    contact_locates: bool,
}

impl Record {
    pub(crate) fn new(group: DataGroup, protected: bool) -> Record {
        Record::of(group.spec().title.en, group.spec().columns, protected)
    }

    /// A row of a search's hit list.
    pub(crate) fn hit(kind: HitKind, protected: bool) -> Record {
        Record::of("hit list", kind.columns(), protected)
    }

    fn of(of: &'static str, columns: &'static [ColumnSpec], protected: bool) -> Record {
        Record {
            of,
            columns,
            cells: vec![None; columns.len()],
            stray: None,
            protected,
            about: None,
            contact_locates: false,
        }
    }

    /// Sets one cell by its column.
    pub(crate) fn set(mut self, column: ColumnSpec, cell: Cell) -> Record {
        match self.columns.iter().position(|c| c.key == column.key) {
            Some(i) => self.cells[i] = Some(cell),
            None => {
                self.stray.get_or_insert(column.key);
            }
        }
        self
    }

    /// Marks the row's contact address as giving away part of the person's location.
    pub(crate) fn contact_locates(mut self, locates: bool) -> Record {
        self.contact_locates = locates;
        self
    }

    pub(crate) fn about(mut self, subject: SubjectRef) -> Record {
        self.about = Some(subject);
        self
    }

    pub(crate) fn subject(&self) -> Option<SubjectRef> {
        self.about
    }

    /// The record's cells for `columns`, by key, redacted by `disclosure`.
    fn project(
        &self,
        columns: &[ColumnSpec],
        disclosure: RowDisclosure,
    ) -> Result<Vec<Cell>, EngineError> {
        if let Some(key) = self.stray {
            return Err(EngineError::Catalogue(format!(
                "the read of {} set column {key}, which it does not have",
                self.of
            )));
        }
        if let Some(missing) = self
            .columns
            .iter()
            .zip(&self.cells)
            .find(|(_, cell)| cell.is_none())
        {
            return Err(EngineError::Catalogue(format!(
                "the read of {} did not set column {}",
                self.of, missing.0.key
            )));
        }
        columns
            .iter()
            .map(|wanted| {
                let index = self
                    .columns
                    .iter()
                    .position(|c| c.key == wanted.key)
                    .ok_or_else(|| {
                        EngineError::Catalogue(format!(
                            "column {} is not in {}",
                            wanted.key, self.of
                        ))
                    })?;
                // The group's own entry decides the sensitivity, whatever the screen's says.
                let sensitivity = self.columns[index].sensitivity.in_row(self.contact_locates);
                // Empty cells too: "no address" must not be told apart from "withheld".
                if disclosure.withholds(sensitivity) {
                    return Ok(Cell::Withheld);
                }
                if disclosure.anonymises(sensitivity) {
                    return Ok(Cell::Private);
                }
                Ok(self.cells[index].clone().unwrap_or(Cell::Empty))
            })
            .collect()
    }
}

/// Redacted rows and whether the protection rule withheld or left out anything.
pub(crate) struct Redacted {
    pub rows: Vec<Row>,
    pub withheld: bool,
    /// The subjects the shown rows are about, in order (for the audit trail).
    pub subjects: Vec<SubjectRef>,
}

/// Applies the protection-order rule of `grant` to records, takes `columns` from each and
/// seals the links the shown cells carry.
pub(crate) fn redact(
    records: &[Record],
    columns: &[ColumnSpec],
    rows: ProtectedRows,
    grant: &Grant,
    links: &Links,
) -> Result<Redacted, EngineError> {
    let mut out = Redacted {
        rows: Vec::with_capacity(records.len()),
        withheld: false,
        subjects: Vec::new(),
    };
    for record in records {
        let person = matches!(record.about, Some(SubjectRef::Person(_)));
        let disclosure = grant.row_disclosure(rows, record.protected, person);
        match disclosure {
            // Left out without a trace: the list does not say that anyone is missing.
            RowDisclosure::Omit => out.withheld = true,
            RowDisclosure::Show | RowDisclosure::WithholdProtected | RowDisclosure::Anonymise => {
                // A private person is shown as every private person is to this viewer: not
                // marked protected, and not among the persons the screen showed (nobody was
                // named).
                let named = disclosure != RowDisclosure::Anonymise;
                let cells = record.project(columns, disclosure)?;
                out.withheld |= cells.contains(&Cell::Withheld);
                let cells = cells
                    .into_iter()
                    .map(|cell| cell.map_link(|target| links.seal(target)))
                    .collect::<Result<_, _>>()?;
                out.rows.push(Row {
                    cells,
                    protected: record.protected && named,
                });
                if named {
                    out.subjects.extend(record.about);
                }
            }
        }
    }
    Ok(out)
}
