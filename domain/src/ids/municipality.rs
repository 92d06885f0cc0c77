//! Municipality numbers (kuntanumero): three digits with leading zeros. A [`MunicipalityCode`]
//! is always either a current or a former municipality listed in `data/municipalities.tsv`
//! (compiled in and parsed once) or one of the artificial home-municipality codes 198 (no home
//! municipality in Finland), 199 (home municipality unknown) and 200 (abroad).

mod texts;
use texts as t;

use super::{IdError, IdKind, digits, trimmed};
use crate::lang::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

/// The official language(s) of a municipality.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MunicipalityLanguage {
    Finnish,
    Swedish,
    BilingualFinnishMajority,
    BilingualSwedishMajority,
}

impl MunicipalityLanguage {
    /// The code in the table's `language` column.
    fn from_column(s: &str) -> Option<MunicipalityLanguage> {
        Some(match s {
            "fi" => MunicipalityLanguage::Finnish,
            "sv" => MunicipalityLanguage::Swedish,
            "fi+sv" => MunicipalityLanguage::BilingualFinnishMajority,
            "sv+fi" => MunicipalityLanguage::BilingualSwedishMajority,
            _ => return None,
        })
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            MunicipalityLanguage::Finnish => t::MUNICIPALITY_LANGUAGE_FINNISH,
            MunicipalityLanguage::Swedish => t::MUNICIPALITY_LANGUAGE_SWEDISH,
            MunicipalityLanguage::BilingualFinnishMajority => {
                t::MUNICIPALITY_LANGUAGE_BILINGUAL_FINNISH_MAJORITY
            }
            MunicipalityLanguage::BilingualSwedishMajority => {
                t::MUNICIPALITY_LANGUAGE_BILINGUAL_SWEDISH_MAJORITY
            }
        }
        .get(lang)
    }

    /// Whether Swedish is the majority language (and so the name used in English).
    fn swedish_majority(self) -> bool {
        matches!(
            self,
            MunicipalityLanguage::Swedish | MunicipalityLanguage::BilingualSwedishMajority
        )
    }
}

/// A known municipality number. Parsing wants exactly three digits (`091`, not `91`) and
/// accepts surrounding spaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MunicipalityCode(u16);

/// One row of `municipalities.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Municipality {
    name_fi: &'static str,
    name_sv: &'static str,
    language: Option<MunicipalityLanguage>,
    current: bool,
}

/// Rows indexed by code (0–999).
type Table = Vec<Option<Municipality>>;

const TSV: &str = include_str!("../../data/municipalities.tsv");

static TABLE: LazyLock<Table> = LazyLock::new(|| parse_table(TSV).0);

/// Reads tab-separated `code name_fi name_sv language status` rows. A header row, blank
/// lines and `#` comments are skipped; rows for the artificial codes are ignored (their texts
/// are here). A number listed twice keeps its current row. Also returns the numbers of the
/// lines that did not parse (the tests require none).
fn parse_table(text: &'static str) -> (Table, Vec<usize>) {
    let mut by_code = vec![None; 1000];
    let mut bad_lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("code\t") {
            continue;
        }
        let Some((code, row)) = parse_row(line) else {
            bad_lines.push(index + 1);
            continue;
        };
        if ARTIFICIAL.iter().any(|(c, _)| *c == code) {
            continue;
        }
        let slot: &mut Option<Municipality> = &mut by_code[usize::from(code)];
        if slot.is_none_or(|old| !old.current) {
            *slot = Some(row);
        }
    }
    (by_code, bad_lines)
}

fn parse_row(line: &'static str) -> Option<(u16, Municipality)> {
    let fields: Vec<&'static str> = line.split('\t').map(str::trim).collect();
    let [code, name_fi, name_sv, language, status] = fields.as_slice() else {
        return None;
    };
    let code = u16::try_from(digits(code, 3).filter(|_| code.len() == 3)?).ok()?;
    let language = match *language {
        "" | "-" => None,
        other => Some(MunicipalityLanguage::from_column(other)?),
    };
    let current = match *status {
        "current" => true,
        "historical" => false,
        _ => return None,
    };
    if name_fi.is_empty() && name_sv.is_empty() {
        return None;
    }
    Some((
        code,
        Municipality {
            name_fi,
            name_sv,
            language,
            current,
        },
    ))
}

