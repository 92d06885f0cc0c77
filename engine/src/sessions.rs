//! Server-side sessions and pending logins in redb. The browser holds only a random token;
//! the store keys records by SHA-256 of the token, so a copy of the file yields no usable
//! cookie. Sessions end at an idle and an absolute limit that depend on the terminal profile.

use crate::clock::Clock;
use crate::error::EngineError;
use crate::store::TypedTable;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::{CaseRef, Principal, Purpose, Timestamp};
use rand::RngCore;
use redb::{Database, ReadableDatabase};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

const SESSIONS: TypedTable<&str, Session> = TypedTable::new("session.v2");
/// user (the provider's subject) → the purpose of use they chose last, offered at next sign-in.
const REMEMBERED_PURPOSE: TypedTable<&str, Purpose> = TypedTable::new("remembered_purpose.v1");
const FLOWS: TypedTable<&str, LoginFlow> = TypedTable::new("login_flow.v1");

/// A pending login lives this long between the redirect to the provider and the callback.
pub const FLOW_TTL_SECONDS: i64 = 600;
/// `last_seen` is written at most this often per session, to keep fsyncs off the hot path.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// The kind of terminal, which sets the session limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TerminalProfile {
    /// An official's own workstation: idle 15 min, absolute 8 h.
    Desktop,
    /// A shared service-desk terminal: idle 3 min, absolute 4 h.
    Kiosk,
}

