//! Changes to the registry's records through the engine: applied, kept in the record's
//! history and audited only together (a change the trail cannot record is not made), refused
//! and audited when the changer lacks standing, and deciding the next query of the user they
//! concern.

use crate::fixture::{TestResult, embedded_fixture, fixture, refusal, user};
use domain::access::{Denied, RightState};
use domain::audit::AuditEvent;
use domain::principal::OrgId;
use domain::principal::UserId;
use domain::registry::{Change, Reason, RecordState, RightAction};
use domain::{Field, SearchKind};
use engine::EngineError;
use std::sync::atomic::Ordering;

fn frank(action: RightAction) -> Change {
    Change::Right {
        organisation: OrgId::from_static("espoo"),
        user: UserId::from_static("u-frank"),
        action,
    }
}

fn colleague(org: &'static str, subject: &'static str) -> domain::Actor {
    let mut a = user(org);
    if let domain::access::Who::User(p) = &mut a.who {
        p.subject = UserId::from_static(subject);
    }
    a
}

#[tokio::test]
async fn a_block_is_recorded_with_its_reason_and_refuses_the_next_query() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let frank_actor = colleague("espoo", "u-frank");
    let code = &f.samples.ordinary[0];
    assert!(
        f.search(&frank_actor, SearchKind::Hetu, &[(Field::Hetu, code)])
            .await
            .is_ok()
    );
    let reason = Reason::parse("epäilty uteliaisuushaku").map_err(|e| format!("{e:?}"))?;
    let to = f
        .engine
        .change(&bob, frank(RightAction::Block), reason.clone())
        .await?;
    assert_eq!(to, RecordState::Right(RightState::Blocked));
    assert_eq!(
        f.engine.right("espoo", "u-frank")?.map(|r| r.state),
        Some(RightState::Blocked)
    );
    let r = f
        .search(&frank_actor, SearchKind::Hetu, &[(Field::Hetu, code)])
        .await;
    assert_eq!(refusal(&r), Some(Denied::UserBlocked));
    let trail = f.engine.audit().entries_after(0, 100)?;
    let changed: Vec<_> = trail
        .iter()
        .filter_map(|e| match &e.entry.event {
            AuditEvent::RecordChanged {
                change,
                from,
                to,
                reason,
            } => Some((
                change.clone(),
                *from,
                *to,
                reason.clone(),
                e.entry.actor.clone(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(changed.len(), 1);
    let (change, from, to, why, by) = &changed[0];
    assert_eq!(*change, frank(RightAction::Block));
    assert_eq!(*from, Some(RecordState::Right(RightState::Active)));
    assert_eq!(*to, RecordState::Right(RightState::Blocked));
    assert_eq!(why, &reason);
    assert_eq!(by.user, "u-bob");
    Ok(())
}

#[tokio::test]
async fn a_change_the_trail_cannot_record_is_not_made() -> TestResult {
    let f = embedded_fixture()?;
    let bob = user("espoo");
    f.fail_audit.store(true, Ordering::SeqCst);
    let r = f.engine.change(&bob, frank(RightAction::End), None).await;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    assert_eq!(
        f.engine.right("espoo", "u-frank")?.map(|r| r.state),
        Some(RightState::Active),
        "the right is as it was"
    );
    Ok(())
}

#[tokio::test]
async fn a_refused_change_is_audited_and_changes_nothing() -> TestResult {
    let f = fixture()?;
    let frank_actor = colleague("espoo", "u-frank");
    let bob = user("espoo");
    let cases = [
        (
            &frank_actor,
            Change::Right {
                organisation: OrgId::from_static("espoo"),
                user: UserId::from_static("u-bob"),
                action: RightAction::End,
            },
            Denied::NotResponsibleUser,
        ),
        (&bob, frank(RightAction::Approve), Denied::RegistryStaffOnly),
        (&bob, frank(RightAction::Block), Denied::ReasonRequired),
    ];
    for (who, change, want) in cases {
        let before = f.engine.audit().len()?;
        let r = f.engine.change(who, change.clone(), None).await;
        assert_eq!(refusal(&r), Some(want), "{change:?}");
        let last = f.engine.audit().entries_after(before, 10)?;
        assert_eq!(last.len(), 1);
        assert!(matches!(
            &last[0].entry.event,
            AuditEvent::ChangeRefused { change: c, reason } if *c == change && *reason == want
        ));
    }
    assert_eq!(
        f.engine.right("espoo", "u-bob")?.map(|r| r.state),
        Some(RightState::Active)
    );
    assert_eq!(
        f.engine.right("espoo", "u-frank")?.map(|r| r.state),
        Some(RightState::Active)
    );
    Ok(())
}

#[tokio::test]
async fn the_registry_approves_a_proposed_right_and_the_user_may_query() -> TestResult {
    let f = fixture()?;
    let gus = colleague("espoo", "u-gus");
    let code = &f.samples.ordinary[0];
    let r = f
        .search(&gus, SearchKind::Hetu, &[(Field::Hetu, code)])
        .await;
    assert_eq!(refusal(&r), Some(Denied::RightNotActive));
    let approve = Change::Right {
        organisation: OrgId::from_static("espoo"),
        user: UserId::from_static("u-gus"),
        action: RightAction::Approve,
    };
    f.engine.change(&user("dvv"), approve, None).await?;
    assert!(
        f.search(&gus, SearchKind::Hetu, &[(Field::Hetu, code)])
            .await
            .is_ok()
    );
    let m = f.engine.management(&user("dvv")).await?;
    let gus_view = m
        .rights
        .iter()
        .find(|r| r.right.user == "u-gus")
        .ok_or("gus")?;
    assert_eq!(gus_view.history.len(), 1);
    assert_eq!(gus_view.history[0].by_name, "User of dvv");
    assert_eq!(m.permits.len(), 5, "staff see every permit");
    Ok(())
}

#[tokio::test]
async fn each_change_is_kept_in_order_in_the_records_history() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let dvv = user("dvv");
    let why = Reason::parse("epäilty väärinkäyttö").map_err(|e| format!("{e:?}"))?;
    f.engine
        .change(&bob, frank(RightAction::Block), why.clone())
        .await?;
    f.engine
        .change(&dvv, frank(RightAction::Unblock), why)
        .await?;
    f.engine.change(&bob, frank(RightAction::End), None).await?;
    let m = f.engine.management(&bob).await?;
    let frank_view = m
        .rights
        .iter()
        .find(|r| r.right.user == "u-frank")
        .ok_or("frank")?;
    let steps: Vec<(RecordState, &str)> = frank_view
        .history
        .iter()
        .map(|h| (h.to, h.by.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (RecordState::Right(RightState::Blocked), "u-bob"),
            (RecordState::Right(RightState::Active), "u-dora"),
            (RecordState::Right(RightState::Ended), "u-bob"),
        ]
    );
    // A responsible user sees their own organisation's users, all of them, and no permits.
    assert!(m.permits.is_empty());
    let users: Vec<&str> = m.rights.iter().map(|r| r.right.user.as_str()).collect();
    assert_eq!(users, vec!["u-bob", "u-frank", "u-gus"]);
    Ok(())
}

#[tokio::test]
async fn the_registry_suspends_a_permit_and_its_users_are_refused_at_once() -> TestResult {
    let f = fixture()?;
    let carol = user("isannointi-oy");
    let place = [(Field::BuildingId, "100012345N")];
    assert!(f.search(&carol, SearchKind::Building, &place).await.is_ok());
    let permit = |action| Change::Permit {
        organisation: OrgId::from_static("isannointi-oy"),
        action,
    };
    let why = Reason::parse("tietoturvaselvitys kesken").map_err(|e| format!("{e:?}"))?;
    let to = f
        .engine
        .change(
            &user("dvv"),
            permit(domain::registry::PermitAction::Suspend),
            why,
        )
        .await?;
    assert_eq!(to, RecordState::Permit(domain::PermitState::Suspended));
    let r = f.search(&carol, SearchKind::Building, &place).await;
    assert_eq!(refusal(&r), Some(Denied::PermitSuspended));
    f.engine
        .change(
            &user("dvv"),
            permit(domain::registry::PermitAction::Resume),
            None,
        )
        .await?;
    assert!(f.search(&carol, SearchKind::Building, &place).await.is_ok());
    let m = f.engine.management(&user("dvv")).await?;
    let view = m
        .permits
        .iter()
        .find(|p| p.organisation.id.as_str() == "isannointi-oy")
        .ok_or("permit")?;
    assert_eq!(view.history.len(), 2);
    assert_eq!(view.state, domain::PermitState::Active);
    Ok(())
}

#[tokio::test]
async fn the_header_offers_management_to_responsible_users_and_registry_staff_only() -> TestResult {
    let f = fixture()?;
    for (who, manages) in [
        (user("espoo"), true),
        (user("dvv"), true),
        (colleague("espoo", "u-frank"), false),
        (user("isannointi-oy"), false),
    ] {
        assert_eq!(f.engine.allowed(&who).await?.manage, manages, "{who:?}");
    }
    Ok(())
}

fn amend(
    user: &'static str,
    roles: &[domain::principal::Role],
    screens: Option<Vec<domain::ScreenId>>,
) -> Change {
    Change::Amend {
        organisation: OrgId::from_static("espoo"),
        user: UserId::from_static(user),
        roles: roles.to_vec(),
        screens,
    }
}

#[tokio::test]
async fn a_change_of_screens_waits_for_the_registry_then_decides_the_next_query() -> TestResult {
    use domain::ScreenId;
    use domain::principal::Role;
    let f = fixture()?;
    let subjects = f.walk().await?;
    let (bob, dora) = (user("espoo"), user("dvv"));
    let frank_actor = colleague("espoo", "u-frank");
    let permit = f.engine.permit_of("espoo")?.ok_or("Espoo's permit")?;
    let other = permit
        .screens
        .iter()
        .copied()
        .find(|s| *s != ScreenId::PersonBasic && s.spec().subject() == domain::SubjectKind::Person)
        .ok_or("a second person screen")?;
    let outside = ScreenId::ALL
        .iter()
        .copied()
        .find(|s| !permit.screens.contains(s))
        .ok_or("a screen outside Espoo's permit")?;
    // Only the permit's screens may be proposed; and a change must change something.
    let r = f
        .engine
        .change(
            &bob,
            amend("u-frank", &[Role::QueryUser], Some(vec![outside])),
            None,
        )
        .await;
    assert_eq!(refusal(&r), Some(Denied::ScreenNotInPermit(outside)));
    let r = f
        .engine
        .change(&bob, amend("u-frank", &[Role::QueryUser], None), None)
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState));
    // Nothing pending: nothing to approve.
    let r = f
        .engine
        .change(&dora, frank(RightAction::ApproveChange), None)
        .await;
    assert_eq!(refusal(&r), Some(Denied::NoSuchRecord));
    f.engine
        .change(
            &bob,
            amend(
                "u-frank",
                &[Role::QueryUser],
                Some(vec![ScreenId::PersonBasic]),
            ),
            None,
        )
        .await?;
    // Pending: Frank still opens every screen of the permit.
    f.engine
        .load_screen(&frank_actor, other, subjects.person)
        .await?;
    let m = f.engine.management(&dora).await?;
    let view = m
        .rights
        .iter()
        .find(|v| v.right.user == "u-frank")
        .ok_or("Frank in the registry's view")?;
    assert_eq!(
        view.pending.as_ref().map(|p| p.screens.clone()),
        Some(Some(vec![ScreenId::PersonBasic]))
    );
    assert!(view.actions.contains(&RightAction::ApproveChange));
    let mine = f.engine.management(&bob).await?;
    let own_view = mine
        .rights
        .iter()
        .find(|v| v.right.user == "u-frank")
        .ok_or("Frank")?;
    assert!(!own_view.actions.contains(&RightAction::ApproveChange));
    assert!(own_view.actions.contains(&RightAction::RejectChange));
    assert_eq!(mine.screens_on_offer, permit.screens);
    // Approved: the next query is decided by the new screens.
    f.engine
        .change(&dora, frank(RightAction::ApproveChange), None)
        .await?;
    let r = f
        .engine
        .load_screen(&frank_actor, other, subjects.person)
        .await;
    assert_eq!(refusal(&r), Some(Denied::ScreenNotInRight(other)));
    f.engine
        .load_screen(&frank_actor, ScreenId::PersonBasic, subjects.person)
        .await?;
    let after = f.engine.management(&dora).await?;
    assert!(after.rights.iter().all(|v| v.pending.is_none()));
    // A second proposal, rejected with a reason: the right stays.
    f.engine
        .change(&bob, amend("u-frank", &[Role::QueryUser], None), None)
        .await?;
    let reason = Reason::parse("ei perusteltua tarvetta").map_err(|e| format!("{e:?}"))?;
    f.engine
        .change(&dora, frank(RightAction::RejectChange), reason)
        .await?;
    assert_eq!(
        f.engine.right("espoo", "u-frank")?.and_then(|r| r.screens),
        Some(vec![ScreenId::PersonBasic])
    );
    Ok(())
}

#[tokio::test]
async fn an_attestation_round_ends_unconfirmed_rights_on_its_last_day() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let frank_actor = colleague("espoo", "u-frank");
    let code = f.samples.ordinary[0].clone();
    let deadline = crate::fixture::today().add_days(14);
    // Only a responsible user starts one, on a day 7–90 days ahead.
    let r = f
        .engine
        .start_attestation(&frank_actor, &deadline.to_finnish())
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotResponsibleUser));
    let r = f
        .engine
        .start_attestation(&bob, &crate::fixture::today().add_days(3).to_finnish())
        .await;
    assert!(matches!(r, Err(EngineError::Rejected(_))), "{r:?}");
    assert_eq!(
        f.engine
            .start_attestation(&bob, &deadline.to_finnish())
            .await?,
        1
    );
    assert_eq!(
        f.engine
            .right("espoo", "u-frank")?
            .and_then(|r| r.valid_until),
        Some(deadline)
    );
    assert_eq!(
        f.engine
            .right("espoo", "u-bob")?
            .and_then(|r| r.valid_until),
        None,
        "not the starter's own"
    );
    let r = f
        .engine
        .start_attestation(&bob, &deadline.to_finnish())
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState));
    let m = f.engine.management(&bob).await?;
    assert_eq!(m.attestation.map(|a| a.deadline), Some(deadline));
    // Unconfirmed: Frank queries up to the last day, and not the day after.
    f.clock.advance_seconds(14 * 86_400);
    assert!(
        f.search(&frank_actor, SearchKind::Hetu, &[(Field::Hetu, &code)])
            .await
            .is_ok()
    );
    f.clock.advance_seconds(86_400);
    let r = f
        .search(&frank_actor, SearchKind::Hetu, &[(Field::Hetu, &code)])
        .await;
    assert_eq!(refusal(&r), Some(Denied::RightExpired));
    // The round is over: nothing more to confirm.
    let r = f.engine.confirm_attestation(&bob, "u-frank").await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState));
    Ok(())
}

