//! The `server` binary: `serve` (default) runs the service, creating the demo register on first
//! start; `generate` writes a synthetic register; `audit verify` checks the audit hash chain.

use clap::{Parser, Subcommand};
use engine::population::{GenerateOptions, generate};
use engine::{AuditLog, Clock, Engine, SessionStore, SystemClock};
use leptos::config::LeptosOptions;
use server::{AppState, Config};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The server allocates and frees small buffers on every request (JSON, rows, audit
/// entries); mimalloc does that with less contention than the system allocator (measured in
/// docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "kysely", about = "Kysely – population register query service")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the application (the default).
    Serve,
    /// Write a synthetic register.
    Generate {
        /// Number of persons (1 to 10,000,000; Finland is 5,600,000).
        #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        persons: u64,
        /// Number of buildings (default: Finland's ratio, 3.8 million per 5.6 million persons).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        buildings: Option<u64>,
        /// Number of real-estate units (default: Finland's ratio, 2.5 million per 5.6 million persons).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        properties: Option<u64>,
        /// Seed: the same seed gives the same register.
        #[arg(long, default_value_t = 20261127)]
        seed: u64,
        /// Output file (replaced atomically).
        #[arg(long, default_value = "data/register.redb")]
        out: PathBuf,
    },
    /// Generate a register, then measure lookups in it; prints a Markdown table of timings.
    /// An operator command: it reads the file directly and prints no register data.
    Bench {
        #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        persons: u64,
        #[arg(long, default_value_t = 20261127)]
        seed: u64,
        /// Random keys per lookup kind.
        #[arg(long, default_value_t = 10_000)]
        samples: usize,
        /// Where the register is written (kept afterwards).
        #[arg(long, default_value = "data/bench/register.redb")]
        out: PathBuf,
    },
    /// Write request bodies for the HTTP benchmark (`dev/bench-http.sh`) into a directory:
    /// `person.jsonl`, `screens.jsonl` and `search-<kind>.jsonl`, one JSON body per line,
    /// drawn at random from the whole register. Reads a register no server has open.
    BenchRequests {
        #[arg(long, default_value = "data/register.redb")]
        file: PathBuf,
        /// Bodies per workload.
        #[arg(long, default_value_t = 20_000)]
        count: usize,
        #[arg(long, default_value_t = 20261127)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Feed a realistic stream of register changes (moves, deaths, births, name changes,
    /// marriages, divorces, protection orders, code changes in Finland's yearly proportions)
    /// into the register at a chosen rate: through the serving process when a server holds the
    /// register (applied while it serves), otherwise directly. Prints counts, never register
    /// data. The data directory is `KYSELY_DATA_DIR` (default `data`).
    Changes {
        /// How many changes.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        count: u64,
        /// Changes a second.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        rate: u32,
        /// Seed: with the same register, the same changes.
        #[arg(long, default_value_t = 20261207)]
        seed: u64,
        /// Feed these changes instead, one JSON change per line (a correction, or a change
        /// sent by hand), e.g. `{"ProtectionOrderSet":{"hetu":"…","since":"2026-12-07","ends":null}}`.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Register tools.
    Register {
        #[command(subcommand)]
        command: RegisterCommand,
    },
    /// Audit-trail tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum RegisterCommand {
    /// Say whether a register was made by this version (exit status 1 if not).
    Schema {
        #[arg(long, default_value = "data/register.redb")]
        file: PathBuf,
    },
    /// Check relations, references and indexes of a register that no server has open. An
    /// operator command: it prints counts and the ids of broken records, no register data.
    Check {
        #[arg(long, default_value = "data/register.redb")]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify an audit file that no server has open: its hash chain, its Merkle tree, and
    /// each signed tree head (signature, and the trail's root at the head's size).
    Verify {
        #[arg(long, default_value = "data/audit.redb")]
        file: PathBuf,
        /// The heads file (default: audit-heads.jsonl beside the trail, if there is one).
        #[arg(long)]
        heads: Option<PathBuf>,
        /// The public key (base64) the heads must be signed with.
        #[arg(long)]
        public_key: Option<String>,
        /// Or the signing key file, whose public half is used.
        #[arg(long, conflicts_with = "public_key")]
        key_file: Option<PathBuf>,
    },
    /// Write a synthetic trail (realistic entries, a day per 500,000) into a new directory,
    /// then print its size per entry and how fast it verifies (run `audit verify` on it again
    /// under /usr/bin/time for the memory).
    Bench {
        #[arg(long, default_value_t = 1_000_000)]
        entries: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        dir: PathBuf,
    },
    /// Print the request id of every entry of an audit file no server has open, one a line
    /// (the `x-request-id` each answer carried: a fault test checks its answers against them).
    Requests {
        #[arg(long, default_value = "data/audit.redb")]
        file: PathBuf,
    },
    /// Write a new key for signing tree heads (KYSELY_AUDIT_KEY_FILE) and print its public key.
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
    /// Print a proof as JSON: that the trail's first --from entries are a prefix of its first
    /// --to (consistency), or that entry --entry is among its first --to (inclusion); --to
    /// defaults to every entry.
    Prove {
        #[arg(long, default_value = "data/audit.redb")]
        file: PathBuf,
        #[arg(long, required_unless_present = "entry", conflicts_with = "entry")]
        from: Option<u64>,
        #[arg(long)]
        entry: Option<u64>,
        #[arg(long)]
        to: Option<u64>,
    },
}

fn main() -> ExitCode {
    // Whatever this process writes (register, trail, sessions, samples) is its user's only.
    engine::private::keep_new_files_private();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn")),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::Generate {
            persons,
            buildings,
            properties,
            seed,
            out,
        } => run_generate(&out, persons, buildings, properties, seed).map(|_| ()),
        Command::Audit { command } => audit_command(command),
        Command::Changes {
            count,
            rate,
            seed,
            file,
        } => changes(count, rate, seed, file.as_deref()),
        Command::Register {
            command: RegisterCommand::Check { file },
        } => check(&file),
        Command::Register {
            command: RegisterCommand::Schema { file },
        } => match engine::register_schema(&file) {
            Ok(Some(s)) if s == engine::REGISTER_SCHEMA => {
                println!("{}: {s} (current)", file.display());
                Ok(())
            }
            Ok(found) => Err(format!(
                "{}: schema {}, this version reads {}",
                file.display(),
                found.as_deref().unwrap_or("none"),
                engine::REGISTER_SCHEMA
            )),
            Err(e) => Err(format!("cannot read {}: {e}", file.display())),
        },
        Command::Bench {
            persons,
            seed,
            samples,
            out,
        } => bench(&out, persons, seed, samples),
        Command::BenchRequests {
            file,
            count,
            seed,
            out,
        } => bench_requests(&file, count, seed, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_generate(
    out: &Path,
    persons: u64,
    buildings: Option<u64>,
    properties: Option<u64>,
    seed: u64,
) -> Result<engine::population::Summary, String> {
    let today = SystemClock.now().date_in_finland();
    let options = GenerateOptions {
        persons,
        buildings,
        properties,
        seed,
        today,
    };
    options.check().map_err(|e| e.to_string())?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        engine::private::private_dir(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new(persons);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {pos}/{len} persons, {per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message("generating");
    let summary = generate(out, &options, &mut |p| bar.set_position(p.persons_done))
        .map_err(|e| format!("generating the register failed: {e}"))?;
    bar.finish_and_clear();
    let samples = out.with_file_name("samples.json");
    let json = serde_json::to_string_pretty(&summary.samples).map_err(|e| e.to_string())?;
    std::fs::write(&samples, json)
        .map_err(|e| format!("cannot write {}: {e}", samples.display()))?;
    println!(
        "register {}: {} persons, {} buildings, {} dwellings, {} real-estate units in {:.1} s; sample identity codes in {}",
        out.display(),
        summary.persons,
        summary.buildings,
        summary.dwellings,
        summary.properties,
        started.elapsed().as_secs_f64(),
        samples.display()
    );
    Ok(summary)
}

fn audit_command(command: AuditCommand) -> Result<(), String> {
    let out = match command {
        AuditCommand::Verify {
            file,
            heads,
            public_key,
            key_file,
        } => {
            let signer = match (public_key, key_file) {
                (Some(key), _) => server::trail::Signer::PublicKey(key),
                (None, Some(file)) => server::trail::Signer::KeyFile(file),
                (None, None) => server::trail::Signer::Development,
            };
            server::trail::verify(&file, heads.as_deref(), &signer)?
        }
        AuditCommand::Keygen { out } => server::trail::keygen(&out)?,
        AuditCommand::Requests { file } => {
            use std::io::Write as _;
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let mut failed = None;
            engine::audit::request_ids_file(&file, |_, id| {
                if failed.is_none()
                    && let Err(e) = writeln!(stdout, "{id}")
                {
                    failed = Some(e);
                }
            })
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            if let Some(e) = failed {
                return Err(format!("cannot write: {e}"));
            }
            stdout.flush().map_err(|e| format!("cannot write: {e}"))?;
            return Ok(());
        }
        AuditCommand::Bench { entries, seed, dir } => server::trail::bench(&dir, entries, seed)?,
        AuditCommand::Prove {
            file,
            from,
            entry,
            to,
        } => {
            let what = match (entry, from) {
                (Some(seq), _) => server::trail::Prove::Inclusion { seq, size: to },
                (None, Some(first)) => server::trail::Prove::Consistency { first, size: to },
                (None, None) => return Err("give --from or --entry".into()),
            };
            server::trail::prove(&file, &what)?
        }
    };
    println!("{out}");
    Ok(())
}

fn check(file: &Path) -> Result<(), String> {
    let report = engine::population::check::check_register(file)
        .map_err(|e| format!("cannot check {}: {e}", file.display()))?;
    println!(
        "{} persons, {} buildings, {} dwellings, {} real-estate units, {} relations",
        report.persons, report.buildings, report.dwellings, report.properties, report.relations
    );
    for p in &report.problems {
        println!("problem: {p}");
    }
    if report.problem_count == 0 {
        println!("register consistent");
        Ok(())
    } else {
        Err(format!("{} problems", report.problem_count))
    }
}

/// Peak resident set size of this process so far, in MiB (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn bench(out: &Path, persons: u64, seed: u64, samples: usize) -> Result<(), String> {
    let started = std::time::Instant::now();
    let summary = run_generate(out, persons, None, None, seed)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let rss = peak_rss_mib().unwrap_or(0.0);
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0) as f64 / (1024.0 * 1024.0);
    let latencies = engine::bench::lookup_latencies(out, samples, seed)
        .map_err(|e| format!("measuring lookups failed: {e}"))?;
    println!();
    println!(
        "| persons | buildings | dwellings | real-estate units | generate + load | database | peak RSS |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {} | {} | {:.1} s | {:.1} MiB | {:.0} MiB |",
        summary.persons,
        summary.buildings,
        summary.dwellings,
        summary.properties,
        load_seconds,
        size,
        rss
    );
    println!();
    println!("| lookup (in engine, warm, own read transaction) | keys | p50 | p99 | max |");
    println!("|---|---:|---:|---:|---:|");
    for l in latencies {
        println!(
            "| {} | {} | {:.1} µs | {:.1} µs | {:.1} µs |",
            l.lookup, l.samples, l.p50_us, l.p99_us, l.max_us
        );
    }
    Ok(())
}

fn bench_requests(file: &Path, count: usize, seed: u64, out: &Path) -> Result<(), String> {
    let bodies = engine::bench::request_bodies(file, count, seed)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let write = |name: &str, lines: &[String]| {
        let path = out.join(name);
        std::fs::write(&path, lines.join("\n") + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write("person.jsonl", &bodies.person_screens)?;
    write("screens.jsonl", &bodies.all_screens)?;
    for (kind, lines) in &bodies.searches {
        write(&format!("search-{kind}.jsonl"), lines)?;
    }
    println!(
        "{} person-screen, {} mixed-screen and {} search bodies in {}",
        bodies.person_screens.len(),
        bodies.all_screens.len(),
        bodies.searches.iter().map(|(_, l)| l.len()).sum::<usize>(),
        out.display()
    );
    Ok(())
}

/// Leptos's options: the site root from `LEPTOS_SITE_ROOT` (as cargo-leptos sets it), and
/// hashed file names when the build wrote them beside this binary.
fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "kysely".into()))
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .hash_files(server::assets::Hashes::beside_binary().is_some())
        .build()
}

/// `server changes`: feeds changes (generated, or `file`'s), directly or through the serving
/// process.
fn changes(count: u64, rate: u32, seed: u64, file: Option<&Path>) -> Result<(), String> {
    use server::feed::{Order, Progress, order_path, progress_path, write_whole};
    let config = Config::from_env().map_err(|e| format!("configuration: {e}"))?;
    let given = match file {
        None => Vec::new(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let mut out = Vec::new();
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                out.push(serde_json::from_str(line).map_err(|e| {
                    format!(
                        "{} line {}: not a register change ({e})",
                        path.display(),
                        n + 1
                    )
                })?);
            }
            out
        }
    };
    let order = Order {
        id: format!(
            "{}-{}",
            std::process::id(),
            engine::random_token().get(..8).unwrap_or("")
        ),
        count: if given.is_empty() {
            count
        } else {
            u64::try_from(given.len()).unwrap_or(u64::MAX)
        },
        rate,
        seed,
        changes: given,
    };
    let print = |p: &Progress| {
        println!(
            "{} applied, {} set aside, position {}, {:.0} changes/s{}",
            p.applied,
            p.dead,
            p.position,
            p.rate(),
            p.error
                .as_deref()
                .map(|e| format!(", stopped: {e}"))
                .unwrap_or_default()
        );
    };
    if !config.register_path().exists() {
        return Err(format!(
            "no register at {}: create one with `server generate` or `make run`",
            config.register_path().display()
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let journal = connect_journal(&config)?;
        let opened = open_audit(&config, journal.as_ref())
            .and_then(|audit| Engine::open(&config.register_path(), audit, clock))
            .and_then(|engine| match &journal {
                // Through the journal, as a serving node would: every node gets the changes.
                Some(journal) => {
                    let engine = engine.with_journal(journal.clone())?;
                    let following = engine.clone();
                    tokio::spawn(following.follow_journal());
                    Ok(engine)
                }
                None => Ok(engine),
            });
        let done = match opened {
            Ok(engine) => {
                println!("No server holds the register: applying the changes directly.");
                let mut last = Instant::now();
                server::feed::run(&engine, &order, |p| {
                    if last.elapsed() >= Duration::from_secs(1) {
                        print(p);
                        last = Instant::now();
                    }
                })
                .await
            }
            Err(engine::EngineError::Held) => {
                println!("A server holds the register: it applies the changes while it serves.");
                write_whole(&order_path(&config.data_dir), &order)?;
                let progress = progress_path(&config.data_dir);
                let started = Instant::now();
                loop {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    let seen: Option<Progress> = std::fs::read(&progress)
                        .ok()
                        .and_then(|b| serde_json::from_slice(&b).ok())
                        .filter(|p: &Progress| p.id == order.id);
                    match seen {
                        Some(p) if p.done => break p,
                        Some(p) => print(&p),
                        None if started.elapsed() > Duration::from_secs(10)
                            && order_path(&config.data_dir).exists() =>
                        {
                            let _ = std::fs::remove_file(order_path(&config.data_dir));
                            return Err("the server did not take the order within 10 s (is it a version without the feed?)".into());
                        }
                        None => {}
                    }
                }
            }
            Err(e) => return Err(format!("register: {e}")),
        };
        print(&done);
        for d in &done.set_aside {
            println!(
                "set aside: change {} ({}): {}",
                d.seq,
                d.kind,
                d.refusal.reason()
            );
        }
        match done.error {
            Some(e) => Err(format!("the feed stopped: {e}")),
            None => Ok(()),
        }
    })
}

/// The cluster mode's journal, when `KYSELY_NATS` names its servers.
fn connect_journal(config: &Config) -> Result<Option<Arc<dyn engine::journal::Journal>>, String> {
    match &config.cluster {
        None => Ok(None),
        Some(cluster) => {
            let journal = engine::journal::JetStream::connect(cluster)
                .map_err(|e| format!("the journal ({}): {e}", cluster.servers.join(",")))?;
            Ok(Some(Arc::new(journal)))
        }
    }
}

/// The audit trail: the node's own file, made durable by the journal in the cluster mode.
fn open_audit(
    config: &Config,
    journal: Option<&Arc<dyn engine::journal::Journal>>,
) -> Result<AuditLog, engine::EngineError> {
    match journal {
        None => AuditLog::open(&config.audit_path()),
        Some(journal) => AuditLog::open_replicated(&config.audit_path(), journal.clone()),
    }
}

/// The runtime: worker threads with room for rendering deep pages on the server.
fn serve() -> Result<(), String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 * 1024 * 1024)
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?
        .block_on(run_server())
}

async fn run_server() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| format!("configuration: {e}"))?;
    let problems = config.exposure_problems(config.register_path().exists());
    if !problems.is_empty() {
        return Err(format!(
            "refusing to serve on {} with development settings:\n  - {}\nSet these for production, or KYSELY_ENV=development on a loopback address (KYSELY_ADDR=127.0.0.1:3000) for a developer's own machine.",
            config.addr,
            problems.join("\n  - ")
        ));
    }
    let problems = config.file_problems();
    if !problems.is_empty() {
        return Err(format!(
            "refusing to serve: data files others may read or write:\n  - {}",
            problems.join("\n  - ")
        ));
    }
    engine::private::private_dir(&config.data_dir)
        .map_err(|e| format!("cannot create {}: {e}", config.data_dir.display()))?;
    if !config.register_path().exists() && config.cluster.is_some() {
        // Every node must hold the same register (and the same key that seals links):
        // a node starts from a copy of another's, never from a demo register of its own.
        return Err(format!(
            "no register at {}: in the cluster mode a node starts from a copy of another node's files (docs/deploy.md)",
            config.register_path().display()
        ));
    }
    if !config.register_path().exists() {
        println!(
            "No register at {}: creating the demo register ({} persons).",
            config.register_path().display(),
            config.demo_persons
        );
        let (path, persons, seed) = (
            config.register_path(),
            config.demo_persons,
            config.demo_seed,
        );
        tokio::task::spawn_blocking(move || run_generate(&path, persons, None, None, seed))
            .await
            .map_err(|e| e.to_string())??;
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let journal = connect_journal(&config)?;
    if let Some(cluster) = &config.cluster {
        println!(
            "Node {} on the journal at {} ({} copies)",
            cluster.node,
            cluster.servers.join(","),
            cluster.replicas
        );
    }
    let audit = open_audit(&config, journal.as_ref()).map_err(|e| format!("audit trail: {e}"))?;
    audit
        .sign_heads(engine::audit::heads::HeadSigner {
            key: config.audit_key()?,
            file: config.audit_heads_path(),
            every: config.audit_head_every,
            clock: clock.clone(),
        })
        .map_err(|e| format!("audit tree heads: {e}"))?;
    let trail = audit.clone();
    let engine = Engine::open_with_cache(
        &config.register_path(),
        audit,
        clock.clone(),
        config.register_cache_mib.saturating_mul(1024 * 1024),
    )
    .map_err(|e| format!("register: {e}"))?
    .with_query_limits(config.query_limits)
    .map_err(|e| format!("register: {e}"))?;
    let mut sessions = SessionStore::open(&config.sessions_path(), clock)
        .map_err(|e| format!("sessions: {e}"))?
        .with_limits(config.session_limits);
    let engine = match &journal {
        None => engine,
        Some(journal) => {
            sessions = sessions.with_journal(journal.clone());
            let engine = engine
                .with_journal(journal.clone())
                .map_err(|e| format!("register: {e}"))?;
            let (following, store) = (engine.clone(), sessions.clone());
            tokio::spawn(following.follow_journal());
            tokio::spawn(store.follow_journal());
            engine
        }
    };
    spawn_session_sweeper(sessions.clone());
    let oidc = server::oidc::Oidc::new(
        &config.oidc_issuer,
        &config.oidc_client_id,
        &config.oidc_client_secret,
        &config.redirect_uri(),
    )
    .map_err(|e| e.to_string())?;
    if config.mailer {
        if let Some(url) = &config.smtp_url {
            let mailer = server::mail::Mailer::new(url, &config.mail_from)?;
            server::mail::spawn_worker(engine.clone(), mailer, std::time::Duration::from_secs(5));
        }
        spawn_mail_pruner(engine.clone(), i64::from(config.mail_keep_days) * 86_400);
        server::mail::spawn_alert_mailer(
            engine.clone(),
            format!("{}/log", config.public_url.trim_end_matches('/')),
            std::time::Duration::from_secs(5),
        );
    }
    server::feed::spawn_watcher(engine.clone(), config.data_dir.clone());
    let leptos = leptos_options(config.addr);
    let addr = config.addr;
    let public_url = config.public_url.clone();
    let state = AppState::new(config, engine, sessions, oidc, leptos);
    let app = server::router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!("Kysely is serving on {public_url}");
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .map_err(|e| e.to_string());
    // A last head covering every entry written.
    if let Err(e) = trail.stop_signing() {
        tracing::warn!(error = %e, "the last tree head could not be signed");
    }
    served
}

/// Removes expired sessions every five minutes, so the store holds only sessions that could
/// still be used.
fn spawn_session_sweeper(sessions: SessionStore) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            every.tick().await;
            let store = sessions.clone();
            match tokio::task::spawn_blocking(move || store.sweep()).await {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => tracing::info!(sessions = n, "expired sessions swept"),
                Ok(Err(e)) => tracing::warn!(error = %e, "session sweep failed"),
                Err(e) => tracing::warn!(error = %e, "session sweep task failed"),
            }
        }
    });
}

/// Removes mail older than the keep time from the outbox once an hour (with or without a mail
/// server), so the outbox holds weeks, not years.
fn spawn_mail_pruner(engine: Engine, keep_seconds: i64) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            let engine = engine.clone();
            match tokio::task::spawn_blocking(move || engine.prune_mail(keep_seconds)).await {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => tracing::info!(mails = n, "old mail pruned from the outbox"),
                Ok(Err(e)) => tracing::warn!(error = %e, "mail pruning failed"),
                Err(e) => tracing::warn!(error = %e, "mail pruning task failed"),
            }
        }
    });
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
