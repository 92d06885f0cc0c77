//! Calendar dates and instants without a time-zone library: a proleptic Gregorian `Date`
//! (always a real calendar day) and a `Timestamp` in milliseconds since the Unix epoch.
//! Neither reads the clock; callers pass "now" in.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A real calendar day. Construction checks the day against the month and leap years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a year, month and day do not make a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("month {0} does not exist")]
    Month(u8),
    #[error("day {day} does not exist in month {month} of {year}")]
    Day { year: i32, month: u8, day: u8 },
    #[error("not a date in the form d.m.yyyy or YYYY-MM-DD")]
    Format,
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::Day { year, month, day });
        }
        Ok(Date { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's `days_from_civil`.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::days_since_epoch`].
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// Whole years from `self` to `on` (an age on a given day).
    pub fn years_until(self, on: Date) -> i32 {
        let mut years = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// A date as a clerk types it: `d.m.yyyy` (leading zeros optional, as written in Finland
    /// and Sweden) or `yyyy-mm-dd`.
    pub fn parse_input(input: &str) -> Result<Date, DateError> {
        let s = input.trim();
        if s.contains('-') {
            return s.parse();
        }
        let mut parts = s.split('.');
        let (Some(d), Some(m), Some(y), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Format);
        };
        let number = |p: &str, max_len: usize| {
            (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<i32>().ok())
                .flatten()
                .ok_or(DateError::Format)
        };
        let (day, month) = (number(d, 2)?, number(m, 2)?);
        if y.len() != 4 {
            return Err(DateError::Format);
        }
        let year = number(y, 4)?;
        Date::new(
            year,
            u8::try_from(month).map_err(|_| DateError::Format)?,
            u8::try_from(day).map_err(|_| DateError::Format)?,
        )
    }

    /// The Finnish and Swedish written form `d.m.yyyy`.
    pub fn to_finnish(self) -> String {
        format!("{}.{}.{}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        let mut parts = s.trim().splitn(3, '-');
        let mut next = || parts.next().ok_or(DateError::Format);
        let (y, m, d) = (next()?, next()?, next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(DateError::Format);
        }
        let year = y.parse().map_err(|_| DateError::Format)?;
        let month = m.parse().map_err(|_| DateError::Format)?;
        let day = d.parse().map_err(|_| DateError::Format)?;
        Date::new(year, month, day)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;
    fn try_from(s: String) -> Result<Date, DateError> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// An instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    /// The UTC calendar day of this instant.
    pub fn date_utc(self) -> Date {
        Date::from_days_since_epoch(self.0.div_euclid(86_400_000))
    }

    pub fn plus_seconds(self, seconds: i64) -> Timestamp {
        Timestamp(self.0 + seconds * 1000)
    }

    /// Finland's offset from UTC at this instant: EET, UTC+2; EEST, UTC+3 from the last Sunday
    /// of March to the last Sunday of October, switching at 01:00 UTC as everywhere in the EU.
    pub(crate) fn finland_offset_millis(self) -> i64 {
        let utc = self.date_utc();
        let last_sunday = |month: u8| {
            let last = Date {
                year: utc.year,
                month,
                day: 31,
            };
            // 1970-01-01 was a Thursday: weekday 0 = Monday.
            let weekday = (last.days_since_epoch() + 3).rem_euclid(7);
            last.days_since_epoch() - (weekday - 6).rem_euclid(7)
        };
        let switch = |day: i64| day * 86_400_000 + 3_600_000;
        let summer = (switch(last_sunday(3))..switch(last_sunday(10))).contains(&self.0);
        if summer { 3 * 3_600_000 } else { 2 * 3_600_000 }
    }

    /// The instant a calendar day begins in Finland (local midnight).
    pub fn start_of_finnish_day(day: Date) -> Timestamp {
        let midnight_utc = day.days_since_epoch() * 86_400_000;
        // Local midnight is two or three hours before UTC's; clocks change at 01:00 UTC, far
        // from it, so the offset two hours before UTC midnight is the one in force.
        let before = Timestamp(midnight_utc - 2 * 3_600_000);
        Timestamp(midnight_utc - before.finland_offset_millis())
    }

    /// The calendar day in Finland.
    pub fn date_in_finland(self) -> Date {
        Timestamp(self.0 + self.finland_offset_millis()).date_utc()
    }

    /// The wall-clock time in Finland as `d.m.yyyy hh.mm`: the same local form in every
    /// language.
    pub fn finnish_local(self) -> String {
        let local = self.0 + self.finland_offset_millis();
        let minutes = local.rem_euclid(86_400_000) / 60_000;
        format!(
            "{} {:02}.{:02}",
            Timestamp(local).date_utc().to_finnish(),
            minutes / 60,
            minutes % 60
        )
    }

    /// ISO 8601 in UTC with millisecond precision, e.g. `2026-11-27T02:52:14.000Z`.
    pub fn to_rfc3339(self) -> String {
        let ms_of_day = self.0.rem_euclid(86_400_000);
        let (h, rest) = (ms_of_day / 3_600_000, ms_of_day % 3_600_000);
        let (m, rest) = (rest / 60_000, rest % 60_000);
        let (s, ms) = (rest / 1000, rest % 1000);
        format!("{}T{h:02}:{m:02}:{s:02}.{ms:03}Z", self.date_utc())
    }
}

/// A date known to the year, the month or the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PartialDate {
    Year(i32),
    Month(i32, u8),
    Day(Date),
}

impl PartialDate {
    /// The latest day the value can mean (for "has it ended by today?").
    pub fn latest(self) -> Option<Date> {
        match self {
            PartialDate::Year(y) => Date::new(y, 12, 31).ok(),
            PartialDate::Month(y, m) => Date::new(y, m, days_in_month(y, m)).ok(),
            PartialDate::Day(d) => Some(d),
        }
    }

    /// The earliest day the value can mean (for ordering and age checks).
    pub fn earliest(self) -> Option<Date> {
        match self {
            PartialDate::Year(y) => Date::new(y, 1, 1).ok(),
            PartialDate::Month(y, m) => Date::new(y, m, 1).ok(),
            PartialDate::Day(d) => Some(d),
        }
    }
}

impl From<Date> for PartialDate {
    fn from(d: Date) -> PartialDate {
        PartialDate::Day(d)
    }
}

impl fmt::Display for PartialDate {
    /// Finnish and Swedish style: `2001`, `3.2001`, `4.3.2001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y}"),
            PartialDate::Month(y, m) => write!(f, "{m}.{y}"),
            PartialDate::Day(d) => write!(f, "{}", d.to_finnish()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn calendar_rules() {
        assert!(Date::new(2000, 2, 29).is_ok());
        assert!(Date::new(1900, 2, 29).is_err());
        assert!(Date::new(2024, 2, 29).is_ok());
        assert!(Date::new(2023, 2, 29).is_err());
        assert!(Date::new(2023, 4, 31).is_err());
        assert!(Date::new(2023, 13, 1).is_err());
        assert!(Date::new(2023, 1, 0).is_err());
    }

    #[test]
    fn finnish_wall_clock_follows_summer_time() {
        // 2026-11-27T10:00Z is 12.00 in winter; 2026-07-01T10:00Z is 13.00 in summer.
        assert_eq!(
            Timestamp(1_795_773_600_000).finnish_local(),
            "27.11.2026 12.00"
        );
        assert_eq!(
            Timestamp(1_782_900_000_000).finnish_local(),
            "1.7.2026 13.00"
        );
        // 22.30 UTC on 31 December is already the new year in Finland.
        assert_eq!(
            Timestamp(1_798_756_200_000).finnish_local(),
            "1.1.2027 00.30"
        );
    }

    #[test]
    fn typed_dates() -> Result<(), DateError> {
        let d = Date::new(1980, 2, 1)?;
        for ok in ["1.2.1980", "01.02.1980", " 1.02.1980 ", "1980-02-01"] {
            assert_eq!(Date::parse_input(ok), Ok(d), "{ok}");
        }
        for bad in [
            "",
            "1.2.80",
            "1.2",
            "1.2.1980.",
            "a.2.1980",
            "1/2/1980",
            "111.2.1980",
        ] {
            assert_eq!(Date::parse_input(bad), Err(DateError::Format), "{bad}");
        }
        assert_eq!(
            Date::parse_input("30.2.1980"),
            Err(DateError::Day {
                year: 1980,
                month: 2,
                day: 30
            })
        );
        assert_eq!(Date::parse_input("1.13.1980"), Err(DateError::Month(13)));
        Ok(())
    }

    #[test]
    fn epoch_conversions() -> Result<(), DateError> {
        assert_eq!(Date::new(1970, 1, 1)?.days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1)?.days_since_epoch(), 11_017);
        assert_eq!(Date::from_days_since_epoch(-1), Date::new(1969, 12, 31)?);
        assert_eq!(
            Timestamp(1_795_748_000_000).to_rfc3339(),
            "2026-11-27T02:53:20.000Z"
        );
        Ok(())
    }

    #[test]
    fn finnish_date_follows_summer_time() -> Result<(), DateError> {
        // 2026-11-26T22:30Z is 00:30 on the 27th in Helsinki (winter, +2).
        let winter =
            Date::new(2026, 11, 26)?.days_since_epoch() * 86_400_000 + 22 * 3_600_000 + 1_800_000;
        assert_eq!(
            Timestamp(winter).date_in_finland(),
            Date::new(2026, 11, 27)?
        );
        // 2026-06-30T21:30Z is 00:30 on 1 July (summer, +3); 20:30Z is still 30 June.
        let summer =
            Date::new(2026, 6, 30)?.days_since_epoch() * 86_400_000 + 21 * 3_600_000 + 1_800_000;
        assert_eq!(Timestamp(summer).date_in_finland(), Date::new(2026, 7, 1)?);
        assert_eq!(
            Timestamp(summer - 3_600_000).date_in_finland(),
            Date::new(2026, 6, 30)?
        );
        Ok(())
    }

    #[test]
    fn age_counts_whole_years() -> Result<(), DateError> {
        let born = Date::new(2000, 6, 15)?;
        assert_eq!(born.years_until(Date::new(2026, 6, 14)?), 25);
        assert_eq!(born.years_until(Date::new(2026, 6, 15)?), 26);
        Ok(())
    }

    proptest! {
        #[test]
        fn days_round_trip(days in -200_000i64..200_000) {
            let d = Date::from_days_since_epoch(days);
            prop_assert!(Date::new(d.year(), d.month(), d.day()).is_ok());
            prop_assert_eq!(d.days_since_epoch(), days);
            prop_assert_eq!(d.to_string().parse::<Date>(), Ok(d));
        }
    }
}