#[tokio::test]
async fn a_confirmed_right_keeps_its_own_last_day() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let frank_actor = colleague("espoo", "u-frank");
    let deadline = crate::fixture::today().add_days(30);
    f.engine
        .start_attestation(&bob, &deadline.to_finnish())
        .await?;
    f.engine.confirm_attestation(&bob, "u-frank").await?;
    assert_eq!(
        f.engine
            .right("espoo", "u-frank")?
            .and_then(|r| r.valid_until),
        None
    );
    let r = f.engine.confirm_attestation(&bob, "u-frank").await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState), "once");
    let r = f.engine.confirm_attestation(&bob, "u-nobody").await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState));
    // With Frank blocked there is nobody left to confirm in Espoo: no round is held.
    f.engine
        .change(
            &bob,
            frank(RightAction::Block),
            Reason::parse("epäilty uteliaisuushaku").map_err(|e| format!("{e:?}"))?,
        )
        .await?;
    let r = f
        .engine
        .start_attestation(&bob, &crate::fixture::today().add_days(45).to_finnish())
        .await;
    assert_eq!(refusal(&r), Some(Denied::NoSuchRecord));
    f.engine
        .change(
            &user("dvv"),
            frank(RightAction::Unblock),
            Reason::parse("selvitetty").map_err(|e| format!("{e:?}"))?,
        )
        .await?;
    f.clock.advance_seconds(31 * 86_400);
    let code = f.samples.ordinary[0].clone();
    assert!(
        f.search(&frank_actor, SearchKind::Hetu, &[(Field::Hetu, &code)])
            .await
            .is_ok()
    );
    assert!(f
        .engine
        .audit()
        .for_user("u-bob")?
        .iter()
        .any(|r| matches!(&r.entry.event, AuditEvent::AttestationConfirmed { user, .. } if user == "u-frank")));
    Ok(())
}

