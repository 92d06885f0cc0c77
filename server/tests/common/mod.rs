//! What the router tests share: a fixture on a real register, audit trail and session store,
//! the router built as the server builds it, and helpers to call it as a browser would.

#![allow(dead_code)] // each test file uses its own part of this

pub mod provider;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::eservice::{ApplicationAction, ApplicationForm, ApplicationKind, QueueFilter};
use domain::principal::{Acr, OrgId, Role, UserId};
use domain::registry::{PermitAction, RightAction};
use domain::{
    Date, Field, Lang, Principal, Purpose, ScreenId, SearchForm, SearchKind, SubjectKind,
    SubjectLink, Timestamp,
};
use engine::population::{GenerateOptions, Samples, generate};
use engine::{AuditLog, Engine, FixedClock, SessionStore, TerminalProfile};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use server::oidc::Oidc;
use server::{AppState, Config};
use std::sync::Arc;
use tower::ServiceExt;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;
pub const ORIGIN: &str = "http://127.0.0.1:3000";

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub state: AppState,
    /// Built once, as the server does at start-up.
    pub router: axum::Router,
    pub samples: Samples,
    /// The engine's clock, for tests that let time pass.
    pub clock: Arc<FixedClock>,
}

pub fn principal(user: &str, org: &'static str) -> Principal {
    Principal {
        subject: UserId::parse(&format!("u-{user}")).unwrap_or_else(|e| unreachable!("{e}")),
        name: user.into(),
        organisation: OrgId::from_static(org),
        organisation_name: org.into(),
        // The police permit requires a two-factor sign-in, as the police's users make.
        acr: if org == "poliisi" {
            Acr::TwoFactor
        } else {
            Acr::OneFactor
        },
    }
}

pub fn fixture() -> Result<Fixture, Box<dyn std::error::Error>> {
    fixture_with(|path| Ok(AuditLog::open(path)?))
}

pub fn fixture_with(
    audit: impl FnOnce(&std::path::Path) -> Result<AuditLog, Box<dyn std::error::Error>>,
) -> Result<Fixture, Box<dyn std::error::Error>> {
    fixture_configured(audit, |_| {})
}

/// A fixture whose configuration the test adjusts (the provider it trusts, its terminals).
pub fn fixture_configured(
    audit: impl FnOnce(&std::path::Path) -> Result<AuditLog, Box<dyn std::error::Error>>,
    adjust: impl FnOnce(&mut Config),
) -> Result<Fixture, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let now = Timestamp(Date::new(2026, 11, 27)?.days_since_epoch() * 86_400_000 + 36_000_000);
    let clock = Arc::new(FixedClock::new(now));
    let mut config = Config {
        production: false,
        data_dir: dir.path().to_owned(),
        addr: "127.0.0.1:3000".parse()?,
        public_url: ORIGIN.into(),
        // Nothing listens here: login must fail cleanly.
        oidc_issuer: "http://127.0.0.1:9".into(),
        oidc_client_id: "kysely-dev".into(),
        oidc_client_secret: "secret".into(),
        kiosk_ranges: Vec::new(),
        kiosk_terminals: Vec::new(),
        trusted_proxies: Vec::new(),
        demo_persons: 300,
        demo_seed: 3,
        secure_cookies: true,
        register_cache_mib: 64,
        smtp_url: None,
        mail_from: "Kysely <kysely@localhost>".into(),
        mail_keep_days: 30,
        session_limits: engine::SessionLimits::default(),
        query_limits: engine::watch::QueryLimits::default(),
        cluster: None,
        mailer: true,
        audit_key_file: None,
        audit_heads_file: None,
        audit_head_every: std::time::Duration::from_secs(1),
    };
    adjust(&mut config);
    let summary = generate(
        &config.register_path(),
        &GenerateOptions {
            persons: 300,
            buildings: None,
            properties: None,
            seed: 3,
            today: now.date_in_finland(),
        },
        &mut |_| {},
    )?;
    let audit = audit(&config.audit_path())?;
    // Heads signed as the server signs them (the development key, here every second).
    audit.sign_heads(engine::audit::heads::HeadSigner {
        key: config.audit_key()?,
        file: config.audit_heads_path(),
        every: config.audit_head_every,
        clock: clock.clone(),
    })?;
    let engine = Engine::open(&config.register_path(), audit, clock.clone())?
        .with_query_limits(config.query_limits)?;
    let sessions = SessionStore::open(&config.sessions_path(), clock.clone())?
        .with_limits(config.session_limits);
    let oidc = Oidc::new(
        &config.oidc_issuer,
        &config.oidc_client_id,
        &config.oidc_client_secret,
        &config.redirect_uri(),
    )?;
    let leptos = LeptosOptions::builder()
        .output_name("kysely")
        .site_root(dir.path().to_string_lossy().to_string())
        .build();
    let state = AppState::new(config, engine, sessions, oidc, leptos);
    Ok(Fixture {
        _dir: dir,
        router: server::router(state.clone()),
        state,
        samples: summary.samples,
        clock,
    })
}

impl Fixture {
    pub fn session(
        &self,
        user: &str,
        org: &'static str,
    ) -> Result<String, Box<dyn std::error::Error>> {
        self.session_of(principal(user, org))
    }

    /// A session of Dora, registry staff, signed in at `acr`.
    pub fn staff_session(&self, acr: Acr) -> Result<String, Box<dyn std::error::Error>> {
        self.session_of(Principal {
            acr,
            ..principal("dora", "dvv")
        })
    }

