//! Writes that arrive together share one transaction on both backends. Each
//! must still see what the ones before it wrote, keep its own outcome, and
//! leave nothing behind when it fails, whatever it wrote before failing.

use reseller_core::accounts::{self, Receipt};
use reseller_core::catalogue::Product;
use reseller_core::model::{ActionStatus, Customer, InvoiceOption, OrderAttrs};
use reseller_core::orders::{self, Billing, NewOrder, Renewal};
use reseller_core::tx::{ActionQuery, CustomerQuery, OrderQuery, Page};
use reseller_core::{CustomerId, Months, PlanId, ResellerId};
use reseller_core::{Error, Money, RuleError};
use reseller_store::Store;
use std::sync::Arc;

const NOW: i64 = 1_800_000_000;
const PAGE: Page = Page {
    records: 500,
    number: 1,
};

fn customer(reseller_id: ResellerId, username: &str) -> Customer {
    Customer {
        reseller_id,
        username: username.to_string(),
        name: username.to_string(),
        ..Customer::default()
    }
}

fn vps(reseller_id: ResellerId, customer_id: CustomerId) -> NewOrder {
    NewOrder {
        reseller_id,
        customer_id,
        product: Product::VpsLinuxUs,
        plan_id: PlanId(101),
        description: "group.example.com".to_string(),
        months: Months::new(1).unwrap(),
        units: 1,
        auto_renew: false,
        attrs: OrderAttrs::default(),
        billing: Billing {
            option: InvoiceOption::NoInvoice,
            discount: Money::ZERO,
        },
        now: NOW,
    }
}

