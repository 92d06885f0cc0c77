//! The engine tests' shared fixture: a generated register (fixed seed and clock), an audit
//! trail whose storage can be made to fail (or, under `KYSELY_TEST_NATS`, every fixture a
//! cluster-mode node on a real NATS server: the suite runs against both backends), the demo organisations' users, and the subjects the
//! tests walk (found through the gate, as a user would).

use domain::access::Who;
use domain::principal::UserId;
use domain::principal::{Acr, OrgId};
use domain::screen::Cell;
use domain::{
    Actor, Date, Field, Principal, ScreenId, SearchForm, SearchKind, SearchOutcome, SubjectLink,
    SubjectRef, Timestamp,
};
use engine::population::{GenerateOptions, Samples, generate};
use engine::testing::FailingBackend;
use engine::{AuditLog, Engine, FixedClock};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;
pub type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

/// 2026-11-27T10:00:00Z.
pub fn now() -> Timestamp {
    Timestamp(
        (Date::new(2026, 11, 27)
            .map(|d| d.days_since_epoch())
            .unwrap_or(0))
            * 86_400_000
            + 36_000_000,
    )
}

pub fn today() -> Date {
    now().date_in_finland()
}

/// The reason an engine call was refused, if it was.
pub fn refusal<T>(r: &Result<T, engine::EngineError>) -> Option<domain::Denied> {
    match r {
        Err(engine::EngineError::Denied(reason)) => Some(*reason),
        _ => None,
    }
}

/// The demo user of an organisation (their personal right is in the demo register), or a
/// user the register has no right for.
pub fn demo_subject(org: &str) -> UserId {
    match org {
        "poliisi" => UserId::from_static("u-alice"),
        "espoo" => UserId::from_static("u-bob"),
        "isannointi-oy" => UserId::from_static("u-carol"),
        "dvv" => UserId::from_static("u-dora"),
        "lansi-uusimaa" => UserId::from_static("u-hanna"),
        other => UserId::parse(&format!("u-{other}")).unwrap_or_else(|e| unreachable!("{e}")),
    }
}

/// A signed-in user of `org` (one factor). What the user may do comes from their personal right
/// in the register.
pub fn actor(org: &'static str) -> Actor {
    Actor::user(
        Principal {
            subject: demo_subject(org),
            name: format!("User of {org}"),
            organisation: OrgId::from_static(org),
            organisation_name: org.into(),
            acr: Acr::OneFactor,
        },
        "req-1".into(),
        "127.0.0.1".into(),
    )
}

/// A query user of a demo organisation: `poliisi` and `dvv` see everything and protected
/// data (signed in with two factors), `espoo` persons and buildings without residents or wide screens, `isannointi-oy`
/// buildings, dwellings, residents and real estate. The police permit has two purposes of
/// use; its user has chosen criminal investigation.
pub fn user(org: &'static str) -> Actor {
    let mut actor = actor(org);
    // The authorities entitled to protected data sign in with two factors.
    if let (Who::User(p), "poliisi" | "dvv") = (&mut actor.who, org) {
        p.acr = Acr::TwoFactor;
    }
    if org == "poliisi" {
        actor.with_purpose(domain::Purpose::PoliceInvestigation)
    } else {
        actor
    }
}

/// Frank Forsman, a query user of Espoo (no other role).
pub fn frank() -> Actor {
    let mut a = user("espoo");
    if let Who::User(p) = &mut a.who {
        p.subject = domain::principal::UserId::from_static("u-frank");
        p.name = "Frank Forsman".into();
    }
    a
}

/// `a` signed in with a password only.
pub fn one_factor(mut a: Actor) -> Actor {
    if let Who::User(p) = &mut a.who {
        p.acr = Acr::OneFactor;
    }
    a
}

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub engine: Engine,
    pub samples: Samples,
    pub fail_audit: Arc<AtomicBool>,
    /// The engine's clock, to move time on (service-level clocks).
    pub clock: Arc<FixedClock>,
    /// A cluster-mode fixture's followers (none in the embedded mode).
    pub _followers: Followers,
}

/// One register for the whole test binary, generated once; each fixture opens a copy (redb
/// opens a file once per process).
static REGISTER: OnceLock<Result<(tempfile::TempDir, Samples), String>> = OnceLock::new();