    pub fn session_of(&self, who: Principal) -> Result<String, Box<dyn std::error::Error>> {
        let token = self
            .state
            .sessions
            .create(who, TerminalProfile::Desktop, "127.0.0.1")?;
        Ok(format!("{}={token}", self.state.config.session_cookie()))
    }

    pub async fn call(
        &self,
        req: Request<Body>,
    ) -> Result<(StatusCode, http::HeaderMap, Vec<u8>), Box<dyn std::error::Error>> {
        let res = self.router.clone().oneshot(req).await?;
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await?.to_bytes().to_vec();
        Ok((status, headers, body))
    }

    pub async fn api(
        &self,
        endpoint: &str,
        cookie: Option<&str>,
        body: serde_json::Value,
    ) -> Result<(StatusCode, Vec<u8>), Box<dyn std::error::Error>> {
        let mut req = Request::post(endpoint)
            .header(header::ORIGIN, ORIGIN)
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let (status, _, bytes) = self.call(req.body(Body::from(body.to_string()))?).await?;
        Ok((status, bytes))
    }
}

pub fn hetu_search(code: &str) -> serde_json::Value {
    serde_json::json!({ "form": SearchForm::new(SearchKind::Hetu).with(Field::Hetu, code) })
}

pub fn right_change(org: &str, user: &str, action: RightAction, reason: &str) -> serde_json::Value {
    serde_json::json!({ "organisation": org, "user": user, "action": action, "reason": reason })
}

pub fn permit_change(org: &str, action: PermitAction, reason: &str) -> serde_json::Value {
    serde_json::json!({ "organisation": org, "action": action, "reason": reason })
}

pub fn proposal(user: &str, roles: &[Role]) -> serde_json::Value {
    serde_json::json!({ "user": user, "roles": roles })
}

/// A well-formed body for each server function.
pub fn args_for(endpoint: &str, f: &Fixture, subject: Option<SubjectLink>) -> serde_json::Value {
    match endpoint {
        "/api/search" => hetu_search(&f.samples.ordinary[0]),
        "/api/load_screen" => serde_json::json!({
            "subject": subject.or_else(|| SubjectLink::new(SubjectKind::Person, "A".repeat(SubjectLink::TOKEN_LEN))),
            "screen": ScreenId::PersonBasic,
        }),
        "/api/choose_purpose" => {
            serde_json::json!({ "purpose": Purpose::MunicipalTasks, "case_ref": "" })
        }
        "/api/reveal_screen" => serde_json::json!({
            "subject": subject.or_else(|| SubjectLink::new(SubjectKind::Person, "A".repeat(SubjectLink::TOKEN_LEN))),
            "screen": ScreenId::PersonAddresses,
            "reason": "kiireellinen lastensuojeluasia",
        }),
        "/api/change_right" => right_change("espoo", "u-frank", RightAction::End, ""),
        "/api/change_permit" => {
            permit_change("espoo", PermitAction::Suspend, "epäilty väärinkäyttö")
        }
        "/api/propose_right" => proposal("u-eve", &[Role::QueryUser]),
        "/api/start_application" => serde_json::json!({ "kind": ApplicationKind::DataPermit }),
        "/api/application" => serde_json::json!({ "id": 1 }),
        "/api/save_draft" => {
            serde_json::json!({ "id": 1, "form": ApplicationForm::default() })
        }
        "/api/application_step" => serde_json::json!({
            "id": 1, "action": ApplicationAction::Submit, "message": "", "decision": null,
        }),
        "/api/application_message" => serde_json::json!({ "id": 1, "text": "Kysymys" }),
        "/api/work_queue" => serde_json::json!({ "filter": QueueFilter::default() }),
        "/api/usage" => serde_json::json!({ "organisation": null }),
        "/api/propose_change" => {
            serde_json::json!({ "user": "u-frank", "roles": [Role::QueryUser], "screens": null })
        }
        "/api/start_attestation" => serde_json::json!({ "deadline": "15.12.2026" }),
        "/api/confirm_attestation" => serde_json::json!({ "user": "u-frank" }),
        "/api/contact" => serde_json::json!({ "page": 0 }),
        "/api/ask_question" => serde_json::json!({ "form": {
            "topic": "fees", "subject": "Laskun erittely", "text": "Mistä summa koostuu?",
        } }),
        "/api/question" => serde_json::json!({ "id": 1 }),
        "/api/reply_question" => {
            serde_json::json!({ "id": 1, "text": "Kiitos vastauksesta.", "close": false })
        }
        "/api/publish_notice" => serde_json::json!({ "form": domain::contact::NoticeForm::in_one(
            domain::contact::NoticeKind::PlannedBreak,
            Lang::Fi,
            "Huoltokatko",
            "Palvelu on poissa käytöstä.",
        ) }),
        "/api/withdraw_notice" => serde_json::json!({ "id": 1 }),
        "/api/subscribe_notices" => {
            serde_json::json!({ "email": "bob@espoo.example", "lang": Lang::Fi })
        }
        "/api/confirm_subscription" => serde_json::json!({ "token": "not-a-token" }),
        "/api/fees" => serde_json::json!({ "month": "" }),
        "/api/trail" => serde_json::json!({ "form": domain::trail::TrailForm::default() }),
        "/api/alerts" => serde_json::json!({ "before": null }),
        "/api/handle_alert" => {
            serde_json::json!({ "entry": 1, "rule": "SequentialCodes", "note": "Tarkistettu." })
        }
        _ => serde_json::json!({}),
    }
}
