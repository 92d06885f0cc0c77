//! Request middleware, outermost first: the client's real address (behind a trusted proxy),
//! request id and security headers (CSP with a per-request nonce, nosniff, frame-ancestors,
//! no-store), then the session gate: it resolves the session cookie to a principal, refuses
//! cross-site calls to `/api`, `/files` and the logout route, limits what a client without a
//! session may ask per minute, answers 401 to unauthenticated server-function calls and sends
//! unauthenticated page requests to login.

use crate::state::AppState;
use app::cx::{RequestId, RequestIdentity};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine as _;
use domain::Lang;
use engine::Peek;
use rand::RngCore;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The per-request CSP nonce, for the hydration script.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The client's address as the audit trail records it.
#[derive(Clone, Debug)]
pub struct Source(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Source {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Source(source_of(&parts.extensions)))
    }
}

/// The client's real address: the peer, or the client a trusted proxy forwarded for.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(client_of(&parts.extensions))
    }
}

/// Set by `security_headers`; without it (a request built in a test), the peer, else
/// `0.0.0.0`.
fn client_of(extensions: &http::Extensions) -> ClientAddr {
    extensions.get::<ClientAddr>().copied().unwrap_or_else(|| {
        ClientAddr(
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        )
    })
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// The language from the `kysely_lang` cookie, else the browser's first known language, else Finnish.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    if let Some(lang) =
        cookie_value(headers, app::i18n::LANG_COOKIE).and_then(|v| Lang::from_tag(&v))
    {
        return lang;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|part| Lang::from_tag(part.split(';').next().unwrap_or("")))
        })
        .unwrap_or_default()
}

/// A minimal server-rendered page for the login flow, in the user's language.
pub fn page(lang: Lang, title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} – Kysely</title><link rel=\"stylesheet\" href=\"/pkg/kysely.css\"></head><body><main id=\"main\" class=\"plain\">{body}</main></body></html>",
        lang.tag()
    ))
}

/// Paths anyone may fetch as often as they like: the static files and the health check.
fn is_unlimited(path: &str) -> bool {
    path.starts_with("/pkg/") || matches!(path, "/healthz" | "/favicon.ico" | "/favicon.svg")
}

fn is_public(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/auth/")
        || matches!(
            path,
            "/healthz"
                | "/favicon.ico"
                | "/favicon.svg"
                | "/robots.txt"
                | "/audit/tree-head"
                | "/audit/checkpoint"
        )
}

fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    // Browsers set Sec-Fetch-Site themselves (scripts cannot); it is the stronger signal. Some
    // requests carry `Origin: null` (privacy-sensitive contexts), so Origin is the fallback.
    match (fetch_site, origin) {
        (Some(site), _) => site == "same-origin",
        (None, Some(origin)) => origin == public_url,
        (None, None) => false,
    }
}

/// Requests that are not use of the session: the countdown's question of how long it has left,
/// and the signed-out page the countdown leaves for (counting that as use would restart an idle
/// session at its last second and send the browser back into the application).
const NOT_USE: [&str; 2] = ["/api/session_left", app::EXPIRED_PATH];

/// Resolves the session, enforces the origin check and sends anonymous users to login.
pub async fn session_gate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let request_id = req.extensions().get::<RequestId>().map_or_else(
        || uuid::Uuid::new_v4().simple().to_string(),
        |r| r.0.clone(),
    );
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let path = req.uri().path().to_owned();
    let is_api = path.starts_with("/api/");
    // Downloads too: a file is fetched from the app's own pages, and a link from another site
    // must not make a signed-in user read (and be audited reading) anything.
    let origin_checked = is_api
        || path.starts_with("/files/")
        || (req.method() == Method::POST && path.starts_with("/auth/"));
    // Server functions are POST only; anything else gets the client's error shape, not the
    // framework's empty 405.
    if is_api && req.method() != Method::POST {
        return crate::routes::api_error(
            StatusCode::METHOD_NOT_ALLOWED,
            &app::error::AppError::BadRequest,
        );
    }
    if origin_checked && !same_origin(req.headers(), &state.config.public_url) {
        tracing::warn!(%request_id, path = ?path, "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    let token = cookie_value(req.headers(), state.config.session_cookie());
    let session = match token {
        // A read on this thread: a thread hop per request costs more than the lookup. The
        // rare writes (refreshing `last_seen`, removing an expired session) go to a blocking
        // task and are not waited for.
        Some(token) => match state.sessions.peek(&token) {
            Ok(Peek::Live { session, stale }) => {
                // The countdown's question is not use: answering it must not keep an
                // unattended session alive.
                if stale && !NOT_USE.contains(&path.as_str()) {
                    let sessions = state.sessions.clone();
                    let token = token.clone();
                    // The moment of use is this request's, however late the write lands.
                    let used = sessions.now();
                    tokio::task::spawn_blocking(move || {
                        if let Err(e) = sessions.touch_at(&token, used) {
                            tracing::warn!(error = %e, "session last-seen not recorded");
                        }
                    });
                }
                Some((session, token))
            }
            Ok(Peek::Expired) => {
                let sessions = state.sessions.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = sessions.remove(&token) {
                        tracing::warn!(error = %e, "expired session not removed");
                    }
                });
                None
            }
            Ok(Peek::Missing) => None,
            Err(e) => {
                tracing::error!(%request_id, error = %e, "session store failed");
                return unavailable(is_api, &request_id);
            }
        },
        None => None,
    };
    if session.is_none() && !is_unlimited(&path) {
        let client = client_of(req.extensions()).0.to_string();
        let now = state.engine.clock().now().0;
        if let Err(retry) = state.limits.anonymous.take(&client, now) {
            tracing::warn!(%request_id, %client, "requests without a session over the limit");
            return too_many(is_api, request_lang(req.headers()), retry);
        }
    }
    match session {
        Some((session, session_token)) => {
            let source = source_of(req.extensions());
            req.extensions_mut().insert(RequestIdentity {
                principal: session.principal,
                request_id,
                source,
                purpose: session.purpose,
                case_ref: session.case_ref,
                session_token,
            });
            next.run(req).await
        }
        None if is_public(&path) => next.run(req).await,
        None if is_api => {
            let body =
                serde_json::to_string(&app::error::AppError::Unauthenticated).unwrap_or_default();
            (
                StatusCode::UNAUTHORIZED,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response()
        }
        None => {
            let return_to = req.uri().path_and_query().map_or("/", |p| p.as_str());
            let target = domain::signin::sign_in_path(return_to, false);
            Redirect::to(&target).into_response()
        }
    }
}

