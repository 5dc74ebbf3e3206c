//! The error texts not met elsewhere, and faults of ours: a broken record
//! answers `Internal error, reference ...`, never a business error, and
//! leaks nothing.

use crate::common::TestApp;
use reseller_core::model::CustomerStatus;

#[tokio::test]
async fn invoice_errors_name_the_invoice() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await;
    let vps = app.add_vps(customer, "example.com").await;
    let kept = app.add_backup(customer, vps, 20, "KeepInvoice").await;
    let before = app.counts();

    let unknown = app
        .post("billing/customer-pay.json", &[("invoice-ids", "999")])
        .await;
    assert_eq!(unknown.error(), "Invalid invoice-ids: 999. No such invoice");
    let ran = app
        .post(
            "billing/execute-order-without-payment.json",
            &[("invoice-ids", kept.s("invoiceid"))],
        )
        .await;
    assert_eq!(
        ran.error(),
        format!(
            "Invoice {} has no pending action to execute",
            kept.s("invoiceid")
        )
    );
    let none = app.post("billing/customer-pay.json", &[]).await;
    assert_eq!(none.error(), "Required parameter missing: invoice-ids");
    let zero = app
        .post(
            "billing/add-customer-fund.json",
            &[
                ("customer-id", &customer.to_string()),
                ("amount", "0"),
                ("description", "d"),
                ("transaction-type", "receipt"),
                ("transaction-key", "z"),
            ],
        )
        .await;
    assert_eq!(
        zero.error(),
        "Invalid amount: 0.000. It must be more than 0"
    );
    let kind = app
        .post(
            "billing/add-customer-fund.json",
            &[
                ("customer-id", &customer.to_string()),
                ("amount", "1"),
                ("description", "d"),
                ("transaction-type", "gift"),
                ("transaction-key", "z"),
            ],
        )
        .await;
    assert_eq!(
        kind.error(),
        "Invalid transaction-type: gift. It must be receipt or credit"
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_suspended_customer_cannot_order() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await;
    app.store
        .write(move |tx| {
            let mut c = tx.customer(customer.into())?.unwrap();
            c.status = CustomerStatus::Suspended;
            Ok(tx.update_customer(&c)?)
        })
        .await
        .unwrap();
    let before = app.counts();

    let reply = app
        .post(
            "vps/linux/us/add.json",
            &[
                ("domain-name", "example.com"),
                ("customer-id", &customer.to_string()),
                ("months", "1"),
                ("plan-id", "101"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;

    assert_eq!(reply.error(), format!("Customer {customer} is not Active"));
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_refused() {
    let app = TestApp::spawn().await;
    let reply = app
        .client
        .post(format!(
            "{}/api/customers/modify.json?auth-userid=1&api-key=key",
            app.base()
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![0xff, 0xfe, b'=', 0x80])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 500);
    let body: serde_json::Value = serde_json::from_str(&reply.text().await.unwrap()).unwrap();
    assert_eq!(
        body["message"],
        "Request body is not form-encoded UTF-8 (application/x-www-form-urlencoded)"
    );
}

#[tokio::test]
async fn a_fault_of_ours_is_an_internal_error_with_a_reference_and_no_detail() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await;
    let vps = app.add_vps(customer, "example.com").await;
    // Break the record behind the server's back, as a bug or a bad migration would.
    app.tamper(&format!(
        "UPDATE orders SET status = 'Bogus' WHERE id = {vps}"
    ));

    let reply = app
        .get(
            "vps/linux/us/details.json",
            &[("order-id", &vps.to_string())],
        )
        .await;

    let message = reply.error();
    assert!(
        message.starts_with("Internal error, reference "),
        "{message}"
    );
    let reference = message.trim_start_matches("Internal error, reference ");
    assert_eq!(reference.len(), 12);
    assert!(reference.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(
        !reply.text.contains("Bogus") && !reply.text.to_lowercase().contains("sql"),
        "{}",
        reply.text
    );
    // Put it back so the shared ledger check at the end reads a sound database.
    app.tamper(&format!(
        "UPDATE orders SET status = 'Active' WHERE id = {vps}"
    ));
}
