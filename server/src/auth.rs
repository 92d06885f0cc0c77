//! The login, callback and logout routes. State, nonce and PKCE verifier live server-side,
//! keyed by `state` and usable once; the callback checks `iss`; the session id is rotated at
//! every login; logout ends the app session first, then the provider's (RP-initiated logout).

use crate::middleware::{Source, cookie_value, page, request_lang};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::audit::SessionEvent;
use domain::{Actor, Lang, Principal, Text};
use engine::{LoginFlow, TerminalProfile};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginQuery {
    return_to: Option<String>,
}

/// Only local paths: never `//host` or an absolute URL (open redirect).
fn local_path(p: Option<String>) -> String {
    match p {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p,
        _ => "/".into(),
    }
}

const LOGIN_FAILED: Text = Text::new(
    "Kirjautuminen epäonnistui",
    "Inloggningen misslyckades",
    "Sign-in failed",
);
const UNAVAILABLE: Text = Text::new(
    "Palvelu ei ole juuri nyt käytettävissä. Yritä hetken kuluttua uudelleen.",
    "Tjänsten är inte tillgänglig just nu. Försök igen om en stund.",
    "The service is unavailable right now. Please try again in a moment.",
);
const TRY_AGAIN: Text = Text::new("Kirjaudu uudelleen", "Logga in på nytt", "Sign in again");

fn failure(lang: Lang, status: StatusCode, detail: Text, reference: &str) -> Response {
    let body = format!(
        "<h1>{}</h1><p id=\"auth-error\">{}</p><p>Ref: <code>{}</code></p><p><a href=\"/auth/login\">{}</a></p>",
        LOGIN_FAILED.get(lang),
        detail.get(lang),
        reference,
        TRY_AGAIN.get(lang)
    );
    (status, page(lang, LOGIN_FAILED.get(lang), &body)).into_response()
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let lang = request_lang(&headers);
    let reference = uuid::Uuid::new_v4().simple().to_string();
    let profile = state.config.terminal;
    let auth = match state
        .oidc
        .authorize(profile == TerminalProfile::Kiosk)
        .await
    {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(%reference, error = %e, "login could not start");
            return failure(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                Text::new(
                    "Tunnistuspalveluun ei saatu yhteyttä. Yritä hetken kuluttua uudelleen.",
                    "Identifieringstjänsten kunde inte nås. Försök igen om en stund.",
                    "The identity provider could not be reached. Please try again in a moment.",
                ),
                &reference,
            );
        }
    };
    let flow = LoginFlow {
        nonce: auth.nonce,
        pkce_verifier: auth.pkce_verifier,
        return_to: local_path(q.return_to),
        profile,
        created: state.engine.clock().now(),
    };
    let sessions = state.sessions.clone();
    let stored = tokio::task::spawn_blocking(move || sessions.put_flow(&auth.state, &flow)).await;
    if !matches!(stored, Ok(Ok(()))) {
        tracing::error!(%reference, "login state could not be stored");
        return failure(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            UNAVAILABLE,
            &reference,
        );
    }
    Redirect::to(&auth.url).into_response()
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    source: Source,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let lang = request_lang(&headers);
    let reference = uuid::Uuid::new_v4().simple().to_string();
    let expired = Text::new(
        "Kirjautuminen vanheni tai sitä ei aloitettu tästä palvelusta. Aloita alusta.",
        "Inloggningen gick ut eller startades inte från den här tjänsten. Börja om.",
        "The sign-in expired or was not started from this service. Please start again.",
    );
    let refused = Text::new(
        "Tunnistuspalvelun vastausta ei hyväksytty.",
        "Identifieringstjänstens svar godkändes inte.",
        "The identity provider's answer was not accepted.",
    );
    if let Some(error) = q.error {
        tracing::info!(%reference, %error, "provider returned an error to the callback");
        return failure(lang, StatusCode::BAD_REQUEST, refused, &reference);
    }
    let (Some(code), Some(st)) = (q.code, q.state) else {
        return failure(lang, StatusCode::BAD_REQUEST, expired, &reference);
    };
    let sessions = state.sessions.clone();
    let flow = match tokio::task::spawn_blocking(move || sessions.take_flow(&st)).await {
        Ok(Ok(Some(flow))) => flow,
        _ => return failure(lang, StatusCode::BAD_REQUEST, expired, &reference),
    };
    // RFC 9207: the response must come from the issuer we sent the user to (mix-up defence).
    if q.iss.as_deref() != Some(state.oidc.issuer()) {
        tracing::warn!(%reference, iss = ?q.iss, "callback iss mismatch");
        return failure(lang, StatusCode::BAD_REQUEST, refused, &reference);
    }
    let login = match state
        .oidc
        .finish(code, &flow.nonce, flow.pkce_verifier)
        .await
    {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(%reference, error = %e, "code exchange or ID token refused");
            return failure(lang, StatusCode::BAD_REQUEST, refused, &reference);
        }
    };
    if flow.profile == TerminalProfile::Kiosk {
        // max_age=0 asks for a fresh login; check the provider really did one.
        let fresh = login
            .auth_time
            .is_some_and(|t| state.engine.clock().now().0 / 1000 - t <= 300);
        if !fresh {
            tracing::warn!(%reference, "kiosk login without a fresh authentication");
            return failure(lang, StatusCode::BAD_REQUEST, refused, &reference);
        }
    }
    let principal = match Principal::from_claims(&login.claims) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(%reference, error = %e, "claims do not make a principal");
            return failure(
                lang,
                StatusCode::FORBIDDEN,
                Text::new(
                    "Käyttäjätunnukseesi ei liity organisaatiota. Ota yhteys vastuukäyttäjään.",
                    "Ditt användar-id är inte kopplat till någon organisation. Kontakta den ansvariga användaren.",
                    "Your account is not linked to an organisation. Contact your responsible user.",
                ),
                &reference,
            );
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
            UNAVAILABLE,
            &reference,
        );
    }
    // A new random session id at every login (no fixation); any old session is dropped.
    let old = cookie_value(&headers, state.config.session_cookie());
    let sessions = state.sessions.clone();
    let created = tokio::task::spawn_blocking(move || {
        if let Some(old) = old {
            sessions.remove(&old)?;
        }
        sessions.create(principal, login.id_token, flow.profile)
    })
    .await;
    let token = match created {
        Ok(Ok(t)) => t,
        _ => {
            tracing::error!(%reference, "session could not be stored");
            return failure(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                UNAVAILABLE,
                &reference,
            );
        }
    };
    let mut response = Redirect::to(&flow.return_to).into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&state, &token, flow.profile)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

