//! Server-side sessions in redb and pending sign-ins in bounded memory. The browser holds only
//! a random token; the store keys records by SHA-256 of the token, so a copy of the file yields
//! no usable cookie. Sessions end at an idle and an absolute limit that depend on the terminal
//! profile, and a user holds a bounded number of them. A pending sign-in never touches the
//! disk: anyone can start one, so a flood of them must cost neither disk nor unbounded memory.

use crate::clock::Clock;
use crate::error::EngineError;
use crate::store::TypedTable;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::{CaseRef, Principal, Purpose, TimeLeft, Timestamp};
use rand::RngCore;
use redb::{Database, ReadableDatabase};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

const SESSIONS: TypedTable<&str, Session> = TypedTable::new("session.v4");
/// session key → who ended the session by blocking its user, told once to its browser.
const ENDED: TypedTable<&str, EndedBy> = TypedTable::new("session_ended.v1");
/// user (the provider's subject) → the purpose of use they chose last, offered at next sign-in.
const REMEMBERED_PURPOSE: TypedTable<&str, Purpose> = TypedTable::new("remembered_purpose.v1");

/// A pending login lives this long between the redirect to the provider and the callback.
pub const FLOW_TTL_SECONDS: i64 = 600;
/// `last_seen` is written at most this often per session, to keep fsyncs off the hot path
/// (more often when the idle limit is short: a sixth of it).
const TOUCH_EVERY_SECONDS: i64 = 60;
/// Sessions one user holds at most; signing in once more ends the least recently used.
pub const SESSIONS_PER_USER: usize = 5;

/// Who ended a session by blocking its user, and when: what the ended session's browser is
/// told on the signed-out page (the generic reasons do not cover it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndedBy {
    pub by_name: String,
    pub at: Timestamp,
}

/// The kind of terminal, which sets the session limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TerminalProfile {
    /// An official's own workstation: idle 15 min, absolute 8 h.
    Desktop,
    /// A shared service-desk terminal: idle 3 min, absolute 4 h.
    Kiosk,
}

/// The idle and absolute limits of each terminal profile, in seconds. The defaults are the
/// service's rules; configuration may only shorten them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    pub desktop_idle: i64,
    pub desktop_absolute: i64,
    pub kiosk_idle: i64,
    pub kiosk_absolute: i64,
}

impl Default for SessionLimits {
    fn default() -> SessionLimits {
        SessionLimits {
            desktop_idle: 15 * 60,
            desktop_absolute: 8 * 3600,
            kiosk_idle: 3 * 60,
            kiosk_absolute: 4 * 3600,
        }
    }
}

impl SessionLimits {
    pub fn idle_seconds(&self, profile: TerminalProfile) -> i64 {
        match profile {
            TerminalProfile::Desktop => self.desktop_idle,
            TerminalProfile::Kiosk => self.kiosk_idle,
        }
    }

    pub fn absolute_seconds(&self, profile: TerminalProfile) -> i64 {
        match profile {
            TerminalProfile::Desktop => self.desktop_absolute,
            TerminalProfile::Kiosk => self.kiosk_absolute,
        }
    }

    /// How often `last_seen` is written: a session's recorded idle time lags its real one by
    /// at most this much.
    pub fn touch_every(&self, profile: TerminalProfile) -> i64 {
        TOUCH_EVERY_SECONDS
            .min(self.idle_seconds(profile) / 6)
            .max(1)
    }

    /// Each limit that is longer than the service's rule, by name: configuration may shorten a
    /// limit, never lengthen it.
    pub fn too_long(&self) -> Vec<&'static str> {
        let rules = SessionLimits::default();
        let mut out = Vec::new();
        for (name, value, rule) in [
            ("desktop idle", self.desktop_idle, rules.desktop_idle),
            (
                "desktop absolute",
                self.desktop_absolute,
                rules.desktop_absolute,
            ),
            ("kiosk idle", self.kiosk_idle, rules.kiosk_idle),
            ("kiosk absolute", self.kiosk_absolute, rules.kiosk_absolute),
        ] {
            if value > rule || value < 10 {
                out.push(name);
            }
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub principal: Principal,
    /// A public handle to list and end the session by (not the token, which only the
    /// browser holds).
    pub id: String,
    pub profile: TerminalProfile,
    /// The client address at sign-in.
    pub source: String,
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
    limits: SessionLimits,
    /// The cluster mode's journal: every write is also put in its session bucket, and this
    /// store follows the bucket ([`SessionStore::follow_journal`]), so that a signed-in user
    /// goes on through any node.
    journal: Option<Arc<dyn crate::journal::Journal>>,
}

/// In the session file: `revision` → the session bucket's revision this file holds.
const JOURNAL_REVISION: redb::TableDefinition<&str, u64> =
    redb::TableDefinition::new("session_journal.v1");

/// The bucket's key of a noted write: the table's name, a dot, the key's bytes in hex.
fn bucket_key(write: &crate::store::RecordWrite) -> String {
    format!("{}.{}", write.table, hex::encode(&write.key))
}

/// The write a bucket entry stands for, with its table's name (`None`: not a session
/// table's).
fn from_bucket(
    key: &str,
    value: Option<Vec<u8>>,
) -> Option<(&'static str, crate::store::RecordWrite)> {
    let (table, hex_key) = key.rsplit_once('.')?;
    let name = [SESSIONS.name(), ENDED.name(), REMEMBERED_PURPOSE.name()]
        .into_iter()
        .find(|name| *name == table)?;
    let write = crate::store::RecordWrite {
        table: table.to_string(),
        key: hex::decode(hex_key).ok()?,
        value,
    };
    Some((name, write))
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
        let db = Database::builder().create_with_backend(redb::backends::FileBackend::new(
            crate::private::private_file(path)?,
        )?)?;
        let txn = db.begin_write()?;
        // Sessions kept in an earlier table version (a schema change signs everyone out) are
        // deleted, not left on disk: they hold names, organisations and client addresses.
        let stale: Vec<_> = redb::WriteTransaction::list_tables(&txn)?
            .filter(|t| {
                use redb::TableHandle;
                t.name().starts_with("session.v") && t.name() != SESSIONS.name()
            })
            .collect();
        for table in stale {
            txn.delete_table(table)?;
        }
        SESSIONS.raw_writer(&txn)?;
        REMEMBERED_PURPOSE.raw_writer(&txn)?;
        txn.commit()?;
        Ok(SessionStore {
            db: Arc::new(db),
            clock,
            limits: SessionLimits::default(),
            journal: None,
        })
    }

