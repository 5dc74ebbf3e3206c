//! `orders/suspend` and `orders/unsuspend`, and the archive of finished
//! actions (`actions/search-archived`).

use crate::common::TestApp;

#[tokio::test]
async fn a_suspended_order_refuses_changes_until_unsuspended_but_renews_and_shows_it() {
    let app = TestApp::spawn().await;
    let customer = app.signup("held@example.com").await;
    let order = app.add_vps(customer, "held.example.com").await.to_string();

    let suspended = app
        .post(
            "orders/suspend.json",
            &[("order-id", &order), ("reason", "Abuse report 42")],
        )
        .await;
    suspended.ok();
    assert_eq!(suspended.s("actiontype"), "Suspend");
    assert_eq!(suspended.s("status"), "Success");
    assert_eq!(
        suspended.s("actiontypedesc"),
        "Suspension of VPS Linux for held.example.com: Abuse report 42"
    );
    let details = app
        .get("vps/linux/us/details.json", &[("order-id", &order)])
        .await;
    assert_eq!(details.ok().s("currentstatus"), "Suspended");

    let before = app.counts();
    let again = app
        .post(
            "orders/suspend.json",
            &[("order-id", &order), ("reason", "x")],
        )
        .await;
    assert_eq!(
        again.error(),
        format!("Order {order} is Suspended; this action needs an Active order")
    );
    let host = app
        .post(
            "backup/us/add.json",
            &[
                ("storage-size-gb", "20"),
                ("customer-id", &customer.to_string()),
                ("hosting-order-id", &order),
                ("months", "1"),
                ("plan-id", "301"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(
        host.error(),
        format!("Order {order} is Suspended; this action needs an Active order")
    );
    let missing = app
        .post("orders/suspend.json", &[("order-id", &order)])
        .await;
    assert_eq!(missing.error(), "Required parameter missing: reason");
    assert_eq!(app.counts(), before);

    // A suspended order can still be renewed; it stays suspended.
    let renewed = app
        .post(
            "vps/linux/us/renew.json",
            &[
                ("order-id", &order),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    renewed.ok();
    let unsuspended = app
        .post("orders/unsuspend.json", &[("order-id", &order)])
        .await;
    assert_eq!(unsuspended.ok().s("actiontype"), "Unsuspend");
    let details = app
        .get("vps/linux/us/details.json", &[("order-id", &order)])
        .await;
    assert_eq!(details.ok().s("currentstatus"), "Active");
    let twice = app
        .post("orders/unsuspend.json", &[("order-id", &order)])
        .await;
    assert_eq!(
        twice.error(),
        format!("Order {order} is Active; only a Suspended order can be unsuspended")
    );

    let (other, key) = app
        .create_reseller("other", crate::common::money("10"))
        .await;
    let foreign = app
        .as_reseller(other, &key)
        .post(
            "orders/suspend.json",
            &[("order-id", &order), ("reason", "x")],
        )
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
}

#[tokio::test]
async fn the_archive_lists_finished_actions_only() {
    let app = TestApp::spawn().await;
    let customer = app.signup("archive@example.com").await;
    let host = app.add_vps(customer, "archive.example.com").await;
    let pending = app.add_backup(customer, host, 20, "OnlyAdd").await;
    let page = [("no-of-records", "10"), ("page-no", "1")];
    let current = app.get("actions/search-current.json", &page).await;
    assert_eq!(current.ok().s("recsindb"), "2");
    let archived = app.get("actions/search-archived.json", &page).await;
    assert_eq!(archived.ok().s("recsindb"), "1");
    assert_eq!(archived.body["1"]["actionstatus"], "Success");
    let refused = app
        .get(
            "actions/search-archived.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("action-status", "PendingExecution"),
            ],
        )
        .await;
    assert_eq!(
        refused.error(),
        "Invalid action-status: PendingExecution. It must be one of Success, Failed"
    );
    let _ = pending;
}