#[tokio::test]
async fn the_rights_list_pages_on_the_server_and_a_responsible_user_sees_only_their_own()
-> TestResult {
    use domain::principal::Role;
    let f = fixture()?;
    let (bob, dora) = (user("espoo"), user("dvv"));
    let before_all = f.engine.management(&dora).await?.rights_total;
    let before_espoo = f.engine.management(&bob).await?.rights_total;
    for n in 0..60 {
        f.engine.put_right(&domain::PersonalRight {
            user: UserId::parse(&format!("u-extra-{n:02}")).unwrap_or_else(|e| unreachable!("{e}")),
            name: format!("Extra {n:02}"),
            organisation: OrgId::from_static("espoo"),
            roles: vec![Role::QueryUser],
            screens: None,
            valid_until: None,
            state: RightState::Active,
            restorable: false,
        })?;
    }
    let per_page = domain::registry::RIGHTS_PAGE;
    let staff = f.engine.management_page(&dora, 0).await?;
    assert_eq!(staff.rights_total, before_all + 60);
    assert_eq!(staff.rights.len(), per_page as usize);
    let second = f.engine.management_page(&dora, 1).await?;
    assert_eq!(second.page, 1);
    assert_eq!(second.rights.len(), (before_all + 60 - per_page) as usize);
    // Pages neither overlap nor leave anyone out.
    let mut seen: Vec<(String, String)> = staff
        .rights
        .iter()
        .chain(&second.rights)
        .map(|v| {
            (
                v.right.organisation.as_str().to_owned(),
                v.right.user.to_string(),
            )
        })
        .collect();
    let listed = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), listed);
    assert_eq!(seen.len() as u32, before_all + 60);
    assert!(f.engine.management_page(&dora, 9).await?.rights.is_empty());
    // The responsible user's pages hold their own organisation's rights only.
    let own = f.engine.management_page(&bob, 1).await?;
    assert_eq!(own.rights_total, before_espoo + 60);
    assert_eq!(own.rights.len(), (before_espoo + 60 - per_page) as usize);
    assert!(
        own.rights
            .iter()
            .all(|v| v.right.organisation.as_str() == "espoo")
    );
    Ok(())
}