/// The artificial home-municipality codes and their texts.
const ARTIFICIAL: [(u16, Text); 3] = [
    (198, t::NO_HOME_MUNICIPALITY),
    (199, t::HOME_MUNICIPALITY_UNKNOWN),
    (200, t::ABROAD),
];

impl MunicipalityCode {
    /// 198: no home municipality in Finland.
    pub const NO_HOME_MUNICIPALITY: MunicipalityCode = MunicipalityCode(198);
    /// 199: home municipality unknown.
    pub const UNKNOWN: MunicipalityCode = MunicipalityCode(199);
    /// 200: abroad.
    pub const ABROAD: MunicipalityCode = MunicipalityCode(200);

    /// A current, former or artificial municipality number.
    pub fn new(code: u16) -> Result<MunicipalityCode, IdError> {
        let known = ARTIFICIAL.iter().any(|(c, _)| *c == code) || Self::row(code).is_some();
        if known {
            Ok(MunicipalityCode(code))
        } else {
            Err(IdError::UnknownMunicipality { code })
        }
    }

    fn row(code: u16) -> Option<Municipality> {
        TABLE.get(usize::from(code)).copied().flatten()
    }

    pub fn code(self) -> u16 {
        self.0
    }

    /// The municipality's name. English has no names of its own: it uses the majority
    /// language's name (Helsinki, Mariehamn). A missing name falls back to the other language.
    pub fn name(self, lang: Lang) -> &'static str {
        if let Some((_, text)) = ARTIFICIAL.iter().find(|(c, _)| *c == self.0) {
            return text.get(lang);
        }
        let Some(row) = Self::row(self.0) else {
            return "";
        };
        let swedish = match lang {
            Lang::Fi => false,
            Lang::Sv => true,
            Lang::En => row
                .language
                .is_some_and(MunicipalityLanguage::swedish_majority),
        };
        let (first, second) = if swedish {
            (row.name_sv, row.name_fi)
        } else {
            (row.name_fi, row.name_sv)
        };
        if first.is_empty() { second } else { first }
    }

    /// A municipality that exists today (not a former one, not an artificial code).
    pub fn is_current(self) -> bool {
        Self::row(self.0).is_some_and(|row| row.current)
    }

    /// 198, 199 or 200: a home-municipality code that is no municipality.
    pub fn is_artificial(self) -> bool {
        ARTIFICIAL.iter().any(|(c, _)| *c == self.0)
    }

    /// The official language(s); `None` for artificial codes and where the table has none. For
    /// former municipalities the table's value is approximate (see `data/SOURCES.md`).
    pub fn language(self) -> Option<MunicipalityLanguage> {
        Self::row(self.0).and_then(|row| row.language)
    }

    /// A municipality as a clerk types it: its number (`049`) or its Finnish or Swedish name
    /// in any case and with or without diacritics (`Espoo`, `esbo`, `Mantta-Vilppula`). A name
    /// that a current and a former municipality share means the current one.
    pub fn lookup(input: &str) -> Result<MunicipalityCode, IdError> {
        let s = trimmed(input, IdKind::MunicipalityCode)?;
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse();
        }
        let wanted = crate::names::normalise_name(s);
        let mut former = None;
        for (code, row) in TABLE.iter().enumerate() {
            let Some(row) = row else { continue };
            let matches = [row.name_fi, row.name_sv]
                .iter()
                .any(|n| !n.is_empty() && crate::names::normalise_name(n) == wanted);
            if !matches {
                continue;
            }
            let Ok(code) = u16::try_from(code) else {
                continue;
            };
            if row.current {
                return Ok(MunicipalityCode(code));
            }
            former.get_or_insert(MunicipalityCode(code));
        }
        former.ok_or(IdError::UnknownMunicipalityName)
    }

    /// Today's municipalities in numeric order, without the artificial codes.
    pub fn all_current() -> impl Iterator<Item = MunicipalityCode> {
        TABLE
            .iter()
            .enumerate()
            .filter(|(_, row)| row.is_some_and(|r| r.current))
            .filter_map(|(code, _)| u16::try_from(code).ok().map(MunicipalityCode))
    }
}

