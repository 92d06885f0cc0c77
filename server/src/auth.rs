//! The login, callback and logout routes. A sign-in in progress lives in bounded memory, keyed
//! by `state`, usable once, and bound to the browser that started it by a short-lived cookie
//! holding a hash of the `state`; the callback checks that cookie, `iss`, the token and a fresh
//! authentication, and every refusal is audited. The session id is new at every login. Logout
//! ends the app session first (and says so only if it did), then the provider's, with a
//! `state` checked on the way back; the signed-out page clears the site's data.

mod texts;
use texts as t;
pub use texts::TOO_MANY;

use crate::middleware::{ClientAddr, Source, cookie_value, page, request_lang};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::Who;
use domain::audit::{LoginRefusal, SessionEvent};
use domain::principal::ClaimsError;
use domain::{Actor, Lang, Principal, Text};
use engine::{FLOW_TTL_SECONDS, LoginFlow, TerminalProfile};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The longest `return_to` kept; a longer one is replaced by the front page.
pub const RETURN_TO_MAX: usize = 512;
/// A provider's `auth_time` older than this is not the fresh authentication asked for.
const FRESH_SECONDS: i64 = 300;

#[derive(Deserialize)]
pub struct LoginQuery {
    return_to: Option<String>,
    /// Present when the user asks to sign in again with a second factor (step-up): the
    /// provider is asked for it with `acr_values`; what the token says decides.
    step_up: Option<String>,
}

/// Where to go after sign-in: only a path of this origin, parsed and normalised. Anything
/// else (another host, a scheme, a control character or backslash that a browser would
/// drop or turn into `//`, an overlong value) becomes `/`. The result is checked, not only
/// the input: dot segments (`/.//host`, `/%2e%2e//host`) become `//host` only once resolved.
pub fn local_path(public_url: &str, p: Option<&str>) -> String {
    let Some(p) = p else { return "/".into() };
    let plain = p.len() <= RETURN_TO_MAX
        && p.starts_with('/')
        && !p.starts_with("//")
        && p.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if !plain {
        return "/".into();
    }
    let Ok(base) = openidconnect::url::Url::parse(public_url) else {
        return "/".into();
    };
    match base.join(p) {
        Ok(url) if url.origin() == base.origin() => {
            let mut out = url.path().to_owned();
            if let Some(q) = url.query() {
                out.push('?');
                out.push_str(q);
            }
            if leads_home(&out) { out } else { "/".into() }
        }
        _ => "/".into(),
    }
}

