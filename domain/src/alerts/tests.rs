//! Each rule of the table, for a hit and for the nearest non-hit; an alert raised once per
//! window (and per person for the rules about one); the window's end.

#![allow(clippy::expect_used)]

use super::*;
use crate::date::Date;
use crate::hetu::CenturySign;

/// 2026-12-01 10.00 in Finland (a Tuesday, office hours).
fn day() -> Timestamp {
    Timestamp::start_of_finnish_day(Date::new(2026, 12, 1).expect("a day")).plus_seconds(36_000)
}

fn code(born_day: u8, individual: u16) -> Hetu {
    Hetu::new(
        Date::new(1980, 5, born_day).expect("a day"),
        CenturySign::Minus,
        individual,
    )
    .expect("a code")
}

fn search(at: Timestamp, c: Hetu, found: bool) -> Lookup {
    Lookup {
        at,
        code: Some(c),
        found,
        person: None,
    }
}

fn screen(at: Timestamp, person: &str, facts: Facts) -> Lookup {
    Lookup {
        at,
        code: None,
        found: true,
        person: Some((person.into(), facts)),
    }
}

/// Each rule about one person, and the fact that raises it.
fn person_rules() -> [(Rule, Facts); 4] {
    let no = Facts::default();
    [
        (
            Rule::Protected,
            Facts {
                protected: true,
                ..no
            },
        ),
        (
            Rule::Colleague,
            Facts {
                colleague: true,
                ..no
            },
        ),
        (Rule::Own, Facts { own: true, ..no }),
        (
            Rule::Household,
            Facts {
                household: true,
                ..no
            },
        ),
    ]
}

/// The rules raised over a series of lookups, in order.
fn raised(lookups: impl IntoIterator<Item = Lookup>, usual: u32) -> Vec<Rule> {
    let mut w = Watch::default();
    lookups
        .into_iter()
        .flat_map(|l| w.observe(l, usual))
        .map(|r| r.rule)
        .collect()
}

#[test]
fn the_table_has_one_line_for_each_rule() {
    for rule in Rule::ALL {
        assert_eq!(
            RULES.iter().filter(|s| s.rule == rule).count(),
            1,
            "{rule:?}"
        );
        assert_eq!(rule.spec().rule, rule);
        assert!(rule.spec().window_minutes > 0 && rule.spec().threshold > 0);
    }
}

#[test]
fn codes_in_sequence_are_a_sweep_and_scattered_ones_are_not() {
    let t = day();
    // Eight codes of one birth date, individual numbers 100, 102, …, 114: a sweep at the
    // eighth, found or not.
    let walk: Vec<Lookup> = (0..8u16)
        .map(|i| {
            search(
                t.plus_seconds(i64::from(i) * 30),
                code(7, 100 + 2 * i),
                i % 2 == 0,
            )
        })
        .collect();
    assert_eq!(raised(walk.clone(), 0), [Rule::SequentialCodes]);
    // Seven are not; nor eight with a gap of three in the run.
    assert!(raised(walk[..7].to_vec(), 0).is_empty());
    let gap: Vec<Lookup> = (0..8u16)
        .map(|i| {
            search(
                t.plus_seconds(i64::from(i) * 30),
                code(7, 100 + 2 * i + u16::from(i >= 4)),
                true,
            )
        })
        .collect();
    assert!(raised(gap, 0).is_empty());
    // Nor eight in sequence over more than the window's 30 minutes.
    let slow: Vec<Lookup> = (0..8u16)
        .map(|i| search(t.plus_seconds(i64::from(i) * 300), code(7, 100 + i), true))
        .collect();
    assert!(raised(slow, 0).is_empty());
    // Nor eight in sequence of different birth dates.
    let days: Vec<Lookup> = (0..8u16)
        .map(|i| {
            search(
                t.plus_seconds(i64::from(i) * 30),
                code(1 + u8::try_from(i).expect("small"), 100 + i),
                true,
            )
        })
        .collect();
    assert!(raised(days, 0).is_empty());
}