#[tokio::test]
async fn an_organisation_requires_a_second_factor_and_only_the_registry_lifts_it() -> TestResult {
    use domain::registry::PermitAction;
    let f = fixture()?;
    let bob = user("espoo");
    let frank = colleague("espoo", "u-frank");
    let hetu = [(Field::Hetu, f.samples.ordinary[0].as_str())];
    let espoo = |action| Change::Permit {
        organisation: OrgId::from_static("espoo"),
        action,
    };
    let required =
        |m: &domain::registry::Management| m.own_permit.as_ref().map(|p| p.two_factor_required);
    assert_eq!(required(&f.engine.management(&bob).await?), Some(false));
    assert!(f.search(&frank, SearchKind::Hetu, &hetu).await.is_ok());
    let to = f
        .engine
        .change(&bob, espoo(PermitAction::RequireTwoFactor), None)
        .await?;
    assert_eq!(to, RecordState::Permit(domain::PermitState::Active));
    assert_eq!(required(&f.engine.management(&bob).await?), Some(true));
    let r = f.search(&frank, SearchKind::Hetu, &hetu).await;
    assert_eq!(refusal(&r), Some(Denied::TwoFactorRequired));
    // Again: nothing to change, refused and recorded.
    let audited = f.engine.audit().len()?;
    let again = f
        .engine
        .change(&bob, espoo(PermitAction::RequireTwoFactor), None)
        .await;
    assert_eq!(refusal(&again), Some(Denied::NotFromThisState));
    assert_eq!(f.engine.audit().len()?, audited + 1);
    // Lifting it is the registry's, with a reason.
    let why = Reason::parse("organisaation pyyntö").map_err(|e| format!("{e:?}"))?;
    let not_theirs = f
        .engine
        .change(&bob, espoo(PermitAction::AllowOneFactor), why.clone())
        .await;
    assert_eq!(refusal(&not_theirs), Some(Denied::RegistryStaffOnly));
    let lifted = f
        .engine
        .change(&user("dvv"), espoo(PermitAction::AllowOneFactor), why)
        .await?;
    assert_eq!(lifted, RecordState::Permit(domain::PermitState::Active));
    assert_eq!(required(&f.engine.management(&bob).await?), Some(false));
    assert!(f.search(&frank, SearchKind::Hetu, &hetu).await.is_ok());
    let history = f
        .engine
        .management(&bob)
        .await?
        .own_permit
        .ok_or("own permit")?
        .history;
    assert_eq!(history.len(), 2);
    Ok(())
}

