//! Request-rate limits: a token bucket per key (a client address for requests without a
//! session, a user or an organisation for queries), in bounded memory. Time comes from the
//! engine's clock, so tests can pin it.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Keys tracked at most; past this, buckets that have refilled are forgotten first.
const MAX_KEYS: usize = 100_000;

/// A limit: `burst` requests at once, refilled at `per_minute`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub per_minute: u32,
    pub burst: u32,
}

pub struct RateLimiter {
    rate: Rate,
    max_keys: usize,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    /// Milliseconds since the epoch when `tokens` was last brought up to date.
    at: i64,
}

impl RateLimiter {
    pub fn new(rate: Rate) -> RateLimiter {
        RateLimiter::with_capacity(rate, MAX_KEYS)
    }

    /// A limiter tracking at most `max_keys` keys.
    pub fn with_capacity(rate: Rate, max_keys: usize) -> RateLimiter {
        RateLimiter {
            rate,
            max_keys: max_keys.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn refilled(&self, b: Bucket, now_ms: i64) -> f64 {
        let elapsed = (now_ms - b.at).max(0) as f64;
        let gained = elapsed * f64::from(self.rate.per_minute) / 60_000.0;
        (b.tokens + gained).min(f64::from(self.rate.burst))
    }

    /// Takes one request from `key`'s bucket. `Err(seconds)`: refused, with when to retry.
    pub fn take(&self, key: &str, now_ms: i64) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= self.max_keys && !buckets.contains_key(key) {
            let burst = f64::from(self.rate.burst);
            buckets.retain(|_, b| self.refilled(*b, now_ms) < burst);
            if buckets.len() >= self.max_keys {
                // Memory stays bounded even under a flood from more addresses than this.
                buckets.clear();
            }
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: f64::from(self.rate.burst),
            at: now_ms,
        });
        let tokens = self.refilled(*bucket, now_ms);
        if tokens >= 1.0 {
            *bucket = Bucket {
                tokens: tokens - 1.0,
                at: now_ms,
            };
            Ok(())
        } else {
            *bucket = Bucket { tokens, at: now_ms };
            let per_ms = f64::from(self.rate.per_minute.max(1)) / 60_000.0;
            Err(((1.0 - tokens) / per_ms / 1000.0).ceil() as u64)
        }
    }

    pub fn tracked(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_refill_rate_per_key() {
        let l = RateLimiter::new(Rate {
            per_minute: 60,
            burst: 3,
        });
        let t = 1_000_000;
        for _ in 0..3 {
            assert_eq!(l.take("a", t), Ok(()));
        }
        assert_eq!(
            l.take("a", t),
            Err(1),
            "the burst is spent: retry in a second"
        );
        assert_eq!(l.take("b", t), Ok(()), "another key has its own bucket");
        assert_eq!(l.take("a", t + 999), Err(1), "not yet a whole token");
        assert_eq!(l.take("a", t + 1000), Ok(()), "one a second");
        assert_eq!(l.take("a", t + 1000), Err(1));
        // A long pause refills to the burst, not beyond.
        let later = t + 3_600_000;
        for _ in 0..3 {
            assert_eq!(l.take("a", later), Ok(()));
        }
        assert!(l.take("a", later).is_err());
        let slow = RateLimiter::new(Rate {
            per_minute: 2,
            burst: 1,
        });
        assert_eq!(slow.take("x", t), Ok(()));
        assert_eq!(slow.take("x", t), Err(30), "two a minute: 30 s to wait");
    }

    #[test]
    fn memory_stays_bounded_forgetting_refilled_keys_first() {
        let l = RateLimiter::with_capacity(
            Rate {
                per_minute: 60,
                burst: 2,
            },
            3,
        );
        let t = 1_000_000;
        for key in ["a", "b", "c"] {
            assert_eq!(l.take(key, t), Ok(()));
        }
        assert_eq!(l.tracked(), 3);
        // "a" spends its burst; a second later the others have refilled, "a" has not.
        assert_eq!(l.take("a", t), Ok(()));
        assert_eq!(l.take("d", t + 1000), Ok(()));
        assert_eq!(
            l.tracked(),
            2,
            "the refilled b and c forgotten, a kept, d added"
        );
        // A key still tracked is not a reason to forget others.
        assert_eq!(l.take("a", t + 1000), Ok(()));
        assert_eq!(l.tracked(), 2);
        assert_eq!(l.take("e", t + 1000), Ok(()));
        assert_eq!(l.tracked(), 3);
        // Full of keys that have not refilled: all are forgotten rather than grow.
        assert_eq!(l.take("d", t + 1000), Ok(()));
        assert_eq!(l.take("e", t + 1000), Ok(()));
        assert_eq!(l.take("f", t + 1000), Ok(()));
        assert_eq!(l.tracked(), 1, "cleared, then f");
        assert_eq!(
            l.take("a", t + 1000),
            Ok(()),
            "a starts afresh with a full burst"
        );
    }
}
