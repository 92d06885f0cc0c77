//! The register change feed of a serving node: an order left in the data directory (what
//! `server changes` leaves when a server holds the register) is taken once, carried out
//! against the register the server holds, and reported; the register stays consistent.

use domain::{Date, Timestamp};
use engine::population::{GenerateOptions, generate};
use engine::{AuditLog, Engine, FixedClock};
use server::feed::{Order, Progress, order_path, progress_path, spawn_watcher, write_whole};
use std::sync::Arc;
use std::time::Duration;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_left_while_serving_is_carried_out_once_and_reported() -> TestResult {
    let dir = tempfile::tempdir()?;
    let now = Timestamp(Date::new(2026, 12, 7)?.days_since_epoch() * 86_400_000 + 36_000_000);
    let register = dir.path().join("register.redb");
    generate(
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
    spawn_watcher(engine.clone(), dir.path().to_owned());
    let order = Order {
        id: "order-1".into(),
        count: 80,
        rate: 400,
        seed: 3,
    };
    write_whole(&order_path(dir.path()), &order)?;
    let mut done = None;
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let seen: Option<Progress> = std::fs::read(progress_path(dir.path()))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        if let Some(p) = seen.filter(|p| p.done) {
            done = Some(p);
            break;
        }
    }
    let done = done.ok_or("the order was not carried out in 20 s")?;
    assert_eq!(done.id, "order-1");
    assert_eq!(done.error, None);
    assert!(done.applied >= 70, "{done:?}");
    assert_eq!(done.applied + done.dead, done.position);
    assert_eq!(engine.feed_position()?, done.position);
    assert!(!order_path(dir.path()).exists(), "taken once");
    // Nothing more happens without a new order.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(engine.feed_position()?, done.position);
    let report = engine.check_register()?;
    assert_eq!(report.problems, Vec::<String>::new());
    Ok(())
}
