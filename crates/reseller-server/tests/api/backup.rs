//! Acronis Backup end to end: every seed URL sent with curl as printed, each
//! call in JSON and XML, and the rules a user would expect.

use crate::common::{TestApp, curl, money, seeded};
use reseller_core::model::OrderStatus;

struct Ready {
    app: TestApp,
    customer: i64,
    vps: i64,
}

async fn ready() -> Ready {
    let app = TestApp::spawn().await;
    let customer = app.signup("owner@example.com").await;
    let vps = app.add_vps(customer, "example.com").await;
    Ready { app, customer, vps }
}

#[tokio::test]
async fn every_backup_seed_url_works_with_curl_as_printed_in_json_and_xml() {
    let Ready { app, customer, vps } = ready().await;
    // A second server for the Asia backup's agent.
    let dedicated = app
        .post(
            "dedicatedserver/linux/us/add.json",
            &[
                ("domain-name", "asia.example.com"),
                ("customer-id", &customer.to_string()),
                ("months", "1"),
                ("plan-id", "201"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await
        .id("entityid");
    for format in ["json", "xml"] {
        for (region, plan, host) in [("us", "301", vps), ("asia", "311", dedicated)] {
            let ids = |backup: &str| {
                vec![
                    ("storage-size-gb", "50".to_string()),
                    ("customer-id", customer.to_string()),
                    ("hosting-order-id", host.to_string()),
                    ("months", "12".to_string()),
                    ("plan-id", plan.to_string()),
                    ("backup-order-id", backup.to_string()),
                    ("order-id", backup.to_string()),
                    ("auth-userid", "1".to_string()),
                ]
            };
            let as_format = |url: String| url.replace(".json?", &format!(".{format}?"));
            let add = as_format(seeded(
                &app,
                &format!(
                    "https://test.httpapi.com/api/backup/{region}/add.json?auth-userid=0&api-key=key&storage-size-gb=0&customer-id=0&hosting-order-id=0&months=0&plan-id=0&invoice-option=NoInvoice&discount-amount=0.00"
                ),
                &ids(""),
            ));
            let (status, body) = curl("POST", &add).await;
            assert_eq!(status, 200, "{add} answered {body}");
            let backup = if format == "json" {
                let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(reply["actionstatus"], "Success");
                reply["entityid"].as_str().unwrap().to_string()
            } else {
                assert!(
                    body.contains("<string>actionstatus</string><string>Success</string>"),
                    "{body}"
                );
                let after = body
                    .split("<string>entityid</string><string>")
                    .nth(1)
                    .unwrap();
                after.split('<').next().unwrap().to_string()
            };
            let ids = ids(&backup);
            let seeds: Vec<(&str, String)> = vec![
                ("POST", format!("https://test.httpapi.com/api/backup/{region}/renew.json?auth-userid=0&api-key=key&backup-order-id=0&months=0&invoice-option=NoInvoice&discount-amount=0.00&auto-renew=true")),
                ("GET", format!("https://test.httpapi.com/api/backup/{region}/search.json?auth-userid=0&api-key=key&no-of-records=10&page-no=1")),
                ("GET", "https://test.httpapi.com/api/backups/us/details.json?auth-userid=0&api-key=key&order-id=0".to_string()),
                ("GET", format!("https://test.httpapi.com/api/backup/{region}/auto-login-details.json?auth-userid=0&api-key=key&backup-order-id=0")),
                ("POST", if region == "us" {
                    "https://test.httpapi.com/api/backup/install-agent.json?auth-userid=0&api-key=key&backup-order-id=0&hosting-order-id=0".to_string()
                } else {
                    // The seed prints this one with no value for hosting-order-id.
                    "https://test.httpapi.com/api/backup/asia/install-agent.json?auth-userid=0&api-key=key&backup-order-id=0&hosting-order-id=0".to_string()
                }),
                ("POST", if region == "us" {
                    "https://test.httpapi.com/api/backups/us/delete.json?auth-userid=0&api-key=key&backup-order-id=0".to_string()
                } else {
                    "https://test.httpapi.com/api/backup/asia/delete.json?auth-userid=0&api-key=key&backup-order-id=0".to_string()
                }),
            ];
            for (method, url) in seeds {
                let url = as_format(seeded(&app, &url, &ids));
                let (status, body) = curl(method, &url).await;
                assert_eq!(status, 200, "{method} {url} answered {body}");
                assert!(!body.contains("ERROR"), "{method} {url} answered {body}");
            }
            assert_eq!(
                app.order(backup.parse().unwrap()).await.status,
                OrderStatus::Deleted
            );
            assert_eq!(
                app.order(host).await.attrs.backup_agent_of,
                None,
                "deleting a backup uninstalls its agent"
            );
        }
    }
}

fn backup_params<'a>(
    customer: &'a str,
    host: &'a str,
    gb: &'a str,
    plan: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("storage-size-gb", gb),
        ("customer-id", customer),
        ("hosting-order-id", host),
        ("months", "1"),
        ("plan-id", plan),
        ("invoice-option", "NoInvoice"),
    ]
}

#[tokio::test]
async fn a_backup_needs_an_active_server_of_the_same_customer() {
    let Ready { app, customer, vps } = ready().await;
    let other_customer = app.signup("other@example.com").await;
    let others_vps = app.add_vps(other_customer, "other.example.com").await;
    let backup = app
        .add_backup(customer, vps, 50, "NoInvoice")
        .await
        .id("entityid");
    let deleted_vps = app.add_vps(customer, "gone.example.com").await;
    app.post(
        "vps/linux/us/delete.json",
        &[("order-id", &deleted_vps.to_string())],
    )
    .await
    .ok();
    let c = customer.to_string();
    let before = app.counts();

    let cases = [
        ("999999", "No Entity found for Entityid: 999999".to_string()),
        (
            &*others_vps.to_string(),
            format!("Invalid hosting-order-id: {others_vps}. It belongs to another customer"),
        ),
        (
            &*backup.to_string(),
            format!(
                "Invalid hosting-order-id: {backup}. A backup attaches to a VPS, Dedicated Server or Managed Server order"
            ),
        ),
        (
            &*deleted_vps.to_string(),
            format!("Order {deleted_vps} is Deleted; this action needs an Active order"),
        ),
    ];
    for (host, expected) in cases {
        let reply = app
            .post("backup/us/add.json", &backup_params(&c, host, "50", "301"))
            .await;
        assert_eq!(reply.error(), expected);
    }
    let reply = app
        .post(
            "backup/us/add.json",
            &backup_params("424242", &vps.to_string(), "50", "301"),
        )
        .await;
    assert_eq!(reply.error(), "Invalid customer-id: 424242");
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn storage_months_and_plan_must_be_what_the_plan_offers() {
    let Ready { app, customer, vps } = ready().await;
    let (c, h) = (customer.to_string(), vps.to_string());
    let before = app.counts();

    let small = app
        .post("backup/us/add.json", &backup_params(&c, &h, "5", "301"))
        .await;
    assert_eq!(
        small.error(),
        "Invalid storage-size-gb: 5. Plan 301 allows 10 to 100 GB"
    );
    let large = app
        .post("backup/us/add.json", &backup_params(&c, &h, "101", "301"))
        .await;
    assert_eq!(
        large.error(),
        "Invalid storage-size-gb: 101. Plan 301 allows 10 to 100 GB"
    );
    let vps_plan = app
        .post("backup/us/add.json", &backup_params(&c, &h, "50", "101"))
        .await;
    assert_eq!(
        vps_plan.error(),
        "Invalid plan-id: 101. Plans of acronisbackupus: 301, 302, 303"
    );
    let asia_plan = app
        .post("backup/us/add.json", &backup_params(&c, &h, "50", "311"))
        .await;
    assert_eq!(
        asia_plan.error(),
        "Invalid plan-id: 311. Plans of acronisbackupus: 301, 302, 303"
    );
    let mut odd_months = backup_params(&c, &h, "50", "301");
    odd_months[3] = ("months", "5");
    let odd = app.post("backup/us/add.json", &odd_months).await;
    assert_eq!(
        odd.error(),
        "Invalid months: 5. Plan 301 offers 1, 3, 6, 12, 24, 36 months"
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn add_storage_takes_the_new_total_bills_the_rest_of_the_term_and_never_shrinks() {
    let Ready { app, customer, vps } = ready().await;
    app.fund(customer, "100").await;
    let (c, h) = (customer.to_string(), vps.to_string());
    let mut params = backup_params(&c, &h, "50", "301");
    params[3] = ("months", "3");
    let backup = app
        .post("backup/us/add.json", &params)
        .await
        .id("entityid")
        .to_string();
    let reseller_before = app.reseller_balance().await;

    let grow = app
        .post(
            "backup/us/add-storage.json",
            &[
                ("backup-order-id", &backup),
                ("storage-size-gb", "80"),
                ("invoice-option", "PayInvoice"),
            ],
        )
        .await;

    grow.ok();
    assert_eq!(grow.s("actiontype"), "AddStorage");
    // 30 more GB at 0.100 a month for the 3 months left.
    assert_eq!(grow.s("sellingamount"), "-9.000");
    assert_eq!(app.customer_balance(customer).await, money("91"));
    assert_eq!(
        app.reseller_balance().await,
        reseller_before - money("6.300")
    );
    let details = app
        .get("backup/us/details.json", &[("order-id", &backup)])
        .await;
    assert_eq!(details.ok().s("storagesizegb"), "80");

    let before = app.counts();
    for (gb, expected) in [
        (
            "80",
            "Invalid storage-size-gb: 80. It is the new total and must be more than the current 80 GB",
        ),
        (
            "60",
            "Invalid storage-size-gb: 60. It is the new total and must be more than the current 80 GB",
        ),
        (
            "101",
            "Invalid storage-size-gb: 101. Plan 301 allows 10 to 100 GB",
        ),
    ] {
        let reply = app
            .post(
                "backup/us/add-storage.json",
                &[
                    ("backup-order-id", &backup),
                    ("storage-size-gb", gb),
                    ("invoice-option", "NoInvoice"),
                ],
            )
            .await;
        assert_eq!(reply.error(), expected);
    }
    assert_eq!(app.counts(), before);

    // Renewal is priced on the storage the order has now.
    let renew = app
        .post(
            "backup/us/renew.json",
            &[
                ("backup-order-id", &backup),
                ("months", "1"),
                ("invoice-option", "KeepInvoice"),
            ],
        )
        .await;
    assert_eq!(renew.ok().s("sellingamount"), "-8.000");
}

#[tokio::test]
async fn renew_extends_the_term_by_the_months_and_sets_auto_renew() {
    let Ready { app, customer, vps } = ready().await;
    let backup = app
        .add_backup(customer, vps, 50, "NoInvoice")
        .await
        .id("entityid");
    let before = app.order(backup).await;

    let renew = app
        .post(
            "backup/asia/renew.json",
            &[
                ("backup-order-id", &backup.to_string()),
                ("months", "12"),
                ("auto-renew", "true"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;

    renew.ok();
    assert_eq!(renew.s("actiontype"), "Renew");
    let after = app.order(backup).await;
    assert_eq!(
        after.endtime,
        reseller_core::time::add_months(before.endtime, 12)
    );
    assert!(after.auto_renew);
    let details = app
        .get(
            "backups/us/details.json",
            &[("order-id", &backup.to_string())],
        )
        .await;
    assert_eq!(details.ok().s("recurring"), "true");
    assert_eq!(details.s("endtime"), after.endtime.to_string());

    app.post(
        "backup/us/delete.json",
        &[("backup-order-id", &backup.to_string())],
    )
    .await
    .ok();
    let closed = app
        .post(
            "backup/us/renew.json",
            &[
                ("backup-order-id", &backup.to_string()),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(
        closed.error(),
        format!("Order {backup} is Deleted and cannot be changed")
    );
    let again = app
        .post(
            "backup/us/delete.json",
            &[("backup-order-id", &backup.to_string())],
        )
        .await;
    assert_eq!(
        again.error(),
        format!("Order {backup} is Deleted and cannot be changed")
    );
}

#[tokio::test]
async fn details_and_search_answer_in_json_and_xml() {
    let Ready { app, customer, vps } = ready().await;
    let first = app
        .add_backup(customer, vps, 20, "NoInvoice")
        .await
        .id("entityid");
    let second = app
        .add_backup(customer, vps, 30, "NoInvoice")
        .await
        .id("entityid");

    let details = app
        .get(
            "backup/us/details.json",
            &[("order-id", &first.to_string())],
        )
        .await;
    details.ok();
    for (key, value) in [
        ("orderid", first.to_string()),
        ("entityid", first.to_string()),
        ("currentstatus", "Active".to_string()),
        ("productkey", "acronisbackupus".to_string()),
        ("productcategory", "backup".to_string()),
        ("customerid", customer.to_string()),
        ("hostingorderid", vps.to_string()),
        ("storagesizegb", "20".to_string()),
        ("planid", "301".to_string()),
        ("description", "example.com".to_string()),
    ] {
        assert_eq!(details.s(key), value, "details key {key}");
    }
    let xml = app
        .get("backup/us/details.xml", &[("order-id", &first.to_string())])
        .await;
    assert_eq!(xml.status, 200);
    assert!(
        xml.text
            .contains("<entry><string>storagesizegb</string><string>20</string></entry>"),
        "{}",
        xml.text
    );
    assert!(
        xml.text
            .contains("<entry><string>agentinstalledon</string><vector></vector></entry>"),
        "{}",
        xml.text
    );

    let page = app
        .get(
            "backup/us/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("order-by", "orderid desc"),
            ],
        )
        .await;
    page.ok();
    assert_eq!(page.s("recsonpage"), "2");
    assert_eq!(page.s("recsindb"), "2");
    assert_eq!(page.body["1"]["orders.orderid"], second.to_string());
    assert_eq!(page.body["2"]["entity.entityid"], first.to_string());
    assert_eq!(
        page.body["1"]["entitytype.entitytypekey"],
        "acronisbackupus"
    );

    let none = app
        .get(
            "backup/us/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("status", "Deleted"),
            ],
        )
        .await;
    assert_eq!(none.ok().s("recsindb"), "0");
    let beyond = app
        .get(
            "backup/us/search.json",
            &[("no-of-records", "10"), ("page-no", "2")],
        )
        .await;
    assert_eq!(beyond.ok().s("recsonpage"), "0");
    assert_eq!(beyond.s("recsindb"), "2");
    let xml = app
        .get(
            "backup/us/search.xml",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    assert!(
        xml.text
            .contains("<entry><string>recsindb</string><string>2</string></entry>"),
        "{}",
        xml.text
    );
}

#[tokio::test]
async fn the_auto_login_url_opens_the_console_until_it_expires_and_not_when_altered() {
    let Ready { app, customer, vps } = ready().await;
    let backup = app
        .add_backup(customer, vps, 50, "NoInvoice")
        .await
        .id("entityid");

    let login = app
        .get(
            "backup/us/auto-login-details.json",
            &[("backup-order-id", &backup.to_string())],
        )
        .await;

    login.ok();
    assert_eq!(login.s("status"), "Success");
    assert_eq!(login.s("orderid"), backup.to_string());
    let url = login.s("autoLoginUrl").to_string();
    assert!(url.starts_with(&app.base()), "{url}");
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("order {backup}")) && html.contains("50 GB"),
        "{html}"
    );

    let altered = url.replacen(&format!("/{backup}."), &format!("/{}.", backup + 1), 1);
    assert_ne!(altered, url);
    let page = app.client.get(&altered).send().await.unwrap();
    assert_eq!(page.status(), 403);
    assert!(page.text().await.unwrap().contains("not valid"));

    app.advance(reseller_server::api::backup::AUTO_LOGIN_TTL + 1)
        .await;
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 403);
    assert!(page.text().await.unwrap().contains("expired"));
}

#[tokio::test]
async fn the_agent_installs_once_per_server_and_one_backup_per_server() {
    let Ready { app, customer, vps } = ready().await;
    let first = app
        .add_backup(customer, vps, 50, "NoInvoice")
        .await
        .id("entityid")
        .to_string();
    let second = app
        .add_backup(customer, vps, 50, "NoInvoice")
        .await
        .id("entityid")
        .to_string();
    let host = vps.to_string();

    let installed = app
        .post(
            "backup/us/install-agent.json",
            &[("backup-order-id", &first), ("hosting-order-id", &host)],
        )
        .await;
    installed.ok();
    assert_eq!(installed.s("status"), "Success");
    let details = app
        .get("backup/us/details.json", &[("order-id", &first)])
        .await;
    assert_eq!(details.body["agentinstalledon"], serde_json::json!([host]));
    let server = app
        .get("vps/linux/us/details.json", &[("order-id", &host)])
        .await;
    assert_eq!(server.ok().s("backupagentorderid"), first);

    let before = app.counts();
    let twice = app
        .post(
            "backup/us/install-agent.json",
            &[("backup-order-id", &first), ("hosting-order-id", &host)],
        )
        .await;
    assert_eq!(
        twice.error(),
        format!("The backup agent of order {first} is already installed on order {host}")
    );
    let other = app
        .post(
            "backup/us/install-agent.json",
            &[("backup-order-id", &second), ("hosting-order-id", &host)],
        )
        .await;
    assert_eq!(
        other.error(),
        format!("Order {host} already runs the backup agent of order {first}")
    );
    let missing = app
        .post(
            "backup/us/install-agent.json",
            &[("backup-order-id", &first)],
        )
        .await;
    assert_eq!(
        missing.error(),
        "Required parameter missing: hosting-order-id"
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn another_resellers_ids_are_not_allowed_and_reveal_nothing() {
    let Ready { app, customer, vps } = ready().await;
    let backup = app
        .add_backup(customer, vps, 50, "NoInvoice")
        .await
        .id("entityid")
        .to_string();
    let (other_id, other_key) = app.create_reseller("rival", money("1000")).await;
    let rival = app.as_reseller(other_id, &other_key);
    let rivals_customer = rival.signup("rival@example.com").await;
    let (c, h) = (customer.to_string(), vps.to_string());
    let before = app.counts();

    let attempts = [
        rival
            .get("backup/us/details.json", &[("order-id", &backup)])
            .await,
        rival
            .get(
                "backup/us/auto-login-details.json",
                &[("backup-order-id", &backup)],
            )
            .await,
        rival
            .post(
                "backup/us/renew.json",
                &[
                    ("backup-order-id", &backup),
                    ("months", "1"),
                    ("invoice-option", "NoInvoice"),
                ],
            )
            .await,
        rival
            .post(
                "backup/us/add-storage.json",
                &[
                    ("backup-order-id", &backup),
                    ("storage-size-gb", "60"),
                    ("invoice-option", "NoInvoice"),
                ],
            )
            .await,
        rival
            .post("backup/us/delete.json", &[("backup-order-id", &backup)])
            .await,
        rival
            .post(
                "backup/us/install-agent.json",
                &[("backup-order-id", &backup), ("hosting-order-id", &h)],
            )
            .await,
        rival
            .post("backup/us/add.json", &backup_params(&c, &h, "50", "301"))
            .await,
        rival
            .post(
                "backup/us/add.json",
                &backup_params(&rivals_customer.to_string(), &h, "50", "301"),
            )
            .await,
        rival
            .get("vps/linux/us/details.json", &[("order-id", &h)])
            .await,
        rival
            .get("customers/details-by-id.json", &[("customer-id", &c)])
            .await,
        rival
            .get("billing/customer-balance.json", &[("customer-id", &c)])
            .await,
    ];
    for reply in &attempts {
        assert_eq!(reply.error(), "You are not allowed to perform this action");
        assert!(!reply.text.contains("example.com"), "{}", reply.text);
    }
    let search = rival
        .get(
            "backup/us/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    assert_eq!(search.ok().s("recsindb"), "0");
    let by_name = rival
        .get(
            "customers/details.json",
            &[("username", "owner@example.com")],
        )
        .await;
    assert_eq!(by_name.error(), "Customer owner@example.com not found");
    assert_eq!(app.counts(), before);
}
