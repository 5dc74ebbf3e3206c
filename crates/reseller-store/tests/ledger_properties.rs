//! Random sequences of billing operations against a real SQLite store: after
//! every sequence the ledger balances, and each balance is exactly what the
//! executed actions and paid invoices say it must be.

mod common;
use common::{Unsigned, runtime};

use proptest::prelude::*;
use reseller_core::accounts::{self, Receipt};
use reseller_core::backup::{self, NewBackup};
use reseller_core::catalogue::Product;
use reseller_core::model::{Account, ActionStatus, Customer, InvoiceOption, InvoiceStatus};
use reseller_core::orders::{self, Billing, NewOrder, Renewal};
use reseller_core::tx::{ActionQuery, Page, TransferKind};
use reseller_core::{Error, Money};
use reseller_core::{Months, PlanId, ResellerId};
use reseller_store::Store;

#[derive(Debug, Clone)]
enum Op {
    Fund {
        customer: usize,
        amount: i64,
    },
    AddVps {
        customer: usize,
        months: u32,
        option: usize,
        discount: i64,
    },
    AddBackup {
        customer: usize,
        gb: u32,
        option: usize,
    },
    Renew {
        order: usize,
        months: u32,
        option: usize,
    },
    Delete {
        order: usize,
    },
    Pay {
        invoice: usize,
    },
    Force {
        invoice: usize,
        cancel: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let months = prop::sample::select(vec![1u32, 3, 5, 12]);
    prop_oneof![
        (0..2usize, 1..50_000i64).prop_map(|(customer, amount)| Op::Fund { customer, amount }),
        (0..2usize, months.clone(), 0..4usize, 0..12_000i64).prop_map(
            |(customer, months, option, discount)| Op::AddVps {
                customer,
                months,
                option,
                discount
            }
        ),
        (0..2usize, 5..120u32, 0..4usize).prop_map(|(customer, gb, option)| Op::AddBackup {
            customer,
            gb,
            option
        }),
        (0..20usize, months, 0..4usize).prop_map(|(order, months, option)| Op::Renew {
            order,
            months,
            option
        }),
        (0..20usize).prop_map(|order| Op::Delete { order }),
        (0..20usize).prop_map(|invoice| Op::Pay { invoice }),
        (0..20usize, any::<bool>()).prop_map(|(invoice, cancel)| Op::Force { invoice, cancel }),
    ]
}

const NOW: i64 = 1_800_000_000;

fn customer(reseller_id: ResellerId, n: usize) -> Customer {
    Customer {
        reseller_id,
        username: format!("c{n}@example.com"),
        name: format!("C{n}"),
        ..Customer::default()
    }
}

#[derive(Debug, Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

async fn run(ops: Vec<Op>, reseller_funds: i64, backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let scratch;
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("p.db").display()),
        Backend::Postgres => {
            scratch = reseller_testdb::ScratchDatabase::create().expect("a PostgreSQL database");
            scratch.url.clone()
        }
    };
    let store = Store::open(&url).unwrap();
    let reseller = store
        .write(move |tx| accounts::create_reseller(tx, "R", "00", Money(reseller_funds), NOW))
        .await
        .unwrap();
    let r = reseller.id;
    let mut customers = Vec::new();
    for n in 0..2 {
        customers.push(
            store
                .write(move |tx| accounts::sign_up(tx, &customer(r, n)))
                .await
                .unwrap(),
        );
    }
    let mut funded = [0i64; 2];
    let (mut orders, mut invoices) = (Vec::new(), Vec::new());
    let options = InvoiceOption::ALL;
    for (i, op) in ops.into_iter().enumerate() {
        let outcome: Result<(), Error> = match op {
            Op::Fund { customer, amount } => {
                let receipt = Receipt {
                    reseller_id: r,
                    customer_id: customers[customer],
                    amount: Money(amount),
                    transaction_key: format!("k{i}"),
                    description: "funds".into(),
                    counts_as_receipt: true,
                    kind: TransferKind::Receipt,
                    now: NOW,
                };
                let added = store
                    .write(move |tx| accounts::add_customer_funds(tx, &receipt))
                    .await;
                if added.is_ok() {
                    funded[customer] += amount;
                }
                added.map(|_| ())
            }
            Op::AddVps {
                customer,
                months,
                option,
                discount,
            } => {
                let new = NewOrder {
                    reseller_id: r,
                    customer_id: customers[customer],
                    product: Product::VpsLinuxUs,
                    plan_id: PlanId(101),
                    description: format!("vps{i}.example.com"),
                    months: Months::new(months).expect("a term"),
                    units: 1,
                    auto_renew: false,
                    attrs: Default::default(),
                    billing: Billing {
                        option: options[option],
                        discount: Money(discount),
                    },
                    now: NOW,
                };
                store
                    .write(move |tx| orders::add_order(tx, &new))
                    .await
                    .map(|receipt| {
                        orders.push(receipt.order.id);
                        invoices.extend(receipt.invoice.map(|i| i.id));
                    })
            }
            Op::AddBackup {
                customer,
                gb,
                option,
            } => {
                let Some(&host) = orders.first() else {
                    continue;
                };
                let new = NewBackup {
                    reseller_id: r,
                    product: Product::BackupUs,
                    customer_id: customers[customer],
                    hosting_order_id: host,
                    plan_id: PlanId(301),
                    storage_gb: gb,
                    months: Months::new(1).expect("a term"),
                    auto_renew: false,
                    billing: Billing {
                        option: options[option],
                        discount: Money::ZERO,
                    },
                    now: NOW,
                };
                store
                    .write(move |tx| backup::add_backup(tx, &new))
                    .await
                    .map(|receipt| {
                        orders.push(receipt.order.id);
                        invoices.extend(receipt.invoice.map(|i| i.id));
                    })
            }
            Op::Renew {
                order,
                months,
                option,
            } => {
                let Some(&order_id) = orders.get(order) else {
                    continue;
                };
                let renewal = Renewal {
                    reseller_id: r,
                    order_id,
                    products: Product::ALL.to_vec(),
                    months: Months::new(months).expect("a term"),
                    auto_renew: None,
                    extra_units: 0,
                    billing: Billing {
                        option: options[option],
                        discount: Money::ZERO,
                    },
                    now: NOW,
                };
                store
                    .write(move |tx| orders::renew_order(tx, &renewal))
                    .await
                    .map(|receipt| {
                        invoices.extend(receipt.invoice.map(|i| i.id));
                    })
            }
            Op::Delete { order } => {
                let Some(&order_id) = orders.get(order) else {
                    continue;
                };
                store
                    .write(move |tx| orders::delete_order(tx, r, order_id, &Product::ALL, NOW))
                    .await
                    .map(|_| ())
            }
            Op::Pay { invoice } => {
                let Some(&id) = invoices.get(invoice) else {
                    continue;
                };
                store
                    .write(move |tx| orders::pay_invoices(tx, &Unsigned, r, &[id], NOW))
                    .await
                    .map(|_| ())
            }
            Op::Force { invoice, cancel } => {
                let Some(&id) = invoices.get(invoice) else {
                    continue;
                };
                store
                    .write(move |tx| {
                        orders::execute_without_payment(tx, &Unsigned, r, &[id], cancel, NOW)
                    })
                    .await
                    .map(|_| ())
            }
        };
        // Refusals are expected; a storage fault never is.
        if let Err(Error::Store(fault)) = outcome {
            panic!("storage fault: {fault}");
        }
    }

    let report = store.check_ledger().unwrap();
    assert!(report.is_balanced(), "{:#?}", report.violations);

    let (invoice_ids, customer_ids) = (invoices.clone(), customers.clone());
    let (spent, paid) = store
        .read(move |tx| {
            let page = Page {
                records: 500,
                number: 1,
            };
            let actions = tx.search_actions(&ActionQuery {
                reseller_id: r,
                action_ids: vec![],
                order_ids: vec![],
                customer_ids: vec![],
                statuses: vec![ActionStatus::Success],
                kinds: vec![],
                page,
            })?;
            let spent: Money = actions.records.iter().map(|a| a.action.cost).sum();
            let mut paid = [Money::ZERO; 2];
            for &id in &invoice_ids {
                let invoice = tx.invoice(id)?.expect("an invoice the run created");
                if invoice.status == InvoiceStatus::Paid {
                    let n = customer_ids
                        .iter()
                        .position(|&c| c == invoice.customer_id)
                        .unwrap();
                    paid[n] = paid[n] + invoice.amount;
                }
            }
            Ok((spent, paid))
        })
        .await
        .unwrap();
    let reseller_balance = store
        .read(move |tx| Ok(tx.balance(Account::Reseller(r))?))
        .await
        .unwrap();
    assert_eq!(reseller_balance, Money(reseller_funds) - spent);
    for n in 0..2 {
        let c = customers[n];
        let balance = store
            .read(move |tx| Ok(tx.balance(Account::Customer(c))?))
            .await
            .unwrap();
        assert_eq!(balance, Money(funded[n]) - paid[n]);
        assert!(!balance.is_negative());
    }
    store.close();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_ledger_balances_after_any_sequence_of_operations(
        ops in prop::collection::vec(op(), 1..40),
        reseller_funds in prop::sample::select(vec![0i64, 20_000, 500_000, 10_000_000]),
    ) {
        runtime().block_on(run(ops, reseller_funds, Backend::Sqlite));
    }
}

proptest! {
    // Fewer cases: each creates a PostgreSQL database.
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn the_ledger_balances_after_any_sequence_of_operations_on_postgres(
        ops in prop::collection::vec(op(), 1..40),
        reseller_funds in prop::sample::select(vec![0i64, 20_000, 500_000, 10_000_000]),
    ) {
        runtime().block_on(run(ops, reseller_funds, Backend::Postgres));
    }
}
