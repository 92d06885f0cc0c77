//! Tests of the fee rules: who pays, what a month comes to, months and their spans, and the
//! CSV the registry invoices from.

use super::*;

type T = Result<(), Box<dyn std::error::Error>>;
use crate::audit::{AuditEvent, SearchResult};
use crate::catalogue::ScreenId;
use crate::screen::SubjectRef;

fn basis(fees: Fees, per_user: Vec<(&str, u64)>) -> InvoiceBasis {
    invoice_basis(
        OrgId::from_static("kotiapu-oy"),
        "Kotiapu Oy".into(),
        Some("1234567-1".into()),
        Some("DVV/510/2026".into()),
        fees,
        Month {
            year: 2026,
            month: 11,
        },
        per_user
            .into_iter()
            .map(|(n, u)| (n.to_owned(), u))
            .collect(),
    )
}

#[test]
fn authorities_are_free_and_companies_pay_the_decree_prices() -> T {
    for kind in [
        OrgKind::StateAgency,
        OrgKind::Municipality,
        OrgKind::JointMunicipalAuthority,
        OrgKind::WellbeingServicesCounty,
        OrgKind::Registry,
    ] {
        assert_eq!(Fees::for_kind(kind), Fees::Statutory, "{kind:?}");
    }
    assert_eq!(Fees::for_kind(OrgKind::Company), Fees::Charged(TARIFF_2025));
    assert_eq!(
        (
            TARIFF_2025.per_unit,
            TARIFF_2025.per_user_month,
            TARIFF_2025.monthly_minimum
        ),
        (6, 100, 900)
    );
    Ok(())
}

#[test]
fn a_month_comes_to_units_and_users_at_least_the_minimum() -> T {
    let t = Fees::Charged(TARIFF_2025);
    // 1000 units × 0,06 + 2 users × 1 € = 62 €.
    assert_eq!(total_cents(t, 1000, 2), 6200);
    // 10 units × 0,06 + 1 € = 1,60 €: the minimum of 9 € applies.
    assert_eq!(total_cents(t, 10, 1), 900);
    // Just under the minimum (0,96 € + 8 €) and just over it (1,02 € + 8 €).
    assert_eq!(total_cents(t, 16, 8), 900);
    assert_eq!(total_cents(t, 17, 8), 902);
    assert_eq!(total_cents(t, 0, 0), 0, "nothing used, nothing charged");
    assert_eq!(total_cents(Fees::Statutory, 1_000_000, 50), 0);
    Ok(())
}

#[test]
fn the_invoice_basis_counts_users_who_disclosed_something() -> T {
    let b = basis(
        Fees::Charged(TARIFF_2025),
        vec![("Jaana", 120), ("Ilkka", 0), ("Aino", 300)],
    );
    assert_eq!(b.units, 420);
    assert_eq!(b.users, 2);
    assert_eq!(
        b.per_user,
        vec![("Aino".to_owned(), 300), ("Jaana".to_owned(), 120)]
    );
    assert_eq!(b.total_cents, 420 * 6 + 200);
    Ok(())
}

#[test]
fn only_screens_shown_are_data_units() -> T {
    let person = SubjectRef::Person(crate::screen::PersonId(7));
    let shown = AuditEvent::ScreenViewed {
        screen: ScreenId::ALL[0],
        subject: person,
        shown: vec![],
        withheld: false,
        protected: false,
    };
    assert_eq!(shown.units(), 1);
    let revealed = AuditEvent::ProtectedRevealed {
        screen: ScreenId::ALL[0],
        subject: person,
        shown: vec![],
        reason: crate::registry::Reason::parse("Lastensuojelun kiireellinen tarve")
            .map_err(|e| format!("{e:?}"))?
            .ok_or("a reason")?,
    };
    assert_eq!(revealed.units(), 1);
    let missed = AuditEvent::ScreenNotFound {
        screen: ScreenId::ALL[0],
        subject: Some(person),
    };
    assert_eq!(missed.units(), 0);
    assert_eq!(AuditEvent::LoggedOut.units(), 0);
    let _ = SearchResult::NotFound;
    Ok(())
}