impl TerminalProfile {
    pub fn idle_seconds(self) -> i64 {
        match self {
            TerminalProfile::Desktop => 15 * 60,
            TerminalProfile::Kiosk => 3 * 60,
        }
    }
    pub fn absolute_seconds(self) -> i64 {
        match self {
            TerminalProfile::Desktop => 8 * 3600,
            TerminalProfile::Kiosk => 4 * 3600,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub principal: Principal,
    /// Kept for RP-initiated logout (`id_token_hint`); never sent to the browser.
    pub id_token: String,
    pub profile: TerminalProfile,
    pub created: Timestamp,
    pub last_seen: Timestamp,
    /// The purpose of use chosen for this session (or remembered from the last one); the
    /// gate checks it against the permit on every query.
    pub purpose: Option<Purpose>,
    /// The case reference given with it.
    pub case_ref: Option<CaseRef>,
}

/// A session as a request finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
// Returned by value once per request and destructured at once: boxing the session would add
// an allocation per request for nothing.
#[allow(clippy::large_enum_variant)]
pub enum Peek {
    Missing,
    /// Past its idle or absolute limit: to be removed, and not to be used.
    Expired,
    /// In use; `stale` when `last_seen` is due to be written again.
    Live {
        session: Session,
        stale: bool,
    },
}

/// What the callback needs to finish a login started by this server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginFlow {
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go after login (a local path).
    pub return_to: String,
    pub profile: TerminalProfile,
    pub created: Timestamp,
}

#[derive(Clone)]
pub struct SessionStore {
    db: Arc<Database>,
    clock: Arc<dyn Clock>,
}

fn key_of(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// 256 random bits, URL-safe. `rand::rng()` is a ChaCha CSPRNG seeded and periodically
/// reseeded from the operating system.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl SessionStore {
    pub fn open(path: &Path, clock: Arc<dyn Clock>) -> Result<SessionStore, EngineError> {
        let db = Database::create(path)?;
        let txn = db.begin_write()?;
        SESSIONS.writer(&txn)?;
        FLOWS.writer(&txn)?;
        REMEMBERED_PURPOSE.writer(&txn)?;
        txn.commit()?;
        Ok(SessionStore {
            db: Arc::new(db),
            clock,
        })
    }

    fn put<V: Serialize + serde::de::DeserializeOwned>(
        &self,
        table: &TypedTable<&'static str, V>,
        key: &str,
        value: Option<&V>,
    ) -> Result<(), EngineError> {
        let txn = self.db.begin_write()?;
        {
            let mut w = table.writer(&txn)?;
            match value {
                Some(v) => w.insert(key, v)?,
                None => w.remove(key)?,
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// Starts a session and returns the token for the cookie.
    pub fn create(
        &self,
        principal: Principal,
        id_token: String,
        profile: TerminalProfile,
    ) -> Result<String, EngineError> {
        let token = random_token();
        let now = self.clock.now();
        let remembered = {
            let txn = self.db.begin_read()?;
            REMEMBERED_PURPOSE.get(&txn, principal.subject.as_str())?
        };
        let session = Session {
            principal,
            id_token,
            profile,
            created: now,
            last_seen: now,
            purpose: remembered,
            case_ref: None,
        };
        self.put(&SESSIONS, &key_of(&token), Some(&session))?;
        Ok(token)
    }

    /// What a token leads to, by reading only (no write, no fsync): a request can look its
    /// session up on its own thread and leave the rare write (`touch`, `expire`) to a
    /// blocking task.
    pub fn peek(&self, token: &str) -> Result<Peek, EngineError> {
        let key = key_of(token);
        let txn = self.db.begin_read()?;
        let Some(session) = SESSIONS.get(&txn, key.as_str())? else {
            return Ok(Peek::Missing);
        };
        let now = self.clock.now();
        let idle = now.0 - session.last_seen.0;
        let age = now.0 - session.created.0;
        if idle > session.profile.idle_seconds() * 1000
            || age > session.profile.absolute_seconds() * 1000
        {
            return Ok(Peek::Expired);
        }
        let stale = idle > TOUCH_EVERY_SECONDS * 1000;
        Ok(Peek::Live { session, stale })
    }

    /// Records that the session was used now (its idle time starts again).
    pub fn touch(&self, token: &str) -> Result<(), EngineError> {
        let key = key_of(token);
        // Read and write in one write transaction: a choice made meanwhile is not undone.
        let txn = self.db.begin_write()?;
        {
            let mut sessions = SESSIONS.writer(&txn)?;
            if let Some(mut session) = sessions.get(key.as_str())? {
                session.last_seen = self.clock.now();
                sessions.insert(key.as_str(), &session)?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// The live session for a token. Expired sessions are removed and read as absent.
    pub fn get(&self, token: &str) -> Result<Option<Session>, EngineError> {
        let key = key_of(token);
        let txn = self.db.begin_read()?;
        let Some(mut session) = SESSIONS.get(&txn, key.as_str())? else {
            return Ok(None);
        };
        drop(txn);
        let now = self.clock.now();
        let idle = now.0 - session.last_seen.0;
        let age = now.0 - session.created.0;
        if idle > session.profile.idle_seconds() * 1000
            || age > session.profile.absolute_seconds() * 1000
        {
            self.put(&SESSIONS, &key, None)?;
            return Ok(None);
        }
        if idle > TOUCH_EVERY_SECONDS * 1000 {
            session.last_seen = now;
            self.put(&SESSIONS, &key, Some(&session))?;
        }
        Ok(Some(session))
    }

    /// Sets the session's purpose of use and case reference, and remembers the purpose for
    /// the user's next session. `false` when the session is gone.
    pub fn choose(
        &self,
        token: &str,
        purpose: Purpose,
        case_ref: Option<CaseRef>,
    ) -> Result<bool, EngineError> {
        let key = key_of(token);
        let txn = self.db.begin_write()?;
        let found = {
            let mut sessions = SESSIONS.writer(&txn)?;
            match sessions.get(key.as_str())? {
                Some(mut session) => {
                    session.purpose = Some(purpose);
                    session.case_ref = case_ref;
                    let user = session.principal.subject.clone();
                    sessions.insert(key.as_str(), &session)?;
                    REMEMBERED_PURPOSE
                        .writer(&txn)?
                        .insert(user.as_str(), &purpose)?;
                    true
                }
                None => false,
            }
        };
        txn.commit()?;
        Ok(found)
    }

    /// Ends a session; returns it if it existed (for the logout hint).
    pub fn remove(&self, token: &str) -> Result<Option<Session>, EngineError> {
        let key = key_of(token);
        let txn = self.db.begin_read()?;
        let session = SESSIONS.get(&txn, key.as_str())?;
        drop(txn);
        if session.is_some() {
            self.put(&SESSIONS, &key, None)?;
        }
        Ok(session)
    }

    pub fn put_flow(&self, state: &str, flow: &LoginFlow) -> Result<(), EngineError> {
        self.put(&FLOWS, state, Some(flow))
    }

    /// Takes a pending login once: a replayed or stale `state` finds nothing.
    pub fn take_flow(&self, state: &str) -> Result<Option<LoginFlow>, EngineError> {
        let txn = self.db.begin_read()?;
        let flow = FLOWS.get(&txn, state)?;
        drop(txn);
        let Some(flow) = flow else { return Ok(None) };
        self.put(&FLOWS, state, None)?;
        let age = self.clock.now().0 - flow.created.0;
        Ok((age <= FLOW_TTL_SECONDS * 1000).then_some(flow))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use domain::principal::{Acr, OrgId, Role};

    fn principal() -> Principal {
        Principal {
            subject: "u-bob".into(),
            name: "Bob".into(),
            organisation: OrgId("espoo".into()),
            organisation_name: "Espoo".into(),
            roles: vec![Role::QueryUser],
            acr: Acr::OneFactor,
        }
    }

    fn store() -> Result<(tempfile::TempDir, Arc<FixedClock>, SessionStore), EngineError> {
        let dir = tempfile::tempdir()?;
        let clock = Arc::new(FixedClock::new(Timestamp(1_800_000_000_000)));
        let s = SessionStore::open(&dir.path().join("s.redb"), clock.clone())?;
        Ok((dir, clock, s))
    }

    #[test]
    fn idle_and_absolute_limits() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let t = s.create(principal(), "idt".into(), TerminalProfile::Kiosk)?;
        assert!(s.get(&t)?.is_some());
        clock.advance_seconds(179);
        assert!(s.get(&t)?.is_some(), "within the kiosk idle limit");
        clock.advance_seconds(181);
        assert!(s.get(&t)?.is_none(), "idle kiosk session ended");
        assert!(s.get(&t)?.is_none(), "and stays ended");

        let t = s.create(principal(), "idt".into(), TerminalProfile::Desktop)?;
        for _ in 0..(8 * 60 / 10) {
            clock.advance_seconds(600);
            assert!(s.get(&t)?.is_some());
        }
        clock.advance_seconds(600);
        assert!(s.get(&t)?.is_none(), "absolute limit of 8 h");
        Ok(())
    }

    #[test]
    fn a_chosen_purpose_holds_for_the_session_survives_a_touch_and_is_offered_next_time()
    -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let t = s.create(principal(), "idt".into(), TerminalProfile::Desktop)?;
        let unchosen = s.get(&t)?.map(|x| (x.purpose, x.case_ref));
        assert_eq!(unchosen, Some((None, None)));
        let case = CaseRef::parse("12/2026").map_err(|e| EngineError::Invalid(format!("{e:?}")))?;
        assert!(s.choose(&t, Purpose::MunicipalTasks, case.clone())?);
        clock.advance_seconds(120);
        s.touch(&t)?;
        let Peek::Live { session, .. } = s.peek(&t)? else {
            return Err(EngineError::Invalid("the session ended".into()));
        };
        assert_eq!(
            (session.purpose, session.case_ref),
            (Some(Purpose::MunicipalTasks), case)
        );
        // The next session of the same user starts with it; the case reference does not carry.
        let next = s.create(principal(), "idt".into(), TerminalProfile::Desktop)?;
        let next = s.get(&next)?.map(|x| (x.purpose, x.case_ref));
        assert_eq!(next, Some((Some(Purpose::MunicipalTasks), None)));
        // Another user's session does not.
        let mut other = principal();
        other.subject = "u-eve".into();
        let theirs = s.create(other, "idt".into(), TerminalProfile::Desktop)?;
        assert_eq!(s.get(&theirs)?.and_then(|x| x.purpose), None);
        assert!(!s.choose("no-such-token", Purpose::MunicipalTasks, None)?);
        Ok(())
    }

    #[test]
    fn tokens_are_random_and_unknown_tokens_find_nothing() -> Result<(), EngineError> {
        let (_dir, _clock, s) = store()?;
        let a = s.create(principal(), "idt".into(), TerminalProfile::Desktop)?;
        let b = s.create(principal(), "idt".into(), TerminalProfile::Desktop)?;
        assert_ne!(a, b);
        assert!(a.len() >= 43);
        assert!(s.get("not-a-token")?.is_none());
        assert_eq!(s.remove(&a)?.map(|s| s.id_token), Some("idt".to_string()));
        assert!(s.get(&a)?.is_none());
        assert!(s.get(&b)?.is_some());
        Ok(())
    }

    #[test]
    fn login_flow_is_taken_once_and_expires() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let flow = LoginFlow {
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            return_to: "/".into(),
            profile: TerminalProfile::Desktop,
            created: clock.now(),
        };
        s.put_flow("st", &flow)?;
        assert_eq!(s.take_flow("st")?, Some(flow.clone()));
        assert_eq!(s.take_flow("st")?, None, "replay finds nothing");
        s.put_flow("old", &flow)?;
        s.put_flow("last-second", &flow)?;
        clock.advance_seconds(FLOW_TTL_SECONDS);
        assert_eq!(
            s.take_flow("last-second")?,
            Some(flow.clone()),
            "valid through its last second"
        );
        clock.advance_seconds(1);
        assert_eq!(s.take_flow("old")?, None, "stale flow");
        Ok(())
    }

    /// What a request finds, as the middleware reads it: live (and whether `last_seen` is due),
    /// or expired.
    fn found(s: &SessionStore, token: &str) -> Result<Option<bool>, EngineError> {
        match s.peek(token)? {
            Peek::Live { stale, .. } => Ok(Some(stale)),
            Peek::Expired => Ok(None),
            Peek::Missing => Err(EngineError::Invalid("missing".into())),
        }
    }

    #[test]
    fn peek_keeps_the_limits_to_the_second_and_touch_restarts_the_idle_time()
    -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let t = s.create(principal(), "idt".into(), TerminalProfile::Kiosk)?;
        assert_eq!(found(&s, &t)?, Some(false));
        clock.advance_seconds(TOUCH_EVERY_SECONDS);
        assert_eq!(found(&s, &t)?, Some(false), "not yet due");
        clock.advance_seconds(1);
        assert_eq!(found(&s, &t)?, Some(true), "last_seen due");
        s.touch(&t)?;
        assert_eq!(found(&s, &t)?, Some(false), "touched now");
        clock.advance_seconds(180);
        assert_eq!(
            found(&s, &t)?,
            Some(true),
            "at the kiosk idle limit: still live"
        );
        clock.advance_seconds(1);
        assert_eq!(found(&s, &t)?, None, "a second past it");
        assert_eq!(s.peek("unknown")?, Peek::Missing);

        // The absolute limit holds however often the session is used.
        let d = s.create(principal(), "idt".into(), TerminalProfile::Desktop)?;
        for _ in 0..(8 * 6) {
            clock.advance_seconds(600);
            s.touch(&d)?;
        }
        assert!(found(&s, &d)?.is_some(), "exactly 8 h: live");
        clock.advance_seconds(1);
        assert_eq!(found(&s, &d)?, None, "8 h and a second: ended");
        Ok(())
    }

    #[test]
    fn get_writes_last_seen_only_when_due() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let t = s.create(principal(), "idt".into(), TerminalProfile::Kiosk)?;
        clock.advance_seconds(2);
        assert!(s.get(&t)?.is_some());
        // Had that read restarted the idle time, the session would live on here.
        clock.advance_seconds(179);
        assert!(s.get(&t)?.is_none(), "181 s idle since sign-in");
        let u = s.create(principal(), "idt".into(), TerminalProfile::Kiosk)?;
        clock.advance_seconds(TOUCH_EVERY_SECONDS);
        assert!(s.get(&u)?.is_some(), "not yet due: nothing written");
        clock.advance_seconds(181 - TOUCH_EVERY_SECONDS);
        assert!(s.get(&u)?.is_none(), "181 s idle since sign-in");
        let v = s.create(principal(), "idt".into(), TerminalProfile::Kiosk)?;
        clock.advance_seconds(180);
        assert!(s.get(&v)?.is_some(), "exactly at the idle limit");
        // A kiosk session ends after 4 h however busy.
        let k = s.create(principal(), "idt".into(), TerminalProfile::Kiosk)?;
        for _ in 0..(4 * 20) {
            clock.advance_seconds(180);
            s.touch(&k)?;
        }
        assert!(s.get(&k)?.is_some(), "exactly 4 h");
        clock.advance_seconds(1);
        assert!(s.get(&k)?.is_none(), "4 h and a second");
        Ok(())
    }
}