/// Every path the review of 7d0db4a found from a responsible user's steps alone to a right in
/// force: each is refused now, on record, and the right stays out of force.
#[tokio::test]
async fn no_responsible_users_steps_put_a_right_in_force_without_the_registry() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let dora = user("dvv");
    let why = || Reason::parse("syy kirjattu").map_err(|e| format!("{e:?}"));
    let on = |user: &'static str, action| Change::Right {
        organisation: OrgId::from_static("espoo"),
        user: UserId::from_static(user),
        action,
    };
    let code = &f.samples.ordinary[0];
    let queries = |subject: &'static str| {
        let actor = colleague("espoo", subject);
        let f = &f;
        async move {
            f.search(&actor, SearchKind::Hetu, &[(Field::Hetu, code)])
                .await
                .is_ok()
        }
    };

    // 1. Gus, proposed and never approved: withdrawn (Reject), then "restored".
    f.engine
        .change(&bob, on("u-gus", RightAction::Reject), why()?)
        .await?;
    let r = f
        .engine
        .change(&bob, on("u-gus", RightAction::Restore), None)
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotRestorable));
    assert!(!queries("u-gus").await, "gus never approved, never queries");

    // 2. Frank blocked by the registry: ended by Bob, then "restored".
    f.engine
        .change(&dora, frank(RightAction::Block), why()?)
        .await?;
    f.engine.change(&bob, frank(RightAction::End), None).await?;
    let r = f
        .engine
        .change(&bob, frank(RightAction::Restore), None)
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotRestorable));
    assert!(!queries("u-frank").await, "the block is not undone");

    // 3. Frank ended, proposed anew with every role, the proposal withdrawn, "restored".
    f.engine
        .record(
            &colleague("espoo", "u-frank"),
            domain::audit::SessionEvent::LoginSucceeded {
                acr: domain::principal::Acr::OneFactor,
            },
        )
        .await?;
    let every_role = Change::Propose {
        organisation: OrgId::from_static("espoo"),
        user: UserId::from_static("u-frank"),
        roles: vec![
            domain::principal::Role::QueryUser,
            domain::principal::Role::ResponsibleUser,
            domain::principal::Role::ExtractionResponsibleUser,
        ],
    };
    f.engine.change(&bob, every_role, None).await?;
    f.engine
        .change(&bob, frank(RightAction::Reject), why()?)
        .await?;
    let r = f
        .engine
        .change(&bob, frank(RightAction::Restore), None)
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotRestorable));
    let right = f.engine.right("espoo", "u-frank")?.ok_or("frank")?;
    assert_eq!(right.state, RightState::Ended);
    assert!(!queries("u-frank").await);

    // 4. A right the registry itself ended is not the organisation's to restore.
    f.engine
        .change(&dora, on("u-bob", RightAction::End), None)
        .await?;
    assert_eq!(
        f.engine
            .right("espoo", "u-bob")?
            .map(|r| (r.state, r.restorable)),
        Some((RightState::Ended, false))
    );
    Ok(())
}

