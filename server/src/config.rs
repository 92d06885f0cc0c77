//! Configuration: one typed struct read from environment variables, each with a default that
//! works for local development. The README's configuration table lists the same variables.

use crate::net::{IpRange, parse_ranges};
use axum::http::HeaderMap;
use engine::limits::Rate;
use engine::watch::QueryLimits;
use engine::{SessionLimits, TerminalProfile};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// Production unless `KYSELY_ENV=development` says otherwise: in production the service
    /// refuses to start on any development default (wherever it listens: behind a reverse
    /// proxy it listens on loopback too) and on data files open to other users.
    pub production: bool,
    /// Where the register, audit and session files live.
    pub data_dir: PathBuf,
    pub addr: SocketAddr,
    /// The origin users reach the service at; the origin check and redirect URIs use it.
    pub public_url: String,
    pub oidc_issuer: String,
    pub oidc_client_id: String,
    pub oidc_client_secret: String,
    /// Kiosk terminals by address: requests from these ranges get the kiosk profile.
    pub kiosk_ranges: Vec<IpRange>,
    /// Kiosk terminals by registered id, sent by the terminal in the `Kysely-Terminal` header.
    pub kiosk_terminals: Vec<String>,
    /// Proxies whose `X-Forwarded-For` names the client (nobody else's is believed).
    pub trusted_proxies: Vec<IpRange>,
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
    /// How many days mail stays in the outbox (sent, given up or waiting) before it is pruned.
    pub mail_keep_days: u32,
    /// Session idle and absolute limits per terminal profile: the service's rules, or
    /// shorter ones an operator (or a test) sets.
    pub session_limits: SessionLimits,
    /// Query rates per user and per organisation, and the identity-code sweep watch.
    pub query_limits: QueryLimits,
    /// The cluster mode: the NATS JetStream servers the journal is on (`KYSELY_NATS`, comma
    /// separated); `None`, the embedded default: this node's files are the only copy.
    pub cluster: Option<engine::journal::JetStreamConfig>,
    /// Whether this node sends the outbox's mail (`KYSELY_MAILER`): in a cluster, one node
    /// does, or every notice would be mailed once per node.
    pub mailer: bool,
    /// The key that signs the audit trail's tree heads (`KYSELY_AUDIT_KEY_FILE`, a base64
    /// Ed25519 seed from `server audit keygen`); `None`: the development key, which
    /// production refuses.
    pub audit_key_file: Option<PathBuf>,
    /// Where signed tree heads are appended (`KYSELY_AUDIT_HEADS`; default
    /// `<data dir>/audit-heads.jsonl`): best on storage the service cannot rewrite.
    pub audit_heads_file: Option<PathBuf>,
    /// How often a head is signed while the trail grows (`KYSELY_AUDIT_HEAD_SECONDS`, 1–60).
    pub audit_head_every: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

/// The development client secret: fine on a developer's loopback, refused anywhere else.
pub const DEV_CLIENT_SECRET: &str = "kysely-dev-secret-change-me";