    /// The same store in the cluster mode (at start-up; then run [`SessionStore::follow_journal`]).
    pub fn with_journal(mut self, journal: Arc<dyn crate::journal::Journal>) -> SessionStore {
        self.journal = Some(journal);
        self
    }

    /// Commits a write transaction of this store and, in the cluster mode, puts its writes in
    /// the journal's session bucket (waiting for the journal: a session no other node could
    /// find is refused, as every request is when the journal is gone). Called on blocking
    /// threads, as every write of this store is.
    fn commit(
        &self,
        txn: redb::WriteTransaction,
        log: RefCell<Vec<crate::store::RecordWrite>>,
    ) -> Result<(), EngineError> {
        txn.commit()?;
        let Some(journal) = self.journal.as_ref() else {
            return Ok(());
        };
        let writes = log.into_inner();
        if writes.is_empty() {
            return Ok(());
        }
        let work = async {
            for write in &writes {
                journal
                    .put_session(bucket_key(write), write.value.clone())
                    .await
                    .map_err(|e| EngineError::Unavailable(e.to_string()))?;
            }
            Ok(())
        };
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => handle.block_on(work),
            Err(_) => tokio::runtime::Builder::new_current_thread()
                .build()?
                .block_on(work),
        }
    }

    /// Follows the journal's session bucket from the revision this file holds and applies
    /// what other nodes (and this one) wrote; runs until the store is dropped.
    /// The future holds the store's file only while it applies an entry: spawn it and it
    /// ends once the store is dropped.
    pub fn follow_journal(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let journal = self.journal.clone();
        let weak = Arc::downgrade(&self.db);
        async move {
            if let Some(journal) = journal {
                follow_bucket(journal, weak).await;
            }
        }
    }
}

/// The session follower's loop (see [`SessionStore::follow_journal`]).
async fn follow_bucket(journal: Arc<dyn crate::journal::Journal>, weak: std::sync::Weak<Database>) {
    {
        loop {
            let Some(db) = weak.upgrade() else { return };
            let after = match revision(&db) {
                Ok(after) => after,
                Err(e) => {
                    tracing::error!(error = %e, "the session file's revision cannot be read");
                    return;
                }
            };
            drop(db);
            let mut entries = match journal.watch_sessions(after).await {
                Ok(entries) => entries,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot follow the session bucket; trying again");
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    continue;
                }
            };
            loop {
                let next = tokio::time::timeout(std::time::Duration::from_secs(1), entries.next());
                let item = match next.await {
                    Ok(Some(item)) => item,
                    Ok(None) => break,
                    Err(_) if weak.strong_count() == 0 => return,
                    Err(_) => continue,
                };
                let (at, payload) = match item {
                    Ok(entry) => entry,
                    Err(e) => {
                        tracing::warn!(error = %e, "the session bucket broke off; following again");
                        break;
                    }
                };
                let Some(db) = weak.upgrade() else { return };
                let applied =
                    tokio::task::spawn_blocking(move || apply_entry(&db, at, &payload)).await;
                match applied {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "a session entry could not be applied; following again");
                        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                        break;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "the session follower failed");
                        return;
                    }
                }
            }
        }
    }
}

impl SessionStore {
    /// The same store with other limits (shorter ones, from configuration).
    pub fn with_limits(mut self, limits: SessionLimits) -> SessionStore {
        self.limits = limits;
        self
    }

    pub fn limits(&self) -> SessionLimits {
        self.limits
    }

    fn put<V: Serialize + serde::de::DeserializeOwned>(
        &self,
        table: &TypedTable<&'static str, V>,
        key: &str,
        value: Option<&V>,
    ) -> Result<(), EngineError> {
        let txn = self.db.begin_write()?;
        let log = RefCell::new(Vec::new());
        {
            let mut w = table.noting(&txn, &log)?;
            match value {
                Some(v) => w.insert(key, v)?,
                None => w.remove(key)?,
            }
        }
        self.commit(txn, log)?;
        Ok(())
    }

