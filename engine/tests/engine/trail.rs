//! Reading the audit trail through the gate: registry staff's log investigation finds a
//! person by every identity code they have had, with the criteria of searches that found
//! nothing, and the read itself lands in the person's log; a responsible user reads their own
//! organisation's queries only, a person under a protection order masked unless the permit
//! covers protected data; one-factor staff and query users are refused, on record.

#![allow(clippy::expect_used)]

use crate::fixture::{TestResult, fixture, frank, one_factor, refusal, user};
use domain::access::Denied;
use domain::audit::AuditEvent;
use domain::principal::OrgId;
use domain::trail::{Action, Outcome, TrailForm, TrailPage, TrailQuery};
use domain::{Field, ScreenId, SearchKind, SearchOutcome};

fn query(form: TrailForm) -> TrailQuery {
    form.validate().expect("a valid search of the trail")
}

fn by_subject(code: &str) -> TrailQuery {
    query(TrailForm {
        subject: code.into(),
        ..TrailForm::default()
    })
}

fn seqs(page: &TrailPage) -> Vec<u64> {
    page.rows.iter().map(|r| r.seq).collect()
}

#[tokio::test]
async fn staff_find_a_person_by_every_code_they_have_had_and_the_read_is_in_their_log() -> TestResult
{
    let f = fixture()?;
    let (police, dora) = (user("poliisi"), user("dvv"));
    let passive = f.samples.passive.first().ok_or("no passive code")?.clone();
    // The police search by the earlier code and open the person's basic screen.
    let SearchOutcome::Found { subject, .. } = f
        .search(&police, SearchKind::Hetu, &[(Field::Hetu, &passive)])
        .await?
    else {
        return Err("the earlier code finds nobody".into());
    };
    let person = f.opened(&subject)?;
    f.engine
        .load_screen(&police, ScreenId::PersonBasic, person)
        .await?;
    let by_old = f.engine.trail(&dora, by_subject(&passive)).await?;
    assert!(
        by_old.registry && by_old.organisation.is_none(),
        "staff read the whole trail"
    );
    let kinds: Vec<(Action, Outcome)> = by_old.rows.iter().map(|r| (r.action, r.outcome)).collect();
    assert_eq!(
        kinds,
        [
            (Action::Screen(ScreenId::PersonBasic), Outcome::Shown),
            (Action::Search(SearchKind::Hetu), Outcome::Shown),
        ]
    );
    let row = &by_old.rows[0];
    assert_eq!(
        (row.organisation.as_str(), row.user.as_str()),
        ("poliisi", "u-alice")
    );
    assert_eq!(row.purpose, Some(domain::Purpose::PoliceInvestigation));
    // Named by the code in force today, not the one typed.
    let label = row.subject.as_ref().ok_or("no subject")?;
    assert!(!label.masked && !label.id.is_empty() && label.id != passive);
    // The code in force finds the same entries, and now the first read of the log too.
    let by_new = f.engine.trail(&dora, by_subject(&label.id)).await?;
    assert_eq!(by_new.rows.len(), 3);
    assert_eq!(
        (by_new.rows[0].action, by_new.rows[0].user.as_str()),
        (Action::LogRead, "u-dora")
    );
    assert_eq!(seqs(&by_new)[1..], seqs(&by_old)[..]);
    // A search that found nobody is found by its user, with what was typed.
    let nobody = f.samples.not_in_register.clone();
    f.search(&police, SearchKind::Hetu, &[(Field::Hetu, &nobody)])
        .await?;
    let misses = f
        .engine
        .trail(
            &dora,
            query(TrailForm {
                user: "u-alice".into(),
                outcome: Some(Outcome::NotFound),
                ..TrailForm::default()
            }),
        )
        .await?;
    assert_eq!(misses.rows.len(), 1);
    assert!(matches!(
        &misses.rows[0].criteria,
        Some(domain::Search::Hetu(h)) if h.to_string() == nobody
    ));
    // A code nobody has had: an empty log, the read on record all the same.
    let before = f.engine.audit().len()?;
    let none = f.engine.trail(&dora, by_subject(&nobody)).await?;
    assert!(none.rows.is_empty() && none.next.is_none());
    assert!(none.registry && none.organisation.is_none());
    let bobs = f.engine.trail(&user("espoo"), by_subject(&nobody)).await?;
    assert!(!bobs.registry && bobs.organisation.as_deref() == Some("espoo"));
    assert_eq!(f.engine.audit().len()?, before + 2);
    Ok(())
}

