//! The four invoice options, with enough and with too little customer money,
//! and what paying or forcing a pending action does. Prices: plan 301 costs
//! the customer 0.100 and the reseller 0.070 per GB per month, so a 50 GB
//! backup for one month sells for 5.000 and costs the reseller 3.500.

use crate::common::{TestApp, money};
use reseller_core::model::{ActionStatus, InvoiceStatus, OrderStatus};

struct Scene {
    app: TestApp,
    customer: i64,
    host: i64,
}

async fn scene(customer_funds: Option<&str>) -> Scene {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await;
    let host = app.add_vps(customer, "example.com").await;
    if let Some(amount) = customer_funds {
        app.fund(customer, amount).await;
    }
    Scene {
        app,
        customer,
        host,
    }
}

#[tokio::test]
async fn no_invoice_executes_now_and_only_the_reseller_pays() {
    let Scene {
        app,
        customer,
        host,
    } = scene(None).await;
    let reseller_before = app.reseller_balance().await;

    let reply = app.add_backup(customer, host, 50, "NoInvoice").await;

    reply.ok();
    assert_eq!(reply.s("actionstatus"), "Success");
    assert!(reply.body.get("invoiceid").is_none() && reply.body.get("sellingamount").is_none());
    assert!(reply.body.get("customerid").is_none());
    assert_eq!(
        app.reseller_balance().await,
        reseller_before - money("3.500")
    );
    assert_eq!(app.customer_balance(customer).await, money("0"));
    assert_eq!(
        app.order(reply.id("entityid")).await.status,
        OrderStatus::Active
    );
}

#[tokio::test]
async fn pay_invoice_with_enough_funds_pays_and_executes() {
    let Scene {
        app,
        customer,
        host,
    } = scene(Some("20")).await;
    let reseller_before = app.reseller_balance().await;

    let reply = app.add_backup(customer, host, 50, "PayInvoice").await;

    reply.ok();
    assert_eq!(reply.s("actionstatus"), "Success");
    assert_eq!(reply.s("sellingamount"), "-5.000");
    assert_eq!(reply.s("unutilisedsellingamount"), "-5.000");
    assert_eq!(reply.s("sellingcurrencysymbol"), "USD");
    assert_eq!(reply.id("customerid"), customer);
    assert_eq!(
        app.invoice(reply.id("invoiceid")).await.status,
        InvoiceStatus::Paid
    );
    assert_eq!(app.customer_balance(customer).await, money("15"));
    assert_eq!(
        app.reseller_balance().await,
        reseller_before - money("3.500")
    );
    let order = app.order(reply.id("entityid")).await;
    assert_eq!(order.status, OrderStatus::Active);
    assert!(order.endtime > order.created);
}