/// Whether `path`, sent as a `Location`, leads to the origin that sent it whatever that origin
/// is: one leading slash not followed by another slash or a backslash (which browsers read as
/// `//`, a host), and nothing but visible ASCII without backslashes.
fn leads_home(path: &str) -> bool {
    path.starts_with('/')
        && !matches!(path.as_bytes().get(1), Some(b'/' | b'\\'))
        && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

/// The binding cookie's value for a `state`: a browser that did not start the sign-in does
/// not hold it.
fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

fn failure(lang: Lang, status: StatusCode, detail: Text, reference: &str) -> Response {
    let body = format!(
        "<h1>{}</h1><p id=\"auth-error\" role=\"alert\">{}</p><p>Ref: <code>{}</code></p><p><a href=\"/auth/login\">{}</a></p>",
        t::LOGIN_FAILED.get(lang),
        detail.get(lang),
        reference,
        t::TRY_AGAIN.get(lang)
    );
    (status, page(lang, t::LOGIN_FAILED.get(lang), &body)).into_response()
}

/// 429 with `Retry-After`, in the user's language.
pub fn too_many(lang: Lang, retry_after: u64) -> Response {
    let body = format!(
        "<h1>{}</h1><p id=\"auth-error\" role=\"alert\">{}</p>",
        t::LOGIN_FAILED.get(lang),
        t::TOO_MANY.get(lang)
    );
    let mut res = (
        StatusCode::TOO_MANY_REQUESTS,
        page(lang, t::LOGIN_FAILED.get(lang), &body),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

fn set_cookie(res: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// A short-lived cookie binding a sign-in or sign-out `state` to this browser.
fn binding_cookie(state: &AppState, purpose: &str, value: &str, max_age: i64) -> String {
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        state.config.binding_cookie(purpose),
        state.config.cookie_secure()
    )
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: ClientAddr,
    Query(q): Query<LoginQuery>,
) -> Response {
    let lang = request_lang(&headers);
    let reference = uuid::Uuid::new_v4().simple().to_string();
    let now = state.engine.clock().now();
    if let Err(retry) = state.limits.sign_in.take(&client.0.to_string(), now.0) {
        return too_many(lang, retry);
    }
    let profile = state.config.terminal_of(client.0, &headers);
    let acr = q.step_up.is_some().then_some(domain::Acr::TWO_FACTOR);
    let auth = match state.oidc.authorize(lang.tag(), acr).await {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(%reference, error = ?e.to_string(), "login could not start");
            return failure(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                t::PROVIDER_UNREACHABLE,
                &reference,
            );
        }
    };
    let flow = LoginFlow {
        nonce: auth.nonce,
        pkce_verifier: auth.pkce_verifier,
        return_to: local_path(&state.config.public_url, q.return_to.as_deref()),
        profile,
        created: now,
    };
    state.pending.put(&auth.state, flow);
    let mut response = Redirect::to(&auth.url).into_response();
    set_cookie(
        &mut response,
        &binding_cookie(&state, "login", &state_hash(&auth.state), FLOW_TTL_SECONDS),
    );
    response
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

/// Records a refused sign-in under the address it came from (nobody is known yet).
async fn refused(state: &AppState, source: &Source, reference: &str, reason: LoginRefusal) {
    let actor = Actor {
        who: Who::System {
            task: "sign-in".into(),
        },
        request_id: reference.to_owned(),
        purpose: None,
        case_ref: None,
        source: source.0.clone(),
    };
    if let Err(e) = state
        .engine
        .record(&actor, SessionEvent::LoginRefused { reason })
        .await
    {
        tracing::error!(%reference, error = %e, "refused sign-in could not be audited");
    }
}

/// The user cancelled at the provider: nothing failed, so no error and no reference, just the
/// way back in. The sign-in this browser started (if it did) is over, and its link offers to
/// start again towards the page it was for.
async fn cancelled(
    state: &AppState,
    headers: &HeaderMap,
    source: &Source,
    reference: &str,
    st: Option<&str>,
) -> Response {
    let lang = request_lang(headers);
    let bound = cookie_value(headers, &state.config.binding_cookie("login"));
    let flow = st
        .filter(|st| bound.as_deref() == Some(state_hash(st).as_str()))
        .and_then(|st| state.pending.take(st));
    let return_to = flow.map_or_else(|| "/".to_owned(), |f| f.return_to);
    refused(state, source, reference, LoginRefusal::Cancelled).await;
    let title = t::CANCELLED_TITLE;
    let body = format!(
        "<h1>{}</h1><p id=\"auth-cancelled\" role=\"status\">{}</p><p><a href=\"{}\">{}</a></p>",
        title.get(lang),
        t::CANCELLED_DETAIL.get(lang),
        domain::signin::sign_in_path(&return_to, false),
        t::SIGN_IN.get(lang),
    );
    let mut res = (StatusCode::OK, page(lang, title.get(lang), &body)).into_response();
    set_cookie(&mut res, &binding_cookie(state, "login", "", 0));
    res
}

pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    source: Source,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let lang = request_lang(&headers);
    let reference = uuid::Uuid::new_v4().simple().to_string();
    let expired = t::FLOW_EXPIRED;
    let other_browser = t::OTHER_BROWSER;
    let not_accepted = t::NOT_ACCEPTED;
    let fail = |status, text, reason| {
        let state = state.clone();
        let source = source.clone();
        let reference = reference.clone();
        async move {
            refused(&state, &source, &reference, reason).await;
            let mut res = failure(lang, status, text, &reference);
            set_cookie(&mut res, &binding_cookie(&state, "login", "", 0));
            res
        }
    };
    if let Some(error) = q.error {
        // The provider's words are logged as quoted, escaped strings: a newline in them cannot
        // forge a log line.
        tracing::info!(%reference, error = ?error, "provider returned an error to the callback");
        if error == "access_denied" {
            return cancelled(&state, &headers, &source, &reference, q.state.as_deref()).await;
        }
        return fail(
            StatusCode::BAD_REQUEST,
            not_accepted,
            LoginRefusal::ProviderError,
        )
        .await;
    }
    let (Some(code), Some(st)) = (q.code, q.state) else {
        return fail(StatusCode::BAD_REQUEST, expired, LoginRefusal::UnknownState).await;
    };
    // The browser that started this sign-in holds the hash of its state (sign-in CSRF: an
    // attacker's callback link must not sign the victim in as the attacker).
    let bound = cookie_value(&headers, &state.config.binding_cookie("login"));
    if bound.as_deref() != Some(state_hash(&st).as_str()) {
        tracing::warn!(%reference, "callback from a browser that did not start the sign-in");
        return fail(
            StatusCode::BAD_REQUEST,
            other_browser,
            LoginRefusal::OtherBrowser,
        )
        .await;
    }
    let Some(flow) = state.pending.take(&st) else {
        return fail(StatusCode::BAD_REQUEST, expired, LoginRefusal::UnknownState).await;
    };
    // RFC 9207: the response must come from the issuer we sent the user to (mix-up defence).
    if q.iss.as_deref() != Some(state.oidc.issuer()) {
        tracing::warn!(%reference, iss = ?q.iss, "callback iss mismatch");
        return fail(
            StatusCode::BAD_REQUEST,
            not_accepted,
            LoginRefusal::IssuerMismatch,
        )
        .await;
    }
    let login = match state
        .oidc
        .finish(code, &flow.nonce, flow.pkce_verifier)
        .await
    {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(%reference, error = ?e.to_string(), "code exchange or ID token refused");
            return fail(
                StatusCode::BAD_REQUEST,
                not_accepted,
                LoginRefusal::TokenRefused,
            )
            .await;
        }
    };
    // Every sign-in asks for a fresh authentication (prompt=login, max_age=0): check the
    // provider really did one, by the signed auth_time, not by what was asked.
    let now_seconds = state.engine.clock().now().0 / 1000;
    let fresh = login
        .auth_time
        .is_some_and(|t| (now_seconds - t).abs() <= FRESH_SECONDS);
    if !fresh {
        tracing::warn!(%reference, auth_time = ?login.auth_time, "sign-in without a fresh authentication");
        return fail(
            StatusCode::BAD_REQUEST,
            not_accepted,
            LoginRefusal::NotFresh,
        )
        .await;
    }
    let principal = match Principal::from_claims(&login.claims) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(%reference, error = ?e.to_string(), "claims do not make a principal");
            let (text, reason) = match e {
                ClaimsError::NoSubject | ClaimsError::NoOrganisation => {
                    (t::NO_ORGANISATION, LoginRefusal::NoOrganisation)
                }
                ClaimsError::MalformedOrganisation | ClaimsError::MalformedSubject => {
                    (t::MALFORMED_IDENTITY, LoginRefusal::MalformedIdentity)
                }
            };
            return fail(StatusCode::FORBIDDEN, text, reason).await;
        }
    };
    let actor = Actor::user(principal.clone(), reference.clone(), source.0.clone());
    if let Err(e) = state
        .engine
        .record(&actor, SessionEvent::LoginSucceeded { acr: principal.acr })
        .await
    {
        tracing::error!(%reference, error = %e, "login could not be audited; refusing it");
        return failure(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            t::UNAVAILABLE,
            &reference,
        );
    }
    // A new random session id at every login (no fixation); any old session is dropped.
    let old = cookie_value(&headers, state.config.session_cookie());
    let sessions = state.sessions.clone();
    let address = source.0.clone();
    let created = tokio::task::spawn_blocking(move || {
        if let Some(old) = old {
            sessions.remove(&old)?;
        }
        sessions.create(principal, flow.profile, &address)
    })
    .await;
    let token = match created {
        Ok(Ok(t)) => t,
        _ => {
            tracing::error!(%reference, "session could not be stored");
            return failure(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                t::UNAVAILABLE,
                &reference,
            );
        }
    };
    let mut response = Redirect::to(&flow.return_to).into_response();
    set_cookie(&mut response, &session_cookie(&state, &token, flow.profile));
    set_cookie(&mut response, &binding_cookie(&state, "login", "", 0));
    response
}

