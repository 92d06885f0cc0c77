//! The caller's standing decides a command where it writes. Each command here is started while
//! another request holds the write turn; meanwhile the caller's own right is blocked (registry
//! staff) or ended (a responsible user), as the registry or a colleague could do at any moment.
//! When the command's turn comes it must be refused and change nothing: a standing read on a
//! snapshot of its own before the wait (as the e-service's and the notices' staff checks once
//! were) would let it through.

use crate::fixture::{Fixture, TestResult, fixture, refusal, user};
use domain::access::{Denied, RightState};
use domain::contact::{NoticeForm, QuestionForm};
use domain::eservice::{ApplicationAction as A, ApplicationKind, ApplicationState as S};
use domain::library::DocumentCategory;
use domain::principal::OrgId;
use domain::principal::UserId;
use domain::registry::{Change, RightAction};
use engine::{Engine, EngineError};
use std::future::Future;
use std::time::Duration;

/// Runs `command` (started before the change, waiting for its turn to write) while the right of
/// `user` in `org` is put in `state`, and answers what the command answered.
async fn changed_while_waiting<T, F>(
    f: &Fixture,
    (org, user, state): (&str, &str, RightState),
    command: impl FnOnce(Engine) -> F,
) -> Result<T, EngineError>
where
    F: Future<Output = Result<T, EngineError>> + Send + 'static,
    T: Send + 'static,
{
    let turn = f.engine.hold_writes().await;
    let task = tokio::spawn(command(f.engine.clone()));
    // Let the command run up to its wait for the turn (a check made before the wait is made
    // now, with the right still in force).
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert!(!task.is_finished(), "the command waits for its turn");
    let mut right = f
        .engine
        .right(org, user)
        .map_err(|e| EngineError::Invalid(e.to_string()))?
        .ok_or_else(|| EngineError::Invalid(format!("{user} has no right in {org}")))?;
    right.state = state;
    f.engine.put_right(&right)?;
    drop(turn);
    task.await
        .map_err(|e| EngineError::Invalid(format!("the command panicked: {e}")))?
}

const DORA_BLOCKED: (&str, &str, RightState) = ("dvv", "u-dora", RightState::Blocked);
const BOB_ENDED: (&str, &str, RightState) = ("espoo", "u-bob", RightState::Ended);

fn question() -> QuestionForm {
    QuestionForm {
        topic: "rights".into(),
        subject: "Uuden kollegan oikeus".into(),
        text: "Miten haen oikeuden uudelle työntekijälle?".into(),
    }
}

fn notice() -> NoticeForm {
    NoticeForm {
        until: "5.12.2026".into(),
        ..NoticeForm::in_one(
            domain::contact::NoticeKind::PlannedBreak,
            domain::Lang::Fi,
            "Huoltokatko",
            "Palvelu on poissa käytöstä lauantaina klo 18–20.",
        )
    }
}

/// Not carried out: refused (for any reason) or answered as not found.
fn turned_away<T: std::fmt::Debug>(r: &Result<T, EngineError>) -> bool {
    matches!(r, Err(EngineError::Denied(_) | EngineError::NotFound))
}

#[tokio::test]
async fn the_registrys_grant_is_refused_to_staff_blocked_while_it_waited() -> TestResult {
    let f = fixture()?;
    // A municipality's order, submitted: only the registry's grant is left.
    let mirja = crate::eservice::person("vantaa", "u-mirja", "Mirja Mäkinen");
    let id = crate::eservice::vantaa_order_submitted(&f).await?;
    let r = changed_while_waiting(&f, DORA_BLOCKED, |e| async move {
        e.application_step(&user("dvv"), id, A::Grant, "", None)
            .await
    })
    .await;
    assert!(turned_away(&r), "{r:?}");
    assert!(f.engine.permit_of("vantaa")?.is_none(), "no permit made");
    assert!(
        f.engine.right("vantaa", "u-mirja")?.is_none(),
        "no right made"
    );
    assert_eq!(
        f.engine.application(&mirja, id).await?.application.state,
        S::Submitted
    );
    Ok(())
}

#[tokio::test]
async fn a_message_from_staff_blocked_while_it_waited_is_refused() -> TestResult {
    let f = fixture()?;
    let mirja = crate::eservice::person("vantaa", "u-mirja", "Mirja Mäkinen");
    let id = crate::eservice::vantaa_order_submitted(&f).await?;
    let r = changed_while_waiting(&f, DORA_BLOCKED, |e| async move {
        e.application_message(&user("dvv"), id, "Lisätietoja tarvitaan.")
            .await
    })
    .await;
    assert!(turned_away(&r), "{r:?}");
    let app = f.engine.application(&mirja, id).await?.application;
    assert!(app.messages.is_empty(), "{:?}", app.messages);
    Ok(())
}

#[tokio::test]
async fn an_answer_from_staff_blocked_while_it_waited_is_refused() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let id = f.engine.ask(&bob, question()).await?;
    let r = changed_while_waiting(&f, DORA_BLOCKED, |e| async move {
        e.reply(&user("dvv"), id, "Vastaus.", false).await
    })
    .await;
    assert!(turned_away(&r), "{r:?}");
    assert_eq!(f.engine.question(&bob, id).await?.messages.len(), 1);
    Ok(())
}

