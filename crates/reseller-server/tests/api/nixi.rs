//! NIXI verification of .in, third-level .in and .bharat registrants: the
//! seed's resend call, the mail and its link, the statuses read from the
//! clock, and every refusal with its text.

use crate::common::{TestApp, curl, link_in, seeded};
use crate::domains::{a_contact, registration};
use reseller_core::model::Mail;

const RESEND: &str = "https://test.httpapi.com/api/domains/nixi/verification/resend.json?auth-userid=0&api-key=key&order-id=0";
const SENT: &str = "Verification email has been sent to the Registrant contact";
const INACTIVE: &str =
    "Resend verification email is not supported for InActive or Deleted domains.";

async fn mails(app: &TestApp, order: &str) -> Vec<Mail> {
    app.mails(order, "nixi-verification").await
}

fn link_of(mail: &Mail) -> String {
    link_in(mail, "/nixi/verify/")
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

async fn statuses(app: &TestApp, order: &str) -> (String, String, serde_json::Value) {
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", order), ("options", "OrderDetails")],
        )
        .await;
    details.ok();
    (
        details.s("registrantEmailVerificationStatus").to_string(),
        details.s("eKYCVerificationStatus").to_string(),
        details.body["domainstatus"].clone(),
    )
}

#[tokio::test]
async fn the_seed_resend_url_answers_for_a_fresh_in_domain_and_refuses_a_deleted_one() {
    let app = TestApp::spawn().await;
    let customer = app.signup("nixi@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    for format in ["json", "xml"] {
        let fresh = register(
            &app,
            &format!("fresh-{format}-shop.in"),
            &customer,
            &contact,
        )
        .await;
        let gone = register(
            &app,
            &format!("gone-{format}-shop.co.in"),
            &customer,
            &contact,
        )
        .await;
        app.post("domains/delete.json", &[("order-id", &gone)])
            .await
            .ok();
        let as_format = |url: String| url.replace(".json?", &format!(".{format}?"));
        // A fresh domain resends at once: the registration's mail is no resend.
        let url = as_format(seeded(
            &app,
            RESEND,
            &[("auth-userid", "1".into()), ("order-id", fresh.clone())],
        ));
        let (status, body) = curl("POST", &url).await;
        assert_eq!(status, 200, "{url} answered {body}");
        let url = as_format(seeded(
            &app,
            RESEND,
            &[("auth-userid", "1".into()), ("order-id", gone.clone())],
        ));
        let (refused, error) = curl("POST", &url).await;
        assert_eq!(refused, 500, "{error}");
        if format == "json" {
            let body: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(
                body,
                serde_json::json!({"status": "Success", "message": SENT})
            );
            let error: serde_json::Value = serde_json::from_str(&error).unwrap();
            assert_eq!(
                error,
                serde_json::json!({"status": "ERROR", "message": INACTIVE})
            );
        } else {
            assert!(
                body.contains(&format!("<string>message</string><string>{SENT}</string>")),
                "{body}"
            );
            assert!(error.contains(INACTIVE), "{error}");
        }
        let sent = mails(&app, &fresh).await;
        assert_eq!(sent.len(), 2, "the registration's mail and the resent one");
        assert!(
            sent.iter()
                .all(|m| m.recipient == "ravi@example.com" && m.kind == "nixi-verification")
        );
    }
}

#[tokio::test]
async fn a_registrant_verifies_by_the_link_and_the_partner_confirms_within_the_hour() {
    let app = TestApp::spawn().await;
    let customer = app.signup("verify@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let order = register(&app, "verify-me.bharat", &customer, &contact).await;
    assert_eq!(
        statuses(&app, &order).await,
        ("Pending".into(), "Pending".into(), serde_json::json!([]))
    );
    let resend = [("order-id", order.as_str())];
    app.post("domains/nixi/verification/resend.json", &resend)
        .await
        .ok();
    let before = app.counts();
    let too_soon = app
        .post("domains/nixi/verification/resend.json", &resend)
        .await;
    // The wait counts down from 300 seconds as the clock runs.
    assert!(
        too_soon.error().starts_with(
            "A verification email was resent less than 5 minutes ago; try again in 29"
        ) || too_soon.error().ends_with("in 300 seconds"),
        "{}",
        too_soon.error()
    );
    assert_eq!(app.counts(), before);
    let sent = mails(&app, &order).await;
    assert_eq!(sent.len(), 2, "the registration's mail and one resend");
    let link = link_of(&sent[0]);
    let (status, page) = curl("GET", &link).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("verify-me.bharat is verified"), "{page}");
    assert_eq!(
        statuses(&app, &order).await,
        (
            "Verified".into(),
            "Pending Partner Confirmation".into(),
            serde_json::json!([])
        )
    );
    app.advance(301).await;
    app.refuses(
        "domains/nixi/verification/resend.json",
        &resend,
        "Resend verification email is not supported while eKYCVerificationStatus is Pending Partner Confirmation.",
    )
    .await;
    app.advance(3_600).await;
    assert_eq!(statuses(&app, &order).await.1, "Verified");
    app.refuses(
        "domains/nixi/verification/resend.json",
        &resend,
        "The registrant of verify-me.bharat is already verified",
    )
    .await;
    let (again, page) = curl("GET", &link).await;
    assert_eq!(again, 200);
    assert!(page.contains("already verified"), "{page}");
    // A forged or altered link opens nothing.
    let (forged, _) = curl("GET", &link.replace("/nixi/verify/", "/nixi/verify/1")).await;
    assert_eq!(forged, 403);

    // A new registrant starts a fresh round; the old link no longer verifies.
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
    assert_eq!(
        statuses(&app, &order).await,
        ("Pending".into(), "Pending".into(), serde_json::json!([]))
    );
    let sent = mails(&app, &order).await;
    assert_eq!(sent.len(), 3, "the new registrant is mailed");
    let (stale, page) = curl("GET", &link).await;
    assert_eq!(stale, 409);
    assert!(page.contains("no longer valid"), "{page}");
    // Changing the other roles alone starts nothing.
    app.post(
        "domains/modify-contact.json",
        &[
            ("order-id", &order),
            ("reg-contact-id", &second),
            ("admin-contact-id", &second),
            ("tech-contact-id", &contact),
            ("billing-contact-id", &contact),
        ],
    )
    .await
    .ok();
    assert_eq!(mails(&app, &order).await.len(), 3);
}