#[tokio::test]
async fn pay_invoice_with_too_little_leaves_the_action_pending_until_paid() {
    let Scene {
        app,
        customer,
        host,
    } = scene(Some("4.999")).await;
    let reseller_before = app.reseller_balance().await;

    let reply = app.add_backup(customer, host, 50, "PayInvoice").await;

    reply.ok();
    assert_eq!(reply.s("actionstatus"), "PendingExecution");
    let invoice_id = reply.id("invoiceid");
    let order_id = reply.id("entityid");
    assert_eq!(app.invoice(invoice_id).await.status, InvoiceStatus::Unpaid);
    assert_eq!(app.order(order_id).await.status, OrderStatus::InActive);
    assert_eq!(app.customer_balance(customer).await, money("4.999"));
    assert_eq!(app.reseller_balance().await, reseller_before);

    // Nothing else runs on the order meanwhile.
    let renew = app
        .post(
            "backup/us/renew.json",
            &[
                ("backup-order-id", &order_id.to_string()),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(
        renew.error(),
        "There is already an action pending on this Order."
    );

    // Paying with too little is refused and changes nothing.
    let before = app.counts();
    let refused = app
        .post(
            "billing/customer-pay.json",
            &[("invoice-ids", &invoice_id.to_string())],
        )
        .await;
    assert_eq!(
        refused.error(),
        "Insufficient funds in the customer account: the invoices total 5.000 USD and the available balance is 4.999 USD"
    );
    assert_eq!(app.counts(), before);

    app.fund(customer, "0.001").await;
    let paid = app
        .post(
            "billing/customer-pay.json",
            &[("invoice-ids", &invoice_id.to_string())],
        )
        .await;
    paid.ok();
    let entry = &paid.body[invoice_id.to_string()];
    assert_eq!(entry["actionstatus"], "Success");
    assert_eq!(entry["invoicestatus"], "Paid");
    assert_eq!(app.invoice(invoice_id).await.status, InvoiceStatus::Paid);
    assert_eq!(app.order(order_id).await.status, OrderStatus::Active);
    assert_eq!(app.customer_balance(customer).await, money("0"));
    assert_eq!(
        app.reseller_balance().await,
        reseller_before - money("3.500")
    );

    let again = app
        .post(
            "billing/customer-pay.json",
            &[("invoice-ids", &invoice_id.to_string())],
        )
        .await;
    assert_eq!(
        again.error(),
        format!("Invoice {invoice_id} is Paid; only an Unpaid invoice can be paid")
    );
}

#[tokio::test]
async fn keep_invoice_executes_now_and_leaves_the_invoice_unpaid_whatever_the_funds() {
    for funds in [None, Some("100")] {
        let Scene {
            app,
            customer,
            host,
        } = scene(funds).await;
        let reseller_before = app.reseller_balance().await;
        let customer_before = app.customer_balance(customer).await;

        let reply = app.add_backup(customer, host, 50, "KeepInvoice").await;

        reply.ok();
        assert_eq!(reply.s("actionstatus"), "Success");
        assert_eq!(
            app.invoice(reply.id("invoiceid")).await.status,
            InvoiceStatus::Unpaid
        );
        assert_eq!(app.customer_balance(customer).await, customer_before);
        assert_eq!(
            app.reseller_balance().await,
            reseller_before - money("3.500")
        );
        assert_eq!(
            app.order(reply.id("entityid")).await.status,
            OrderStatus::Active
        );
    }
}

#[tokio::test]
async fn only_add_waits_whatever_the_funds_and_runs_when_forced() {
    for funds in [None, Some("100")] {
        let Scene {
            app,
            customer,
            host,
        } = scene(funds).await;
        let reseller_before = app.reseller_balance().await;
        let customer_before = app.customer_balance(customer).await;

        let reply = app.add_backup(customer, host, 50, "OnlyAdd").await;

        reply.ok();
        assert_eq!(reply.s("actionstatus"), "PendingExecution");
        let (invoice_id, order_id, action_id) = (
            reply.id("invoiceid"),
            reply.id("entityid"),
            reply.id("eaqid"),
        );
        assert_eq!(app.order(order_id).await.status, OrderStatus::InActive);
        assert_eq!(app.reseller_balance().await, reseller_before);

        let forced = app
            .post(
                "billing/execute-order-without-payment.json",
                &[("invoice-ids", &invoice_id.to_string())],
            )
            .await;
        forced.ok();
        assert_eq!(
            forced.body[invoice_id.to_string()]["actionstatus"],
            "Success"
        );
        assert_eq!(app.action(action_id).await.status, ActionStatus::Success);
        assert_eq!(app.order(order_id).await.status, OrderStatus::Active);
        assert_eq!(app.invoice(invoice_id).await.status, InvoiceStatus::Unpaid);
        assert_eq!(app.customer_balance(customer).await, customer_before);
        assert_eq!(
            app.reseller_balance().await,
            reseller_before - money("3.500")
        );
    }
}

#[tokio::test]
async fn forcing_with_cancel_invoice_cancels_it() {
    let Scene {
        app,
        customer,
        host,
    } = scene(None).await;
    let reply = app.add_backup(customer, host, 50, "OnlyAdd").await;
    let invoice_id = reply.id("invoiceid");

    let forced = app
        .post(
            "billing/execute-order-without-payment.json",
            &[
                ("invoice-ids", &invoice_id.to_string()),
                ("cancel-invoice", "true"),
            ],
        )
        .await;

    forced.ok();
    assert_eq!(
        app.invoice(invoice_id).await.status,
        InvoiceStatus::Cancelled
    );
    let again = app
        .post(
            "billing/execute-order-without-payment.json",
            &[("invoice-ids", &invoice_id.to_string())],
        )
        .await;
    assert_eq!(
        again.error(),
        format!(
            "Invoice {invoice_id} is Cancelled; only an Unpaid invoice's action can be executed"
        )
    );
}

#[tokio::test]
async fn an_action_the_reseller_cannot_afford_is_refused_and_changes_nothing() {
    let app = TestApp::spawn_with_funds(money("2")).await;
    let customer = app.signup("buyer@example.com").await;
    // The VPS costs the reseller 7.000 a month: more than it has.
    let before = app.counts();
    for option in ["NoInvoice", "KeepInvoice"] {
        let reply = app
            .post(
                "vps/linux/us/add.json",
                &[
                    ("domain-name", "example.com"),
                    ("customer-id", &customer.to_string()),
                    ("months", "1"),
                    ("plan-id", "101"),
                    ("invoice-option", option),
                ],
            )
            .await;
        assert_eq!(
            reply.error(),
            "Insufficient funds in the reseller account: the action costs 7.000 USD and the available balance is 2.000 USD"
        );
    }
    assert_eq!(app.counts(), before);

    // A pending action whose payment would make it run is refused the same way.
    let pending = app
        .post(
            "vps/linux/us/add.json",
            &[
                ("domain-name", "example.com"),
                ("customer-id", &customer.to_string()),
                ("months", "1"),
                ("plan-id", "101"),
                ("invoice-option", "OnlyAdd"),
            ],
        )
        .await;
    let invoice_id = pending.ok().id("invoiceid").to_string();
    app.fund(customer, "10").await;
    let before = app.counts();
    let paid = app
        .post("billing/customer-pay.json", &[("invoice-ids", &invoice_id)])
        .await;
    assert!(
        paid.error()
            .starts_with("Insufficient funds in the reseller account")
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_discount_lowers_what_the_customer_is_billed_but_not_the_reseller_cost() {
    let Scene {
        app,
        customer,
        host,
    } = scene(Some("10")).await;
    let reseller_before = app.reseller_balance().await;
    let params = |discount: &'static str| {
        vec![
            ("storage-size-gb", "50".to_string()),
            ("customer-id", customer.to_string()),
            ("hosting-order-id", host.to_string()),
            ("months", "1".to_string()),
            ("plan-id", "301".to_string()),
            ("invoice-option", "PayInvoice".to_string()),
            ("discount-amount", discount.to_string()),
        ]
    };
    let too_much = params("5.001");
    let too_much: Vec<(&str, &str)> = too_much.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.post("backup/us/add.json", &too_much).await;
    assert_eq!(
        refused.error(),
        "Invalid discount-amount: 5.001 is more than the price 5.000"
    );

    let fine = params("1.25");
    let fine: Vec<(&str, &str)> = fine.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = app.post("backup/us/add.json", &fine).await;

    reply.ok();
    assert_eq!(reply.s("sellingamount"), "-3.750");
    assert_eq!(reply.s("discount-amount"), "1.250");
    assert_eq!(app.customer_balance(customer).await, money("6.250"));
    assert_eq!(
        app.reseller_balance().await,
        reseller_before - money("3.500")
    );
}

#[tokio::test]
async fn customer_funds_are_added_once_per_transaction_key() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await.to_string();
    let params = [
        ("customer-id", customer.as_str()),
        ("amount", "12.5"),
        ("description", "wire transfer"),
        ("transaction-type", "receipt"),
        ("transaction-key", "tx-1"),
    ];
    let first = app.post("billing/add-customer-fund.json", &params).await;
    first.ok();
    assert_eq!(first.s("sellingcurrencybalance"), "12.500");

    let before = app.counts();
    let second = app.post("billing/add-customer-fund.json", &params).await;
    assert_eq!(
        second.error(),
        "Invalid transaction-key: tx-1 was used before"
    );
    assert_eq!(app.counts(), before);

    let balance = app
        .get(
            "billing/customer-balance.json",
            &[("customer-id", &customer)],
        )
        .await;
    assert_eq!(balance.ok().s("sellingcurrencybalance"), "12.500");
    assert_eq!(balance.s("totalreceipts"), "12.500");
}

#[tokio::test]
async fn actions_can_be_searched_by_order_status_and_type() {
    let Scene {
        app,
        customer,
        host,
    } = scene(None).await;
    let pending = app.add_backup(customer, host, 50, "OnlyAdd").await;
    let order_id = pending.id("entityid").to_string();

    let found = app
        .get(
            "actions/search-current.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("order-id", &order_id),
                ("action-status", "PendingExecution"),
            ],
        )
        .await;

    found.ok();
    assert_eq!(found.s("recsindb"), "1");
    assert_eq!(found.body["1"]["eaqid"], pending.s("eaqid"));
    assert_eq!(found.body["1"]["actiontype"], "Add");
    let all = app
        .get(
            "actions/search-current.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    assert_eq!(
        all.ok().s("recsindb"),
        "2",
        "the VPS add and the backup add"
    );
    let adds = app
        .get(
            "actions/search-current.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("action-type", "Renew"),
            ],
        )
        .await;
    assert_eq!(adds.ok().s("recsindb"), "0");
}

