//! Random orders, renewals, payments and cancellations on three levels of
//! resellers (a reseller of the platform, its sub-reseller, and that one's
//! sub-reseller), each with a customer: after every sequence the ledger
//! balances, and each reseller's funds and earnings are exactly what the
//! executed actions and paid invoices say they must be.

mod common;
use common::{Unsigned, runtime};

use proptest::prelude::*;
use reseller_core::accounts::{self, Receipt};
use reseller_core::catalogue::Product;
use reseller_core::model::{
    Account, ActionStatus, Customer, InvoiceOption, InvoiceStatus, ResellerProfile,
};
use reseller_core::orders::{self, Billing, NewOrder, Renewal};
use reseller_core::resellers::{self, NewSubReseller, ResellerReceipt};
use reseller_core::tx::{ActionQuery, Page, TransferKind};
use reseller_core::{CustomerId, Error, Money, Months, OrderId, PlanId, ResellerId};
use reseller_store::Store;
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Op {
    Fund {
        level: usize,
        amount: i64,
    },
    AddVps {
        level: usize,
        months: u32,
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
    let months = prop::sample::select(vec![1u32, 3, 12]);
    prop_oneof![
        (0..3usize, 1..80_000i64).prop_map(|(level, amount)| Op::Fund { level, amount }),
        (0..3usize, months.clone(), 0..4usize).prop_map(|(level, months, option)| Op::AddVps {
            level,
            months,
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

/// The three levels' funds, given at the start: the top one's by the
/// platform, each sub-reseller's by its parent.
async fn run(ops: Vec<Op>, funds: [i64; 3]) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    let store = Store::open(&url).unwrap();
    let top = store
        .write(move |tx| accounts::create_reseller(tx, "Top", "00", Money(funds[0]), NOW))
        .await
        .unwrap()
        .id;
    let mut levels = vec![top];
    for level in 1..3 {
        let parent = levels[level - 1];
        let new = NewSubReseller {
            parent,
            username: format!("level{level}@example.com"),
            password_hash: String::new(),
            name: format!("Level {level}"),
            profile: ResellerProfile::default(),
            now: NOW,
        };
        let id = store
            .write(move |tx| resellers::sign_up(tx, &new))
            .await
            .unwrap();
        if funds[level] > 0 {
            let receipt = ResellerReceipt {
                parent,
                reseller_id: id,
                amount: Money(funds[level]),
                transaction_key: format!("open{level}"),
                description: "Opening".into(),
                counts_as_receipt: true,
                kind: TransferKind::Receipt,
                now: NOW,
            };
            store
                .write(move |tx| resellers::add_funds(tx, &receipt))
                .await
                .unwrap();
        }
        levels.push(id);
    }
    let mut customers = Vec::new();
    for (n, &reseller_id) in levels.iter().enumerate() {
        let customer = Customer {
            reseller_id,
            username: format!("c{n}@example.com"),
            name: format!("C{n}"),
            ..Customer::default()
        };
        customers.push(
            store
                .write(move |tx| accounts::sign_up(tx, &customer))
                .await
                .unwrap(),
        );
    }
    let mut funded = [0i64; 3];
    let mut orders: Vec<(ResellerId, OrderId)> = Vec::new();
    let mut invoices: Vec<(ResellerId, reseller_core::InvoiceId)> = Vec::new();
    let options = InvoiceOption::ALL;
    for (i, op) in ops.into_iter().enumerate() {
        let outcome: Result<(), Error> = match op {
            Op::Fund { level, amount } => {
                let receipt = Receipt {
                    reseller_id: levels[level],
                    customer_id: customers[level],
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
                    funded[level] += amount;
                }
                added.map(|_| ())
            }
            Op::AddVps {
                level,
                months,
                option,
            } => {
                let new = NewOrder {
                    reseller_id: levels[level],
                    customer_id: customers[level],
                    product: Product::VpsLinuxUs,
                    plan_id: PlanId(101),
                    description: format!("vps{i}.example.com"),
                    months: Months::new(months).expect("a term"),
                    units: 1,
                    auto_renew: false,
                    attrs: Default::default(),
                    billing: Billing {
                        option: options[option],
                        discount: Money::ZERO,
                    },
                    now: NOW,
                };
                let reseller = levels[level];
                store
                    .write(move |tx| orders::add_order(tx, &new))
                    .await
                    .map(|receipt| {
                        orders.push((reseller, receipt.order.id));
                        invoices.extend(receipt.invoice.map(|i| (reseller, i.id)));
                    })
            }
            Op::Renew {
                order,
                months,
                option,
            } => {
                let Some(&(reseller_id, order_id)) = orders.get(order) else {
                    continue;
                };
                let renewal = Renewal {
                    reseller_id,
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
                        invoices.extend(receipt.invoice.map(|i| (reseller_id, i.id)));
                    })
            }
            Op::Delete { order } => {
                let Some(&(r, order_id)) = orders.get(order) else {
                    continue;
                };
                store
                    .write(move |tx| orders::delete_order(tx, r, order_id, &Product::ALL, NOW))
                    .await
                    .map(|_| ())
            }
            Op::Pay { invoice } => {
                let Some(&(r, id)) = invoices.get(invoice) else {
                    continue;
                };
                store
                    .write(move |tx| orders::pay_invoices(tx, &Unsigned, r, &[id], NOW))
                    .await
                    .map(|_| ())
            }
            Op::Force { invoice, cancel } => {
                let Some(&(r, id)) = invoices.get(invoice) else {
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
        // Refusals (funds short at any level) are expected; a storage fault never is.
        if let Err(Error::Store(fault)) = outcome {
            panic!("storage fault: {fault}");
        }
    }

    let report = store.check_ledger().unwrap();
    assert!(report.is_balanced(), "{:#?}", report.violations);

    // Every executed action's payments, level by level.
    let (ids, invoice_ids) = (levels.clone(), invoices.clone());
    let (paid_out, paid_in, invoiced) = store
        .read(move |tx| {
            let mut paid_out: HashMap<ResellerId, Money> = HashMap::new();
            let mut paid_in: HashMap<Account, Money> = HashMap::new();
            for &reseller_id in &ids {
                let actions = tx.search_actions(&ActionQuery {
                    reseller_id,
                    action_ids: vec![],
                    order_ids: vec![],
                    customer_ids: vec![],
                    statuses: vec![ActionStatus::Success],
                    kinds: vec![],
                    page: Page {
                        records: 500,
                        number: 1,
                    },
                })?;
                for found in &actions.records {
                    for (payer, payee, cost) in orders::payments(&found.action) {
                        let out = paid_out.entry(payer).or_insert(Money::ZERO);
                        *out = *out + cost;
                        let into = paid_in.entry(payee).or_insert(Money::ZERO);
                        *into = *into + cost;
                    }
                }
            }
            let mut invoiced: HashMap<CustomerId, Money> = HashMap::new();
            for &(_, id) in &invoice_ids {
                let invoice = tx.invoice(id)?.expect("an invoice the run created");
                if invoice.status == InvoiceStatus::Paid {
                    let sum = invoiced.entry(invoice.customer_id).or_insert(Money::ZERO);
                    *sum = *sum + invoice.amount;
                }
            }
            Ok((paid_out, paid_in, invoiced))
        })
        .await
        .unwrap();
    let get = |map: &HashMap<ResellerId, Money>, id| map.get(&id).copied().unwrap_or(Money::ZERO);
    let given = |level: usize| Money(funds[level]);
    for (level, &id) in levels.iter().enumerate() {
        let (held, earnings) = store
            .read(move |tx| {
                Ok((
                    tx.balance(Account::Reseller(id))?,
                    tx.balance(Account::Earnings(id))?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(held, given(level) - get(&paid_out, id), "level {level}");
        let from_customer = invoiced
            .get(&customers[level])
            .copied()
            .unwrap_or(Money::ZERO);
        let from_sub = paid_in
            .get(&Account::Earnings(id))
            .copied()
            .unwrap_or(Money::ZERO);
        assert_eq!(earnings, from_customer + from_sub, "level {level}");
        let c = customers[level];
        let balance = store
            .read(move |tx| Ok(tx.balance(Account::Customer(c))?))
            .await
            .unwrap();
        assert_eq!(balance, Money(funded[level]) - from_customer);
    }
    let revenue = store
        .read(|tx| Ok(tx.balance(Account::PlatformRevenue)?))
        .await
        .unwrap();
    assert_eq!(
        revenue,
        paid_in
            .get(&Account::PlatformRevenue)
            .copied()
            .unwrap_or(Money::ZERO)
    );
    store.close();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn money_moves_up_every_level_and_the_ledger_balances(
        ops in prop::collection::vec(op(), 1..40),
        funds in (
            prop::sample::select(vec![0i64, 30_000, 10_000_000]),
            prop::sample::select(vec![0i64, 30_000, 5_000_000]),
            prop::sample::select(vec![0i64, 30_000, 1_000_000]),
        ),
    ) {
        runtime().block_on(run(ops, [funds.0, funds.1, funds.2]));
    }
}
