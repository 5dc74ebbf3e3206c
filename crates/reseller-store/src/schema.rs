//! The schema, as numbered migrations applied in order: SQLite tracks the
//! number in `PRAGMA user_version`, PostgreSQL in `schema_version`. A
//! migration, once released, is never edited.
//!
//! Each backend's first migrations were written for it alone before the
//! store shared its SQL; they are history that existing databases have
//! applied, so they stay as released. Every migration since is written
//! once, in portable SQL, in [`SHARED`], and runs on both; the one word the
//! engines spell differently, a self-numbering key, is written `{id}`.

use crate::sql::Dialect;

/// SQLite's own first migrations.
const SQLITE: &[&str] = &[
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE resellers (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    api_key_hash TEXT NOT NULL,
    allowed_ips  TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL,
    created      INTEGER NOT NULL
);

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    reseller_id    INTEGER NOT NULL,
    username       TEXT NOT NULL,
    name           TEXT NOT NULL,
    company        TEXT NOT NULL,
    address1       TEXT NOT NULL,
    city           TEXT NOT NULL,
    state          TEXT NOT NULL,
    country        TEXT NOT NULL,
    zipcode        TEXT NOT NULL,
    phone_cc       TEXT NOT NULL,
    phone          TEXT NOT NULL,
    lang_pref      TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    status         TEXT NOT NULL,
    created        INTEGER NOT NULL,
    total_receipts INTEGER NOT NULL,
    UNIQUE (reseller_id, username)
);

CREATE TABLE plans (
    id      INTEGER PRIMARY KEY,
    product TEXT NOT NULL,
    name    TEXT NOT NULL,
    active  INTEGER NOT NULL,
    limits  TEXT NOT NULL
);

CREATE TABLE prices (
    reseller_id INTEGER NOT NULL,
    plan_id     INTEGER NOT NULL,
    action      TEXT NOT NULL,
    months      INTEGER NOT NULL,
    selling     INTEGER NOT NULL,
    cost        INTEGER NOT NULL,
    PRIMARY KEY (reseller_id, plan_id, action, months)
) WITHOUT ROWID;

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    reseller_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    product     TEXT NOT NULL,
    plan_id     INTEGER NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL,
    auto_renew  INTEGER NOT NULL,
    created     INTEGER NOT NULL,
    endtime     INTEGER NOT NULL,
    attrs       TEXT NOT NULL
);
CREATE INDEX orders_by_product ON orders (reseller_id, product, id);
CREATE INDEX orders_by_customer ON orders (customer_id, id);
CREATE INDEX orders_by_description ON orders (reseller_id, description);

CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL,
    reseller_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL,
    status_desc TEXT NOT NULL,
    invoice_id  INTEGER,
    months      INTEGER NOT NULL,
    storage_gb  INTEGER,
    auto_renew  INTEGER,
    selling     INTEGER NOT NULL,
    discount    INTEGER NOT NULL,
    cost        INTEGER NOT NULL,
    created     INTEGER NOT NULL,
    executed    INTEGER
);
CREATE INDEX actions_by_order ON actions (order_id, status);
CREATE INDEX actions_by_invoice ON actions (invoice_id);
CREATE INDEX actions_by_reseller ON actions (reseller_id, id);

CREATE TABLE invoices (
    id          INTEGER PRIMARY KEY,
    reseller_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    order_id    INTEGER NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    status      TEXT NOT NULL,
    description TEXT NOT NULL,
    created     INTEGER NOT NULL
);

CREATE TABLE receipts (
    reseller_id     INTEGER NOT NULL,
    transaction_key TEXT NOT NULL,
    customer_id     INTEGER NOT NULL,
    amount          INTEGER NOT NULL,
    created         INTEGER NOT NULL,
    PRIMARY KEY (reseller_id, transaction_key)
) WITHOUT ROWID;

