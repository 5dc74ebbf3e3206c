//! Time that moves orders: one advance of the clock renews, notifies,
//! suspends, expires, redeems and deletes each order on its day, in time
//! order, and runs each job once however many advances race.

use crate::common::TestApp;
use crate::domains::{a_contact, registration};
use reqwest::Method;
use reseller_core::model::OrderStatus;
use serde_json::json;

const DAY: i64 = 86_400;

/// A monthly VPS with auto-renewal on, paid now.
/// A monthly VPS with auto-renewal, added with NoInvoice.
pub(crate) async fn monthly_vps(app: &TestApp, customer: i64, name: &str) -> i64 {
    let reply = app
        .post(
            "vps/linux/us/add.json",
            &[
                ("domain-name", name),
                ("customer-id", &customer.to_string()),
                ("months", "1"),
                ("plan-id", "101"),
                ("auto-renew", "true"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    reply.ok().id("entityid")
}

pub(crate) fn kinds(mails: &[reseller_core::model::Mail]) -> Vec<String> {
    mails.iter().map(|m| m.kind.clone()).collect()
}

#[tokio::test]
async fn one_advance_renews_notifies_suspends_expires_and_deletes_each_on_its_day() {
    let app = TestApp::spawn().await;
    let start = app.state.clock.now();
    let rich = app.signup("rich@example.com").await;
    let poor = app.signup("poor@example.com").await;
    app.fund(rich, "500").await;
    let renewed = monthly_vps(&app, rich, "renewed.example.com").await;
    let lapsed = monthly_vps(&app, poor, "lapsed.example.com").await;
    let contact = a_contact(&app, &poor.to_string()).await;
    let domain = app
        .post(
            "domains/register.json",
            &registration(
                "lapsing-shop.com",
                &poor.to_string(),
                &contact,
                "1",
                "NoInvoice",
            ),
        )
        .await;
    let domain = domain.ok().id("entityid");
    let renewed_end = app.order(renewed).await.endtime;
    let domain_end = app.order(domain).await.endtime;

    let (status, moved) = app
        .control(Method::POST, "clock/advance", Some(json!({"days": 400})))
        .await;
    assert_eq!(status, 200, "{moved}");
    let ran = moved["ran"].as_array().unwrap();
    assert_eq!(moved["jobs_run"], ran.len());
    let ats: Vec<i64> = ran.iter().map(|r| r["at"].as_i64().unwrap()).collect();
    assert!(
        ats.windows(2).all(|w| w[0] <= w[1]),
        "in time order: {ats:?}"
    );
    let of = |order: i64| -> Vec<(String, i64)> {
        ran.iter()
            .filter(|r| r["order_id"] == order)
            .map(|r| {
                (
                    r["job"].as_str().unwrap().to_string(),
                    r["at"].as_i64().unwrap(),
                )
            })
            .collect()
    };

    // Paid from funds month after month: a notice 3 days before each
    // attempt, 7 days before each expiry (a term of 1 month).
    let jobs = of(renewed);
    let renewals = jobs.iter().filter(|(j, _)| j == "renewal").count();
    assert!(renewals >= 12, "{jobs:?}");
    assert_eq!(
        jobs[0],
        ("renewal-notice".to_string(), renewed_end - 10 * DAY)
    );
    assert_eq!(jobs[1], ("renewal".to_string(), renewed_end - 7 * DAY));
    let order = app.order(renewed).await;
    assert_eq!(order.status, OrderStatus::Active);
    assert!(order.endtime > start + 400 * DAY, "renewed past the year");
    // Each renewal: its notice, then the invoice it was paid by.
    let mails = app.mails(&renewed.to_string(), "").await;
    assert_eq!(mails.len(), 2 * renewals, "{:?}", kinds(&mails));
    assert!(
        kinds(&mails)
            .chunks(2)
            .all(|pair| pair == ["renewal-notice", "invoice"]),
        "{:?}",
        kinds(&mails)
    );
    assert_eq!(mails[0].recipient, "rich@example.com");
    assert_eq!(mails[1].recipient, "rich@example.com");
    assert!(
        mails[1]
            .body
            .ends_with("10.000 USD for Renewal of VPS Linux for renewed.example.com for 1 month: paid from your funds."),
        "{}",
        mails[1].body
    );

    // No funds: the attempt fails, the order expires, is suspended, then deleted.
    let jobs: Vec<String> = of(lapsed).into_iter().map(|(j, _)| j).collect();
    let mut expected = vec!["renewal-notice", "renewal"];
    // Tried again each day of the 7 before expiry.
    expected.extend(["renewal-retry"; 6]);
    // Deleted, then read as Archived 30 days later.
    expected.extend(["expiry", "deletion", "archival"]);
    assert_eq!(jobs, expected);
    assert_eq!(app.order(lapsed).await.status, OrderStatus::Archived);
    let searched = app
        .get(
            "vps/linux/us/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("status", "Archived"),
            ],
        )
        .await;
    assert_eq!(searched.ok().s("recsindb"), "1", "{}", searched.text);
    assert_eq!(
        kinds(&app.mails(&lapsed.to_string(), "").await),
        [
            "renewal-notice",
            "invoice",
            "renewal-failed",
            "expiry",
            "deletion"
        ]
    );

    // A domain without auto-renewal: expired, then 40 days of grace.
    assert_eq!(of(domain), [("expiry".to_string(), domain_end)]);
    assert_eq!(app.order(domain).await.status, OrderStatus::Active);

    // Another advance runs only what falls due in it.
    let (_, again) = app
        .control(Method::POST, "clock/advance", Some(json!({"seconds": 1})))
        .await;
    assert_eq!(again["jobs_run"], 0, "{again}");
    let domain_jobs = |reply: &serde_json::Value| -> Vec<(String, i64)> {
        reply["ran"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["order_id"] == domain)
            .map(|r| {
                (
                    r["job"].as_str().unwrap().to_string(),
                    r["at"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let (_, later) = app
        .control(Method::POST, "clock/advance", Some(json!({"days": 30})))
        .await;
    assert_eq!(
        domain_jobs(&later),
        [("redemption".to_string(), domain_end + 40 * DAY)]
    );
    assert_eq!(
        app.order(domain).await.status,
        OrderStatus::PendingDeleteRestorable
    );
    let details = app
        .get(
            "domains/details.json",
            &[
                ("order-id", &domain.to_string()),
                ("options", "OrderDetails"),
            ],
        )
        .await;
    assert_eq!(details.ok().s("currentstatus"), "Pending Delete Restorable");
    let (_, last) = app
        .control(Method::POST, "clock/advance", Some(json!({"days": 30})))
        .await;
    assert_eq!(
        domain_jobs(&last),
        [("deletion".to_string(), domain_end + 70 * DAY)]
    );
    assert_eq!(app.order(domain).await.status, OrderStatus::Deleted);
    assert_eq!(
        kinds(&app.mails(&domain.to_string(), "").await)
            .into_iter()
            .filter(|k| !k.ends_with("-verification"))
            .collect::<Vec<_>>(),
        ["expiry", "redemption", "deletion"]
    );
}

#[tokio::test]
async fn a_domain_in_redemption_is_restored() {
    let app = TestApp::spawn().await;
    let customer = app.signup("redeem@example.com").await;
    app.fund(customer, "200").await;
    let contact = a_contact(&app, &customer.to_string()).await;
    let placed = app
        .post(
            "domains/register.json",
            &registration(
                "redeem-me.net",
                &customer.to_string(),
                &contact,
                "1",
                "NoInvoice",
            ),
        )
        .await;
    let order = placed.ok().s("entityid").to_string();
    app.advance(420 * DAY).await;
    assert_eq!(
        app.order(order.parse().unwrap()).await.status,
        OrderStatus::PendingDeleteRestorable
    );
    let restored = app
        .post(
            "domains/restore.json",
            &[("order-id", &order), ("invoice-option", "PayInvoice")],
        )
        .await;
    assert_eq!(restored.ok().s("actiontype"), "RestoreDomain");
    let order = app.order(order.parse().unwrap()).await;
    assert_eq!(order.status, OrderStatus::Active);
    assert!(
        order.endtime > app.state.clock.now() + 300 * DAY,
        "a year from the restore"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_advances_on_two_instances_run_every_job_once() {
    let app = TestApp::spawn().await;
    let second = if app.is_postgres() {
        Some(app.second_instance().await)
    } else {
        None
    };
    let customer = app.signup("racing-clock@example.com").await;
    app.fund(customer, "500").await;
    let mut orders = Vec::new();
    for n in 0..5 {
        orders.push(monthly_vps(&app, customer, &format!("race{n}.example.com")).await);
    }
    let mut racers = Vec::new();
    for n in 0..20 {
        let target = if n % 2 == 1 {
            second.as_ref().unwrap_or(&app)
        } else {
            &app
        };
        let url = format!("{}/_reseller/clock/advance", target.base());
        let client = app.client.clone();
        racers.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(crate::common::ADMIN_TOKEN)
                .body(r#"{"days": 3}"#)
                .send()
                .await
                .expect("an answer")
                .status()
                .as_u16()
        }));
    }
    for racer in racers {
        assert_eq!(racer.await.unwrap(), 200);
    }
    let (_, clock) = app.control(Method::GET, "clock", None).await;
    assert_eq!(clock["offset_seconds"], 60 * DAY, "every advance counted");
    for order in orders {
        let mails = app.mails(&order.to_string(), "").await;
        // 60 days over monthly terms: notices before the first and second
        // attempts, each once.
        assert_eq!(
            kinds(&mails),
            ["renewal-notice", "invoice", "renewal-notice", "invoice"],
            "order {order}"
        );
        let renewals = app
            .get(
                "actions/search-current.json",
                &[
                    ("order-id", &order.to_string()),
                    ("action-type", "Renew"),
                    ("no-of-records", "50"),
                    ("page-no", "1"),
                ],
            )
            .await;
        assert_eq!(
            renewals.ok().s("recsindb"),
            "2",
            "order {order}: {}",
            renewals.text
        );
    }
}

#[tokio::test]
async fn jobs_that_fell_due_while_the_server_was_down_run_when_it_starts() {
    let app = TestApp::spawn().await;
    let customer = app.signup("asleep@example.com").await;
    app.fund(customer, "100").await;
    let order = monthly_vps(&app, customer, "asleep.example.com").await;
    let end = app.order(order).await.endtime;
    // The clock moved on while no job ran: an advance cut short (its
    // window claimed, then the process killed) leaves exactly this.
    app.store
        .counter(reseller_store::CLOCK_OFFSET, 25 * DAY)
        .await
        .unwrap();
    let app = app.restart().await;
    let mut renewed = false;
    for _ in 0..100 {
        if app.order(order).await.endtime > end {
            renewed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(renewed, "the renewal due while down ran at start");
    let mails = app.mails(&order.to_string(), "").await;
    assert_eq!(
        kinds(&mails),
        ["renewal-notice", "invoice"],
        "each job once"
    );
    let (_, again) = app
        .control(Method::POST, "clock/advance", Some(json!({"seconds": 60})))
        .await;
    assert_eq!(again["jobs_run"], 0, "{again}");
}

#[tokio::test]
async fn an_unpaid_renewal_is_tried_again_daily_until_the_funds_cover_it() {
    let app = TestApp::spawn().await;
    let customer = app.signup("late-payer@example.com").await;
    let order = monthly_vps(&app, customer, "late-payer.example.com").await;
    let end = app.order(order).await.endtime;
    let attempt_in = end - app.state.clock.now() - 7 * DAY;
    app.advance(attempt_in + 3600).await;
    assert_eq!(app.order(order).await.endtime, end, "not renewed yet");
    let mails = app.mails(&order.to_string(), "").await;
    assert_eq!(
        kinds(&mails),
        ["renewal-notice", "invoice", "renewal-failed"]
    );
    assert!(
        mails[1].body.ends_with(": to be paid."),
        "{}",
        mails[1].body
    );
    let (_, tried) = app
        .control(Method::POST, "clock/advance", Some(json!({"days": 1})))
        .await;
    assert_eq!(tried["ran"][0]["job"], "renewal-retry", "{tried}");
    assert_eq!(
        tried["ran"][0]["outcome"],
        "the customer's funds still fall short"
    );
    app.fund(customer, "100").await;
    let (_, paid) = app
        .control(Method::POST, "clock/advance", Some(json!({"days": 1})))
        .await;
    assert_eq!(paid["ran"][0]["job"], "renewal-retry", "{paid}");
    assert_eq!(paid["ran"][0]["outcome"], "renewed");
    let renewed = app.order(order).await;
    assert!(renewed.endtime > end);
    assert_eq!(renewed.status, OrderStatus::Active);
    assert_eq!(
        app.customer_balance(customer).await,
        crate::common::money("90")
    );
    // Nothing is left to retry, and no expiry comes for the old term.
    let (_, quiet) = app
        .control(Method::POST, "clock/advance", Some(json!({"days": 8})))
        .await;
    assert!(
        quiet["ran"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["job"] != "expiry"),
        "{quiet}"
    );
}

#[tokio::test]
async fn realistic_provisioning_waits_in_the_recorded_states_and_completes_on_the_clock() {
    let app = TestApp::spawn().await;
    let customer = app.signup("waits@example.com").await;
    app.fund(customer, "500").await;

    // Instant by default; bad settings are refused and change nothing.
    let (status, shown) = app
        .control(Method::GET, "provisioning?reseller=1", None)
        .await;
    assert_eq!((status, shown["mode"].as_str()), (200, Some("instant")));
    for (body, status, text) in [
        (
            json!({"reseller": 1, "mode": "slow"}),
            400,
            "Invalid mode: it must be instant or realistic",
        ),
        (
            json!({"reseller": 99, "mode": "realistic"}),
            404,
            "No reseller 99",
        ),
        (
            json!({"reseller": 1, "mode": "realistic", "delay": 5}),
            400,
            "Invalid body: unknown field `delay`, expected `reseller` or `mode` at line 1 column 40. It must be a JSON object such as {\"reseller\": 1, \"mode\": \"realistic\"}",
        ),
    ] {
        let (got, refused) = app.control(Method::POST, "provisioning", Some(body)).await;
        assert_eq!((got, refused["error"].as_str()), (status, Some(text)));
    }
    let (_, shown) = app
        .control(Method::GET, "provisioning?reseller=1", None)
        .await;
    assert_eq!(shown["mode"], "instant");

    let (status, shown) = app
        .control(
            Method::POST,
            "provisioning",
            Some(json!({"reseller": 1, "mode": "realistic"})),
        )
        .await;
    assert_eq!((status, shown["mode"].as_str()), (200, Some("realistic")));
    let added = app
        .post(
            "vps/linux/us/add.json",
            &[
                ("domain-name", "slow.example.com"),
                ("customer-id", &customer.to_string()),
                ("months", "1"),
                ("plan-id", "101"),
                ("invoice-option", "PayInvoice"),
            ],
        )
        .await;
    let added = added.ok();
    // Paid, and waiting: as the recorded eelite/add with an invoice.
    assert_eq!(added.s("actionstatus"), "InvoicePaid");
    assert_eq!(added.s("status"), "Success");
    let order = added.id("entityid");
    let action = added.id("eaqid");
    // The customer is mailed the invoice, as every invoice.
    let invoices = app.mails(&order.to_string(), "invoice").await;
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[0].recipient, "waits@example.com");
    assert_eq!(
        invoices[0].subject,
        format!(
            "Invoice {} for {}",
            added.s("invoiceid"),
            app.invoice(added.id("invoiceid")).await.description
        )
    );
    assert_eq!(
        vps_details(&app, order).await.s("currentstatus"),
        "InActive"
    );
    // No other change while it is provisioned.
    let renew = app
        .post(
            "vps/linux/us/renew.json",
            &[
                ("order-id", &order.to_string()),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(
        renew.error(),
        "There is already an action pending on this Order."
    );

    // Each step at its time after payment (the clock also moves with real
    // time, so the checks keep a margin from each step).
    let paid = app.action(action).await.created;
    let to = |at: i64| at - app.state.clock.now();
    app.advance(to(paid + 30)).await;
    assert_eq!(app.action(action).await.status.as_str(), "InvoicePaid");
    let (_, moved) = app
        .control(
            Method::POST,
            "clock/advance",
            Some(json!({"seconds": to(paid + 120)})),
        )
        .await;
    assert_eq!(
        moved["ran"],
        json!([{"order_id": order, "job": "provisioning", "at": paid + 60, "outcome": "provisioning started"}])
    );
    assert_eq!(app.action(action).await.status.as_str(), "ExecutionStarted");
    let current = app
        .get(
            "actions/search-current.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("order-id", &order.to_string()),
                ("action-status", "ExecutionStarted"),
            ],
        )
        .await;
    assert_eq!(current.ok().s("recsindb"), "1");
    app.advance(to(paid + 270)).await;
    assert_eq!(app.action(action).await.status.as_str(), "ExecutionStarted");
    assert_eq!(
        vps_details(&app, order).await.s("currentstatus"),
        "InActive"
    );
    let (_, moved) = app
        .control(
            Method::POST,
            "clock/advance",
            Some(json!({"seconds": to(paid + 330)})),
        )
        .await;
    assert_eq!(
        moved["ran"],
        json!([{"order_id": order, "job": "provisioning", "at": paid + 300, "outcome": "provisioned"}])
    );
    let done = app.action(action).await;
    assert_eq!(done.status.as_str(), "Success");
    assert_eq!(done.executed, Some(paid + 300));
    let details = vps_details(&app, order).await;
    assert_eq!(details.s("currentstatus"), "Active");
    // The term runs from the completion, five minutes after payment.
    let end: i64 = details.s("endtime").parse().unwrap();
    assert_eq!(
        end,
        reseller_core::time::add_months(paid + 300, 1),
        "a month from completion"
    );

    // Back to instant: the next order runs as it is paid.
    let (status, _) = app
        .control(
            Method::POST,
            "provisioning",
            Some(json!({"reseller": 1, "mode": "instant"})),
        )
        .await;
    assert_eq!(status, 200);
    let added = app
        .post(
            "vps/linux/us/add.json",
            &[
                ("domain-name", "fast.example.com"),
                ("customer-id", &customer.to_string()),
                ("months", "1"),
                ("plan-id", "101"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(added.ok().s("actionstatus"), "Success");

    // A reset brings back instant provisioning.
    app.control(
        Method::POST,
        "provisioning",
        Some(json!({"reseller": 1, "mode": "realistic"})),
    )
    .await;
    let (status, _) = app.control(Method::POST, "reset", None).await;
    assert_eq!(status, 200);
    let (_, shown) = app
        .control(Method::GET, "provisioning?reseller=1", None)
        .await;
    assert_eq!(shown["mode"], "instant");
}

async fn vps_details(app: &TestApp, order: i64) -> crate::common::Reply {
    let details = app
        .get(
            "vps/linux/us/details.json",
            &[("order-id", &order.to_string())],
        )
        .await;
    assert_eq!(details.status, 200, "{}", details.text);
    details
}

#[tokio::test]
async fn a_long_advance_counts_every_job_and_lists_the_first_thousand_in_time_order() {
    let app = TestApp::spawn().await;
    let customer = app.signup("many@example.com").await;
    app.fund(customer, "100000").await;
    let mut orders = Vec::new();
    for n in 0..30 {
        orders.push(monthly_vps(&app, customer, &format!("many{n}.example.com")).await);
    }
    let (status, moved) = app
        .control(Method::POST, "clock/advance", Some(json!({"days": 730})))
        .await;
    assert_eq!(status, 200, "{moved}");
    // Each renewal is a notice, then the attempt: twice the notices mailed.
    let mut notices = 0;
    for order in &orders {
        notices += app.mails(&order.to_string(), "renewal-notice").await.len();
    }
    assert!(notices > 600, "{notices}");
    assert_eq!(moved["jobs_run"], 2 * notices, "every job counted");
    let ran = moved["ran"].as_array().unwrap();
    assert_eq!(ran.len(), 1000, "the first thousand listed");
    let ats: Vec<i64> = ran.iter().map(|r| r["at"].as_i64().unwrap()).collect();
    assert!(ats.windows(2).all(|w| w[0] <= w[1]), "in time order");
    // The first thousand: every job listed falls before the last month's.
    let last_renewal = app.order(orders[0]).await.endtime - 7 * DAY;
    assert!(*ats.last().unwrap() < last_renewal - 30 * DAY);
}
