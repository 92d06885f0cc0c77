//! Contact, service notices and fees through the engine: a question's thread between its
//! asker and registry staff (and nobody else), notices published to everyone and mailed to
//! subscribers in their language, the outbox's retries, a notice the trail cannot record, and
//! the month's invoice basis counted from what users were shown.

use crate::fixture::{TestResult, fixture, refusal, user};
use domain::access::Denied;
use domain::audit::AuditEvent;
use domain::contact::{MailState, NoticeForm, QuestionForm, QuestionState};
use domain::fees::{Fees, Month, TARIFF_2025};
use domain::principal::Role;
use domain::{Lang, ScreenId};
use engine::EngineError;
use std::sync::atomic::Ordering;

fn frank() -> domain::Actor {
    let mut a = user("espoo");
    if let domain::access::Who::User(p) = &mut a.who {
        p.subject = "u-frank".into();
        p.name = "Frank Forsman".into();
        p.roles = vec![Role::QueryUser];
    }
    a
}

fn question() -> QuestionForm {
    QuestionForm {
        topic: "rights".into(),
        subject: "Uuden kollegan oikeus".into(),
        text: "Miten haen oikeuden uudelle työntekijälle?".into(),
    }
}

fn notice(title: &str) -> NoticeForm {
    NoticeForm {
        kind: "break".into(),
        title: title.into(),
        body: "Palvelu on poissa käytöstä lauantaina klo 18–20.".into(),
        until: "5.12.2026".into(),
    }
}

#[tokio::test]
async fn a_question_is_answered_in_a_thread_only_its_asker_and_the_registry_see() -> TestResult {
    let f = fixture()?;
    // Frank is Espoo's query user; Bob is its responsible user.
    let (frank, bob, dora) = (frank(), user("espoo"), user("dvv"));
    let id = f.engine.ask(&frank, question()).await?;
    assert_eq!(id.to_string(), "K-00001");
    // Frank sees his question; his responsible user and another organisation do not.
    let mine = f.engine.contact(&frank, 0).await?;
    assert_eq!(mine.questions.total, 1);
    assert!(!mine.registry);
    assert!(mine.outbox.is_empty(), "the outbox is staff's");
    assert_eq!(f.engine.contact(&bob, 0).await?.questions.total, 0);
    for other in [&bob, &user("poliisi")] {
        assert!(matches!(
            f.engine.question(other, id).await,
            Err(EngineError::NotFound)
        ));
        assert!(matches!(
            f.engine.reply(other, id, "Minäkin kysyn.", false).await,
            Err(EngineError::NotFound)
        ));
    }
    // The registry sees it in its list and answers.
    let staff = f.engine.contact(&dora, 0).await?;
    assert!(staff.registry);
    assert_eq!(staff.questions.items[0].id, id);
    assert_eq!(
        f.engine
            .reply(&dora, id, "Vastuukäyttäjänne ehdottaa oikeutta.", false)
            .await?,
        QuestionState::Answered
    );
    assert_eq!(
        f.engine
            .reply(&frank, id, "Kiitos, entä määräaika?", false)
            .await?,
        QuestionState::Open
    );
    assert_eq!(
        f.engine.reply(&frank, id, "", true).await?,
        QuestionState::Closed
    );
    let q = f.engine.question(&frank, id).await?;
    assert_eq!(q.messages.len(), 3);
    assert_eq!(q.messages[1].party, domain::eservice::Party::Registry);
    // A closed question takes no more messages, and the refusal is on record.
    let r = f.engine.reply(&dora, id, "Vielä yksi asia.", false).await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState));
    let trail = f.engine.audit().for_user("u-frank")?;
    let asked = trail
        .iter()
        .filter(|r| matches!(r.entry.event, AuditEvent::QuestionAsked { .. }))
        .count();
    assert_eq!(asked, 1);
    let refused = f.engine.audit().for_user("u-dora")?;
    assert!(refused.iter().any(|r| matches!(
        r.entry.event,
        AuditEvent::ServiceRefused {
            reason: Denied::NotFromThisState
        }
    )));
    // A blank question is refused with every field named, and nothing is stored.
    let r = f.engine.ask(&frank, QuestionForm::default()).await;
    assert!(
        matches!(r, Err(EngineError::Rejected(ref e)) if e.len() == 3),
        "{r:?}"
    );
    assert_eq!(f.engine.contact(&frank, 0).await?.questions.total, 1);
    Ok(())
}

