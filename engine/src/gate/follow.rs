//! The cluster mode's followers: each node follows the journal's streams from where its own
//! files are and applies every message in order (register changes through the feed door,
//! the registry's record writes as they were made). A follower holds the engine only while it
//! applies a message, so that dropping the engine ends it; it follows again after a break
//! (a NATS server lost, a leader moved), from the last message it applied.

use crate::error::EngineError;
use crate::gate::{Engine, Inner};
use crate::journal::Stream;
use std::future::Future;
use std::pin::Pin;
use std::sync::Weak;
use std::time::Duration;

/// What a follower does with one message: `Err(Invalid)` is a message no node can apply
/// (skipped by all alike, with an error in the log); any other error is tried again.
pub(super) type Apply =
    for<'a> fn(
        &'a Engine,
        u64,
        Vec<u8>,
    ) -> Pin<Box<dyn Future<Output = Result<(), EngineError>> + Send + 'a>>;

/// Follows `stream` for the engine behind `weak` and applies each message with `apply`;
/// `position` answers how far the engine is; `skipped` notes a message passed over, or the
/// position the node's files hold when it starts following.
pub(super) async fn follow(
    weak: Weak<Inner>,
    stream: Stream,
    position: fn(&Engine) -> Result<u64, EngineError>,
    apply: Apply,
    skipped: fn(&Engine, u64),
) {
    // How far the journal was when the node started following: reaching it is catching up
    // (the log says how long it took; the fault test reads it).
    let started = std::time::Instant::now();
    let mut target = None;
    loop {
        let Some(engine) = weak.upgrade().map(|inner| Engine { inner }) else {
            return;
        };
        let Some(journal) = engine.inner.journal.clone() else {
            return;
        };
        let after = match position(&engine) {
            Ok(after) => after,
            Err(e) => {
                tracing::error!(?stream, error = %e, "the node's position in the journal cannot be read");
                return;
            }
        };
        // What the files hold counts as followed (a node started again holds its position).
        skipped(&engine, after);
        drop(engine);
        if target.is_none() {
            match journal.last(stream).await {
                Ok(last) => target = Some((after, last.map_or(0, |(at, _)| at))),
                Err(e) => {
                    tracing::warn!(?stream, error = %e, "cannot reach the journal; trying again");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
            }
        }
        let mut messages = match journal.follow(stream, after).await {
            Ok(messages) => messages,
            Err(e) => {
                tracing::warn!(?stream, error = %e, "cannot follow the journal; trying again");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        drop(journal);
        loop {
            let item = match tokio::time::timeout(Duration::from_secs(1), messages.next()).await {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(_) if weak.strong_count() == 0 => return,
                Err(_) => continue,
            };
            let Some(engine) = weak.upgrade().map(|inner| Engine { inner }) else {
                return;
            };
            let (at, payload) = match item {
                Ok(message) => message,
                Err(e) => {
                    tracing::warn!(?stream, error = %e, "the journal broke off; following again");
                    break;
                }
            };
            match position(&engine) {
                Ok(done) if at <= done => continue,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(?stream, error = %e, "the node's position in the journal cannot be read");
                    return;
                }
            }
            match apply(&engine, at, payload).await {
                Ok(()) => {
                    if let Some((from, last)) = target
                        && at >= last
                        && last > from
                    {
                        tracing::info!(
                            ?stream,
                            messages = last - from,
                            ms = started.elapsed().as_millis(),
                            "caught up with the journal"
                        );
                        target = Some((last, last));
                    }
                }
                Err(EngineError::Invalid(why)) => {
                    tracing::error!(?stream, position = at, error = %why, "a message of the journal cannot be applied on any node; skipped");
                    skipped(&engine, at);
                }
                Err(e) => {
                    tracing::warn!(?stream, position = at, error = %e, "a message of the journal could not be applied; trying again");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    break;
                }
            }
        }
    }
}
