//! Test support (feature `test-support`): a redb storage backend whose writes can be made to
//! fail, as a full or broken disk would, and the names of tables tests damage on purpose.
//! Only tests enable it; production never links it.

/// The register's person table, for tests that write a corrupt record into it.
pub const PERSONS_TABLE: &str = crate::store::PERSONS.name();

/// An audit entry for tests of the trail's own machinery (the `n`th of a series: its own
/// user, time and request).
pub fn audit_entry(n: i64) -> domain::audit::AuditEntry {
    domain::audit::AuditEntry {
        at: domain::Timestamp(1_800_000_000_000 + n),
        actor: domain::audit::AuditActor {
            user: format!("u-{n}"),
            name: "Test".into(),
            organisation: "org".into(),
            request_id: format!("r-{n}"),
            source: "127.0.0.1".into(),
        },
        purpose: None,
        case_ref: None,
        event: domain::audit::AuditEvent::LoginSucceeded {
            acr: domain::principal::Acr::OneFactor,
        },
    }
}

use redb::StorageBackend;
use redb::backends::InMemoryBackend;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// An in-memory backend with a switch that makes every write, resize and sync fail.
#[derive(Debug)]
pub struct FailingBackend {
    inner: InMemoryBackend,
    fail: Arc<AtomicBool>,
}

impl FailingBackend {
    /// The backend and the switch that breaks it.
    pub fn new() -> (FailingBackend, Arc<AtomicBool>) {
        let fail = Arc::new(AtomicBool::new(false));
        (
            FailingBackend {
                inner: InMemoryBackend::new(),
                fail: fail.clone(),
            },
            fail,
        )
    }

    fn check(&self) -> Result<(), io::Error> {
        if self.fail.load(Ordering::SeqCst) {
            Err(io::Error::other("injected write failure"))
        } else {
            Ok(())
        }
    }
}

impl StorageBackend for FailingBackend {
    fn len(&self) -> Result<u64, io::Error> {
        self.inner.len()
    }
    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), io::Error> {
        self.inner.read(offset, out)
    }
    fn set_len(&self, len: u64) -> Result<(), io::Error> {
        self.check()?;
        self.inner.set_len(len)
    }
    fn sync_data(&self) -> Result<(), io::Error> {
        self.check()?;
        self.inner.sync_data()
    }
    fn write(&self, offset: u64, data: &[u8]) -> Result<(), io::Error> {
        self.check()?;
        self.inner.write(offset, data)
    }
}
