//! SQLite and PostgreSQL give the same answers: the same walk over every
//! call, on a fresh database of each, gives the same replies (times aside:
//! the two walks run at different moments) and leaves the same rows and
//! balances. PostgreSQL must be reachable, as for every test that needs it.

use crate::common::transcript::Transcript;
use crate::common::{Backend, TestApp, money};

#[tokio::test]
async fn every_call_answers_the_same_on_both_backends() {
    let sqlite = TestApp::spawn_on(Backend::Sqlite, money("10000")).await;
    let postgres = TestApp::spawn_on(Backend::Postgres, money("10000")).await;
    let on_sqlite = Transcript::of_every_call(&sqlite, "json").await;
    let on_postgres = Transcript::of_every_call(&postgres, "json").await;
    for (line, (a, b)) in on_sqlite.lines().zip(on_postgres.lines()).enumerate() {
        assert_eq!(a, b, "line {} differs: SQLite, then PostgreSQL", line + 1);
    }
    assert_eq!(on_sqlite.lines().count(), on_postgres.lines().count());

    let (a, b) = (sqlite.counts(), postgres.counts());
    let rows = |counts: &reseller_store::Counts| -> Vec<(String, i64)> {
        counts
            .tables
            .iter()
            .filter(|(name, _)| !name.ends_with(".fingerprint"))
            .cloned()
            .collect()
    };
    assert_eq!(rows(&a), rows(&b), "row counts");
    assert_eq!(a.balances, b.balances, "balances");
    assert!(rows(&a).iter().any(|(_, n)| *n > 10), "the walk wrote rows");
}