-- The ledger: each transfer is one double entry (from loses, to gains), so
-- the entries sum to zero by construction; `accounts` caches the balances.
CREATE TABLE transfers (
    id           INTEGER PRIMARY KEY,
    from_account TEXT NOT NULL,
    to_account   TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    memo         TEXT NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX transfers_from ON transfers (from_account);
CREATE INDEX transfers_to ON transfers (to_account);

CREATE TABLE accounts (
    key     TEXT PRIMARY KEY,
    balance INTEGER NOT NULL
) WITHOUT ROWID;
"#,
    r#"
-- How many orders each reseller has per product and status, kept with every
-- write, so that an unfiltered search counts its matches without a scan.
CREATE TABLE order_counts (
    reseller_id INTEGER NOT NULL,
    product     TEXT NOT NULL,
    status      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (reseller_id, product, status)
) WITHOUT ROWID;
INSERT INTO order_counts (reseller_id, product, status, n)
    SELECT reseller_id, product, status, COUNT(*) FROM orders GROUP BY reseller_id, product, status;
"#,
    r#"
-- Nothing looks transfers up by account: the ledger check scans them all.
DROP INDEX transfers_from;
DROP INDEX transfers_to;
"#,
];

/// PostgreSQL's own first migrations: the same tables in portable SQL that
/// the Postgres-compatible distributed engines accept too (no advisory
/// locks, no extensions).
const POSTGRES: &[&str] = &[
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE resellers (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name         TEXT NOT NULL,
    api_key_hash TEXT NOT NULL,
    allowed_ips  TEXT NOT NULL DEFAULT '',
    active       BOOLEAN NOT NULL,
    created      BIGINT NOT NULL
);

CREATE TABLE customers (
    id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    reseller_id    BIGINT NOT NULL,
    username       TEXT NOT NULL,
    name           TEXT NOT NULL,
    company        TEXT NOT NULL,
    address1       TEXT NOT NULL,
    city           TEXT NOT NULL,
    state          TEXT NOT NULL,
    country        TEXT NOT NULL,
    zipcode        TEXT NOT NULL,
    phone_cc       TEXT NOT NULL,
    phone          TEXT NOT NULL,
    lang_pref      TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    status         TEXT NOT NULL,
    created        BIGINT NOT NULL,
    total_receipts BIGINT NOT NULL,
    UNIQUE (reseller_id, username)
);

CREATE TABLE plans (
    id      BIGINT PRIMARY KEY,
    product TEXT NOT NULL,
    name    TEXT NOT NULL,
    active  BOOLEAN NOT NULL,
    limits  TEXT NOT NULL
);

CREATE TABLE prices (
    reseller_id BIGINT NOT NULL,
    plan_id     BIGINT NOT NULL,
    action      TEXT NOT NULL,
    months      BIGINT NOT NULL,
    selling     BIGINT NOT NULL,
    cost        BIGINT NOT NULL,
    PRIMARY KEY (reseller_id, plan_id, action, months)
);

CREATE TABLE orders (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    reseller_id BIGINT NOT NULL,
    customer_id BIGINT NOT NULL,
    product     TEXT NOT NULL,
    plan_id     BIGINT NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL,
    auto_renew  BOOLEAN NOT NULL,
    created     BIGINT NOT NULL,
    endtime     BIGINT NOT NULL,
    attrs       TEXT NOT NULL
);
CREATE INDEX orders_by_product ON orders (reseller_id, product, id);
CREATE INDEX orders_by_customer ON orders (customer_id, id);
CREATE INDEX orders_by_description ON orders (reseller_id, description);

CREATE TABLE order_counts (
    reseller_id BIGINT NOT NULL,
    product     TEXT NOT NULL,
    status      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (reseller_id, product, status)
);

CREATE TABLE actions (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    order_id    BIGINT NOT NULL,
    reseller_id BIGINT NOT NULL,
    customer_id BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL,
    status_desc TEXT NOT NULL,
    invoice_id  BIGINT,
    months      BIGINT NOT NULL,
    storage_gb  BIGINT,
    auto_renew  BOOLEAN,
    selling     BIGINT NOT NULL,
    discount    BIGINT NOT NULL,
    cost        BIGINT NOT NULL,
    created     BIGINT NOT NULL,
    executed    BIGINT
);
CREATE INDEX actions_by_order ON actions (order_id, status);
CREATE INDEX actions_by_invoice ON actions (invoice_id);
CREATE INDEX actions_by_reseller ON actions (reseller_id, id);

CREATE TABLE invoices (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    reseller_id BIGINT NOT NULL,
    customer_id BIGINT NOT NULL,
    order_id    BIGINT NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount >= 0),
    status      TEXT NOT NULL,
    description TEXT NOT NULL,
    created     BIGINT NOT NULL
);

