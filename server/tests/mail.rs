//! Service notices by e-mail through a real SMTP server: PyPI's `aiosmtpd`, started and stopped
//! by the test on a free loopback port, writing what it receives to a Maildir that the test
//! reads back with Python's own e-mail parser (so encoded subjects and bodies are read as a
//! mail client would). Also: the server down, the attempt recorded as failed, retried after its
//! pause and delivered once the server is back.

use domain::contact::{MailState, NoticeForm, NoticeKind};
use domain::principal::{Acr, OrgId, UserId};
use domain::{Actor, Date, Lang, Principal, Timestamp};
use engine::population::{GenerateOptions, generate};
use engine::{AuditLog, Engine, FixedClock};
use server::mail::{Mailer, deliver_due};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A running `aiosmtpd`, stopped when dropped.
struct Smtp {
    child: Child,
    maildir: PathBuf,
}

impl Smtp {
    fn start(port: u16, maildir: &Path) -> Result<Smtp, Box<dyn std::error::Error>> {
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!("cannot start python3 -m aiosmtpd ({e}); dev/tools.sh installs it")
            })?;
        let mut smtp = Smtp {
            child,
            maildir: maildir.to_owned(),
        };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(smtp);
            }
            if let Some(status) = smtp.child.try_wait()? {
                return Err(format!(
                    "aiosmtpd exited with {status}: is it installed (python3 -m pip install aiosmtpd; dev/tools.sh does it)?"
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err("aiosmtpd did not start listening in 10 s".into())
    }

    /// What arrived, as Python's e-mail parser reads it: (to, from, subject, body), by address.
    fn received(&self) -> Result<Vec<[String; 4]>, Box<dyn std::error::Error>> {
        let script = r#"
import json, mailbox, sys
from email import policy
from email.parser import BytesParser
out = []
for key in mailbox.Maildir(sys.argv[1], create=False).keys():
    with open(f"{sys.argv[1]}/new/{key}", "rb") as f:
        m = BytesParser(policy=policy.default).parse(f)
    out.append([str(m["To"]), str(m["From"]), str(m["Subject"]), m.get_content()])
out.sort()
print(json.dumps(out))
"#;
        let output = Command::new("python3")
            .args(["-c", script])
            .arg(&self.maildir)
            .output()?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
        }
        Ok(serde_json::from_slice(&output.stdout)?)
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, std::io::Error> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn person(subject: &'static str, name: &str, org: &'static str) -> Actor {
    Actor::user(
        Principal {
            subject: UserId::from_static(subject),
            name: name.into(),
            organisation: OrgId::from_static(org),
            organisation_name: org.into(),
            acr: Acr::OneFactor,
        },
        "req-mail".into(),
        "127.0.0.1".into(),
    )
}

fn notice(title: &str) -> NoticeForm {
    NoticeForm::in_one(
        NoticeKind::Incident,
        Lang::Fi,
        title,
        "Henkilöhaut ovat hitaita; selvitämme syytä.",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_reach_subscribers_through_a_real_smtp_server_and_failures_are_retried()
-> TestResult {
    let dir = tempfile::tempdir()?;
    let now = Timestamp(Date::new(2026, 11, 27)?.days_since_epoch() * 86_400_000 + 36_000_000);
    let register = dir.path().join("register.redb");
    generate(
        &register,
        &GenerateOptions {
            persons: 200,
            buildings: None,
            properties: None,
            seed: 5,
            today: now.date_in_finland(),
        },
        &mut |_| {},
    )?;
    let clock = Arc::new(FixedClock::new(now));
    let engine = Engine::open(
        &register,
        AuditLog::open(&dir.path().join("audit.redb"))?,
        clock.clone(),
    )?;
    let bob = person("u-bob", "Bob Backman", "espoo");
    let hanna = person("u-hanna", "Hanna Heikkilä", "lansi-uusimaa");
    let eve = person("u-eve", "Eve Eskola", "espoo");
    // Notices are the registry's word: published with a two-factor sign-in.
    let mut dora = person("u-dora", "Dora Dahl", "dvv");
    if let domain::access::Who::User(p) = &mut dora.who {
        p.acr = Acr::TwoFactor;
    }
    let port = free_port()?;
    let maildir = dir.path().join("maildir");
    let smtp = Smtp::start(port, &maildir)?;
    let mailer = Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Kysely <kysely@dvv.example>",
    )?;
    // Each subscriber confirms their address with the link mailed to it; Eve subscribes a
    // stranger's address, which gets the confirmation and nothing else.
    let link = |t: &str| format!("https://kysely.example/contact?confirm={t}");
    engine
        .subscribe(&bob, Some("bob@espoo.example"), Lang::Fi, &link)
        .await?;
    engine
        .subscribe(&hanna, Some("hanna@lansi-uusimaa.example"), Lang::Sv, &link)
        .await?;
    engine
        .subscribe(&eve, Some("stranger@example.org"), Lang::En, &link)
        .await?;
    assert_eq!(deliver_due(&engine, &mailer).await?, 3);
    let confirmations = smtp.received()?;
    for (who, [to, _, subject, body]) in [&bob, &hanna].into_iter().zip(
        confirmations
            .iter()
            .filter(|m| m[0] != "stranger@example.org"),
    ) {
        assert!(
            subject.contains("vahvista") || subject.contains("bekräfta"),
            "{subject}"
        );
        let token = body
            .split("https://kysely.example/contact?confirm=")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .ok_or("no link")?;
        assert_eq!(engine.confirm_subscription(who, token).await?, *to);
    }
    engine
        .publish_notice(&dora, notice("Hakujen hitaus"))
        .await?;
    assert_eq!(deliver_due(&engine, &mailer).await?, 2);
    let notices = |got: Vec<[String; 4]>| -> Vec<[String; 4]> {
        got.into_iter()
            .filter(|m| m[2].contains("Hakujen hitaus") || m[2].contains("Katko jatkuu"))
            .collect()
    };
    let got = notices(smtp.received()?);
    assert_eq!(got.len(), 2, "{got:?}");
    let [to, from, subject, body] = &got[0];
    assert_eq!(to, "bob@espoo.example");
    assert_eq!(from, "Kysely <kysely@dvv.example>");
    assert_eq!(subject, "Kysely: Häiriö – Hakujen hitaus");
    assert!(body.contains("Henkilöhaut ovat hitaita"), "{body}");
    assert!(body.contains("Tilauksen voi perua"), "{body}");
    let [to, _, subject, body] = &got[1];
    assert_eq!(to, "hanna@lansi-uusimaa.example");
    assert_eq!(subject, "Kysely: Störning – Hakujen hitaus");
    assert!(body.contains("Beställningen kan avslutas"), "{body}");
    // Sent mail is not sent twice.
    assert_eq!(deliver_due(&engine, &mailer).await?, 0);
    assert_eq!(notices(smtp.received()?).len(), 2);
    let outbox = engine.contact(&dora, 0).await?.outbox;
    assert!(
        outbox
            .iter()
            .all(|m| matches!(m.state, MailState::Sent { .. })),
        "{outbox:?}"
    );

    // The server goes away: the attempt fails, is recorded, and waits its pause.
    drop(smtp);
    engine.publish_notice(&dora, notice("Katko jatkuu")).await?;
    assert_eq!(deliver_due(&engine, &mailer).await?, 0);
    let outbox = engine.contact(&dora, 0).await?.outbox;
    let failed: Vec<_> = outbox
        .iter()
        .filter(|m| matches!(m.state, MailState::Failed { attempts: 1, .. }))
        .collect();
    assert_eq!(failed.len(), 2, "{outbox:?}");
    assert!(failed.iter().all(|m| m.to != "stranger@example.org"));
    assert!(engine.due_mail(10)?.is_empty(), "not before its pause");
    // Back up, and the pause over: delivered, the first two not again.
    let smtp = Smtp::start(port, &maildir)?;
    clock.advance_seconds(61);
    assert_eq!(deliver_due(&engine, &mailer).await?, 2);
    let got = notices(smtp.received()?);
    assert_eq!(got.len(), 4);
    assert_eq!(
        got.iter()
            .filter(|m| m[2].ends_with("Katko jatkuu"))
            .count(),
        2
    );
    Ok(())
}
