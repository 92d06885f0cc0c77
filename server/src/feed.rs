//! The register change feed in the embedded (single-node) mode. `server changes` feeds a
//! realistic stream of register changes at a chosen rate: when no server holds the register it
//! applies them itself; when one does, it leaves an order in the data directory
//! (`feed/order.json`, written whole by a rename), the serving process carries it out against
//! the register it serves, and reports its progress in `feed/progress.json` for the command to
//! print. The data directory is its user's only, so whoever may leave an order may also run
//! the server. Each part of the stream goes through the engine's feed door (audited, applied
//! whole or not at all); what is served reflects it on the next request.

use engine::{Engine, FEED_TASK};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An operator's order to feed changes at `rate` a second: `changes` as given, in order, or
/// (none given) `count` generated ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// Names the order in its progress reports.
    pub id: String,
    pub count: u64,
    pub rate: u32,
    pub seed: u64,
    #[serde(default)]
    pub changes: Vec<domain::changes::RegisterChange>,
}

/// How an order is going (or went).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub id: String,
    pub done: bool,
    pub applied: u64,
    pub dead: u64,
    /// The stream's position after the last part applied.
    pub position: u64,
    pub elapsed_ms: u64,
    /// Why the feed stopped early.
    pub error: Option<String>,
    /// The changes set aside (the first [`SET_ASIDE_SHOWN`]): which, of what kind, and why;
    /// never the change's data.
    #[serde(default)]
    pub set_aside: Vec<domain::changes::SetAside>,
}

/// How many set-aside changes a report names.
pub const SET_ASIDE_SHOWN: usize = 100;

impl Progress {
    /// Changes applied or set aside a second, so far.
    pub fn rate(&self) -> f64 {
        (self.applied + self.dead) as f64 * 1000.0 / self.elapsed_ms.max(1) as f64
    }
}

pub fn order_path(data_dir: &Path) -> PathBuf {
    data_dir.join("feed").join("order.json")
}

pub fn progress_path(data_dir: &Path) -> PathBuf {
    data_dir.join("feed").join("progress.json")
}

/// Writes `value` as JSON to `path` whole: a reader sees the old file or the new one.
pub fn write_whole(path: &Path, value: &impl Serialize) -> Result<(), String> {
    let dir = path.parent().ok_or("no directory")?;
    engine::private::private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let json = serde_json::to_vec_pretty(value).map_err(|e| e.to_string())?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, json).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The parts the stream is fed in: a tenth of a second's worth each.
const TICK: Duration = Duration::from_millis(100);

/// Feeds `order` into `engine` at its rate, telling `report` after each part. A part that
/// fails stops the feed (the engine has applied nothing of it).
pub async fn run(engine: &Engine, order: &Order, mut report: impl FnMut(&Progress)) -> Progress {
    let actor = domain::Actor::system(FEED_TASK);
    let per_tick = u64::from(order.rate / 10).max(1);
    let started = Instant::now();
    let mut progress = Progress {
        id: order.id.clone(),
        ..Progress::default()
    };
    let mut next = started;
    // Changes applied or set aside so far. A plan finds fewer changes than asked for when the
    // register has few of a kind left (everyone fit to move has moved today), so each part
    // asks for what is still missing; a few empty parts in a row mean the register cannot
    // give more.
    let mut fed = 0u64;
    let mut empty = 0u32;
    while fed < order.count && empty < 10 {
        // What is due by the end of this tick at the rate asked for: a part that took longer
        // than a tick is made up in the next one (bigger parts cost less a change), up to a
        // second's worth at once.
        let due = (started.elapsed() + TICK).as_millis() * u128::from(order.rate) / 1000;
        let behind = u64::try_from(due).unwrap_or(u64::MAX).saturating_sub(fed);
        let part = behind
            .clamp(per_tick, u64::from(order.rate).max(per_tick))
            .min(order.count - fed);
        let count = usize::try_from(part).unwrap_or(usize::MAX);
        let result = if order.changes.is_empty() {
            engine.feed_generated(&actor, order.seed, count).await
        } else {
            let from = usize::try_from(fed).unwrap_or(usize::MAX);
            let given = order.changes.get(from..from.saturating_add(count));
            engine
                .append_changes(&actor, given.unwrap_or_default())
                .await
        };
        match result {
            Ok(r) => {
                if r.dead > 0 && progress.set_aside.len() < SET_ASIDE_SHOWN {
                    let from = progress.position;
                    match engine.dead_letters(from, SET_ASIDE_SHOWN - progress.set_aside.len()) {
                        Ok(dead) => progress.set_aside.extend(dead),
                        Err(e) => tracing::warn!(error = %e, "dead letters not read"),
                    }
                }
                let done = u64::from(r.applied) + u64::from(r.dead);
                fed += done;
                progress.applied += u64::from(r.applied);
                progress.dead += u64::from(r.dead);
                progress.position = r.position;
                empty = if done == 0 { empty + 1 } else { 0 };
            }
            Err(e) => {
                tracing::warn!(error = %e, "register feed stopped");
                progress.error = Some(e.to_string());
                break;
            }
        }
        progress.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        report(&progress);
        next += TICK;
        let now = Instant::now();
        if next > now {
            tokio::time::sleep(next - now).await;
        } else {
            // Slower than the rate asked for: go on at once, from now.
            next = now;
        }
    }
    progress.done = true;
    progress.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    report(&progress);
    progress
}

/// Watches the data directory for an order while serving and carries out each one found.
pub fn spawn_watcher(engine: Engine, data_dir: PathBuf) {
    tokio::spawn(async move {
        let (order_file, progress_file) = (order_path(&data_dir), progress_path(&data_dir));
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let Ok(bytes) = std::fs::read(&order_file) else {
                continue;
            };
            // Taken at once, so an order is carried out once.
            let _ = std::fs::remove_file(&order_file);
            let order: Order = match serde_json::from_slice(&bytes) {
                Ok(o) => o,
                Err(e) => {
                    tracing::warn!(error = %e, "unreadable register feed order ignored");
                    continue;
                }
            };
            tracing::info!(id = %order.id, count = order.count, rate = order.rate, "register feed order taken");
            let done = run(&engine, &order, |p| {
                if let Err(e) = write_whole(&progress_file, p) {
                    tracing::warn!(error = %e, "register feed progress not written");
                }
            })
            .await;
            tracing::info!(
                applied = done.applied,
                dead = done.dead,
                position = done.position,
                "register feed order done"
            );
        }
    });
}