#[tokio::test]
async fn a_right_its_organisation_ended_comes_back_as_it_was_and_not_past_its_last_day()
-> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let code = &f.samples.ordinary[0];
    let frank_actor = colleague("espoo", "u-frank");
    // An attestation round gives Frank's right a last day; Bob ends it and restores it.
    let deadline = crate::fixture::today().add_days(10);
    f.engine
        .start_attestation(&bob, &deadline.to_finnish())
        .await?;
    f.engine.change(&bob, frank(RightAction::End), None).await?;
    f.engine
        .change(&bob, frank(RightAction::Restore), None)
        .await?;
    let back = f.engine.right("espoo", "u-frank")?.ok_or("frank")?;
    assert_eq!(back.state, RightState::Active);
    assert_eq!(
        back.valid_until,
        Some(deadline),
        "as it was: the round's day"
    );
    assert!(
        f.search(&frank_actor, SearchKind::Hetu, &[(Field::Hetu, code)])
            .await
            .is_ok()
    );
    // Past the round's last day, unconfirmed: ended and restored it would outlive the round.
    f.clock.advance_seconds(11 * 86_400);
    f.engine.change(&bob, frank(RightAction::End), None).await?;
    let r = f
        .engine
        .change(&bob, frank(RightAction::Restore), None)
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotRestorable));
    let m = f.engine.management(&bob).await?;
    let view = m
        .rights
        .iter()
        .find(|r| r.right.user == "u-frank")
        .ok_or("frank")?;
    assert!(!view.actions.contains(&RightAction::Restore), "not offered");
    Ok(())
}

