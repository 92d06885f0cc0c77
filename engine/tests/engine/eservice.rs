//! The e-service through the engine: a new organisation's application from its first draft,
//! through a supplement request and the grant, to the nomination of its responsible user and
//! a colleague's first query; a municipal order; who sees which application; the work queue;
//! and a step the trail cannot record, which is not taken.

use crate::fixture::{TestResult, embedded_fixture, fixture, refusal, user};
use domain::access::{Denied, PermitState, RightState, Who};
use domain::audit::{AuditEvent, SessionEvent};
use domain::catalogue::DataGroup;
use domain::eservice::{
    ApplicationAction as A, ApplicationForm, ApplicationKind, ApplicationState as S, Contact,
    DecisionForm, GroupNeed, OrganisationDetails, Party, ProtectionAccount, PurposeRequest,
    QueueFilter, TERMS_VERSION,
};
use domain::principal::UserId;
use domain::principal::{Acr, OrgId, Role};
use domain::registry::{Change, OrgKind, RecordState, RightAction};
use domain::{Actor, Field, Principal, Purpose, SearchKind};
use engine::EngineError;
use std::sync::atomic::Ordering;

/// A person of `org` as the identity provider signs them in (no right anywhere yet).
pub fn person(org: &'static str, subject: &'static str, name: &str) -> Actor {
    Actor::user(
        Principal {
            subject: UserId::from_static(subject),
            name: name.into(),
            organisation: OrgId::from_static(org),
            organisation_name: org.into(),
            acr: Acr::OneFactor,
        },
        "req-e".into(),
        "127.0.0.1".into(),
    )
}

async fn sign_in(f: &crate::fixture::Fixture, actor: &Actor) -> TestResult {
    f.engine
        .record(
            actor,
            SessionEvent::LoginSucceeded {
                acr: Acr::OneFactor,
            },
        )
        .await?;
    Ok(())
}

fn protection() -> ProtectionAccount {
    ProtectionAccount {
        users: "Kaksi isännöitsijää toimistolla.".into(),
        location: "Lukittu toimisto, oma verkko.".into(),
        access_control: "Henkilökohtaiset tunnukset, kaksivaiheinen tunnistus.".into(),
        retention: "Ei tallenneta; tulosteet tuhotaan heti.".into(),
        no_onward_disclosure: true,
        two_factor: false,
        other: String::new(),
    }
}

fn details(name: &str, business_id: &str, kind: OrgKind, contact: &str) -> OrganisationDetails {
    OrganisationDetails {
        name: name.into(),
        business_id: business_id.into(),
        kind: Some(kind),
        address: "Esimerkkikatu 1, 00100 Helsinki".into(),
        contacts: vec![Contact {
            name: contact.into(),
            email: "yhteys@example.fi".into(),
            phone: String::new(),
        }],
    }
}

/// A complete data-permit application for persons' basic data by identity code.
fn permit_form() -> ApplicationForm {
    ApplicationForm {
        organisation: details(
            "Kotiapu Oy",
            "1234567-1",
            OrgKind::Company,
            "Ilkka Ilmarinen",
        ),
        purposes: vec![PurposeRequest {
            purpose: Purpose::PropertyManagement,
            legal_basis: "661/2009 16 §".into(),
            justification: "Vuokralaisten henkilöllisyyden tarkistaminen sopimuksia tehtäessä."
                .into(),
        }],
        needs: vec![
            GroupNeed {
                group: DataGroup::PersonBasic,
                why: "Nimi ja henkilötunnus sopimukseen.".into(),
            },
            GroupNeed {
                group: DataGroup::Citizenships,
                why: "Ei välttämätön, pyydetään varmuuden vuoksi.".into(),
            },
        ],
        searches: vec![SearchKind::Hetu],
        protection: protection(),
        terms_accepted: Some(TERMS_VERSION.into()),
        nominee: None,
    }
}

fn propose(org: &'static str, subject: &'static str, roles: &[Role]) -> Change {
    Change::Propose {
        organisation: OrgId::from_static(org),
        user: UserId::from_static(subject),
        roles: roles.to_vec(),
    }
}

fn approve(org: &'static str, subject: &'static str) -> Change {
    Change::Right {
        organisation: OrgId::from_static(org),
        user: UserId::from_static(subject),
        action: RightAction::Approve,
    }
}

