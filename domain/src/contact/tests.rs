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
        until: "30.11.2026".into(),
        ..NoticeForm::in_one(
            NoticeKind::PlannedBreak,
            Lang::Fi,
            "Huoltokatko",
            "Palvelu on poissa käytöstä.",
        )
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
fn a_notice_is_written_in_one_two_or_three_languages_each_whole() -> T {
    let today = day(2026, 12, 1);
    let mut form = NoticeForm::in_one(NoticeKind::Info, Lang::Sv, "Ny version", "Kysely 2.0.");
    let one = form.check(today).map_err(|e| format!("{e:?}"))?;
    assert_eq!(one.texts.len(), 1);
    assert_eq!(one.texts[0].lang, Lang::Sv);
    // A language with a title and no body (or the other way) is neither kept nor dropped:
    // the form says which field of which language to fill in.
    form.texts[2].title = "New version".into();
    form.texts[0].body = "Kysely 2.0.".into();
    let errors = form.check(today).err().ok_or("expected an error")?;
    assert_eq!(
        errors.iter().map(|e| e.error.clone()).collect::<Vec<_>>(),
        vec![
            ValidationError::Incomplete {
                field: Field::Title,
                lang: Lang::Fi
            },
            ValidationError::Incomplete {
                field: Field::Message,
                lang: Lang::En
            },
        ]
    );
    assert!(errors[0].error.message(Lang::Fi).contains("suomeksi"));
    assert!(errors[1].error.message(Lang::Sv).contains("på engelska"));
    form.texts[0].title = "Uusi versio".into();
    form.texts[2].body = "Kysely 2.0.".into();
    let three = form.check(today).map_err(|e| format!("{e:?}"))?;
    let langs: Vec<Lang> = three.texts.iter().map(|t| t.lang).collect();
    assert_eq!(langs, vec![Lang::Fi, Lang::Sv, Lang::En]);
    // Nothing written in any language: the title is asked for, once.
    let blank = NoticeForm {
        kind: "info".into(),
        ..NoticeForm::default()
    };
    let errors = blank.check(today).err().ok_or("expected an error")?;
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.field, e.error.clone()))
            .collect::<Vec<_>>(),
        vec![(Field::Title, ValidationError::Required(Field::Title))]
    );
    // With the kind missing too, both are said at once.
    let errors = NoticeForm::default()
        .check(today)
        .err()
        .ok_or("expected an error")?;
    assert_eq!(
        errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        vec![Field::Topic, Field::Title]
    );
    // More groups than languages (a crafted request): refused whole, with one error.
    let mut crafted = NoticeForm::in_one(NoticeKind::Info, Lang::Fi, "Otsikko", "Teksti.");
    crafted.texts = vec![crafted.texts[0].clone(); 1000];
    assert_eq!(crafted.check(today).err().map(|e| e.len()), Some(1));
    // The same language twice (a crafted request) is refused, not silently merged.
    let mut twice = NoticeForm::in_one(NoticeKind::Info, Lang::Fi, "Otsikko", "Teksti.");
    twice.texts[1] = twice.texts[0].clone();
    assert!(twice.check(today).is_err());
    Ok(())
}

fn shown(texts: &[(Lang, &str, &str)]) -> NoticeShown {
    NoticeShown {
        notice: Notice {
            id: 7,
            kind: NoticeKind::Incident,
            title: "Hakujen hitaus".into(),
            body: "Haut ovat hitaita.".into(),
            until: Some(day(2026, 12, 2)),
            published: Timestamp(0),
            by_name: "Rita".into(),
            withdrawn: false,
        },
        texts: texts
            .iter()
            .map(|(lang, title, body)| NoticeText {
                lang: *lang,
                title: (*title).into(),
                body: (*body).into(),
            })
            .collect(),
    }
}

#[test]
fn a_notice_is_read_in_the_readers_language_or_marked_with_its_own() -> T {
    let both = shown(&[
        (Lang::Fi, "Hakujen hitaus", "Haut ovat hitaita."),
        (Lang::Sv, "Långsamma sökningar", "Sökningarna är långsamma."),
    ]);
    assert_eq!(
        both.words(Lang::Sv),
        ("Långsamma sökningar", "Sökningarna är långsamma.", None)
    );
    assert_eq!(both.words(Lang::Fi).0, "Hakujen hitaus");
    // English was not written: the first language written, marked as such.
    assert_eq!(
        both.words(Lang::En),
        ("Hakujen hitaus", "Haut ovat hitaita.", Some(Lang::Fi))
    );
    let only_sv = shown(&[(Lang::Sv, "Långsamma sökningar", "Sökningarna är långsamma.")]);
    assert_eq!(only_sv.words(Lang::Fi).2, Some(Lang::Sv));
    // A notice from before languages: its record's words, unmarked (its language is unknown).
    assert_eq!(
        shown(&[]).words(Lang::Sv),
        ("Hakujen hitaus", "Haut ovat hitaita.", None)
    );
    Ok(())
}

#[test]
fn a_notice_mail_speaks_the_subscribers_language() -> T {
    let n = shown(&[(Lang::Fi, "Hakujen hitaus", "Haut ovat hitaita.")]);
    let (fi_subject, fi_body) = notice_mail(&n, Lang::Fi);
    assert_eq!(fi_subject, "Kysely: Häiriö – Hakujen hitaus");
    assert!(fi_body.contains("Haut ovat hitaita."));
    assert!(!fi_body.contains("(suomeksi)"));
    assert!(fi_body.contains("Voimassa 2.12.2026"));
    assert!(fi_body.contains("Tilauksen voi perua"));
    let (sv_subject, sv_body) = notice_mail(&n, Lang::Sv);
    assert_eq!(sv_subject, "Kysely: Störning – Hakujen hitaus");
    assert!(sv_body.contains("Gäller till och med 2.12.2026"));
    assert!(sv_body.starts_with("(på finska)"));
    let mut later = n.clone();
    later.notice.until = None;
    later.texts.push(NoticeText {
        lang: Lang::En,
        title: "Slow searches".into(),
        body: "Searches are slow.".into(),
    });
    let (en_subject, en_body) = notice_mail(&later, Lang::En);
    assert_eq!(en_subject, "Kysely: Incident – Slow searches");
    assert!(en_body.starts_with("Slow searches"));
    assert!(!en_body.contains("In effect until"));
    assert!(en_body.contains("unsubscribe"));
    Ok(())
}
