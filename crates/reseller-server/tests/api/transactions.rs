//! The ledger as customers and resellers see it: transactions, their
//! search, and debit notes.

use crate::common::{TestApp, money};

#[tokio::test]
async fn a_customers_transactions_show_every_movement_of_its_funds() {
    let app = TestApp::spawn().await;
    let customer = app.signup("ledger@example.com").await;
    let c = customer.to_string();
    app.fund(customer, "100").await;
    let host = app.add_vps(customer, "ledger.example.com").await;
    let paid = app.add_backup(customer, host, 20, "PayInvoice").await;
    paid.ok();

    let all = app
        .get("billing/customer-transactions.json", &[("customer-id", &c)])
        .await;
    all.ok();
    assert_eq!(all.s("recsindb"), "2");
    // Newest first: the invoice payment, then the funds.
    assert_eq!(all.body["1"]["transaction.type"], "debit");
    assert_eq!(all.body["1"]["transaction.sellingamount"], "-2.000");
    assert_eq!(
        all.body["1"]["transaction.description"],
        format!("Payment of invoice {}", paid.s("invoiceid"))
    );
    assert_eq!(all.body["2"]["transaction.type"], "credit");
    assert_eq!(all.body["2"]["transaction.sellingamount"], "100.000");

    let credits = app
        .get(
            "billing/customer-transactions/search.json",
            &[
                ("customer-id", &c),
                ("transaction-type", "credit"),
                ("no-of-records", "10"),
                ("page-no", "1"),
            ],
        )
        .await;
    assert_eq!(credits.ok().s("recsindb"), "1");
    let later = app
        .get(
            "billing/customer-transactions/search.json",
            &[
                ("customer-id", &c),
                ("transaction-date-start", "4000000000"),
                ("no-of-records", "10"),
                ("page-no", "1"),
            ],
        )
        .await;
    assert_eq!(later.ok().s("recsindb"), "0");

    let reseller = app
        .get(
            "billing/reseller-transactions/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("transaction-type", "debit"),
            ],
        )
        .await;
    reseller.ok();
    // The reseller paid its cost for the VPS and the backup.
    assert_eq!(reseller.s("recsindb"), "2");
    let plain = app.get("billing/reseller-transactions.json", &[]).await;
    assert_eq!(
        plain.ok().s("recsindb"),
        "3",
        "opening funds and two charges"
    );

    let before = app.counts();
    for (call, params, text) in [
        (
            "billing/customer-transactions.json",
            vec![("customer-id", c.as_str()), ("transaction-type", "gift")],
            "Invalid transaction-type: gift. It must be one of credit, debit, receipt, invoice".to_string(),
        ),
        (
            "billing/customer-transactions.json",
            vec![],
            "Required parameter missing: customer-id".to_string(),
        ),
        (
            "billing/customer-transactions.json",
            vec![("customer-id", c.as_str()), ("no-of-records", "10")],
            "Unsupported parameter: no-of-records. This call takes customer-id, transaction-type, transaction-date-start, transaction-date-end".to_string(),
        ),
    ] {
        assert_eq!(app.get(call, &params).await.error(), text, "{call} {params:?}");
    }
    assert_eq!(app.counts(), before);

    let (other, key) = app.create_reseller("other", money("10")).await;
    let foreign = app
        .as_reseller(other, &key)
        .get("billing/customer-transactions.json", &[("customer-id", &c)])
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
    let foreign_reseller = app
        .as_reseller(other, &key)
        .get(
            "billing/reseller-transactions.json",
            &[("reseller-id", "1")],
        )
        .await;
    assert_eq!(
        foreign_reseller.error(),
        "Invalid reseller-id: 1. No sub-reseller of yours has it"
    );
}

