//! The journal: the replicated, ordered log the cluster mode writes through before anything
//! takes effect, one stream per kind of write ([`Stream`]). The embedded default has no
//! journal: each write is made durable in the engine's own files, as it always was. With a
//! journal ([`JetStream`], NATS JetStream with its replicas), a write is durable once the
//! journal acknowledged it (after the replicas' quorum), and every node materialises each
//! stream into its own redb files in the journal's order: the nodes hold the same trail, with
//! the same hash chain, and the same register, and serve their reads locally.
//!
//! The [`Journal`] trait is the engine's whole view of it (append, follow, last), so that
//! another log could stand in; the engine's tests run the replicated paths against a real
//! NATS server when one is given (`KYSELY_TEST_NATS`).

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// How long one pull of a follower waits (see `JetStream::follow`).
const FOLLOW_EXPIRES: Duration = Duration::from_secs(2);

/// A boxed future of the journal (the trait is used as `dyn Journal`).
pub type JournalFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, JournalError>> + Send + 'a>>;

/// The streams of the journal, one per kind of write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Audit entries, in batches as each node's writer took them.
    Audit,
    /// Register changes from the population information system, numbered inside.
    Changes,
    /// The registry's records: each message the writes of one change, as it was made.
    Records,
}

impl Stream {
    pub const ALL: [Stream; 3] = [Stream::Audit, Stream::Changes, Stream::Records];

    fn word(self) -> &'static str {
        match self {
            Stream::Audit => "audit",
            Stream::Changes => "changes",
            Stream::Records => "records",
        }
    }

    /// The stream's name in the journal under `namespace` (`KYSELY_AUDIT`).
    pub fn name(self, namespace: &str) -> String {
        format!("{}_{}", namespace, self.word()).to_uppercase()
    }

    /// The one subject the stream takes under `namespace` (`kysely.audit`).
    pub fn subject(self, namespace: &str) -> String {
        format!("{}.{}", namespace.to_lowercase(), self.word())
    }
}

/// Why the journal did not take or give a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// Another writer appended after position `expected`, which the append was made against.
    #[error("the journal moved on since position {expected}")]
    Conflict { expected: u64 },
    /// The journal could not be reached or did not acknowledge in time: nothing is known to
    /// be written (it may have been).
    #[error("the journal is unavailable: {0}")]
    Unavailable(String),
}

/// One message as followed: its position in the stream and what was appended.
pub type Delivered = (u64, Vec<u8>);

/// The messages of a stream after a position, in order, as they arrive.
pub struct Follow(tokio::sync::mpsc::Receiver<Result<Delivered, JournalError>>);

impl Follow {
    /// The next message, waiting for it (`None` once the journal is gone).
    pub async fn next(&mut self) -> Option<Result<Delivered, JournalError>> {
        self.0.recv().await
    }

    /// The next message from a thread outside any runtime (on `runtime`, a current-thread
    /// runtime of its own with time enabled), waiting at most `wait` (`Ok(None)`: nothing
    /// arrived).
    pub fn next_blocking(
        &mut self,
        runtime: &tokio::runtime::Runtime,
        wait: Duration,
    ) -> Result<Option<Delivered>, JournalError> {
        let closed = || JournalError::Unavailable("the journal's follower ended".into());
        if wait.is_zero() {
            return match self.0.try_recv() {
                Ok(item) => item.map(Some),
                Err(tokio::sync::mpsc::error::TryRecvError::Empty) => Ok(None),
                Err(tokio::sync::mpsc::error::TryRecvError::Disconnected) => Err(closed()),
            };
        }
        match runtime.block_on(async { tokio::time::timeout(wait, self.0.recv()).await }) {
            Ok(Some(item)) => item.map(Some),
            Ok(None) => Err(closed()),
            Err(_) => Ok(None),
        }
    }

