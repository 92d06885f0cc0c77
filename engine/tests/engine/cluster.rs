//! The cluster mode on a real NATS server (JetStream, started by each test on a free loopback
//! port and stopped by PID): two nodes, each with its own copy of the register and its own
//! audit file, keep one trail with one hash chain; a change fed in through one node is applied
//! on the other, a protection order withholding the address there too; a node that was down
//! catches up from the stream; a second feed cannot interleave; a change of the registry's
//! records made on one node is on the other, and two nodes changing records at once neither
//! lose nor double a change; without the journal no answer leaves a node (fail closed).

use crate::fixture::{
    Fallible, Fixture, TestResult, frank, master, node, node_in, now, today, user,
};
use domain::audit::AuditEvent;
use domain::changes::RegisterChange;
use domain::{Actor, Hetu, ScreenId};
use engine::journal::{JetStream, JetStreamConfig, Journal, JournalError, Stream};
use engine::{EngineError, FEED_TASK};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A NATS server with JetStream on loopback, its store in a temporary directory.
struct Nats {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Nats {
    fn start() -> Fallible<Nats> {
        let bin = std::env::var("KYSELY_NATS_SERVER").unwrap_or_else(|_| "nats-server".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let dir = tempfile::tempdir()?;
        let child = Command::new(&bin)
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {bin} ({e}); dev/tools.sh installs it"))?;
        let nats = Nats {
            child,
            url: format!("nats://127.0.0.1:{port}"),
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(format!("{bin} did not listen on {port}").into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(nats)
    }

    /// A journal client of this server, as node `node`.
    fn journal(&self, node: &str) -> Fallible<Arc<dyn Journal>> {
        let config = JetStreamConfig::local(&self.url, node);
        // JetStream may still be starting when the port opens.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match JetStream::connect(&config) {
                Ok(journal) => return Ok(Arc::new(journal)),
                Err(e) if Instant::now() > deadline => return Err(e.into()),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.stop();
    }
}

fn feed() -> Actor {
    Actor::system(FEED_TASK)
}

fn hetu(code: &str) -> Fallible<Hetu> {
    Ok(Hetu::parse_as_of(code, today()).map_err(|e| format!("{code}: {e:?}"))?)
}

/// Two nodes on one journal, each following the change stream.
fn pair(nats: &Nats) -> Fallible<(Fixture, Fixture)> {
    let a = node(nats.journal("a")?)?;
    let b = node(nats.journal("b")?)?;
    for n in [&a, &b] {
        let engine = n.engine.clone();
        tokio::spawn(engine.follow_journal());
    }
    Ok((a, b))
}

/// Waits (at most 10 s) until `done` holds.
async fn eventually(what: &str, mut done: impl FnMut() -> Fallible<bool>) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done()? {
        if Instant::now() > deadline {
            return Err(format!("not within 10 s: {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_keep_one_trail_with_one_chain() -> TestResult {
    let nats = Nats::start()?;
    let (a, b) = pair(&nats)?;
    let s = &a.samples;
    let p = a.person(&s.ordinary[0]).await?;
    // Reads on both nodes at once: their entries interleave in the journal.
    let (ra, rb) = tokio::join!(
        async {
            for _ in 0..20 {
                a.engine
                    .load_screen(&user("poliisi"), ScreenId::PersonBasic, p)
                    .await?;
            }
            Ok::<_, EngineError>(())
        },
        async {
            for _ in 0..20 {
                b.engine
                    .load_screen(&user("espoo"), ScreenId::PersonBasic, p)
                    .await?;
            }
            Ok::<_, EngineError>(())
        }
    );
    ra?;
    rb?;
    // Each read returned once its node's copy held its entry; the other node's copy follows.
    eventually("both copies hold all 41 entries", || {
        Ok(a.engine.audit().len()? == 41 && b.engine.audit().len()? == 41)
    })
    .await?;
    let (va, vb) = (a.engine.audit().verify()?, b.engine.audit().verify()?);
    assert!(va.intact(), "{va:?}");
    assert_eq!(va, vb, "one chain and one tree on both nodes");
    let (ea, eb) = (
        a.engine.audit().entries_after(0, 100)?,
        b.engine.audit().entries_after(0, 100)?,
    );
    assert_eq!(ea, eb);
    // Both nodes' users are in it: the copies hold the journal, not their own node's part.
    let users: std::collections::BTreeSet<_> =
        ea.iter().map(|r| r.entry.actor.user.clone()).collect();
    assert!(
        users.contains("u-alice") && users.contains("u-bob"),
        "{users:?}"
    );
    // Who looked a person up is answered on either node.
    assert_eq!(
        a.engine.audit().for_subject(&p.audit_key())?.len(),
        b.engine.audit().for_subject(&p.audit_key())?.len()
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_fed_through_one_node_is_applied_on_the_other() -> TestResult {
    let nats = Nats::start()?;
    let (a, b) = pair(&nats)?;
    let s = &a.samples;
    let protected = hetu(&s.ordinary[1])?;
    let p = b.person(&s.ordinary[1]).await?;
    let link = b.engine.link_to(p)?;
    let hanna = user("lansi-uusimaa");
    assert!(
        !b.engine
            .open_screen(&hanna, ScreenId::PersonAddresses, &link)
            .await?
            .has_withheld()
    );
    let report = a
        .engine
        .append_changes(
            &feed(),
            &[
                RegisterChange::ProtectionOrderSet {
                    hetu: protected,
                    since: today(),
                    ends: None,
                },
                RegisterChange::NameChange {
                    hetu: hetu(&s.ordinary[2])?,
                    date: today(),
                    surname: Some("Klusteri".into()),
                    first_names: None,
                },
                // Refused on every node alike: set aside on each.
                RegisterChange::Death {
                    hetu: hetu(&s.ordinary[3])?,
                    date: today().add_days(1),
                },
            ],
        )
        .await?;
    assert_eq!((report.applied, report.dead, report.position), (2, 1, 3));
    // Node a applied them before answering; node b follows the stream.
    eventually("node b applied the three changes", || {
        Ok(b.engine.feed_position()? == 3)
    })
    .await?;
    assert!(
        b.engine
            .open_screen(&hanna, ScreenId::PersonAddresses, &link)
            .await?
            .has_withheld()
    );
    for n in [&a, &b] {
        let renamed = n
            .engine
            .person_record(&s.ordinary[2])?
            .ok_or("renamed person missing")?;
        assert_eq!(renamed.names.surname, "Klusteri");
        let dead = n.engine.dead_letters(0, 10)?;
        assert_eq!(dead.iter().map(|d| d.seq).collect::<Vec<_>>(), vec![3]);
        let check = n.engine.check_register()?;
        assert!(check.problems.is_empty(), "{:?}", check.problems);
    }
    // Each node recorded its application in the one trail.
    eventually("both applications recorded on both copies", || {
        let applied = |f: &Fixture| -> Fallible<usize> {
            Ok(f.engine
                .audit()
                .entries_after(0, 100)?
                .iter()
                .filter(|r| matches!(r.entry.event, AuditEvent::RegisterChangesApplied { .. }))
                .count())
        };
        Ok(applied(&a)? == 2 && applied(&b)? == 2)
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_was_down_catches_up_from_the_stream() -> TestResult {
    let nats = Nats::start()?;
    let a = node(nats.journal("a")?)?;
    let engine = a.engine.clone();
    tokio::spawn(engine.follow_journal());
    // Node b's files are made before the changes and opened after them.
    let (master, samples) = master()?;
    let dir_b = tempfile::tempdir()?;
    std::fs::copy(master, dir_b.path().join("register.redb"))?;
    let mut fed = 0;
    for seed in 0..3 {
        let report = a.engine.feed_generated(&feed(), seed, 200).await?;
        fed += report.applied + report.dead;
    }
    // A plan may come out a little short of what was asked (docs of `changes`).
    let fed = u64::from(fed);
    assert!(fed >= 540, "{fed}");
    assert_eq!(a.engine.feed_position()?, fed);
    let b = node_in(dir_b, nats.journal("b")?, samples)?;
    let engine = b.engine.clone();
    tokio::spawn(engine.follow_journal());
    eventually("node b caught up with the stream", || {
        Ok(b.engine.feed_position()? == fed)
    })
    .await?;
    assert_eq!(
        a.engine.dead_letters(0, 1000)?,
        b.engine.dead_letters(0, 1000)?
    );
    let check = b.engine.check_register()?;
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    // The same people as on node a: every sampled person's record alike.
    for code in a.samples.ordinary.iter().take(40) {
        assert_eq!(a.engine.person_record(code)?, b.engine.person_record(code)?);
    }
    // Its trail caught up too, chain and all.
    eventually("node b's trail caught up", || {
        Ok(b.engine.audit().len()? == a.engine.audit().len()?)
    })
    .await?;
    assert_eq!(a.engine.audit().verify()?, b.engine.audit().verify()?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_writer_cannot_interleave_and_a_gap_is_not_appended() -> TestResult {
    let nats = Nats::start()?;
    let journal = nats.journal("a")?;
    let first = journal
        .append(Stream::Changes, b"x".to_vec(), Some(0))
        .await?;
    assert_eq!(first, 1);
    // A writer that decided against the empty stream is refused, whatever it writes.
    for stale in [0, 2, 7] {
        let r = journal
            .append(Stream::Changes, b"y".to_vec(), Some(stale))
            .await;
        assert_eq!(r, Err(JournalError::Conflict { expected: stale }));
    }
    assert_eq!(journal.last(Stream::Changes).await?.map(|l| l.0), Some(1));

    // Through the engine: a batch that does not continue the stream is refused before the
    // journal has it (every node would stop at it).
    let nats = Nats::start()?;
    let (a, _b) = pair(&nats)?;
    let s = &a.samples;
    let gap = vec![domain::changes::ChangeEvent {
        seq: 5,
        recorded: now(),
        change: RegisterChange::ProtectionOrderSet {
            hetu: hetu(&s.ordinary[0])?,
            since: today(),
            ends: None,
        },
    }];
    let r = a.engine.apply_changes(&feed(), &gap).await;
    assert!(matches!(r, Err(EngineError::Invalid(_))), "{r:?}");
    let journal = nats.journal("probe")?;
    assert_eq!(journal.last(Stream::Changes).await?, None);
    // Nor does anyone but the feed append.
    let r = a
        .engine
        .append_changes(&user("dvv"), &[gap[0].change.clone()])
        .await;
    assert!(matches!(r, Err(EngineError::Invalid(_))), "{r:?}");
    assert_eq!(journal.last(Stream::Changes).await?, None);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_journal_no_answer_leaves_a_node() -> TestResult {
    let mut nats = Nats::start()?;
    let a = node(nats.journal("a")?)?;
    let p = a.person(&a.samples.ordinary[0]).await?;
    nats.stop();
    // Refused within the journal's wait, not hung.
    let r = tokio::time::timeout(
        Duration::from_secs(30),
        a.engine
            .load_screen(&user("poliisi"), ScreenId::PersonBasic, p),
    )
    .await?;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    Ok(())
}

fn question(n: usize) -> domain::contact::QuestionForm {
    domain::contact::QuestionForm {
        topic: "rights".into(),
        subject: format!("Kysymys {n}"),
        text: "Miten haen oikeuden uudelle työntekijälle?".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_changed_through_one_node_is_there_on_the_other() -> TestResult {
    let nats = Nats::start()?;
    let (a, b) = pair(&nats)?;
    let dora = user("dvv");
    let id = a.engine.ask(&frank(), question(1)).await?;
    assert_eq!(id.to_string(), "K-00001");
    // Node a has it when the call returns; node b once it has followed the stream.
    assert_eq!(a.engine.contact(&dora, 0).await?.questions.total, 1);
    let mut on_b = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while on_b != 1 && Instant::now() < deadline {
        on_b = b.engine.contact(&dora, 0).await?.questions.total;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(on_b, 1);
    // Registry staff answer on node b; the asker reads the answer on node a.
    b.engine
        .reply(&dora, id, "Vastuukäyttäjä hakee sen.", false)
        .await?;
    let mut thread = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while thread < 2 && Instant::now() < deadline {
        thread = a.engine.question(&frank(), id).await?.messages.len();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(thread, 2);
    assert_eq!(a.engine.records_followed(), 2);
    assert_eq!(b.engine.records_followed(), 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_changing_records_at_once_lose_and_double_nothing() -> TestResult {
    let nats = Nats::start()?;
    let (a, b) = pair(&nats)?;
    let (bob, dora) = (user("espoo"), user("dvv"));
    let (on_a, on_b) = tokio::join!(
        async {
            let mut out = Vec::new();
            for n in 0..4 {
                out.push(a.engine.ask(&frank(), question(n)).await);
            }
            out
        },
        async {
            let mut out = Vec::new();
            for n in 0..4 {
                out.push(b.engine.ask(&bob, question(10 + n)).await);
            }
            out
        }
    );
    let mut ids = Vec::new();
    for r in on_a.into_iter().chain(on_b) {
        match r {
            Ok(id) => ids.push(id.to_string()),
            // Decided on records another node changed meanwhile: refused whole, try again.
            Err(EngineError::Unavailable(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    assert!(!ids.is_empty());
    let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "no number given twice: {ids:?}");
    let expected = u32::try_from(ids.len())?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (ta, tb) = (
            a.engine.contact(&dora, 0).await?.questions.total,
            b.engine.contact(&dora, 0).await?.questions.total,
        );
        if ta == expected && tb == expected {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("{ta} and {tb} questions, {expected} taken").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// A session store of a node, following the journal's session bucket.
fn sessions_on(dir: &std::path::Path, journal: Arc<dyn Journal>) -> Fallible<engine::SessionStore> {
    let store = engine::SessionStore::open(
        &dir.join("sessions.redb"),
        Arc::new(engine::FixedClock::new(now())),
    )?
    .with_journal(journal);
    let following = store.clone();
    tokio::spawn(following.follow_journal());
    Ok(store)
}

fn principal() -> Fallible<domain::Principal> {
    match user("poliisi").who {
        domain::access::Who::User(p) => Ok(p),
        _ => Err("not a user".into()),
    }
}

/// Waits until `token` peeks as `live` (true: a live session) on `store`.
async fn session_is(store: &engine::SessionStore, token: &str, live: bool) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let peek = store.peek(token)?;
        if matches!(peek, engine::Peek::Live { .. }) == live {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("session not {live} within 10 s: {peek:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_user_goes_on_through_another_node() -> TestResult {
    let mut nats = Nats::start()?;
    let (dir_a, dir_b, dir_c) = (
        tempfile::tempdir()?,
        tempfile::tempdir()?,
        tempfile::tempdir()?,
    );
    let a = sessions_on(dir_a.path(), nats.journal("a")?)?;
    let b = sessions_on(dir_b.path(), nats.journal("b")?)?;
    // Signed in on node a: node b knows the session.
    let token = {
        let a = a.clone();
        let p = principal()?;
        tokio::task::spawn_blocking(move || {
            a.create(p, engine::TerminalProfile::Desktop, "127.0.0.1")
        })
        .await??
    };
    session_is(&b, &token, true).await?;
    // The purpose chosen on node b is the session's on node a.
    {
        let (b, token) = (b.clone(), token.clone());
        tokio::task::spawn_blocking(move || {
            b.choose(&token, domain::Purpose::PoliceInvestigation, None)
        })
        .await??;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let engine::Peek::Live { session, .. } = a.peek(&token)?
            && session.purpose == Some(domain::Purpose::PoliceInvestigation)
        {
            break;
        }
        if Instant::now() > deadline {
            return Err("the purpose chosen on node b did not reach node a".into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A node started later has it too.
    let c = sessions_on(dir_c.path(), nats.journal("c")?)?;
    session_is(&c, &token, true).await?;
    // Signed out on node c: gone on every node.
    {
        let (c, token) = (c.clone(), token.clone());
        tokio::task::spawn_blocking(move || c.remove(&token)).await??;
    }
    session_is(&a, &token, false).await?;
    session_is(&b, &token, false).await?;
    // Without the journal, no session is made that other nodes could not find.
    nats.stop();
    let p = principal()?;
    let r = tokio::time::timeout(
        Duration::from_secs(30),
        tokio::task::spawn_blocking(move || {
            a.create(p, engine::TerminalProfile::Desktop, "127.0.0.1")
        }),
    )
    .await??;
    assert!(matches!(r, Err(EngineError::Unavailable(_))), "{r:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_started_again_decides_at_once() -> TestResult {
    let nats = Nats::start()?;
    let (a, _b) = pair(&nats)?;
    a.engine.ask(&frank(), question(1)).await?;
    let Fixture {
        _dir: dir,
        engine,
        samples,
        ..
    } = a;
    drop(engine);
    // The same files, opened again: the node holds the record stream's position, and takes
    // a decision at once (it waited for a message that had come before it stopped). The files
    // are free once the old engine's followers have noticed it is gone.
    let deadline = Instant::now() + Duration::from_secs(10);
    while engine::register_schema(&dir.path().join("register.redb")).is_err()
        || engine::AuditLog::open(&dir.path().join("audit.redb"))
            .and_then(engine::AuditLog::close)
            .is_err()
    {
        if Instant::now() > deadline {
            return Err("the old node's files were not released".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let opened = Some(node_in(dir, nats.journal("a")?, samples)?);
    let a = opened.ok_or("not opened")?;
    let engine = a.engine.clone();
    tokio::spawn(engine.follow_journal());
    let id =
        tokio::time::timeout(Duration::from_secs(5), a.engine.ask(&frank(), question(2))).await??;
    assert_eq!(id.to_string(), "K-00002");
    Ok(())
}