#[test]
fn many_codes_of_one_birth_date_are_raised_however_scattered() {
    let t = day();
    let many: Vec<Lookup> = (0..15u16)
        .map(|i| {
            search(
                t.plus_seconds(i64::from(i) * 200),
                code(9, 2 + 57 * i),
                true,
            )
        })
        .collect();
    assert_eq!(raised(many.clone(), 0), [Rule::OneBirthDate]);
    assert!(raised(many[..14].to_vec(), 0).is_empty());
    // The same code again and again is one code.
    let same: Vec<Lookup> = (0..30)
        .map(|i| search(t.plus_seconds(i * 10), code(9, 2), true))
        .collect();
    assert!(raised(same, 0).is_empty());
}

#[test]
fn mostly_not_found_is_raised_from_twenty_lookups_on() {
    let t = day();
    let run = |n: u16, missed_every: u16| -> Vec<Rule> {
        raised(
            (0..n).map(|i| {
                // Codes of many birth dates, not in sequence: only the miss rule can hit.
                search(
                    t.plus_seconds(i64::from(i) * 60),
                    code(1 + u8::try_from(i % 28).expect("small"), 2 + (37 * i) % 890),
                    i % missed_every != 0,
                )
            }),
            0,
        )
    };
    // Every lookup a miss (`i % 1 == 0` never finds): raised at the twentieth.
    assert_eq!(run(20, 1), [Rule::NotFound]);
    assert!(run(19, 1).is_empty());
    // Half missed (every second) is enough; a third is not.
    assert_eq!(run(20, 2), [Rule::NotFound]);
    assert!(run(40, 3).is_empty());
}

#[test]
fn a_person_rule_is_raised_once_a_day_for_each_person_it_names() {
    let t = day();
    for (rule, facts) in person_rules() {
        let got = raised(
            [
                screen(t, "p1", facts),
                screen(t.plus_seconds(60), "p1", facts),
                screen(t.plus_seconds(120), "p2", facts),
                // A day later the same person is raised again.
                screen(t.plus_seconds(86_400 + 120), "p1", facts),
            ],
            0,
        );
        assert_eq!(got, [rule, rule, rule], "{rule:?}");
        assert!(raised([screen(t, "p1", Facts::default())], 0).is_empty());
    }
}

#[test]
fn a_burst_is_measured_against_the_users_own_usual() {
    let t = day();
    let hour = |n: u32, usual: u32| {
        raised(
            (0..n).map(|i| {
                screen(
                    t.plus_seconds(i64::from(i) * 3600 / i64::from(n)),
                    "p",
                    Facts::default(),
                )
            }),
            usual,
        )
    };
    // Usually 20 an hour: 100 is five times that, 99 is not.
    assert_eq!(hour(100, 20), [Rule::Burst]);
    assert!(hour(99, 20).is_empty());
    // A quiet user's bar is the floor, not five times almost nothing.
    assert!(hour(BURST_FLOOR - 1, 1).is_empty());
    assert_eq!(hour(BURST_FLOOR, 1), [Rule::Burst]);
}

#[test]
fn night_is_from_eleven_to_five_in_finland() {
    let midnight = Timestamp::start_of_finnish_day(Date::new(2026, 12, 2).expect("a day"));
    let at = |minutes: i64| {
        raised(
            [screen(
                midnight.plus_seconds(minutes * 60),
                "p",
                Facts::default(),
            )],
            0,
        )
    };
    assert_eq!(at(-60), [Rule::Night], "23.00");
    assert!(at(-61).is_empty(), "22.59");
    assert_eq!(at(4 * 60 + 59), [Rule::Night], "04.59");
    assert!(at(5 * 60).is_empty(), "05.00");
    // In summer time too (UTC+3): 23.30 local on 1 July.
    let july = Timestamp::start_of_finnish_day(Date::new(2026, 7, 2).expect("a day"));
    assert_eq!(
        raised(
            [screen(july.plus_seconds(-30 * 60), "p", Facts::default())],
            0
        ),
        [Rule::Night]
    );
    // A night's lookups raise one alert.
    assert_eq!(
        raised(
            (0..10).map(|i| screen(midnight.plus_seconds(i * 600), "p", Facts::default())),
            0
        ),
        [Rule::Night]
    );
}