#[tokio::test]
async fn a_misc_invoice_is_raised_against_an_order_paid_like_any_and_once_per_key() {
    let Scene {
        app,
        customer,
        host,
    } = scene(Some("10")).await;
    let c = customer.to_string();
    let order = host.to_string();
    async fn raise(
        app: &TestApp,
        order: &str,
        customer: &str,
        key: &str,
        amount: &str,
        greedy: &str,
    ) -> crate::common::Reply {
        app.post(
            "billing/add-customer-misc-invoice.json",
            &[
                ("order-id", order),
                ("customer-id", customer),
                ("selling-amount", amount),
                ("description", "Migration help"),
                ("invoice-date", "1764892800"),
                ("transaction-key", key),
                ("greedy", greedy),
            ],
        )
        .await
    }
    let waiting = raise(&app, &order, &c, "misc-1", "4", "false").await;
    let waiting = waiting.ok().body.as_i64().expect("a bare invoice id");
    let invoice = app.invoice(waiting).await;
    assert_eq!(invoice.status, InvoiceStatus::Unpaid);
    assert_eq!(invoice.amount, money("4"));
    assert_eq!(invoice.order_id.0, host);
    assert_eq!(invoice.created, 1_764_892_800);
    assert_eq!(
        app.customer_balance(customer).await,
        money("10"),
        "nothing paid yet"
    );
    let paid = app
        .post(
            "billing/customer-pay.json",
            &[("invoice-ids", &waiting.to_string())],
        )
        .await;
    assert_eq!(paid.ok().body[waiting.to_string()]["invoicestatus"], "Paid");
    assert_eq!(app.customer_balance(customer).await, money("6"));
    // Greedy: paid at once from funds that cover it, left unpaid otherwise.
    let greedy = raise(&app, &order, &c, "misc-2", "5", "true").await;
    let greedy = greedy.ok().body.as_i64().unwrap();
    assert_eq!(app.invoice(greedy).await.status, InvoiceStatus::Paid);
    assert_eq!(app.customer_balance(customer).await, money("1"));
    let short = raise(&app, &order, &c, "misc-3", "5", "true").await;
    let short = short.ok().body.as_i64().unwrap();
    assert_eq!(app.invoice(short).await.status, InvoiceStatus::Unpaid);
    assert_eq!(app.customer_balance(customer).await, money("1"));
    // The ledger (checked when the server stops) has the reseller earning
    // what was paid: 9.000, at no platform cost.

    app.refuses(
        "billing/add-customer-misc-invoice.json",
        &[
            ("order-id", &order),
            ("customer-id", &c),
            ("selling-amount", "1"),
            ("description", "Again"),
            ("invoice-date", "1764892800"),
            ("transaction-key", "misc-1"),
        ],
        "Invalid transaction-key: misc-1 was used before",
    )
    .await;
    let other = app.signup("other-misc@example.com").await.to_string();
    app.refuses(
        "billing/add-customer-misc-invoice.json",
        &[
            ("order-id", &order),
            ("customer-id", &other),
            ("selling-amount", "1"),
            ("description", "Wrong owner"),
            ("invoice-date", "1764892800"),
            ("transaction-key", "misc-4"),
        ],
        &format!("Invalid order-id: {order}. It is an order of customer {c}, not of {other}"),
    )
    .await;
    app.refuses(
        "billing/add-customer-misc-invoice.json",
        &[
            ("order-id", &order),
            ("customer-id", &c),
            ("selling-amount", "0"),
            ("description", "Nothing"),
            ("invoice-date", "1764892800"),
            ("transaction-key", "misc-5"),
        ],
        "Invalid amount: 0.000. It must be more than 0",
    )
    .await;
}