impl FromStr for MunicipalityCode {
    type Err = IdError;
    fn from_str(input: &str) -> Result<MunicipalityCode, IdError> {
        let kind = IdKind::MunicipalityCode;
        let s = trimmed(input, kind)?;
        let found = s.chars().count();
        if found != 3 {
            return Err(IdError::Length {
                kind,
                expected: 3,
                found,
            });
        }
        let code = digits(s, 3).ok_or(IdError::Format { kind })?;
        MunicipalityCode::new(code as u16)
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

string_serde!(MunicipalityCode);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::testing::{assert_accepts, assert_refuses, assert_serde};
    use proptest::prelude::*;

    const KIND: IdKind = IdKind::MunicipalityCode;

    fn code(s: &str) -> MunicipalityCode {
        s.parse()
            .unwrap_or_else(|e| unreachable!("{s} is a municipality: {e}"))
    }

    #[test]
    fn the_table_parses_completely() {
        assert_eq!(parse_table(TSV).1, Vec::<usize>::new());
        // 309 municipalities from 2023 on (DOMAIN.md §3.6); the count is data, not a rule.
        assert!(MunicipalityCode::all_current().count() >= 300);
    }

    #[test]
    fn vectors() {
        assert_accepts::<MunicipalityCode>(&[
            ("091", "091"),
            (" 049 ", "049"),
            ("478", "478"),
            ("101", "101"),
            ("198", "198"),
            ("199", "199"),
            ("200", "200"),
        ]);
        assert_refuses::<MunicipalityCode>(&[
            ("", IdError::Empty { kind: KIND }),
            (
                "91",
                IdError::Length {
                    kind: KIND,
                    expected: 3,
                    found: 2,
                },
            ),
            (
                "0091",
                IdError::Length {
                    kind: KIND,
                    expected: 3,
                    found: 4,
                },
            ),
            ("9 1", IdError::Format { kind: KIND }),
            ("O91", IdError::Format { kind: KIND }),
            ("000", IdError::UnknownMunicipality { code: 0 }),
            ("999", IdError::UnknownMunicipality { code: 999 }),
        ]);
    }

    #[test]
    fn names_languages_and_status() {
        let helsinki = code("091");
        assert_eq!(helsinki.name(Lang::Fi), "Helsinki");
        assert_eq!(helsinki.name(Lang::Sv), "Helsingfors");
        assert_eq!(helsinki.name(Lang::En), "Helsinki");
        assert_eq!(
            helsinki.language(),
            Some(MunicipalityLanguage::BilingualFinnishMajority)
        );
        assert!(helsinki.is_current() && !helsinki.is_artificial());

        let mariehamn = code("478");
        assert_eq!(mariehamn.name(Lang::Fi), "Maarianhamina");
        assert_eq!(mariehamn.name(Lang::En), "Mariehamn");
        assert_eq!(mariehamn.language(), Some(MunicipalityLanguage::Swedish));

        let tampere = code("837");
        assert_eq!(tampere.language(), Some(MunicipalityLanguage::Finnish));
        assert_eq!(tampere.name(Lang::Sv), "Tammerfors");

        for former in ["101", "279"] {
            let m = code(former);
            assert!(!m.is_current() && !m.is_artificial(), "{former}");
            assert!(!m.name(Lang::Fi).is_empty());
        }
        assert_eq!(code("101").name(Lang::Sv), "Houtskär");

        for (artificial, fi) in [
            (
                MunicipalityCode::NO_HOME_MUNICIPALITY,
                "Ei kotikuntaa Suomessa",
            ),
            (MunicipalityCode::UNKNOWN, "Kotikunta tuntematon"),
            (MunicipalityCode::ABROAD, "Ulkomaat"),
        ] {
            assert!(artificial.is_artificial() && !artificial.is_current());
            assert_eq!(artificial.language(), None);
            assert_eq!(artificial.name(Lang::Fi), fi);
            assert_eq!(artificial.to_string().parse(), Ok(artificial));
        }
    }

    #[test]
    fn lookup_by_number_or_name_in_either_language() {
        assert_eq!(MunicipalityCode::lookup("049"), Ok(code("049")));
        assert_eq!(MunicipalityCode::lookup(" Espoo "), Ok(code("049")));
        assert_eq!(MunicipalityCode::lookup("esbo"), Ok(code("049")));
        assert_eq!(MunicipalityCode::lookup("HELSINGFORS"), Ok(code("091")));
        assert_eq!(
            MunicipalityCode::lookup("Hameenlinna"),
            MunicipalityCode::lookup("Hämeenlinna")
        );
        assert_eq!(
            MunicipalityCode::lookup("Atlantis"),
            Err(IdError::UnknownMunicipalityName)
        );
        assert_eq!(
            MunicipalityCode::lookup("  "),
            Err(IdError::Empty {
                kind: IdKind::MunicipalityCode
            })
        );
        assert_eq!(
            MunicipalityCode::lookup("999"),
            Err(IdError::UnknownMunicipality { code: 999 })
        );
    }

    #[test]
    fn all_current_lists_only_todays_municipalities_in_order() {
        let all: Vec<MunicipalityCode> = MunicipalityCode::all_current().collect();
        assert!(all.contains(&code("091")) && all.contains(&code("049")));
        assert!(!all.contains(&code("101")) && !all.contains(&MunicipalityCode::ABROAD));
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert!(
            all.iter()
                .all(|m| m.is_current() && !m.name(Lang::Fi).is_empty())
        );
    }

    #[test]
    fn table_parsing_rules() {
        let (table, bad_lines) = parse_table(
            "code\tname_fi\tname_sv\tlanguage\tstatus\n\
             # comment\n\
             \n\
             049\tEspoo\tEsbo\tfi+sv\tcurrent\r\n\
             445\tLänsi-Turunmaa\tVäståboland\tsv+fi\thistorical\n\
             445\tParainen\tPargas\tsv+fi\tcurrent\n\
             200\tUlkomaat\tUtlandet\t\tcurrent\n\
             49\tEspoo\tEsbo\tfi+sv\tcurrent\n\
             050\tEura\tEura\tfi\tnow\n\
             051\tEurajoki\tEuraåminne\tfi\n",
        );
        assert_eq!(bad_lines, vec![8, 9, 10]);
        let parainen = table[445];
        assert_eq!(
            parainen.map(|r| (r.name_fi, r.current)),
            Some(("Parainen", true))
        );
        assert!(table[200].is_none());
        assert_eq!(
            table[49].and_then(|r| r.language),
            Some(MunicipalityLanguage::BilingualFinnishMajority)
        );
    }

    #[test]
    fn serde_refuses_unknown_codes() {
        assert_serde::<MunicipalityCode>("091", "91");
        assert_serde::<MunicipalityCode>("200", "999");
    }

    proptest! {
        #[test]
        fn every_three_digit_string_parses_iff_known(n in 0u16..1000) {
            let text = format!("{n:03}");
            match MunicipalityCode::new(n) {
                Ok(m) => {
                    prop_assert_eq!(m.to_string(), text.clone());
                    prop_assert_eq!(text.parse::<MunicipalityCode>(), Ok(m));
                    prop_assert!(!m.name(Lang::Fi).is_empty());
                    prop_assert!(!m.name(Lang::Sv).is_empty());
                    prop_assert!(!m.name(Lang::En).is_empty());
                }
                Err(e) => prop_assert_eq!(text.parse::<MunicipalityCode>(), Err(e)),
            }
        }
    }
}
