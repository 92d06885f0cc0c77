//! Fees (DOMAIN.md §5.7): what a permit charges under the Ministry of Finance's fee decree,
//! which disclosures are billable data units, and an organisation's monthly invoice basis
//! with its CSV export for the registry's invoicing. Standard services are free for the
//! statutory needs of state agencies, municipalities, joint municipal authorities and wellbeing
//! services counties; companies pay per data unit, per user and month, with a monthly minimum.

mod texts;
use texts as t;

use crate::date::{Date, Timestamp};
use crate::principal::OrgId;
use crate::principal::OrgKind;
use crate::validation::{Field, FieldError, ValidationError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The prices a charged permit states, in euro cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tariff {
    /// Per data unit disclosed (one screen of one subject).
    pub per_unit: u32,
    /// Per user who queried in the month.
    pub per_user_month: u32,
    /// The least one month's invoice comes to when anything was used.
    pub monthly_minimum: u32,
}

/// The decree's prices in force from 1.1.2025: 0,06 € per data unit, 1 € per user and
/// month, at least 9 € a month.
pub const TARIFF_2025: Tariff = Tariff {
    per_unit: 6,
    per_user_month: 100,
    monthly_minimum: 900,
};

/// What a permit charges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Fees {
    /// Free: the statutory needs of a public authority.
    Statutory,
    Charged(Tariff),
}

impl Fees {
    /// The fees a permit for an organisation of `kind` states.
    pub fn for_kind(kind: OrgKind) -> Fees {
        match kind {
            OrgKind::Company => Fees::Charged(TARIFF_2025),
            OrgKind::StateAgency
            | OrgKind::Municipality
            | OrgKind::JointMunicipalAuthority
            | OrgKind::WellbeingServicesCounty
            | OrgKind::Registry => Fees::Statutory,
        }
    }
}

/// Euro cents as `12,34` (the Finnish decimal comma, as invoices and spreadsheets here read).
pub fn euros(cents: u64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u8,
}

impl fmt::Display for Month {
    /// `2026-11`, as the CSV and the page's address say it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Month {
    pub fn of(day: Date) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// `2026-11`; anything else, or a month before 2000 or after 2100, is refused.
    pub fn parse(input: &str) -> Result<Month, FieldError> {
        let bad = || FieldError::new(Field::Month, ValidationError::Choose(Field::Month));
        let (y, m) = input.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).unwrap_or(Date::from_days_since_epoch(0))
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The instants the month spans in Finnish time: `[start, end)`.
    pub fn span(self) -> (Timestamp, Timestamp) {
        (
            Timestamp::start_of_finnish_day(self.first_day()),
            Timestamp::start_of_finnish_day(self.next().first_day()),
        )
    }
}

/// One organisation's month: what it used and what it comes to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceBasis {
    pub organisation: OrgId,
    pub name: String,
    pub business_id: Option<String>,
    pub permit: Option<String>,
    pub fees: Fees,
    pub month: Month,
    /// Data units disclosed.
    pub units: u64,
    /// Users who disclosed at least one unit.
    pub users: u32,
    /// Per user: name and units, most first.
    pub per_user: Vec<(String, u64)>,
    /// What the month comes to, in cents (0 when free or unused).
    pub total_cents: u64,
}

/// What a month comes to: units and users at the tariff's prices, at least the monthly
/// minimum when anything was used; nothing when free.
pub fn total_cents(fees: Fees, units: u64, users: u32) -> u64 {
    match fees {
        Fees::Statutory => 0,
        Fees::Charged(t) => {
            if units == 0 {
                return 0;
            }
            let sum = units.saturating_mul(u64::from(t.per_unit))
                + u64::from(users) * u64::from(t.per_user_month);
            sum.max(u64::from(t.monthly_minimum))
        }
    }
}

/// The month's figures: who disclosed how much, and what it comes to.
pub fn invoice_basis(
    organisation: OrgId,
    name: String,
    business_id: Option<String>,
    permit: Option<String>,
    fees: Fees,
    month: Month,
    mut per_user: Vec<(String, u64)>,
) -> InvoiceBasis {
    per_user.retain(|(_, n)| *n > 0);
    per_user.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let units = per_user.iter().map(|(_, n)| n).sum();
    let users = u32::try_from(per_user.len()).unwrap_or(u32::MAX);
    InvoiceBasis {
        total_cents: total_cents(fees, units, users),
        organisation,
        name,
        business_id,
        permit,
        fees,
        month,
        units,
        users,
        per_user,
    }
}

/// The fees page: the viewer's organisation's month (staff: every organisation's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeesReport {
    pub month: Option<Month>,
    pub registry: bool,
    pub rows: Vec<InvoiceBasis>,
}

/// One CSV field: quoted when it holds a separator, a quote or a line break, and defused when
/// a spreadsheet would read it as a formula.
pub(crate) fn csv_field(s: &str) -> String {
    // A leading = + - @ would be read as a formula by a spreadsheet: quote it away.
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky || s.contains([';', '"', '\n', '\r']) {
        let inner = s.replace('"', "\"\"");
        if risky {
            format!("\"'{inner}\"")
        } else {
            format!("\"{inner}\"")
        }
    } else {
        s.to_owned()
    }
}

/// The invoice basis as CSV for the registry's invoicing: `;`-separated with a decimal comma
/// (as Finnish spreadsheets open it), one line per organisation, amounts in euros.
pub fn csv(rows: &[InvoiceBasis]) -> String {
    let mut out = String::from(t::CSV_HEADER);
    for r in rows {
        let (class, unit, user, minimum) = match r.fees {
            Fees::Statutory => ("maksuton", String::new(), String::new(), String::new()),
            Fees::Charged(t) => (
                "maksullinen",
                euros(u64::from(t.per_unit)),
                euros(u64::from(t.per_user_month)),
                euros(u64::from(t.monthly_minimum)),
            ),
        };
        let line = [
            r.month.to_string(),
            csv_field(&r.name),
            csv_field(r.business_id.as_deref().unwrap_or("")),
            csv_field(r.permit.as_deref().unwrap_or("")),
            class.to_owned(),
            r.units.to_string(),
            r.users.to_string(),
            csv_field(&unit),
            csv_field(&user),
            csv_field(&minimum),
            csv_field(&euros(r.total_cents)),
        ]
        .join(";");
        out.push_str(&line);
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests;