/// The register generated once for the whole binary, and its samples.
pub fn master() -> Fallible<(std::path::PathBuf, Samples)> {
    let (master, samples) = REGISTER
        .get_or_init(|| {
            let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
            let summary = generate(
                &dir.path().join("register.redb"),
                &GenerateOptions {
                    persons: 3000,
                    buildings: None,
                    properties: None,
                    seed: 7,
                    today: today(),
                },
                &mut |_| {},
            )
            .map_err(|e| e.to_string())?;
            Ok((dir, summary.samples))
        })
        .as_ref()
        .map_err(|e| e.clone())?;
    Ok((master.path().join("register.redb"), samples.clone()))
}

/// The NATS server the whole suite runs against when `KYSELY_TEST_NATS` names one (`make test`
/// runs the suite a second time so): every fixture is then a cluster-mode node on the journal
/// (its own streams, its own namespace), the embedded default otherwise.
fn test_nats() -> Option<String> {
    std::env::var("KYSELY_TEST_NATS")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A fresh copy of the register, with the embedded default or, under `KYSELY_TEST_NATS`, as a
/// node of the cluster mode.
pub fn fixture() -> Fallible<Fixture> {
    match test_nats() {
        Some(url) => journal_fixture(&url),
        None => embedded_fixture(),
    }
}

/// A fresh copy of the register with the embedded default whatever the suite runs against:
/// for the tests that make the local audit storage fail (the cluster mode's own failures, a
/// journal out of reach, are tested in `cluster`).
pub fn embedded_fixture() -> Fallible<Fixture> {
    let (master, samples) = master()?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("register.redb");
    std::fs::copy(master, &path)?;
    let (backend, fail_audit) = FailingBackend::new();
    let audit = AuditLog::open_with_backend(backend)?;
    let clock = Arc::new(FixedClock::new(now()));
    // These tests walk the gate with many queries at one instant: the abuse limits (tested in
    // `watch` and the server's router tests) are lifted here.
    let engine = Engine::open(&path, audit, clock.clone())?.with_query_limits(unlimited())?;
    Ok(Fixture {
        _dir: dir,
        engine,
        samples,
        fail_audit,
        clock,
        _followers: Followers(None),
    })
}

/// A cluster-mode node on the NATS server at `url`, alone on its own streams (a namespace of
/// its own), following them on a runtime of its own: a test's calls that wait for this node to
/// apply what it appended never wait on the test's own runtime.
fn journal_fixture(url: &str) -> Fallible<Fixture> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let mut config = engine::journal::JetStreamConfig::local(url, &format!("test-{n}"));
    config.namespace = format!("t{}n{n}", std::process::id());
    let journal: Arc<dyn engine::journal::Journal> =
        Arc::new(engine::journal::JetStream::connect(&config)?);
    let (master, samples) = master()?;
    let dir = tempfile::tempdir()?;
    std::fs::copy(master, dir.path().join("register.redb"))?;
    let mut fixture = node_in(dir, journal, samples)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    runtime.spawn(fixture.engine.clone().follow_journal());
    fixture._followers = Followers(Some(runtime));
    Ok(fixture)
}

/// The runtime a cluster-mode fixture's followers run on, stopped with the fixture.
pub struct Followers(Option<tokio::runtime::Runtime>);

impl Drop for Followers {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

pub fn form(kind: SearchKind, values: &[(Field, &str)]) -> SearchForm {
    let mut f = SearchForm::new(kind);
    for (field, v) in values {
        f.set(*field, *v);
    }
    f
}

impl Fixture {
    /// Runs a search as `actor` from what a user would type.
    pub async fn search(
        &self,
        actor: &Actor,
        kind: SearchKind,
        values: &[(Field, &str)],
    ) -> Result<SearchOutcome, engine::EngineError> {
        let search = form(kind, values)
            .validate(today())
            .map_err(|e| engine::EngineError::Invalid(format!("{e:?}")))?;
        self.engine.search(actor, search).await
    }

    /// The person with this identity code, found through the gate by the police.
    pub async fn person(&self, hetu: &str) -> Fallible<SubjectRef> {
        match self
            .search(&user("poliisi"), SearchKind::Hetu, &[(Field::Hetu, hetu)])
            .await?
        {
            SearchOutcome::Found { subject, .. } => self.opened(&subject),
            other => Err(format!("{hetu}: {other:?}").into()),
        }
    }