#[tokio::test]
async fn the_page_carries_a_rights_latest_changes_however_many_it_has() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    for _ in 0..30 {
        f.engine.change(&bob, frank(RightAction::End), None).await?;
        f.engine
            .change(&bob, frank(RightAction::Restore), None)
            .await?;
    }
    let m = f.engine.management(&bob).await?;
    let view = m
        .rights
        .iter()
        .find(|r| r.right.user == "u-frank")
        .ok_or("frank")?;
    assert_eq!(view.history_total, 60);
    assert_eq!(view.history.len(), domain::registry::HISTORY_SHOWN);
    // The latest, oldest first: the last one is the last Restore.
    assert_eq!(
        view.history.last().map(|h| h.change.clone()),
        Some(frank(RightAction::Restore))
    );
    assert!(view.history.windows(2).all(|w| w[0].at <= w[1].at));
    Ok(())
}

/// Frank's pending change of roles or screens, as Bob's management page shows it.
async fn frank_pending(
    f: &crate::fixture::Fixture,
    bob: &domain::Actor,
) -> Result<Option<domain::registry::Amendment>, Box<dyn std::error::Error>> {
    Ok(f.engine
        .management(bob)
        .await?
        .rights
        .into_iter()
        .find(|r| r.right.user == "u-frank")
        .and_then(|r| r.pending))
}

#[tokio::test]
async fn a_right_that_leaves_force_takes_no_pending_change_with_it() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    f.engine
        .change(
            &bob,
            amend(
                "u-frank",
                &[domain::principal::Role::QueryUser],
                Some(vec![domain::ScreenId::PersonBasic]),
            ),
            None,
        )
        .await?;
    assert!(frank_pending(&f, &bob).await?.is_some());
    f.engine.change(&bob, frank(RightAction::End), None).await?;
    assert_eq!(
        frank_pending(&f, &bob).await?,
        None,
        "ended: the change went with it"
    );
    f.engine
        .change(&bob, frank(RightAction::Restore), None)
        .await?;
    let r = f
        .engine
        .change(&user("dvv"), frank(RightAction::ApproveChange), None)
        .await;
    assert_eq!(refusal(&r), Some(Denied::NoSuchRecord));
    Ok(())
}