#[test]
fn a_sweep_downwards_or_from_the_middle_is_a_sweep_too() {
    let t = day();
    // Individual numbers 114, 112, …, 100: the newest is the lowest of the run.
    let down: Vec<Lookup> = (0..8u16)
        .map(|i| {
            search(
                t.plus_seconds(i64::from(i) * 30),
                code(7, 114 - 2 * i),
                true,
            )
        })
        .collect();
    assert_eq!(raised(down, 0), [Rule::SequentialCodes]);
    // Both ends first, the middle last: the run goes both ways from the newest.
    let order = [100u16, 114, 102, 112, 104, 110, 106, 108];
    let middle: Vec<Lookup> = order
        .iter()
        .enumerate()
        .map(|(i, n)| {
            search(
                t.plus_seconds(i64::try_from(i).expect("small") * 30),
                code(7, *n),
                true,
            )
        })
        .collect();
    assert_eq!(raised(middle.clone(), 0), [Rule::SequentialCodes]);
    assert!(raised(middle[..7].to_vec(), 0).is_empty());
    // Six in a run below two codes far above them are no run of eight.
    let apart: Vec<Lookup> = [120u16, 122, 100, 102, 104, 106, 108, 110]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            search(
                t.plus_seconds(i64::try_from(i).expect("small") * 30),
                code(7, *n),
                true,
            )
        })
        .collect();
    assert!(raised(apart, 0).is_empty());
}

#[test]
fn a_window_ends_exactly_when_it_says() {
    let t = day();
    // Eight in sequence, the first exactly 30 minutes before the eighth: out of the window.
    let edge: Vec<Lookup> = (0..8u16)
        .map(|i| {
            let at = if i == 0 {
                t
            } else {
                t.plus_seconds(30 * 60 - 7 + i64::from(i))
            };
            search(at, code(7, 100 + i), true)
        })
        .collect();
    assert!(raised(edge.clone(), 0).is_empty());
    // A second later it was in.
    let mut inside = edge;
    inside[0].at = t.plus_seconds(1);
    assert_eq!(raised(inside, 0), [Rule::SequentialCodes]);
    // A person rule's day: the same person two hours and 23 hours later is not raised again;
    // exactly a day later it is.
    for (rule, facts) in person_rules() {
        assert_eq!(
            raised(
                [
                    screen(t, "p1", facts),
                    screen(t.plus_seconds(2 * 3600), "p1", facts),
                    screen(t.plus_seconds(23 * 3600), "p1", facts),
                    screen(t.plus_seconds(24 * 3600), "p1", facts),
                ],
                0
            ),
            [rule, rule],
            "{rule:?}"
        );
    }
}

mod lookups {
    use super::*;
    use crate::ScreenId;
    use crate::access::{Denied, Request};
    use crate::audit::{AuditActor, SearchResult};
    use crate::purpose::Purpose;
    use crate::search::SearchKind;
    use crate::subject::{PersonId, SubjectRef};

    fn entry(event: AuditEvent) -> AuditEntry {
        AuditEntry {
            at: day(),
            actor: AuditActor {
                user: "u-frank".into(),
                name: "Frank".into(),
                organisation: "espoo".into(),
                request_id: "r".into(),
                source: "127.0.0.1".into(),
            },
            purpose: Some(Purpose::MunicipalTasks),
            case_ref: None,
            event,
        }
    }

    const PERSON: SubjectRef = SubjectRef::Person(PersonId(7));