#[tokio::test]
async fn an_unverified_domain_goes_on_hold_after_seven_days_until_verified() {
    let app = TestApp::spawn().await;
    let customer = app.signup("late@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let order = register(&app, "late-shop.firm.in", &customer, &contact).await;
    // A domain verified in time is not held, and its registrant not told.
    let prompt = register(&app, "prompt-shop.in", &customer, &contact).await;
    let link = link_of(&mails(&app, &prompt).await[0]);
    assert_eq!(curl("GET", &link).await.0, 200);
    // The clock also moves with real time: steps are taken from the
    // round's start, with a margin.
    let started = app
        .order(order.parse().unwrap())
        .await
        .attrs
        .domain
        .and_then(|d| d.nixi)
        .expect("a NIXI round")
        .started;
    let to = |at: i64| at - app.state.clock.now();
    app.advance(to(started + 7 * 86_400 - 30)).await;
    assert_eq!(statuses(&app, &order).await.2, serde_json::json!([]));
    assert!(app.mails(&order, "nixi-hold").await.is_empty());
    let (status, moved) = app
        .control(
            reqwest::Method::POST,
            "clock/advance",
            Some(serde_json::json!({"seconds": to(started + 7 * 86_400 + 30)})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        statuses(&app, &order).await.2,
        serde_json::json!(["nixihold"])
    );
    // The hold is a job of the clock: it ran once, and told the registrant.
    let holds: Vec<&serde_json::Value> = moved["ran"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["job"] == "nixi-hold")
        .collect();
    assert_eq!(holds.len(), 1, "{moved}");
    assert_eq!(holds[0]["order_id"].to_string(), order);
    assert_eq!(holds[0]["outcome"], "on hold");
    assert_eq!(holds[0]["at"], started + 7 * 86_400 + 1);
    let told = app.mails(&order, "nixi-hold").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].subject, "late-shop.firm.in is on hold");
    assert_eq!(told[0].recipient, mails(&app, &order).await[0].recipient);
    assert!(app.mails(&prompt, "nixi-hold").await.is_empty());
    app.advance(7 * 86_400).await;
    assert_eq!(app.mails(&order, "nixi-hold").await.len(), 1);
    // The first link has expired with the week; a resend brings a new one.
    let first = link_of(&mails(&app, &order).await[0]);
    let (expired, _) = curl("GET", &first).await;
    assert_eq!(expired, 403);
    app.post(
        "domains/nixi/verification/resend.json",
        &[("order-id", &order)],
    )
    .await
    .ok();
    let sent = mails(&app, &order).await;
    let (status, page) = curl("GET", &link_of(&sent[1])).await;
    assert_eq!(status, 200, "{page}");
    app.advance(3_600).await;
    assert_eq!(
        statuses(&app, &order).await,
        ("Verified".into(), "Verified".into(), serde_json::json!([]))
    );
}

#[tokio::test]
async fn resend_is_refused_for_other_tlds_and_other_resellers() {
    let app = TestApp::spawn().await;
    let customer = app.signup("plain@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let com = register(&app, "plain-shop.com", &customer, &contact).await;
    let inn = register(&app, "plain-shop.in", &customer, &contact).await;
    app.refuses(
        "domains/nixi/verification/resend.json",
        &[("order-id", &com)],
        "NIXI verification applies to .in, third-level .in and .bharat domains only; plain-shop.com is not one",
    )
    .await;
    assert!(
        mails(&app, &com)
            .await
            .iter()
            .all(|m| m.kind != "nixi-verification")
    );
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", &com), ("options", "All")],
        )
        .await;
    assert!(details.ok().body.get("eKYCVerificationStatus").is_none());
    let (other, key) = app
        .create_reseller("other", crate::common::money("100"))
        .await;
    let outsider = app.as_reseller(other, &key);
    app.advance(301).await;
    let refused = outsider
        .post(
            "domains/nixi/verification/resend.json",
            &[("order-id", &inn)],
        )
        .await;
    assert_eq!(
        refused.error(),
        "You are not allowed to perform this action"
    );
    app.refuses(
        "domains/nixi/verification/resend.json",
        &[("order-id", "x")],
        "Invalid order-id: x. It must be a whole number from 1 to 9223372036854775807",
    )
    .await;
}