    /// Starts a session and returns the token for the cookie. A user already holding
    /// `SESSIONS_PER_USER` sessions loses the least recently used one.
    pub fn create(
        &self,
        principal: Principal,
        profile: TerminalProfile,
        source: &str,
    ) -> Result<String, EngineError> {
        let token = random_token();
        let now = self.clock.now();
        let mut id = [0u8; 9];
        rand::rng().fill_bytes(&mut id);
        let txn = self.db.begin_write()?;
        let log = RefCell::new(Vec::new());
        {
            let remembered = REMEMBERED_PURPOSE
                .noting(&txn, &log)?
                .get(principal.subject.as_str())?;
            let mut theirs: Vec<(String, Session)> = self
                .scan_in(&txn)?
                .into_iter()
                .filter(|(_, s)| s.principal.subject == principal.subject)
                .collect();
            theirs.sort_by_key(|(_, s)| s.last_seen);
            let mut sessions = SESSIONS.noting(&txn, &log)?;
            let excess = (theirs.len() + 1).saturating_sub(SESSIONS_PER_USER);
            for (key, _) in theirs.iter().take(excess) {
                sessions.remove(key.as_str())?;
            }
            let session = Session {
                principal,
                id: URL_SAFE_NO_PAD.encode(id),
                profile,
                source: source.to_owned(),
                created: now,
                last_seen: now,
                purpose: remembered,
                case_ref: None,
            };
            sessions.insert(key_of(&token).as_str(), &session)?;
        }
        self.commit(txn, log)?;
        Ok(token)
    }

    /// Every session record (live or not) with its key, as a write transaction sees them.
    fn scan_in(&self, txn: &redb::WriteTransaction) -> Result<Vec<(String, Session)>, EngineError> {
        use redb::ReadableTable;
        let table = txn.open_table(SESSIONS.definition())?;
        let mut out = Vec::new();
        for row in table.iter()? {
            let (k, v) = row?;
            out.push((k.value().to_owned(), SESSIONS.decode(v.value())?));
        }
        Ok(out)
    }

    fn expired(&self, session: &Session) -> bool {
        let now = self.clock.now();
        now.0 - session.last_seen.0 > self.limits.idle_seconds(session.profile) * 1000
            || now.0 - session.created.0 > self.limits.absolute_seconds(session.profile) * 1000
    }

    fn stale(&self, session: &Session) -> bool {
        self.clock.now().0 - session.last_seen.0 > self.limits.touch_every(session.profile) * 1000
    }

    /// What is left of a live session, for the browser's countdown.
    pub fn time_left(&self, session: &Session) -> TimeLeft {
        let now = self.clock.now().0;
        let idle_end = session.last_seen.0 + self.limits.idle_seconds(session.profile) * 1000;
        let absolute_end = session.created.0 + self.limits.absolute_seconds(session.profile) * 1000;
        let end = idle_end.min(absolute_end);
        TimeLeft {
            seconds: ((end - now) / 1000).max(0),
            warn_from: 60.min(self.limits.idle_seconds(session.profile) / 2),
            // At equal ends, continuing cannot move the end either.
            absolute: absolute_end <= idle_end,
        }
    }

    /// Removes every expired session; returns how many. Run periodically: a session nobody
    /// comes back to is otherwise removed only when its cookie is presented again. Word of a
    /// block that no browser came for is dropped once any session it ended would have expired.
    pub fn sweep(&self) -> Result<usize, EngineError> {
        let txn = self.db.begin_write()?;
        let log = RefCell::new(Vec::new());
        let stale: Vec<String> = self
            .scan_in(&txn)?
            .into_iter()
            .filter(|(_, s)| self.expired(s))
            .map(|(k, _)| k)
            .collect();
        {
            let mut sessions = SESSIONS.noting(&txn, &log)?;
            for key in &stale {
                sessions.remove(key.as_str())?;
            }
        }
        let longest = self
            .limits
            .absolute_seconds(TerminalProfile::Desktop)
            .max(self.limits.absolute_seconds(TerminalProfile::Kiosk));
        let forget_before = self.now().0 - longest * 1000;
        {
            use redb::ReadableTable;
            let table = txn.open_table(ENDED.definition())?;
            let mut old = Vec::new();
            for row in table.iter()? {
                let (k, v) = row?;
                if ENDED.decode(v.value())?.at.0 < forget_before {
                    old.push(k.value().to_owned());
                }
            }
            drop(table);
            let mut ended = ENDED.noting(&txn, &log)?;
            for key in &old {
                ended.remove(key.as_str())?;
            }
        }
        self.commit(txn, log)?;
        Ok(stale.len())
    }

    /// The user's live sessions, the most recently used first.
    pub fn of_user(&self, subject: &str) -> Result<Vec<Session>, EngineError> {
        use redb::ReadableTable;
        // A read transaction: listing sessions must not queue behind (or hold up) writers.
        let txn = self.db.begin_read()?;
        let table = txn.open_table(SESSIONS.definition())?;
        let mut theirs = Vec::new();
        for row in table.iter()? {
            let (_, v) = row?;
            let s = SESSIONS.decode(v.value())?;
            if s.principal.subject == subject && !self.expired(&s) {
                theirs.push(s);
            }
        }
        theirs.sort_by_key(|s| std::cmp::Reverse(s.last_seen));
        Ok(theirs)
    }

    /// Ends the user's sessions that `which` picks (by public id); returns how many ended.
    pub fn end_of_user(
        &self,
        subject: &str,
        which: impl Fn(&Session) -> bool,
    ) -> Result<usize, EngineError> {
        self.end_sessions(subject, which, None)
    }