/// The fields a form error names; empty for anything else (which the assertions then reject).
fn rejected_fields<T: std::fmt::Debug>(r: Result<T, EngineError>) -> Vec<Field> {
    match r {
        Err(EngineError::Rejected(fields)) => fields.iter().map(|f| f.field).collect(),
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn a_new_organisation_applies_is_granted_and_its_colleague_queries() -> TestResult {
    let f = fixture()?;
    let ilkka = person("kotiapu-oy", "u-ilkka", "Ilkka Ilmarinen");
    let jaana = person("kotiapu-oy", "u-jaana", "Jaana Jokinen");
    let dora = user("dvv");
    let code = f.samples.ordinary[0].clone();
    sign_in(&f, &ilkka).await?;
    sign_in(&f, &jaana).await?;

    // Nothing opens yet.
    let r = f
        .search(&jaana, SearchKind::Hetu, &[(Field::Hetu, &code)])
        .await;
    assert_eq!(refusal(&r), Some(Denied::NoRight));
    let home = f.engine.my_applications(&ilkka).await?;
    assert_eq!(home.may_start, ApplicationKind::NEW.to_vec());
    assert!(!home.registry);

    // A draft, saved as typed; a second application is refused while it is open.
    let id = f
        .engine
        .start_application(&ilkka, ApplicationKind::DataPermit)
        .await?;
    let again = f
        .engine
        .start_application(&jaana, ApplicationKind::DataPermit)
        .await;
    assert_eq!(refusal(&again), Some(Denied::AlreadyApplied));
    // An organisation the registry does not know yet: the draft starts with the name the
    // provider gave.
    assert_eq!(
        f.engine
            .application(&ilkka, id)
            .await?
            .application
            .form
            .organisation
            .name,
        "kotiapu-oy"
    );
    // A data permit names no responsible user on its form: nobody is offered.
    assert!(
        f.engine
            .application(&ilkka, id)
            .await?
            .candidates
            .is_empty()
    );
    assert!(
        f.engine.my_applications(&dora).await?.registry,
        "staff's view"
    );
    let mut half = ApplicationForm::default();
    half.organisation.name = "Kotiapu Oy".into();
    f.engine.save_draft(&ilkka, id, half.clone()).await?;
    assert_eq!(
        f.engine.application(&ilkka, id).await?.application.form,
        half
    );
    // An incomplete draft is not submitted, and says what is missing.
    let missing = rejected_fields(
        f.engine
            .application_step(&ilkka, id, A::Submit, "", None)
            .await,
    );
    assert!(missing.contains(&Field::BusinessId) && missing.contains(&Field::Terms));
    // Registry staff do not see drafts; the queue has nothing of it yet.
    assert!(matches!(
        f.engine.application(&dora, id).await,
        Err(EngineError::NotFound)
    ));
    assert_eq!(
        f.engine.my_applications(&jaana).await?.colleague,
        None,
        "a draft"
    );
    f.engine.save_draft(&ilkka, id, permit_form()).await?;
    assert_eq!(
        f.engine
            .application_step(&ilkka, id, A::Submit, "", None)
            .await?,
        S::Submitted
    );
    // A colleague learns their organisation's application is on its way (a draft was the
    // writer's alone), and the applicant is not told of their own as a colleague's.
    assert_eq!(
        f.engine.my_applications(&jaana).await?.colleague,
        Some(domain::eservice::progress::ColleagueApplication {
            id,
            kind: ApplicationKind::DataPermit,
            state: S::Submitted,
            applicant_name: "Ilkka Ilmarinen".into(),
        })
    );
    assert_eq!(f.engine.my_applications(&ilkka).await?.colleague, None);
    // Not editable once with the registry.
    let late = f.engine.save_draft(&ilkka, id, half.clone()).await;
    assert_eq!(refusal(&late), Some(Denied::NotFromThisState));

    // The registry's queue has it; it asks for a supplement, with a message.
    let queue = f.engine.work_queue(&dora, QueueFilter::default()).await?;
    assert_eq!(
        queue.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![id]
    );
    let submitted = queue.items[0].submitted;
    assert_eq!(submitted, Some(engine::Clock::now(f.clock.as_ref())));
    f.clock.advance_seconds(5 * 86_400);
    let no_message = f
        .engine
        .application_step(&dora, id, A::RequestSupplement, " ", None)
        .await;
    assert_eq!(rejected_fields(no_message), vec![Field::Message]);
    f.engine
        .application_step(
            &dora,
            id,
            A::RequestSupplement,
            "Kuvatkaa tietojärjestelmä.",
            None,
        )
        .await?;
    // The applicant is told of each step by mail to the form's contact: the receipt of the
    // submission, then the request (no link in it: they sign in as always).
    let told = |f: &crate::fixture::Fixture| -> Result<Vec<(String, String)>, EngineError> {
        Ok(f.engine
            .due_mail(100)?
            .into_iter()
            .filter(|m| m.subject.contains(&id.to_string()))
            .map(|m| (m.to, m.subject))
            .collect())
    };
    let mails = told(&f)?;
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(
        mails.iter().all(|(to, _)| to == "yhteys@example.fi"),
        "{mails:?}"
    );
    assert!(mails[1].1.contains("Täydennystä pyydetty"), "{mails:?}");
    // The queue still says when it was submitted, whatever steps came after.
    let queue = f.engine.work_queue(&dora, QueueFilter::default()).await?;
    assert_eq!(queue.items[0].submitted, submitted);
    f.clock.advance_seconds(3 * 86_400);
    let seen = f.engine.application(&ilkka, id).await?;
    assert_eq!(seen.application.state, S::SupplementRequested);
    assert_eq!(seen.actions, vec![A::Supplement]);
    assert_eq!(
        seen.application.messages[0].text,
        "Kuvatkaa tietojärjestelmä."
    );
    assert_eq!(seen.application.messages[0].party, Party::Registry);
    let clock = seen.clock.ok_or("no clock")?;
    assert_eq!((clock.registry_days(), clock.applicant_days()), (5, 3));
    // The applicant edits and answers; the registry cannot answer for them.
    let mut supplemented = permit_form();
    supplemented.protection.other = "Järjestelmä: pilvipalvelu EU:ssa, lokitus.".into();
    f.engine.save_draft(&ilkka, id, supplemented).await?;
    let not_theirs = f
        .engine
        .application_step(&dora, id, A::Supplement, "vastaus", None)
        .await;
    assert_eq!(refusal(&not_theirs), Some(Denied::NotApplicant));
    assert_eq!(told(&f)?.len(), 2, "a refused step tells nobody anything");
    f.engine
        .application_step(&ilkka, id, A::Supplement, "Kuvaus lisätty.", None)
        .await?;
    // The applicant cannot grant themselves.
    let own = f
        .engine
        .application_step(&ilkka, id, A::Grant, "", None)
        .await;
    assert_eq!(refusal(&own), Some(Denied::RegistryStaffOnly));

    // The grant: persons' basic data only (citizenships dropped), until further notice.
    let decision = DecisionForm {
        groups: vec![DataGroup::PersonBasic],
        valid_until: String::new(),
        two_factor: false,
    };
    // Registry staff decide only after a two-factor sign-in: with a password alone the
    // grant is refused, recorded, and nothing changes.
    let mut one_factor = dora.clone();
    if let domain::access::Who::User(p) = &mut one_factor.who {
        p.acr = domain::principal::Acr::OneFactor;
    }
    let audited = f.engine.audit().len()?;
    let weak = f
        .engine
        .application_step(&one_factor, id, A::Grant, "", Some(decision.clone()))
        .await;
    assert_eq!(
        refusal(&weak),
        Some(Denied::RoleNeedsTwoFactor(Role::RegistryStaff))
    );
    assert_eq!(
        f.engine.audit().len()?,
        audited + 1,
        "the refusal is recorded"
    );
    assert!(
        f.engine.permit_of("kotiapu-oy")?.is_none(),
        "nothing granted"
    );
    assert_eq!(
        f.engine
            .application_step(&dora, id, A::Grant, "", Some(decision))
            .await?,
        S::Granted
    );
    let permit = f.engine.permit_of("kotiapu-oy")?.ok_or("no permit")?;
    assert_eq!(permit.state, PermitState::Active);
    assert_eq!(permit.purpose_list(), vec![Purpose::PropertyManagement]);
    assert!(permit.screens.contains(&domain::ScreenId::PersonBasic));
    assert!(
        !permit
            .screens
            .contains(&domain::ScreenId::PersonCitizenship)
    );
    assert_eq!(permit.searches, vec![SearchKind::Hetu]);
    let granted = f.engine.application(&ilkka, id).await?;
    assert_eq!(
        granted.application.permit_number.as_deref(),
        Some(permit.number.as_str())
    );

    // The applicant nominates a responsible user; a colleague cannot.
    let home = f.engine.my_applications(&ilkka).await?;
    let nominees: Vec<&str> = home.nominate.iter().map(|k| k.subject.as_str()).collect();
    assert_eq!(nominees, vec!["u-ilkka", "u-jaana"]);
    assert!(home.may_start.is_empty(), "a permit is in force");
    // Only the applicant of the granted permit nominates: a colleague's page offers nobody.
    let theirs = f.engine.my_applications(&jaana).await?;
    assert!(theirs.nominate.is_empty() && theirs.responsible.is_empty());
    let by_jaana = f
        .engine
        .change(
            &jaana,
            propose("kotiapu-oy", "u-jaana", &[Role::ResponsibleUser]),
            None,
        )
        .await;
    assert_eq!(refusal(&by_jaana), Some(Denied::NotResponsibleUser));
    let nobody = f
        .engine
        .change(
            &ilkka,
            propose("kotiapu-oy", "u-never-signed-in", &[Role::ResponsibleUser]),
            None,
        )
        .await;
    assert_eq!(refusal(&nobody), Some(Denied::NoSuchRecord));
    f.engine
        .change(
            &ilkka,
            propose(
                "kotiapu-oy",
                "u-ilkka",
                &[Role::ResponsibleUser, Role::QueryUser],
            ),
            None,
        )
        .await?;
    assert_eq!(
        f.engine
            .right("kotiapu-oy", "u-ilkka")?
            .map(|r| (r.state, r.name)),
        Some((RightState::Proposed, "Ilkka Ilmarinen".to_owned()))
    );
    // Nothing takes effect before the registry approves.
    let early = f
        .engine
        .change(
            &ilkka,
            propose("kotiapu-oy", "u-jaana", &[Role::QueryUser]),
            None,
        )
        .await;
    assert_eq!(refusal(&early), Some(Denied::RoleNotProposable));
    let weak = f
        .engine
        .change(&one_factor, approve("kotiapu-oy", "u-ilkka"), None)
        .await;
    assert_eq!(
        refusal(&weak),
        Some(Denied::RoleNeedsTwoFactor(Role::RegistryStaff))
    );
    f.engine
        .change(&dora, approve("kotiapu-oy", "u-ilkka"), None)
        .await?;
    assert!(f.engine.my_applications(&ilkka).await?.nominate.is_empty());

    // Now the responsible user proposes a colleague; the registry approves; she queries.
    f.engine
        .change(
            &ilkka,
            propose("kotiapu-oy", "u-jaana", &[Role::QueryUser]),
            None,
        )
        .await?;
    let r = f
        .search(&jaana, SearchKind::Hetu, &[(Field::Hetu, &code)])
        .await;
    assert_eq!(
        refusal(&r),
        Some(Denied::RightNotActive),
        "not before approval"
    );
    f.engine
        .change(&dora, approve("kotiapu-oy", "u-jaana"), None)
        .await?;
    let found = f
        .search(&jaana, SearchKind::Hetu, &[(Field::Hetu, &code)])
        .await?;
    assert!(
        matches!(found, domain::SearchOutcome::Found { .. }),
        "{found:?}"
    );

    // The trail holds every step, each by whom it was taken.
    let trail = f.engine.audit().entries_after(0, 500)?;
    let steps: Vec<(String, A, S)> = trail
        .iter()
        .filter_map(|e| match &e.entry.event {
            AuditEvent::ApplicationStep { action, to, .. } => {
                Some((e.entry.actor.user.clone(), *action, *to))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("u-ilkka".to_owned(), A::Submit, S::Submitted),
            (
                "u-dora".to_owned(),
                A::RequestSupplement,
                S::SupplementRequested
            ),
            ("u-ilkka".to_owned(), A::Supplement, S::Submitted),
            ("u-dora".to_owned(), A::Grant, S::Granted),
        ]
    );
    let proposals = trail
        .iter()
        .filter(|e| {
            matches!(
                &e.entry.event,
                AuditEvent::RecordChanged {
                    change: Change::Propose { .. },
                    from: None,
                    to: RecordState::Right(RightState::Proposed),
                    ..
                }
            )
        })
        .count();
    assert_eq!(proposals, 2);
    Ok(())
}

#[tokio::test]
async fn an_applicant_never_sees_another_applicants_application() -> TestResult {
    let f = fixture()?;
    let ilkka = person("kotiapu-oy", "u-ilkka", "Ilkka");
    let jaana = person("kotiapu-oy", "u-jaana", "Jaana");
    let mirja = person("vantaa", "u-mirja", "Mirja");
    let bob = user("espoo");
    let id = f
        .engine
        .start_application(&ilkka, ApplicationKind::DataPermit)
        .await?;
    f.engine.save_draft(&ilkka, id, permit_form()).await?;
    f.engine
        .application_step(&ilkka, id, A::Submit, "", None)
        .await?;
    // Another organisation's applicant, a colleague in the same organisation, a responsible
    // user elsewhere: to each it does not exist, whatever they try.
    for other in [&mirja, &jaana, &bob] {
        assert!(matches!(
            f.engine.application(other, id).await,
            Err(EngineError::NotFound)
        ));
        assert!(matches!(
            f.engine
                .save_draft(other, id, ApplicationForm::default())
                .await,
            Err(EngineError::NotFound)
        ));
        assert!(matches!(
            f.engine.application_message(other, id, "hei").await,
            Err(EngineError::NotFound)
        ));
        assert!(matches!(
            f.engine
                .application_step(other, id, A::Reject, "ei", None)
                .await,
            Err(EngineError::NotFound)
        ));
        assert!(
            f.engine
                .my_applications(other)
                .await?
                .applications
                .is_empty()
        );
        assert_eq!(
            refusal(&f.engine.work_queue(other, QueueFilter::default()).await),
            Some(Denied::RegistryStaffOnly)
        );
    }
    // A number nobody has is answered the same way.
    assert!(matches!(
        f.engine
            .application(&ilkka, domain::eservice::ApplicationId(id.0 + 100))
            .await,
        Err(EngineError::NotFound)
    ));
    // The thread: both sides write after submission.
    f.engine
        .application_message(&ilkka, id, "Milloin päätös tulee?")
        .await?;
    f.engine
        .application_message(&user("dvv"), id, "Kuuden viikon kuluessa.")
        .await?;
    let thread = f.engine.application(&ilkka, id).await?.application.messages;
    assert_eq!(
        thread.iter().map(|m| m.party).collect::<Vec<_>>(),
        vec![Party::Applicant, Party::Registry]
    );
    Ok(())
}

#[tokio::test]
async fn a_municipality_orders_and_its_responsible_user_proposes_a_colleague() -> TestResult {
    let f = fixture()?;
    let mirja = person("vantaa", "u-mirja", "Mirja Mäkinen");
    let niko = person("vantaa", "u-niko", "Niko Nieminen");
    let dora = user("dvv");
    sign_in(&f, &mirja).await?;
    sign_in(&f, &niko).await?;
    let id = f
        .engine
        .start_application(&mirja, ApplicationKind::MunicipalOrder)
        .await?;
    let mut order = ApplicationForm {
        organisation: details(
            "Vantaan kaupunki",
            "0124610-9",
            OrgKind::Company,
            "Mirja Mäkinen",
        ),
        protection: protection(),
        terms_accepted: Some(TERMS_VERSION.into()),
        nominee: Some("u-mirja".into()),
        ..ApplicationForm::default()
    };
    f.engine.save_draft(&mirja, id, order.clone()).await?;
    // The order's applicant, while the form is theirs, is offered the colleagues who have
    // signed in as its responsible user; nothing is said on a draft's thread.
    let draft = f.engine.application(&mirja, id).await?;
    let offered: Vec<&str> = draft
        .candidates
        .iter()
        .map(|k| k.subject.as_str())
        .collect();
    assert_eq!(offered, vec!["u-mirja", "u-niko"]);
    let r = f.engine.application_message(&mirja, id, "Hei.").await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState));
    // Only a municipality orders the municipalities' permit.
    assert_eq!(
        rejected_fields(
            f.engine
                .application_step(&mirja, id, A::Submit, "", None)
                .await
        ),
        vec![Field::OrgKind]
    );
    order.organisation.kind = Some(OrgKind::Municipality);
    f.engine.save_draft(&mirja, id, order).await?;
    f.engine
        .application_step(&mirja, id, A::Submit, "", None)
        .await?;
    // Submitted, the form is the registry's to handle: nobody is offered, to the applicant
    // or to the registry.
    assert!(
        f.engine
            .application(&mirja, id)
            .await?
            .candidates
            .is_empty()
    );
    assert!(f.engine.application(&dora, id).await?.candidates.is_empty());
    let queued = f
        .engine
        .work_queue(
            &dora,
            QueueFilter {
                org_kind: Some(OrgKind::Municipality),
                ..QueueFilter::default()
            },
        )
        .await?;
    let item = queued.items.first().ok_or("not queued")?;
    assert_eq!(item.clock.map(|c| c.target_days), Some(14));
    f.engine
        .application_step(&dora, id, A::Grant, "", None)
        .await?;
    // The blanket permit and the nominated responsible user's right are in force at once.
    let permit = f.engine.permit_of("vantaa")?.ok_or("no permit")?;
    assert_eq!(permit.purpose_list(), vec![Purpose::MunicipalTasks]);
    assert_eq!(permit.screens, domain::eservice::municipal_screens());
    let right = f.engine.right("vantaa", "u-mirja")?.ok_or("no right")?;
    assert_eq!(right.state, RightState::Active);
    assert!(right.has_role(Role::ResponsibleUser));
    f.engine
        .change(
            &mirja,
            propose("vantaa", "u-niko", &[Role::QueryUser]),
            None,
        )
        .await?;
    let management = f.engine.management(&mirja).await?;
    assert_eq!(
        management
            .rights
            .iter()
            .map(|r| (r.right.user.as_str(), r.right.state))
            .collect::<Vec<_>>(),
        vec![
            ("u-mirja", RightState::Active),
            ("u-niko", RightState::Proposed)
        ]
    );
    assert!(management.candidates.is_empty(), "Niko is proposed already");
    f.engine
        .change(&dora, approve("vantaa", "u-niko"), None)
        .await?;
    let code = f.samples.ordinary[1].clone();
    assert!(
        f.search(&niko, SearchKind::Hetu, &[(Field::Hetu, &code)])
            .await
            .is_ok()
    );
    Ok(())
}

#[tokio::test]
async fn a_grant_the_trail_cannot_record_makes_no_permit() -> TestResult {
    let f = embedded_fixture()?;
    let ilkka = person("kotiapu-oy", "u-ilkka", "Ilkka");
    let id = f
        .engine
        .start_application(&ilkka, ApplicationKind::DataPermit)
        .await?;
    f.engine.save_draft(&ilkka, id, permit_form()).await?;
    f.engine
        .application_step(&ilkka, id, A::Submit, "", None)
        .await?;
    f.fail_audit.store(true, Ordering::SeqCst);
    let r = f
        .engine
        .application_step(&user("dvv"), id, A::Grant, "", None)
        .await;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    f.fail_audit.store(false, Ordering::SeqCst);
    assert!(f.engine.permit_of("kotiapu-oy")?.is_none());
    assert_eq!(
        f.engine.application(&ilkka, id).await?.application.state,
        S::Submitted
    );
    Ok(())
}

#[tokio::test]
async fn the_queue_puts_overdue_applications_first_and_filters() -> TestResult {
    let f = fixture()?;
    let dora = user("dvv");
    let mut ids = Vec::new();
    // Three organisations submit ten days apart: a company, a municipality, a company.
    for (org, subject, kind) in [
        ("yritys-a", "u-yritys-a", OrgKind::Company),
        ("kunta-b", "u-kunta-b", OrgKind::Municipality),
        ("yritys-c", "u-yritys-c", OrgKind::Company),
    ] {
        let a = person(org, subject, org);
        let id = f
            .engine
            .start_application(&a, ApplicationKind::DataPermit)
            .await?;
        let mut form = permit_form();
        form.organisation.kind = Some(kind);
        f.engine.save_draft(&a, id, form).await?;
        f.engine
            .application_step(&a, id, A::Submit, "", None)
            .await?;
        ids.push(id);
        f.clock.advance_seconds(20 * 86_400);
    }
    // 60, 40 and 20 days of the registry's time: only the first is overdue (42 days).
    let page = f.engine.work_queue(&dora, QueueFilter::default()).await?;
    assert_eq!(page.items.iter().map(|i| i.id).collect::<Vec<_>>(), ids);
    assert!(page.items[0].clock.is_some_and(|c| c.overdue()));
    assert!(!page.items[1].clock.is_some_and(|c| c.overdue()));
    let companies = f
        .engine
        .work_queue(
            &dora,
            QueueFilter {
                org_kind: Some(OrgKind::Company),
                ..QueueFilter::default()
            },
        )
        .await?;
    assert_eq!(
        companies.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![ids[0], ids[2]]
    );
    let none = f
        .engine
        .work_queue(
            &dora,
            QueueFilter {
                state: Some(S::Granted),
                ..QueueFilter::default()
            },
        )
        .await?;
    assert_eq!(none.total, 0);
    let beyond = f
        .engine
        .work_queue(
            &dora,
            QueueFilter {
                page: 1,
                ..QueueFilter::default()
            },
        )
        .await?;
    assert_eq!((beyond.total, beyond.items.len()), (3, 0));
    // Signing in for the registry's organisation gives nothing without the registry's right
    // (and a token carries no roles to claim one).
    let claimant = person("dvv", "u-stranger", "x");
    assert_eq!(
        refusal(&f.engine.work_queue(&claimant, QueueFilter::default()).await),
        Some(Denied::RegistryStaffOnly)
    );
    Ok(())
}

#[tokio::test]
async fn the_library_keeps_versions_checks_content_and_is_the_registrys_to_fill() -> TestResult {
    use domain::library::DocumentCategory;
    let f = fixture()?;
    let dora = user("dvv");
    let bob = user("espoo");
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec();
    // Only registry staff add documents; the refusal is audited.
    let before = f.engine.audit().len()?;
    let r = f
        .engine
        .upload_document(&bob, None, "Tilauslomake", DocumentCategory::Form, &pdf)
        .await;
    assert_eq!(refusal(&r), Some(Denied::RegistryStaffOnly));
    assert_eq!(f.engine.audit().len()?, before + 1);
    // Content decides: HTML named anything is refused, as is an empty file.
    let html = b"<!DOCTYPE html><script>alert(1)</script>";
    let r = f
        .engine
        .upload_document(&dora, None, "Ohje", DocumentCategory::Guide, html)
        .await;
    assert_eq!(rejected_fields(r), vec![Field::File]);
    let r = f
        .engine
        .upload_document(&dora, None, "Ohje", DocumentCategory::Guide, b"")
        .await;
    assert_eq!(rejected_fields(r), vec![Field::File]);
    let (id, v1) = f
        .engine
        .upload_document(
            &dora,
            None,
            "Käyttöehdot 2026",
            DocumentCategory::Terms,
            &pdf,
        )
        .await?;
    assert_eq!(v1, 1);
    f.clock.advance_seconds(86_400);
    let text = "Päivitetyt ehdot\n".as_bytes();
    let (same, v2) = f
        .engine
        .upload_document(
            &dora,
            Some(id),
            "Käyttöehdot 2026",
            DocumentCategory::Terms,
            text,
        )
        .await?;
    assert_eq!((same, v2), (id, 2));
    // Everyone signed in reads the library, both versions kept, the newest last.
    let library = f.engine.library(&bob).await?;
    assert!(!library.may_upload);
    let doc = &library.documents[0];
    assert_eq!(
        doc.versions
            .iter()
            .map(|v| (v.number, v.file_type))
            .collect::<Vec<_>>(),
        vec![
            (1, domain::library::FileType::Pdf),
            (2, domain::library::FileType::Text)
        ]
    );
    let first = f.engine.document_file(&bob, id, 1).await?;
    assert_eq!((first.version.number, &first.bytes), (1, &pdf));
    let second = f.engine.document_file(&bob, id, 2).await?;
    assert_eq!((second.version.number, second.bytes.as_slice()), (2, text));
    assert!(matches!(
        f.engine.document_file(&bob, id, 3).await,
        Err(EngineError::NotFound)
    ));
    // The trail names each upload by its content's hash.
    let trail = f.engine.audit().entries_after(0, 100)?;
    let hashes: Vec<String> = trail
        .iter()
        .filter_map(|e| match &e.entry.event {
            AuditEvent::DocumentUploaded { sha256, .. } => Some(sha256.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(hashes.len(), 2);
    assert_eq!(hashes[0], doc.versions[0].sha256);
    assert_ne!(hashes[0], hashes[1]);
    // Another document is a document of its own, not a version of the first.
    let (other, v1) = f
        .engine
        .upload_document(&dora, None, "Tilauslomake", DocumentCategory::Form, &pdf)
        .await?;
    assert_eq!((other, v1), (id + 1, 1));
    assert_eq!(f.engine.library(&bob).await?.documents.len(), 2);
    Ok(())
}

#[tokio::test]
async fn attachments_are_the_applicants_to_add_and_seen_as_the_application_is() -> TestResult {
    let f = fixture()?;
    let ilkka = person("kotiapu-oy", "u-ilkka", "Ilkka");
    let jaana = person("kotiapu-oy", "u-jaana", "Jaana");
    let dora = user("dvv");
    let id = f
        .engine
        .start_application(&ilkka, ApplicationKind::DataPermit)
        .await?;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let n = f
        .engine
        .attach_to_application(&ilkka, id, "Järjestelmäkuvaus", &png)
        .await?;
    assert_eq!(n, 1);
    // A colleague cannot attach to it or read it; the registry cannot see a draft's files.
    assert!(matches!(
        f.engine
            .attach_to_application(&jaana, id, "Oma liite", &png)
            .await,
        Err(EngineError::NotFound)
    ));
    for who in [&jaana, &dora] {
        assert!(matches!(
            f.engine.application_file(who, id, 1).await,
            Err(EngineError::NotFound)
        ));
    }
    f.engine.save_draft(&ilkka, id, permit_form()).await?;
    f.engine
        .application_step(&ilkka, id, A::Submit, "", None)
        .await?;
    // Submitted: the registry reads it, and the applicant may still add what is asked for.
    assert_eq!(f.engine.application_file(&dora, id, 1).await?.bytes, png);
    f.engine
        .attach_to_application(&ilkka, id, "Lisäselvitys", b"Tekstimuotoinen selvitys.")
        .await?;
    // At most twenty documents: an application cannot fill the disk.
    for n in 3..=domain::library::ATTACHMENTS_MAX {
        f.engine
            .attach_to_application(&ilkka, id, &format!("Liite {n}"), b"Selvitys.")
            .await?;
    }
    let full = f
        .engine
        .attach_to_application(&ilkka, id, "Liite liikaa", b"Selvitys.")
        .await;
    assert_eq!(refusal(&full), Some(Denied::NotFromThisState));
    f.engine
        .application_step(&dora, id, A::Reject, "Ei tarvetta.", None)
        .await?;
    // Decided: nothing more is attached, and the refusal is on record.
    let before = f.engine.audit().len()?;
    let r = f
        .engine
        .attach_to_application(&ilkka, id, "Myöhässä", &png)
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState));
    assert_eq!(f.engine.audit().len()?, before + 1);
    let app = f.engine.application(&ilkka, id).await?.application;
    assert_eq!(
        app.attachments[..2]
            .iter()
            .map(|a| a.title.as_str())
            .collect::<Vec<_>>(),
        vec!["Järjestelmäkuvaus", "Lisäselvitys"]
    );
    assert_eq!(app.attachments.len(), domain::library::ATTACHMENTS_MAX);
    Ok(())
}

/// The police's responsible user applies to change its permit; the grant replaces the permit
/// (its number, screens and purposes), keeps the protected-data right the registry gave, and is
/// in the permit's history. A query user, and a municipality on the blanket permit, may not.
#[tokio::test]
async fn a_responsible_user_applies_to_change_the_permit_and_the_grant_replaces_it() -> TestResult {
    let f = fixture()?;
    let (alice, dora) = (user("poliisi"), user("dvv"));
    let before = f.engine.permit_of("poliisi")?.ok_or("the police permit")?;
    assert!(before.protected_data);
    let home = f.engine.my_applications(&alice).await?;
    assert_eq!(home.may_start, vec![ApplicationKind::PermitChange]);
    // Espoo is on the municipalities' blanket permit: nothing to change there.
    assert!(
        f.engine
            .my_applications(&user("espoo"))
            .await?
            .may_start
            .is_empty()
    );
    // Only what may be started is started.
    let r = f
        .engine
        .start_application(&alice, ApplicationKind::DataPermit)
        .await;
    assert_eq!(refusal(&r), Some(Denied::AlreadyApplied));
    let mut query_user = user("poliisi");
    if let Who::User(p) = &mut query_user.who {
        p.subject = UserId::from_static("u-nobody");
    }
    let r = f
        .engine
        .start_application(&query_user, ApplicationKind::PermitChange)
        .await;
    assert_eq!(refusal(&r), Some(Denied::AlreadyApplied));
    let id = f
        .engine
        .start_application(&alice, ApplicationKind::PermitChange)
        .await?;
    // The form starts from the organisation as the registry knows it, and from what its
    // permit holds (granted before the e-service: its purposes, data and searches, the words
    // to be written), the terms to be accepted anew.
    let draft = f.engine.application(&alice, id).await?.application.form;
    assert_eq!(draft.organisation.kind, Some(OrgKind::StateAgency));
    assert!(!draft.organisation.business_id.is_empty());
    assert_eq!(
        draft.purposes.iter().map(|p| p.purpose).collect::<Vec<_>>(),
        vec![Purpose::PoliceInvestigation, Purpose::LicenceAdministration]
    );
    assert_eq!(draft.searches, before.searches);
    assert!(
        draft
            .needs
            .iter()
            .any(|n| n.group == DataGroup::PersonBasic)
    );
    assert_eq!(draft.terms_accepted, None);
    let mut form = permit_form();
    form.organisation = OrganisationDetails {
        address: "Pasila, Helsinki".into(),
        ..details(
            &draft.organisation.name,
            &draft.organisation.business_id,
            OrgKind::StateAgency,
            "Alice Aaltonen",
        )
    };
    form.purposes[0].purpose = Purpose::PoliceInvestigation;
    f.engine.save_draft(&alice, id, form).await?;
    f.engine
        .application_step(&alice, id, A::Submit, "", None)
        .await?;
    let granted = f
        .engine
        .application_step(
            &dora,
            id,
            A::Grant,
            "",
            Some(DecisionForm {
                groups: vec![DataGroup::PersonBasic],
                valid_until: String::new(),
                two_factor: false,
            }),
        )
        .await?;
    assert_eq!(granted, S::Granted);
    let after = f.engine.permit_of("poliisi")?.ok_or("the changed permit")?;
    assert_ne!(after.number, before.number);
    assert_eq!(after.purpose_list(), vec![Purpose::PoliceInvestigation]);
    assert!(after.screens.len() < before.screens.len());
    assert!(
        after.protected_data && after.two_factor_required,
        "kept from the old permit"
    );
    assert_eq!(after.fees, domain::fees::Fees::Statutory);
    let m = f.engine.management(&dora).await?;
    let history = &m
        .permits
        .iter()
        .find(|p| p.organisation.id.as_str() == "poliisi")
        .ok_or("the police permit in the registry's view")?
        .history;
    assert!(history.iter().any(|h| matches!(
        h.change,
        Change::Permit {
            action: domain::registry::PermitAction::Change,
            ..
        }
    )));
    // The registry cannot make such a change by a button.
    let r = f
        .engine
        .change(
            &dora,
            Change::Permit {
                organisation: OrgId::from_static("poliisi"),
                action: domain::registry::PermitAction::Change,
            },
            None,
        )
        .await;
    assert_eq!(refusal(&r), Some(Denied::NotFromThisState));
    Ok(())
}

/// Vantaa orders the municipalities' permit with Mirja as its responsible user, up to the
/// registry's grant (not taken): the application's number.
pub async fn vantaa_order_submitted(
    f: &crate::fixture::Fixture,
) -> Result<domain::eservice::ApplicationId, Box<dyn std::error::Error>> {
    let mirja = person("vantaa", "u-mirja", "Mirja Mäkinen");
    sign_in(f, &mirja).await?;
    let id = f
        .engine
        .start_application(&mirja, ApplicationKind::MunicipalOrder)
        .await?;
    let order = ApplicationForm {
        organisation: details(
            "Vantaan kaupunki",
            "0124610-9",
            OrgKind::Municipality,
            "Mirja Mäkinen",
        ),
        protection: protection(),
        terms_accepted: Some(TERMS_VERSION.into()),
        nominee: Some("u-mirja".into()),
        ..ApplicationForm::default()
    };
    f.engine.save_draft(&mirja, id, order).await?;
    f.engine
        .application_step(&mirja, id, A::Submit, "", None)
        .await?;
    Ok(id)
}

/// Point 10 of the review of 7d0db4a: a grant over a permit that was not in force dropped a
/// suspension, the organisation's own two-factor requirement and the protected-data and break
/// glass rights without a word, and a municipal order's grant put the nominee's blocked right
/// in force. A grant never weakens what stands, and always leaves a line in the history.
#[tokio::test]
async fn a_grant_never_weakens_what_stands_and_always_leaves_a_history_line() -> TestResult {
    let f = fixture()?;
    let dora = user("dvv");
    let id = vantaa_order_submitted(&f).await?;
    let old = |state| -> Result<domain::access::Permit, Box<dyn std::error::Error>> {
        Ok(domain::access::Permit {
            number: "DVV/9/2024".into(),
            organisation: OrgId::from_static("vantaa"),
            screens: domain::eservice::municipal_screens(),
            searches: SearchKind::ALL.to_vec(),
            purposes: vec![domain::access::PurposeGrant::all(
                Purpose::MunicipalTasks,
                "661/2009",
            )],
            protected_data: true,
            two_factor_required: true,
            break_glass: true,
            conditions: Vec::new(),
            fees: domain::fees::Fees::Statutory,
            valid_from: domain::Date::new(2024, 1, 1)?,
            valid_until: None,
            state,
        })
    };
    // A suspended permit: no new grant lifts the suspension.
    f.engine.put_permit(&old(PermitState::Suspended)?)?;
    let r = f
        .engine
        .application_step(&dora, id, A::Grant, "", None)
        .await;
    assert_eq!(refusal(&r), Some(Denied::PermitSuspended));
    assert_eq!(
        f.engine.permit_of("vantaa")?.map(|p| (p.number, p.state)),
        Some(("DVV/9/2024".into(), PermitState::Suspended))
    );
    // An ended one: the grant makes a new permit with what the old one held, on record.
    f.engine.put_permit(&old(PermitState::Ended)?)?;
    // Mirja's right blocked (by the registry, say): the order's grant leaves it blocked.
    f.engine.put_right(&domain::PersonalRight {
        user: UserId::from_static("u-mirja"),
        name: "Mirja Mäkinen".into(),
        organisation: OrgId::from_static("vantaa"),
        roles: vec![Role::QueryUser],
        screens: None,
        valid_until: None,
        state: RightState::Blocked,
        restorable: false,
    })?;
    f.engine
        .application_step(&dora, id, A::Grant, "", None)
        .await?;
    let permit = f.engine.permit_of("vantaa")?.ok_or("no permit")?;
    assert_ne!(permit.number, "DVV/9/2024");
    assert_eq!(permit.state, PermitState::Active);
    assert!(permit.protected_data && permit.break_glass && permit.two_factor_required);
    assert_eq!(
        f.engine.right("vantaa", "u-mirja")?.map(|r| r.state),
        Some(RightState::Blocked),
        "a block stands"
    );
    let m = f.engine.management(&dora).await?;
    let view = m
        .permits
        .iter()
        .find(|p| p.organisation.id.as_str() == "vantaa")
        .ok_or("vantaa's permit")?;
    let last = view.history.last().ok_or("no history line")?;
    assert_eq!(
        last.change,
        Change::Permit {
            organisation: OrgId::from_static("vantaa"),
            action: domain::registry::PermitAction::Grant,
        }
    );
    assert_eq!(last.from, Some(RecordState::Permit(PermitState::Ended)));
    assert!(
        last.reason
            .as_ref()
            .is_some_and(|r| r.as_str().starts_with("DVV/9/2024 → ")),
        "{:?}",
        last.reason
    );
    let mirja = m
        .rights
        .iter()
        .find(|r| r.right.user == "u-mirja")
        .ok_or("mirja")?;
    let line = mirja.history.last().ok_or("no line for the nominee")?;
    assert_eq!(
        (line.from, line.to),
        (
            Some(RecordState::Right(RightState::Blocked)),
            RecordState::Right(RightState::Blocked)
        )
    );
    Ok(())
}

#[tokio::test]
async fn a_first_grant_leaves_a_history_line_too() -> TestResult {
    let f = fixture()?;
    let dora = user("dvv");
    let id = vantaa_order_submitted(&f).await?;
    f.engine
        .application_step(&dora, id, A::Grant, "", None)
        .await?;
    let m = f.engine.management(&dora).await?;
    let view = m
        .permits
        .iter()
        .find(|p| p.organisation.id.as_str() == "vantaa")
        .ok_or("vantaa's permit")?;
    assert_eq!(view.history_total, 1);
    assert_eq!(view.history[0].from, None);
    assert_eq!(view.history[0].to, RecordState::Permit(PermitState::Active));
    Ok(())
}
