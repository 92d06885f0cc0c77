//! A test-controlled OpenID Connect provider on a loopback port: discovery, a JWKS, a token
//! endpoint that checks the client secret, the code (once) and PKCE, and ID tokens signed with
//! RS256 test keys. Each test decides what the next ID token gets wrong, so the relying party's
//! refusals can be shown one by one; the browser and the user are played by `authorize`.

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::{Digest, Sha256};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Test keys only (generated with `openssl genpkey`); they sign nothing outside these tests.
const KEY_A: &str = include_str!("keys/test-a.pem");
const KEY_B: &str = include_str!("keys/test-b.pem");
pub const CLIENT_ID: &str = "kysely-test";
pub const CLIENT_SECRET: &str = "test-secret";

/// What the next ID token gets wrong (or right).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Fault {
    #[default]
    None,
    WrongNonce,
    WrongAudience,
    WrongIssuer,
    Expired,
    AlgNone,
    /// Signed with a key the provider has not published.
    UnknownKid,
}

/// One signing key and its `kid`.
struct Key {
    kid: String,
    signer: SigningKey<Sha256>,
    jwk: Value,
}

impl Key {
    fn load(pem: &str, kid: &str) -> Result<Key, Error> {
        let private = RsaPrivateKey::from_pkcs8_pem(pem)?;
        let jwk = json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
        });
        Ok(Key {
            kid: kid.to_owned(),
            signer: SigningKey::<Sha256>::new(private),
            jwk,
        })
    }
}

/// What the user proved at the provider, and who they are.
#[derive(Clone, Debug)]
pub struct Account {
    pub sub: String,
    pub name: String,
    pub org_id: Option<String>,
    pub roles: Vec<String>,
    pub acr: String,
    pub amr: Vec<String>,
    /// Seconds since the epoch of the authentication.
    pub auth_time: i64,
}

struct Grant {
    nonce: String,
    challenge: String,
    redirect_uri: String,
    account: Account,
}

#[derive(Default)]
struct Inner {
    keys: Vec<Key>,
    /// The key that signs; `published` says which the JWKS shows.
    signing: usize,
    published: Vec<usize>,
    codes: HashMap<String, Grant>,
    fault: Fault,
    /// The `issuer` discovery claims (a mix-up test sets another).
    discovery_issuer: Option<String>,
    jwks_fetches: usize,
    end_session_hits: Vec<String>,
    next_code: u64,
}

#[derive(Clone)]
pub struct Provider {
    pub issuer: String,
    inner: Arc<Mutex<Inner>>,
    task: Arc<tokio::task::JoinHandle<()>>,
}

impl Drop for Provider {
    fn drop(&mut self) {
        if Arc::strong_count(&self.task) == 1 {
            self.task.abort();
        }
    }
}

fn lock(inner: &Mutex<Inner>) -> std::sync::MutexGuard<'_, Inner> {
    inner
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The provider's own clock: a separate party, so it reads the system time.
#[allow(clippy::disallowed_methods)]
fn provider_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Provider {
    pub async fn start() -> Result<Provider, Error> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let issuer = format!("http://{}", listener.local_addr()?);
        let inner = Arc::new(Mutex::new(Inner {
            keys: vec![Key::load(KEY_A, "key-a")?, Key::load(KEY_B, "key-b")?],
            published: vec![0],
            ..Inner::default()
        }));
        let shared = (issuer.clone(), inner.clone());
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .route("/session/end", get(end_session))
            .with_state(shared);
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("test provider stopped: {e}");
            }
        });
        Ok(Provider {
            issuer,
            inner,
            task: Arc::new(task),
        })
    }

    pub fn fault(&self, fault: Fault) {
        lock(&self.inner).fault = fault;
    }

    /// Key rotation: key B signs and is the only key published.
    pub fn rotate(&self) {
        let mut inner = lock(&self.inner);
        inner.signing = 1;
        inner.published = vec![1];
    }

    pub fn discovery_issuer(&self, issuer: &str) {
        lock(&self.inner).discovery_issuer = Some(issuer.to_owned());
    }

    pub fn jwks_fetches(&self) -> usize {
        lock(&self.inner).jwks_fetches
    }

    /// The query strings the end-session endpoint was called with.
    pub fn end_session_hits(&self) -> Vec<String> {
        lock(&self.inner).end_session_hits.clone()
    }

    /// The browser follows the relying party's redirect and the user signs in: returns the code
    /// and the `state` the provider sends back, or an error if the request is not one a
    /// provider would accept.
    pub fn authorize(&self, location: &str, account: &Account) -> Result<(String, String), Error> {
        let url = openidconnect::url::Url::parse(location)?;
        let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
        let need = |k: &str| {
            q.get(k)
                .cloned()
                .ok_or_else(|| format!("no {k} in {location}"))
        };
        if need("client_id")? != CLIENT_ID || need("response_type")? != "code" {
            return Err("not an authorization code request of the test client".into());
        }
        if need("code_challenge_method")? != "S256" {
            return Err("PKCE S256 missing".into());
        }
        let mut inner = lock(&self.inner);
        inner.next_code += 1;
        let code = format!("code-{}", inner.next_code);
        inner.codes.insert(
            code.clone(),
            Grant {
                nonce: need("nonce")?,
                challenge: need("code_challenge")?,
                redirect_uri: need("redirect_uri")?,
                account: account.clone(),
            },
        );
        Ok((code, need("state")?))
    }
}

