//! Register changes of care: custody of a minor given to new custodians, a guardian appointed
//! for an adult, a guardianship ended. Both sides of a custody move together (the child's
//! custodian relation and the custodian's dependant relation), and what ends becomes history
//! on its timeline: a relation or a guardianship ends the day before the change, it is not
//! removed.

use super::{Register, Step, living, refuse};
use domain::Date;
use domain::Hetu;
use domain::changes::ChangeRefusal;
use domain::codes::{CustodianKind, Restriction};
use domain::model::{Guardian, GuardianParty, Guardianship, Period, Person, Relation};
use domain::screen::PersonId;

/// Full age: custody ends, guardianship may begin.
const OF_AGE: i32 = 18;

/// Ends the open custody between `p` and `other` on `last_day`, on `p`'s side (the child's
/// record names the custodian, the custodian's names the dependant; neither names the other
/// way round).
fn end_custody(p: &mut Person, other: PersonId, last_day: Date) {
    for rel in &mut p.relations {
        if let Relation::Custodian {
            other: o, period, ..
        }
        | Relation::Dependant {
            other: o, period, ..
        } = rel
            && *o == other
            && period.is_open()
        {
            period.end = Some(last_day.into());
        }
    }
}

/// The last day the child's custody changed: the latest start or end of any custody relation
/// (a change dated on or before it would rewrite the timeline).
fn last_custody_change(child: &Person) -> Option<Date> {
    child
        .relations
        .iter()
        .filter_map(|rel| match rel {
            Relation::Custodian { period, .. } => {
                let start = period.start.and_then(|s| s.latest());
                let end = period.end.and_then(|e| e.latest());
                start.max(end)
            }
            _ => None,
        })
        .max()
}

/// The custodians whose custody of `child` is open.
fn custodians_now(child: &Person) -> Vec<PersonId> {
    child
        .relations
        .iter()
        .filter_map(|rel| match rel {
            Relation::Custodian { other, period, .. } if period.is_open() => Some(*other),
            _ => None,
        })
        .collect()
}

pub(super) fn custody(
    r: &mut Register<'_>,
    child: &Hetu,
    custodians: &[Hetu],
    date: Date,
) -> Result<(), Step> {
    let mut minor = living(r, child, date)?;
    if minor.birth.date.years_until(date) >= OF_AGE || custodians.is_empty() || custodians.len() > 2
    {
        return refuse(ChangeRefusal::CannotHaveCustody);
    }
    let mut new = Vec::with_capacity(custodians.len());
    for code in custodians {
        let c = living(r, code, date)?;
        if c.id == minor.id
            || c.birth.date.years_until(date) < OF_AGE
            || new.iter().any(|n: &Person| n.id == c.id)
        {
            return refuse(ChangeRefusal::CannotHaveCustody);
        }
        new.push(c);
    }
    let now = custodians_now(&minor);
    let mut wanted: Vec<PersonId> = new.iter().map(|c| c.id).collect();
    let mut held = now.clone();
    wanted.sort_unstable();
    held.sort_unstable();
    if wanted == held {
        return refuse(ChangeRefusal::BadRecord);
    }
    if last_custody_change(&minor).is_some_and(|last| date <= last) {
        return refuse(ChangeRefusal::ImpossibleDate);
    }
    let before = minor.clone();
    let last_day = date.add_days(-1);
    // Those whose custody ends: both sides of the relation end the day before.
    for id in now.iter().filter(|id| !wanted.contains(id)) {
        end_custody(&mut minor, *id, last_day);
        if let Some(mut gone) = r.persons.get(id.0)? {
            let was = gone.clone();
            end_custody(&mut gone, minor.id, last_day);
            r.put(Some(&was), &gone)?;
        }
    }
    // Those whose custody begins: a parent by the decision, or another custodian.
    for mut c in new.into_iter().filter(|c| !now.contains(&c.id)) {
        let parent = minor
            .relations
            .iter()
            .any(|rel| matches!(rel, Relation::Parent { other, .. } if *other == c.id));
        let kind = if parent {
            CustodianKind::ParentByOrder
        } else {
            CustodianKind::Other
        };
        minor.relations.push(Relation::Custodian {
            other: c.id,
            kind,
            division: None,
            period: Period::from(date),
        });
        let was = c.clone();
        c.relations.push(Relation::Dependant {
            other: minor.id,
            kind,
            division: None,
            period: Period::from(date),
        });
        r.put(Some(&was), &c)?;
    }
    Ok(r.put(Some(&before), &minor)?)
}

/// The guardianship of `p` in force on `date`, if any.
fn in_force(p: &Person, date: Date) -> bool {
    p.guardianship.as_ref().is_some_and(|g| {
        g.period
            .end
            .and_then(|e| e.latest())
            .is_none_or(|end| end >= date)
    })
}

pub(super) fn appoint_guardian(
    r: &mut Register<'_>,
    hetu: &Hetu,
    guardian: &Hetu,
    restriction: Restriction,
    date: Date,
) -> Result<(), Step> {
    let mut p = living(r, hetu, date)?;
    let g = living(r, guardian, date)?;
    if g.id == p.id
        || p.birth.date.years_until(date) < OF_AGE
        || g.birth.date.years_until(date) < OF_AGE
        || in_force(&p, date)
    {
        return refuse(ChangeRefusal::NoGuardianship);
    }
    // (An ended guardianship is replaced by the new one, the register holding one: never one
    // dated back into the old, which `in_force` refuses.)
    let before = p.clone();
    p.guardianship = Some(Guardianship {
        period: Period::from(date),
        restriction,
        tasks_divided: false,
        guardians: vec![Guardian {
            party: GuardianParty::Person(g.id),
            period: Period::from(date),
        }],
    });
    Ok(r.put(Some(&before), &p)?)
}

pub(super) fn end_guardianship(r: &mut Register<'_>, hetu: &Hetu, date: Date) -> Result<(), Step> {
    let mut p = living(r, hetu, date)?;
    if !in_force(&p, date) {
        return refuse(ChangeRefusal::NoGuardianship);
    }
    let before = p.clone();
    let last_day = date.add_days(-1);
    if let Some(g) = p.guardianship.as_mut() {
        if g.period
            .start
            .and_then(|s| s.earliest())
            .is_some_and(|s| date <= s)
        {
            return refuse(ChangeRefusal::ImpossibleDate);
        }
        g.period.end = Some(last_day.into());
        for guardian in &mut g.guardians {
            if guardian.period.is_open() {
                guardian.period.end = Some(last_day.into());
            }
        }
    }
    Ok(r.put(Some(&before), &p)?)
}