    #[test]
    fn searches_screens_and_refused_searches_are_lookups_the_rest_are_not() {
        let c = code(3, 200);
        let found = lookup_of(&entry(AuditEvent::SearchRun {
            criteria: Search::Hetu(c),
            result: SearchResult::Found(PERSON),
        }))
        .expect("a search is a lookup");
        assert_eq!(
            (found.code, found.found, found.person),
            (Some(c), true, None)
        );
        let missed = lookup_of(&entry(AuditEvent::SearchRun {
            criteria: Search::Hetu(c),
            result: SearchResult::NotFound,
        }))
        .expect("a search is a lookup");
        assert!(!missed.found);
        let refused = lookup_of(&entry(AuditEvent::AccessDenied {
            request: Request::Search(SearchKind::Hetu),
            reason: Denied::NoRight,
            criteria: Some(Search::Hetu(c)),
        }))
        .expect("a refused search is a lookup: a sweep goes on when refused");
        assert_eq!((refused.code, refused.found), (Some(c), false));
        for (protected, withheld) in [(false, false), (true, false), (true, true)] {
            let shown = lookup_of(&entry(AuditEvent::ScreenViewed {
                screen: ScreenId::PersonBasic,
                subject: PERSON,
                shown: Vec::new(),
                withheld,
                protected,
            }))
            .expect("a screen is a lookup");
            let (key, facts) = shown.person.expect("about the person");
            assert_eq!(
                (key.as_str(), facts.protected),
                ("person:0000000000000007", protected)
            );
        }
        let revealed = lookup_of(&entry(AuditEvent::ProtectedRevealed {
            screen: ScreenId::PersonBasic,
            subject: PERSON,
            shown: Vec::new(),
            reason: crate::registry::Reason::parse("hätätilanne")
                .expect("a reason")
                .expect("typed"),
        }))
        .expect("a lookup");
        assert!(revealed.person.expect("about the person").1.protected);
        let none = lookup_of(&entry(AuditEvent::ScreenNotFound {
            screen: ScreenId::PersonBasic,
            subject: None,
        }))
        .expect("a screen not found is a lookup");
        assert!(!none.found && none.person.is_none());
        for not_one in [
            AuditEvent::LoggedOut,
            AuditEvent::AccessDenied {
                request: Request::Screen {
                    screen: ScreenId::PersonBasic,
                    subject: Some(PERSON),
                    reveal: false,
                },
                reason: Denied::NoRight,
                criteria: None,
            },
        ] {
            assert_eq!(lookup_of(&entry(not_one)), None);
        }
    }

    #[test]
    fn a_remembered_alert_is_not_raised_again_within_its_window() {
        let mut w = Watch::default();
        w.remember(Rule::Night, None, day());
        let night = Timestamp::start_of_finnish_day(Date::new(2026, 12, 1).expect("a day"))
            .plus_seconds(23 * 3600 + 60);
        let lookup = |at| Lookup {
            at,
            code: None,
            found: true,
            person: None,
        };
        // 13 hours later the remembered one is past its six hours: raised.
        assert_eq!(w.observe(lookup(night), 0).len(), 1);
        let mut w = Watch::default();
        w.remember(Rule::Night, None, night.plus_seconds(-60));
        assert!(w.observe(lookup(night), 0).is_empty());
    }

    #[test]
    fn the_mail_names_the_rule_the_user_and_the_link_in_the_readers_language() {
        let alert = Alert {
            entry: 9,
            rule: Rule::SequentialCodes,
            organisation: "espoo".into(),
            user: "u-frank".into(),
            name: "Frank".into(),
            at: day(),
            since: day().plus_seconds(-1800),
            handled: None,
        };
        let (subject, body) = alert_mail(&alert, Lang::Sv, "https://k.example/log");
        assert!(subject.contains("i följd"), "{subject}");
        assert!(body.contains("Frank (u-frank, espoo)") && body.contains("https://k.example/log"));
        assert!(body.contains("Användare"), "{body}");
    }
}