/// The ID token for a grant, signed (or not) as the test's fault says.
fn id_token(issuer: &str, inner: &Inner, grant: &Grant) -> Result<String, Error> {
    let now = provider_now();
    let a = &grant.account;
    let mut claims = json!({
        "iss": issuer, "sub": a.sub, "aud": CLIENT_ID,
        "iat": now, "exp": now + 300, "auth_time": a.auth_time,
        "nonce": grant.nonce, "acr": a.acr, "amr": a.amr,
        "name": a.name, "preferred_username": a.sub,
        "org_id": a.org_id, "org_name": a.org_id, "roles": a.roles,
    });
    let key = inner.keys.get(inner.signing).ok_or("no signing key")?;
    let mut kid = key.kid.clone();
    let mut alg = "RS256";
    match inner.fault {
        Fault::None => {}
        Fault::WrongNonce => claims["nonce"] = json!("another-nonce"),
        Fault::WrongAudience => claims["aud"] = json!("another-client"),
        Fault::WrongIssuer => claims["iss"] = json!("http://evil.example"),
        Fault::Expired => {
            claims["iat"] = json!(now - 7200);
            claims["exp"] = json!(now - 3600);
        }
        Fault::AlgNone => alg = "none",
        Fault::UnknownKid => kid = "never-published".into(),
    }
    let header = json!({ "alg": alg, "typ": "JWT", "kid": kid });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    if alg == "none" {
        return Ok(format!("{signing_input}."));
    }
    let signature = key.signer.sign(signing_input.as_bytes()).to_bytes();
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

type Shared = (String, Arc<Mutex<Inner>>);

async fn discovery(State((issuer, inner)): State<Shared>) -> Json<Value> {
    let claimed = lock(&inner)
        .discovery_issuer
        .clone()
        .unwrap_or_else(|| issuer.clone());
    Json(json!({
        "issuer": claimed,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "end_session_endpoint": format!("{issuer}/session/end"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": ["urn:dev:loa:1fa", "urn:dev:loa:2fa"],
        "authorization_response_iss_parameter_supported": true,
    }))
}

async fn jwks(State((_, inner)): State<Shared>) -> Json<Value> {
    let mut inner = lock(&inner);
    inner.jwks_fetches += 1;
    let keys: Vec<Value> = inner
        .published
        .iter()
        .filter_map(|i| inner.keys.get(*i).map(|k| k.jwk.clone()))
        .collect();
    Json(json!({ "keys": keys }))
}

async fn end_session(State((_, inner)): State<Shared>, uri: axum::http::Uri) -> impl IntoResponse {
    lock(&inner)
        .end_session_hits
        .push(uri.query().unwrap_or("").to_owned());
    "signed out"
}

fn token_error(code: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": code }))).into_response()
}

async fn token(
    State((issuer, inner)): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(expected.as_str())
    {
        return token_error("invalid_client");
    }
    let mut guard = lock(&inner);
    let Some(grant) = form.get("code").and_then(|c| guard.codes.remove(c)) else {
        // Unknown or already used: a replayed code finds nothing.
        return token_error("invalid_grant");
    };
    let Some(verifier) = form.get("code_verifier") else {
        return token_error("invalid_grant");
    };
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if challenge != grant.challenge
        || form.get("redirect_uri") != Some(&grant.redirect_uri)
        || form.get("grant_type").map(String::as_str) != Some("authorization_code")
    {
        return token_error("invalid_grant");
    }
    match id_token(&issuer, &guard, &grant) {
        Ok(id_token) => Json(json!({
            "access_token": "opaque-access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }))
        .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