fn session_cookie(state: &AppState, token: &str, profile: TerminalProfile) -> String {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        state.config.session_cookie(),
        profile.absolute_seconds()
    )
}

fn clear_cookie(state: &AppState) -> String {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        state.config.session_cookie()
    )
}

/// POST only (the origin check covers it): ends the app session, then the provider's.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, source: Source) -> Response {
    let token = cookie_value(&headers, state.config.session_cookie());
    let sessions = state.sessions.clone();
    let ended = match token {
        Some(t) => tokio::task::spawn_blocking(move || sessions.remove(&t))
            .await
            .ok()
            .and_then(Result::ok)
            .flatten(),
        None => None,
    };
    let target = match ended {
        Some(session) => {
            let reference = uuid::Uuid::new_v4().simple().to_string();
            let actor = Actor::user(
                session.principal.clone(),
                reference.clone(),
                source.0.clone(),
            );
            if let Err(e) = state.engine.record(&actor, SessionEvent::LoggedOut).await {
                tracing::error!(%reference, error = %e, "logout could not be audited");
            }
            let logout_state = uuid::Uuid::new_v4().simple().to_string();
            state
                .oidc
                .logout_url(
                    &session.id_token,
                    &state.config.post_logout_uri(),
                    &logout_state,
                )
                .await
                .unwrap_or_else(|| "/auth/logged-out".into())
        }
        None => "/auth/logged-out".into(),
    };
    let mut response = Redirect::to(&target).into_response();
    if let Ok(v) = HeaderValue::from_str(&clear_cookie(&state)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub async fn logged_out(headers: HeaderMap) -> Response {
    let lang = request_lang(&headers);
    let title = Text::new(
        "Olet kirjautunut ulos",
        "Du har loggat ut",
        "You have signed out",
    );
    let again = Text::new("Kirjaudu sisään", "Logga in", "Sign in");
    let body = format!(
        "<h1 id=\"logged-out\">{}</h1><p><a id=\"sign-in\" href=\"/auth/login\">{}</a></p>",
        title.get(lang),
        again.get(lang)
    );
    page(lang, title.get(lang), &body).into_response()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn return_to_is_local_only() {
        assert_eq!(
            local_path(Some("/person/x/basic".into())),
            "/person/x/basic"
        );
        assert_eq!(local_path(Some("//evil.example/".into())), "/");
        assert_eq!(local_path(Some("https://evil.example/".into())), "/");
        assert_eq!(local_path(Some("/\\evil.example".into())), "/");
        assert_eq!(local_path(None), "/");
    }
}