    /// Ends the sessions of a user who was just blocked (those `which` picks), and keeps who
    /// blocked them for each ended session's browser to be told once.
    pub fn end_blocked(
        &self,
        subject: &str,
        which: impl Fn(&Session) -> bool,
        by: EndedBy,
    ) -> Result<usize, EngineError> {
        self.end_sessions(subject, which, Some(by))
    }

    /// Who ended this browser's session by a block, if someone did: answered once (the word
    /// is removed with the answer).
    pub fn ended_by(&self, token: &str) -> Result<Option<EndedBy>, EngineError> {
        let key = key_of(token);
        let txn = self.db.begin_read()?;
        let by = ENDED.get(&txn, key.as_str())?;
        drop(txn);
        if by.is_some() {
            let txn = self.db.begin_write()?;
            let log = RefCell::new(Vec::new());
            ENDED.noting(&txn, &log)?.remove(key.as_str())?;
            self.commit(txn, log)?;
        }
        Ok(by)
    }

    fn end_sessions(
        &self,
        subject: &str,
        which: impl Fn(&Session) -> bool,
        by: Option<EndedBy>,
    ) -> Result<usize, EngineError> {
        let txn = self.db.begin_write()?;
        let log = RefCell::new(Vec::new());
        let ending: Vec<String> = self
            .scan_in(&txn)?
            .into_iter()
            .filter(|(_, s)| s.principal.subject == subject && which(s))
            .map(|(k, _)| k)
            .collect();
        {
            let mut sessions = SESSIONS.noting(&txn, &log)?;
            for key in &ending {
                sessions.remove(key.as_str())?;
            }
        }
        if let Some(by) = by {
            let mut ended = ENDED.noting(&txn, &log)?;
            for key in &ending {
                ended.insert(key.as_str(), &by)?;
            }
        }
        self.commit(txn, log)?;
        Ok(ending.len())
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
        if self.expired(&session) {
            return Ok(Peek::Expired);
        }
        let stale = self.stale(&session);
        Ok(Peek::Live { session, stale })
    }

    /// Records that the session was used now (its idle time starts again); returns the
    /// session as it now is, or `None` when it is gone or already over its limits (an
    /// expired session is not brought back).
    pub fn touch(&self, token: &str) -> Result<Option<Session>, EngineError> {
        self.touch_at(token, self.clock.now())
    }

    /// The store's clock's time: what a request records as its moment of use.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Records a use made at `at` (a request's own time, for a write that lands later): the
    /// idle time starts again from then, never from when the write lands, and a late write
    /// never moves `last_seen` back.
    pub fn touch_at(&self, token: &str, at: Timestamp) -> Result<Option<Session>, EngineError> {
        let key = key_of(token);
        // Read and write in one write transaction: a choice made meanwhile is not undone.
        let txn = self.db.begin_write()?;
        let log = RefCell::new(Vec::new());
        let touched = {
            let mut sessions = SESSIONS.noting(&txn, &log)?;
            match sessions.get(key.as_str())? {
                Some(session) if self.expired(&session) => {
                    sessions.remove(key.as_str())?;
                    None
                }
                Some(mut session) => {
                    session.last_seen = session.last_seen.max(at);
                    sessions.insert(key.as_str(), &session)?;
                    Some(session)
                }
                None => None,
            }
        };
        self.commit(txn, log)?;
        Ok(touched)
    }