/// `nul_is_an_error`: whether the database refuses text holding a NUL byte
/// (PostgreSQL does, SQLite does not; the wire refuses control characters
/// before either sees them).
async fn requests_in_one_group_keep_their_own_outcomes(url: &str, nul_is_an_error: bool) {
    let store = Arc::new(Store::open(url).unwrap());
    let reseller = store
        .write(|tx| accounts::create_reseller(tx, "R", "00", Money(10_000_000), NOW))
        .await
        .unwrap();
    let r = reseller.id;
    let c = store
        .write(move |tx| accounts::sign_up(tx, &customer(r, "owner@example.com")))
        .await
        .unwrap();
    let order = store
        .write(move |tx| orders::add_order(tx, &vps(r, c)))
        .await
        .unwrap()
        .order;
    let funds_after_order = store
        .read(move |tx| Ok(tx.balance(reseller_core::model::Account::Reseller(r))?))
        .await
        .unwrap();

    let mut tasks = tokio::task::JoinSet::new();
    // Renewals awaiting payment: the first leaves a pending action, which
    // every later one must see, staged or stored.
    for _ in 0..20 {
        let store = store.clone();
        tasks.spawn(async move {
            let renewal = Renewal {
                reseller_id: r,
                order_id: order.id,
                products: vec![Product::VpsLinuxUs],
                months: Months::new(1).unwrap(),
                auto_renew: None,
                extra_units: 0,
                billing: Billing {
                    option: InvoiceOption::OnlyAdd,
                    discount: Money::ZERO,
                },
                now: NOW,
            };
            (
                "renew",
                store
                    .write(move |tx| orders::renew_order(tx, &renewal))
                    .await
                    .map(|_| ()),
            )
        });
    }
    // Usernames written at once: each taken exactly once.
    for n in 0..10 {
        let store = store.clone();
        tasks.spawn(async move {
            let wanted = customer(r, &format!("dup{}@example.com", n % 5));
            (
                "dup",
                store
                    .write(move |tx| accounts::sign_up(tx, &wanted))
                    .await
                    .map(|_| ()),
            )
        });
    }
    // Requests that fail after writing, at once or staged.
    for n in 0..5 {
        let shared = store.clone();
        tasks.spawn(async move {
            let store = shared;
            let gone = customer(r, &format!("gone{n}@example.com"));
            let outcome = store
                .write(move |tx| {
                    accounts::sign_up(tx, &gone)?;
                    accounts::add_customer_funds(
                        tx,
                        &Receipt {
                            reseller_id: r,
                            customer_id: c,
                            amount: Money(5_000),
                            transaction_key: format!("gone{n}"),
                            description: "undone".into(),
                            counts_as_receipt: true,
                            kind: reseller_core::tx::TransferKind::Receipt,
                            now: NOW,
                        },
                    )?;
                    Err::<(), Error>(RuleError::NotAllowed.into())
                })
                .await;
            ("undone", outcome)
        });
        let store = store.clone();
        tasks.spawn(async move {
            let outcome = store
                .write(move |tx| {
                    orders::add_order(tx, &vps(r, c))?;
                    Err::<(), Error>(RuleError::NotAllowed.into())
                })
                .await;
            ("undone", outcome)
        });
    }
    // Writes in a transaction of their own (`write_alone`), among the
    // groups: kept when they succeed, gone whole when they fail.
    for n in 0..3 {
        let kept = store.clone();
        tasks.spawn(async move {
            let alone = customer(r, &format!("alone{n}@example.com"));
            (
                "alone",
                kept.write_alone(move |tx| accounts::sign_up(tx, &alone))
                    .await
                    .map(|_| ()),
            )
        });
        let store = store.clone();
        tasks.spawn(async move {
            let gone = customer(r, &format!("alone-gone{n}@example.com"));
            let outcome = store
                .write_alone(move |tx| {
                    accounts::sign_up(tx, &gone)?;
                    orders::add_order(tx, &vps(r, c))?;
                    Err::<(), Error>(RuleError::NotAllowed.into())
                })
                .await;
            ("undone", outcome)
        });
    }
    // An error the database reports, which would spoil a shared transaction
    // if the group went on with it.
    {
        let store = store.clone();
        tasks.spawn(async move {
            let outcome = store
                .write(move |tx| {
                    tx.customer_by_username(r, "nul\0byte")?;
                    Ok(())
                })
                .await;
            ("fault", outcome)
        });
    }
    let mut ok = std::collections::HashMap::<&str, usize>::new();
    let mut refused = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (kind, outcome) = joined.unwrap();
        match outcome {
            Ok(()) => *ok.entry(kind).or_default() += 1,
            Err(e) => refused.push((kind, e)),
        }
    }
    assert_eq!(ok.get("renew"), Some(&1), "{refused:?}");
    assert_eq!(ok.get("dup"), Some(&5), "{refused:?}");
    assert_eq!(ok.get("undone"), None);
    assert_eq!(ok.get("alone"), Some(&3), "{refused:?}");
    assert_eq!(!ok.contains_key("fault"), nul_is_an_error);
    for (kind, error) in &refused {
        match (*kind, error) {
            ("renew", Error::Rule(RuleError::ActionPending)) => {}
            ("dup", Error::Rule(RuleError::UsernameTaken(_))) => {}
            ("undone", Error::Rule(RuleError::NotAllowed)) => {}
            ("fault", Error::Store(_)) => {}
            other => panic!("unexpected outcome {other:?}"),
        }
    }

    let (customers, orders, pending, funds) = store
        .read(move |tx| {
            let customers = tx.search_customers(&CustomerQuery {
                reseller_id: r,
                customer_ids: vec![],
                usernames: vec![],
                name: None,
                company: None,
                city: None,
                state: None,
                created_from: None,
                created_to: None,
                receipts_from: None,
                receipts_to: None,
                statuses: vec![],
                page: PAGE,
            })?;
            let orders = tx.search_orders(&OrderQuery {
                reseller_id: r,
                products: vec![],
                order_ids: vec![],
                customer_ids: vec![],
                statuses: vec![],
                plan_ids: vec![],
                privacy_on: None,
                description: None,
                created_from: None,
                created_to: None,
                ends_from: None,
                ends_to: None,
                sort: Default::default(),
                page: PAGE,
            })?;
            let pending = tx.search_actions(&ActionQuery {
                reseller_id: r,
                action_ids: vec![],
                order_ids: vec![order.id],
                customer_ids: vec![],
                statuses: vec![ActionStatus::PendingExecution],
                kinds: vec![],
                page: PAGE,
            })?;
            let funds = tx.balance(reseller_core::model::Account::Customer(c))?;
            Ok((customers, orders, pending, funds))
        })
        .await
        .unwrap();
    let mut usernames: Vec<String> = customers.records.into_iter().map(|c| c.username).collect();
    usernames.sort();
    assert_eq!(
        usernames,
        [
            "alone0@example.com",
            "alone1@example.com",
            "alone2@example.com",
            "dup0@example.com",
            "dup1@example.com",
            "dup2@example.com",
            "dup3@example.com",
            "dup4@example.com",
            "owner@example.com"
        ]
    );
    assert_eq!(orders.total, 1, "only the first VPS order remains");
    assert_eq!(pending.total, 1, "one renewal waits for payment");
    assert_eq!(funds, Money::ZERO, "the undone funds are gone");
    let reseller_funds = store
        .read(move |tx| Ok(tx.balance(reseller_core::model::Account::Reseller(r))?))
        .await
        .unwrap();
    assert_eq!(
        reseller_funds, funds_after_order,
        "nothing else was charged"
    );
    let report = store.check_ledger().unwrap();
    assert!(report.is_balanced(), "{report:?}");
    store.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_in_one_group_keep_their_own_outcomes_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    requests_in_one_group_keep_their_own_outcomes(&url, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_in_one_group_keep_their_own_outcomes_on_postgres() {
    let scratch = reseller_testdb::ScratchDatabase::create().expect("a PostgreSQL database");
    requests_in_one_group_keep_their_own_outcomes(&scratch.url, true).await;
}