/// The header a registered kiosk terminal sends its id in.
pub const TERMINAL_HEADER: &str = "kysely-terminal";

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
        let ranges = |name: &'static str| {
            parse_ranges(&var(name, "")).map_err(|problem| ConfigError { name, problem })
        };
        let kiosk_terminals = var("KYSELY_KIOSK_TERMINALS", "")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let public_url = var("KYSELY_PUBLIC_URL", &format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        let oidc_issuer = var("KYSELY_OIDC_ISSUER", "http://127.0.0.1:4444");
        let rules = SessionLimits::default();
        let seconds = |name: &'static str, rule: i64| -> Result<i64, ConfigError> {
            let value: i64 = parse(name, &rule.to_string())?;
            if !(10..=rule).contains(&value) {
                return Err(ConfigError {
                    name,
                    problem: format!(
                        "{value} s: a limit may be shortened (to 10 s at least), never lengthened past {rule} s"
                    ),
                });
            }
            Ok(value)
        };
        let session_limits = SessionLimits {
            desktop_idle: seconds("KYSELY_DESKTOP_IDLE_SECONDS", rules.desktop_idle)?,
            desktop_absolute: seconds("KYSELY_DESKTOP_ABSOLUTE_SECONDS", rules.desktop_absolute)?,
            kiosk_idle: seconds("KYSELY_KIOSK_IDLE_SECONDS", rules.kiosk_idle)?,
            kiosk_absolute: seconds("KYSELY_KIOSK_ABSOLUTE_SECONDS", rules.kiosk_absolute)?,
        };
        let queries = QueryLimits::default();
        let rate = |name: &'static str, default: Rate| -> Result<Rate, ConfigError> {
            let per_minute: u32 = parse(name, &default.per_minute.to_string())?;
            if per_minute == 0 {
                return Err(ConfigError {
                    name,
                    problem: "0 would refuse every query".into(),
                });
            }
            Ok(Rate {
                per_minute,
                burst: (per_minute / 2).max(1),
            })
        };
        let query_limits = QueryLimits {
            user: rate("KYSELY_USER_QUERIES_PER_MINUTE", queries.user)?,
            organisation: rate("KYSELY_ORG_QUERIES_PER_MINUTE", queries.organisation)?,
            ..queries
        };
        let production = Config::mode_of(&var("KYSELY_ENV", "production"))?;
        let servers: Vec<String> = var("KYSELY_NATS", "")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let cluster = if servers.is_empty() {
            None
        } else {
            let replicas: usize = parse("KYSELY_NATS_REPLICAS", "1")?;
            if !(1..=5).contains(&replicas) {
                return Err(ConfigError {
                    name: "KYSELY_NATS_REPLICAS",
                    problem: format!("{replicas}: JetStream keeps 1 to 5 copies (3 in a cluster)"),
                });
            }
            Some(engine::journal::JetStreamConfig {
                servers,
                replicas,
                node: var("KYSELY_NODE", "kysely"),
                namespace: var("KYSELY_NATS_NAMESPACE", "kysely"),
                ack_wait: std::time::Duration::from_secs(parse("KYSELY_NATS_ACK_SECONDS", "5")?),
                ca: Some(var("KYSELY_NATS_CA", ""))
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from),
                client_cert: match (var("KYSELY_NATS_CERT", ""), var("KYSELY_NATS_KEY", "")) {
                    (cert, key) if cert.is_empty() && key.is_empty() => None,
                    (cert, key) if !cert.is_empty() && !key.is_empty() => {
                        Some((PathBuf::from(cert), PathBuf::from(key)))
                    }
                    _ => {
                        return Err(ConfigError {
                            name: "KYSELY_NATS_CERT",
                            problem: "a client certificate goes with its key (KYSELY_NATS_KEY), both or neither".into(),
                        });
                    }
                },
                user: match (var("KYSELY_NATS_USER", ""), var("KYSELY_NATS_PASSWORD", "")) {
                    (user, _) if user.is_empty() => None,
                    (user, password) => Some((user, password)),
                },
            })
        };
        Ok(Config {
            production,
            data_dir: PathBuf::from(var("KYSELY_DATA_DIR", "data")),
            addr,
            public_url,
            oidc_issuer,
            oidc_client_id: var("KYSELY_OIDC_CLIENT_ID", "kysely-dev"),
            oidc_client_secret: var("KYSELY_OIDC_CLIENT_SECRET", DEV_CLIENT_SECRET),
            kiosk_ranges: ranges("KYSELY_KIOSK_ADDRESSES")?,
            kiosk_terminals,
            trusted_proxies: ranges("KYSELY_TRUSTED_PROXIES")?,
            demo_persons: parse("KYSELY_DEMO_PERSONS", "5000")?,
            demo_seed: parse("KYSELY_DEMO_SEED", "20261127")?,
            secure_cookies: parse("KYSELY_SECURE_COOKIES", "true")?,
            register_cache_mib: parse("KYSELY_REGISTER_CACHE_MIB", "2048")?,
            smtp_url: Some(var("KYSELY_SMTP_URL", "")).filter(|u| !u.is_empty()),
            mail_from: var("KYSELY_MAIL_FROM", "Kysely <kysely@localhost>"),
            mail_keep_days: match parse("KYSELY_MAIL_KEEP_DAYS", "30")? {
                0 => {
                    return Err(ConfigError {
                        name: "KYSELY_MAIL_KEEP_DAYS",
                        problem: "0: mail is kept at least a day".into(),
                    });
                }
                days => days,
            },
            session_limits,
            query_limits,
            cluster,
            mailer: parse("KYSELY_MAILER", "true")?,
            audit_key_file: Some(var("KYSELY_AUDIT_KEY_FILE", ""))
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            audit_heads_file: Some(var("KYSELY_AUDIT_HEADS", ""))
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            audit_head_every: match parse::<u64>("KYSELY_AUDIT_HEAD_SECONDS", "60")? {
                seconds @ 1..=60 => std::time::Duration::from_secs(seconds),
                other => {
                    return Err(ConfigError {
                        name: "KYSELY_AUDIT_HEAD_SECONDS",
                        problem: format!(
                            "{other}: a head is signed at least every minute (1 to 60)"
                        ),
                    });
                }
            },
        })
    }

    /// `KYSELY_ENV`: whether it says production (anything but the two words is refused).
    fn mode_of(value: &str) -> Result<bool, ConfigError> {
        match value {
            "production" => Ok(true),
            "development" => Ok(false),
            other => Err(ConfigError {
                name: "KYSELY_ENV",
                problem: format!("{other:?}: production or development"),
            }),
        }
    }

    /// The terminal profile of a request from `client` (its real address) with `headers`:
    /// a kiosk when the address is in a kiosk range or the terminal sends a registered id.
    pub fn terminal_of(&self, client: IpAddr, headers: &HeaderMap) -> TerminalProfile {
        let registered = headers
            .get(TERMINAL_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|id| self.kiosk_terminals.iter().any(|k| k == id.trim()));
        if registered || crate::net::in_any(&self.kiosk_ranges, client) {
            TerminalProfile::Kiosk
        } else {
            TerminalProfile::Desktop
        }
    }

    /// Why the service must not start as configured, each with what to set. Production (the
    /// default) must not run on a development default, whatever address it listens on: behind
    /// a reverse proxy it listens on loopback too. Development is for a developer's own
    /// machine: it listens on loopback only. `register_exists`: a register file is there (in
    /// production no synthetic demo register may stand in for the real one).
    pub fn exposure_problems(&self, register_exists: bool) -> Vec<String> {
        if !self.production {
            return if self.addr.ip().is_loopback() {
                Vec::new()
            } else {
                vec![format!(
                    "KYSELY_ENV is development but KYSELY_ADDR is {}: development listens on loopback only (KYSELY_ADDR=127.0.0.1:3000); a service others reach runs in production",
                    self.addr
                )]
            };
        }
        let mut problems = Vec::new();
        if let Some(journal) = &self.cluster {
            problems.extend(journal_problems(journal));
        }
        if self.audit_key_file.is_none() {
            problems.push(
                "KYSELY_AUDIT_KEY_FILE is not set: the audit trail's tree heads are signed with the registry's own key (server audit keygen --out <file>), never the development key"
                    .to_owned(),
            );
        }
        if self.oidc_client_secret == DEV_CLIENT_SECRET {
            problems.push(
                "KYSELY_OIDC_CLIENT_SECRET is the development secret: set the secret the identity provider issued"
                    .to_owned(),
            );
        }
        if !self.oidc_issuer.starts_with("https://") {
            problems.push(format!(
                "KYSELY_OIDC_ISSUER is {}: the identity provider must be reached over https",
                self.oidc_issuer
            ));
        }
        if !self.public_url.starts_with("https://") {
            problems.push(format!(
                "KYSELY_PUBLIC_URL is {}: users must reach the service over https",
                self.public_url
            ));
        }
        if !self.secure_cookies {
            problems.push(
                "KYSELY_SECURE_COOKIES is false: session cookies must be Secure outside loopback"
                    .to_owned(),
            );
        }
        if !register_exists {
            problems.push(format!(
                "no register at {}: install the register file (a demo register is created only on loopback)",
                self.register_path().display()
            ));
        }
        problems
    }

    /// In production, the data directory and every data file in it that group or others may
    /// read or write (the files hold personal data and the audit trail).
    pub fn file_problems(&self) -> Vec<String> {
        if !self.production {
            return Vec::new();
        }
        let mut paths = vec![
            self.data_dir.clone(),
            self.register_path(),
            self.audit_path(),
            self.audit_path().with_extension("index.redb"),
            self.sessions_path(),
            self.samples_path(),
        ];
        paths.extend(self.audit_key_file.clone());
        if let Ok(entries) = std::fs::read_dir(&self.data_dir) {
            paths.extend(entries.flatten().map(|e| e.path()));
        }
        paths.sort();
        paths.dedup();
        paths
            .iter()
            .filter_map(|p| match engine::private::too_open(p) {
                Ok(problem) => problem,
                Err(e) => Some(format!("{}: {e}", p.display())),
            })
            .collect()
    }

    pub fn register_path(&self) -> PathBuf {
        self.data_dir.join("register.redb")
    }
    pub fn audit_path(&self) -> PathBuf {
        self.data_dir.join("audit.redb")
    }
    pub fn audit_heads_path(&self) -> PathBuf {
        self.audit_heads_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit-heads.jsonl"))
    }
    /// The audit trail's name in its signed heads: the service's host and `/audit`.
    pub fn audit_origin(&self) -> String {
        let host = self
            .public_url
            .split_once("://")
            .map_or(self.public_url.as_str(), |(_, rest)| rest)
            .trim_end_matches('/');
        format!("{host}/audit")
    }
    /// The key that signs tree heads: the configured one; the development key only outside
    /// production.
    pub fn audit_key(&self) -> Result<engine::audit::heads::HeadKey, String> {
        let origin = self.audit_origin();
        let key = match &self.audit_key_file {
            Some(file) => engine::audit::heads::HeadKey::from_file(file, &origin)
                .map_err(|e| e.to_string())?,
            None if self.production => {
                return Err("KYSELY_AUDIT_KEY_FILE is not set: production signs tree heads with the registry's own key (server audit keygen --out <file>)".into());
            }
            None => {
                engine::audit::heads::HeadKey::development(&origin).map_err(|e| e.to_string())?
            }
        };
        if self.production && key.is_development() {
            return Err(
                "KYSELY_AUDIT_KEY_FILE holds the development key: production signs tree heads with a key of its own (server audit keygen --out <file>)".into(),
            );
        }
        Ok(key)
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

    /// The short-lived cookie that binds a sign-in (and a sign-out) to the browser that
    /// started it: it holds a hash of the `state` sent to the provider.
    pub fn binding_cookie(&self, purpose: &str) -> String {
        if self.secure_cookies {
            format!("__Host-kysely_{purpose}")
        } else {
            format!("kysely_{purpose}")
        }
    }

    /// `; Secure` when cookies are secure.
    pub fn cookie_secure(&self) -> &'static str {
        if self.secure_cookies { "; Secure" } else { "" }
    }

    pub fn redirect_uri(&self) -> String {
        format!("{}/auth/callback", self.public_url)
    }

    pub fn post_logout_uri(&self) -> String {
        format!("{}/auth/logged-out", self.public_url)
    }
}

