//! Tests of the contact rules: question and notice forms, the queue's order, the thread's
//! states and the outgoing mail's retries.

use super::*;

type T = Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap_or_else(|e| unreachable!("{e}"))
}

fn line(id: u64, state: QuestionState, updated: i64) -> QuestionLine {
    QuestionLine {
        id: QuestionId(id),
        subject: "s".into(),
        topic: Topic::Other,
        state,
        asker_name: "a".into(),
        organisation_name: "o".into(),
        updated: Timestamp(updated),
    }
}

#[test]
fn question_numbers_are_shown_with_five_digits() -> T {
    assert_eq!(QuestionId(12).to_string(), "K-00012");
    assert_eq!(QuestionId(123_456).to_string(), "K-123456");
    Ok(())
}

#[test]
fn topics_and_notice_kinds_round_trip_through_their_slugs() -> T {
    for t in Topic::ALL {
        assert_eq!(Topic::from_slug(t.slug()), Some(t));
    }
    for k in NoticeKind::ALL {
        assert_eq!(NoticeKind::from_slug(k.slug()), Some(k));
    }
    assert_eq!(Topic::from_slug("Permit"), None);
    assert_eq!(NoticeKind::from_slug(""), None);
    let slugs: std::collections::HashSet<_> = Topic::ALL.iter().map(|t| t.slug()).collect();
    assert_eq!(slugs.len(), Topic::ALL.len(), "each topic its own slug");
    Ok(())
}

#[test]
fn a_question_needs_a_topic_a_subject_and_a_text() -> T {
    let empty = QuestionForm::default()
        .check()
        .err()
        .ok_or("expected an error")?;
    let fields: Vec<Field> = empty.iter().map(|e| e.field).collect();
    assert_eq!(fields, vec![Field::Topic, Field::Title, Field::Message]);
    let ok = QuestionForm {
        topic: "fees".into(),
        subject: "  Laskun erittely  ".into(),
        text: "Mistä marraskuun summa koostuu?".into(),
    }
    .check()
    .map_err(|e| format!("{e:?}"))?;
    assert_eq!(ok.topic, Topic::Fees);
    assert_eq!(ok.subject, "Laskun erittely");
    let long = QuestionForm {
        topic: "other".into(),
        subject: "x".repeat(121),
        text: "ok ok".into(),
    }
    .check()
    .err()
    .ok_or("expected an error")?;
    assert_eq!(long.len(), 1);
    assert_eq!(long[0].field, Field::Title);
    Ok(())
}

#[test]
fn the_thread_opens_on_the_askers_word_and_is_answered_on_the_registrys() -> T {
    use QuestionState::*;
    assert_eq!(Open.after_message(true), Some(Answered));
    assert_eq!(Answered.after_message(false), Some(Open));
    assert_eq!(Answered.after_message(true), Some(Answered));
    assert_eq!(Open.after_message(false), Some(Open));
    assert_eq!(Closed.after_message(true), None);
    assert_eq!(Closed.after_message(false), None);
    Ok(())
}

#[test]
fn staff_see_the_longest_waiting_question_first_then_the_latest_of_the_rest() -> T {
    let mut lines = [
        line(1, QuestionState::Answered, 100),
        line(2, QuestionState::Open, 500),
        line(3, QuestionState::Closed, 900),
        line(4, QuestionState::Open, 200),
        line(5, QuestionState::Answered, 300),
    ];
    lines.sort_by(queue_order);
    let ids: Vec<u64> = lines.iter().map(|l| l.id.0).collect();
    assert_eq!(ids, vec![4, 2, 3, 5, 1]);
    Ok(())
}

#[test]
fn a_notice_is_shown_through_its_last_day_until_withdrawn() -> T {
    let mut n = Notice {
        id: 1,
        kind: NoticeKind::PlannedBreak,
        title: "Huoltokatko".into(),
        body: "Palvelu on poissa käytöstä klo 18–20.".into(),
        until: Some(day(2026, 12, 3)),
        published: Timestamp(0),
        by_name: "Rita".into(),
        withdrawn: false,
    };
    assert!(n.current(day(2026, 12, 3)));
    assert!(!n.current(day(2026, 12, 4)));
    n.until = None;
    assert!(n.current(day(2030, 1, 1)));
    n.withdrawn = true;
    assert!(!n.current(day(2026, 12, 1)));
    Ok(())
}