CREATE TABLE receipts (
    reseller_id     BIGINT NOT NULL,
    transaction_key TEXT NOT NULL,
    customer_id     BIGINT NOT NULL,
    amount          BIGINT NOT NULL,
    created         BIGINT NOT NULL,
    PRIMARY KEY (reseller_id, transaction_key)
);

CREATE TABLE transfers (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    from_account TEXT NOT NULL,
    to_account   TEXT NOT NULL,
    amount       BIGINT NOT NULL CHECK (amount > 0),
    memo         TEXT NOT NULL,
    at           BIGINT NOT NULL
);

CREATE TABLE accounts (
    key     TEXT PRIMARY KEY,
    balance BIGINT NOT NULL
);
"#,
    // Instances take turns to write by locking this row (`Turn` in pg.rs).
    r#"
CREATE TABLE write_turn (
    id    INT PRIMARY KEY,
    turns BIGINT NOT NULL
);
INSERT INTO write_turn (id, turns) VALUES (1, 0);
"#,
];

/// The migrations both backends run, after their own.
const SHARED: &[&str] = &[
    // Business Email counts accounts where a backup counts gigabytes.
    "ALTER TABLE actions RENAME COLUMN storage_gb TO units;",
    // Managed Server add-ons an action adds, as a JSON array of names.
    "ALTER TABLE actions ADD COLUMN addons TEXT NOT NULL DEFAULT '[]';",
    // A customer's support PIN; customers made before it get one derived
    // from their id. What a customer may give beyond the required fields.
    "ALTER TABLE customers ADD COLUMN pin TEXT NOT NULL DEFAULT '';
     UPDATE customers SET pin = CAST(1000 + (id * 7919) % 9000 AS TEXT);
     ALTER TABLE customers ADD COLUMN extras TEXT NOT NULL DEFAULT '{}';",
    // Customer tokens, by the digest of their text; mails the platform sent.
    "CREATE TABLE tokens (
         digest      TEXT PRIMARY KEY,
         reseller_id BIGINT NOT NULL,
         customer_id BIGINT NOT NULL,
         kind        TEXT NOT NULL,
         created     BIGINT NOT NULL,
         expires     BIGINT NOT NULL
     );
     CREATE TABLE mails (
         id          {id},
         reseller_id BIGINT NOT NULL,
         customer_id BIGINT,
         order_id    BIGINT,
         recipient   TEXT NOT NULL,
         kind        TEXT NOT NULL,
         subject     TEXT NOT NULL,
         body        TEXT NOT NULL,
         created     BIGINT NOT NULL
     );
     CREATE INDEX mails_by_reseller ON mails (reseller_id, id);",
    // Domain contacts.
    "CREATE TABLE contacts (
         id          {id},
         reseller_id BIGINT NOT NULL,
         customer_id BIGINT NOT NULL,
         kind        TEXT NOT NULL,
         name        TEXT NOT NULL,
         company     TEXT NOT NULL,
         email       TEXT NOT NULL,
         address1    TEXT NOT NULL,
         address2    TEXT NOT NULL,
         address3    TEXT NOT NULL,
         city        TEXT NOT NULL,
         state       TEXT NOT NULL,
         country     TEXT NOT NULL,
         zip         TEXT NOT NULL,
         phone_cc    TEXT NOT NULL,
         phone       TEXT NOT NULL,
         fax_cc      TEXT NOT NULL,
         fax         TEXT NOT NULL,
         attributes  TEXT NOT NULL,
         status      TEXT NOT NULL,
         created     BIGINT NOT NULL
     );
     CREATE INDEX contacts_by_customer ON contacts (reseller_id, customer_id, id);
     CREATE TABLE default_contacts (
         customer_id BIGINT NOT NULL,
         kind        TEXT NOT NULL,
         registrant  BIGINT NOT NULL,
         admin       BIGINT NOT NULL,
         tech        BIGINT NOT NULL,
         billing     BIGINT NOT NULL,
         PRIMARY KEY (customer_id, kind)
     );",
    // A domain is registered once on the whole platform: its name is looked
    // up across resellers.
    "CREATE INDEX orders_by_name ON orders (description);",
    // When each order's next job (`lifecycle`) falls due: the clock's sweep
    // reads only the orders due. Orders kept before get the earliest time
    // a job of theirs can fall due; the sweep puts the exact one back.
    "ALTER TABLE orders ADD COLUMN next_due BIGINT;
     UPDATE orders SET next_due = endtime - 2851200
      WHERE status IN ('Active', 'Suspended', 'Pending Delete Restorable');
     CREATE INDEX orders_by_next_due ON orders (next_due);",
    // The sandbox's named snapshots: each one's tables are `snap_<id>_<table>`.
    "CREATE TABLE snapshots (
         id           {id},
         name         TEXT NOT NULL UNIQUE,
         created      BIGINT NOT NULL,
         clock_offset BIGINT NOT NULL
     );",
    // The sweep pages along due time then id (`orders_due_by`).
    "DROP INDEX orders_by_next_due;
     CREATE INDEX orders_by_next_due ON orders (next_due, id);",
    // Mails are read by order (`GET /_reseller/outbox?order-id=N`, the
    // tests' `mails_of_order`), never by reseller: the clock's jobs keep
    // millions, each paying for every index.
    "CREATE INDEX mails_by_order ON mails (order_id, id);
     DROP INDEX mails_by_reseller;",
    // Resellers whose provisioning is not the default (`instant`).
    "CREATE TABLE provisioning (
         reseller_id BIGINT PRIMARY KEY,
         mode        TEXT NOT NULL
     );",
    // Console sessions signed out before they expire, by their nonce; a
    // row goes when its session would have expired. Not sandbox data: a
    // reset or restore keeps them.
    "CREATE TABLE console_sign_outs (
         nonce   BIGINT PRIMARY KEY,
         expires BIGINT NOT NULL
     );",
    // Why each movement was made (`TransferKind`): the vendor's
    // transaction types and `transaction-key` (by hand or by the system)
    // filter on it. Movements kept before are told apart by their
    // accounts and memos, as the rules wrote them.
    "ALTER TABLE transfers ADD COLUMN kind TEXT NOT NULL DEFAULT 'invoice';
     UPDATE transfers SET kind = 'opening'
      WHERE from_account = 'external' AND to_account LIKE 'reseller:%';
     UPDATE transfers SET kind = 'receipt'
      WHERE from_account = 'external' AND to_account LIKE 'customer:%';
     UPDATE transfers SET kind = 'debit-note' WHERE memo LIKE 'Debit note %';
     UPDATE transfers SET kind = 'refund'
      WHERE from_account = 'platform:revenue' OR to_account LIKE 'customer:%' AND from_account <> 'external';",
    // Mails kept while an instance runs with an SMTP relay, and where
    // their delivery stands: due (real time, in milliseconds) until
    // delivered. Not sandbox data: what reached the relay has reached it;
    // a reset or a restore empties it, so nothing is sent again.
    "CREATE TABLE mail_queue (
         mail_id    BIGINT PRIMARY KEY,
         due        BIGINT NOT NULL,
         attempts   INTEGER NOT NULL DEFAULT 0,
         last_error TEXT NOT NULL DEFAULT '',
         delivered  BIGINT
     );
     CREATE INDEX mail_queue_due ON mail_queue (due) WHERE delivered IS NULL;",
    // Sub-resellers: the reseller that signed each one up, its sign-in
    // and what it gave of itself; what each reseller above an action's
    // seller pays for it, as a JSON array of [reseller id, thousandths].
    "ALTER TABLE resellers ADD COLUMN parent_id BIGINT;
     ALTER TABLE resellers ADD COLUMN username TEXT NOT NULL DEFAULT '';
     ALTER TABLE resellers ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
     ALTER TABLE resellers ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
     CREATE INDEX resellers_by_parent ON resellers (parent_id, id);
     CREATE INDEX resellers_by_username ON resellers (username);
     ALTER TABLE actions ADD COLUMN upstream TEXT NOT NULL DEFAULT '[]';",
    // A tenant's rows are deleted and put back with their ids (`tenants`):
    // SQLite must never give a deleted row's id to a new one.
    IDS_NEVER_REUSED,
    // Tenants, their clocks and their snapshots (`tenants::migration`).
    TENANTS,
];