/// The session cookie. A kiosk's has no `Max-Age`: it dies with the browser, so a kiosk
/// restarted between customers holds nothing.
fn session_cookie(state: &AppState, token: &str, profile: TerminalProfile) -> String {
    let lifetime = match profile {
        TerminalProfile::Desktop => format!(
            "; Max-Age={}",
            state.config.session_limits.absolute_seconds(profile)
        ),
        TerminalProfile::Kiosk => String::new(),
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax{lifetime}{}",
        state.config.session_cookie(),
        state.config.cookie_secure()
    )
}

fn clear_cookie(state: &AppState) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        state.config.session_cookie(),
        state.config.cookie_secure()
    )
}

/// POST only (the origin check covers it): ends the app session, then the provider's. If the
/// session could not be ended, the user is told so and keeps the cookie to try again.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, source: Source) -> Response {
    let lang = request_lang(&headers);
    let reference = uuid::Uuid::new_v4().simple().to_string();
    let token = cookie_value(&headers, state.config.session_cookie());
    let sessions = state.sessions.clone();
    let ended = match token {
        Some(t) => match tokio::task::spawn_blocking(move || sessions.remove(&t)).await {
            Ok(Ok(found)) => found,
            failed => {
                let error = match failed {
                    Ok(Err(e)) => e.to_string(),
                    Err(e) => e.to_string(),
                    Ok(Ok(_)) => String::new(),
                };
                tracing::error!(%reference, %error, "session could not be ended at sign-out");
                return logout_failed(lang, &reference);
            }
        },
        None => None,
    };
    let mut target = "/auth/logged-out".to_owned();
    let mut bind = None;
    if let Some(session) = ended {
        let actor = Actor::user(
            session.principal.clone(),
            reference.clone(),
            source.0.clone(),
        );
        if let Err(e) = state.engine.record(&actor, SessionEvent::LoggedOut).await {
            tracing::error!(%reference, error = %e, "logout could not be audited");
        }
        let logout_state = engine::random_token();
        if let Some(url) = state
            .oidc
            .logout_url(&state.config.post_logout_uri(), &logout_state, lang.tag())
            .await
        {
            target = url;
            bind = Some(state_hash(&logout_state));
        }
    }
    let mut response = Redirect::to(&target).into_response();
    set_cookie(&mut response, &clear_cookie(&state));
    if let Some(hash) = bind {
        set_cookie(
            &mut response,
            &binding_cookie(&state, "logout", &hash, FLOW_TTL_SECONDS),
        );
    }
    response
}