/// Why the journal may not be used in production as configured: every node applies what the
/// journal holds (registry records included), so whoever can write to it can change them. It
/// is reached over TLS only, and it knows the node (a client certificate, or a user).
fn journal_problems(journal: &engine::journal::JetStreamConfig) -> Vec<String> {
    let mut problems = Vec::new();
    for server in &journal.servers {
        if !server.starts_with("tls://") {
            problems.push(format!(
                "KYSELY_NATS names {server}: in production the journal is reached over TLS (tls://…, with KYSELY_NATS_CA)"
            ));
        }
    }
    if journal.ca.is_none() {
        problems.push(
            "KYSELY_NATS_CA is not set: the journal's servers are checked against the authority that signed their certificates"
                .to_owned(),
        );
    }
    if journal.client_cert.is_none() && journal.user.is_none() {
        problems.push(
            "the journal does not know this node: set KYSELY_NATS_CERT and KYSELY_NATS_KEY (mutual TLS) or KYSELY_NATS_USER and KYSELY_NATS_PASSWORD, and let only the nodes publish to the journal's subjects (docs/deploy.md)"
                .to_owned(),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn production_reaches_the_journal_over_tls_and_known() -> Result<(), Box<dyn std::error::Error>>
    {
        let mut journal = engine::journal::JetStreamConfig::local("nats://10.0.0.11:4222", "a");
        journal.servers.push("tls://10.0.0.12:4222".into());
        let problems = journal_problems(&journal);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("nats://10.0.0.11:4222"));
        assert!(problems.iter().any(|p| p.contains("KYSELY_NATS_CA")));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("does not know this node"))
        );
        journal.servers = vec!["tls://10.0.0.11:4222".into(), "tls://10.0.0.12:4222".into()];
        journal.ca = Some("/etc/kysely/nats-ca.pem".into());
        journal.user = Some(("kysely-a".into(), "secret".into()));
        assert_eq!(journal_problems(&journal), Vec::<String>::new());
        journal.user = None;
        journal.client_cert = Some(("/etc/kysely/a.pem".into(), "/etc/kysely/a.key".into()));
        assert_eq!(journal_problems(&journal), Vec::<String>::new());
        // And the service refuses to start on it in production.
        let mut c = loopback()?;
        c.production = true;
        c.cluster = Some(engine::journal::JetStreamConfig::local(
            "nats://10.0.0.11:4222",
            "a",
        ));
        assert!(
            c.exposure_problems(true)
                .iter()
                .any(|p| p.contains("reached over TLS"))
        );
        Ok(())
    }

    fn loopback() -> Result<Config, ConfigError> {
        Config::from_env()
    }

    #[test]
    fn production_names_every_development_default_wherever_it_listens()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut c = loopback()?;
        c.production = false;
        c.addr = "127.0.0.1:3000".parse()?;
        c.oidc_client_secret = DEV_CLIENT_SECRET.into();
        c.oidc_issuer = "http://127.0.0.1:4444".into();
        c.public_url = "http://127.0.0.1:3000".into();
        c.secure_cookies = false;
        assert!(
            c.exposure_problems(false).is_empty(),
            "development on loopback is fine"
        );
        c.addr = "0.0.0.0:3000".parse()?;
        let problems = c.exposure_problems(false);
        assert!(
            problems.len() == 1 && problems[0].contains("KYSELY_ENV is development"),
            "development elsewhere than loopback: {problems:?}"
        );
        // Production behind a proxy on loopback (review of 7d0db4a) and on any address.
        c.production = true;
        for addr in ["127.0.0.1:3000", "[::1]:3000", "0.0.0.0:443"] {
            c.addr = addr.parse()?;
            let problems = c.exposure_problems(false);
            for name in [
                "KYSELY_OIDC_CLIENT_SECRET",
                "KYSELY_OIDC_ISSUER",
                "KYSELY_PUBLIC_URL",
                "KYSELY_SECURE_COOKIES",
                "KYSELY_AUDIT_KEY_FILE",
                "no register",
            ] {
                assert_eq!(
                    problems.iter().filter(|p| p.contains(name)).count(),
                    1,
                    "{addr}: {name} in {problems:?}"
                );
            }
        }
        c.oidc_client_secret = "issued-secret".into();
        c.oidc_issuer = "https://id.example".into();
        c.public_url = "https://kysely.example".into();
        c.secure_cookies = true;
        c.audit_key_file = Some("/etc/kysely/audit-head.key".into());
        assert_eq!(c.exposure_problems(true), Vec::<String>::new());
        c.addr = "127.0.0.1:8080".parse()?;
        assert!(c.exposure_problems(true).is_empty(), "behind a proxy");
        assert_eq!(c.exposure_problems(false).len(), 1, "no register");
        Ok(())
    }

    /// Tree heads are signed with the development key on a developer's machine only: in
    /// production a missing key file, a key file holding the development key, or one that is
    /// not a key stops the service.
    #[test]
    fn production_signs_tree_heads_with_a_key_of_its_own() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let mut c = loopback()?;
        c.production = false;
        c.public_url = "https://kysely.example/".into();
        assert_eq!(c.audit_origin(), "kysely.example/audit");
        assert!(c.audit_key()?.is_development());
        c.production = true;
        assert!(
            c.audit_key()
                .is_err_and(|e| e.contains("KYSELY_AUDIT_KEY_FILE is not set"))
        );
        let development = dir.path().join("development.key");
        // The development seed, written as a key file: still the development key.
        let seed: [u8; 32] =
            <sha2::Sha256 as sha2::Digest>::digest(b"kysely development audit head key").into();
        std::fs::write(
            &development,
            format!(
                "{}\n",
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, seed)
            ),
        )?;
        c.audit_key_file = Some(development);
        assert!(c.audit_key().is_err_and(|e| e.contains("development key")));
        let own = dir.path().join("own.key");
        std::fs::write(&own, engine::audit::heads::new_key_file_text()?)?;
        c.audit_key_file = Some(own.clone());
        let key = c.audit_key()?;
        assert!(!key.is_development());
        assert_eq!(key.origin(), "kysely.example/audit");
        for bad in ["not base64!", "AAAA", ""] {
            std::fs::write(&own, bad)?;
            assert!(c.audit_key().is_err(), "{bad:?}");
        }
        c.audit_key_file = Some(dir.path().join("missing.key"));
        assert!(c.audit_key().is_err());
        Ok(())
    }

    #[test]
    fn the_mode_is_production_unless_development_is_said() {
        let mode = |v: &str| Config::mode_of(v).map_err(|e| e.name);
        assert_eq!(mode("production"), Ok(true));
        assert_eq!(mode("development"), Ok(false));
        assert_eq!(mode("Development"), Err("KYSELY_ENV"));
        assert_eq!(mode("prod"), Err("KYSELY_ENV"));
    }

    #[test]
    fn production_refuses_data_files_open_to_others() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir()?;
        let mut c = loopback()?;
        c.data_dir = tmp.path().join("data");
        engine::private::private_dir(&c.data_dir)?;
        drop(engine::private::private_file(&c.audit_path())?);
        c.production = true;
        assert_eq!(c.file_problems(), Vec::<String>::new());
        std::fs::set_permissions(c.audit_path(), std::fs::Permissions::from_mode(0o644))?;
        std::fs::write(c.data_dir.join("stray.csv"), "x")?;
        std::fs::set_permissions(
            c.data_dir.join("stray.csv"),
            std::fs::Permissions::from_mode(0o604),
        )?;
        let problems = c.file_problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("audit.redb") && p.contains("644"))
        );
        c.production = false;
        assert!(c.file_problems().is_empty(), "development does not refuse");
        Ok(())
    }

    #[test]
    fn kiosks_by_address_range_or_registered_id() -> Result<(), Box<dyn std::error::Error>> {
        let mut c = loopback()?;
        c.kiosk_ranges = parse_ranges("10.20.0.0/16")?;
        c.kiosk_terminals = vec!["desk-7".into()];
        let none = HeaderMap::new();
        assert_eq!(
            c.terminal_of("10.20.3.4".parse()?, &none),
            TerminalProfile::Kiosk
        );
        assert_eq!(
            c.terminal_of("10.21.3.4".parse()?, &none),
            TerminalProfile::Desktop
        );
        let mut h = HeaderMap::new();
        h.insert(TERMINAL_HEADER, HeaderValue::from_static("desk-7"));
        assert_eq!(
            c.terminal_of("10.21.3.4".parse()?, &h),
            TerminalProfile::Kiosk
        );
        h.insert(TERMINAL_HEADER, HeaderValue::from_static("desk-8"));
        assert_eq!(
            c.terminal_of("10.21.3.4".parse()?, &h),
            TerminalProfile::Desktop,
            "an unregistered id"
        );
        Ok(())
    }
}
