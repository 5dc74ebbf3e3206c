//! Tenants: tests running in parallel each with a reseller, a clock and
//! snapshots of their own (`/_reseller/tenants`).

use crate::common::{Reply, TestApp, money};
use crate::lifecycle::{kinds, monthly_vps};
use reqwest::Method;
use reseller_core::model::OrderStatus;
use reseller_core::time::add_months;
use serde_json::{Value, json};

const DAY: i64 = 86_400;

/// A tenant made through the control plane, acting as itself.
async fn tenant(app: &TestApp, body: Value) -> (TestApp, Value) {
    let (status, made) = app.control(Method::POST, "tenants", Some(body)).await;
    assert_eq!(status, 200, "{made}");
    let id = made["id"].as_i64().expect("an id");
    assert_eq!(made["auth-userid"], id);
    let key = made["api-key"].as_str().expect("a key");
    (app.as_reseller(id, key), made)
}

async fn clock_of(app: &TestApp, tenant: i64) -> Value {
    let (status, clock) = app
        .control(Method::GET, &format!("tenants/{tenant}/clock"), None)
        .await;
    assert_eq!(status, 200, "{clock}");
    clock
}

async fn vps_count(app: &TestApp) -> String {
    let found: Reply = app
        .get(
            "vps/linux/us/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    found.ok().s("recsindb").to_string()
}

/// What one tenant does: an order, its own clock moved `days`, then a
/// reset, a restore or nothing; every figure checked against what its
/// own sequence implies.
async fn one_tenant_sequence(app: TestApp, i: i64) {
    let (me, _) = tenant(&app, json!({"funds": "1000", "clock": true})).await;
    let id = me.reseller_id;
    let rich = i % 2 == 0;
    let customer = me.signup(&format!("customer{i}@example.com")).await;
    if rich {
        me.fund(customer, "500").await;
    }
    let order = monthly_vps(&me, customer, &format!("tenant{i}.example.com")).await;
    let opened = me.reseller_balance().await;
    let cost = money("1000") - opened;
    assert!(cost > money("0"), "the order cost the tenant");
    let end = me.order(order).await.endtime;
    let began = clock_of(&app, id).await;
    assert_eq!(began["own"], true);
    let plan = i % 4;
    if plan == 1 {
        let (status, kept) = app
            .control(
                Method::POST,
                &format!("tenants/{id}/snapshots/before"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{kept}");
    }

    // Its own clock, by its own amount: 5 to 35 days.
    let days = 5 + 2 * i;
    let (status, moved) = app
        .control(
            Method::POST,
            &format!("tenants/{id}/clock/advance"),
            Some(json!({ "days": days })),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    let to = moved["now"].as_i64().unwrap();
    assert_eq!(
        moved["offset_seconds"].as_i64().unwrap(),
        began["offset_seconds"].as_i64().unwrap() + days * DAY
    );
    // Exactly the jobs of its own order that fall due by its own time.
    let mut due: Vec<(&str, i64)> = vec![("renewal-notice", end - 10 * DAY)];
    match rich {
        true => due.push(("renewal", end - 7 * DAY)),
        false => {
            due.push(("renewal", end - 7 * DAY));
            due.extend((1..=6).map(|k| ("renewal-retry", end - 7 * DAY + k * DAY)));
            due.push(("expiry", end));
        }
    }
    due.retain(|(_, at)| *at <= to);
    let ran: Vec<(String, i64)> = moved["ran"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["order_id"], order, "only its own orders' jobs: {moved}");
            (
                r["job"].as_str().unwrap().to_string(),
                r["at"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, i64)> = due.iter().map(|(j, at)| (j.to_string(), *at)).collect();
    assert_eq!(ran, expected, "tenant {i} after {days} days");

    // The order, its mails and the money, as those jobs leave them.
    let renewed = rich && expected.iter().any(|(j, _)| j == "renewal");
    let expired = expected.iter().any(|(j, _)| j == "expiry");
    let kept = me.order(order).await;
    assert_eq!(kept.endtime, if renewed { add_months(end, 1) } else { end });
    let status = if expired {
        OrderStatus::Suspended
    } else {
        OrderStatus::Active
    };
    assert_eq!(kept.status, status, "tenant {i}");
    let mut mails: Vec<&str> = Vec::new();
    if !expected.is_empty() {
        mails.push("renewal-notice");
    }
    if expected.iter().any(|(j, _)| j == "renewal") {
        mails.push("invoice");
        if !rich {
            mails.push("renewal-failed");
        }
    }
    if expired {
        mails.push("expiry");
    }
    assert_eq!(
        kinds(&me.mails(&order.to_string(), "").await),
        mails,
        "tenant {i}"
    );
    let renewals = i64::from(renewed);
    assert_eq!(me.reseller_balance().await, opened - cost.times(renewals));
    let customer_funds = if rich { money("500") } else { money("0") };
    assert_eq!(
        me.customer_balance(customer).await,
        customer_funds - money("10").times(renewals)
    );

    match plan {
        // Reset: nothing of it is left but its key; its funds and its
        // clock are what they were when it was made.
        0 => {
            let (status, reset) = app
                .control(Method::POST, &format!("tenants/{id}/reset"), None)
                .await;
            assert_eq!(status, 200, "{reset}");
            assert_eq!(vps_count(&me).await, "0");
            assert_eq!(me.reseller_balance().await, money("1000"));
            let clock = clock_of(&app, id).await;
            assert_eq!(clock["own"], true);
            let (_, global) = app.control(Method::GET, "clock", None).await;
            assert_eq!(clock["offset_seconds"], global["offset_seconds"]);
            assert!(me.mails(&order.to_string(), "").await.is_empty());
        }
        // Restore: as before the advance, its clock too.
        1 => {
            let (status, restored) = app
                .control(
                    Method::POST,
                    &format!("tenants/{id}/snapshots/before/restore"),
                    None,
                )
                .await;
            assert_eq!(status, 200, "{restored}");
            assert_eq!(restored["offset_seconds"], began["offset_seconds"]);
            let back = me.order(order).await;
            assert_eq!((back.status, back.endtime), (OrderStatus::Active, end));
            assert_eq!(me.reseller_balance().await, opened);
            assert_eq!(me.customer_balance(customer).await, customer_funds);
            assert!(me.mails(&order.to_string(), "").await.is_empty());
            assert_eq!(vps_count(&me).await, "1");
        }
        _ => assert_eq!(vps_count(&me).await, "1"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_tenants_in_parallel_each_see_only_their_own_clock_and_state() {
    let app = TestApp::spawn().await;
    // The demo reseller's order, on the global clock, which no tenant moves.
    let customer = app.signup("global@example.com").await;
    let global_order = monthly_vps(&app, customer, "global.example.com").await;
    let mut running = Vec::new();
    for i in 0..16 {
        let copy = app.as_reseller(app.reseller_id, &app.api_key);
        running.push(tokio::spawn(one_tenant_sequence(copy, i)));
    }
    for run in running {
        run.await.expect("a tenant's sequence");
    }
    let (_, global) = app.control(Method::GET, "clock", None).await;
    assert_eq!(global["offset_seconds"], 0, "{global}");
    let untouched = app.order(global_order).await;
    assert_eq!(untouched.status, OrderStatus::Active);
    assert!(app.mails(&global_order.to_string(), "").await.is_empty());
    assert_eq!(vps_count(&app).await, "1", "the demo reseller sees its own");
    let report = app.store.check_ledger().expect("the ledger is read");
    assert!(report.is_balanced(), "{:?}", report.violations);
}

#[tokio::test]
async fn a_deleted_tenant_leaves_nothing_and_the_ledger_balances() {
    let app = TestApp::spawn().await;
    let before = app.counts();
    let (me, made) = tenant(&app, json!({"funds": "250.5"})).await;
    assert_eq!(made["funds"], "250.500");
    assert_eq!(made["clock"], Value::Null, "the global clock unless asked");
    let customer = me.signup("gone@example.com").await;
    me.fund(customer, "40").await;
    monthly_vps(&me, customer, "gone.example.com").await;
    let (status, _) = app
        .control(
            Method::POST,
            &format!("tenants/{}/snapshots/kept", me.reseller_id),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, gone) = app
        .control(Method::DELETE, &format!("tenants/{}", me.reseller_id), None)
        .await;
    assert_eq!(status, 200, "{gone}");
    // Every row of it is gone, and the accounts outside it hold what they
    // held before (the platform's revenue account stays, at zero).
    let mut after = app.counts();
    after.balances.retain(|(_, balance)| *balance != 0);
    assert_eq!(after, before);
    let (status, _) = app
        .control(
            Method::GET,
            &format!("tenants/{}/snapshots", me.reseller_id),
            None,
        )
        .await;
    assert_eq!(status, 404, "its snapshots went with it");
    let refused = me
        .get(
            "billing/reseller-balance.json",
            &[("reseller-id", &me.reseller_id.to_string())],
        )
        .await;
    assert!(
        refused.error().starts_with("Invalid credentials"),
        "its key opens nothing: {}",
        refused.text
    );
    let (status, missing) = app
        .control(Method::DELETE, &format!("tenants/{}", me.reseller_id), None)
        .await;
    assert_eq!(status, 404, "{missing}");
    // The demo reseller is no tenant.
    let (status, refused) = app.control(Method::POST, "tenants/1/reset", None).await;
    assert_eq!(status, 404, "{refused}");
}

#[tokio::test]
async fn a_tenant_refuses_what_it_does_not_take() {
    let app = TestApp::spawn().await;
    for (body, named) in [
        (json!({"funds": "-5"}), "Invalid funds"),
        (json!({"funds": "1.0001"}), "Invalid funds"),
        (json!({"clock": "yes"}), "Invalid body"),
        (json!({"fund": "5"}), "unknown field `fund`"),
    ] {
        let (status, refused) = app.control(Method::POST, "tenants", Some(body)).await;
        assert_eq!(status, 400, "{refused}");
        assert!(
            refused["error"].as_str().unwrap().contains(named),
            "{refused}"
        );
    }
    let (me, _) = tenant(&app, json!({})).await;
    let id = me.reseller_id;
    let (status, refused) = app
        .control(
            Method::POST,
            &format!("tenants/{id}/clock/advance"),
            Some(json!({"days": 1})),
        )
        .await;
    assert_eq!(status, 409, "no clock of its own yet: {refused}");
    let (status, clock) = app
        .control(Method::POST, &format!("tenants/{id}/clock"), None)
        .await;
    assert_eq!((status, &clock["own"]), (200, &json!(true)), "{clock}");
    let (status, moved) = app
        .control(
            Method::POST,
            &format!("tenants/{id}/clock/advance"),
            Some(json!({"days": 2})),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["offset_seconds"], 2 * DAY);
    let (_, global) = app.control(Method::GET, "clock", None).await;
    assert_eq!(global["offset_seconds"], 0);
    let (status, refused) = app
        .control(
            Method::POST,
            &format!("tenants/{id}/snapshots/nothing/restore"),
            None,
        )
        .await;
    assert_eq!(status, 404, "{refused}");
    let (status, refused) = app.control(Method::GET, "tenants/x/clock", None).await;
    assert_eq!(status, 400, "{refused}");
}

#[tokio::test]
async fn every_instance_agrees_on_a_tenants_clock_and_leaves_its_jobs_to_it() {
    let app = TestApp::spawn().await;
    let other = app.second_instance().await;
    let (me, made) = tenant(&app, json!({"clock": true})).await;
    let id = me.reseller_id;
    let customer = me.signup("two@example.com").await;
    me.fund(customer, "100").await;
    let order = monthly_vps(&me, customer, "two.example.com").await;
    let end = me.order(order).await.endtime;
    let (status, moved) = app
        .control(
            Method::POST,
            &format!("tenants/{id}/clock/advance"),
            Some(json!({"days": 25})),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["jobs_run"], 2, "the notice and the renewal: {moved}");
    // The other instance's calls of the tenant see its time within the
    // half second the clocks are read in.
    let there = other.as_reseller(id, made["api-key"].as_str().unwrap());
    let mut seen = 0;
    for _ in 0..40 {
        let second = monthly_vps(&there, customer, &format!("later{seen}.example.com")).await;
        let created = there.order(second).await.created;
        seen += 1;
        if created >= crate::common::now() + 25 * DAY - 60 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen < 40, "the other instance never saw the tenant's clock");
    assert_eq!(
        clock_of(&other, id).await["offset_seconds"],
        moved["offset_seconds"]
    );
    // The global clock's advance, on either instance, leaves the tenant's
    // orders to the tenant's clock.
    let (status, global) = other
        .control(Method::POST, "clock/advance", Some(json!({"days": 60})))
        .await;
    assert_eq!(status, 200, "{global}");
    assert_eq!(global["jobs_run"], 0, "{global}");
    assert_eq!(me.order(order).await.endtime, add_months(end, 1));
}

#[tokio::test]
async fn a_restore_that_would_register_a_name_twice_is_refused_and_changes_nothing() {
    use crate::domains::{a_contact, registration};
    let app = TestApp::spawn().await;
    let (first, _) = tenant(&app, json!({})).await;
    let (second, _) = tenant(&app, json!({})).await;
    let register = |me: &TestApp| {
        let me = me.as_reseller(me.reseller_id, &me.api_key);
        async move {
            let customer = me.signup("registrant@example.com").await.to_string();
            let contact = a_contact(&me, &customer).await;
            me.post(
                "domains/register.json",
                &registration("twice-shop.com", &customer, &contact, "1", "NoInvoice"),
            )
            .await
        }
    };
    register(&first).await.ok();
    let id = first.reseller_id;
    let (status, _) = app
        .control(Method::POST, &format!("tenants/{id}/snapshots/held"), None)
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .control(Method::POST, &format!("tenants/{id}/reset"), None)
        .await;
    assert_eq!(status, 200);
    register(&second).await.ok();
    let before = app.counts();
    let (status, refused) = app
        .control(
            Method::POST,
            &format!("tenants/{id}/snapshots/held/restore"),
            None,
        )
        .await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("twice-shop.com"),
        "{refused}"
    );
    assert_eq!(app.counts(), before, "nothing was restored");
}
