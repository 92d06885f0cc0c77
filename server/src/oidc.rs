//! The OpenID Connect relying party: discovery (lazy, retried until it succeeds, so the server
//! can start before the provider; refreshed daily, and at once, at most every
//! `KEY_REFRESH_MIN`, when a token names a key it does not know: a key rotation at the provider
//! never needs a restart here), the authorization request with PKCE, nonce, a fresh
//! authentication and the user's language, and the code exchange with ID-token, nonce and
//! `at_hash` checks. Tokens stay on the server; the end-session URL carries no token.

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreClaimName, CoreClaimType,
    CoreClientAuthMethod, CoreErrorResponseType, CoreGenderClaim, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm,
    CoreResponseMode, CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreSubjectIdentifierType, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AdditionalProviderMetadata, AuthorizationCode, Client,
    ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IdTokenFields, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, ProviderMetadata, RedirectUrl, Scope, StandardErrorResponse,
    StandardTokenResponse, TokenResponse as _, reqwest,
};
use openidconnect::{
    AuthenticationContextClass, ClaimsVerificationError, LanguageTag, SignatureVerificationError,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::RwLock;

/// The organisation claims our provider adds to the ID token.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct OrgClaims {
    pub org_id: Option<String>,
    pub org_name: Option<String>,
}
impl AdditionalClaims for OrgClaims {}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LogoutMetadata {
    pub end_session_endpoint: Option<String>,
}
impl AdditionalProviderMetadata for LogoutMetadata {}

type Metadata = ProviderMetadata<
    LogoutMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

type Fields = IdTokenFields<
    OrgClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<Fields, CoreTokenType>;

type OrgClient = Client<
    OrgClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider could not be reached: {0}")]
    Unreachable(String),
    #[error("the identity provider's answer was refused: {0}")]
    Rejected(String),
}

struct Discovered {
    client: OrgClient,
    end_session: Option<String>,
    fetched: tokio::time::Instant,
}

/// Discovery and keys are fetched again after this long even when nothing failed.
const METADATA_MAX_AGE: Duration = Duration::from_secs(24 * 3600);
/// A token with an unknown key fetches them again at most this often (an attacker's tokens
/// with made-up key ids cannot make this server hammer the provider).
pub const KEY_REFRESH_MIN: Duration = Duration::from_secs(30);

/// A started login: where to send the browser and what to keep for the callback.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// What a successful callback yields.
pub struct Login {
    pub claims: domain::IdClaims,
    pub id_token: String,
    /// Seconds since the epoch of the user's authentication at the provider.
    pub auth_time: Option<i64>,
    /// How the user authenticated (`pwd`, `otp`, `mfa`, …), as the signed token says.
    pub amr: Vec<String>,
}

pub struct Oidc {
    issuer: String,
    client_id: String,
    client_secret: String,
    redirect_uri: String,
    http: reqwest::Client,
    discovered: RwLock<Option<Arc<Discovered>>>,
}

impl Oidc {
    pub fn new(
        issuer: &str,
        client_id: &str,
        client_secret: &str,
        redirect_uri: &str,
    ) -> Result<Oidc, OidcError> {
        // Never follow redirects on the back channel (SSRF), and do not wait forever.
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| OidcError::Unreachable(e.to_string()))?;
        Ok(Oidc {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            http,
            discovered: RwLock::new(None),
        })
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    async fn discovered(&self) -> Result<Arc<Discovered>, OidcError> {
        if let Some(d) = self.discovered.read().await.as_ref()
            && d.fetched.elapsed() < METADATA_MAX_AGE
        {
            return Ok(d.clone());
        }
        self.discover().await
    }

    /// Fetches the metadata and keys again, unless that was done within `KEY_REFRESH_MIN`.
    /// `None`: too soon; the caller keeps what it had.
    async fn refresh(&self) -> Option<Arc<Discovered>> {
        let recent = self
            .discovered
            .read()
            .await
            .as_ref()
            .is_some_and(|d| d.fetched.elapsed() < KEY_REFRESH_MIN);
        if recent {
            return None;
        }
        self.discover().await.ok()
    }