    /// The link target in column `key` of the first row of a screen.
    pub async fn link(
        &self,
        screen: ScreenId,
        subject: SubjectRef,
        key: &str,
    ) -> Fallible<SubjectRef> {
        let data = self
            .engine
            .load_screen(&user("poliisi"), screen, subject)
            .await?;
        let at = screen
            .spec()
            .columns
            .iter()
            .position(|c| c.key == key)
            .ok_or("no such column")?;
        let link = data
            .rows
            .iter()
            .find_map(|r| match &r.cells[at] {
                Cell::Link { target, .. } => Some(target.clone()),
                _ => None,
            })
            .ok_or_else(|| format!("no link in {key} of {}", screen.spec().slug))?;
        self.opened(&link)
    }

    /// The subject behind a link the engine handed out (every one must open).
    pub fn opened(&self, link: &SubjectLink) -> Fallible<SubjectRef> {
        self.engine
            .open_link(link)
            .ok_or_else(|| format!("the engine's own link {link:?} opens nothing").into())
    }

    /// The subjects the first column of these rows links to (residents, hits), in order.
    pub fn first_column_links(&self, rows: &[domain::screen::Row]) -> Fallible<Vec<SubjectRef>> {
        rows.iter()
            .filter_map(|r| match r.cells.first() {
                Some(Cell::Link { target, .. }) => Some(self.opened(target)),
                _ => None,
            })
            .collect()
    }

    /// One subject of every kind, walked from a married parent: their dwelling, its building,
    /// the building's property.
    pub async fn walk(&self) -> Fallible<Subjects> {
        let code = self.samples.families.first().ok_or("no family sample")?;
        let person = self.person(code).await?;
        let dwelling = self
            .link(ScreenId::PersonResidence, person, "dwelling")
            .await?;
        let building = self
            .link(ScreenId::PersonResidence, person, "building")
            .await?;
        let property = self
            .link(ScreenId::BuildingBasic, building, "location_property")
            .await?;
        Ok(Subjects {
            person,
            dwelling,
            building,
            property,
        })
    }
}

pub struct Subjects {
    pub person: SubjectRef,
    pub dwelling: SubjectRef,
    pub building: SubjectRef,
    pub property: SubjectRef,
}

impl Subjects {
    pub fn of(&self, kind: domain::SubjectKind) -> SubjectRef {
        match kind {
            domain::SubjectKind::Person => self.person,
            domain::SubjectKind::Building => self.building,
            domain::SubjectKind::Dwelling => self.dwelling,
            domain::SubjectKind::Property => self.property,
        }
    }
}

/// Query limits nobody reaches.
pub fn unlimited() -> engine::watch::QueryLimits {
    let rate = engine::limits::Rate {
        per_minute: u32::MAX / 2,
        burst: u32::MAX / 2,
    };
    engine::watch::QueryLimits {
        user: rate,
        organisation: rate,
        min_searches: u32::MAX / 4,
        same_birth_date: u32::MAX / 4,
        ..engine::watch::QueryLimits::default()
    }
}

/// A node of the cluster mode: its own copy of the register and its own audit file, both
/// following `journal` (the register's changes once [`Engine::follow_changes`] runs).
pub fn node(journal: Arc<dyn engine::journal::Journal>) -> Fallible<Fixture> {
    let (master, samples) = master()?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("register.redb");
    std::fs::copy(master, &path)?;
    node_in(dir, journal, samples)
}

/// A node over the register and trail already in `dir` (a node started again).
pub fn node_in(
    dir: tempfile::TempDir,
    journal: Arc<dyn engine::journal::Journal>,
    samples: Samples,
) -> Fallible<Fixture> {
    let audit = AuditLog::open_replicated(&dir.path().join("audit.redb"), journal.clone())?;
    let clock = Arc::new(FixedClock::new(now()));
    let engine = Engine::open(&dir.path().join("register.redb"), audit, clock.clone())?
        .with_query_limits(unlimited())?
        .with_journal(journal)?;
    Ok(Fixture {
        _dir: dir,
        engine,
        samples,
        fail_audit: Arc::new(AtomicBool::new(false)),
        clock,
        _followers: Followers(None),
    })
}
