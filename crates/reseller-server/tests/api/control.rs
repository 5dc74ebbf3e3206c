//! The sandbox control plane: opened by the admin token only; the clock,
//! kept in the database so that a restart and every instance agree; the
//! outbox of mails with their links.

use crate::common::{ADMIN_TOKEN, TestApp, now};
use crate::domains::{a_contact, registration};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_control_plane_opens_to_the_admin_token_only() {
    let app = TestApp::spawn().await;
    let url = format!("{}/_reseller/clock", app.base());
    let bare = app.client.get(&url).send().await.unwrap();
    assert_eq!(bare.status(), 401);
    assert_eq!(bare.headers()["www-authenticate"], "Bearer");
    let body: serde_json::Value = serde_json::from_str(&bare.text().await.unwrap()).unwrap();
    assert!(body["error"].as_str().unwrap().contains("Bearer"), "{body}");
    let wrong = app
        .client
        .get(&url)
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    // The API's own credentials open nothing here.
    let with_key = app
        .client
        .get(format!("{url}?auth-userid=1&api-key=key"))
        .bearer_auth("key")
        .send()
        .await
        .unwrap();
    assert_eq!(with_key.status(), 401);
    let advance = app
        .client
        .post(format!("{url}/advance"))
        .body(r#"{"days": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(advance.status(), 401);
    let (status, body) = app.control(Method::GET, "clock", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["offset_seconds"], 0, "nothing moved the clock");
    let (unknown, body) = app.control(Method::GET, "nothing-here", None).await;
    assert_eq!(unknown, 404, "{body}");
    let hidden = app
        .client
        .get(format!("{}/_reseller/nothing-here", app.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), 401, "no path is told without the token");
    assert_ne!(ADMIN_TOKEN, "key");
}

#[tokio::test]
async fn the_clock_moves_for_every_call_and_survives_a_restart() {
    let app = TestApp::spawn().await;
    let (_, before) = app.control(Method::GET, "clock", None).await;
    let real = now();
    assert!((real - 2..=real + 2).contains(&before["now"].as_i64().unwrap()));
    let (status, moved) = app
        .control(Method::POST, "clock/advance", Some(json!({"days": 2})))
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["advanced_seconds"], 172_800);
    assert_eq!(moved["offset_seconds"], 172_800);
    assert_eq!(moved["ran"], json!([]));
    let after = moved["now"].as_i64().unwrap();
    assert!(after - before["now"].as_i64().unwrap() >= 172_800);
    // The API sees the moved time: a customer signed up now is two days ahead.
    let customer = app.signup("later@example.com").await;
    let details = app
        .get(
            "customers/details-by-id.json",
            &[("customer-id", &customer.to_string())],
        )
        .await;
    let created: i64 = details.ok().s("creationdt").parse().unwrap();
    assert!(created >= real + 172_800, "{created} vs {real}");
    app.advance(30).await;
    let (_, clock) = app.control(Method::GET, "clock", None).await;
    assert_eq!(clock["offset_seconds"], 172_830, "advances add up");

    // Bad asks are refused by name and move nothing.
    for (body, says) in [
        (json!({"days": 0}), "Invalid days"),
        (json!({"seconds": -5}), "Invalid seconds"),
        (json!({"days": 1, "seconds": 1}), "not both"),
        (json!({"weeks": 1}), "Unknown field: weeks"),
        (json!({}), "not both or neither"),
    ] {
        let (status, refused) = app
            .control(Method::POST, "clock/advance", Some(body.clone()))
            .await;
        assert_eq!(status, 400, "{body}");
        let message = refused["error"].as_str().unwrap();
        assert!(message.contains(says), "{body}: {message}");
    }
    let (_, clock) = app.control(Method::GET, "clock", None).await;
    assert_eq!(clock["offset_seconds"], 172_830);

    // Kept in the database: another instance agrees, and a restart keeps it.
    if app.is_postgres() {
        let second = app.second_instance().await;
        let (_, there) = second.control(Method::GET, "clock", None).await;
        assert_eq!(there["offset_seconds"], 172_830);
        second.advance(70).await;
        // This instance takes the offset from the database within a second.
        let mut seen = 0;
        for _ in 0..40 {
            seen = app.state.clock.offset();
            if seen == 172_900 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(
            seen, 172_900,
            "the first instance sees the second's advance"
        );
    }
    let expected = app.state.clock.offset();
    let app = app.restart().await;
    assert_eq!(app.state.clock.offset(), expected);
    let (_, clock) = app.control(Method::GET, "clock", None).await;
    assert_eq!(clock["offset_seconds"], expected);
}

#[tokio::test]
async fn the_outbox_lists_the_mails_sent_with_their_links() {
    let app = TestApp::spawn().await;
    let customer = app.signup("outbox@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let mut orders = Vec::new();
    for name in ["outbox-shop.in", "outbox-shop.com"] {
        let placed = app
            .post(
                "domains/register.json",
                &registration(name, &customer, &contact, "1", "NoInvoice"),
            )
            .await;
        orders.push(placed.ok().s("entityid").to_string());
    }
    let (status, all) = app.control(Method::GET, "outbox", None).await;
    assert_eq!(status, 200, "{all}");
    let all = all.as_array().unwrap().clone();
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[0]["kind"], "raa-verification", "newest first");
    assert_eq!(all[1]["kind"], "nixi-verification");
    let nixi = &all[1];
    assert_eq!(nixi["to"], "ravi@example.com");
    assert_eq!(nixi["order_id"], orders[0].parse::<i64>().unwrap());
    assert!(nixi["subject"].as_str().unwrap().contains("outbox-shop.in"));
    let links = nixi["links"].as_array().unwrap();
    assert_eq!(links.len(), 1);
    let link = links[0].as_str().unwrap();
    assert!(
        link.starts_with(&format!("{}/nixi/verify/", app.base())),
        "{link}"
    );
    // The link verifies when opened.
    let page = app.client.get(link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", &orders[0]), ("options", "DomainStatus")],
        )
        .await;
    assert_eq!(
        details.ok().s("registrantEmailVerificationStatus"),
        "Verified"
    );

    let (_, one) = app
        .control(Method::GET, &format!("outbox?order-id={}", orders[1]), None)
        .await;
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["kind"], "raa-verification");
    let (_, newest) = app.control(Method::GET, "outbox?limit=1", None).await;
    assert_eq!(newest.as_array().unwrap().len(), 1);
    for (query, says) in [
        ("outbox?order-id=abc", "Invalid order-id"),
        ("outbox?limit=0", "Invalid limit"),
        ("outbox?limit=5000", "Invalid limit"),
        ("outbox?kind=x", "Unknown parameter: kind"),
    ] {
        let (status, refused) = app.control(Method::GET, query, None).await;
        assert_eq!(status, 400, "{query}");
        assert!(
            refused["error"].as_str().unwrap().contains(says),
            "{query}: {refused}"
        );
    }
}
