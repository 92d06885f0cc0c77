//! Configuration: one typed struct read from environment variables, each with a default that
//! works for local development. The README's configuration table lists the same variables.

use engine::TerminalProfile;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// Where the register, audit and session files live.
    pub data_dir: PathBuf,
    pub addr: SocketAddr,
    /// The origin users reach the service at; the origin check and redirect URIs use it.
    pub public_url: String,
    pub oidc_issuer: String,
    pub oidc_client_id: String,
    pub oidc_client_secret: String,
    pub terminal: TerminalProfile,
    /// Persons in the demo register created on first start.
    pub demo_persons: u64,
    pub demo_seed: u64,
    /// Mark cookies `Secure` with the `__Host-` prefix (browsers accept this on loopback http).
    pub secure_cookies: bool,
    /// Ceiling of redb's page cache for the register, in MiB.
    pub register_cache_mib: usize,
    /// The SMTP server service notices are mailed through (`smtp://host:port`,
    /// `smtp://user:pass@host:587?tls=required`, `smtps://…`); `None`: mail waits in the outbox
    /// staff see in the application.
    pub smtp_url: Option<String>,
    /// The sender of that mail.
    pub mail_from: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

fn var(name: &'static str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
}

fn parse<T: std::str::FromStr>(name: &'static str, default: &str) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    var(name, default).parse().map_err(|e: T::Err| ConfigError {
        name,
        problem: e.to_string(),
    })
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let addr = var("KYSELY_ADDR", &var("LEPTOS_SITE_ADDR", "127.0.0.1:3000"));
        let addr: SocketAddr = addr
            .parse()
            .map_err(|e: std::net::AddrParseError| ConfigError {
                name: "KYSELY_ADDR",
                problem: e.to_string(),
            })?;
        let terminal = match var("KYSELY_TERMINAL", "desktop").as_str() {
            "desktop" => TerminalProfile::Desktop,
            "kiosk" => TerminalProfile::Kiosk,
            other => {
                return Err(ConfigError {
                    name: "KYSELY_TERMINAL",
                    problem: format!("'{other}' is neither desktop nor kiosk"),
                });
            }
        };
        let public_url = var("KYSELY_PUBLIC_URL", &format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        let oidc_issuer = var("KYSELY_OIDC_ISSUER", "http://127.0.0.1:4444");
        Ok(Config {
            data_dir: PathBuf::from(var("KYSELY_DATA_DIR", "data")),
            addr,
            public_url,
            oidc_issuer,
            oidc_client_id: var("KYSELY_OIDC_CLIENT_ID", "kysely-dev"),
            oidc_client_secret: var("KYSELY_OIDC_CLIENT_SECRET", "kysely-dev-secret-change-me"),
            terminal,
            demo_persons: parse("KYSELY_DEMO_PERSONS", "5000")?,
            demo_seed: parse("KYSELY_DEMO_SEED", "20261127")?,
            secure_cookies: parse("KYSELY_SECURE_COOKIES", "true")?,
            register_cache_mib: parse("KYSELY_REGISTER_CACHE_MIB", "2048")?,
            smtp_url: Some(var("KYSELY_SMTP_URL", "")).filter(|u| !u.is_empty()),
            mail_from: var("KYSELY_MAIL_FROM", "Kysely <kysely@localhost>"),
        })
    }

    pub fn register_path(&self) -> PathBuf {
        self.data_dir.join("register.redb")
    }
    pub fn audit_path(&self) -> PathBuf {
        self.data_dir.join("audit.redb")
    }
    pub fn sessions_path(&self) -> PathBuf {
        self.data_dir.join("sessions.redb")
    }
    pub fn samples_path(&self) -> PathBuf {
        self.data_dir.join("samples.json")
    }

    pub fn session_cookie(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-kysely_session"
        } else {
            "kysely_session"
        }
    }

    pub fn redirect_uri(&self) -> String {
        format!("{}/auth/callback", self.public_url)
    }

    pub fn post_logout_uri(&self) -> String {
        format!("{}/auth/logged-out", self.public_url)
    }
}