    /// The live session for a token. Expired sessions are removed and read as absent.
    pub fn get(&self, token: &str) -> Result<Option<Session>, EngineError> {
        let key = key_of(token);
        let txn = self.db.begin_read()?;
        let Some(mut session) = SESSIONS.get(&txn, key.as_str())? else {
            return Ok(None);
        };
        drop(txn);
        if self.expired(&session) {
            self.put(&SESSIONS, &key, None)?;
            return Ok(None);
        }
        if self.stale(&session) {
            session.last_seen = self.clock.now();
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
        let log = RefCell::new(Vec::new());
        let found = {
            let mut sessions = SESSIONS.noting(&txn, &log)?;
            match sessions.get(key.as_str())? {
                Some(mut session) => {
                    session.purpose = Some(purpose);
                    session.case_ref = case_ref;
                    let user = session.principal.subject.clone();
                    sessions.insert(key.as_str(), &session)?;
                    REMEMBERED_PURPOSE
                        .noting(&txn, &log)?
                        .insert(user.as_str(), &purpose)?;
                    true
                }
                None => false,
            }
        };
        self.commit(txn, log)?;
        Ok(found)
    }

    /// Ends a session; returns it if it existed.
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
}

/// The session bucket's revision the file holds.
fn revision(db: &Database) -> Result<u64, EngineError> {
    let txn = db.begin_read()?;
    match crate::store::open_or_empty(&txn, JOURNAL_REVISION)? {
        Some(table) => Ok(redb::ReadableTable::get(&table, "revision")?.map_or(0, |v| v.value())),
        None => Ok(0),
    }
}

/// Applies one entry of the session bucket (revision `at`, its key and value as the journal
/// delivers them), with the revision, in one transaction. An entry of another table is
/// passed over (a newer version's).
fn apply_entry(db: &Database, at: u64, payload: &[u8]) -> Result<(), EngineError> {
    let (key, value): (String, Option<Vec<u8>>) = postcard::from_bytes(payload)
        .map_err(|e| EngineError::Storage(format!("a session entry does not decode: {e}")))?;
    let txn = db.begin_write()?;
    if let Some((name, write)) = from_bucket(&key, value) {
        // Every session table is a typed one: its key a string, its value encoded bytes.
        let table: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new(name);
        crate::store::put(&txn, table, &write)?;
    }
    txn.open_table(JOURNAL_REVISION)?.insert("revision", at)?;
    txn.commit()?;
    Ok(())
}

/// Pending sign-ins at most: a flood past this evicts the oldest, which costs a legitimate
/// user at most a restarted sign-in, never the service.
pub const PENDING_MAX: usize = 10_000;

/// Sign-ins between the redirect to the provider and the callback, in memory and bounded,
/// keyed by SHA-256 of `state`. Each is taken once; a stale one finds nothing.
pub struct PendingLogins {
    clock: Arc<dyn Clock>,
    capacity: usize,
    inner: Mutex<Pending>,
}

#[derive(Default)]
struct Pending {
    flows: HashMap<String, LoginFlow>,
    /// Keys in the order they were put, to sweep and evict from the oldest.
    order: VecDeque<String>,
}

impl PendingLogins {
    pub fn new(clock: Arc<dyn Clock>, capacity: usize) -> PendingLogins {
        PendingLogins {
            clock,
            capacity: capacity.max(1),
            inner: Mutex::new(Pending::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        // The map is consistent after every statement: a panic elsewhere cannot corrupt it.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn fresh(&self, flow: &LoginFlow) -> bool {
        self.clock.now().0 - flow.created.0 <= FLOW_TTL_SECONDS * 1000
    }

    /// Keeps a started sign-in; drops the stale ones, and the oldest when full.
    pub fn put(&self, state: &str, flow: LoginFlow) {
        let key = key_of(state);
        let mut p = self.lock();
        while let Some(oldest) = p.order.front().cloned() {
            let stale = p.flows.get(&oldest).is_none_or(|f| !self.fresh(f));
            if !stale && p.flows.len() < self.capacity {
                break;
            }
            p.order.pop_front();
            p.flows.remove(&oldest);
        }
        if p.flows.insert(key.clone(), flow).is_none() {
            p.order.push_back(key);
        }
    }

    /// Takes a pending sign-in once: a replayed or stale `state` finds nothing.
    pub fn take(&self, state: &str) -> Option<LoginFlow> {
        let flow = self.lock().flows.remove(&key_of(state))?;
        self.fresh(&flow).then_some(flow)
    }

    /// Sign-ins pending now (stale ones included until swept).
    pub fn len(&self) -> usize {
        self.lock().flows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store opened after a schema change keeps no sessions of the old version on disk.
    #[test]
    fn sessions_of_an_earlier_version_are_deleted_when_the_store_opens()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("sessions.redb");
        let old: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("session.v3");
        {
            let db = Database::create(&path)?;
            let txn = db.begin_write()?;
            txn.open_table(old)?
                .insert("k", b"Alice, poliisi, 10.0.0.1".as_slice())?;
            txn.commit()?;
        }
        let clock: Arc<dyn Clock> = Arc::new(crate::clock::FixedClock::new(Timestamp(0)));
        drop(SessionStore::open(&path, clock)?);
        let db = Database::open(&path)?;
        let names: Vec<String> = redb::ReadableDatabase::begin_read(&db)?
            .list_tables()?
            .map(|t| redb::TableHandle::name(&t).to_owned())
            .collect();
        assert!(!names.iter().any(|n| n == "session.v3"), "{names:?}");
        assert!(names.iter().any(|n| n == SESSIONS.name()), "{names:?}");
        Ok(())
    }
    use crate::clock::FixedClock;
    use domain::principal::{Acr, OrgId, UserId};

    fn principal() -> Principal {
        Principal {
            subject: UserId::from_static("u-bob"),
            name: "Bob".into(),
            organisation: OrgId::from_static("espoo"),
            organisation_name: "Espoo".into(),
            acr: Acr::OneFactor,
        }
    }

    fn store() -> Result<(tempfile::TempDir, Arc<FixedClock>, SessionStore), EngineError> {
        let dir = tempfile::tempdir()?;
        let clock = Arc::new(FixedClock::new(Timestamp(1_800_000_000_000)));
        let s = SessionStore::open(&dir.path().join("s.redb"), clock.clone())?;
        Ok((dir, clock, s))
    }

    /// A block ends the user's sessions and leaves word of who blocked them for each ended
    /// session's browser: told once, to that browser only, and forgotten after the longest
    /// session would have ended anyway. Sessions ended otherwise leave no word.
    #[test]
    fn a_block_tells_each_ended_browser_once_who_blocked_it() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let a = s.create(principal(), TerminalProfile::Desktop, "test")?;
        let b = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        let by = EndedBy {
            by_name: "Bob Backman".into(),
            at: clock.now(),
        };
        assert_eq!(s.end_blocked("u-bob", |_| true, by.clone())?, 2);
        assert!(s.get(&a)?.is_none() && s.get(&b)?.is_none());
        assert_eq!(s.ended_by(&a)?, Some(by.clone()));
        assert_eq!(s.ended_by(&a)?, None, "told once");
        assert_eq!(s.ended_by("another-token")?, None);
        // Signed out by the user's own hand: no word of a block.
        let c = s.create(principal(), TerminalProfile::Desktop, "test")?;
        assert_eq!(s.end_of_user("u-bob", |_| true)?, 1);
        assert_eq!(s.ended_by(&c)?, None);
        // Word nobody came for is kept while an ended session could still have been alive
        // (the longest limit, 8 h, to the second), and dropped after.
        let block = |s: &SessionStore, clock: &FixedClock| -> Result<String, EngineError> {
            let t = s.create(principal(), TerminalProfile::Desktop, "test")?;
            s.end_blocked(
                "u-bob",
                |_| true,
                EndedBy {
                    at: clock.now(),
                    ..by.clone()
                },
            )?;
            Ok(t)
        };
        let kept = block(&s, &clock)?;
        clock.advance_seconds(8 * 3600);
        s.sweep()?;
        assert!(s.ended_by(&kept)?.is_some(), "at the limit: kept");
        let dropped = block(&s, &clock)?;
        clock.advance_seconds(8 * 3600 + 1);
        s.sweep()?;
        assert!(s.ended_by(&dropped)?.is_none(), "past the limit: gone");
        assert!(
            s.ended_by(&b)?.is_none(),
            "and the first block's word with it"
        );
        Ok(())
    }

    #[test]
    fn idle_and_absolute_limits() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let t = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        assert!(s.get(&t)?.is_some());
        clock.advance_seconds(179);
        assert!(s.get(&t)?.is_some(), "within the kiosk idle limit");
        clock.advance_seconds(181);
        assert!(s.get(&t)?.is_none(), "idle kiosk session ended");
        assert!(s.get(&t)?.is_none(), "and stays ended");

        let t = s.create(principal(), TerminalProfile::Desktop, "test")?;
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
        let t = s.create(principal(), TerminalProfile::Desktop, "test")?;
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
        let next = s.create(principal(), TerminalProfile::Desktop, "test")?;
        let next = s.get(&next)?.map(|x| (x.purpose, x.case_ref));
        assert_eq!(next, Some((Some(Purpose::MunicipalTasks), None)));
        // Another user's session does not.
        let mut other = principal();
        other.subject = UserId::from_static("u-eve");
        let theirs = s.create(other, TerminalProfile::Desktop, "test")?;
        assert_eq!(s.get(&theirs)?.and_then(|x| x.purpose), None);
        assert!(!s.choose("no-such-token", Purpose::MunicipalTasks, None)?);
        Ok(())
    }