#[test]
fn months_parse_step_and_span_finnish_midnights() -> T {
    let nov = Month::parse("2026-11").map_err(|e| format!("{e:?}"))?;
    assert_eq!(
        nov,
        Month {
            year: 2026,
            month: 11
        }
    );
    assert_eq!(nov.to_string(), "2026-11");
    assert_eq!(
        nov.next(),
        Month {
            year: 2026,
            month: 12
        }
    );
    assert_eq!(
        Month {
            year: 2026,
            month: 12
        }
        .next(),
        Month {
            year: 2027,
            month: 1
        }
    );
    assert_eq!(
        Month {
            year: 2027,
            month: 1
        }
        .previous(),
        Month {
            year: 2026,
            month: 12
        }
    );
    assert_eq!(
        nov.previous(),
        Month {
            year: 2026,
            month: 10
        }
    );
    for bad in [
        "2026-13", "2026-00", "26-11", "2026-1", "1999-12", "2101-01", "2026/11", "",
    ] {
        assert_eq!(
            Month::parse(bad).err().ok_or("expected an error")?.field,
            Field::Month,
            "{bad:?}"
        );
    }
    // November starts at 22.00 UTC on 31 October (winter time, UTC+2) and ends at 22.00 UTC
    // on 30 November.
    let (start, end) = nov.span();
    assert_eq!(start.to_rfc3339(), "2026-10-31T22:00:00.000Z");
    assert_eq!(end.to_rfc3339(), "2026-11-30T22:00:00.000Z");
    // July is summer time (UTC+3).
    let (start, _) = Month {
        year: 2026,
        month: 7,
    }
    .span();
    assert_eq!(start.to_rfc3339(), "2026-06-30T21:00:00.000Z");
    assert_eq!(
        start.date_in_finland(),
        Date::new(2026, 7, 1).map_err(|e| format!("{e:?}"))?
    );
    assert_eq!(
        Timestamp(start.0 - 1).date_in_finland(),
        Date::new(2026, 6, 30).map_err(|e| format!("{e:?}"))?
    );
    Ok(())
}

#[test]
fn euros_use_the_decimal_comma() -> T {
    assert_eq!(euros(0), "0,00");
    assert_eq!(euros(6), "0,06");
    assert_eq!(euros(123_456), "1234,56");
    Ok(())
}

#[test]
fn the_csv_has_one_line_per_organisation_and_defuses_formulas() -> T {
    let rows = vec![
        basis(
            Fees::Charged(TARIFF_2025),
            vec![("Jaana", 1000), ("Aino", 500)],
        ),
        InvoiceBasis {
            name: "=HYPERLINK(\"http://evil\";\"x\")".into(),
            ..basis(Fees::Statutory, vec![("Bob", 40)])
        },
    ];
    let csv = csv(&rows);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines.len(),
        4,
        "header, two rows, the final line break: {csv}"
    );
    assert!(lines[0].starts_with("kuukausi;organisaatio;y-tunnus"));
    assert_eq!(
        lines[1],
        "2026-11;Kotiapu Oy;1234567-1;DVV/510/2026;maksullinen;1500;2;0,06;1,00;9,00;92,00"
    );
    assert_eq!(
        lines[2],
        "2026-11;\"'=HYPERLINK(\"\"http://evil\"\";\"\"x\"\")\";1234567-1;DVV/510/2026;maksuton;40;1;;;;0,00"
    );
    assert_eq!(lines[3], "");
    Ok(())
}

#[test]
fn a_permit_states_its_prices_in_the_users_language() -> T {
    use crate::Lang;
    let charged = Fees::Charged(TARIFF_2025);
    assert_eq!(
        charged.describe(Lang::Fi),
        "0,06 € / tietoyksikkö, 1,00 € / käyttäjä / kk, vähintään 9,00 € / kk (VM:n maksuasetus)."
    );
    assert!(
        charged
            .describe(Lang::Sv)
            .starts_with("0,06 € / uppgiftsenhet")
    );
    assert!(
        charged
            .describe(Lang::En)
            .starts_with("€0,06 per data unit")
    );
    assert_eq!(
        Fees::Statutory.describe(Lang::Fi),
        "Maksuton: viranomaisen lakisääteinen tehtävä."
    );
    Ok(())
}

#[test]
fn a_name_with_the_separator_is_quoted_whole() -> T {
    let row = InvoiceBasis {
        name: "Oy Ab; Kiinteistöt \"Pohjoinen\"".into(),
        ..basis(Fees::Statutory, vec![("Bob", 1)])
    };
    let text = csv(&[row]);
    let line = text.split("\r\n").nth(1).ok_or("a row")?;
    assert!(
        line.starts_with("2026-11;\"Oy Ab; Kiinteistöt \"\"Pohjoinen\"\"\";"),
        "{line}"
    );
    Ok(())
}