/// A user going as fast as the service lets them: 100,000 lookups within one hour, through
/// every code of one birth date again and again. Each lookup costs what the rules need (a count, the
/// birth date's at most 1,000 numbers), not the hour's length: a watch that rescanned the hour
/// for every lookup would take some 5 × 10^9 steps here and time the run out.
#[test]
fn a_fast_hour_costs_each_lookup_the_same() {
    let mut w = Watch::default();
    let mut raised = Vec::new();
    for i in 0..100_000i64 {
        // 100,000 lookups in 50 minutes: 30 ms apart.
        let at = Timestamp(day().0 + i * 30);
        let individual = 2 + u16::try_from(i % 898).expect("a number");
        raised.extend(
            w.observe(search(at, code(3, individual), false), 10)
                .into_iter()
                .map(|r| r.rule),
        );
    }
    raised.sort();
    assert_eq!(
        raised,
        // The sweep again once its first alert's 30 minutes are past.
        [
            Rule::SequentialCodes,
            Rule::SequentialCodes,
            Rule::OneBirthDate,
            Rule::NotFound,
            Rule::Burst
        ]
    );
    assert!(
        w.codes
            .get(&code(3, 2).birth_date().days_since_epoch())
            .is_some_and(|n| n.len() == 898)
    );
}

#[test]
fn a_rule_keeps_its_number_and_its_window() {
    let codes: Vec<u8> = Rule::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(codes, (0..9).collect::<Vec<u8>>());
    for rule in Rule::ALL {
        assert_eq!(Rule::from_code(rule.code()), Some(rule));
    }
    assert_eq!(Rule::from_code(9), None);
    assert_eq!(Rule::SequentialCodes.window_millis(), 30 * 60_000);
    assert_eq!(Rule::Protected.window_millis(), 24 * 60 * 60_000);
}

/// What the hour keeps ends exactly an hour back: the lookup made exactly then is gone (with
/// its miss and its code), one searched again since stays with its later time.
#[test]
fn the_hour_forgets_what_is_an_hour_old_and_only_that() {
    let hour = 3600;
    // A burst needs 60 in the hour (usual 0): the first exactly an hour before the sixtieth.
    let mut w = Watch::default();
    let mut got = w.observe(search(day(), code(3, 2), true), 0);
    for _ in 0..58 {
        got.extend(w.observe(search(day().plus_seconds(hour / 2), code(4, 2), true), 0));
    }
    got.extend(w.observe(search(day().plus_seconds(hour), code(4, 2), true), 0));
    assert!(got.iter().all(|r| r.rule != Rule::Burst), "{got:?}");
    assert!(
        !w.codes
            .contains_key(&code(3, 2).birth_date().days_since_epoch()),
        "the hour-old code is forgotten"
    );
    assert!(
        w.codes
            .contains_key(&code(4, 2).birth_date().days_since_epoch())
    );
    // Twenty misses, then an hour and a minute later twenty finds: nothing missed any more.
    let mut w = Watch::default();
    for _ in 0..20 {
        w.observe(search(day(), code(5, 2), false), 0);
    }
    let later = day().plus_seconds(hour + 60);
    let mut got = Vec::new();
    for _ in 0..20 {
        got.extend(w.observe(search(later, code(6, 2), true), 0));
    }
    assert!(got.iter().all(|r| r.rule != Rule::NotFound), "{got:?}");
    assert_eq!(w.missed, 0);
    // A code searched at the start and again half an hour later is kept with the later time
    // when the first search is an hour old.
    let mut w = Watch::default();
    w.observe(search(day(), code(7, 2), true), 0);
    w.observe(search(day().plus_seconds(hour / 2), code(7, 2), true), 0);
    w.observe(search(day().plus_seconds(hour + 1), code(8, 2), true), 0);
    let kept = w.codes.get(&code(7, 2).birth_date().days_since_epoch());
    assert_eq!(
        kept.and_then(|n| n.get(&2)).copied(),
        Some(day().plus_seconds(hour / 2).0)
    );
}

#[test]
fn an_alert_is_remembered_once() {
    let mut w = Watch::default();
    w.remember(Rule::Protected, Some("person:1".into()), day());
    w.remember(Rule::Protected, Some("person:1".into()), day());
    assert_eq!(w.raised.len(), 1);
    w.remember(Rule::Protected, Some("person:2".into()), day());
    w.remember(Rule::Colleague, Some("person:1".into()), day());
    w.remember(
        Rule::Protected,
        Some("person:1".into()),
        day().plus_seconds(1),
    );
    assert_eq!(w.raised.len(), 4);
}
