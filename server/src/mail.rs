//! Outgoing e-mail: the worker that sends the engine's outbox (service notices to their
//! subscribers) through the configured SMTP server with `lettre`, and records each attempt so
//! that a failure is retried with a pause and, in the end, shown to staff in the outbox. With
//! no SMTP server configured nothing is sent: the mail waits in the outbox, where staff see it.

use domain::contact::Mail;
use engine::{Engine, EngineError};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How many due messages one round takes.
const BATCH: usize = 50;

/// An SMTP connection's settings and the sender.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// From `smtp://host:port` (plain, for a relay on loopback), `smtp://…?tls=required`
    /// (STARTTLS) or `smtps://…`, with optional `user:password@`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("KYSELY_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("KYSELY_MAIL_FROM: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends one message; the error is what the attempt's record keeps.
    pub async fn send(&self, mail: &Mail) -> Result<(), String> {
        let to = mail
            .to
            .parse::<Mailbox>()
            .map_err(|e| format!("address: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Sends what is due now and records each attempt. Answers how many were sent.
pub async fn deliver_due(engine: &Engine, mailer: &Mailer) -> Result<usize, EngineError> {
    let due = {
        let engine = engine.clone();
        tokio::task::spawn_blocking(move || engine.due_mail(BATCH))
            .await
            .map_err(|e| EngineError::Storage(e.to_string()))??
    };
    let mut sent = 0;
    for mail in due {
        let outcome = mailer.send(&mail).await;
        if outcome.is_ok() {
            sent += 1;
        } else if let Err(e) = &outcome {
            tracing::warn!(mail = mail.id, error = ?e.to_string(), "sending a notice failed");
        }
        let engine = engine.clone();
        tokio::task::spawn_blocking(move || engine.mail_attempted(mail.id, outcome))
            .await
            .map_err(|e| EngineError::Storage(e.to_string()))??;
    }
    Ok(sent)
}

/// Runs [`deliver_due`] every `period` for as long as the server runs.
pub fn spawn_worker(engine: Engine, mailer: Mailer, period: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = deliver_due(&engine, &mailer).await {
                tracing::error!(error = %e, "the mail worker could not read the outbox");
            }
        }
    });
}

/// Puts the alerts raised on the audit trail in the outbox every `period` (the node that
/// sends mail does it, whether or not an SMTP server is configured: unsent mail waits in the
/// outbox, where staff see it). `log_url`: the log page the mail points to.
pub fn spawn_alert_mailer(engine: Engine, log_url: String, period: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let (engine, url) = (engine.clone(), log_url.clone());
            match tokio::task::spawn_blocking(move || engine.mail_alerts(&url)).await {
                Ok(Ok(0)) => {}
                Ok(Ok(queued)) => tracing::info!(queued, "alerts of the trail put in the outbox"),
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "the alerts could not be mailed; retrying")
                }
                Err(e) => tracing::error!(error = %e, "the alert mailer stopped a round"),
            }
        }
    });
}