    async fn discover(&self) -> Result<Arc<Discovered>, OidcError> {
        let issuer =
            IssuerUrl::new(self.issuer.clone()).map_err(|e| OidcError::Rejected(e.to_string()))?;
        let metadata = Metadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Unreachable(e.to_string()))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let redirect = RedirectUrl::new(self.redirect_uri.clone())
            .map_err(|e| OidcError::Rejected(e.to_string()))?;
        let client = OrgClient::from_provider_metadata(
            metadata,
            ClientId::new(self.client_id.clone()),
            Some(ClientSecret::new(self.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        let d = Arc::new(Discovered {
            client,
            end_session,
            fetched: tokio::time::Instant::now(),
        });
        *self.discovered.write().await = Some(d.clone());
        Ok(d)
    }

    /// Builds the authorization request. Every sign-in is a fresh authentication at the
    /// provider (`prompt=login`, `max_age=0`): neither a kiosk's next user nor anyone at a
    /// desktop whose session ended is signed in from the provider's single sign-on session.
    /// `acr`: the level asked for (step-up); `lang`: the language of the provider's pages.
    pub async fn authorize(
        &self,
        lang: &str,
        acr: Option<&str>,
    ) -> Result<Authorization, OidcError> {
        let d = self.discovered().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = d
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("org".into()))
            .set_pkce_challenge(challenge)
            .add_prompt(CoreAuthPrompt::Login)
            .set_max_age(Duration::ZERO)
            .add_ui_locale(LanguageTag::new(lang.to_owned()));
        if let Some(acr) = acr {
            request = request.add_auth_context_value(AuthenticationContextClass::new(acr.into()));
        }
        let (url, state, nonce) = request.url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code and verifies the ID token (signature, issuer, audience, expiry, nonce,
    /// `at_hash`). The caller has already matched `state` and `iss`.
    pub async fn finish(
        &self,
        code: String,
        nonce: &str,
        pkce_verifier: String,
    ) -> Result<Login, OidcError> {
        let d = self.discovered().await?;
        let tokens = d
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Rejected(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Rejected(e.to_string()))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| OidcError::Rejected("no ID token".into()))?;
        let nonce = Nonce::new(nonce.to_owned());
        let mut d = d;
        let mut verified = id_token
            .claims(&d.client.id_token_verifier(), &nonce)
            .cloned();
        if matches!(
            verified,
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey
            ))
        ) {
            // The provider may have rotated its keys since they were fetched.
            if let Some(fresh) = self.refresh().await {
                tracing::info!("ID token signed with an unknown key: provider keys fetched again");
                verified = id_token
                    .claims(&fresh.client.id_token_verifier(), &nonce)
                    .cloned();
                d = fresh;
            }
        }
        let claims = verified.map_err(|e| OidcError::Rejected(e.to_string()))?;
        let verifier = d.client.id_token_verifier();
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token
                .signing_alg()
                .map_err(|e| OidcError::Rejected(e.to_string()))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|e| OidcError::Rejected(e.to_string()))?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
                .map_err(|e| OidcError::Rejected(e.to_string()))?;
            if actual != *expected {
                return Err(OidcError::Rejected(
                    "at_hash does not match the access token".into(),
                ));
            }
        }
        let extra = claims.additional_claims();
        let mapped = domain::IdClaims {
            sub: claims.subject().to_string(),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            preferred_username: claims.preferred_username().map(|u| u.to_string()),
            org_id: extra.org_id.clone(),
            org_name: extra.org_name.clone(),
            acr: claims.auth_context_ref().map(|a| a.to_string()),
            amr: claims
                .auth_method_refs()
                .map(|v| v.iter().map(|a| a.to_string()).collect())
                .unwrap_or_default(),
        };
        Ok(Login {
            amr: mapped.amr.clone(),
            claims: mapped,
            id_token: id_token.to_string(),
            auth_time: claims.auth_time().map(|t| t.timestamp()),
        })
    }

    /// The provider's end-session URL for RP-initiated logout, if it has one. It names the
    /// client, not the user: no ID token travels in the browser's address bar and history.
    pub async fn logout_url(
        &self,
        post_logout_redirect: &str,
        state: &str,
        lang: &str,
    ) -> Option<String> {
        let d = self.discovered().await.ok()?;
        let mut url = openidconnect::url::Url::parse(d.end_session.as_deref()?).ok()?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("post_logout_redirect_uri", post_logout_redirect)
            .append_pair("state", state)
            .append_pair("ui_locales", lang);
        Some(url.to_string())
    }
}