/// A block ends the blocked user's sessions in that organisation, as part of the change and
/// whoever asks for it (it once lived in the management page): not their sessions elsewhere,
/// nothing when they have none, nothing when the block is refused.
#[tokio::test]
async fn a_block_ends_the_users_sessions_there_and_nowhere_else() -> TestResult {
    use engine::{SessionStore, TerminalProfile};
    let f = fixture()?;
    let sessions = SessionStore::open(&f._dir.path().join("sessions.redb"), f.clock.clone())?;
    f.engine.attach_sessions(sessions.clone());
    let dora = user("dvv");
    let reason = || Reason::parse("Epäilty väärinkäyttö").ok().flatten();
    let ended = |entries: &[engine::AuditRecord]| {
        entries
            .iter()
            .filter_map(|r| match &r.entry.event {
                AuditEvent::SessionsEnded { user, count } => Some((user.clone(), *count)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    // No sessions: the block ends none and records no ending.
    let before = f.engine.audit().len()?;
    f.engine
        .change(&dora, frank(RightAction::Block), reason())
        .await?;
    assert_eq!(ended(&f.engine.audit().entries_after(before, 10)?), vec![]);
    f.engine
        .change(&dora, frank(RightAction::Unblock), reason())
        .await?;
    // Two sessions in Espoo, one in another organisation.
    let frank_actor = colleague("espoo", "u-frank");
    let in_espoo = frank_actor.principal().ok_or("a user")?.clone();
    let elsewhere = domain::Principal {
        organisation: OrgId::from_static("vantaa"),
        ..in_espoo.clone()
    };
    for principal in [in_espoo.clone(), in_espoo.clone(), elsewhere] {
        sessions.create(principal, TerminalProfile::Desktop, "127.0.0.1")?;
    }
    let before = f.engine.audit().len()?;
    f.engine
        .change(&dora, frank(RightAction::Block), reason())
        .await?;
    let left = sessions.of_user("u-frank")?;
    assert_eq!(
        left.iter()
            .map(|s| s.principal.organisation.as_str())
            .collect::<Vec<_>>(),
        vec!["vantaa"]
    );
    assert_eq!(
        ended(&f.engine.audit().entries_after(before, 10)?),
        vec![("u-frank".to_owned(), 2)]
    );
    // A block refused (Frank is blocked already) ends nothing.
    sessions.create(in_espoo, TerminalProfile::Desktop, "127.0.0.1")?;
    let r = f
        .engine
        .change(&dora, frank(RightAction::Block), reason())
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState));
    assert_eq!(sessions.of_user("u-frank")?.len(), 2);
    Ok(())
}

/// Whom a responsible user can propose: the colleagues who have signed in and hold no right
/// in force, proposed or blocked, and nobody from another organisation.
#[tokio::test]
async fn the_management_page_offers_the_colleagues_who_signed_in_without_a_right() -> TestResult {
    use domain::audit::SessionEvent;
    use domain::principal::Acr;
    let f = fixture()?;
    let signed_in = |org: &'static str, subject: &'static str| {
        let mut a = colleague(org, subject);
        if let domain::access::Who::User(p) = &mut a.who {
            p.name = format!("Name of {subject}");
        }
        a
    };
    for a in [
        signed_in("espoo", "u-new"),
        signed_in("espoo", "u-frank"),
        signed_in("vantaa", "u-other"),
    ] {
        f.engine
            .record(
                &a,
                SessionEvent::LoginSucceeded {
                    acr: Acr::OneFactor,
                },
            )
            .await?;
    }
    let page = f.engine.management(&user("espoo")).await?;
    assert_eq!(
        page.candidates
            .iter()
            .map(|k| k.subject.as_str())
            .collect::<Vec<_>>(),
        vec!["u-new"]
    );
    Ok(())
}

/// The usage report covers the last thirty days up to today, counted from the trail: a
/// colleague's screens shown today are in it.
#[tokio::test]
async fn the_usage_report_covers_the_last_thirty_days_and_counts_todays_screens() -> TestResult {
    let f = fixture()?;
    let bob = user("espoo");
    let frank_actor = colleague("espoo", "u-frank");
    let code = &f.samples.ordinary[0];
    f.search(&frank_actor, SearchKind::Hetu, &[(Field::Hetu, code)])
        .await?;
    let report = f.engine.usage(&bob, None).await?;
    let today = crate::fixture::today();
    assert_eq!(report.to, Some(today));
    assert_eq!(report.from, Some(today.add_days(-30)));
    let frank_row = report
        .users
        .iter()
        .find(|u| u.user == "u-frank")
        .ok_or("Frank is in the report")?;
    assert!(frank_row.queries >= 1, "{frank_row:?}");
    Ok(())
}