#[tokio::test]
async fn a_debit_note_charges_the_customers_funds_or_is_refused() {
    let app = TestApp::spawn().await;
    let customer = app.signup("debtor@example.com").await;
    let c = customer.to_string();
    app.fund(customer, "50").await;
    let note = app
        .post(
            "billing/add-customer-debit-note.json",
            &[
                ("customer-id", &c),
                ("amount", "12.5"),
                ("description", "Setup fee"),
            ],
        )
        .await;
    note.ok();
    assert_eq!(note.s("status"), "Success");
    assert_eq!(note.s("sellingcurrencybalance"), "37.500");
    assert_eq!(app.customer_balance(customer).await, money("37.5"));
    let invoice = app.invoice(note.id("invoiceid")).await;
    assert_eq!(invoice.status, reseller_core::model::InvoiceStatus::Paid);
    assert_eq!(invoice.amount, money("12.5"));

    let (other, key) = app.create_reseller("other", money("10")).await;
    let before = app.counts();
    let too_much = app
        .post(
            "billing/add-customer-debit-note.json",
            &[
                ("customer-id", &c),
                ("amount", "40"),
                ("description", "Too much"),
            ],
        )
        .await;
    assert_eq!(
        too_much.error(),
        "Insufficient funds in the customer account: the invoices total 40.000 USD and the available balance is 37.500 USD"
    );
    let zero = app
        .post(
            "billing/add-customer-debit-note.json",
            &[
                ("customer-id", &c),
                ("amount", "0"),
                ("description", "Nothing"),
            ],
        )
        .await;
    assert_eq!(
        zero.error(),
        "Invalid amount: 0.000. It must be more than 0"
    );
    let foreign = app
        .as_reseller(other, &key)
        .post(
            "billing/add-customer-debit-note.json",
            &[("customer-id", &c), ("amount", "1"), ("description", "x")],
        )
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn executing_a_paid_invoice_says_it_is_paid() {
    let app = TestApp::spawn().await;
    let customer = app.signup("paid@example.com").await;
    app.fund(customer, "100").await;
    let host = app.add_vps(customer, "paid.example.com").await;
    let paid = app.add_backup(customer, host, 20, "PayInvoice").await;
    let invoice = paid.s("invoiceid").to_string();
    let before = app.counts();
    let again = app
        .post(
            "billing/execute-order-without-payment.json",
            &[("invoice-ids", &invoice)],
        )
        .await;
    assert_eq!(
        again.error(),
        format!("Invoice {invoice} is Paid; only an Unpaid invoice's action can be executed")
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_transactions_search_tells_hand_from_system_and_sorts_as_asked() {
    let app = TestApp::spawn().await;
    let customer = app.signup("kinds@example.com").await;
    let c = customer.to_string();
    app.fund(customer, "100").await;
    app.post(
        "billing/add-customer-fund.json",
        &[
            ("customer-id", &c),
            ("amount", "5"),
            ("description", "Goodwill credit"),
            ("transaction-type", "credit"),
            ("transaction-key", "goodwill-1"),
        ],
    )
    .await
    .ok();
    let host = app.add_vps(customer, "kinds.example.com").await;
    app.add_backup(customer, host, 20, "PayInvoice").await.ok();
    app.post(
        "billing/add-customer-debit-note.json",
        &[
            ("customer-id", &c),
            ("amount", "12.5"),
            ("description", "Setup fee"),
        ],
    )
    .await
    .ok();

    let search = |extra: Vec<(&'static str, &'static str)>| {
        let app = &app;
        let c = c.clone();
        async move {
            let mut asked = vec![
                ("customer-id", c.as_str()),
                ("no-of-records", "10"),
                ("page-no", "1"),
            ];
            asked.extend(extra);
            app.get("billing/customer-transactions/search.json", &asked)
                .await
        }
    };
    let amounts = |reply: &crate::common::Reply| -> Vec<String> {
        let n: usize = reply.s("recsonpage").parse().unwrap();
        (1..=n)
            .map(|i| {
                reply.body[i.to_string()]["transaction.sellingamount"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };

    // Newest first unless sorted: the debit note, the invoice paid, the
    // credit note, the receipt.
    let every = search(vec![]).await;
    assert_eq!(
        amounts(every.ok()),
        ["-12.500", "-2.000", "5.000", "100.000"]
    );
    for (asked, expected) in [
        (
            vec![("transaction-key", "manually")],
            vec!["-12.500", "5.000", "100.000"],
        ),
        (vec![("transaction-key", "systemgenerated")], vec!["-2.000"]),
        (vec![("transaction-type", "receipt")], vec!["100.000"]),
        (vec![("transaction-type", "invoice")], vec!["-2.000"]),
        (
            vec![
                ("transaction-type", "invoice"),
                ("transaction-type", "receipt"),
            ],
            vec!["-2.000", "100.000"],
        ),
        (
            vec![("transaction-type", "credit")],
            vec!["5.000", "100.000"],
        ),
        (
            vec![("transaction-type", "debit")],
            vec!["-12.500", "-2.000"],
        ),
        (
            vec![
                ("transaction-type", "debit"),
                ("transaction-key", "manually"),
            ],
            vec!["-12.500"],
        ),
        (
            vec![("order-by", "transactionid")],
            vec!["100.000", "5.000", "-2.000", "-12.500"],
        ),
        (
            vec![("order-by", "sellingamount")],
            vec!["-2.000", "5.000", "-12.500", "100.000"],
        ),
        (
            vec![("order-by", "sellingamount desc")],
            vec!["100.000", "-12.500", "5.000", "-2.000"],
        ),
        (
            // "Debit note", "Goodwill", "Payment", "test funds".
            vec![
                ("order-by", "description"),
                ("order-by", "transactionid desc"),
            ],
            vec!["-12.500", "5.000", "-2.000", "100.000"],
        ),
    ] {
        let reply = search(asked.clone()).await;
        assert_eq!(amounts(reply.ok()), expected, "{asked:?}");
    }

    let before = app.counts();
    for (asked, text) in [
        (
            ("transaction-key", "bysystem"),
            "Invalid transaction-key: bysystem. It must be one of manually, systemgenerated",
        ),
        (
            ("order-by", "customerid"),
            "Invalid order-by: customerid. It must be one of transactionid, transactionid asc, \
             transactionid desc, transactiondate, transactiondate asc, transactiondate desc, \
             sellingamount, sellingamount asc, sellingamount desc, description, description asc, \
             description desc",
        ),
    ] {
        assert_eq!(search(vec![asked]).await.error(), text);
    }
    assert_eq!(app.counts(), before);
}

/// The entries of a greedy or balanced report, in order: (type, amount,
/// unspent).
fn report_rows(body: &serde_json::Value, prefix: &str) -> Vec<(String, String, String)> {
    let map = body.as_object().expect("a map");
    (1..=map.len())
        .map(|n| {
            let row = &map[&n.to_string()];
            let field = |name: &str| {
                row[format!("{prefix}.{name}")]
                    .as_str()
                    .unwrap()
                    .to_string()
            };
            (
                field("type"),
                field("sellingamount"),
                field("unutilisedsellingamount"),
            )
        })
        .collect()
}

#[tokio::test]
async fn greedy_transactions_are_the_credits_left_and_balanced_ones_the_settled() {
    let app = TestApp::spawn().await;
    let customer = app.signup("greedy@example.com").await;
    let c = customer.to_string();
    app.fund(customer, "100").await;
    app.post(
        "billing/add-customer-fund.json",
        &[
            ("customer-id", &c),
            ("amount", "50"),
            ("description", "goodwill"),
            ("transaction-type", "credit"),
            ("transaction-key", "credit-1"),
        ],
    )
    .await
    .ok();
    app.post(
        "billing/add-customer-debit-note.json",
        &[
            ("customer-id", &c),
            ("amount", "120"),
            ("description", "Setup"),
        ],
    )
    .await
    .ok();
    // 120 spent: the receipt of 100 wholly, 20 of the credit of 50.
    let greedy = app
        .get(
            "billing/customer-greedy-transactions.json",
            &[("customer-id", &c)],
        )
        .await;
    assert_eq!(
        report_rows(&greedy.ok().body, "customer_transaction"),
        vec![(
            "credit-note".to_string(),
            "50.000".to_string(),
            "30.000".to_string()
        )]
    );
    assert_eq!(greedy.body["1"]["greedy"], "true");
    assert_eq!(
        greedy.body["1"]["customer_transaction.customerid"],
        c.as_str()
    );
    let balanced = app
        .get(
            "billing/customer-balanced-transactions.json",
            &[("customer-id", &c)],
        )
        .await;
    assert_eq!(
        report_rows(&balanced.ok().body, "customer_transaction"),
        vec![
            (
                "receipt".to_string(),
                "100.000".to_string(),
                "0.000".to_string()
            ),
            (
                "debit".to_string(),
                "-120.000".to_string(),
                "0.000".to_string()
            ),
        ]
    );
    // Nothing is archived until it is a year old on the sandbox clock.
    let page = [
        ("customer-id", c.as_str()),
        ("no-of-records", "10"),
        ("page-no", "1"),
    ];
    let archived = app
        .get("billing/customer-archived-transactions/search.json", &page)
        .await;
    assert_eq!(archived.ok().s("recsindb"), "0");
    app.advance(366 * 86_400).await;
    let archived = app
        .get("billing/customer-archived-transactions/search.json", &page)
        .await;
    assert_eq!(archived.ok().s("recsindb"), "3");
    // Another reseller's customer is refused.
    let (other, key) = app.create_reseller("Other", money("10")).await;
    let refused = app
        .as_reseller(other, &key)
        .get(
            "billing/customer-greedy-transactions.json",
            &[("customer-id", &c)],
        )
        .await;
    assert_eq!(
        refused.error(),
        "You are not allowed to perform this action"
    );
    // The reseller's own: its opening funds, less what it spent.
    app.post(
        "vps/linux/us/add.json",
        &[
            ("domain-name", "greedy.example.com"),
            ("customer-id", &c),
            ("months", "1"),
            ("plan-id", "101"),
            ("invoice-option", "NoInvoice"),
        ],
    )
    .await
    .ok();
    let mine = app
        .get("billing/reseller-greedy-transactions.json", &[])
        .await;
    let rows = report_rows(&mine.ok().body, "reseller_transaction");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, "opening");
    assert_eq!(
        money(&rows[0].2),
        app.reseller_balance().await,
        "what is left of the opening funds is the balance"
    );
}