    #[test]
    fn tokens_are_random_and_unknown_tokens_find_nothing() -> Result<(), EngineError> {
        let (_dir, _clock, s) = store()?;
        let a = s.create(principal(), TerminalProfile::Desktop, "test")?;
        let b = s.create(principal(), TerminalProfile::Desktop, "test")?;
        assert_ne!(a, b);
        assert!(a.len() >= 43);
        assert!(s.get("not-a-token")?.is_none());
        assert_eq!(s.remove(&a)?.map(|s| s.source), Some("test".to_string()));
        assert!(s.get(&a)?.is_none());
        assert!(s.get(&b)?.is_some());
        Ok(())
    }

    fn flow(clock: &FixedClock, return_to: &str) -> LoginFlow {
        LoginFlow {
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            return_to: return_to.into(),
            profile: TerminalProfile::Desktop,
            created: clock.now(),
        }
    }

    #[test]
    fn login_flow_is_taken_once_and_expires() {
        let clock = Arc::new(FixedClock::new(Timestamp(1_800_000_000_000)));
        let p = PendingLogins::new(clock.clone(), 100);
        let f = flow(&clock, "/");
        p.put("st", f.clone());
        assert_eq!(p.take("st"), Some(f.clone()));
        assert_eq!(p.take("st"), None, "replay finds nothing");
        p.put("old", f.clone());
        p.put("last-second", f.clone());
        clock.advance_seconds(FLOW_TTL_SECONDS);
        assert_eq!(
            p.take("last-second"),
            Some(f.clone()),
            "valid through its last second"
        );
        clock.advance_seconds(1);
        assert_eq!(p.take("old"), None, "stale flow");
        assert!(p.is_empty());
    }

    #[test]
    fn pending_logins_stay_bounded_evicting_the_oldest_and_the_stale() {
        let clock = Arc::new(FixedClock::new(Timestamp(1_800_000_000_000)));
        let p = PendingLogins::new(clock.clone(), 3);
        assert!(p.is_empty());
        for i in 0..10 {
            p.put(&format!("st-{i}"), flow(&clock, &format!("/{i}")));
            assert!(p.len() <= 3, "at most the capacity");
            assert!(!p.is_empty());
        }
        assert_eq!(p.len(), 3, "fresh sign-ins are kept up to the capacity");
        assert_eq!(p.take("st-6"), None, "the oldest made room");
        for i in [7, 8, 9] {
            assert_eq!(
                p.take(&format!("st-{i}")).map(|f| f.return_to),
                Some(format!("/{i}"))
            );
        }
        p.put("st-9", flow(&clock, "/9"));
        // A stale sign-in is swept at the next put even below capacity.
        clock.advance_seconds(FLOW_TTL_SECONDS + 1);
        p.put("new", flow(&clock, "/new"));
        assert_eq!(p.len(), 1, "the two stale ones are gone");
        assert_eq!(p.take("new").map(|f| f.return_to), Some("/new".into()));
        // Putting the same state twice keeps one entry, the newer.
        p.put("same", flow(&clock, "/a"));
        p.put("same", flow(&clock, "/b"));
        assert_eq!(p.len(), 1);
        assert_eq!(p.take("same").map(|f| f.return_to), Some("/b".into()));
    }

