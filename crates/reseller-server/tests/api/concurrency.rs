//! Money never double-spends: 200 concurrent PayInvoice orders for one
//! customer whose funds cover exactly 100. On PostgreSQL they are split
//! across two server instances on one database; on SQLite one instance
//! takes them all.

use crate::common::{TestApp, money};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn funds_for_exactly_100_orders_pay_exactly_100_of_200_concurrent_ones() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await;
    let vps = app.add_vps(customer, "example.com").await;
    // A 20 GB backup for one month costs the customer 2.000.
    app.fund(customer, "200").await;
    let second = if app.is_postgres() {
        Some(app.second_instance().await)
    } else {
        None
    };
    let instances: Vec<String> = std::iter::once(app.base())
        .chain(second.as_ref().map(TestApp::base))
        .collect();

    let mut orders = Vec::new();
    for n in 0..200 {
        let url = format!(
            "{}/api/backup/us/add.json?auth-userid=1&api-key=key&storage-size-gb=20&customer-id={customer}&hosting-order-id={vps}&months=1&plan-id=301&invoice-option=PayInvoice",
            instances[n % instances.len()]
        );
        let client = app.client.clone();
        orders.push(tokio::spawn(async move {
            let text = client
                .post(url)
                .send()
                .await
                .expect("an answer")
                .text()
                .await
                .expect("a body");
            serde_json::from_str::<serde_json::Value>(&text).expect("JSON")
        }));
    }
    let mut statuses = Vec::new();
    for order in orders {
        let reply = order.await.unwrap();
        statuses.push(
            reply["actionstatus"]
                .as_str()
                .unwrap_or_else(|| panic!("no action in {reply}"))
                .to_string(),
        );
    }

    let executed = statuses.iter().filter(|s| *s == "Success").count();
    let pending = statuses.iter().filter(|s| *s == "PendingExecution").count();
    assert_eq!((executed, pending), (100, 100));
    assert_eq!(app.customer_balance(customer).await, money("0"));
    let unpaid = app
        .get(
            "actions/search-current.json",
            &[
                ("no-of-records", "500"),
                ("page-no", "1"),
                ("action-status", "PendingExecution"),
            ],
        )
        .await;
    assert_eq!(unpaid.ok().s("recsindb"), "100");
    let report = app.store.check_ledger().unwrap();
    assert!(report.is_balanced(), "{:#?}", report.violations);
}