#[tokio::test]
async fn a_notice_reaches_everyone_and_mails_its_subscribers_in_their_language() -> TestResult {
    let f = fixture()?;
    let (bob, hanna, dora, alice) = (
        user("espoo"),
        user("lansi-uusimaa"),
        user("dvv"),
        user("poliisi"),
    );
    f.engine
        .subscribe(&bob, Some("Bob.Backman@Espoo.FI"), Lang::Fi)
        .await?;
    f.engine
        .subscribe(&hanna, Some("hanna@example.fi"), Lang::Sv)
        .await?;
    f.engine
        .subscribe(&alice, Some("alice@example.fi"), Lang::En)
        .await?;
    // Alice changes her mind.
    f.engine.subscribe(&alice, None, Lang::En).await?;
    assert_eq!(
        f.engine
            .contact(&bob, 0)
            .await?
            .subscription
            .map(|s| s.email),
        Some("Bob.Backman@espoo.fi".to_owned())
    );
    // Only registry staff publish.
    let r = f.engine.publish_notice(&bob, notice("Huoltokatko")).await;
    assert_eq!(refusal(&r), Some(Denied::RegistryStaffOnly));
    let (id, mails) = f
        .engine
        .publish_notice(&dora, notice("Huoltokatko"))
        .await?;
    assert_eq!(mails, 2);
    for who in [&bob, &alice, &dora] {
        let shown = f.engine.current_notices(who).await?;
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].title, "Huoltokatko");
    }
    let mut due = f.engine.due_mail(10)?;
    due.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(due.len(), 2);
    assert_eq!(due[0].to, "Bob.Backman@espoo.fi");
    assert_eq!(due[0].subject, "Kysely: Käyttökatko – Huoltokatko");
    assert_eq!(due[1].to, "hanna@example.fi");
    assert_eq!(due[1].subject, "Kysely: Driftavbrott – Huoltokatko");
    // Staff see both waiting in the outbox.
    let outbox = f.engine.contact(&dora, 0).await?.outbox;
    assert_eq!(outbox.len(), 2);
    assert!(outbox.iter().all(|m| m.state == MailState::Waiting));
    // One fails and waits a minute; the other is sent.
    f.engine
        .mail_attempted(due[0].id, Err("451 try later".into()))?;
    f.engine.mail_attempted(due[1].id, Ok(()))?;
    assert!(f.engine.due_mail(10)?.is_empty());
    f.clock.advance_seconds(60);
    let again = f.engine.due_mail(10)?;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, due[0].id);
    // Withdrawn, it is no longer shown; only staff withdraw.
    let r = f.engine.withdraw_notice(&bob, id).await;
    assert_eq!(refusal(&r), Some(Denied::RegistryStaffOnly));
    f.engine.withdraw_notice(&dora, id).await?;
    assert!(f.engine.current_notices(&bob).await?.is_empty());
    // A notice whose last day has passed is no longer shown either.
    f.engine
        .publish_notice(&dora, notice("Toinen katko"))
        .await?;
    assert_eq!(f.engine.current_notices(&bob).await?.len(), 1);
    f.clock.advance_seconds(9 * 86_400);
    assert!(f.engine.current_notices(&bob).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_notice_the_trail_cannot_record_is_neither_shown_nor_mailed() -> TestResult {
    let f = fixture()?;
    let (bob, dora) = (user("espoo"), user("dvv"));
    f.engine
        .subscribe(&bob, Some("bob@espoo.fi"), Lang::Fi)
        .await?;
    f.fail_audit.store(true, Ordering::SeqCst);
    let r = f.engine.publish_notice(&dora, notice("Huoltokatko")).await;
    f.fail_audit.store(false, Ordering::SeqCst);
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    assert!(f.engine.current_notices(&bob).await?.is_empty());
    assert!(f.engine.due_mail(10)?.is_empty());
    Ok(())
}

#[tokio::test]
async fn the_invoice_basis_counts_the_screens_each_organisation_was_shown() -> TestResult {
    let f = fixture()?;
    let subjects = f.walk().await?;
    let (carol, bob, dora) = (user("isannointi-oy"), user("espoo"), user("dvv"));
    // The property manager opens a building three times and a dwelling once; a screen of a
    // subject that is not there is no unit.
    for _ in 0..3 {
        f.engine
            .load_screen(&carol, ScreenId::BuildingBasic, subjects.building)
            .await?;
    }
    f.engine
        .load_screen(&carol, ScreenId::DwellingBasic, subjects.dwelling)
        .await?;
    f.engine
        .load_screen(&bob, ScreenId::PersonBasic, subjects.person)
        .await?;
    let month = Month::of(crate::fixture::today());
    let all = f.engine.fees(&dora, None).await?;
    assert!(all.registry);
    assert_eq!(all.month, Some(month));
    let manager = all
        .rows
        .iter()
        .find(|r| r.organisation.0 == "isannointi-oy")
        .ok_or("the property manager has a permit")?;
    assert_eq!(manager.fees, Fees::Charged(TARIFF_2025));
    assert_eq!(manager.units, 4);
    assert_eq!(manager.users, 1);
    // 4 × 0,06 € + 1 € is under the monthly minimum of 9 €.
    assert_eq!(manager.total_cents, 900);
    let espoo = all
        .rows
        .iter()
        .find(|r| r.organisation.0 == "espoo")
        .ok_or("Espoo has a permit")?;
    assert_eq!(
        (espoo.fees, espoo.units, espoo.total_cents),
        (Fees::Statutory, 1, 0)
    );
    // The responsible user sees their own organisation only.
    let own = f.engine.fees(&bob, None).await?;
    assert!(!own.registry);
    assert_eq!(own.rows.len(), 1);
    assert_eq!(own.rows[0].organisation.0, "espoo");
    // Last month had none of this; next month neither.
    let before = f.engine.fees(&dora, Some(month.previous())).await?;
    assert!(before.rows.iter().all(|r| r.units == 0));
    let after = f.engine.fees(&dora, Some(month.next())).await?;
    assert!(after.rows.iter().all(|r| r.units == 0));
    // A query user who manages nobody is refused, and that is on record.
    let r = f.engine.fees(&carol, None).await;
    assert_eq!(refusal(&r), Some(Denied::NotResponsibleUser));
    // Each read of the invoice basis is on record.
    assert!(
        f.engine
            .audit()
            .for_user("u-bob")?
            .iter()
            .any(|r| matches!(r.entry.event, AuditEvent::FeesViewed { .. }))
    );
    Ok(())
}

#[tokio::test]
async fn one_person_keeps_at_most_twenty_questions_waiting() -> TestResult {
    let f = fixture()?;
    let (frank, dora) = (frank(), user("dvv"));
    let mut first = None;
    for _ in 0..engine::OPEN_QUESTIONS_MAX {
        let id = f.engine.ask(&frank, question()).await?;
        first.get_or_insert(id);
    }
    let r = f.engine.ask(&frank, question()).await;
    assert_eq!(refusal(&r), Some(Denied::TooManyOpen));
    assert_eq!(
        f.engine.contact(&frank, 0).await?.questions.total as usize,
        engine::OPEN_QUESTIONS_MAX
    );
    // Another person is not held back by Frank's.
    f.engine.ask(&user("espoo"), question()).await?;
    // Once the registry answers one, Frank may ask again.
    let first = first.ok_or("a first question")?;
    f.engine
        .reply(&dora, first, "Vastaus kysymykseen.", false)
        .await?;
    f.engine.ask(&frank, question()).await?;
    Ok(())
}
