//! The queue of mails to deliver over SMTP (`mail_queue`): which mails an
//! instance with a relay sends next, who sends each (a claim, so that
//! several instances on one database send each mail once), and where each
//! mail's delivery stands. Times here are real time in milliseconds: a
//! relay is outside the sandbox's clock.

use crate::sql::{Conn, SqlTx};
use crate::{Backend, Store, pg};
use reseller_core::StoreError;
use reseller_core::model::Mail;
use reseller_core::tx::StoreResult;

/// Where a mail's delivery stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Kept while no relay was set: never sent.
    NotQueued,
    /// Waiting for its next attempt, at `due` (milliseconds); given up on
    /// (an address that can never be sent to) when `due` is `i64::MAX`.
    Queued {
        attempts: u32,
        last_error: String,
        due: i64,
    },
    /// Accepted by the relay at `at` (milliseconds).
    Delivered { at: i64, attempts: u32 },
}

/// A mail due for delivery, as the queue holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub mail: Mail,
    /// The due time it was read at: what a claim checks.
    pub due: i64,
    /// Attempts made before.
    pub attempts: u32,
}

impl Delivery {
    pub fn as_str(&self) -> &'static str {
        match self {
            Delivery::NotQueued => "not-queued",
            Delivery::Queued { due: i64::MAX, .. } => "failed",
            Delivery::Queued { attempts: 0, .. } => "queued",
            Delivery::Queued { .. } => "retrying",
            Delivery::Delivered { .. } => "delivered",
        }
    }
}

impl Store {
    /// From now on, each mail this instance keeps is queued for delivery
    /// over SMTP too (an instance started with a relay).
    pub fn queue_mail(&self) {
        let flag = match &self.backend {
            Backend::Sqlite(db) => &db.queues_mail,
            Backend::Postgres(db) => &db.queues_mail,
        };
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Runs `work` on the port's queries in one transaction.
    async fn queue_work<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn QueueTx) -> StoreResult<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.in_transaction(move |tx| work(tx)).await,
            Backend::Postgres(db) => {
                db.submit(move |conn| pg::in_transaction(conn, |tx| work(tx)))
                    .await?
            }
        }
    }

    /// The mails due for delivery at `now`, oldest due first.
    pub async fn mails_due(&self, now: i64, limit: u32) -> Result<Vec<Due>, StoreError> {
        self.queue_work(move |tx| tx.due(now, limit)).await
    }

    /// Takes a mail for sending until `until`, if no one else took it since
    /// it was read due at `seen_due`.
    pub async fn claim_mail(&self, id: i64, seen_due: i64, until: i64) -> Result<bool, StoreError> {
        self.queue_work(move |tx| tx.claim(id, seen_due, until))
            .await
    }

    /// The relay accepted the mail at `at`.
    pub async fn mail_delivered(&self, id: i64, at: i64) -> Result<(), StoreError> {
        self.queue_work(move |tx| tx.delivered(id, at)).await
    }

    /// An attempt failed with `error`; the next is at `next`.
    pub async fn mail_failed(&self, id: i64, next: i64, error: &str) -> Result<(), StoreError> {
        let error = error.to_string();
        self.queue_work(move |tx| tx.failed(id, next, &error)).await
    }

    /// Where each mail's delivery stands, in the order asked.
    pub async fn deliveries(&self, ids: Vec<i64>) -> Result<Vec<Delivery>, StoreError> {
        self.queue_work(move |tx| ids.iter().map(|id| tx.delivery(*id)).collect())
            .await
    }
}

/// The queue's queries, whichever the backend (`SqlTx` over its `Conn`).
trait QueueTx {
    fn due(&mut self, now: i64, limit: u32) -> StoreResult<Vec<Due>>;
    fn claim(&mut self, id: i64, seen_due: i64, until: i64) -> StoreResult<bool>;
    fn delivered(&mut self, id: i64, at: i64) -> StoreResult<()>;
    fn failed(&mut self, id: i64, next: i64, error: &str) -> StoreResult<()>;
    fn delivery(&mut self, id: i64) -> StoreResult<Delivery>;
}

impl<C: Conn> QueueTx for SqlTx<C> {
    fn due(&mut self, now: i64, limit: u32) -> StoreResult<Vec<Due>> {
        self.all(
            "SELECT m.id, m.reseller_id, m.customer_id, m.order_id, m.recipient, m.kind, m.subject, m.body, m.created, q.due, q.attempts
             FROM mail_queue q JOIN mails m ON m.id = q.mail_id
             WHERE q.delivered IS NULL AND q.due <= ?1
             ORDER BY q.due, q.mail_id LIMIT ?2",
            &[now.into(), i64::from(limit).into()],
            |r| {
                Ok(Due {
                    mail: crate::records::mail(r)?,
                    due: r.int(9)?,
                    attempts: r.int(10)? as u32,
                })
            },
        )
    }

    fn claim(&mut self, id: i64, seen_due: i64, until: i64) -> StoreResult<bool> {
        let taken = self.run(
            "UPDATE mail_queue SET due = ?3
             WHERE mail_id = ?1 AND due = ?2 AND delivered IS NULL",
            &[id.into(), seen_due.into(), until.into()],
        )?;
        Ok(taken == 1)
    }

    fn delivered(&mut self, id: i64, at: i64) -> StoreResult<()> {
        self.run(
            "UPDATE mail_queue SET delivered = ?2, attempts = attempts + 1, last_error = ''
             WHERE mail_id = ?1",
            &[id.into(), at.into()],
        )?;
        Ok(())
    }

    fn failed(&mut self, id: i64, next: i64, error: &str) -> StoreResult<()> {
        self.run(
            "UPDATE mail_queue SET due = ?2, attempts = attempts + 1, last_error = ?3
             WHERE mail_id = ?1",
            &[id.into(), next.into(), error.into()],
        )?;
        Ok(())
    }

    fn delivery(&mut self, id: i64) -> StoreResult<Delivery> {
        let row = self.one(
            "SELECT due, attempts, last_error, delivered FROM mail_queue WHERE mail_id = ?1",
            &[id.into()],
            |r| Ok((r.int(0)?, r.int(1)?, r.text(2)?, r.opt_int(3)?)),
        )?;
        Ok(match row {
            None => Delivery::NotQueued,
            Some((_, attempts, _, Some(at))) => Delivery::Delivered {
                at,
                attempts: attempts as u32,
            },
            Some((due, attempts, last_error, None)) => Delivery::Queued {
                attempts: attempts as u32,
                last_error,
                due,
            },
        })
    }
}