#[test]
fn a_notice_form_refuses_a_past_last_day_and_a_missing_kind() -> T {
    let today = day(2026, 12, 1);
    let form = NoticeForm {
        kind: "break".into(),
        title: "Huoltokatko".into(),
        body: "Palvelu on poissa käytöstä.".into(),
        until: "30.11.2026".into(),
    };
    let errors = form.check(today).err().ok_or("expected an error")?;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, Field::ValidUntil);
    assert_eq!(
        errors[0].error,
        ValidationError::Date(crate::validation::DateRule::Past)
    );
    let ok = NoticeForm {
        until: "1.12.2026".into(),
        ..form.clone()
    }
    .check(today)
    .map_err(|e| format!("{e:?}"))?;
    assert_eq!(ok.until, Some(today));
    let unknown = NoticeForm {
        kind: "outage".into(),
        until: String::new(),
        ..form
    }
    .check(today)
    .err()
    .ok_or("expected an error")?;
    assert_eq!(unknown[0].field, Field::Topic);
    Ok(())
}

#[test]
fn e_mail_addresses_are_checked_and_their_domain_lower_cased() -> T {
    assert_eq!(
        parse_email(" Rita.Virtanen@DVV.fi ").map_err(|e| format!("{e:?}"))?,
        "Rita.Virtanen@dvv.fi"
    );
    assert_eq!(
        parse_email("").err().ok_or("expected an error")?.error,
        ValidationError::Required(Field::Email)
    );
    for bad in [
        "rita",
        "rita@",
        "@dvv.fi",
        "rita@dvv",
        "ri ta@dvv.fi",
        "a@b.fi\r\nBcc: x@y.fi",
    ] {
        assert_eq!(
            parse_email(bad).err().ok_or("expected an error")?.error,
            ValidationError::Email,
            "{bad:?}"
        );
    }
    Ok(())
}

fn mail(state: MailState) -> Mail {
    Mail {
        id: 1,
        to: "a@b.fi".into(),
        subject: "s".into(),
        body: "b".into(),
        created: Timestamp(0),
        state,
    }
}

#[test]
fn a_failed_mail_is_tried_again_after_a_doubling_pause_then_given_up() -> T {
    let now = Timestamp(1_000_000);
    let mut m = mail(MailState::Waiting);
    assert!(m.due(now));
    let mut pauses = Vec::new();
    for attempt in 1..MAIL_ATTEMPTS {
        m.state = m.after_attempt(now, Err("refused".into()));
        match &m.state {
            MailState::Failed {
                attempts, next_try, ..
            } => {
                assert_eq!(*attempts, attempt);
                assert!(!m.due(now));
                assert!(m.due(*next_try));
                assert!(!m.due(Timestamp(next_try.0 - 1)));
                pauses.push((next_try.0 - now.0) / 1000);
            }
            other => return Err(format!("attempt {attempt}: {other:?}").into()),
        }
    }
    assert_eq!(pauses, vec![60, 120, 240, 480]);
    m.state = m.after_attempt(now, Err("refused".into()));
    assert_eq!(
        m.state,
        MailState::GaveUp {
            attempts: MAIL_ATTEMPTS,
            error: "refused".into()
        }
    );
    assert!(!m.due(Timestamp(i64::MAX)));
    let sent = mail(MailState::Failed {
        attempts: 2,
        error: "x".into(),
        next_try: now,
    })
    .after_attempt(now, Ok(()));
    assert_eq!(sent, MailState::Sent { at: now });
    assert!(!mail(sent).due(Timestamp(i64::MAX)));
    Ok(())
}

#[test]
fn a_notice_mail_speaks_the_subscribers_language() -> T {
    let n = Notice {
        id: 7,
        kind: NoticeKind::Incident,
        title: "Hakujen hitaus".into(),
        body: "Haut ovat hitaita.".into(),
        until: Some(day(2026, 12, 2)),
        published: Timestamp(0),
        by_name: "Rita".into(),
        withdrawn: false,
    };
    let (fi_subject, fi_body) = notice_mail(&n, Lang::Fi);
    assert_eq!(fi_subject, "Kysely: Häiriö – Hakujen hitaus");
    assert!(fi_body.contains("Haut ovat hitaita."));
    assert!(fi_body.contains("Voimassa 2.12.2026"));
    assert!(fi_body.contains("Tilauksen voi perua"));
    let (sv_subject, sv_body) = notice_mail(&n, Lang::Sv);
    assert_eq!(sv_subject, "Kysely: Störning – Hakujen hitaus");
    assert!(sv_body.contains("Gäller till och med 2.12.2026"));
    let (_, en_body) = notice_mail(&Notice { until: None, ..n }, Lang::En);
    assert!(!en_body.contains("In effect until"));
    assert!(en_body.contains("unsubscribe"));
    Ok(())
}