#[tokio::test]
async fn notices_are_not_published_or_withdrawn_by_staff_blocked_while_it_waited() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let (published, _) = f.engine.publish_notice(&user("dvv"), notice()).await?;
    let r = changed_while_waiting(&f, DORA_BLOCKED, |e| async move {
        e.publish_notice(&user("dvv"), notice()).await
    })
    .await;
    assert_eq!(refusal(&r), Some(Denied::RegistryStaffOnly), "{r:?}");
    f.engine.put_right(&{
        let mut r = f.engine.right("dvv", "u-dora")?.ok_or("no right")?;
        r.state = RightState::Active;
        r
    })?;
    let r = changed_while_waiting(&f, DORA_BLOCKED, |e| async move {
        e.withdraw_notice(&user("dvv"), published).await
    })
    .await;
    assert_eq!(refusal(&r), Some(Denied::RegistryStaffOnly), "{r:?}");
    let shown = f.engine.current_notices(&bob).await?;
    assert_eq!(
        shown.iter().map(|n| n.notice.id).collect::<Vec<_>>(),
        vec![published],
        "the first stays, no second"
    );
    Ok(())
}

#[tokio::test]
async fn a_document_from_staff_blocked_while_it_waited_is_refused() -> TestResult {
    let f = fixture()?;
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let r = changed_while_waiting(&f, DORA_BLOCKED, |e| async move {
        e.upload_document(&user("dvv"), None, "Ohje", DocumentCategory::Guide, &pdf)
            .await
    })
    .await;
    assert_eq!(refusal(&r), Some(Denied::RegistryStaffOnly), "{r:?}");
    assert!(f.engine.library(&user("espoo")).await?.documents.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_registry_decision_by_staff_blocked_while_it_waited_is_refused() -> TestResult {
    let f = fixture()?;
    // Frank's right is in force; the registry's step here would block it.
    let block = Change::Right {
        organisation: OrgId::from_static("espoo"),
        user: UserId::from_static("u-frank"),
        action: RightAction::Block,
    };
    let reason =
        domain::registry::Reason::parse("Epäilty väärinkäyttö").map_err(|e| format!("{e:?}"))?;
    let r = changed_while_waiting(&f, DORA_BLOCKED, |e| async move {
        e.change(&user("dvv"), block, reason).await
    })
    .await;
    assert!(turned_away(&r), "{r:?}");
    assert_eq!(
        f.engine.right("espoo", "u-frank")?.map(|r| r.state),
        Some(RightState::Active)
    );
    Ok(())
}

#[tokio::test]
async fn a_responsible_users_change_after_their_right_ended_is_refused() -> TestResult {
    let f = fixture()?;
    let end = Change::Right {
        organisation: OrgId::from_static("espoo"),
        user: UserId::from_static("u-frank"),
        action: RightAction::End,
    };
    let r = changed_while_waiting(&f, BOB_ENDED, |e| async move {
        e.change(&user("espoo"), end, None).await
    })
    .await;
    assert!(turned_away(&r), "{r:?}");
    assert_eq!(
        f.engine.right("espoo", "u-frank")?.map(|r| r.state),
        Some(RightState::Active)
    );
    Ok(())
}

#[tokio::test]
async fn an_attestation_round_is_not_started_or_confirmed_after_the_right_ended() -> TestResult {
    let f = fixture()?;
    let deadline = crate::fixture::today().add_days(14).to_finnish();
    let r = changed_while_waiting(&f, BOB_ENDED, |e| {
        let deadline = deadline.clone();
        async move { e.start_attestation(&user("espoo"), &deadline).await }
    })
    .await;
    assert_eq!(refusal(&r), Some(Denied::NotResponsibleUser), "{r:?}");
    assert_eq!(
        f.engine
            .right("espoo", "u-frank")?
            .and_then(|r| r.valid_until),
        None,
        "no round, no end date"
    );
    // A round started while Bob was responsible; his confirmation comes after his right ended.
    f.engine.put_right(&{
        let mut r = f.engine.right("espoo", "u-bob")?.ok_or("no right")?;
        r.state = RightState::Active;
        r
    })?;
    f.engine
        .start_attestation(&user("espoo"), &deadline)
        .await?;
    let r = changed_while_waiting(&f, BOB_ENDED, |e| async move {
        e.confirm_attestation(&user("espoo"), "u-frank").await
    })
    .await;
    assert_eq!(refusal(&r), Some(Denied::NotResponsibleUser), "{r:?}");
    assert!(
        f.engine
            .right("espoo", "u-frank")?
            .and_then(|r| r.valid_until)
            .is_some(),
        "not confirmed"
    );
    Ok(())
}

#[tokio::test]
async fn a_permit_change_is_not_started_after_the_right_ended() -> TestResult {
    let f = fixture()?;
    let r = changed_while_waiting(&f, BOB_ENDED, |e| async move {
        e.start_application(&user("espoo"), ApplicationKind::PermitChange)
            .await
    })
    .await;
    assert!(turned_away(&r), "{r:?}");
    assert!(
        f.engine
            .my_applications(&user("espoo"))
            .await?
            .applications
            .is_empty()
    );
    Ok(())
}
