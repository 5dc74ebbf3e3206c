//! Every call in the route table, answered in XML: reads are compared with
//! the JSON reply rendered as the XML map, writes must succeed in XML. The
//! test fails if a route is added without being exercised here.

mod common;

use common::TestApp;
use reseller_server::wire::reply::Reply;
use std::collections::BTreeSet;

struct Xml<'a> {
    app: &'a TestApp,
    covered: BTreeSet<String>,
}

impl Xml<'_> {
    /// A read: its XML must be exactly the JSON reply in the map form.
    async fn read(&mut self, call: &str, params: &[(&str, &str)]) {
        self.covered.insert(call.to_string());
        let json = self.app.get(&format!("{call}.json"), params).await;
        json.ok();
        let xml = self.app.get(&format!("{call}.xml"), params).await;
        assert_eq!(xml.status, 200, "{call}.xml: {}", xml.text);
        assert_eq!(
            xml.text,
            Reply::from(json.body.clone()).to_xml(),
            "{call}.xml differs from its JSON"
        );
    }

    /// A write in XML; answers the text of `key` in the reply.
    async fn write(&mut self, call: &str, params: &[(&str, &str)], key: Option<&str>) -> String {
        self.covered.insert(call.to_string());
        let xml = self.app.post(&format!("{call}.xml"), params).await;
        assert_eq!(xml.status, 200, "{call}.xml: {}", xml.text);
        assert!(
            xml.text
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            "{}",
            xml.text
        );
        assert!(!xml.text.contains("ERROR"), "{call}.xml: {}", xml.text);
        match key {
            Some(key) => {
                let marker = format!("<entry><string>{key}</string><string>");
                let after = xml
                    .text
                    .split(&marker)
                    .nth(1)
                    .unwrap_or_else(|| panic!("no {key} in {}", xml.text));
                after.split('<').next().unwrap().to_string()
            }
            None => xml.text,
        }
    }
}

fn bare_int(xml: &str) -> String {
    xml.rsplit("<int>")
        .next()
        .unwrap()
        .trim_end_matches("</int>")
        .to_string()
}

