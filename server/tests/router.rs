//! The router as a browser or an attacker meets it, through `router(state).oneshot(..)` on a
//! real register, audit trail and session store: unauthenticated, denied, allowed, cross-site,
//! headers, and the login flow's negative paths. Every registered server function is in the
//! denial matrix.

use app::api::{Door, ENDPOINTS, behind};
use app::error::AppError;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::audit::AuditEvent;
use domain::eservice::{ApplicationAction, ApplicationForm, ApplicationView};
use domain::principal::{Acr, OrgId, Role, UserId};
use domain::registry::{PermitAction, RightAction};
use domain::{
    Date, Denied, Field, Lang, Principal, Purpose, ScreenData, ScreenId, SearchForm, SearchKind,
    SearchOutcome, SubjectKind, SubjectLink,
};
use engine::AuditLog;
use std::collections::BTreeSet;

mod common;
use common::*;

/// A 403 whose body names `want` as the reason.
fn assert_refused(status: StatusCode, body: &[u8], want: Denied, case: &str) {
    assert_eq!(status, StatusCode::FORBIDDEN, "{case}");
    let reason = match serde_json::from_slice::<AppError>(body) {
        Ok(AppError::Forbidden { reason, .. }) => Some(reason),
        _ => None,
    };
    assert_eq!(reason, Some(want), "{case}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_registered_server_function_is_in_the_matrix() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let matrix: BTreeSet<String> = ENDPOINTS.iter().map(|e| e.path.to_owned()).collect();
    assert_eq!(registered, matrix);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_session_server_functions_answer_401_and_pages_redirect_to_login() -> TestResult {
    let f = fixture()?;
    for endpoint in ENDPOINTS.iter().map(|e| e.path) {
        let (status, body) = f.api(endpoint, None, args_for(endpoint, &f, None)).await?;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}");
        assert_eq!(
            serde_json::from_slice::<AppError>(&body)?,
            AppError::Unauthenticated
        );
    }
    let bogus = format!("{}=not-a-session", f.state.config.session_cookie());
    let (status, _) = f
        .api("/api/session_info", Some(&bogus), serde_json::json!({}))
        .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for page in ["/", "/person/00000000000000ff/basic", "/anything"] {
        let (status, headers, _) = f.call(Request::get(page).body(Body::empty())?).await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        let location = headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(location, format!("/auth/login?return_to={page}"));
    }
    assert_eq!(
        f.state.engine.audit().len()?,
        0,
        "nothing reached the engine"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_whose_permit_does_not_cover_the_data_gets_403_and_the_denial_is_audited()
-> TestResult {
    let f = fixture()?;
    let carol = f.session("carol", "isannointi-oy")?;
    let bob = f.session("bob", "espoo")?;
    let (status, body) = f
        .api("/api/search", Some(&bob), args_for("/api/search", &f, None))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let SearchOutcome::Found { subject, .. } = serde_json::from_slice(&body)? else {
        return Err("the search found nobody".into());
    };
    let before = f.state.engine.audit().len()?;
    for endpoint in ["/api/search", "/api/load_screen"] {
        let (status, body) = f
            .api(
                endpoint,
                Some(&carol),
                args_for(endpoint, &f, Some(subject.clone())),
            )
            .await?;
        assert_eq!(status, StatusCode::FORBIDDEN, "{endpoint}");
        let err: AppError = serde_json::from_slice(&body)?;
        assert!(matches!(err, AppError::Forbidden { .. }), "{err:?}");
        assert!(!String::from_utf8_lossy(&body).contains(&f.samples.ordinary_names[0]));
    }
    assert_eq!(f.state.engine.audit().len()?, before + 2);
    // session_info reads no register data: any signed-in user may call it, and it lists only
    // what the permit opens.
    let (status, body) = f
        .api("/api/session_info", Some(&carol), serde_json::json!({}))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let info: app::api::UserSession = serde_json::from_slice(&body)?;
    assert_eq!(info.name, "carol");
    assert!(!info.allowed.searches.contains(&SearchKind::Hetu));
    assert!(!info.allowed.screens.contains(&ScreenId::PersonBasic));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purpose_is_chosen_from_the_permit_audited_and_recorded_with_every_query() -> TestResult {
    let f = fixture()?;
    // The police permit needs a two-factor sign-in for anything: one factor is refused first.
    let one_factor = f.session_of(Principal {
        acr: Acr::OneFactor,
        ..principal("alice", "poliisi")
    })?;
    let (status, body) = f
        .api(
            "/api/search",
            Some(&one_factor),
            args_for("/api/search", &f, None),
        )
        .await?;
    assert_refused(
        status,
        &body,
        Denied::TwoFactorRequired,
        "Denied::TwoFactorRequired",
    );
    let alice = f.session("alice", "poliisi")?;
    let choose = |purpose: Purpose, case_ref: &str| serde_json::json!({ "purpose": purpose, "case_ref": case_ref });
    let info = |body: &[u8]| serde_json::from_slice::<app::api::UserSession>(body);
    // Two purposes in the permit and none chosen: queries are refused, saying why.
    let (status, body) = f
        .api(
            "/api/search",
            Some(&alice),
            args_for("/api/search", &f, None),
        )
        .await?;
    assert_refused(
        status,
        &body,
        Denied::PurposeRequired,
        "Denied::PurposeRequired",
    );
    let (_, body) = f
        .api("/api/session_info", Some(&alice), serde_json::json!({}))
        .await?;
    let unchosen = info(&body)?;
    assert_eq!(
        unchosen.allowed.choices,
        vec![Purpose::PoliceInvestigation, Purpose::LicenceAdministration]
    );
    assert!(unchosen.allowed.searches.is_empty() && unchosen.purpose.is_none());
    // A purpose outside the permit is refused and changes nothing but the trail.
    let before = f.state.engine.audit().len()?;
    let (status, body) = f
        .api(
            "/api/choose_purpose",
            Some(&alice),
            choose(Purpose::MunicipalTasks, ""),
        )
        .await?;
    assert_refused(
        status,
        &body,
        Denied::PurposeNotInPermit,
        "Denied::PurposeNotInPermit",
    );
    // The attempt is on record, as any refused request.
    assert_eq!(f.state.engine.audit().len()?, before + 1);
    assert!(matches!(
        f.state.engine.audit().entries_after(before, 1)?[0]
            .entry
            .event,
        AuditEvent::PurposeRefused {
            purpose: Purpose::MunicipalTasks,
            reason: Denied::PurposeNotInPermit
        }
    ));
    let before = f.state.engine.audit().len()?;
    // A case reference that is not plain text: 422 naming the field; nothing recorded.
    let (status, body) = f
        .api(
            "/api/choose_purpose",
            Some(&alice),
            choose(Purpose::PoliceInvestigation, "<script>"),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let AppError::Invalid(fields) = serde_json::from_slice(&body)? else {
        return Err("expected a field error".into());
    };
    assert_eq!(fields[0].field, Field::CaseRef);
    assert_eq!(f.state.engine.audit().len()?, before);
    // Chosen: the answer is the session for that purpose, and queries run under it.
    let (status, body) = f
        .api(
            "/api/choose_purpose",
            Some(&alice),
            choose(Purpose::PoliceInvestigation, " R/2026/77 "),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let chosen = info(&body)?;
    assert_eq!(chosen.purpose, Some(Purpose::PoliceInvestigation));
    assert_eq!(chosen.case_ref.as_deref(), Some("R/2026/77"));
    assert!(chosen.allowed.searches.contains(&SearchKind::Hetu));
    let (status, _) = f
        .api(
            "/api/search",
            Some(&alice),
            args_for("/api/search", &f, None),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let entries = f.state.engine.audit().entries_after(before, 10)?;
    let recorded: Vec<_> = entries
        .iter()
        .map(|r| {
            (
                matches!(r.entry.event, AuditEvent::PurposeChosen { .. }),
                matches!(r.entry.event, AuditEvent::SearchRun { .. }),
                r.entry.purpose,
                r.entry.case_ref.as_ref().map(|c| c.as_str().to_owned()),
            )
        })
        .collect();
    let case = Some("R/2026/77".to_owned());
    assert_eq!(
        recorded,
        vec![
            (
                true,
                false,
                Some(Purpose::PoliceInvestigation),
                case.clone()
            ),
            (false, true, Some(Purpose::PoliceInvestigation), case),
        ]
    );
    // The next session of the same user starts with the purpose; the case reference is
    // given anew.
    let again = f.session("alice", "poliisi")?;
    let (_, body) = f
        .api("/api/session_info", Some(&again), serde_json::json!({}))
        .await?;
    let next = info(&body)?;
    assert_eq!(
        (next.purpose, next.case_ref),
        (Some(Purpose::PoliceInvestigation), None)
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guessed_or_tampered_link_answers_like_a_missing_subject() -> TestResult {
    let f = fixture()?;
    let bob = f.session("bob", "espoo")?;
    let (_, body) = f
        .api("/api/search", Some(&bob), args_for("/api/search", &f, None))
        .await?;
    let SearchOutcome::Found { subject, .. } = serde_json::from_slice(&body)? else {
        return Err("the search found nobody".into());
    };
    let open = |link: SubjectLink| args_for("/api/load_screen", &f, Some(link));
    let (status, _) = f
        .api("/api/load_screen", Some(&bob), open(subject.clone()))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let token = subject.token();
    let flipped = format!(
        "{}{}{}",
        &token[..20],
        if &token[20..21] == "A" { 'B' } else { 'A' },
        &token[21..]
    );
    let forged = [
        SubjectLink::new(SubjectKind::Person, flipped).ok_or("shape")?,
        SubjectLink::new(SubjectKind::Person, "A".repeat(SubjectLink::TOKEN_LEN)).ok_or("shape")?,
    ];
    for link in forged {
        let (status, body) = f.api("/api/load_screen", Some(&bob), open(link)).await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            serde_json::from_slice::<AppError>(&body)?,
            AppError::NotFound
        );
    }
    // An id in the old form (a register number) is not a link at all.
    let (status, _) = f
        .api(
            "/api/load_screen",
            Some(&bob),
            serde_json::json!({
                "subject": { "kind": "Person", "token": "00000000000000a1" },
                "screen": ScreenId::PersonBasic,
            }),
        )
        .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_user_gets_the_screen() -> TestResult {
    let f = fixture()?;
    let bob = f.session("bob", "espoo")?;
    let (status, body) = f
        .api("/api/search", Some(&bob), args_for("/api/search", &f, None))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let SearchOutcome::Found { subject, .. } = serde_json::from_slice(&body)? else {
        return Err("the search found nobody".into());
    };
    let (status, body) = f
        .api(
            "/api/load_screen",
            Some(&bob),
            args_for("/api/load_screen", &f, Some(subject.clone())),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let data: ScreenData = serde_json::from_slice(&body)?;
    assert_eq!(data.header.heading, f.samples.ordinary_names[0]);
    assert_eq!(f.state.engine.audit().len()?, 2);
    // The page itself renders on the server for a signed-in user, without register data: the
    // browser loads that through the origin-checked `/api`, so a page load (a link from another
    // site included) reads and records nothing.
    let (status, headers, html) = f
        .call(
            Request::get(subject.screen_path(ScreenId::PersonBasic))
                .header(header::COOKIE, &bob)
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8_lossy(&html);
    assert!(
        !html.contains(&f.samples.ordinary_names[0]),
        "no register data in the page"
    );
    assert!(!html.contains(&f.samples.ordinary[0]));
    assert_eq!(
        f.state.engine.audit().len()?,
        2,
        "the page load read nothing"
    );
    let print = format!("/print{}", subject.base_path());
    let (status, _, print_html) = f
        .call(
            Request::get(print)
                .header(header::COOKIE, &bob)
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert!(!String::from_utf8_lossy(&print_html).contains(&f.samples.ordinary_names[0]));
    assert_eq!(f.state.engine.audit().len()?, 2, "nor did the print view");
    let csp = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap_or("none");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "hydration script carries the CSP nonce"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_is_422_with_the_broken_rule() -> TestResult {
    let f = fixture()?;
    let bob = f.session("bob", "espoo")?;
    let (status, body) = f
        .api("/api/search", Some(&bob), hetu_search("131052-308A"))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let err: AppError = serde_json::from_slice(&body)?;
    assert_eq!(
        err.message(domain::Lang::En),
        "The identity code has a typo: a digit or the check character is wrong. Check the whole code."
    );
    assert_eq!(f.state.engine.audit().len()?, 0);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_calls_are_refused_before_anything_runs() -> TestResult {
    let f = fixture()?;
    let bob = f.session("bob", "espoo")?;
    let attempts: [(Option<&str>, Option<&str>); 3] = [
        (Some("http://evil.example"), None),
        (Some(ORIGIN), Some("cross-site")),
        (None, None),
    ];
    for endpoint in ENDPOINTS.iter().map(|e| e.path) {
        for (origin, site) in attempts {
            let mut req = Request::post(endpoint)
                .header(header::COOKIE, &bob)
                .header(header::CONTENT_TYPE, "application/json");
            if let Some(o) = origin {
                req = req.header(header::ORIGIN, o);
            }
            if let Some(s) = site {
                req = req.header("sec-fetch-site", s);
            }
            let body = args_for(endpoint, &f, None).to_string();
            let (status, _, _) = f.call(req.body(Body::from(body))?).await?;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{endpoint} {origin:?} {site:?}"
            );
        }
    }
    let (status, _, _) = f
        .call(
            Request::post("/auth/logout")
                .header(header::COOKIE, &bob)
                .header(header::ORIGIN, "http://evil.example")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "logout cannot be forced cross-site"
    );
    assert_eq!(f.state.engine.audit().len()?, 0);
    Ok(())
}

/// Every server function that acts on the register or the session, against every way a caller
/// can lack the right: each case must be refused with its own reason, and nothing returned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_denial_matrix_covers_every_server_function() -> TestResult {
    let f = fixture()?;
    let engine = &f.state.engine;
    let espoo = engine.permit_of("espoo")?.ok_or("espoo's permit")?;
    let bob_right = engine.right("espoo", "u-bob")?.ok_or("bob's right")?;
    let yesterday = Date::new(2026, 11, 26)?;
    type Setup<'a> = Box<dyn Fn() -> Result<String, Box<dyn std::error::Error>> + 'a>;
    let cases: Vec<(&str, Setup, Denied)> = vec![
        (
            "no right",
            Box::new(|| f.session("eve", "espoo")),
            Denied::NoRight,
        ),
        (
            "blocked user",
            Box::new(|| {
                engine.put_right(&domain::PersonalRight {
                    state: domain::RightState::Blocked,
                    ..bob_right.clone()
                })?;
                f.session("bob", "espoo")
            }),
            Denied::UserBlocked,
        ),
        (
            "a right in another organisation",
            Box::new(|| {
                engine.remove_right("espoo", "u-bob")?;
                engine.put_right(&domain::PersonalRight {
                    organisation: OrgId::from_static("vantaa"),
                    ..bob_right.clone()
                })?;
                f.session("bob", "espoo")
            }),
            Denied::NoRight,
        ),
        (
            "permit expired",
            Box::new(|| {
                engine.put_permit(&domain::Permit {
                    valid_until: Some(yesterday),
                    ..espoo.clone()
                })?;
                f.session("bob", "espoo")
            }),
            Denied::PermitExpired,
        ),
        (
            "permit suspended",
            Box::new(|| {
                engine.put_permit(&domain::Permit {
                    state: domain::PermitState::Suspended,
                    ..espoo.clone()
                })?;
                f.session("bob", "espoo")
            }),
            Denied::PermitSuspended,
        ),
    ];
    let restore = || -> TestResult {
        engine.put_permit(&espoo)?;
        engine.put_right(&bob_right)?;
        Ok(())
    };
    let bob = f.session("bob", "espoo")?;
    let (_, body) = f
        .api("/api/search", Some(&bob), args_for("/api/search", &f, None))
        .await?;
    let SearchOutcome::Found { subject, .. } = serde_json::from_slice(&body)? else {
        return Err("the search found nobody".into());
    };
    for endpoint in behind(Door::Query) {
        for (name, setup, want) in &cases {
            let cookie = setup()?;
            let before = engine.audit().len()?;
            let (status, body) = f
                .api(
                    endpoint,
                    Some(&cookie),
                    args_for(endpoint, &f, Some(subject.clone())),
                )
                .await?;
            assert_refused(status, &body, *want, &format!("{name}: {endpoint}"));
            assert_eq!(
                engine.audit().len()?,
                before + 1,
                "{name}: {endpoint} audited"
            );
            // session_info reads nothing it may not: it reports the same refusal.
            let (status, body) = f
                .api("/api/session_info", Some(&cookie), serde_json::json!({}))
                .await?;
            assert_eq!(status, StatusCode::OK);
            let info: app::api::UserSession = serde_json::from_slice(&body)?;
            assert_eq!(info.allowed.refusal, Some(*want), "{name}: session_info");
            assert!(info.allowed.screens.is_empty() && info.allowed.searches.is_empty());
            restore()?;
        }
    }
    // Purpose and data-group refusals, by the users they concern. (Bob signed in once per
    // case above; a user keeps at most `SESSIONS_PER_USER`, so his first session has ended.)
    let bob = f.session("bob", "espoo")?;
    let alice = f.session("alice", "poliisi")?;
    let carol = f.session("carol", "isannointi-oy")?;
    let specific: [(&str, &str, Denied); 6] = [
        // Espoo's permit does not let anyone reveal protected data.
        ("/api/reveal_screen", &bob, Denied::RevealNotInPermit),
        ("/api/search", &alice, Denied::PurposeRequired),
        ("/api/load_screen", &alice, Denied::PurposeRequired),
        ("/api/choose_purpose", &alice, Denied::PurposeNotInPermit),
        (
            "/api/search",
            &carol,
            Denied::SearchNotInPermit(SearchKind::Hetu),
        ),
        (
            "/api/load_screen",
            &carol,
            Denied::ScreenNotInPermit(ScreenId::PersonBasic),
        ),
    ];
    for (endpoint, cookie, want) in specific {
        let (status, body) = f
            .api(
                endpoint,
                Some(cookie),
                args_for(endpoint, &f, Some(subject.clone())),
            )
            .await?;
        assert_refused(status, &body, want, endpoint);
    }
    Ok(())
}

/// Every page route of the application, with a subject where one is needed.
fn page_routes(subject: &SubjectLink) -> Vec<String> {
    vec![
        "/".into(),
        "/manage".into(),
        "/eservice".into(),
        "/eservice/1".into(),
        "/library".into(),
        "/contact".into(),
        "/contact/1".into(),
        "/fees".into(),
        "/sessions".into(),
        format!("/print{}", subject.base_path()),
        subject.screen_path(ScreenId::PersonBasic),
        subject.screen_path(ScreenId::PersonAddresses),
        "/no/such/page".into(),
    ]
}

/// A found subject, and the audit count after finding it.
async fn found_subject(
    f: &Fixture,
    cookie: &str,
) -> Result<SubjectLink, Box<dyn std::error::Error>> {
    let (_, body) = f
        .api(
            "/api/search",
            Some(cookie),
            args_for("/api/search", f, None),
        )
        .await?;
    let SearchOutcome::Found { subject, .. } = serde_json::from_slice(&body)? else {
        return Err("the search found nobody".into());
    };
    Ok(subject)
}

/// Every kind of response (pages signed in and out, server functions answering 200, 400, 401,
/// 403, 404, 405 and 422, redirects, the sign-in pages, downloads refused, static files, the
/// health check) carries the security headers, and all but static files `no-store`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_are_on_every_response() -> TestResult {
    let f = fixture()?;
    let bob = f.session("bob", "espoo")?;
    let subject = found_subject(&f, &bob).await?;
    let get =
        |path: &str, cookie: Option<&str>, site: &str| -> Result<Request<Body>, http::Error> {
            let mut r = Request::get(path).header("sec-fetch-site", site);
            if let Some(c) = cookie {
                r = r.header(header::COOKIE, c);
            }
            r.body(Body::empty())
        };
    let post =
        |path: &str, cookie: Option<&str>, body: &str| -> Result<Request<Body>, http::Error> {
            let mut r = Request::post(path)
                .header(header::ORIGIN, ORIGIN)
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, "application/json");
            if let Some(c) = cookie {
                r = r.header(header::COOKIE, c);
            }
            r.body(Body::from(body.to_owned()))
        };
    let mut walk: Vec<(Request<Body>, StatusCode)> = Vec::new();
    for page in page_routes(&subject) {
        walk.push((get(&page, Some(&bob), "same-origin")?, StatusCode::OK));
        walk.push((get(&page, None, "none")?, StatusCode::SEE_OTHER));
    }
    let search = args_for("/api/search", &f, None).to_string();
    walk.extend([
        (post("/api/search", Some(&bob), &search)?, StatusCode::OK),
        (
            post("/api/search", None, &search)?,
            StatusCode::UNAUTHORIZED,
        ),
        (
            post("/api/search", Some(&bob), "{\"form\": 7}")?,
            StatusCode::BAD_REQUEST,
        ),
        (
            post(
                "/api/search",
                Some(&bob),
                &hetu_search("131052-308A").to_string(),
            )?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            post(
                "/api/change_permit",
                Some(&bob),
                &args_for("/api/change_permit", &f, None).to_string(),
            )?,
            StatusCode::FORBIDDEN,
        ),
        (
            post("/api/no_such_function", Some(&bob), "{}")?,
            StatusCode::NOT_FOUND,
        ),
        (
            get("/api/search", Some(&bob), "same-origin")?,
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            get("/files/library/1/1", Some(&bob), "cross-site")?,
            StatusCode::FORBIDDEN,
        ),
        (
            get("/files/library/1/99", Some(&bob), "same-origin")?,
            StatusCode::NOT_FOUND,
        ),
        (get("/auth/logged-out", None, "none")?, StatusCode::OK),
        (get("/auth/expired", None, "none")?, StatusCode::OK),
        (
            get("/auth/expired", Some(&bob), "same-origin")?,
            StatusCode::SEE_OTHER,
        ),
        (
            get("/auth/callback?state=x&code=y", None, "cross-site")?,
            StatusCode::BAD_REQUEST,
        ),
        (get("/healthz", None, "none")?, StatusCode::OK),
        (
            get("/no-such-page", Some(&bob), "same-origin")?,
            StatusCode::NOT_FOUND,
        ),
        (
            get("/pkg/no-such-file.js", None, "same-origin")?,
            StatusCode::NOT_FOUND,
        ),
    ]);
    for (req, want) in walk {
        let what = format!("{} {}", req.method(), req.uri());
        let (status, headers, _) = f.call(req).await?;
        assert_eq!(status, want, "{what}");
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let csp = get("content-security-policy");
        assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{what}");
        assert!(csp.contains("base-uri 'none'"), "{what}");
        assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(get("x-frame-options"), "DENY", "{what}");
        assert_eq!(get("referrer-policy"), "same-origin", "{what}");
        assert_eq!(get("cross-origin-opener-policy"), "same-origin", "{what}");
        assert!(get("permissions-policy").contains("camera=()"), "{what}");
        assert_eq!(get("x-request-id").len(), 32, "{what}: a request id");
        if !what.contains("/pkg/") {
            assert_eq!(get("cache-control"), "no-store", "{what}");
        }
    }
    Ok(())
}

/// A link from another site to any page of the application, followed by a signed-in official,
/// reads nothing and records nothing: pages carry no register data when rendered; the data
/// comes only through the origin-checked server functions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_load_of_any_page_reads_and_records_nothing() -> TestResult {
    let f = fixture()?;
    let engine = &f.state.engine;
    let bob = f.session("bob", "espoo")?;
    let dora = f.staff_session(Acr::TwoFactor)?;
    let subject = found_subject(&f, &bob).await?;
    let before = engine.audit().len()?;
    for cookie in [&bob, &dora] {
        for page in page_routes(&subject) {
            for site in ["cross-site", "same-site", "none"] {
                let request = || {
                    Request::get(&page)
                        .header(header::COOKIE, cookie)
                        .header("sec-fetch-site", site)
                        .header(header::ORIGIN, "http://evil.example")
                        .body(Body::empty())
                };
                let (status, _, html) = f.call(request()?).await?;
                assert!(status.is_success(), "{page} {site}: {status}");
                let html = String::from_utf8_lossy(&html);
                for secret in f.samples.ordinary.iter().chain(&f.samples.ordinary_names) {
                    assert!(!html.contains(secret.as_str()), "{page} {site}: {secret}");
                }
            }
        }
    }
    assert_eq!(engine.audit().len()?, before, "no page load was audited");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_audit_trail_cannot_record_the_answer_is_503_without_data() -> TestResult {
    let (backend, fail) = engine::testing::FailingBackend::new();
    let f = fixture_with(move |_| Ok(AuditLog::open_with_backend(backend)?))?;
    let bob = f.session("bob", "espoo")?;
    fail.store(true, std::sync::atomic::Ordering::SeqCst);
    let (status, body) = f
        .api("/api/search", Some(&bob), args_for("/api/search", &f, None))
        .await?;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let err: AppError = serde_json::from_slice(&body)?;
    assert!(matches!(err, AppError::Unavailable { .. }), "{err:?}");
    // The reference the user quotes is the response's request id (and the log's).
    let mut req = Request::post("/api/search")
        .header(header::ORIGIN, ORIGIN)
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, &bob);
    req = req.header(header::ACCEPT, "application/json");
    let (_, headers, body) = f
        .call(req.body(Body::from(args_for("/api/search", &f, None).to_string()))?)
        .await?;
    let err: AppError = serde_json::from_slice(&body)?;
    assert_eq!(
        err.reference(),
        headers.get("x-request-id").and_then(|v| v.to_str().ok())
    );
    let (status, _, _) = f
        .call(Request::get("/healthz").body(Body::empty())?)
        .await?;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "health reports the stopped audit writer"
    );
    Ok(())
}

/// The management functions against every way a caller can lack the standing to change the
/// registry's records: each refused with its reason, each refused change audited, and the
/// record unchanged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_management_matrix_refuses_every_caller_without_standing() -> TestResult {
    let f = fixture()?;
    let engine = &f.state.engine;
    let bob_right = engine.right("espoo", "u-bob")?.ok_or("bob's right")?;
    let eve = f.session("eve", "espoo")?;
    let frank = f.session("frank", "espoo")?;
    let bob = f.session("bob", "espoo")?;
    let alice = f.session("alice", "poliisi")?;
    // A token that claims registry staff changes nothing: only the records count.
    let claims_staff = f.session_of(Principal {
        ..principal("frank", "espoo")
    })?;
    let frank_end = right_change("espoo", "u-frank", RightAction::End, "");
    let cases: Vec<(&str, &str, serde_json::Value, Denied)> = vec![
        (
            "no right",
            "/api/management",
            serde_json::json!({}),
            Denied::NotResponsibleUser,
        ),
        (
            "no right",
            "/api/change_right",
            frank_end.clone(),
            Denied::NotResponsibleUser,
        ),
        (
            "query user",
            "/api/management",
            serde_json::json!({}),
            Denied::NotResponsibleUser,
        ),
        (
            "query user",
            "/api/change_right",
            frank_end.clone(),
            Denied::NotResponsibleUser,
        ),
        (
            "claims staff",
            "/api/change_permit",
            permit_change("espoo", PermitAction::Suspend, "syy on tässä"),
            Denied::RegistryStaffOnly,
        ),
        (
            "claims staff",
            "/api/management",
            serde_json::json!({}),
            Denied::NotResponsibleUser,
        ),
        (
            "another organisation",
            "/api/change_right",
            frank_end.clone(),
            Denied::NotResponsibleUser,
        ),
        (
            "registry only",
            "/api/change_right",
            right_change("espoo", "u-gus", RightAction::Approve, ""),
            Denied::RegistryStaffOnly,
        ),
        (
            "registry only",
            "/api/change_permit",
            permit_change("espoo", PermitAction::Suspend, "syy on tässä"),
            Denied::RegistryStaffOnly,
        ),
        (
            "own right",
            "/api/change_right",
            right_change("espoo", "u-bob", RightAction::End, ""),
            Denied::OwnRight,
        ),
        (
            "no reason",
            "/api/change_right",
            right_change("espoo", "u-frank", RightAction::Block, ""),
            Denied::ReasonRequired,
        ),
        (
            "not from this state",
            "/api/change_right",
            right_change("espoo", "u-frank", RightAction::Restore, ""),
            Denied::NotFromThisState,
        ),
        (
            "no such right",
            "/api/change_right",
            right_change("espoo", "u-nobody", RightAction::End, ""),
            Denied::NoSuchRecord,
        ),
        (
            "no right",
            "/api/propose_right",
            proposal("u-eve", &[Role::QueryUser]),
            Denied::NotResponsibleUser,
        ),
        (
            "query user",
            "/api/propose_right",
            proposal("u-eve", &[Role::QueryUser]),
            Denied::NotResponsibleUser,
        ),
        (
            "claims staff",
            "/api/propose_right",
            proposal("u-eve", &[Role::QueryUser]),
            Denied::NotResponsibleUser,
        ),
        (
            "own right",
            "/api/propose_right",
            proposal("u-bob", &[Role::QueryUser]),
            Denied::OwnRight,
        ),
        (
            "staff role",
            "/api/propose_right",
            proposal("u-eve", &[Role::RegistryStaff]),
            Denied::RoleNotProposable,
        ),
        (
            "not from this state",
            "/api/propose_right",
            proposal("u-frank", &[Role::QueryUser]),
            Denied::NotFromThisState,
        ),
        (
            "never signed in",
            "/api/propose_right",
            proposal("u-eve", &[Role::QueryUser]),
            Denied::NoSuchRecord,
        ),
        (
            "no right",
            "/api/usage",
            serde_json::json!({ "organisation": null }),
            Denied::NotResponsibleUser,
        ),
        (
            "query user",
            "/api/usage",
            serde_json::json!({ "organisation": null }),
            Denied::NotResponsibleUser,
        ),
        (
            "claims staff",
            "/api/usage",
            serde_json::json!({ "organisation": "poliisi" }),
            Denied::NotResponsibleUser,
        ),
        (
            "another organisation",
            "/api/usage",
            serde_json::json!({ "organisation": "espoo" }),
            Denied::NotResponsibleUser,
        ),
        (
            "query user",
            "/api/propose_change",
            serde_json::json!({ "user": "u-gus", "roles": [Role::QueryUser], "screens": null }),
            Denied::NotResponsibleUser,
        ),
        (
            "claims staff",
            "/api/propose_change",
            serde_json::json!({ "user": "u-bob", "roles": [Role::QueryUser], "screens": null }),
            Denied::NotResponsibleUser,
        ),
        (
            "own right",
            "/api/propose_change",
            serde_json::json!({ "user": "u-bob", "roles": [Role::QueryUser], "screens": null }),
            Denied::OwnRight,
        ),
        (
            "not from this state",
            "/api/propose_change",
            serde_json::json!({ "user": "u-gus", "roles": [Role::QueryUser], "screens": null }),
            Denied::NotFromThisState,
        ),
        (
            "query user",
            "/api/start_attestation",
            serde_json::json!({ "deadline": "15.12.2026" }),
            Denied::NotResponsibleUser,
        ),
        (
            "claims staff",
            "/api/start_attestation",
            serde_json::json!({ "deadline": "15.12.2026" }),
            Denied::NotResponsibleUser,
        ),
        (
            "query user",
            "/api/confirm_attestation",
            serde_json::json!({ "user": "u-frank" }),
            Denied::NotResponsibleUser,
        ),
        (
            "no round",
            "/api/confirm_attestation",
            serde_json::json!({ "user": "u-frank" }),
            Denied::NotFromThisState,
        ),
    ];
    let cookie_of = |name: &str| match name {
        "no right" => &eve,
        "query user" => &frank,
        "claims staff" => &claims_staff,
        "another organisation" => &alice,
        _ => &bob,
    };
    let covered: BTreeSet<&str> = cases.iter().map(|c| c.1).collect();
    assert_eq!(covered, behind(Door::Registry).collect());
    for (name, endpoint, args, want) in cases {
        let before = engine.audit().len()?;
        let (status, body) = f.api(endpoint, Some(cookie_of(name)), args).await?;
        assert_refused(status, &body, want, &format!("{name}: {endpoint}"));
        // Every refusal is on record, reading the management page and the usage statistics
        // included (they were not at 7d0db4a).
        assert_eq!(
            engine.audit().len()?,
            before + 1,
            "{name}: {endpoint} audited"
        );
        let last = engine.audit().entries_after(before, 1)?;
        assert!(
            matches!(
                &last[0].entry.event,
                AuditEvent::ChangeRefused { reason, .. } | AuditEvent::ServiceRefused { reason }
                    if *reason == want
            ),
            "{name}: {:?}",
            last[0].entry.event
        );
    }
    // A blocked responsible user manages nothing.
    engine.put_right(&domain::PersonalRight {
        state: domain::RightState::Blocked,
        ..bob_right.clone()
    })?;
    let (status, body) = f.api("/api/change_right", Some(&bob), frank_end).await?;
    assert_refused(
        status,
        &body,
        Denied::NotResponsibleUser,
        "blocked responsible user",
    );
    engine.put_right(&bob_right)?;
    // Nothing was changed by any of it.
    assert_eq!(
        engine.right("espoo", "u-frank")?.map(|r| r.state),
        Some(domain::RightState::Active)
    );
    assert_eq!(
        engine.permit_of("espoo")?.map(|p| p.state),
        Some(domain::PermitState::Active)
    );
    // A reason that is not one is the caller's input error, not a refusal.
    let (status, _) = f
        .api(
            "/api/change_right",
            Some(&bob),
            right_change("espoo", "u-frank", RightAction::Block, "x\u{7}y"),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Ids no record can have (here a megabyte, from a signed-in user without any standing) are
    // refused before anything is looked up or written: the trail does not grow by them.
    let before = engine.audit().len()?;
    let eve = f.session("eve", "espoo")?;
    let huge = "u".repeat(1 << 20);
    for (endpoint, args) in [
        (
            "/api/change_right",
            right_change("espoo", &huge, RightAction::End, ""),
        ),
        (
            "/api/change_permit",
            permit_change(&huge, PermitAction::Resume, ""),
        ),
        (
            "/api/change_right",
            right_change("espoo", "u frank", RightAction::End, ""),
        ),
    ] {
        let (status, _) = f.api(endpoint, Some(&eve), args).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint}");
    }
    assert_eq!(engine.audit().len()?, before);
    Ok(())
}

/// A complete data-permit application, as the applicant's browser sends it.
fn complete_form() -> serde_json::Value {
    serde_json::json!({
        "organisation": {
            "name": "Kotiapu Oy", "business_id": "1234567-1", "kind": "Company",
            "address": "Esimerkkikatu 1, 00100 Helsinki",
            "contacts": [{ "name": "Ilkka Ilmarinen", "email": "ilkka@kotiapu.example", "phone": "" }],
        },
        "purposes": [{
            "purpose": Purpose::PropertyManagement, "legal_basis": "661/2009 16 §",
            "justification": "Vuokralaisten henkilöllisyyden tarkistaminen.",
        }],
        "needs": [{ "group": "PersonBasic", "why": "Nimi ja henkilötunnus sopimukseen." }],
        "searches": [SearchKind::Hetu],
        "protection": {
            "users": "Kaksi isännöitsijää.", "location": "Lukittu toimisto.",
            "access_control": "Henkilökohtaiset tunnukset.", "retention": "Ei tallenneta mitään.",
            "no_onward_disclosure": true, "other": "",
        },
        "terms_accepted": domain::eservice::TERMS_VERSION,
        "nominee": null,
    })
}

/// The e-service's server functions against every caller who is not the applicant or the
/// registry: the application does not exist for them, the queue is the registry's, and a step
/// that is not the caller's is refused and audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_eservice_matrix_shows_an_application_only_to_its_applicant_and_the_registry()
-> TestResult {
    let f = fixture()?;
    let engine = &f.state.engine;
    let ilkka = f.session_of(Principal {
        ..principal("ilkka", "kotiapu-oy")
    })?;
    let dora = f.session("dora", "dvv")?;
    let (status, body) = f
        .api(
            "/api/start_application",
            Some(&ilkka),
            args_for("/api/start_application", &f, None),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let id: u64 = serde_json::from_slice(&body)?;
    // An incomplete draft is the applicant's input error (422), kept as typed.
    let step = |action: ApplicationAction, message: &str| serde_json::json!({ "id": id, "action": action, "message": message, "decision": null });
    let (status, _) = f
        .api(
            "/api/application_step",
            Some(&ilkka),
            step(ApplicationAction::Submit, ""),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut overlong = complete_form();
    overlong["organisation"]["name"] = serde_json::json!("x".repeat(201));
    let (status, _) = f
        .api(
            "/api/save_draft",
            Some(&ilkka),
            serde_json::json!({ "id": id, "form": overlong }),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a draft has limits"
    );
    // A body no page sends (a form missing its parts) is a bad request in the AppError shape.
    let (status, body) = f
        .api(
            "/api/save_draft",
            Some(&ilkka),
            serde_json::json!({ "id": id, "form": { "organisation": { "name": "x" } } }),
        )
        .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        serde_json::from_slice::<AppError>(&body)?,
        AppError::BadRequest
    );
    let (status, _) = f
        .api(
            "/api/save_draft",
            Some(&ilkka),
            serde_json::json!({ "id": id, "form": complete_form() }),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = f
        .api(
            "/api/application_step",
            Some(&ilkka),
            step(ApplicationAction::Submit, ""),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);

    let mirja = f.session_of(Principal {
        ..principal("mirja", "vantaa")
    })?;
    let colleague = f.session_of(Principal {
        ..principal("jaana", "kotiapu-oy")
    })?;
    let bob = f.session("bob", "espoo")?;
    let claims_staff = f.session_of(Principal {
        ..principal("frank", "espoo")
    })?;
    let on_it: [(&str, serde_json::Value); 4] = [
        ("/api/application", serde_json::json!({ "id": id })),
        (
            "/api/save_draft",
            serde_json::json!({ "id": id, "form": ApplicationForm::default() }),
        ),
        (
            "/api/application_step",
            step(ApplicationAction::Reject, "ei käy"),
        ),
        (
            "/api/application_message",
            serde_json::json!({ "id": id, "text": "Hei" }),
        ),
    ];
    for (who, cookie) in [
        ("another applicant", &mirja),
        ("a colleague", &colleague),
        ("a responsible user elsewhere", &bob),
        ("a token claiming staff", &claims_staff),
    ] {
        let before = engine.audit().len()?;
        for (endpoint, args) in &on_it {
            let (status, body) = f.api(endpoint, Some(cookie), args.clone()).await?;
            assert_eq!(status, StatusCode::NOT_FOUND, "{who}: {endpoint}");
            assert!(
                !String::from_utf8_lossy(&body).contains("Kotiapu"),
                "{who}: {endpoint}"
            );
        }
        let (status, body) = f
            .api(
                "/api/work_queue",
                Some(cookie),
                args_for("/api/work_queue", &f, None),
            )
            .await?;
        assert_refused(
            status,
            &body,
            Denied::RegistryStaffOnly,
            &format!("{who}: queue"),
        );
        let (status, body) = f
            .api("/api/applications", Some(cookie), serde_json::json!({}))
            .await?;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !String::from_utf8_lossy(&body).contains("Kotiapu"),
            "{who}: own list"
        );
        // Each probe is on record (the review of 7d0db4a found them unrecorded): the four
        // "not found" answers name the application asked for, the queue's refusal its reason.
        let recorded: Vec<AuditEvent> = engine
            .audit()
            .entries_after(before, 10)?
            .into_iter()
            .map(|r| r.entry.event)
            .collect();
        let probe = AuditEvent::RecordNotFound {
            record: domain::audit::RecordRef::Application(domain::eservice::ApplicationId(id)),
        };
        assert_eq!(
            recorded,
            vec![
                probe.clone(),
                probe.clone(),
                probe.clone(),
                probe,
                AuditEvent::ServiceRefused {
                    reason: Denied::RegistryStaffOnly
                }
            ],
            "{who}: every probe recorded, nothing done"
        );
    }
    // A number nobody has answers the same, and is recorded the same.
    let before = engine.audit().len()?;
    let (status, _) = f
        .api(
            "/api/application",
            Some(&ilkka),
            serde_json::json!({ "id": id + 7 }),
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(matches!(
        &engine.audit().entries_after(before, 1)?[0].entry.event,
        AuditEvent::RecordNotFound { record: domain::audit::RecordRef::Application(a) } if a.0 == id + 7
    ));
    // Steps of the other party are refused and audited; a second application too.
    for (cookie, args, want) in [
        (
            &ilkka,
            step(ApplicationAction::Grant, ""),
            Denied::RegistryStaffOnly,
        ),
        (
            &dora,
            step(ApplicationAction::Supplement, "vastaus"),
            Denied::NotApplicant,
        ),
        (
            &dora,
            step(ApplicationAction::Submit, ""),
            Denied::NotApplicant,
        ),
    ] {
        let before = engine.audit().len()?;
        let (status, body) = f.api("/api/application_step", Some(cookie), args).await?;
        assert_refused(status, &body, want, "a step of the other party");
        let last = engine.audit().entries_after(before, 1)?;
        assert!(
            matches!(&last[0].entry.event, AuditEvent::ApplicationRefused { reason, .. } if *reason == want),
            "{:?}",
            last[0].entry.event
        );
    }
    for cookie in [&colleague, &bob] {
        let (status, body) = f
            .api(
                "/api/start_application",
                Some(cookie),
                args_for("/api/start_application", &f, None),
            )
            .await?;
        assert_refused(
            status,
            &body,
            Denied::AlreadyApplied,
            "one application at a time",
        );
    }
    // The registry sees it in its queue and in full.
    let (status, body) = f
        .api(
            "/api/work_queue",
            Some(&dora),
            args_for("/api/work_queue", &f, None),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&body).contains("Kotiapu Oy"));
    let (status, body) = f
        .api(
            "/api/application",
            Some(&dora),
            serde_json::json!({ "id": id }),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let view: ApplicationView = serde_json::from_slice(&body)?;
    assert!(view.registry && view.actions.contains(&ApplicationAction::Grant));
    // The e-service's pages rendered on the server carry none of it (cross-site loads).
    for path in ["/eservice", &format!("/eservice/{id}")] {
        let (status, _, html) = f
            .call(
                Request::get(path)
                    .header(header::COOKIE, &dora)
                    .header("sec-fetch-site", "cross-site")
                    .body(Body::empty())?,
            )
            .await?;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            !String::from_utf8_lossy(&html).contains("Kotiapu"),
            "{path}"
        );
    }
    Ok(())
}

/// The management page rendered on the server carries none of its data: the browser loads it
/// through the origin-checked `/api`, so a link from another site reads nothing in the user's
/// name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_load_of_the_management_page_reads_nothing() -> TestResult {
    let f = fixture()?;
    let dora = f.session("dora", "dvv")?;
    let (status, _, html) = f
        .call(
            Request::get("/manage")
                .header(header::COOKIE, &dora)
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8_lossy(&html);
    for name in [
        "Bob Backman",
        "Frank Forsman",
        "DVV/402/2025",
        "Espoon kaupunki",
    ] {
        assert!(!html.contains(name), "{name} in the page");
    }
    // The same data does come through the API, so the check above is not vacuous.
    let (status, body) = f
        .api("/api/management", Some(&dora), serde_json::json!({}))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("Frank Forsman") && body.contains("DVV/402/2025"));
    Ok(())
}

async fn search_status(
    f: &Fixture,
    cookie: &str,
) -> Result<StatusCode, Box<dyn std::error::Error>> {
    let (status, _) = f
        .api(
            "/api/search",
            Some(cookie),
            args_for("/api/search", f, None),
        )
        .await?;
    Ok(status)
}

/// The signed-out page as the browser holding `cookie` gets it: its status and its text.
async fn expired_page(
    f: &common::Fixture,
    cookie: &str,
) -> Result<(StatusCode, String), Box<dyn std::error::Error>> {
    let req = Request::get(app::EXPIRED_PATH)
        .header(header::COOKIE, cookie)
        .body(Body::empty())?;
    let (status, _, body) = f.call(req).await?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// Blocking a user, ending a right and suspending a permit deny the very next request of a
/// session that is already signed in; lifting them restores it. Each change is in the trail
/// and in the record's history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_takes_effect_on_the_next_request_of_a_signed_in_user() -> TestResult {
    let f = fixture()?;
    let engine = &f.state.engine;
    let frank = f.session("frank", "espoo")?;
    let carol = f.session("carol", "isannointi-oy")?;
    // The responsible user's name is the identity provider's words: anyone's.
    let bob = f.session_of(Principal {
        name: "<img src=x onerror=alert(1)> Bob & 'co'".into(),
        ..principal("bob", "espoo")
    })?;
    let dora = f.session_of(Principal {
        acr: Acr::TwoFactor,
        ..principal("dora", "dvv")
    })?;
    let search = || args_for("/api/search", &f, None);
    assert_eq!(search_status(&f, &frank).await?, StatusCode::OK);

    // Bob, Espoo's responsible user, blocks Frank: Frank's open session is refused at once.
    let (status, body) = f
        .api(
            "/api/change_right",
            Some(&bob),
            right_change(
                "espoo",
                "u-frank",
                RightAction::Block,
                "epäilty uteliaisuushaku",
            ),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    // A block ends the user's sessions in the organisation at once, on record.
    let (status, _) = f.api("/api/search", Some(&frank), search()).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "frank's session ended");
    assert!(f.state.sessions.of_user("u-frank")?.is_empty());
    // The page his browser is sent to says it was a block and by whom, the name as text (never
    // markup), once; another browser's cookie learns nothing of it and goes back to the app.
    let (status, page) = expired_page(&f, &carol).await?;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "a live session goes back: {page}"
    );
    let (status, page) = expired_page(&f, &frank).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"blocked-by\""), "{page}");
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt; Bob &amp; &#39;co&#39; esti"),
        "{page}"
    );
    assert!(!page.contains("<img"), "{page}");
    let (_, page) = expired_page(&f, &frank).await?;
    assert!(!page.contains("blocked-by"), "told once: {page}");
    let n = engine.audit().len()?;
    let last = engine.audit().entries_after(n - 1, 1)?;
    assert_eq!(
        last.first().map(|r| &r.entry.event),
        Some(&domain::audit::AuditEvent::SessionsEnded {
            user: "u-frank".into(),
            count: 1
        })
    );
    // Signing in again gets him nowhere.
    let frank = f.session("frank", "espoo")?;
    let (status, body) = f.api("/api/search", Some(&frank), search()).await?;
    assert_refused(status, &body, Denied::UserBlocked, "blocked");
    // Only the registry lifts a block.
    let unblock = right_change(
        "espoo",
        "u-frank",
        RightAction::Unblock,
        "selvitetty, ei väärinkäyttöä",
    );
    let (status, body) = f
        .api("/api/change_right", Some(&bob), unblock.clone())
        .await?;
    assert_refused(status, &body, Denied::RegistryStaffOnly, "bob unblocks");
    let (status, _) = f.api("/api/change_right", Some(&dora), unblock).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(search_status(&f, &frank).await?, StatusCode::OK);

    // Ending the right: refused as not in force; restoring brings it back.
    let (status, _) = f
        .api(
            "/api/change_right",
            Some(&bob),
            right_change("espoo", "u-frank", RightAction::End, ""),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = f.api("/api/search", Some(&frank), search()).await?;
    assert_refused(status, &body, Denied::RightNotActive, "ended");
    let (status, _) = f
        .api(
            "/api/change_right",
            Some(&bob),
            right_change("espoo", "u-frank", RightAction::Restore, ""),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(search_status(&f, &frank).await?, StatusCode::OK);

    // The registry suspends the property manager's permit: Carol is refused at once.
    // A building search (found or not, it is answered when allowed).
    let place = serde_json::json!({
        "form": SearchForm::new(SearchKind::Building).with(Field::BuildingId, "100012345N")
    });
    let (status, _) = f.api("/api/search", Some(&carol), place.clone()).await?;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = f
        .api(
            "/api/change_permit",
            Some(&dora),
            permit_change(
                "isannointi-oy",
                PermitAction::Suspend,
                "tietoturvaselvitys kesken",
            ),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = f.api("/api/search", Some(&carol), place.clone()).await?;
    assert_refused(status, &body, Denied::PermitSuspended, "suspended");
    let (status, _) = f
        .api(
            "/api/change_permit",
            Some(&dora),
            permit_change("isannointi-oy", PermitAction::Resume, ""),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = f.api("/api/search", Some(&carol), place).await?;
    assert_eq!(status, StatusCode::OK);

    // The history, as the management page shows it to the registry.
    let (status, body) = f
        .api("/api/management", Some(&dora), serde_json::json!({}))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let m: domain::registry::Management = serde_json::from_slice(&body)?;
    let frank_view = m
        .rights
        .iter()
        .find(|r| r.right.user == "u-frank")
        .ok_or("frank listed")?;
    let steps: Vec<(domain::registry::RecordState, String)> = frank_view
        .history
        .iter()
        .map(|h| (h.to, h.by.to_string()))
        .collect();
    use domain::RightState::*;
    use domain::registry::RecordState::Right;
    assert_eq!(
        steps,
        vec![
            (Right(Blocked), "u-bob".to_owned()),
            (Right(Active), "u-dora".to_owned()),
            (Right(Ended), "u-bob".to_owned()),
            (Right(Active), "u-bob".to_owned()),
        ]
    );
    assert_eq!(
        frank_view.history[0].reason.as_ref().map(|r| r.as_str()),
        Some("epäilty uteliaisuushaku")
    );
    let permit = m
        .permits
        .iter()
        .find(|p| p.organisation.id.as_str() == "isannointi-oy")
        .ok_or("permit listed")?;
    assert_eq!(permit.history.len(), 2);
    assert_eq!(
        permit.actions,
        vec![
            PermitAction::Suspend,
            PermitAction::End,
            PermitAction::RequireTwoFactor
        ],
        "an active permit may be suspended or ended, or require a second factor"
    );
    // Bob sees his own organisation's users only, and no permits.
    let (_, body) = f
        .api("/api/management", Some(&bob), serde_json::json!({}))
        .await?;
    let mine: domain::registry::Management = serde_json::from_slice(&body)?;
    assert!(mine.permits.is_empty());
    assert!(!mine.rights.is_empty());
    assert!(
        mine.rights
            .iter()
            .all(|r| r.right.organisation.as_str() == "espoo")
    );
    // Every change is in the trail.
    let changes = engine
        .audit()
        .entries_after(0, 1000)?
        .into_iter()
        .filter(|r| matches!(r.entry.event, AuditEvent::RecordChanged { .. }))
        .count();
    assert_eq!(changes, 6);
    Ok(())
}

/// A `multipart/form-data` body as a browser's form post makes it: the text fields, then the
/// file under the name and type the browser claims.
fn multipart(fields: &[(&str, &str)], file: &[u8], claimed: (&str, &str)) -> (String, Vec<u8>) {
    let boundary = "----kysely-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
            claimed.0, claimed.1
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads go through the origin check and the engine's rules and come back as a redirect that
/// says what happened; downloads are attachments of the type the content was found to be.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_checked_by_content_and_downloads_are_attachments() -> TestResult {
    let f = fixture()?;
    // The library's documents are the registry's word: saved with a two-factor sign-in.
    let dora = f.staff_session(Acr::TwoFactor)?;
    let dora_password_only = f.staff_session(Acr::OneFactor)?;
    let bob = f.session("bob", "espoo")?;
    let fields = [
        ("title", "Käyttöehdot 2026"),
        ("category", "terms"),
        ("document", ""),
    ];
    let pdf = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n".to_vec();
    let post = |cookie: Option<&str>, origin: &str, file: &[u8], claimed: (&str, &str)| {
        let (ctype, body) = multipart(&fields, file, claimed);
        let mut req = Request::post("/api/upload/library")
            .header(header::ORIGIN, origin)
            .header(
                "sec-fetch-site",
                if origin == ORIGIN {
                    "same-origin"
                } else {
                    "cross-site"
                },
            )
            .header(header::CONTENT_TYPE, ctype);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req.body(Body::from(body))
    };
    let location = |h: &http::HeaderMap| {
        h.get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    // Cross-site or signed out: refused before anything is read.
    let (status, _, _) = f
        .call(post(
            Some(&dora),
            "http://evil.example",
            &pdf,
            ("t.pdf", "application/pdf"),
        )?)
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = f
        .call(post(None, ORIGIN, &pdf, ("t.pdf", "application/pdf"))?)
        .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Not registry staff; HTML that calls itself a PDF; too large: each said, nothing kept.
    let mut huge = pdf.clone();
    huge.resize(domain::library::MAX_FILE_BYTES + 1, b' ');
    for (cookie, file, want) in [
        (&bob, &pdf[..], "/library?error=not-allowed"),
        (&dora_password_only, &pdf[..], "/library?error=step-up"),
        (
            &dora,
            &b"<!DOCTYPE html><script>alert(1)</script>"[..],
            "/library?error=file-type",
        ),
        (&dora, &huge[..], "/library?error=too-large"),
    ] {
        let (status, headers, _) = f
            .call(post(
                Some(cookie),
                ORIGIN,
                file,
                ("ehdot.pdf", "application/pdf"),
            )?)
            .await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{want}");
        assert_eq!(location(&headers), want);
    }
    assert!(
        f.state
            .engine
            .library(&engine_actor("u-bob", "espoo"))
            .await?
            .documents
            .is_empty()
    );
    // The registry's upload is kept and served as an attachment of the type found.
    let (status, headers, _) = f
        .call(post(
            Some(&dora),
            ORIGIN,
            &pdf,
            ("whatever.html", "text/html"),
        )?)
        .await?;
    assert_eq!(
        (status, location(&headers)),
        (StatusCode::SEE_OTHER, "/library?saved=1-1".into())
    );
    let (status, headers, body) = f
        .call(
            Request::get("/files/library/1/1")
                .header(header::COOKIE, &bob)
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, pdf);
    assert_eq!(
        headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()),
        Some(&b"application/pdf"[..])
    );
    assert_eq!(
        headers
            .get(header::CONTENT_DISPOSITION)
            .map(|v| v.as_bytes()),
        Some(&b"attachment; filename=\"kayttoehdot-2026-v1.pdf\""[..])
    );
    assert_eq!(
        headers.get("x-content-type-options").map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    // The download is on record, with the file's hash, in Bob's name (it was not at 7d0db4a).
    let downloads: Vec<_> = f
        .state
        .engine
        .audit()
        .entries_after(0, 100_000)?
        .into_iter()
        .filter_map(|r| match r.entry.event {
            AuditEvent::FileDownloaded { file, sha256 } => Some((r.entry.actor.user, file, sha256)),
            _ => None,
        })
        .collect();
    assert_eq!(
        downloads,
        vec![(
            "u-bob".to_owned(),
            domain::audit::RecordRef::Document {
                id: 1,
                version: Some(1)
            },
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&pdf)),
        )]
    );
    // Signed out, a download sends the browser to sign in; a version nobody has is 404.
    let (status, _, _) = f
        .call(
            Request::get("/files/library/1/1")
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())?,
        )
        .await?;
    assert!(status.is_redirection(), "{status}");
    // A link from another site (or a typed address) reads nothing in the user's name.
    for site in ["cross-site", "same-site", "none"] {
        let (status, _, body) = f
            .call(
                Request::get("/files/library/1/1")
                    .header(header::COOKIE, &bob)
                    .header("sec-fetch-site", site)
                    .body(Body::empty())?,
            )
            .await?;
        assert_eq!(status, StatusCode::FORBIDDEN, "{site}");
        assert_ne!(body, pdf);
    }
    let (status, _, _) = f
        .call(
            Request::get("/files/library/1/2")
                .header(header::COOKIE, &bob)
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Another organisation's attachment, or one of an application nobody has: 404 alike.
    let (status, _, _) = f
        .call(
            Request::get("/files/application/1/1")
                .header(header::COOKIE, &dora)
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}

fn engine_actor(subject: &'static str, org: &'static str) -> domain::Actor {
    domain::Actor::user(
        Principal {
            subject: UserId::from_static(subject),
            ..principal("x", org)
        },
        "req".into(),
        "127.0.0.1".into(),
    )
}

/// Contact, notices and fees against each caller: a question exists only for its asker and the
/// registry, notices are published and withdrawn by the registry only (a token's claims do not
/// count), the invoice basis is a responsible user's own and the registry's, and its CSV the
/// registry's. Each refusal is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contact_matrix_keeps_questions_notices_and_fees_to_their_people() -> TestResult {
    let f = fixture()?;
    let engine = &f.state.engine;
    let bob = f.session("bob", "espoo")?;
    let dora = f.staff_session(Acr::TwoFactor)?;
    let dora_password_only = f.staff_session(Acr::OneFactor)?;
    let frank = f.session_of(Principal {
        ..principal("frank", "espoo")
    })?;
    let claims_staff = f.session_of(Principal {
        ..principal("eve", "espoo")
    })?;
    // Frank asks; the number is his and the registry's only.
    let (status, body) = f
        .api(
            "/api/ask_question",
            Some(&frank),
            args_for("/api/ask_question", &f, None),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let id: u64 = serde_json::from_slice(&body)?;
    for (who, cookie, want) in [
        ("asker", &frank, StatusCode::OK),
        ("registry", &dora, StatusCode::OK),
        ("colleague", &bob, StatusCode::NOT_FOUND),
        ("claims staff", &claims_staff, StatusCode::NOT_FOUND),
    ] {
        let (status, _) = f
            .api(
                "/api/question",
                Some(cookie),
                serde_json::json!({ "id": id }),
            )
            .await?;
        assert_eq!(status, want, "{who}: question");
        let (status, _) = f
            .api(
                "/api/reply_question",
                Some(cookie),
                serde_json::json!({ "id": id, "text": "Lisätietoa asiaan.", "close": false }),
            )
            .await?;
        assert_eq!(status, want, "{who}: reply");
    }
    // Registry-only actions, refused to everyone else and audited.
    for (who, cookie) in [
        ("responsible user", &bob),
        ("claims staff", &claims_staff),
        ("query user", &frank),
    ] {
        for endpoint in ["/api/publish_notice", "/api/withdraw_notice"] {
            let before = engine.audit().len()?;
            let (status, body) = f
                .api(endpoint, Some(cookie), args_for(endpoint, &f, None))
                .await?;
            assert_refused(
                status,
                &body,
                Denied::RegistryStaffOnly,
                &format!("{who}: {endpoint}"),
            );
            let last = engine.audit().entries_after(before, 1)?;
            assert!(
                matches!(
                    last[0].entry.event,
                    AuditEvent::ServiceRefused {
                        reason: Denied::RegistryStaffOnly
                    }
                ),
                "{who}: {endpoint}: {:?}",
                last[0].entry.event
            );
        }
    }
    // Registry staff with a password only: a notice shown above every page and mailed to every
    // subscriber is the registry's word, published with a two-factor sign-in.
    for endpoint in ["/api/publish_notice", "/api/withdraw_notice"] {
        let before = engine.audit().len()?;
        let (status, body) = f
            .api(
                endpoint,
                Some(&dora_password_only),
                args_for(endpoint, &f, None),
            )
            .await?;
        let want = Denied::RoleNeedsTwoFactor(Role::RegistryStaff);
        assert_refused(status, &body, want, endpoint);
        assert!(matches!(
            &engine.audit().entries_after(before, 1)?[0].entry.event,
            AuditEvent::ServiceRefused { reason } if *reason == want
        ));
    }
    for (who, cookie) in [("query user", &frank), ("claims staff", &claims_staff)] {
        let (status, body) = f
            .api("/api/fees", Some(cookie), args_for("/api/fees", &f, None))
            .await?;
        assert_refused(
            status,
            &body,
            Denied::NotResponsibleUser,
            &format!("{who}: fees"),
        );
    }
    // What everyone signed in may do.
    for endpoint in ["/api/contact", "/api/notices", "/api/subscribe_notices"] {
        let (status, _) = f
            .api(endpoint, Some(&frank), args_for(endpoint, &f, None))
            .await?;
        assert_eq!(status, StatusCode::OK, "{endpoint}");
    }
    // A bad address or month is the caller's input error.
    let (status, _) = f
        .api(
            "/api/subscribe_notices",
            Some(&frank),
            serde_json::json!({ "email": "bob at espoo", "lang": Lang::Fi }),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = f
        .api(
            "/api/fees",
            Some(&bob),
            serde_json::json!({ "month": "2026-13" }),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Frank's address is confirmed only by Frank, with the link mailed to it, once (point 13
    // of the review of 7d0db4a: anyone signed in subscribed any address). Until then nothing
    // but the confirmation goes there.
    let (_, body) = f
        .api(
            "/api/contact",
            Some(&dora),
            serde_json::json!({ "page": 0 }),
        )
        .await?;
    let page: domain::contact::ContactPage = serde_json::from_slice(&body)?;
    assert_eq!(page.outbox.len(), 1);
    let confirmation = &page.outbox[0];
    assert_eq!(confirmation.to, "bob@espoo.example");
    let token = confirmation
        .body
        .split("/contact?confirm=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .ok_or("no link in the confirmation")?
        .to_owned();
    assert!(
        confirmation
            .body
            .contains(&format!("{ORIGIN}/contact?confirm=")),
        "{}",
        confirmation.body
    );
    for (who, cookie, t) in [
        ("another user with Frank's link", &bob, token.as_str()),
        ("Frank with a wrong token", &frank, "wrong"),
    ] {
        let before = engine.audit().len()?;
        let (status, body) = f
            .api(
                "/api/confirm_subscription",
                Some(cookie),
                serde_json::json!({ "token": t }),
            )
            .await?;
        assert_refused(status, &body, Denied::ConfirmationInvalid, who);
        assert_eq!(engine.audit().len()?, before + 1, "{who}: on record");
    }
    let (status, body) = f
        .api(
            "/api/confirm_subscription",
            Some(&frank),
            serde_json::json!({ "token": token }),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_slice::<String>(&body)?,
        "bob@espoo.example"
    );
    let (status, body) = f
        .api(
            "/api/confirm_subscription",
            Some(&frank),
            serde_json::json!({ "token": token }),
        )
        .await?;
    assert_refused(status, &body, Denied::ConfirmationInvalid, "used once");
    // The registry publishes; the notice reaches Frank, and the outbox holds Frank's mail.
    let (status, _) = f
        .api(
            "/api/publish_notice",
            Some(&dora),
            args_for("/api/publish_notice", &f, None),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = f
        .api("/api/notices", Some(&frank), serde_json::json!({}))
        .await?;
    let notices: Vec<domain::contact::NoticeShown> = serde_json::from_slice(&body)?;
    assert_eq!(notices.len(), 1);
    let (_, body) = f
        .api(
            "/api/contact",
            Some(&dora),
            serde_json::json!({ "page": 0 }),
        )
        .await?;
    let page: domain::contact::ContactPage = serde_json::from_slice(&body)?;
    assert!(page.registry && !page.smtp);
    assert_eq!(page.outbox.len(), 2, "the confirmation and the notice");
    assert_eq!(page.outbox[0].to, "bob@espoo.example");
    assert!(page.outbox[0].subject.contains("Huoltokatko"));
    // The responsible user's fees are their own organisation's.
    let (status, body) = f
        .api("/api/fees", Some(&bob), serde_json::json!({ "month": "" }))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let report: domain::fees::FeesReport = serde_json::from_slice(&body)?;
    assert!(!report.registry);
    assert_eq!(
        report
            .rows
            .iter()
            .map(|r| r.organisation.as_str())
            .collect::<Vec<_>>(),
        vec!["espoo"]
    );
    // The CSV is the registry's, as an attachment; anyone else finds nothing there.
    let csv = |cookie: &str, path: &str| {
        Request::get(path)
            .header(header::COOKIE, cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
    };
    let (status, headers, body) = f.call(csv(&dora, "/files/fees/2026-11.csv")?).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"kysely-laskutus-2026-11.csv\""
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let text = String::from_utf8(body)?;
    assert!(text.starts_with("kuukausi;organisaatio;"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("2026-11;Espoon kaupunki;") && l.contains(";maksuton;")),
        "{text}"
    );
    assert_eq!(
        text.lines().count(),
        1 + 5,
        "a header and the five demo permits: {text}"
    );
    // Cross-site, the CSV is not read, and no read of it is audited in Dora's name.
    let before = f.state.engine.audit().len()?;
    let (status, _, _) = f
        .call(
            Request::get("/files/fees/2026-11.csv")
                .header(header::COOKIE, &dora)
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(f.state.engine.audit().len()?, before);
    for (cookie, path) in [
        (&bob, "/files/fees/2026-11.csv"),
        (&dora, "/files/fees/2026-13.csv"),
        (&dora, "/files/fees/2026-11"),
    ] {
        let (status, _, _) = f.call(csv(cookie, path)?).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // The contact and fees pages rendered on the server carry none of it.
    for path in ["/contact", &format!("/contact/{id}"), "/fees"] {
        let (status, _, html) = f
            .call(
                Request::get(path)
                    .header(header::COOKIE, &dora)
                    .header("sec-fetch-site", "cross-site")
                    .body(Body::empty())?,
            )
            .await?;
        assert_eq!(status, StatusCode::OK, "{path}");
        let html = String::from_utf8_lossy(&html);
        assert!(
            !html.contains("Laskun erittely") && !html.contains("espoo.example"),
            "{path}"
        );
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct Row {
    id: String,
    current: bool,
    source: String,
}

async fn my_sessions(f: &Fixture, cookie: &str) -> Result<Vec<Row>, Box<dyn std::error::Error>> {
    let (status, body) = f
        .api("/api/my_sessions", Some(cookie), serde_json::json!({}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    Ok(serde_json::from_slice(&body)?)
}

/// A user lists their sessions and ends the others, one or all; never another user's, never
/// the one they are using; each ending is on record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_sees_and_ends_only_their_own_other_sessions() -> TestResult {
    let f = fixture()?;
    let engine = &f.state.engine;
    let here = f.session("bob", "espoo")?;
    let mut elsewhere = Vec::new();
    for source in ["10.1.0.7", "10.1.0.8"] {
        f.clock.advance_seconds(1);
        let token = f.state.sessions.create(
            principal("bob", "espoo"),
            engine::TerminalProfile::Kiosk,
            source,
        )?;
        elsewhere.push(format!("{}={token}", f.state.config.session_cookie()));
    }
    let eve = f.session("eve", "espoo")?;
    let rows = my_sessions(&f, &here).await?;
    let sources: Vec<(&str, bool)> = rows
        .iter()
        .map(|r| (r.source.as_str(), r.current))
        .collect();
    assert_eq!(
        sources,
        vec![
            ("10.1.0.8", false),
            ("10.1.0.7", false),
            ("127.0.0.1", true)
        ],
        "most recent first, this browser's marked"
    );
    let current = rows.iter().find(|r| r.current).ok_or("current")?.id.clone();
    let eves = my_sessions(&f, &eve).await?;
    assert_eq!(eves.len(), 1, "eve sees only her own");
    let before = engine.audit().len()?;
    // Neither this browser's session nor another user's can be ended from here.
    for id in [current.clone(), eves[0].id.clone(), "no-such".into()] {
        let (status, body) = f
            .api(
                "/api/end_sessions",
                Some(&here),
                serde_json::json!({ "session": id }),
            )
            .await?;
        assert_eq!(
            (status, body.as_slice()),
            (StatusCode::OK, &b"0"[..]),
            "{id}"
        );
    }
    assert_eq!(
        engine.audit().len()?,
        before,
        "nothing ended, nothing recorded"
    );
    let (status, _) = f
        .api("/api/session_info", Some(&eve), serde_json::json!({}))
        .await?;
    assert_eq!(status, StatusCode::OK, "eve's session is untouched");
    // One, then all others.
    let (status, body) = f
        .api(
            "/api/end_sessions",
            Some(&here),
            serde_json::json!({ "session": rows[0].id }),
        )
        .await?;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, &b"1"[..]));
    let (status, _) = f
        .api(
            "/api/session_info",
            Some(&elsewhere[1]),
            serde_json::json!({}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the ended one is gone");
    let (status, _) = f
        .api(
            "/api/session_info",
            Some(&elsewhere[0]),
            serde_json::json!({}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "the other stays");
    let (status, body) = f
        .api(
            "/api/end_sessions",
            Some(&here),
            serde_json::json!({ "session": null }),
        )
        .await?;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, &b"1"[..]));
    let rows = my_sessions(&f, &here).await?;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].current);
    let recorded: Vec<AuditEvent> = engine
        .audit()
        .entries_after(before, 10)?
        .into_iter()
        .map(|r| r.entry.event)
        .collect();
    let ended = |count| AuditEvent::SessionsEnded {
        user: "u-bob".into(),
        count,
    };
    assert_eq!(recorded, vec![ended(1), ended(1)]);
    Ok(())
}

/// The countdown's question does not count as use; continuing does; past the limit both
/// answer 401, and the signed-out page clears the browser only when no session is live.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_countdown_does_not_keep_a_session_alive() -> TestResult {
    let f = fixture()?;
    let bob = f.session("bob", "espoo")?;
    let left = |body: &[u8]| -> Result<domain::TimeLeft, serde_json::Error> {
        serde_json::from_slice(body)
    };
    let ask = |endpoint: &'static str| {
        let (f, bob) = (&f, bob.clone());
        async move { f.api(endpoint, Some(&bob), serde_json::json!({})).await }
    };
    let (status, body) = ask("/api/session_left").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(left(&body)?.seconds, 15 * 60);
    // Asked every 15 s for 14 minutes, it keeps counting down.
    for _ in 0..56 {
        f.clock.advance_seconds(15);
        let (status, _) = ask("/api/session_left").await?;
        assert_eq!(status, StatusCode::OK);
    }
    // Give the gate's background writes (there should be none) a moment to land.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let (_, body) = ask("/api/session_left").await?;
    let now = left(&body)?;
    assert_eq!((now.seconds, now.warn_from, now.absolute), (60, 60, false));
    // Continuing restarts the idle time.
    let (status, body) = ask("/api/keep_session").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(left(&body)?.seconds, 15 * 60);
    // The signed-out page sends a live session back to the application, untouched.
    let (status, headers, _) = f
        .call(
            Request::get("/auth/expired")
                .header(header::COOKIE, &bob)
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get("clear-site-data").is_none());
    // Opening the signed-out page is not use either: it does not restart the idle time (else
    // the countdown's last second would send the browser back in with a fresh session).
    f.clock.advance_seconds(800);
    let (status, _, _) = f
        .call(
            Request::get("/auth/expired")
                .header(header::COOKIE, &bob)
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "100 s left");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let (_, body) = ask("/api/session_left").await?;
    assert_eq!(left(&body)?.seconds, 100, "not restarted");
    // At its last second (the countdown reached zero), the page ends the session itself.
    f.clock.advance_seconds(99);
    let (status, headers, _) = f
        .call(
            Request::get("/auth/expired")
                .header(header::COOKIE, &bob)
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("clear-site-data").is_some());
    let (status, _) = ask("/api/session_left").await?;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "ended, not left to run out"
    );
    f.clock.advance_seconds(2);
    for endpoint in ["/api/session_left", "/api/keep_session"] {
        let (status, _) = ask(endpoint).await?;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    let (status, headers, html) = f
        .call(
            Request::get("/auth/expired")
                .header(header::COOKIE, &bob)
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers.get("clear-site-data").map(|v| v.as_bytes()),
        Some(&b"\"cache\", \"cookies\", \"storage\""[..])
    );
    assert!(String::from_utf8_lossy(&html).contains("id=\"session-ended\""));
    Ok(())
}

/// A user over their query rate gets 429 in the user's language with when to retry, once on
/// record; a sweep through identity codes is slowed, then blocked, and recorded for the
/// responsible user and the registry; a colleague goes on working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_rates_and_identity_code_sweeps_are_limited_and_recorded() -> TestResult {
    let f = fixture_configured(
        |path| Ok(AuditLog::open(path)?),
        |c| {
            c.query_limits.user = engine::limits::Rate {
                per_minute: 60,
                burst: 5,
            };
            c.query_limits.slow_ms = 1;
        },
    )?;
    let engine = &f.state.engine;
    let bob = f.session("bob", "espoo")?;
    let search = || hetu_search(&f.samples.ordinary[0]);
    for _ in 0..5 {
        let (status, _) = f.api("/api/search", Some(&bob), search()).await?;
        assert_eq!(status, StatusCode::OK);
    }
    let before = engine.audit().len()?;
    for _ in 0..3 {
        let (status, body) = f.api("/api/search", Some(&bob), search()).await?;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let err: AppError = serde_json::from_slice(&body)?;
        assert_eq!(err, AppError::TooManyRequests { retry_after: 1 });
        assert!(
            err.message(domain::Lang::Fi).contains("Odota"),
            "{}",
            err.message(domain::Lang::Fi)
        );
    }
    let recorded: Vec<AuditEvent> = engine
        .audit()
        .entries_after(before, 10)?
        .into_iter()
        .map(|r| r.entry.event)
        .collect();
    assert_eq!(
        recorded,
        vec![AuditEvent::QueriesThrottled {
            scope: domain::audit::ThrottleScope::User
        }],
        "once, not per refused request"
    );
    // A sweep: codes of one birth date in sequence, a second apart (within the rate).
    let frank = f.session("frank", "espoo")?;
    let mut statuses = Vec::new();
    for individual in 2..40u16 {
        f.clock.advance_seconds(1);
        let date = Date::new(1975, 3, 14)?;
        let code = domain::Hetu::new(date, domain::CenturySign::Minus, individual)?;
        let (status, _) = f
            .api("/api/search", Some(&frank), hetu_search(&code.to_string()))
            .await?;
        statuses.push(status);
    }
    let blocked_at = statuses
        .iter()
        .position(|s| *s == StatusCode::FORBIDDEN)
        .ok_or("the sweep was never blocked")?;
    assert_eq!(blocked_at, 20, "blocked after 20 codes of one birth date");
    let levels: Vec<domain::audit::SweepLevel> = engine
        .audit()
        .entries_after(before, 1000)?
        .into_iter()
        .filter_map(|r| match r.entry.event {
            AuditEvent::SweepSuspected { level, .. } if r.entry.actor.user == "u-frank" => {
                Some(level)
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        levels,
        vec![
            domain::audit::SweepLevel::Slowed,
            domain::audit::SweepLevel::Blocked
        ]
    );
    let (status, _) = f
        .api("/api/session_info", Some(&frank), serde_json::json!({}))
        .await?;
    assert_eq!(
        status,
        StatusCode::OK,
        "the session stays; the queries are refused"
    );
    let (status, body) = f.api("/api/search", Some(&frank), search()).await?;
    assert_refused(status, &body, Denied::QueriesBlocked, "blocked");
    // Bob, whose burst has refilled meanwhile, works on.
    let (status, _) = f.api("/api/search", Some(&bob), search()).await?;
    assert_eq!(status, StatusCode::OK);
    // An hour later (signed in again: the idle session has ended), Frank may search again.
    f.clock.advance_seconds(3600);
    let frank = f.session("frank", "espoo")?;
    let (status, _) = f.api("/api/search", Some(&frank), search()).await?;
    assert_eq!(status, StatusCode::OK);
    Ok(())
}

/// Pages keep answering while other routers are built in the same process (as every test
/// builds its own): listing the routes must not leave a render that started meanwhile waiting
/// forever (leptos issue #4773, met here as a rare hang under concurrent tests).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_answer_while_another_router_is_built() -> TestResult {
    let f = fixture()?;
    let bob = f.session("bob", "espoo")?;
    let state = f.state.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let building = {
        let stop = stop.clone();
        tokio::task::spawn_blocking(move || {
            let mut built = 0_u32;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                drop(server::router(state.clone()));
                built += 1;
            }
            built
        })
    };
    let mut hung = Vec::new();
    for round in 0..150 {
        let page = ["/", "/sessions", "/fees"][round % 3];
        let request = Request::get(page)
            .header(header::COOKIE, &bob)
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())?;
        let wait = std::time::Duration::from_secs(5);
        match tokio::time::timeout(wait, f.call(request)).await {
            Ok(answer) => assert_eq!(answer?.0, StatusCode::OK, "{page}"),
            Err(_) => hung.push(format!("{round} {page}")),
        }
        if hung.len() > 2 {
            break;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let built = building.await?;
    assert!(built > 0, "no router was built during the renders");
    assert!(hung.is_empty(), "renders that never answered: {hung:?}");
    Ok(())
}

/// A screen and a role can need a second factor whatever the permit says: the server
/// functions refuse a password-only sign-in with the reason the page turns into a step-up,
/// record the refusal, and change nothing; the same user after a two-factor sign-in is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guardianship_screens_and_registry_decisions_ask_for_a_second_factor() -> TestResult {
    let f = fixture()?;
    let engine = &f.state.engine;
    let bob = f.session("bob", "espoo")?;
    let bob_strong = f.session_of(Principal {
        acr: Acr::TwoFactor,
        ..principal("bob", "espoo")
    })?;
    let code = f
        .samples
        .under_guardianship
        .first()
        .ok_or("no person under guardianship in the fixture")?;
    let (status, body) = f.api("/api/search", Some(&bob), hetu_search(code)).await?;
    assert_eq!(status, StatusCode::OK);
    let SearchOutcome::Found { subject, .. } = serde_json::from_slice(&body)? else {
        return Err("the search found nobody".into());
    };
    let screen = |s: ScreenId| serde_json::json!({ "subject": subject, "screen": s });
    let before = engine.audit().len()?;
    let (status, body) = f
        .api(
            "/api/load_screen",
            Some(&bob),
            screen(ScreenId::PersonGuardianship),
        )
        .await?;
    assert_refused(
        status,
        &body,
        Denied::ScreenNeedsTwoFactor(ScreenId::PersonGuardianship),
        "one factor",
    );
    assert_eq!(engine.audit().len()?, before + 1, "the refusal is recorded");
    let (status, _) = f
        .api(
            "/api/load_screen",
            Some(&bob),
            screen(ScreenId::PersonBasic),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "other screens stay open");
    let (status, _) = f
        .api(
            "/api/load_screen",
            Some(&bob_strong),
            screen(ScreenId::PersonGuardianship),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "open after the step-up");
    // The menu lists the screen as closed with that reason.
    let (_, body) = f
        .api("/api/session_info", Some(&bob), serde_json::json!({}))
        .await?;
    let info: app::api::UserSession = serde_json::from_slice(&body)?;
    assert!(info.allowed.closed.contains(&(
        ScreenId::PersonGuardianship,
        Denied::ScreenNeedsTwoFactor(ScreenId::PersonGuardianship)
    )));

    // Registry staff signed in with a password: the decision is refused and nothing changes.
    let dora_weak = f.staff_session(Acr::OneFactor)?;
    let dora = f.staff_session(Acr::TwoFactor)?;
    let suspend = permit_change("espoo", PermitAction::Suspend, "epäilty väärinkäyttö");
    let before = engine.audit().len()?;
    let (status, body) = f
        .api("/api/change_permit", Some(&dora_weak), suspend.clone())
        .await?;
    assert_refused(
        status,
        &body,
        Denied::RoleNeedsTwoFactor(Role::RegistryStaff),
        "staff with one factor",
    );
    assert_eq!(engine.audit().len()?, before + 1, "the refusal is recorded");
    let (status, _) = f
        .api(
            "/api/search",
            Some(&bob),
            hetu_search(&f.samples.ordinary[0]),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "the permit is still in force");
    let (status, _) = f.api("/api/change_permit", Some(&dora), suspend).await?;
    assert_eq!(status, StatusCode::OK, "decided after the step-up");
    let (status, body) = f
        .api(
            "/api/search",
            Some(&bob),
            hetu_search(&f.samples.ordinary[0]),
        )
        .await?;
    assert_refused(status, &body, Denied::PermitSuspended, "suspended");
    Ok(())
}

/// An organisation decides later too: its responsible user requires a two-factor sign-in of
/// every user under its permit (from the next query on, a password-only session is asked to
/// step up), and only the registry, with a reason, lets password sign-ins back in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_requires_a_second_factor_and_only_the_registry_lifts_it() -> TestResult {
    let f = fixture()?;
    // Bob is Espoo's responsible user; Frank his colleague; Niko another town's.
    let bob = f.session("bob", "espoo")?;
    let frank = f.session("frank", "espoo")?;
    let frank_strong = f.session_of(Principal {
        acr: Acr::TwoFactor,
        ..principal("frank", "espoo")
    })?;
    let dora = f.staff_session(Acr::TwoFactor)?;
    let search = || hetu_search(&f.samples.ordinary[0]);
    let (_, body) = f
        .api("/api/management", Some(&bob), serde_json::json!({}))
        .await?;
    let m: domain::registry::Management = serde_json::from_slice(&body)?;
    let own = m
        .own_permit
        .ok_or("the responsible user sees their permit")?;
    assert!(!own.two_factor_required);
    assert_eq!(own.actions, vec![PermitAction::RequireTwoFactor]);
    let (status, _) = f.api("/api/search", Some(&frank), search()).await?;
    assert_eq!(status, StatusCode::OK);

    // Another organisation's responsible user cannot.
    let niko = f.session_of(Principal {
        ..principal("hanna", "lansi-uusimaa")
    })?;
    let require = |org: &str| permit_change(org, PermitAction::RequireTwoFactor, "");
    let (status, body) = f
        .api("/api/change_permit", Some(&niko), require("espoo"))
        .await?;
    assert_refused(
        status,
        &body,
        Denied::RegistryStaffOnly,
        "another organisation",
    );

    let (status, _) = f
        .api("/api/change_permit", Some(&bob), require("espoo"))
        .await?;
    assert_eq!(status, StatusCode::OK, "the responsible user tightens");
    let (status, body) = f.api("/api/search", Some(&frank), search()).await?;
    assert_refused(
        status,
        &body,
        Denied::TwoFactorRequired,
        "a password session",
    );
    let (status, _) = f.api("/api/search", Some(&frank_strong), search()).await?;
    assert_eq!(status, StatusCode::OK, "after the step-up");
    // Once on, the same step changes nothing and is refused; lifting it is the registry's.
    let (status, body) = f
        .api("/api/change_permit", Some(&bob), require("espoo"))
        .await?;
    assert_refused(status, &body, Denied::NotFromThisState, "already required");
    let lift = |reason: &str| permit_change("espoo", PermitAction::AllowOneFactor, reason);
    let (status, body) = f
        .api("/api/change_permit", Some(&bob), lift("pyyntö"))
        .await?;
    assert_refused(
        status,
        &body,
        Denied::RegistryStaffOnly,
        "not the organisation",
    );
    let (status, body) = f.api("/api/change_permit", Some(&dora), lift("")).await?;
    assert_ne!(status, StatusCode::OK, "a reason is needed: {body:?}");
    let (status, _) = f
        .api(
            "/api/change_permit",
            Some(&dora),
            lift("organisaation pyyntö"),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "the registry lifts it");
    let (status, _) = f.api("/api/search", Some(&frank), search()).await?;
    assert_eq!(status, StatusCode::OK);
    // Both steps are in the permit's history, with who made them.
    let (_, body) = f
        .api("/api/management", Some(&bob), serde_json::json!({}))
        .await?;
    let m: domain::registry::Management = serde_json::from_slice(&body)?;
    let own = m.own_permit.ok_or("the permit")?;
    let steps: Vec<(String, domain::registry::Change)> = own
        .history
        .iter()
        .map(|h| (h.by.to_string(), h.change.clone()))
        .collect();
    let step = |by: &str, action| {
        (
            by.to_owned(),
            domain::registry::Change::Permit {
                organisation: OrgId::from_static("espoo"),
                action,
            },
        )
    };
    assert!(
        steps.contains(&step("u-bob", PermitAction::RequireTwoFactor)),
        "{steps:?}"
    );
    assert!(
        steps.contains(&step("u-dora", PermitAction::AllowOneFactor)),
        "{steps:?}"
    );
    Ok(())
}

/// The audit trail's signed tree head is public, as a transparency log's is: anyone may read
/// it without signing in, it verifies under the key it names and matches the trail's own
/// root at its size, and it carries no entry (no user, no subject, no purpose).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signed_tree_head_is_public_verifies_and_tells_nothing_else() -> TestResult {
    let f = fixture()?;
    let frank = f.session("frank", "espoo")?;
    let hetu = f.samples.ordinary.first().ok_or("a sample")?.clone();
    let (status, _) = f
        .api("/api/search", Some(&frank), hetu_search(&hetu))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let audit = f.state.engine.audit().clone();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let head = loop {
        let (status, headers, body) = f
            .call(Request::get("/audit/tree-head").body(Body::empty())?)
            .await?;
        if status == StatusCode::OK {
            assert_eq!(
                headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok()),
                Some("application/json")
            );
            let head: serde_json::Value = serde_json::from_slice(&body)?;
            if head["size"].as_u64() == Some(audit.len()?) {
                break head;
            }
        } else {
            assert_eq!(status, StatusCode::NOT_FOUND, "before the first head");
        }
        assert!(std::time::Instant::now() < deadline, "no head signed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let signed: engine::audit::heads::SignedHead = serde_json::from_value(head.clone())?;
    let public = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        head["public_key"].as_str().ok_or("public key")?,
    )?;
    let public: [u8; 32] = public.as_slice().try_into()?;
    assert!(signed.signed_by(&public));
    let (size, root) = audit.tree_head()?;
    assert_eq!((signed.size, signed.root_hash()), (size, Some(root)));
    let text = head.to_string();
    for secret in [hetu.as_str(), "frank", "espoo", "u-frank"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let (status, _, body) = f
        .call(Request::get("/audit/checkpoint").body(Body::empty())?)
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(String::from_utf8(body)?, signed.note());
    Ok(())
}

/// The audit trail's readers: registry staff after two factors read the whole trail, a
/// responsible user their own organisation's queries; a query user, a user without a right,
/// one-factor staff and a responsible user asking for another organisation are refused, each
/// on record. The CSV export answers as the page does, in the reader's language, and says
/// what to mend in a search that breaks a rule.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trail_matrix_lets_only_the_registry_and_an_organisations_responsible_users_read()
-> TestResult {
    let f = fixture()?;
    let engine = &f.state.engine;
    let frank = f.session("frank", "espoo")?;
    let eve = f.session("eve", "espoo")?;
    let bob = f.session("bob", "espoo")?;
    let alice = f.session("alice", "poliisi")?;
    let one_factor = f.staff_session(Acr::OneFactor)?;
    let dora = f.staff_session(Acr::TwoFactor)?;
    let of = |org: &str| serde_json::json!({ "form": { "organisation": org } });
    let blank = serde_json::json!({ "form": {} });
    let cases: Vec<(&str, &String, serde_json::Value, Denied)> = vec![
        (
            "query user",
            &frank,
            blank.clone(),
            Denied::NotResponsibleUser,
        ),
        ("no right", &eve, blank.clone(), Denied::NotResponsibleUser),
        (
            "one-factor staff",
            &one_factor,
            blank.clone(),
            Denied::RoleNeedsTwoFactor(Role::RegistryStaff),
        ),
        (
            "another organisation's responsible user",
            &bob,
            of("poliisi"),
            Denied::NotResponsibleUser,
        ),
        (
            "another organisation's responsible user",
            &alice,
            of("espoo"),
            Denied::NotResponsibleUser,
        ),
    ];
    for endpoint in behind(Door::Trail) {
        for (name, cookie, args, want) in &cases {
            // The alerts name no organisation: another organisation's are not asked for
            // there (and are not found: the engine's alerts test).
            let args = match endpoint {
                "/api/trail" => args.clone(),
                _ if *args == blank => args_for(endpoint, &f, None),
                _ => continue,
            };
            let before = engine.audit().len()?;
            let (status, body) = f.api(endpoint, Some(cookie), args).await?;
            assert_refused(status, &body, *want, &format!("{name}: {endpoint}"));
            let last = engine.audit().entries_after(before, 2)?;
            assert_eq!(last.len(), 1, "{name}: {endpoint} audited once");
            assert!(
                matches!(&last[0].entry.event, AuditEvent::ServiceRefused { reason } if reason == want),
                "{name}: {:?}",
                last[0].entry.event
            );
        }
    }
    // Those who may read do, each as far as they may.
    let page = |body: &[u8]| serde_json::from_slice::<domain::trail::TrailPage>(body);
    let (status, body) = f.api("/api/trail", Some(&bob), blank.clone()).await?;
    assert_eq!(status, StatusCode::OK);
    let espoo = page(&body)?;
    assert!(!espoo.registry && espoo.organisation.as_deref() == Some("espoo"));
    let (status, body) = f.api("/api/trail", Some(&bob), of("espoo")).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(page(&body)?.rows.iter().all(|r| r.organisation == "espoo"));
    let (status, body) = f.api("/api/trail", Some(&dora), of("poliisi")).await?;
    assert_eq!(status, StatusCode::OK);
    let theirs = page(&body)?;
    assert!(theirs.registry && theirs.organisation.as_deref() == Some("poliisi"));
    assert!(theirs.rows.iter().all(|r| r.organisation == "poliisi"));
    let (_, body) = f.api("/api/trail", Some(&dora), blank.clone()).await?;
    assert_eq!(page(&body)?.organisation, None);
    // A search that breaks a rule: 422 naming the field, nothing read, nothing recorded.
    let before = engine.audit().len()?;
    let (status, body) = f
        .api(
            "/api/trail",
            Some(&dora),
            serde_json::json!({ "form": { "from": "2.12.2026", "to": "1.12.2026" } }),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(matches!(
        serde_json::from_slice::<AppError>(&body)?,
        AppError::Invalid(fields) if fields[0].field == Field::PeriodTo
    ));
    assert_eq!(engine.audit().len()?, before);
    // The CSV: refused as a file that is not there, in the reader's language when allowed.
    let csv = |cookie: &String, query: &str, lang: &str| {
        Request::get(format!("/files/trail.csv?{query}"))
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, format!("{cookie}; kysely_lang={lang}"))
            .body(Body::empty())
    };
    for cookie in [&frank, &one_factor] {
        let (status, _, _) = f.call(csv(cookie, "", "fi")?).await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _, _) = f.call(csv(&bob, "organisation=poliisi", "fi")?).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let before = engine.audit().len()?;
    let (status, headers, body) = f.call(csv(&dora, "user=u-dora", "sv")?).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()),
        Some(&b"text/csv; charset=utf-8"[..])
    );
    assert!(
        headers
            .get(header::CONTENT_DISPOSITION)
            .is_some_and(|v| v.as_bytes().starts_with(b"attachment"))
    );
    let text = String::from_utf8(body)?;
    assert!(text.starts_with("Nummer;Tid;Organisation;"), "{text}");
    // Dora's own reads of the trail above are in it.
    assert!(text.lines().count() > 1, "{text}");
    let last = engine.audit().entries_after(before, 2)?;
    assert!(matches!(
        last[0].entry.event,
        AuditEvent::TrailRead { exported: true, .. }
    ));
    let (status, _, body) = f.call(csv(&dora, "from=31.4.2026", "en")?).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8(body)?.contains("day"));
    Ok(())
}