/// The migration that makes SQLite keep every id it gave out
/// (`AUTOINCREMENT`), written from the tables as they stand
/// (`sqlite::ids_never_reused`); PostgreSQL's sequences never go back.
pub(crate) const IDS_NEVER_REUSED: &str = "-- ids are never reused";
/// The migration of the tenants' tables, written by `tenants::migration`.
const TENANTS: &str = "-- tenants";

/// The SQLite tables whose ids a tenant's restore puts back.
pub(crate) const NUMBERED_TABLES: [&str; 8] = [
    "resellers",
    "customers",
    "orders",
    "actions",
    "invoices",
    "transfers",
    "mails",
    "contacts",
];

/// Every migration of a backend, in the order they run. In the shared
/// ones, `{id}` is the dialect's self-numbering key column.
pub(crate) fn migrations(dialect: Dialect) -> impl Iterator<Item = String> {
    let (own, id) = match dialect {
        Dialect::Sqlite => (SQLITE, "INTEGER PRIMARY KEY"),
        Dialect::Postgres => (
            POSTGRES,
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        ),
    };
    own.iter()
        .map(|m| m.to_string())
        .chain(SHARED.iter().map(move |m| match *m {
            TENANTS => crate::tenants::migration(id),
            IDS_NEVER_REUSED if dialect == Dialect::Postgres => "SELECT 1".to_string(),
            m => m.replace("{id}", id),
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Movements kept before transfers had a kind get the kind the rules
    /// would have given them.
    #[test]
    fn transfers_kept_before_their_kind_get_the_rules_kind() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let all: Vec<String> = migrations(Dialect::Sqlite).collect();
        let at = all
            .iter()
            .position(|m| m.contains("transfers ADD COLUMN kind"))
            .expect("the kind's migration");
        let (earlier, last) = (&all[..at], &all[at]);
        for migration in earlier {
            conn.execute_batch(migration).unwrap();
        }
        let kept = [
            ("external", "reseller:1", "Opening funds", "opening"),
            ("external", "customer:2", "test funds", "receipt"),
            (
                "customer:2",
                "earnings:1",
                "Payment of invoice 3",
                "invoice",
            ),
            (
                "customer:2",
                "earnings:1",
                "Debit note 4: Setup fee",
                "debit-note",
            ),
            (
                "reseller:1",
                "platform:revenue",
                "Registration of a.com",
                "invoice",
            ),
            ("platform:revenue", "reseller:1", "Cancellation", "refund"),
            (
                "earnings:1",
                "customer:2",
                "Refund of invoice 3: x",
                "refund",
            ),
        ];
        for (from, to, memo, _) in kept {
            conn.execute(
                "INSERT INTO transfers (from_account, to_account, amount, memo, at)
                 VALUES (?1, ?2, 1, ?3, 0)",
                [from, to, memo],
            )
            .unwrap();
        }
        conn.execute_batch(last).unwrap();
        let mut read = conn
            .prepare("SELECT memo, kind FROM transfers ORDER BY id")
            .unwrap();
        let kinds: Vec<(String, String)> = read
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected: Vec<(String, String)> = kept
            .iter()
            .map(|(_, _, memo, kind)| (memo.to_string(), kind.to_string()))
            .collect();
        assert_eq!(kinds, expected);
    }
}