    /// A follow fed by hand (tests and other journals).
    pub fn channel(
        depth: usize,
    ) -> (
        tokio::sync::mpsc::Sender<Result<Delivered, JournalError>>,
        Follow,
    ) {
        let (tx, rx) = tokio::sync::mpsc::channel(depth);
        (tx, Follow(rx))
    }
}

/// The replicated log. Every method's future may be awaited on any runtime or blocked on
/// from any thread: the work is done on the journal's own.
pub trait Journal: Send + Sync + 'static {
    /// Appends `payload` to `stream` and returns its position once the journal holds it
    /// durably. With `after`, only if the stream's last position is still `after`
    /// (otherwise [`JournalError::Conflict`]): the writer decided against that state.
    fn append(
        &self,
        stream: Stream,
        payload: Vec<u8>,
        after: Option<u64>,
    ) -> JournalFuture<'_, u64>;

    /// The stream's messages after position `after`, in order, those written later included.
    fn follow(&self, stream: Stream, after: u64) -> JournalFuture<'_, Follow>;

    /// The stream's last position (0: empty) and its message.
    fn last(&self, stream: Stream) -> JournalFuture<'_, Option<Delivered>>;

    /// Sets `key` of the session bucket to `value` (`None`: deletes it), durably.
    fn put_session(&self, key: String, value: Option<Vec<u8>>) -> JournalFuture<'_, ()>;

    /// The session bucket's entries after revision `after`, those written later included,
    /// each delivered as its revision and `(key, value)` postcard-encoded (`None`: deleted).
    fn watch_sessions(&self, after: u64) -> JournalFuture<'_, Follow>;
}

/// How the cluster's streams are kept.
#[derive(Clone, Debug)]
pub struct JetStreamConfig {
    /// The NATS servers' addresses (`nats://127.0.0.1:4222`, …); the client reconnects among them.
    pub servers: Vec<String>,
    /// How many servers hold each stream (1 for one server, 3 in a cluster).
    pub replicas: usize,
    /// This node's name, as the servers list their clients.
    pub node: String,
    /// The streams' names begin with it (`kysely`: `KYSELY_AUDIT`, subject `kysely.audit`), so
    /// that several registers (a test's, a training copy) can share servers.
    pub namespace: String,
    /// How long a write waits for the journal's acknowledgement before it is refused.
    pub ack_wait: Duration,
    /// The certificate authority the servers' TLS certificates are checked against (TLS is
    /// then required).
    pub ca: Option<std::path::PathBuf>,
    /// This node's client certificate and key (mutual TLS: the servers know the node).
    pub client_cert: Option<(std::path::PathBuf, std::path::PathBuf)>,
    /// A user and password the servers know the node by.
    pub user: Option<(String, String)>,
}

impl JetStreamConfig {
    /// One NATS server on loopback, one copy of each stream, no TLS: the tests' and a
    /// developer's.
    pub fn local(url: &str, node: &str) -> JetStreamConfig {
        JetStreamConfig {
            servers: vec![url.to_owned()],
            replicas: 1,
            node: node.to_owned(),
            namespace: "kysely".into(),
            ack_wait: Duration::from_secs(2),
            ca: None,
            client_cert: None,
            user: None,
        }
    }
}

/// How long a node starting keeps trying to reach the journal and set its streams up (a
/// JetStream cluster that has just elected its leader may still time requests out).
const CONNECT_FOR: Duration = Duration::from_secs(30);

