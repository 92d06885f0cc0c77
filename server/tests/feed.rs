//! The register change feed of a serving node: an order left in the data directory (what
//! `server changes` leaves when a server holds the register) is taken once, carried out
//! against the register the server holds, and reported; the register stays consistent.

use domain::{Date, Timestamp};
use engine::population::{GenerateOptions, generate};
use engine::{AuditLog, Engine, FixedClock};
use server::feed::{Order, Progress, order_path, progress_path, spawn_watcher, write_whole};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The report of order `id` once the server says it is done (within 20 s).
async fn carried_out(data_dir: &Path, id: &str) -> Result<Progress, Box<dyn std::error::Error>> {
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let seen: Option<Progress> = std::fs::read(progress_path(data_dir))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        if let Some(p) = seen.filter(|p| p.done && p.id == id) {
            return Ok(p);
        }
    }
    Err(format!("order {id} was not carried out in 20 s").into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_left_while_serving_is_carried_out_once_and_reported() -> TestResult {
    let dir = tempfile::tempdir()?;
    let now = Timestamp(Date::new(2026, 12, 7)?.days_since_epoch() * 86_400_000 + 36_000_000);
    let register = dir.path().join("register.redb");
    let summary = generate(
        &register,
        &GenerateOptions {
            persons: 600,
            buildings: None,
            properties: None,
            seed: 5,
            today: now.date_in_finland(),
        },
        &mut |_| {},
    )?;
    let engine = Engine::open(
        &register,
        AuditLog::open(&dir.path().join("audit.redb"))?,
        Arc::new(FixedClock::new(now)),
    )?;
    // What `server changes` meets while a server runs: the files are held, and it says so.
    assert!(matches!(
        AuditLog::open(&dir.path().join("audit.redb")),
        Err(engine::EngineError::Held)
    ));
    spawn_watcher(engine.clone(), dir.path().to_owned());
    let order = Order {
        id: "order-1".into(),
        count: 80,
        rate: 400,
        seed: 3,
        changes: Vec::new(),
    };
    write_whole(&order_path(dir.path()), &order)?;
    let done = carried_out(dir.path(), "order-1").await?;
    assert_eq!(done.id, "order-1");
    assert_eq!(done.error, None);
    // Each part asks for what is still missing: the order's count is fed whole.
    assert_eq!(done.applied + done.dead, 80, "{done:?}");
    assert_eq!(done.position, 80);
    assert_eq!(engine.feed_position()?, done.position);
    assert!(!order_path(dir.path()).exists(), "taken once");
    // Nothing more happens without a new order.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(engine.feed_position()?, done.position);
    // Changes as given (one JSON change a line, as `server changes --file` reads them):
    // numbered on from the stream's position; one that cannot be applied is set aside.
    let lines = format!(
        "{{\"ProtectionOrderSet\":{{\"hetu\":\"{}\",\"since\":\"2026-12-07\",\"ends\":null}}}}\n\
         {{\"Death\":{{\"hetu\":\"{}\",\"date\":\"2026-12-06\"}}}}",
        summary.samples.ordinary[0], summary.samples.not_in_register
    );
    let changes = lines
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<Vec<domain::changes::RegisterChange>, _>>()?;
    let given = Order {
        id: "order-2".into(),
        count: 2,
        rate: 100,
        seed: 0,
        changes,
    };
    write_whole(&order_path(dir.path()), &given)?;
    let second = carried_out(dir.path(), "order-2").await?;
    assert_eq!(
        (second.applied, second.dead, second.position),
        (1, 1, done.position + 2)
    );
    // The report names what was set aside and why, not the change's data.
    assert_eq!(
        second.set_aside,
        vec![domain::changes::SetAside {
            seq: done.position + 2,
            kind: "death".into(),
            refusal: domain::changes::ChangeRefusal::UnknownPerson,
        }]
    );
    assert_eq!(engine.dead_letters(done.position, 10)?, second.set_aside);
    let report = engine.check_register()?;
    assert_eq!(report.problems, Vec::<String>::new());
    Ok(())
}
