//! The alert rules on the trail through the gate: a sweep of identity codes raises one alert
//! for the clerk's organisation, which its responsible user and registry staff read (another
//! organisation's responsible user, the clerk and one-factor staff do not), which is mailed
//! once to those with a confirmed address, never naming a code searched, and which is handled
//! once, with a note, by those who may read it (an alert about a responsible user's own use
//! by the registry only).

#![allow(clippy::expect_used)]

use crate::fixture::{TestResult, fixture, frank, one_factor, refusal, today, user};
use domain::access::Denied;
use domain::alerts::Rule;
use domain::audit::AuditEvent;
use domain::hetu::{CenturySign, Hetu};
use domain::principal::{OrgId, UserId};
use domain::registry::{Change, Reason, RightAction};
use domain::{Date, Field, Lang, SearchKind};
use engine::EngineError;

/// Eight identity codes of one birth date whose individual numbers run 200, 202, … 214.
fn sweep() -> Vec<String> {
    let born = Date::new(1961, 3, 14).expect("a date");
    (0..8)
        .map(|i| {
            Hetu::new(born, CenturySign::Minus, 200 + 2 * i)
                .expect("a code")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_sweep_raises_one_alert_read_mailed_and_handled_by_those_who_must() -> TestResult {
    let f = fixture()?;
    let (bob, alice, dora) = (user("espoo"), user("poliisi"), user("dvv"));
    crate::contact::subscribe_confirmed(&f, &bob, "bob@espoo.example", Lang::Fi).await?;
    crate::contact::subscribe_confirmed(&f, &dora, "dora@dvv.example", Lang::En).await?;
    // The clerk has a confirmed address too: he is no one to tell.
    crate::contact::subscribe_confirmed(&f, &frank(), "frank@espoo.example", Lang::Fi).await?;
    let codes = sweep();
    // Seven of the run raise nothing yet.
    for code in &codes[..7] {
        f.search(&frank(), SearchKind::Hetu, &[(Field::Hetu, code)])
            .await?;
    }
    let sweeps = |page: &domain::alerts::AlertPage| {
        page.alerts
            .iter()
            .filter(|a| a.rule == Rule::SequentialCodes)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(sweeps(&f.engine.alerts(&bob, None, None).await?).is_empty());
    f.search(&frank(), SearchKind::Hetu, &[(Field::Hetu, &codes[7])])
        .await?;
    let page = f.engine.alerts(&bob, None, None).await?;
    assert!(!page.registry);
    let raised = sweeps(&page);
    assert_eq!(raised.len(), 1, "{page:?}");
    let alert = &raised[0];
    assert_eq!(
        (
            alert.organisation.as_str(),
            alert.user.as_str(),
            alert.name.as_str()
        ),
        ("espoo", "u-frank", "Frank Forsman")
    );
    assert_eq!(alert.at.0 - alert.since.0, 30 * 60_000, "the rule's window");
    assert!(alert.handled.is_none());
    // More of the same sweep within the window raises nothing more.
    let more = Hetu::new(
        Date::new(1961, 3, 14).expect("a date"),
        CenturySign::Minus,
        216,
    )?;
    f.search(
        &frank(),
        SearchKind::Hetu,
        &[(Field::Hetu, &more.to_string())],
    )
    .await?;
    assert_eq!(sweeps(&f.engine.alerts(&bob, None, None).await?).len(), 1);
    // Registry staff read it among every organisation's; the police's responsible user, the
    // clerk and one-factor staff do not.
    let staff = f.engine.alerts(&dora, None, None).await?;
    assert!(staff.registry && sweeps(&staff).contains(alert));
    assert!(
        f.engine
            .alerts(&alice, None, None)
            .await?
            .alerts
            .iter()
            .all(|a| a.organisation == "poliisi")
    );
    for (who, want) in [
        (frank(), Denied::NotResponsibleUser),
        (
            one_factor(user("dvv")),
            Denied::RoleNeedsTwoFactor(domain::Role::RegistryStaff),
        ),
    ] {
        let before = f.engine.audit().len()?;
        assert_eq!(
            refusal(&f.engine.alerts(&who, None, None).await),
            Some(want)
        );
        assert_eq!(f.engine.audit().len()?, before + 1, "refused on record");
    }
    // Mailed once to the organisation's responsible user and to staff, in their languages,
    // naming no code searched.
    let outbox = f.engine.contact(&dora, 0).await?.outbox_total;
    let queued = f.engine.mail_alerts("https://kysely.example/log")?;
    assert!(queued >= 2, "{queued}");
    assert_eq!(
        f.engine.contact(&dora, 0).await?.outbox_total,
        outbox + u32::try_from(queued)?,
        "each a mail of its own, none in another's place"
    );
    assert_eq!(f.engine.mail_alerts("https://kysely.example/log")?, 0);
    let mail = f.engine.due_mail(1000)?;
    let to_bob: Vec<_> = mail
        .iter()
        .filter(|m| m.to == "bob@espoo.example" && m.body.contains("peräkkäin"))
        .collect();
    assert_eq!(to_bob.len(), 1, "{mail:?}");
    assert!(to_bob[0].body.contains("Frank Forsman") && to_bob[0].body.contains("/log"));
    assert!(
        mail.iter()
            .any(|m| m.to == "dora@dvv.example" && m.body.contains("in sequence"))
    );
    for m in &mail {
        assert!(!codes.iter().any(|c| m.body.contains(c.as_str())), "{m:?}");
    }
    assert!(
        mail.iter().all(|m| m.to != "frank@espoo.example"),
        "{mail:?}"
    );
    // Handled with a note, once, by those who may read it.
    let rejected = f
        .engine
        .handle_alert(&bob, alert.entry, alert.rule, "  ")
        .await;
    assert!(
        matches!(rejected, Err(EngineError::Rejected(_))),
        "{rejected:?}"
    );
    let theirs = f
        .engine
        .handle_alert(&alice, alert.entry, alert.rule, "ei meidän")
        .await;
    assert!(matches!(theirs, Err(EngineError::NotFound)), "{theirs:?}");
    let clerk = f
        .engine
        .handle_alert(&frank(), alert.entry, alert.rule, "itse kuittaan")
        .await;
    assert_eq!(refusal(&clerk), Some(Denied::NotResponsibleUser));
    let nothing = f
        .engine
        .handle_alert(&bob, alert.entry + 100_000, alert.rule, "ei ole")
        .await;
    assert!(matches!(nothing, Err(EngineError::NotFound)), "{nothing:?}");
    f.engine
        .handle_alert(
            &bob,
            alert.entry,
            alert.rule,
            "Koulutusharjoitus, selvitetty",
        )
        .await?;
    let last = f
        .engine
        .audit()
        .entries_after(f.engine.audit().len()? - 1, 1)?;
    assert!(matches!(
        &last[0].entry.event,
        AuditEvent::AlertHandled { entry, rule: Rule::SequentialCodes, organisation }
            if *entry == alert.entry && organisation.as_str() == "espoo"
    ));
    let again = f
        .engine
        .handle_alert(&dora, alert.entry, alert.rule, "toinen merkintä")
        .await;
    assert_eq!(refusal(&again), Some(Denied::NotFromThisState));
    let handled = sweeps(&f.engine.alerts(&dora, None, None).await?)
        .into_iter()
        .find(|a| a.entry == alert.entry)
        .and_then(|a| a.handled)
        .ok_or("not handled")?;
    assert_eq!(handled.note, "Koulutusharjoitus, selvitetty");
    assert_eq!(handled.at.date_in_finland(), today());

    // An alert about Bob's own use is not his to close: the registry handles it.
    let mut sweep_by_bob = Vec::new();
    for n in 300..308 {
        let code = Hetu::new(
            Date::new(1961, 3, 14).expect("a date"),
            CenturySign::Minus,
            n,
        )?;
        sweep_by_bob.push(code.to_string());
    }
    for code in &sweep_by_bob {
        f.search(&bob, SearchKind::Hetu, &[(Field::Hetu, code)])
            .await?;
    }
    let own = sweeps(&f.engine.alerts(&bob, None, None).await?)
        .into_iter()
        .find(|a| a.user == "u-bob")
        .ok_or("no alert about Bob's sweep")?;
    let before = f.engine.audit().len()?;
    let mine = f
        .engine
        .handle_alert(&bob, own.entry, own.rule, "oma tarkistus")
        .await;
    assert_eq!(refusal(&mine), Some(Denied::RegistryStaffOnly));
    assert_eq!(f.engine.audit().len()?, before + 1, "refused on record");
    f.engine
        .handle_alert(
            &dora,
            own.entry,
            own.rule,
            "Selvitetty vastuukäyttäjän kanssa",
        )
        .await?;

    // A later alert is mailed in a later round; a responsible user whose right the registry
    // blocked is no longer told.
    let block = Change::Right {
        organisation: OrgId::from_static("espoo"),
        user: UserId::from_static("u-bob"),
        action: RightAction::Block,
    };
    f.engine
        .change(
            &dora,
            block,
            Reason::parse("tarkastus kesken").map_err(|e| format!("{e:?}"))?,
        )
        .await?;
    let code = f
        .samples
        .protected
        .first()
        .ok_or("no protected sample")?
        .clone();
    let person = f.person(&code).await?;
    f.engine
        .load_screen(&frank(), domain::ScreenId::PersonBasic, person)
        .await?;
    let staff = f.engine.alerts(&dora, None, None).await?;
    assert!(
        staff
            .alerts
            .iter()
            .any(|a| a.rule == Rule::Protected && a.user == "u-frank"),
        "{staff:?}"
    );
    let before = f.engine.due_mail(1000)?.len();
    let queued = f.engine.mail_alerts("https://kysely.example/log")?;
    let mail = f.engine.due_mail(1000)?;
    assert_eq!(mail.len(), before + queued);
    let new = &mail[before..];
    assert!(
        new.iter()
            .any(|m| m.to == "dora@dvv.example" && m.body.contains("protection order")),
        "{new:?}"
    );
    assert!(new.iter().all(|m| m.to != "bob@espoo.example"), "{new:?}");
    Ok(())
}