/// 429 in the shape the client reads, with `Retry-After`.
fn too_many(is_api: bool, lang: Lang, retry_after: u64) -> Response {
    if !is_api {
        return crate::auth::too_many(lang, retry_after);
    }
    let body = serde_json::to_string(&app::error::AppError::TooManyRequests { retry_after })
        .unwrap_or_default();
    let mut res = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// 503 in the shape the client reads: the `AppError` JSON for server functions.
fn unavailable(is_api: bool, request_id: &str) -> Response {
    if is_api {
        let body = serde_json::to_string(&app::error::AppError::Unavailable {
            reference: request_id.to_owned(),
        })
        .unwrap_or_default();
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    (StatusCode::SERVICE_UNAVAILABLE, "service unavailable").into_response()
}

fn source_of(extensions: &http::Extensions) -> String {
    client_of(extensions).0.to_string()
}

/// Security headers on every response; a fresh CSP nonce per request.
pub async fn security_headers(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = client_of(req.extensions()).0;
    let client = crate::net::client_address(peer, req.headers(), &state.config.trusted_proxies);
    req.extensions_mut().insert(ClientAddr(client));
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    let nonce = base64::engine::general_purpose::STANDARD.encode(bytes);
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    // The id every log line and error reference of this request carries, and the response
    // names, so support can find the request from what the user sees.
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let static_asset = req.uri().path().starts_with("/pkg/") || req.uri().path() == "/favicon.svg";
    let mut res = next.run(req).await;
    let issuer_origin = origin_of(&state.config.oidc_issuer);
    let csp = format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; \
         form-action 'self' {issuer_origin}; frame-ancestors 'none'"
    );
    let h = res.headers_mut();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    };
    set("content-security-policy", &csp);
    set("x-request-id", &request_id);
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    // Same-origin only: paths (with subject ids) never leak to the identity provider.
    set("referrer-policy", "same-origin");
    set("cross-origin-opener-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if state.config.public_url.starts_with("https://") {
        set(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    if !static_asset {
        set("cache-control", "no-store");
    }
    res
}

fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => url[..after_scheme + i].to_owned(),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_rules() {
        let public = "http://127.0.0.1:3000";
        let mut h = HeaderMap::new();
        assert!(!same_origin(&h, public), "neither header: refused");
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:3000"),
        );
        assert!(same_origin(&h, public));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h, public));
        let mut h = HeaderMap::new();
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!same_origin(&h, public));
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h, public));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(
            same_origin(&h, public),
            "a form post under a strict referrer policy"
        );
        h.insert("sec-fetch-site", HeaderValue::from_static("same-site"));
        assert!(
            !same_origin(&h, public),
            "another port or subdomain is not this origin"
        );
    }

    #[test]
    fn language_from_cookie_then_accept_language() {
        let mut h = HeaderMap::new();
        assert_eq!(request_lang(&h), Lang::Fi);
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de-DE,sv-FI;q=0.8,en;q=0.5"),
        );
        assert_eq!(request_lang(&h), Lang::Sv);
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; kysely_lang=en"),
        );
        assert_eq!(request_lang(&h), Lang::En);
    }

    #[test]
    fn issuer_origin() {
        assert_eq!(origin_of("http://127.0.0.1:4444"), "http://127.0.0.1:4444");
        assert_eq!(
            origin_of("https://id.example/realms/x"),
            "https://id.example"
        );
    }
}