#[tokio::test]
async fn a_responsible_user_reads_their_own_organisation_and_protected_persons_stay_masked()
-> TestResult {
    let f = fixture()?;
    let (police, bob, alice) = (user("poliisi"), user("espoo"), user("poliisi"));
    let protected = f
        .samples
        .protected
        .first()
        .ok_or("no protected sample")?
        .clone();
    let person = f.person(&protected).await?;
    // Frank of Espoo finds the protected person by their code and opens their basic screen;
    // the police do too.
    f.search(&frank(), SearchKind::Hetu, &[(Field::Hetu, &protected)])
        .await?;
    f.engine
        .load_screen(&frank(), ScreenId::PersonBasic, person)
        .await?;
    f.engine
        .load_screen(&police, ScreenId::PersonBasic, person)
        .await?;
    let espoo = f.engine.trail(&bob, TrailQuery::default()).await?;
    assert_eq!(espoo.organisation.as_deref(), Some("espoo"));
    assert!(!espoo.rows.is_empty());
    assert!(espoo.rows.iter().all(|r| r.organisation == "espoo"));
    let franks = espoo
        .rows
        .iter()
        .find(|r| r.user == "u-frank")
        .ok_or("Frank's query is not in his organisation's log")?;
    let label = franks.subject.as_ref().ok_or("no subject")?;
    assert!(label.masked && label.id.is_empty() && label.name.is_empty());
    // Nothing in the page names the person: not a label, not the code Frank typed.
    let masked = espoo
        .rows
        .iter()
        .filter(|r| r.subject.as_ref().is_some_and(|s| s.masked))
        .count();
    assert_eq!(masked, 2, "the search and the screen");
    assert!(!serde_json::to_string(&espoo)?.contains(&protected));
    // Searching by the person's code finds Frank's entries (Espoo's only), still masked.
    let by_code = f.engine.trail(&bob, by_subject(&protected)).await?;
    assert_eq!(by_code.rows.len(), 2);
    assert_eq!(seqs(&by_code)[0], franks.seq);
    assert!(!serde_json::to_string(&by_code)?.contains(&protected));
    // The police's permit covers protected data: their responsible user sees the person.
    let theirs = f.engine.trail(&alice, by_subject(&protected)).await?;
    assert!(!theirs.rows.is_empty());
    assert!(theirs.rows.iter().all(|r| r.organisation == "poliisi"));
    let label = theirs.rows[0].subject.as_ref().ok_or("no subject")?;
    assert!(!label.masked && label.id == protected);
    // Another organisation's log is refused, and the refusal is on record.
    let before = f.engine.audit().len()?;
    let other = f
        .engine
        .trail(
            &bob,
            TrailQuery {
                organisation: Some(OrgId::from_static("poliisi")),
                ..TrailQuery::default()
            },
        )
        .await;
    assert_eq!(refusal(&other), Some(Denied::NotResponsibleUser));
    let last = f.engine.audit().entries_after(before, 1)?;
    assert!(matches!(
        last[0].entry.event,
        AuditEvent::ServiceRefused {
            reason: Denied::NotResponsibleUser
        }
    ));
    Ok(())
}

#[tokio::test]
async fn query_users_and_one_factor_staff_read_no_trail() -> TestResult {
    let f = fixture()?;
    for (who, want) in [
        (frank(), Denied::NotResponsibleUser),
        (user("isannointi-oy"), Denied::NotResponsibleUser),
        (
            one_factor(user("dvv")),
            Denied::RoleNeedsTwoFactor(domain::Role::RegistryStaff),
        ),
    ] {
        for export in [false, true] {
            let before = f.engine.audit().len()?;
            let got = if export {
                f.engine.trail_export(&who, TrailQuery::default()).await
            } else {
                f.engine.trail(&who, TrailQuery::default()).await
            };
            assert_eq!(refusal(&got), Some(want), "{who:?}");
            assert_eq!(f.engine.audit().len()?, before + 1, "on record");
        }
    }
    Ok(())
}

#[tokio::test]
async fn an_export_is_recorded_as_one_with_its_rows() -> TestResult {
    let f = fixture()?;
    let (police, dora) = (user("poliisi"), user("dvv"));
    let code = f.samples.ordinary.first().ok_or("no sample")?.clone();
    let person = f.person(&code).await?;
    for screen in [ScreenId::PersonBasic, ScreenId::PersonAddresses] {
        f.engine.load_screen(&police, screen, person).await?;
    }
    let page = f.engine.trail_export(&dora, by_subject(&code)).await?;
    // The police's search (by `f.person`), their two screens.
    assert_eq!(page.rows.len(), 3);
    let last = f
        .engine
        .audit()
        .entries_after(f.engine.audit().len()? - 1, 1)?;
    assert!(matches!(
        &last[0].entry.event,
        AuditEvent::TrailRead { rows: 3, exported: true, subject: Some(s), .. } if *s == person
    ));
    Ok(())
}