    #[test]
    fn a_user_holds_a_bounded_number_of_sessions_and_can_end_the_others() -> Result<(), EngineError>
    {
        let (_dir, clock, s) = store()?;
        let mut tokens = Vec::new();
        for _ in 0..SESSIONS_PER_USER {
            tokens.push(s.create(principal(), TerminalProfile::Desktop, "10.0.0.1")?);
            clock.advance_seconds(61);
        }
        // The first is used again: the least recently used is now the second.
        s.touch(&tokens[0])?;
        let mut other = principal();
        other.subject = UserId::from_static("u-eve");
        let eve = s.create(other, TerminalProfile::Desktop, "10.0.0.9")?;
        clock.advance_seconds(1);
        let newest = s.create(principal(), TerminalProfile::Kiosk, "10.0.0.2")?;
        assert_eq!(
            s.of_user("u-bob")?.len(),
            SESSIONS_PER_USER,
            "still the bound"
        );
        assert_eq!(
            s.peek(&tokens[1])?,
            Peek::Missing,
            "least recently used ended"
        );
        assert!(matches!(s.peek(&tokens[0])?, Peek::Live { .. }));
        assert!(
            matches!(s.peek(&eve)?, Peek::Live { .. }),
            "another user untouched"
        );
        let listed = s.of_user("u-bob")?;
        assert_eq!(
            listed.first().map(|x| x.source.as_str()),
            Some("10.0.0.2"),
            "newest first"
        );
        let ids: std::collections::BTreeSet<_> = listed.iter().map(|x| x.id.clone()).collect();
        assert_eq!(ids.len(), listed.len(), "distinct public ids");
        // End every other session of the user: the current one and Eve's stay.
        let Peek::Live {
            session: current, ..
        } = s.peek(&newest)?
        else {
            return Err(EngineError::Invalid("newest session missing".into()));
        };
        assert_eq!(
            s.end_of_user("u-bob", |x| x.id != current.id)?,
            SESSIONS_PER_USER - 1
        );
        assert_eq!(s.of_user("u-bob")?.len(), 1);
        assert!(matches!(s.peek(&eve)?, Peek::Live { .. }));
        assert_eq!(s.end_of_user("u-bob", |_| true)?, 1);
        assert_eq!(s.peek(&newest)?, Peek::Missing);
        Ok(())
    }

    #[test]
    fn sweeping_removes_expired_sessions_only() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let kiosk = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        let desk = s.create(principal(), TerminalProfile::Desktop, "test")?;
        assert_eq!(s.sweep()?, 0);
        clock.advance_seconds(181);
        assert_eq!(s.of_user("u-bob")?.len(), 1, "the idle kiosk is not listed");
        assert_eq!(s.sweep()?, 1);
        assert_eq!(s.peek(&kiosk)?, Peek::Missing, "removed, not just expired");
        assert!(matches!(s.peek(&desk)?, Peek::Live { .. }));
        clock.advance_seconds(15 * 60);
        assert_eq!(s.sweep()?, 1);
        assert_eq!(s.sweep()?, 0);
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
        let t = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        assert_eq!(found(&s, &t)?, Some(false));
        clock.advance_seconds(s.limits().touch_every(TerminalProfile::Kiosk));
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
        let d = s.create(principal(), TerminalProfile::Desktop, "test")?;
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
        let t = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        clock.advance_seconds(2);
        assert!(s.get(&t)?.is_some());
        // Had that read restarted the idle time, the session would live on here.
        clock.advance_seconds(179);
        assert!(s.get(&t)?.is_none(), "181 s idle since sign-in");
        let u = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        let every = s.limits().touch_every(TerminalProfile::Kiosk);
        assert_eq!(every, 30, "a sixth of the kiosk's idle limit");
        clock.advance_seconds(every);
        assert!(s.get(&u)?.is_some(), "not yet due: nothing written");
        clock.advance_seconds(181 - every);
        assert!(s.get(&u)?.is_none(), "181 s idle since sign-in");
        let v = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        clock.advance_seconds(180);
        assert!(s.get(&v)?.is_some(), "exactly at the idle limit");
        // A kiosk session ends after 4 h however busy.
        let k = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        for _ in 0..(4 * 20) {
            clock.advance_seconds(180);
            s.touch(&k)?;
        }
        assert!(s.get(&k)?.is_some(), "exactly 4 h");
        clock.advance_seconds(1);
        assert!(s.get(&k)?.is_none(), "4 h and a second");
        Ok(())
    }