fn logout_failed(lang: Lang, reference: &str) -> Response {
    let title = t::LOGOUT_FAILED_TITLE;
    let detail = t::LOGOUT_FAILED_DETAIL;
    let again = t::SIGN_OUT;
    let body = format!(
        "<h1>{}</h1><p id=\"auth-error\" role=\"alert\">{}</p><p>Ref: <code>{reference}</code></p>\
         <form method=\"post\" action=\"/auth/logout\"><button type=\"submit\">{}</button></form>",
        title.get(lang),
        detail.get(lang),
        again.get(lang)
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        page(lang, title.get(lang), &body),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct LoggedOutQuery {
    state: Option<String>,
}

/// Where the provider sends the browser after its sign-out. "Signed out" only when the
/// provider came back with the `state` this browser's sign-out sent; otherwise the app session
/// has ended but the provider's may not have, and the page says so. A browser that signed out
/// here is told to drop everything of this site (cookies, storage, cache).
pub async fn logged_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoggedOutQuery>,
) -> Response {
    let lang = request_lang(&headers);
    let bound = cookie_value(&headers, &state.config.binding_cookie("logout"));
    let confirmed = matches!((&q.state, &bound), (Some(s), Some(b)) if state_hash(s) == *b);
    let title = if confirmed {
        t::LOGGED_OUT_TITLE
    } else {
        t::SESSION_ENDED_TITLE
    };
    let note = if confirmed {
        String::new()
    } else {
        format!(
            "<p id=\"logout-unconfirmed\" role=\"status\">{}</p>",
            t::LOGOUT_UNCONFIRMED.get(lang)
        )
    };
    let again = t::SIGN_IN;
    let body = format!(
        "<h1 id=\"logged-out\">{}</h1>{note}<p><a id=\"sign-in\" href=\"/auth/login\">{}</a></p>",
        title.get(lang),
        again.get(lang)
    );
    let mut res = page(lang, title.get(lang), &body).into_response();
    // Only a browser that signed out here holds the binding cookie: a link from another site
    // to this page must not wipe a signed-in user's cookies (a forced sign-out).
    if bound.is_some() {
        res.headers_mut().insert(
            "clear-site-data",
            HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
        );
    }
    res
}

/// Text for an HTML page: the markup characters as entities (a name from the provider is
/// anyone's words).
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Where the browser's countdown sends it when the session has ended. A browser whose session
/// is still live goes back to the application (a link from another site cannot sign anyone
/// out); otherwise the page drops everything the browser holds of this site (cookies,
/// storage, cache) and offers a fresh sign-in, which asks for credentials again.
pub async fn expired(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = request_lang(&headers);
    let mut blocked = None;
    if let Some(token) = cookie_value(&headers, state.config.session_cookie()) {
        let sessions = state.sessions.clone();
        // A session with time left goes back to the application; one at its very end (the
        // countdown reached zero on the same second) is ended here.
        // `None`: still live; `Some(by)`: ended, and by whose block if it was one.
        let ended = tokio::task::spawn_blocking(move || match sessions.peek(&token)? {
            engine::Peek::Live { session, .. } if sessions.time_left(&session).seconds > 1 => {
                Ok(None)
            }
            engine::Peek::Live { .. } => sessions.remove(&token).map(|_| Some(None)),
            _ => sessions.ended_by(&token).map(Some),
        })
        .await;
        match ended {
            Ok(Ok(None)) => return Redirect::to("/").into_response(),
            Ok(Ok(Some(by))) => blocked = by,
            _ => {}
        }
    }
    let again = t::SIGN_IN;
    let title = if blocked.is_some() {
        t::BLOCKED_TITLE
    } else {
        t::EXPIRED_TITLE
    };
    let body = match blocked {
        // The browser of a blocked user is told by whom and when, here where it ends.
        Some(by) => format!(
            "<h1 id=\"session-ended\">{}</h1><p id=\"blocked-by\">{}</p><p><a id=\"sign-in\" href=\"/auth/login\">{}</a></p>",
            t::BLOCKED_TITLE.get(lang),
            escape_html(&app::i18n::fill(
                t::BLOCKED_DETAIL.get(lang),
                &[&by.by_name, &by.at.finnish_local()]
            )),
            again.get(lang)
        ),
        None => format!(
            "<h1 id=\"session-ended\">{}</h1><p>{}</p><p><a id=\"sign-in\" href=\"/auth/login\">{}</a></p>",
            t::EXPIRED_TITLE.get(lang),
            t::EXPIRED_DETAIL.get(lang),
            again.get(lang)
        ),
    };
    let mut res = page(lang, title.get(lang), &body).into_response();
    set_cookie(&mut res, &clear_cookie(&state));
    res.headers_mut().insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn return_to_is_a_normalised_path_of_this_origin() {
        let base = "http://127.0.0.1:3000";
        let ok = |p: &str| local_path(base, Some(p));
        assert_eq!(ok("/person/x/basic"), "/person/x/basic");
        assert_eq!(ok("/search?kind=hetu&a=b"), "/search?kind=hetu&a=b");
        assert_eq!(ok("/a/../b/./c"), "/b/c", "dot segments resolved");
        for attack in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "\t//evil.example",
            "evil.example",
            "",
            "/\u{7f}/evil.example",
            "/ä",
        ] {
            assert_eq!(ok(attack), "/", "{attack:?}");
        }
        assert_eq!(ok(&format!("/{}", "a".repeat(super::RETURN_TO_MAX))), "/");
        assert_eq!(
            ok(&format!("/{}", "a".repeat(super::RETURN_TO_MAX - 1))).len(),
            super::RETURN_TO_MAX
        );
        assert_eq!(local_path(base, None), "/");
    }

    /// The shape of the attack, not one example: 50,000 return paths put together from the
    /// pieces bypasses are made of (dot segments and their encodings, slashes, backslashes,
    /// tabs and newlines, schemes without slashes, userinfo, hosts), each read as a browser
    /// reads a `Location` (the WHATWG parser of the `url` crate) against two unrelated pages:
    /// wherever the user is sent stays on the page's own origin.
    #[test]
    fn no_return_path_leads_to_another_origin() {
        use openidconnect::url::Url;
        const PIECES: [&str; 34] = [
            "/",
            "//",
            "\\",
            "/\\",
            "%2f",
            "%2F",
            "%5c",
            "%5C",
            ".",
            "..",
            "%2e",
            "%2E",
            "%2e%2e",
            ".%2e",
            "\t",
            "\n",
            "\r",
            "%09",
            "%0a",
            "%0d",
            " ",
            "https:",
            "http:",
            "javascript:",
            "@",
            "evil.example",
            "evil.example:80",
            "a",
            "?",
            "#",
            ":",
            "%40",
            "%00",
            "／",
        ];
        let base = "http://127.0.0.1:3000";
        let pages = [
            Url::parse("http://127.0.0.1:3000/person/x/basic"),
            Url::parse("https://kysely.example/a/b/c"),
        ];
        let mut seed = 20_261_206u64;
        let mut next = |n: usize| {
            // xorshift: deterministic and dependency-free.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap_or(0)
        };
        let mut moved = 0;
        for case in 0..50_000 {
            let mut input = String::new();
            // Most start as the check expects, with one slash.
            if case % 4 != 0 {
                input.push('/');
            }
            for _ in 0..1 + next(6) {
                input.push_str(PIECES[next(PIECES.len())]);
            }
            let out = local_path(base, Some(&input));
            if out != "/" {
                moved += 1;
            }
            for page in &pages {
                let Ok(page) = page else {
                    unreachable!("the pages parse")
                };
                let Ok(target) = page.join(&out) else {
                    unreachable!("{input:?} → {out:?} is no URL reference");
                };
                assert_eq!(
                    target.origin(),
                    page.origin(),
                    "{input:?} → {out:?} leads from {page} to {target}"
                );
            }
        }
        assert!(
            moved > 5_000,
            "the cases are not all refused outright: {moved}"
        );
    }
}