#[tokio::test]
async fn every_call_answers_in_xml() {
    let app = TestApp::spawn().await;
    let mut x = Xml {
        app: &app,
        covered: BTreeSet::new(),
    };
    let signup = |user: &'static str| {
        vec![
            ("username", user),
            ("passwd", "secret123"),
            ("name", "N"),
            ("company", "C"),
            ("address-line-1", "A"),
            ("city", "C"),
            ("state", "S"),
            ("country", "US"),
            ("zipcode", "1"),
            ("phone-cc", "1"),
            ("phone", "5550100"),
        ]
    };
    let customer = bare_int(
        &x.write("customers/signup", &signup("x@example.com"), None)
            .await,
    );
    x.write("customers/v2/signup", &signup("y@example.com"), None)
        .await;
    let c = customer.as_str();
    x.read("customers/details", &[("username", "x@example.com")])
        .await;
    x.read("customers/details-by-id", &[("customer-id", c)])
        .await;
    x.read(
        "customers/search",
        &[("no-of-records", "10"), ("page-no", "1")],
    )
    .await;
    x.write(
        "customers/modify",
        &[("customer-id", c), ("city", "Pune")],
        None,
    )
    .await;
    x.write(
        "billing/add-customer-fund",
        &[
            ("customer-id", c),
            ("amount", "1000"),
            ("description", "d"),
            ("transaction-type", "credit"),
            ("transaction-key", "k"),
        ],
        Some("status"),
    )
    .await;
    x.read("billing/customer-balance", &[("customer-id", c)])
        .await;
    x.read("billing/reseller-balance", &[]).await;
    x.read("products/plan-details", &[]).await;
    x.read("products/customer-price", &[]).await;
    x.read("products/reseller-price", &[]).await;

    let mut hosts = Vec::new();
    for (path, plan) in [("vps/linux/us", "101"), ("dedicatedserver/linux/us", "201")] {
        let domain = format!("{}.example.com", plan);
        let add = [
            ("domain-name", domain.as_str()),
            ("customer-id", c),
            ("months", "1"),
            ("plan-id", plan),
            ("invoice-option", "NoInvoice"),
        ];
        let order = x
            .write(&format!("{path}/add"), &add, Some("entityid"))
            .await;
        x.write(
            &format!("{path}/renew"),
            &[
                ("order-id", &order),
                ("months", "1"),
                ("invoice-option", "PayInvoice"),
            ],
            Some("eaqid"),
        )
        .await;
        x.read(&format!("{path}/details"), &[("order-id", &order)])
            .await;
        x.read(
            &format!("{path}/search"),
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
        x.read(&format!("{path}/orderid"), &[("domain-name", &domain)])
            .await;
        let doomed = x
            .write(
                &format!("{path}/add"),
                &[
                    ("domain-name", "doomed.example.com"),
                    ("customer-id", c),
                    ("months", "1"),
                    ("plan-id", plan),
                    ("invoice-option", "NoInvoice"),
                ],
                Some("entityid"),
            )
            .await;
        x.write(
            &format!("{path}/delete"),
            &[("order-id", &doomed)],
            Some("eaqid"),
        )
        .await;
        hosts.push(order);
    }

    let mut round = 0;
    for prefix in ["backup", "backups"] {
        for (region, plan) in [("us", "301"), ("asia", "311")] {
            round += 1;
            let base = format!("{prefix}/{region}");
            let host = app
                .add_vps(c.parse().unwrap(), &format!("host{round}.example.com"))
                .await
                .to_string();
            let add = [
                ("storage-size-gb", "20"),
                ("customer-id", c),
                ("hosting-order-id", host.as_str()),
                ("months", "1"),
                ("plan-id", plan),
                ("invoice-option", "KeepInvoice"),
            ];
            let backup = x
                .write(&format!("{base}/add"), &add, Some("entityid"))
                .await;
            let b = backup.as_str();
            x.write(
                &format!("{base}/add-storage"),
                &[
                    ("backup-order-id", b),
                    ("storage-size-gb", "30"),
                    ("invoice-option", "NoInvoice"),
                ],
                Some("eaqid"),
            )
            .await;
            x.write(
                &format!("{base}/renew"),
                &[
                    ("backup-order-id", b),
                    ("months", "1"),
                    ("invoice-option", "NoInvoice"),
                ],
                Some("eaqid"),
            )
            .await;
            x.write(
                &format!("{base}/install-agent"),
                &[("backup-order-id", b), ("hosting-order-id", &host)],
                Some("status"),
            )
            .await;
            x.read(&format!("{base}/details"), &[("order-id", b)]).await;
            x.read(
                &format!("{base}/search"),
                &[("no-of-records", "10"), ("page-no", "1")],
            )
            .await;
            // The login link is signed with the current time: compare its shape, not its text.
            x.covered.insert(format!("{base}/auto-login-details"));
            let login = app
                .get(
                    &format!("{base}/auto-login-details.xml"),
                    &[("backup-order-id", b)],
                )
                .await;
            assert!(
                login
                    .text
                    .contains("<entry><string>autoLoginUrl</string><string>http://"),
                "{}",
                login.text
            );
            let second_host = app
                .add_vps(c.parse().unwrap(), &format!("second{round}.example.com"))
                .await
                .to_string();
            x.write(
                &format!("{prefix}/install-agent"),
                &[("backup-order-id", b), ("hosting-order-id", &second_host)],
                Some("status"),
            )
            .await;
            x.write(
                &format!("{base}/delete"),
                &[("backup-order-id", b)],
                Some("eaqid"),
            )
            .await;
        }
    }

    let mail = x
        .write(
            "eelite/us/add",
            &[
                ("domain-name", "mail.example.com"),
                ("customer-id", c),
                ("months", "1"),
                ("no-of-accounts", "3"),
                ("invoice-option", "NoInvoice"),
            ],
            Some("entityid"),
        )
        .await;
    let m = mail.as_str();
    x.write(
        "eelite/us/add-email-account",
        &[
            ("order-id", m),
            ("no-of-accounts", "2"),
            ("invoice-option", "NoInvoice"),
        ],
        Some("eaqid"),
    )
    .await;
    x.write(
        "eelite/us/delete-email-account",
        &[("order-id", m), ("no-of-accounts", "1")],
        Some("eaqid"),
    )
    .await;
    x.write(
        "eelite/us/renew",
        &[
            ("order-id", m),
            ("months", "1"),
            ("no-of-accounts", "1"),
            ("invoice-option", "NoInvoice"),
        ],
        Some("eaqid"),
    )
    .await;
    x.read("eelite/us/details", &[("order-id", m)]).await;
    x.read(
        "eelite/us/search",
        &[("no-of-records", "10"), ("page-no", "1")],
    )
    .await;
    x.read("eelite/us/orderid", &[("domain-name", "mail.example.com")])
        .await;
    x.write("eelite/us/delete", &[("order-id", m)], Some("eaqid"))
        .await;

    let managed = x
        .write(
            "managedserver/linux/us/add",
            &[
                ("domain-name", "managed.example.com"),
                ("customer-id", c),
                ("months", "1"),
                ("plan-id", "501"),
                ("addon", "whmcs"),
                ("invoice-option", "NoInvoice"),
            ],
            Some("entityid"),
        )
        .await;
    let s = managed.as_str();
    x.write(
        "managedserver/linux/us/addon/add",
        &[
            ("order-id", s),
            ("addon", "ipaddress"),
            ("invoice-option", "NoInvoice"),
        ],
        Some("eaqid"),
    )
    .await;
    x.write(
        "managedserver/linux/us/addon/delete",
        &[("order-id", s), ("addon-id", "1")],
        Some("eaqid"),
    )
    .await;
    x.write(
        "managedserver/linux/us/renew",
        &[
            ("order-id", s),
            ("months", "1"),
            ("invoice-option", "NoInvoice"),
        ],
        Some("eaqid"),
    )
    .await;
    x.read("managedserver/linux/us/details", &[("order-id", s)])
        .await;
    x.read(
        "managedserver/linux/us/search",
        &[("no-of-records", "10"), ("page-no", "1")],
    )
    .await;
    x.read(
        "managedserver/linux/us/orderid",
        &[("domain-name", "managed.example.com")],
    )
    .await;
    x.write(
        "managedserver/linux/us/delete",
        &[("order-id", s)],
        Some("eaqid"),
    )
    .await;

    let pending = app
        .add_backup(c.parse().unwrap(), hosts[0].parse().unwrap(), 20, "OnlyAdd")
        .await;
    x.write(
        "billing/customer-pay",
        &[("invoice-ids", pending.s("invoiceid"))],
        None,
    )
    .await;
    let forced = app
        .add_backup(c.parse().unwrap(), hosts[0].parse().unwrap(), 20, "OnlyAdd")
        .await;
    x.write(
        "billing/execute-order-without-payment",
        &[("invoice-ids", forced.s("invoiceid"))],
        None,
    )
    .await;
    x.read(
        "actions/search-current",
        &[("no-of-records", "10"), ("page-no", "1")],
    )
    .await;

    let routes: BTreeSet<String> = reseller_server::routes::table().into_keys().collect();
    let missed: Vec<&String> = routes.difference(&x.covered).collect();
    assert!(missed.is_empty(), "calls not exercised in XML: {missed:?}");
}