/// Tries `attempt` until it succeeds or [`CONNECT_FOR`] has passed (then its last error).
async fn retrying<T, F: Future<Output = Result<T, JournalError>>>(
    attempt: impl Fn() -> F,
) -> Result<T, JournalError> {
    let started = std::time::Instant::now();
    loop {
        match attempt().await {
            Ok(done) => return Ok(done),
            Err(e) if started.elapsed() >= CONNECT_FOR => return Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "the journal is not ready; trying again");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// The journal on NATS JetStream: one stream per [`Stream`], file storage, `replicas` copies.
pub struct JetStream {
    runtime: Option<tokio::runtime::Runtime>,
    context: async_nats::jetstream::Context,
    namespace: String,
    sessions: async_nats::jetstream::kv::Store,
}

impl Drop for JetStream {
    fn drop(&mut self) {
        // A runtime cannot be dropped where blocking is not allowed (inside another runtime).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn unavailable(e: impl std::fmt::Display) -> JournalError {
    JournalError::Unavailable(e.to_string())
}

impl JetStream {
    /// Connects to the servers and makes sure every stream exists with `replicas` copies.
    pub fn connect(config: &JetStreamConfig) -> Result<JetStream, JournalError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("journal")
            .enable_all()
            .build()
            .map_err(unavailable)?;
        // On a thread of its own: the caller may be inside another runtime, where blocking on
        // this one is refused (connecting happens once, at start-up).
        let addresses = config
            .servers
            .iter()
            .map(|s| s.parse::<async_nats::ServerAddr>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(unavailable)?;
        let connecting = || async {
            let mut options = async_nats::ConnectOptions::new()
                .name(&config.node)
                .connection_timeout(Duration::from_secs(5));
            if let Some(ca) = &config.ca {
                options = options.add_root_certificates(ca.clone()).require_tls(true);
            }
            if let Some((cert, key)) = &config.client_cert {
                options = options.add_client_certificate(cert.clone(), key.clone());
            }
            if let Some((user, password)) = &config.user {
                options = options.user_and_password(user.clone(), password.clone());
            }
            let client = options
                .connect(addresses.clone())
                .await
                .map_err(unavailable)?;
            let mut context = async_nats::jetstream::new(client);
            context.set_timeout(config.ack_wait);
            for stream in Stream::ALL {
                context
                    .get_or_create_stream(async_nats::jetstream::stream::Config {
                        name: stream.name(&config.namespace),
                        subjects: vec![stream.subject(&config.namespace)],
                        storage: async_nats::jetstream::stream::StorageType::File,
                        num_replicas: config.replicas,
                        allow_direct: true,
                        ..Default::default()
                    })
                    .await
                    .map_err(unavailable)?;
            }
            let bucket = format!("{}_sessions", config.namespace).to_uppercase();
            let sessions = match context.get_key_value(&bucket).await {
                Ok(store) => store,
                Err(_) => context
                    .create_key_value(async_nats::jetstream::kv::Config {
                        bucket,
                        history: 1,
                        storage: async_nats::jetstream::stream::StorageType::File,
                        num_replicas: config.replicas,
                        ..Default::default()
                    })
                    .await
                    .map_err(unavailable)?,
            };
            Ok::<_, JournalError>((context, sessions))
        };
        let connected = std::thread::scope(|scope| {
            scope
                .spawn(|| runtime.block_on(retrying(connecting)))
                .join()
                .map_err(|_| unavailable("connecting to the journal panicked"))?
        });
        let (context, sessions) = match connected {
            Ok(connected) => connected,
            Err(e) => {
                // Dropped where blocking is allowed or not (the caller may be async).
                runtime.shutdown_background();
                return Err(e);
            }
        };
        Ok(JetStream {
            runtime: Some(runtime),
            context,
            namespace: config.namespace.clone(),
            sessions,
        })
    }

    /// Runs `work` on the journal's runtime and waits for it from wherever the caller is.
    fn on_runtime<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, JournalError>> + Send + 'static,
    ) -> JournalFuture<'_, T> {
        let Some(runtime) = self.runtime.as_ref() else {
            return Box::pin(async { Err(unavailable("the journal is closed")) });
        };
        let task = runtime.spawn(work);
        Box::pin(async move { task.await.map_err(unavailable)? })
    }
}

impl Journal for JetStream {
    fn append(
        &self,
        stream: Stream,
        payload: Vec<u8>,
        after: Option<u64>,
    ) -> JournalFuture<'_, u64> {
        let context = self.context.clone();
        let subject = stream.subject(&self.namespace);
        self.on_runtime(async move {
            use async_nats::jetstream::context::PublishErrorKind;
            let mut message =
                async_nats::jetstream::message::PublishMessage::build().payload(payload.into());
            if let Some(after) = after {
                message = message.expected_last_sequence(after);
            }
            let refused = |e: async_nats::jetstream::context::PublishError| match e.kind() {
                PublishErrorKind::WrongLastSequence => JournalError::Conflict {
                    expected: after.unwrap_or(0),
                },
                _ => unavailable(e),
            };
            let ack = context
                .send_publish(subject, message)
                .await
                .map_err(refused)?
                .await
                .map_err(refused)?;
            Ok(ack.sequence)
        })
    }

    fn follow(&self, stream: Stream, after: u64) -> JournalFuture<'_, Follow> {
        use futures_util::StreamExt;
        let context = self.context.clone();
        let name = stream.name(&self.namespace);
        self.on_runtime(async move {
            let source = context.get_stream(name).await.map_err(unavailable)?;
            let consumer = source
                .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig {
                    deliver_policy:
                        async_nats::jetstream::consumer::DeliverPolicy::ByStartSequence {
                            start_sequence: after + 1,
                        },
                    // A pull waits at most this long, with a heartbeat every half of it: a
                    // follower whose consumer was on a NATS server that died notices in about
                    // two heartbeats and is made a new one (the default, 30 s, stalled a node's
                    // copy for half a minute under the fault test).
                    max_expires: FOLLOW_EXPIRES,
                    ..Default::default()
                })
                .await
                .map_err(unavailable)?;
            let mut messages = consumer.messages().await.map_err(unavailable)?;
            let (tx, follow) = Follow::channel(64);
            tokio::spawn(async move {
                while let Some(item) = messages.next().await {
                    let item = item.map_err(unavailable).and_then(|message| {
                        let seq = message.info().map_err(unavailable)?.stream_sequence;
                        Ok((seq, message.payload.to_vec()))
                    });
                    if tx.send(item).await.is_err() {
                        return;
                    }
                }
            });
            Ok(follow)
        })
    }

    fn put_session(&self, key: String, value: Option<Vec<u8>>) -> JournalFuture<'_, ()> {
        let sessions = self.sessions.clone();
        self.on_runtime(async move {
            match value {
                Some(value) => sessions
                    .put(key, value.into())
                    .await
                    .map(|_| ())
                    .map_err(unavailable),
                None => sessions.delete(key).await.map_err(unavailable),
            }
        })
    }

    fn watch_sessions(&self, after: u64) -> JournalFuture<'_, Follow> {
        use futures_util::StreamExt;
        let sessions = self.sessions.clone();
        self.on_runtime(async move {
            let mut entries = sessions
                .watch_all_from_revision(after + 1)
                .await
                .map_err(unavailable)?;
            let (tx, follow) = Follow::channel(64);
            tokio::spawn(async move {
                use async_nats::jetstream::kv::Operation;
                while let Some(item) = entries.next().await {
                    let item = item.map_err(unavailable).and_then(|entry| {
                        let value = match entry.operation {
                            Operation::Put => Some(entry.value.to_vec()),
                            Operation::Delete | Operation::Purge => None,
                        };
                        let payload =
                            postcard::to_allocvec(&(entry.key, value)).map_err(unavailable)?;
                        Ok((entry.revision, payload))
                    });
                    if tx.send(item).await.is_err() {
                        return;
                    }
                }
            });
            Ok(follow)
        })
    }

    fn last(&self, stream: Stream) -> JournalFuture<'_, Option<Delivered>> {
        let context = self.context.clone();
        let name = stream.name(&self.namespace);
        self.on_runtime(async move {
            let mut source = context.get_stream(name).await.map_err(unavailable)?;
            let last = source
                .info()
                .await
                .map_err(unavailable)?
                .state
                .last_sequence;
            if last == 0 {
                return Ok(None);
            }
            let message = source.get_raw_message(last).await.map_err(unavailable)?;
            Ok(Some((last, message.payload.to_vec())))
        })
    }
}
