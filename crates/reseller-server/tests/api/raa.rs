//! ICANN's verification of a domain's registrant (every TLD but those
//! NIXI verifies): the mail and its link, the resend call, and the status
//! read from the clock.

use crate::common::{TestApp, curl, link_in};
use crate::domains::{a_contact, registration};
use reseller_core::model::Mail;

async fn raa_mails(app: &TestApp, order: &str) -> Vec<Mail> {
    app.mails(order, "raa-verification").await
}

fn link_of(mail: &Mail) -> String {
    link_in(mail, "/raa/verify/")
}

async fn status(app: &TestApp, order: &str) -> String {
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", order), ("options", "DomainStatus")],
        )
        .await;
    details.ok().s("raaVerificationStatus").to_string()
}

async fn register(app: &TestApp, name: &str, customer: &str, contact: &str) -> String {
    let reply = app
        .post(
            "domains/register.json",
            &registration(name, customer, contact, "1", "NoInvoice"),
        )
        .await;
    reply.ok().s("entityid").to_string()
}

#[tokio::test]
async fn a_generic_domains_registrant_verifies_by_the_mailed_link() {
    let app = TestApp::spawn().await;
    let customer = app.signup("icann@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let order = register(&app, "verify-me.org", &customer, &contact).await;
    assert_eq!(status(&app, &order).await, "Pending");
    let sent = raa_mails(&app, &order).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient, "ravi@example.com");
    let first = link_of(&sent[0]);

    app.advance(1).await;
    let resend = [("order-id", order.as_str())];
    let resent = app
        .post("domains/raa/resend-verification.json", &resend)
        .await;
    assert_eq!(resent.ok().text, "true");
    let sent = raa_mails(&app, &order).await;
    assert_eq!(sent.len(), 2);
    let (stale, page) = curl("GET", &first).await;
    assert_eq!(stale, 409, "only the newest link verifies: {page}");
    let (forged, _) = curl("GET", &first.replace("/raa/verify/", "/raa/verify/x")).await;
    assert_eq!(forged, 403);
    // A NIXI link opens nothing here, nor this one there.
    let (crossed, _) = curl("GET", &link_of(&sent[1]).replace("/raa/", "/nixi/")).await;
    assert_eq!(crossed, 403);
    let (status_code, page) = curl("GET", &link_of(&sent[1])).await;
    assert_eq!(status_code, 200, "{page}");
    assert!(page.contains("verify-me.org is verified"), "{page}");
    assert_eq!(status(&app, &order).await, "Verified");
    let again = app
        .post("domains/raa/resend-verification.json", &resend)
        .await;
    assert_eq!(again.ok().text, "false", "nothing left to verify");
    assert_eq!(raa_mails(&app, &order).await.len(), 2);

    // A new registrant verifies afresh.
    let second = a_contact(&app, &customer).await;
    app.post(
        "domains/modify-contact.json",
        &[
            ("order-id", &order),
            ("reg-contact-id", &second),
            ("admin-contact-id", &contact),
            ("tech-contact-id", &contact),
            ("billing-contact-id", &contact),
        ],
    )
    .await
    .ok();
    // Once both registrants approve the change (IRTP).
    assert_eq!(status(&app, &order).await, "Verified");
    crate::irtp::approve_both(&app, &order).await;
    assert_eq!(status(&app, &order).await, "Pending");
    assert_eq!(raa_mails(&app, &order).await.len(), 3);
}

#[tokio::test]
async fn an_unverified_registrant_is_suspended_after_15_days_and_nixi_tlds_need_none() {
    let app = TestApp::spawn().await;
    let customer = app.signup("late@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let order = register(&app, "late-shop.com", &customer, &contact).await;
    // A minute short of the deadline, as real seconds pass on the clock
    // between the registration and the advance.
    app.advance(15 * 86_400 - 60).await;
    assert_eq!(status(&app, &order).await, "Pending");
    app.advance(61).await;
    assert_eq!(status(&app, &order).await, "Suspended");
    let sent = raa_mails(&app, &order).await;
    let (expired, page) = curl("GET", &link_of(&sent[0])).await;
    assert_eq!(expired, 403, "{page}");
    app.post(
        "domains/raa/resend-verification.json",
        &[("order-id", &order)],
    )
    .await
    .ok();
    let sent = raa_mails(&app, &order).await;
    let (opened, _) = curl("GET", &link_of(&sent[1])).await;
    assert_eq!(opened, 200);
    assert_eq!(status(&app, &order).await, "Verified");

    let other = register(&app, "late-shop.co.in", &customer, &contact).await;
    assert_eq!(status(&app, &other).await, "NA");
    assert!(raa_mails(&app, &other).await.is_empty());
    let none = app
        .post(
            "domains/raa/resend-verification.json",
            &[("order-id", &other)],
        )
        .await;
    assert_eq!(none.ok().text, "false");
    let (other_reseller, key) = app
        .create_reseller("other", crate::common::money("10"))
        .await;
    app.as_reseller(other_reseller, &key)
        .refuses(
            "domains/raa/resend-verification.json",
            &[("order-id", &order)],
            "You are not allowed to perform this action",
        )
        .await;
}