    #[test]
    fn configured_limits_are_shorter_and_touch_follows_them() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let shortest = SessionLimits {
            desktop_absolute: 10,
            ..SessionLimits::default()
        };
        assert!(
            shortest.too_long().is_empty(),
            "10 s is the shortest allowed"
        );
        let limits = SessionLimits {
            kiosk_idle: 20,
            desktop_idle: 60,
            ..SessionLimits::default()
        };
        assert!(limits.too_long().is_empty());
        let s = s.with_limits(limits);
        let k = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        let fresh = s
            .get(&k)?
            .ok_or_else(|| EngineError::Invalid("fresh".into()))?;
        assert_eq!(s.time_left(&fresh).warn_from, 10, "half a short idle limit");
        assert_eq!(s.limits().touch_every(TerminalProfile::Kiosk), 3);
        assert_eq!(s.limits().touch_every(TerminalProfile::Desktop), 10);
        // Used every 15 s, it lives on: each use is due to be written.
        for _ in 0..8 {
            clock.advance_seconds(15);
            assert!(s.get(&k)?.is_some());
        }
        clock.advance_seconds(21);
        assert!(s.get(&k)?.is_none(), "21 s idle on a 20 s kiosk");
        let too_long = SessionLimits {
            desktop_idle: 16 * 60,
            kiosk_absolute: 5,
            ..SessionLimits::default()
        };
        assert_eq!(too_long.too_long(), vec!["desktop idle", "kiosk absolute"]);
        Ok(())
    }

    #[test]
    fn time_left_counts_to_the_nearer_limit_and_touch_does_not_revive() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let t = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        clock.advance_seconds(100);
        let Peek::Live { session, stale } = s.peek(&t)? else {
            return Err(EngineError::Invalid("the session ended".into()));
        };
        assert!(stale, "100 s unused is past the 30 s touch interval");
        let left = s.time_left(&session);
        assert_eq!(
            left,
            TimeLeft {
                seconds: 80,
                warn_from: 60,
                absolute: false
            }
        );
        let touched = s
            .touch(&t)?
            .ok_or_else(|| EngineError::Invalid("touched".into()))?;
        assert_eq!(s.time_left(&touched).seconds, 180);
        // Near the absolute limit, the absolute end is what counts.
        for _ in 0..79 {
            clock.advance_seconds(180);
            s.touch(&t)?;
        }
        let session = s
            .touch(&t)?
            .ok_or_else(|| EngineError::Invalid("still live".into()))?;
        let left = s.time_left(&session);
        // 100 s + 80 × 180 s used; 4 h = 14,400 s.
        assert_eq!((left.seconds, left.absolute), (80, true));
        // A use recorded late counts from when it was made, and never moves the idle time back.
        let v = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        let used = s.now();
        clock.advance_seconds(100);
        let late = s
            .touch_at(&v, used)?
            .ok_or_else(|| EngineError::Invalid("live".into()))?;
        assert_eq!(s.time_left(&late).seconds, 80, "from the moment of use");
        let fresh = s
            .touch(&v)?
            .ok_or_else(|| EngineError::Invalid("live".into()))?;
        let older = s
            .touch_at(&v, used)?
            .ok_or_else(|| EngineError::Invalid("live".into()))?;
        assert_eq!(older.last_seen, fresh.last_seen, "not moved back");
        // Past its idle limit, a touch removes instead of reviving.
        let u = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        clock.advance_seconds(181);
        assert_eq!(s.touch(&u)?, None);
        assert_eq!(s.peek(&u)?, Peek::Missing, "removed, not revived");
        Ok(())
    }

    #[test]
    fn when_the_idle_end_meets_the_absolute_end_continuing_cannot_move_it()
    -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let t = s.create(principal(), TerminalProfile::Kiosk, "test")?;
        for _ in 0..79 {
            clock.advance_seconds(180);
            s.touch(&t)?;
        }
        let session = s
            .get(&t)?
            .ok_or_else(|| EngineError::Invalid("live".into()))?;
        let left = s.time_left(&session);
        assert_eq!((left.seconds, left.absolute), (180, true));
        Ok(())
    }

    #[test]
    fn another_users_sessions_do_not_count_against_ones_own() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let mut mine = Vec::new();
        for _ in 0..SESSIONS_PER_USER {
            mine.push(s.create(principal(), TerminalProfile::Desktop, "10.0.0.1")?);
            clock.advance_seconds(1);
        }
        let mut other = principal();
        other.subject = UserId::from_static("u-eve");
        s.create(other, TerminalProfile::Desktop, "10.0.0.9")?;
        for t in &mine {
            assert!(
                matches!(s.peek(t)?, Peek::Live { .. }),
                "eve's sign-in ended none of bob's"
            );
        }
        Ok(())
    }

    #[test]
    fn a_user_lists_and_ends_their_own_sessions_only() -> Result<(), EngineError> {
        let (_dir, clock, s) = store()?;
        let a = s.create(principal(), TerminalProfile::Desktop, "10.0.0.1")?;
        clock.advance_seconds(1);
        let b = s.create(principal(), TerminalProfile::Kiosk, "10.0.0.2")?;
        let mut other = principal();
        other.subject = UserId::from_static("u-eve");
        let e = s.create(other, TerminalProfile::Desktop, "10.0.0.9")?;
        let mine = s.of_user("u-bob")?;
        let sources: Vec<&str> = mine.iter().map(|x| x.source.as_str()).collect();
        assert_eq!(sources, vec!["10.0.0.2", "10.0.0.1"], "most recent first");
        let keep = mine[0].id.clone();
        assert_eq!(s.end_of_user("u-bob", |x| x.id != keep)?, 1);
        assert_eq!(s.peek(&a)?, Peek::Missing);
        assert!(s.get(&b)?.is_some());
        assert!(s.get(&e)?.is_some(), "another user's session stays");
        Ok(())
    }
}
