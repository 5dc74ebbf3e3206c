//! Domains, as far as they are served: availability by the documented rule
//! and name suggestions.

use crate::common::{TestApp, money};

#[tokio::test]
async fn availability_follows_the_documented_rule_for_every_name_and_tld() {
    let app = TestApp::spawn().await;
    let reply = app
        .get(
            "domains/available.json",
            &[
                ("domain-name", "github"),
                ("domain-name", "My-New-Shop"),
                ("domain-name", "wxyz"),
                ("tlds", "com"),
                ("tlds", "net"),
                ("tlds", "co.in"),
                ("tlds", "name"),
            ],
        )
        .await;
    reply.ok();
    let status = |name: &str| {
        reply.body[name]["status"]
            .as_str()
            .unwrap_or("(none)")
            .to_string()
    };
    let classkey = |name: &str| {
        reply.body[name]["classkey"]
            .as_str()
            .unwrap_or("(none)")
            .to_string()
    };
    assert_eq!(status("github.com"), "regthroughothers");
    assert_eq!(classkey("github.com"), "domcno");
    assert_eq!(status("github.net"), "regthroughothers");
    assert_eq!(classkey("github.net"), "dotnet");
    assert_eq!(status("my-new-shop.com"), "available");
    assert_eq!(classkey("my-new-shop.co.in"), "thirdleveldotin");
    assert_eq!(status("my-new-shop.name"), "unknown");
    assert_eq!(classkey("my-new-shop.name"), "dotname");
    assert_eq!(status("wxyz.com"), "available");
    let price = reply.body["wxyz.com"]["costHash"]["create"]
        .as_str()
        .expect("a premium price");
    assert!(price.ends_with(".000") && price.len() >= 8, "{price}");
    assert_eq!(reply.body.as_object().unwrap().len(), 12);

    let before = app.counts();
    for (params, text) in [
        (
            vec![("tlds", "com")],
            "Required parameter missing: domain-name".to_string(),
        ),
        (
            vec![("domain-name", "shop")],
            "Required parameter missing: tlds".to_string(),
        ),
        (
            vec![("domain-name", "-shop"), ("tlds", "com")],
            "Invalid domain-name: -shop. It must be a name without its TLD".to_string(),
        ),
        (
            vec![("domain-name", "shop"), ("tlds", "c_m")],
            "Invalid tlds: c_m. It must be a TLD such as com or co.in, without the dot".to_string(),
        ),
        (
            vec![("domain-name", "shop"), ("tlds", "com"), ("years", "2")],
            "Unsupported parameter: years. This call takes domain-name, tlds".to_string(),
        ),
    ] {
        let refused = app.get("domains/available.json", &params).await;
        assert!(
            refused.error().starts_with(&text),
            "{} vs {text}",
            refused.error()
        );
    }
    let many: Vec<(&str, String)> = (0..11)
        .map(|n| ("domain-name", format!("shop{n}")))
        .chain((0..10).map(|n| {
            (
                "tlds",
                [
                    "com", "net", "org", "info", "biz", "co", "io", "us", "ca", "eu",
                ][n]
                    .to_string(),
            )
        }))
        .collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let too_many = app.get("domains/available.json", &many).await;
    assert_eq!(
        too_many.error(),
        "Invalid domain-name: 110. At most 100 names (domain-name times tlds) are checked at once"
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn suggestions_are_available_names_made_from_the_keyword() {
    let app = TestApp::spawn().await;
    let reply = app
        .get(
            "domains/v5/suggest-names.json",
            &[
                ("keyword", "reseller"),
                ("tld-only", "com"),
                ("tld-only", "net"),
            ],
        )
        .await;
    reply.ok();
    let names = reply.body.as_object().unwrap();
    assert!(names.len() >= 10, "{}", reply.text);
    assert_eq!(reply.body["reseller.com"]["spin"], "no");
    assert_eq!(reply.body["myreseller.com"]["spin"], "yes");
    for (name, entry) in names {
        assert!(name.ends_with(".com") || name.ends_with(".net"), "{name}");
        assert!(name.contains("reseller"), "{name}");
        assert_eq!(entry["status"], "available");
        assert_eq!(entry["in_ga"], "true");
    }
    // A phrase: exact names hold every word in order; related ones may hold some.
    let phrase = |exact: &'static str| {
        let app = &app;
        async move {
            let reply = app
                .get(
                    "domains/v5/suggest-names.json",
                    &[
                        ("keyword", "fast sports car"),
                        ("tld-only", "com"),
                        ("tld-only", "org"),
                        ("exact-match", exact),
                    ],
                )
                .await;
            reply.ok();
            let names: Vec<String> = reply.body.as_object().unwrap().keys().cloned().collect();
            names
        }
    };
    let exact = phrase("true").await;
    assert!(exact.len() >= 10, "{exact:?}");
    assert!(
        exact.contains(&"fastsportscar.com".to_string()),
        "{exact:?}"
    );
    assert!(
        exact.contains(&"fast-sports-car.org".to_string()),
        "{exact:?}"
    );
    // Made of the words alone, nothing added.
    let words_alone = |name: &String| {
        let sld = name.split('.').next().unwrap().replace('-', "");
        let mut rest = sld.as_str();
        for word in ["fast", "sports", "car"] {
            rest = rest.strip_prefix(word).unwrap_or(rest);
        }
        rest.is_empty() && sld.len() >= 4
    };
    assert!(exact.iter().all(words_alone), "{exact:?}");
    assert!(exact.contains(&"sportscar.com".to_string()), "{exact:?}");
    let one_word = app
        .get(
            "domains/v5/suggest-names.json",
            &[("keyword", "reseller"), ("exact-match", "true")],
        )
        .await;
    let one_word = one_word.ok().body.as_object().unwrap().clone();
    assert!(!one_word.is_empty());
    assert!(
        one_word
            .keys()
            .all(|n| n.split('.').next() == Some("reseller")),
        "only reseller.<tld>: {one_word:?}"
    );
    let related = phrase("false").await;
    assert_eq!(related.len(), 25, "at most 25");
    assert!(
        related.iter().any(|n| n.starts_with("sportscar.")),
        "{related:?}"
    );
    let taken = app
        .get(
            "domains/v5/suggest-names.json",
            &[("keyword", "google"), ("exact-match", "false")],
        )
        .await;
    let taken = taken.ok().body.as_object().unwrap().clone();
    assert!(
        !taken.contains_key("google.com") && taken.contains_key("mygoogle.com"),
        "a name held elsewhere is never suggested: {taken:?}"
    );
    let bad = app
        .get(
            "domains/v5/suggest-names.json",
            &[("keyword", "fast -sports")],
        )
        .await;
    assert!(
        bad.error()
            .starts_with("Invalid keyword: fast -sports. It must be a word or words"),
        "{}",
        bad.error()
    );
}

/// A contact of `customer` (an id), for the four roles of a registration.
pub(crate) async fn a_contact(app: &TestApp, customer: &str) -> String {
    a_contact_at(app, customer, "ravi@example.com").await
}

/// A contact of `customer` whose mail goes to `email`.
pub(crate) async fn a_contact_at(app: &TestApp, customer: &str, email: &str) -> String {
    let reply = app
        .post(
            "contacts/add.json",
            &[
                ("name", "Ravi Kumar"),
                ("company", "Kumar Traders"),
                ("email", email),
                ("address-line-1", "1 MG Road"),
                ("city", "Bengaluru"),
                ("state", "KA"),
                ("country", "IN"),
                ("zipcode", "560001"),
                ("phone-cc", "91"),
                ("phone", "9876543210"),
                ("customer-id", customer),
                ("type", "Contact"),
            ],
        )
        .await;
    reply.ok().body.as_i64().expect("a bare id").to_string()
}

/// A registration's parameters, with the same contact in every role.
pub(crate) fn registration<'a>(
    name: &'a str,
    customer: &'a str,
    contact: &'a str,
    years: &'a str,
    option: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("domain-name", name),
        ("years", years),
        ("ns", "ns1.example.net"),
        ("ns", "ns2.example.net"),
        ("customer-id", customer),
        ("reg-contact-id", contact),
        ("admin-contact-id", contact),
        ("tech-contact-id", contact),
        ("billing-contact-id", contact),
        ("invoice-option", option),
    ]
}

#[tokio::test]
async fn a_domain_is_registered_billed_by_the_year_shown_renewed_once_and_deleted() {
    let app = TestApp::spawn().await;
    let customer = app.signup("registrant@example.com").await;
    let c = customer.to_string();
    let contact = a_contact(&app, &c).await;
    app.fund(customer, "100").await;
    let reseller_before = app.reseller_balance().await;
    let customer_before = app.customer_balance(customer).await;

    // Two years of .com: 2 x 10.990 to the customer, 2 x 7.693 to the reseller.
    let added = app
        .post(
            "domains/register.json",
            &registration("my-new-shop.com", &c, &contact, "2", "PayInvoice"),
        )
        .await;
    added.ok();
    assert_eq!(added.s("status"), "Success");
    assert_eq!(
        added.s("actiontypedesc"),
        "Registration of my-new-shop.com for 2 years"
    );
    assert_eq!(added.s("sellingamount"), "-21.980");
    assert_eq!(
        app.customer_balance(customer).await,
        customer_before - money("21.980")
    );
    assert_eq!(
        app.reseller_balance().await,
        reseller_before - money("15.386")
    );
    let order = added.s("entityid").to_string();

    let details = app
        .get(
            "domains/details.json",
            &[("order-id", &order), ("options", "All")],
        )
        .await;
    details.ok();
    assert_eq!(details.s("domainname"), "my-new-shop.com");
    assert_eq!(details.s("productkey"), "domcno");
    assert_eq!(details.s("productcategory"), "domorder");
    assert_eq!(details.s("currentstatus"), "Active");
    assert_eq!(details.s("noOfNameServers"), "2");
    assert_eq!(details.s("ns2"), "ns2.example.net");
    assert_eq!(details.s("registrantcontactid"), contact);
    assert_eq!(details.body["registrantcontact"]["name"], "Ravi Kumar");
    assert_eq!(
        details.s("customercost"),
        "12.990",
        "a year at the renewal price"
    );
    let endtime: i64 = details.s("endtime").parse().unwrap();
    let created: i64 = details.s("creationtime").parse().unwrap();
    assert!(
        (endtime - created) / 86_400 >= 730,
        "two years: {created} to {endtime}"
    );

    let only_ns = app
        .get(
            "domains/details.json",
            &[("order-id", &order), ("options", "NsDetails")],
        )
        .await;
    only_ns.ok();
    assert_eq!(only_ns.s("ns1"), "ns1.example.net");
    assert!(
        only_ns.body.get("registrantcontactid").is_none(),
        "{}",
        only_ns.text
    );
    let by_name = app
        .get(
            "domains/details-by-name.json",
            &[
                ("domain-name", "My-New-Shop.com"),
                ("options", "ContactIds"),
            ],
        )
        .await;
    assert_eq!(by_name.ok().s("techcontactid"), contact);
    let id = app
        .get(
            "domains/orderid.json",
            &[("domain-name", "my-new-shop.com")],
        )
        .await;
    assert_eq!(id.ok().text, order);
    let search = app
        .get(
            "domains/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    assert_eq!(search.ok().s("recsindb"), "1");
    assert_eq!(search.body["1"]["orders.transferlock"], "true");

    // Renewal from the expiry seen: once; a retry renews nothing.
    let renew = [
        ("order-id", order.as_str()),
        ("years", "1"),
        ("exp-date", details.s("endtime")),
        ("invoice-option", "NoInvoice"),
    ];
    let renewed = app.post("domains/renew.json", &renew).await;
    renewed.ok();
    assert_eq!(
        renewed.s("actiontypedesc"),
        "Renewal of my-new-shop.com for 1 year"
    );
    let before = app.counts();
    let again = app.post("domains/renew.json", &renew).await;
    assert_eq!(again.error(), "Domain already renewed.");
    let missing = app
        .post(
            "domains/renew.json",
            &[
                ("order-id", order.as_str()),
                ("years", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(missing.error(), "Required parameter missing: exp-date");
    let renewed_end = app
        .get(
            "domains/details.json",
            &[("order-id", &order), ("options", "OrderDetails")],
        )
        .await;
    let new_end = renewed_end.ok().s("endtime").to_string();
    let too_far = app
        .post(
            "domains/renew.json",
            &[
                ("order-id", order.as_str()),
                ("years", "9"),
                ("exp-date", new_end.as_str()),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(
        too_far.error(),
        "A Domain Name cannot be extended beyond 10 years from today"
    );
    assert_eq!(app.counts(), before);

    let deleted = app
        .post("domains/delete.json", &[("order-id", &order)])
        .await;
    assert_eq!(deleted.ok().s("actiontype"), "DelDomain");
    let gone = app
        .get(
            "domains/details.json",
            &[("order-id", &order), ("options", "OrderDetails")],
        )
        .await;
    assert_eq!(gone.ok().s("currentstatus"), "Deleted");
    // A deleted name is free again.
    app.post(
        "domains/register.json",
        &registration("my-new-shop.com", &c, &contact, "1", "NoInvoice"),
    )
    .await
    .ok();
}

#[tokio::test]
async fn every_invoice_option_bills_a_registration() {
    for (option, pending) in [
        ("NoInvoice", false),
        ("PayInvoice", false),
        ("KeepInvoice", false),
        ("OnlyAdd", true),
    ] {
        let app = TestApp::spawn().await;
        let customer = app.signup("options@example.com").await;
        let c = customer.to_string();
        let contact = a_contact(&app, &c).await;
        app.fund(customer, "100").await;
        let reseller_before = app.reseller_balance().await;
        let reply = app
            .post(
                "domains/register.json",
                &registration("options-shop.net", &c, &contact, "1", option),
            )
            .await;
        reply.ok();
        let charged = reseller_before - app.reseller_balance().await;
        assert_eq!(
            charged,
            if pending { money("0") } else { money("8.743") },
            "{option}: the reseller pays its cost when the registration runs"
        );
        let details = app
            .get(
                "domains/details.json",
                &[
                    ("order-id", reply.s("entityid")),
                    ("options", "OrderDetails"),
                ],
            )
            .await;
        assert_eq!(
            details.ok().s("currentstatus"),
            if pending { "InActive" } else { "Active" },
            "{option}"
        );
    }
}

#[tokio::test]
async fn registrations_refuse_taken_names_wrong_contacts_and_bad_input_changing_nothing() {
    let app = TestApp::spawn().await;
    let customer = app.signup("careful@example.com").await;
    let c = customer.to_string();
    let contact = a_contact(&app, &c).await;
    let other_customer = app.signup("other@example.com").await.to_string();
    let theirs = a_contact(&app, &other_customer).await;
    app.post(
        "domains/register.json",
        &registration("held-here.org", &c, &contact, "1", "NoInvoice"),
    )
    .await
    .ok();
    let (other, key) = app.create_reseller("other", money("100")).await;
    let before = app.counts();
    let reg = |name: &'static str, years: &'static str| {
        registration(name, &c, &contact, years, "NoInvoice")
    };
    let mut com_without_admin = reg("no-admin-shop.com", "1");
    com_without_admin.retain(|(k, _)| *k != "admin-contact-id");
    com_without_admin.push(("admin-contact-id", "-1"));
    let mut foreign_contact = reg("foreign-contact-shop.com", "1");
    foreign_contact.retain(|(k, _)| *k != "tech-contact-id");
    foreign_contact.push(("tech-contact-id", theirs.as_str()));
    let mut no_ns = reg("no-ns-shop.com", "1");
    no_ns.retain(|(k, _)| *k != "ns");
    let mut bad_ns = reg("bad-ns-shop.com", "1");
    bad_ns.push(("ns", "not a host"));
    let mut uk_admin = reg("shop-for-uk2.co.uk", "1");
    uk_admin.retain(|(k, _)| *k != "tech-contact-id" && *k != "billing-contact-id");
    uk_admin.extend([("tech-contact-id", "-1"), ("billing-contact-id", "-1")]);
    let mut privacy_in = reg("private-shop.in", "1");
    privacy_in.push(("purchase-privacy", "true"));
    for (params, text) in [
        (
            reg("github.com", "1"),
            "Domain github.com already registered".to_string(),
        ),
        (
            reg("held-here.org", "1"),
            "Domain held-here.org already registered".to_string(),
        ),
        (
            reg("wxyz.com", "1"),
            "Domain wxyz.com is a premium name; premium names are not sold here yet".to_string(),
        ),
        (
            reg("my-shop.name", "1"),
            "Invalid domain-name: my-shop.name. Its TLD is not sold here".to_string(),
        ),
        (
            reg("young-shop.com", "0"),
            "Invalid years: 0. It must be a whole number from 1 to 10".to_string(),
        ),
        (
            reg("old-shop.com", "11"),
            "Invalid years: 11. It must be a whole number from 1 to 10".to_string(),
        ),
        (
            com_without_admin,
            "Invalid admin-contact-id: -1. .com requires this contact".to_string(),
        ),
        (
            uk_admin,
            "Invalid admin-contact-id: .co.uk takes no such contact; give -1".to_string(),
        ),
        (
            foreign_contact,
            "{techcontactid=techcontactid is invalid}".to_string(),
        ),
        (no_ns, "Required parameter missing: ns".to_string()),
        (
            bad_ns,
            "Invalid ns: not a host. It must be 1 to 13 name servers".to_string(),
        ),
        (
            privacy_in,
            "Invalid purchase-privacy: privacy protection is not offered for .in".to_string(),
        ),
    ] {
        let reply = app.post("domains/register.json", &params).await;
        assert!(
            reply.error().starts_with(&text),
            "{} vs {text}",
            reply.error()
        );
    }
    assert_eq!(app.counts(), before, "no refusal changed anything");
    // Another reseller cannot register a name held here, nor see this one.
    let outsider = app.as_reseller(other, &key);
    let outsider_customer = outsider.signup("outsider@example.com").await.to_string();
    let outsider_contact = a_contact(&outsider, &outsider_customer).await;
    let taken = outsider
        .post(
            "domains/register.json",
            &registration(
                "held-here.org",
                &outsider_customer,
                &outsider_contact,
                "1",
                "NoInvoice",
            ),
        )
        .await;
    assert_eq!(taken.error(), "Domain held-here.org already registered");
    let unseen = outsider
        .get("domains/orderid.json", &[("domain-name", "held-here.org")])
        .await;
    assert_eq!(unseen.error(), "No order found for held-here.org");
    let by_name = outsider
        .get(
            "domains/details-by-name.json",
            &[("domain-name", "held-here.org"), ("options", "All")],
        )
        .await;
    assert_eq!(by_name.error(), "Website doesn't exist for held-here.org");
}

#[tokio::test]
async fn a_co_uk_name_takes_the_registrant_alone() {
    let app = TestApp::spawn().await;
    let customer = app.signup("uk@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let mut params = registration("shop-for-uk.co.uk", &customer, &contact, "1", "NoInvoice");
    params.retain(|(k, _)| {
        !matches!(
            *k,
            "admin-contact-id" | "tech-contact-id" | "billing-contact-id"
        )
    });
    params.extend([
        ("admin-contact-id", "-1"),
        ("tech-contact-id", "-1"),
        ("billing-contact-id", "-1"),
    ]);
    let reply = app.post("domains/register.json", &params).await;
    let order = reply.ok().s("entityid").to_string();
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", &order), ("options", "ContactIds")],
        )
        .await;
    assert_eq!(details.ok().s("registrantcontactid"), contact);
    assert_eq!(details.s("admincontactid"), "-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_racing_registrations_or_transfers_of_one_name_make_one_order() {
    let app = TestApp::spawn().await;
    let customer = app.signup("racer@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let second = if app.is_postgres() {
        Some(app.second_instance().await)
    } else {
        None
    };
    // A free name is registered; a name held elsewhere is transferred in.
    for (call, name, extra) in [
        ("register", "racing-shop.com", "&years=1"),
        ("transfer", "rq.com", "&auth-code=Epp-Key-1"),
    ] {
        let mut racers = Vec::new();
        for n in 0..20 {
            let target = if n % 2 == 1 {
                second.as_ref().unwrap_or(&app)
            } else {
                &app
            };
            let url = format!(
                "{}/api/domains/{call}.json?auth-userid=1&api-key=key&domain-name={name}{extra}&ns=ns1.example.net&customer-id={customer}&reg-contact-id={contact}&admin-contact-id={contact}&tech-contact-id={contact}&billing-contact-id={contact}&invoice-option=NoInvoice",
                target.base()
            );
            let client = app.client.clone();
            racers.push(tokio::spawn(async move {
                client
                    .post(url)
                    .send()
                    .await
                    .expect("an answer")
                    .status()
                    .as_u16()
            }));
        }
        let mut won = 0;
        for racer in racers {
            if racer.await.expect("no panic") == 200 {
                won += 1;
            }
        }
        assert_eq!(won, 1, "exactly one {call}");
        let search = app
            .get(
                "domains/search.json",
                &[
                    ("no-of-records", "10"),
                    ("page-no", "1"),
                    ("domain-name", name),
                ],
            )
            .await;
        assert_eq!(search.ok().s("recsindb"), "1", "{call}");
    }
}

#[tokio::test]
async fn a_running_domain_changes_its_name_servers_contacts_locks_and_secret() {
    let app = TestApp::spawn().await;
    let customer = app.signup("changer@example.com").await;
    let c = customer.to_string();
    let first = a_contact(&app, &c).await;
    let second = a_contact(&app, &c).await;
    let other_customer = app.signup("neighbour@example.com").await.to_string();
    let theirs = a_contact(&app, &other_customer).await;
    let added = app
        .post(
            "domains/register.json",
            &registration("changing-shop.com", &c, &first, "1", "NoInvoice"),
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let balance = app.customer_balance(customer).await;
    let details = || async {
        let reply = app
            .get(
                "domains/details.json",
                &[("order-id", order.as_str()), ("options", "All")],
            )
            .await;
        reply.ok();
        reply
    };
    assert_eq!(details().await.body["orderstatus"][0], "transferlock");

    let moved = app
        .post(
            "domains/modify-ns.json",
            &[
                ("order-id", &order),
                ("ns", "ns1.example.org"),
                ("ns", "ns2.example.org"),
                ("ns", "ns3.example.org"),
            ],
        )
        .await;
    moved.ok();
    assert_eq!(moved.s("actiontype"), "ModNS");
    assert_eq!(moved.s("status"), "Success");
    assert_eq!(moved.s("currentaction"), moved.s("eaqid"));
    let shown = details().await;
    assert_eq!(shown.s("noOfNameServers"), "3");
    assert_eq!(shown.s("ns3"), "ns3.example.org");
    app.refuses(
        "domains/modify-ns.json",
        &[
            ("order-id", &order),
            ("ns", "ns1.example.org"),
            ("ns", "ns2.example.org"),
            ("ns", "ns3.example.org"),
        ],
        "Same value for new and old NameServers",
    )
    .await;
    // A host the registry does not know: accepted, then the action fails
    // and nothing changes, as the real service does.
    let unknown = app
        .post(
            "domains/modify-ns.json",
            &[
                ("order-id", &order),
                ("ns", "ns1.example.org"),
                ("ns", "ns1.never-registered-host.com"),
            ],
        )
        .await;
    unknown.ok();
    assert_eq!(unknown.s("status"), "Success");
    assert_eq!(unknown.s("actionstatus"), "Failed");
    assert_eq!(
        unknown.s("actionstatusdesc"),
        "ns1.never-registered-host.com is not a valid Nameserver"
    );
    assert_eq!(details().await.s("ns3"), "ns3.example.org");
    app.refuses(
        "domains/modify-ns.json",
        &[("order-id", &order), ("ns", "not a host")],
        "Invalid ns: not a host. It must be 1 to 13 name servers, each a host name such as ns1.example.com",
    )
    .await;
    // A host under a name registered here is known.
    let own = app
        .post(
            "domains/modify-ns.json",
            &[("order-id", &order), ("ns", "ns1.changing-shop.com")],
        )
        .await;
    assert_eq!(own.ok().s("actionstatus"), "Success");
    assert_eq!(details().await.s("ns1"), "ns1.changing-shop.com");

    let params: Vec<(&str, &str)> = vec![
        ("order-id", &order),
        ("reg-contact-id", &second),
        ("admin-contact-id", &second),
        ("tech-contact-id", &second),
        ("billing-contact-id", &second),
    ];
    let changed = app.post("domains/modify-contact.json", &params).await;
    changed.ok();
    assert_eq!(changed.s("actiontype"), "ModContact");
    let shown = details().await;
    // The other roles change at once; a .com registrant waits for both
    // registrants' approval (tests/api/irtp.rs).
    assert_eq!(shown.s("registrantcontactid"), first);
    assert_eq!(shown.s("billingcontactid"), first);
    assert_eq!(
        shown.body["irtp_status"]["gaining-contact-info"]["id"],
        second.as_str()
    );
    app.refuses(
        "domains/modify-contact.json",
        &params,
        "There is already a pending action on this domain: a change of registrant awaits approval",
    )
    .await;
    crate::irtp::approve_both(&app, &order).await;
    let shown = details().await;
    assert_eq!(shown.s("registrantcontactid"), second);
    assert_eq!(shown.s("billingcontactid"), second);
    let mut foreign = params.clone();
    foreign.retain(|(k, _)| *k != "tech-contact-id");
    foreign.push(("tech-contact-id", theirs.as_str()));
    app.refuses(
        "domains/modify-contact.json",
        &foreign,
        "{techcontactid=techcontactid is invalid}",
    )
    .await;
    // The first contact is free now; the second is held by the domain.
    app.post("contacts/delete.json", &[("contact-id", &first)])
        .await
        .ok();
    app.refuses(
        "contacts/delete.json",
        &[("contact-id", &second)],
        &format!("Cannot Delete Contact {second}: the domain orders {order} use it"),
    )
    .await;

    let unlocked = app
        .post(
            "domains/disable-theft-protection.json",
            &[("order-id", &order)],
        )
        .await;
    assert_eq!(unlocked.ok().s("actiontype"), "ModTransferLock");
    let locks = app.get("domains/locks.json", &[("order-id", &order)]).await;
    assert_eq!(locks.ok().body["transferlock"], false);
    assert_eq!(locks.body["customerlock"], false);
    assert_eq!(
        details().await.body["orderstatus"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    app.post(
        "domains/enable-theft-protection.json",
        &[("order-id", &order)],
    )
    .await
    .ok();
    let locks = app.get("domains/locks.json", &[("order-id", &order)]).await;
    assert_eq!(locks.ok().body["transferlock"], true);

    // Privacy is free: a domain bought without it turns it on.
    let private = app
        .post(
            "domains/modify-privacy-protection.json",
            &[
                ("order-id", &order),
                ("protect-privacy", "true"),
                ("reason", "asked"),
            ],
        )
        .await;
    assert_eq!(private.ok().s("actiontype"), "ModPrivacyProtection");
    let shown = app
        .get(
            "domains/details.json",
            &[("order-id", &order), ("options", "OrderDetails")],
        )
        .await;
    assert_eq!(shown.ok().s("isprivacyprotected"), "true");
    app.refuses(
        "domains/modify-privacy-protection.json",
        &[("order-id", &order), ("protect-privacy", "true")],
        "Required parameter missing: reason",
    )
    .await;

    let secret = app
        .post(
            "domains/modify-auth-code.json",
            &[("order-id", &order), ("auth-code", "N3w-S3cret!")],
        )
        .await;
    assert_eq!(secret.ok().s("actiontype"), "ModDomainSecret");
    assert_eq!(details().await.s("domsecret"), "N3w-S3cret!");
    app.refuses(
        "domains/modify-auth-code.json",
        &[("order-id", &order), ("auth-code", "has space")],
        "Invalid auth-code: (hidden). It must be 1 to 32 printable characters without spaces",
    )
    .await;

    assert_eq!(details().await.body["gdpr"]["enabled"], "true");
    let off = app
        .post("domains/gdpr/disable.json", &[("order-id", &order)])
        .await;
    assert_eq!(off.ok().s("actiontype"), "ModGDPRProtection");
    assert_eq!(details().await.body["gdpr"]["enabled"], "false");
    app.post("domains/gdpr/enable.json", &[("order-id", &order)])
        .await
        .ok();
    assert_eq!(details().await.body["gdpr"]["enabled"], "true");

    assert_eq!(
        app.customer_balance(customer).await,
        balance,
        "changes are free"
    );
    let default_ns = app
        .get("domains/customer-default-ns.json", &[("customer-id", &c)])
        .await;
    assert_eq!(
        default_ns.ok().body,
        serde_json::json!(["dns1.reseller.example", "dns2.reseller.example"])
    );

    // Another reseller can change nothing of it.
    let (other, key) = app.create_reseller("other", money("100")).await;
    let outsider = app.as_reseller(other, &key);
    let refused = outsider
        .post(
            "domains/disable-theft-protection.json",
            &[("order-id", &order)],
        )
        .await;
    assert_eq!(
        refused.error(),
        "You are not allowed to perform this action"
    );
}

#[tokio::test]
async fn child_name_servers_are_added_renamed_readdressed_and_removed_under_the_domain() {
    let app = TestApp::spawn().await;
    let customer = app.signup("hosts@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let added = app
        .post(
            "domains/register.json",
            &registration("host-shop.net", &customer, &contact, "1", "NoInvoice"),
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let o = order.as_str();
    let cns = || async {
        let details = app
            .get(
                "domains/details.json",
                &[("order-id", o), ("options", "NsDetails")],
            )
            .await;
        details.ok();
        details.body["cns"].clone()
    };
    let add = app
        .post(
            "domains/add-cns.json",
            &[
                ("order-id", o),
                ("cns", "NS1.host-shop.net"),
                ("ip", "192.0.2.1"),
            ],
        )
        .await;
    assert_eq!(add.ok().s("actiontype"), "AddCNS");
    // An existing host gains an address.
    app.post(
        "domains/add-cns.json",
        &[
            ("order-id", o),
            ("cns", "ns1.host-shop.net"),
            ("ip", "2001:db8::1"),
        ],
    )
    .await
    .ok();
    assert_eq!(
        cns().await,
        serde_json::json!({"ns1.host-shop.net": ["192.0.2.1", "2001:db8:0:0:0:0:0:1"]}),
        "IPv6 as the registry spells it"
    );
    for (call, params, text) in [
        (
            "domains/add-cns.json",
            vec![
                ("order-id", o),
                ("cns", "ns1.other-shop.net"),
                ("ip", "192.0.2.2"),
            ],
            "A Child Name Servers can only be registered under your Domain Name".to_string(),
        ),
        (
            "domains/add-cns.json",
            vec![
                ("order-id", o),
                ("cns", "ns1.host-shop.net"),
                ("ip", "192.0.2.1"),
            ],
            "This IpAddress already exists".to_string(),
        ),
        (
            "domains/add-cns.json",
            vec![
                ("order-id", o),
                ("cns", "ns2.host-shop.net"),
                ("ip", "300.1.1.1"),
            ],
            "Invalid ip: 300.1.1.1. It must be an IPv4 or IPv6 address".to_string(),
        ),
        (
            "domains/modify-cns-ip.json",
            vec![
                ("order-id", o),
                ("cns", "ns1.host-shop.net"),
                ("old-ip", "192.0.2.1"),
                ("new-ip", "192.0.2.1"),
            ],
            "Same value for new and old IpAddress".to_string(),
        ),
        (
            "domains/modify-cns-name.json",
            vec![
                ("order-id", o),
                ("old-cns", "ns9.host-shop.net"),
                ("new-cns", "ns8.host-shop.net"),
            ],
            "Invalid Old Child NameServer. Its not registered nameserver for this domain"
                .to_string(),
        ),
        (
            "domains/modify-cns-name.json",
            vec![
                ("order-id", o),
                ("old-cns", "ns1.host-shop.net"),
                ("new-cns", "ns1.host-shop.net"),
            ],
            "Same value for new and old Child NameServer".to_string(),
        ),
        (
            "domains/modify-cns-name.json",
            vec![
                ("order-id", o),
                ("old-cns", "ns1.host-shop.net"),
                ("new-cns", "ns1.nowhere-registered.net"),
            ],
            "Parent Domain for New child nameServer is not registered by us".to_string(),
        ),
        (
            "domains/modify-cns-ip.json",
            vec![
                ("order-id", o),
                ("cns", "ns9.host-shop.net"),
                ("old-ip", "192.0.2.1"),
                ("new-ip", "192.0.2.2"),
            ],
            "Invalid Child Name Server. Its not registered nameserver for this domain".to_string(),
        ),
        (
            "domains/modify-cns-ip.json",
            vec![
                ("order-id", o),
                ("cns", "ns1.host-shop.net"),
                ("old-ip", "192.0.2.9"),
                ("new-ip", "192.0.2.2"),
            ],
            "Invalid Old IpAddress. Its not attached to Nameserver".to_string(),
        ),
        (
            "domains/delete-cns-ip.json",
            vec![
                ("order-id", o),
                ("cns", "ns1.host-shop.net"),
                ("ip", "192.0.2.9"),
            ],
            "{ipaddress1=Invalid IpAddress 192.0.2.9 Its not attached to Nameserver}".to_string(),
        ),
    ] {
        app.refuses(call, &params, &text).await;
    }
    let renamed = app
        .post(
            "domains/modify-cns-name.json",
            &[
                ("order-id", o),
                ("old-cns", "ns1.host-shop.net"),
                ("new-cns", "dns.host-shop.net"),
            ],
        )
        .await;
    assert_eq!(renamed.ok().s("actiontype"), "ModCNSName");
    app.post(
        "domains/modify-cns-ip.json",
        &[
            ("order-id", o),
            ("cns", "dns.host-shop.net"),
            ("old-ip", "192.0.2.1"),
            ("new-ip", "198.51.100.7"),
        ],
    )
    .await
    .ok();
    assert_eq!(
        cns().await,
        serde_json::json!({"dns.host-shop.net": ["198.51.100.7", "2001:db8:0:0:0:0:0:1"]})
    );
    // Either spelling of an address names it.
    for ip in ["198.51.100.7", "2001:db8::1"] {
        app.post(
            "domains/delete-cns-ip.json",
            &[("order-id", o), ("cns", "dns.host-shop.net"), ("ip", ip)],
        )
        .await
        .ok();
    }
    assert_eq!(
        cns().await,
        serde_json::json!({}),
        "a host without addresses goes"
    );
}

#[tokio::test]
async fn a_name_registered_here_reads_regthroughus_for_every_reseller_until_deleted() {
    let app = TestApp::spawn().await;
    let customer = app.signup("held@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let order = app
        .post(
            "domains/register.json",
            &registration("held-shop.io", &customer, &contact, "1", "NoInvoice"),
        )
        .await
        .ok()
        .s("entityid")
        .to_string();
    let (other, key) = app.create_reseller("other", money("100")).await;
    let outsider = app.as_reseller(other, &key);
    let ask = [
        ("domain-name", "held-shop"),
        ("tlds", "io"),
        ("tlds", "com"),
    ];
    for caller in [&app, &outsider] {
        let reply = caller.get("domains/available.json", &ask).await;
        assert_eq!(reply.ok().body["held-shop.io"]["status"], "regthroughus");
        assert_eq!(reply.body["held-shop.com"]["status"], "available");
    }
    app.post("domains/delete.json", &[("order-id", &order)])
        .await
        .ok();
    let reply = app.get("domains/available.json", &ask).await;
    assert_eq!(reply.ok().body["held-shop.io"]["status"], "available");
}

#[tokio::test]
async fn premium_names_come_from_the_keyword_and_idn_names_follow_the_rule() {
    let app = TestApp::spawn().await;
    let all = app
        .get(
            "domains/premium/available.json",
            &[
                ("key-word", "shopping"),
                ("tlds", "com"),
                ("tlds", "in"),
                ("no-of-results", "100"),
            ],
        )
        .await;
    let names = all.ok().body.as_object().unwrap().clone();
    assert_eq!(
        names.len(),
        12,
        "the keyword before six aftermarket words under two TLDs: {names:?}"
    );
    assert!(
        names.keys().all(|name| name.starts_with("shopping")),
        "every name contains the keyword: {names:?}"
    );
    let price = |name: &str| -> f64 { names[name].as_str().unwrap().parse().unwrap() };
    let shop = price("shoppingpool.com");
    let available = app
        .get(
            "domains/available.json",
            &[("domain-name", "shoppingpool"), ("tlds", "com")],
        )
        .await;
    assert_eq!(
        available.ok().body["shoppingpool.com"]["costHash"]["create"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap(),
        shop,
        "the price the availability call shows"
    );
    let cheap = app
        .get(
            "domains/premium/available.json",
            &[
                ("key-word", "shopping"),
                ("tlds", "com"),
                ("price-high", &format!("{shop}")),
            ],
        )
        .await;
    let cheap = cheap.ok().body.as_object().unwrap().clone();
    assert!(cheap.contains_key("shoppingpool.com"));
    assert!(
        cheap
            .values()
            .all(|p| p.as_str().unwrap().parse::<f64>().unwrap() <= shop)
    );
    let few = app
        .get(
            "domains/premium/available.json",
            &[
                ("key-word", "shopping"),
                ("tlds", "com"),
                ("no-of-results", "2"),
            ],
        )
        .await;
    assert_eq!(few.ok().body.as_object().unwrap().len(), 2);
    let refused = app
        .get(
            "domains/premium/available.json",
            &[("key-word", "shopping"), ("tlds", "com"), ("sort", "x")],
        )
        .await;
    assert!(refused.error().contains("sort"), "{}", refused.error());

    let idn = app
        .get(
            "domains/idn-available.json",
            &[
                ("domain-name", "बाज़ार"),
                ("domain-name", "Ünï"),
                ("tld", "com"),
                ("idnLanguageCode", "hin"),
            ],
        )
        .await;
    idn.ok();
    let bazaar = idna::domain_to_ascii("बाज़ार.com").unwrap();
    assert!(bazaar.starts_with("xn--"), "{bazaar}");
    assert_eq!(idn.body[&bazaar]["status"], "available", "{}", idn.body);
    let short = idna::domain_to_ascii("ünï.com").unwrap();
    assert_eq!(
        idn.body[&short]["status"], "regthroughothers",
        "three letters or fewer"
    );
    // Any language of ISO 639-2, as the real sandbox takes them.
    for language in ["aze", "fra", "fre", "zho"] {
        app.get(
            "domains/idn-available.json",
            &[
                ("domain-name", "Ünïcode"),
                ("tld", "com"),
                ("idnLanguageCode", language),
            ],
        )
        .await
        .ok();
    }
    for (params, text) in [
        (
            vec![
                ("domain-name", "बाज़ार"),
                ("tld", "com"),
                ("idnLanguageCode", "xxx"),
            ],
            "Invalid idnLanguageCode: xxx. It must be an ISO 639-2 language code such as hin or aze",
        ),
        (
            vec![
                ("domain-name", "-bad"),
                ("tld", "com"),
                ("idnLanguageCode", "hin"),
            ],
            "Invalid domain-name: -bad. It must be an internationalized name without its TLD, valid under IDNA, at most 63 characters in its ASCII form",
        ),
    ] {
        assert_eq!(
            app.get("domains/idn-available.json", &params).await.error(),
            text
        );
    }
}

#[tokio::test]
async fn search_filters_by_the_registry_key_and_privacy_and_shows_the_real_transfer_lock() {
    let app = TestApp::spawn().await;
    let customer = app.signup("keys@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let mut orders = Vec::new();
    for name in ["keyed-shop.com", "keyed-shop.co.in", "keyed-shop.in"] {
        let reply = app
            .post(
                "domains/register.json",
                &registration(name, &customer, &contact, "1", "NoInvoice"),
            )
            .await;
        orders.push(reply.ok().s("entityid").to_string());
    }
    app.post(
        "domains/disable-theft-protection.json",
        &[("order-id", &orders[0])],
    )
    .await
    .ok();
    let search = |keys: Vec<&'static str>| {
        let app = &app;
        async move {
            let mut params = vec![("no-of-records", "10"), ("page-no", "1")];
            params.extend(keys.into_iter().map(|k| ("product-key", k)));
            app.get("domains/search.json", &params).await
        }
    };
    let third = search(vec!["thirdleveldotin"]).await;
    assert_eq!(third.ok().s("recsindb"), "1");
    assert_eq!(third.body["1"]["entity.description"], "keyed-shop.co.in");
    assert_eq!(third.body["1"]["orders.transferlock"], "true");
    let two = search(vec!["dotin", "domcno"]).await;
    assert_eq!(two.ok().s("recsindb"), "2");
    let com = search(vec!["domcno"]).await;
    assert_eq!(com.ok().body["1"]["orders.transferlock"], "false");
    // Privacy: bought and on for one name only.
    let private = app
        .post(
            "domains/register.json",
            &[
                registration("private-shop.com", &customer, &contact, "1", "NoInvoice"),
                vec![("purchase-privacy", "true")],
            ]
            .concat(),
        )
        .await;
    let private = private.ok().s("entityid").to_string();
    let by_privacy = |on: &'static str| {
        let app = &app;
        async move {
            let params = [
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("privacy-enabled", on),
            ];
            app.get("domains/search.json", &params).await
        }
    };
    let with = by_privacy("true").await;
    assert_eq!(with.ok().s("recsindb"), "1");
    assert_eq!(with.body["1"]["orders.orderid"], private.as_str());
    assert_eq!(by_privacy("false").await.ok().s("recsindb"), "3");
    app.post(
        "domains/modify-privacy-protection.json",
        &[
            ("order-id", &private),
            ("protect-privacy", "false"),
            ("reason", "customer asked"),
        ],
    )
    .await
    .ok();
    assert_eq!(by_privacy("true").await.ok().s("recsindb"), "0");
    assert_eq!(by_privacy("false").await.ok().s("recsindb"), "4");
    assert!(
        by_privacy("maybe")
            .await
            .error()
            .starts_with("Invalid privacy-enabled: maybe."),
    );
    let refused = search(vec!["bogus"]).await;
    assert!(
        refused
            .error()
            .starts_with("Invalid product-key: bogus. It must be one of domcno, dotnet,"),
        "{}",
        refused.error()
    );
}

#[tokio::test]
async fn validate_transfer_is_true_only_for_names_held_elsewhere() {
    let app = TestApp::spawn().await;
    let customer = app.signup("movein@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    app.post(
        "domains/register.json",
        &registration("kept-here.com", &customer, &contact, "1", "NoInvoice"),
    )
    .await
    .ok();
    for (name, expected) in [
        ("github.com", true),
        ("abc.net", true),
        ("kept-here.com", false),
        ("free-to-register.com", false),
        ("wxyz.com", false),
    ] {
        let reply = app
            .get("domains/validate-transfer.json", &[("domain-name", name)])
            .await;
        assert_eq!(reply.ok().body, serde_json::json!(expected), "{name}");
    }
    let bad = app
        .get(
            "domains/validate-transfer.json",
            &[("domain-name", "not a name")],
        )
        .await;
    assert!(
        bad.error().starts_with("Invalid domain-name: not a name."),
        "{}",
        bad.error()
    );
}

#[tokio::test]
async fn another_reseller_reaches_no_domain_order_by_any_call() {
    let app = TestApp::spawn().await;
    let customer = app.signup("owner@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let added = app
        .post(
            "domains/register.json",
            &registration("guarded-shop.in", &customer, &contact, "1", "NoInvoice"),
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    app.post(
        "domains/add-cns.json",
        &[
            ("order-id", &order),
            ("cns", "ns1.guarded-shop.in"),
            ("ip", "192.0.2.1"),
        ],
    )
    .await
    .ok();
    let endtime = app
        .get(
            "domains/details.json",
            &[("order-id", &order), ("options", "OrderDetails")],
        )
        .await
        .s("endtime")
        .to_string();
    let (other, key) = app.create_reseller("other", money("100")).await;
    let outsider = app.as_reseller(other, &key);
    let theirs = outsider.signup("theirs@example.com").await.to_string();
    let their_contact = a_contact(&outsider, &theirs).await;
    app.advance(301).await;
    let before = app.counts();
    let o = order.as_str();
    let tc = their_contact.as_str();
    for (method, call, params) in [
        (
            "GET",
            "domains/details.json",
            vec![("order-id", o), ("options", "All")],
        ),
        ("GET", "domains/locks.json", vec![("order-id", o)]),
        (
            "POST",
            "domains/renew.json",
            vec![
                ("order-id", o),
                ("years", "1"),
                ("exp-date", endtime.as_str()),
                ("invoice-option", "NoInvoice"),
            ],
        ),
        ("POST", "domains/delete.json", vec![("order-id", o)]),
        (
            "POST",
            "domains/modify-ns.json",
            vec![("order-id", o), ("ns", "ns1.evil.net")],
        ),
        (
            "POST",
            "domains/modify-contact.json",
            vec![
                ("order-id", o),
                ("reg-contact-id", tc),
                ("admin-contact-id", tc),
                ("tech-contact-id", tc),
                ("billing-contact-id", tc),
            ],
        ),
        (
            "POST",
            "domains/enable-theft-protection.json",
            vec![("order-id", o)],
        ),
        (
            "POST",
            "domains/disable-theft-protection.json",
            vec![("order-id", o)],
        ),
        (
            "POST",
            "domains/modify-privacy-protection.json",
            vec![
                ("order-id", o),
                ("protect-privacy", "false"),
                ("reason", "x"),
            ],
        ),
        (
            "POST",
            "domains/modify-auth-code.json",
            vec![("order-id", o), ("auth-code", "stolen")],
        ),
        ("POST", "domains/gdpr/enable.json", vec![("order-id", o)]),
        ("POST", "domains/gdpr/disable.json", vec![("order-id", o)]),
        (
            "POST",
            "domains/add-cns.json",
            vec![
                ("order-id", o),
                ("cns", "ns2.guarded-shop.in"),
                ("ip", "192.0.2.2"),
            ],
        ),
        (
            "POST",
            "domains/modify-cns-name.json",
            vec![
                ("order-id", o),
                ("old-cns", "ns1.guarded-shop.in"),
                ("new-cns", "ns3.guarded-shop.in"),
            ],
        ),
        (
            "POST",
            "domains/modify-cns-ip.json",
            vec![
                ("order-id", o),
                ("cns", "ns1.guarded-shop.in"),
                ("old-ip", "192.0.2.1"),
                ("new-ip", "192.0.2.3"),
            ],
        ),
        (
            "POST",
            "domains/delete-cns-ip.json",
            vec![
                ("order-id", o),
                ("cns", "ns1.guarded-shop.in"),
                ("ip", "192.0.2.1"),
            ],
        ),
        (
            "POST",
            "domains/nixi/verification/resend.json",
            vec![("order-id", o)],
        ),
        (
            "GET",
            "domains/customer-default-ns.json",
            vec![("customer-id", customer.as_str())],
        ),
    ] {
        let reply = if method == "GET" {
            outsider.get(call, &params).await
        } else {
            outsider.post(call, &params).await
        };
        assert_eq!(
            reply.error(),
            "You are not allowed to perform this action",
            "{call}"
        );
    }
    let search = outsider
        .get(
            "domains/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    assert_eq!(search.ok().s("recsindb"), "0");
    assert_eq!(app.counts(), before, "no outsider's call changed anything");
    let order_id = reseller_core::OrderId(order.parse().unwrap());
    let mails = app
        .store
        .read(move |tx| Ok(tx.mails_of_order(order_id)?))
        .await
        .unwrap();
    assert_eq!(mails.len(), 1, "no verification mail was resent");
}

#[tokio::test]
async fn privacy_bought_with_a_name_is_on_unless_protect_privacy_says_otherwise() {
    let app = TestApp::spawn().await;
    let customer = app.signup("private@example.com").await;
    let c = customer.to_string();
    let contact = a_contact(&app, &c).await;
    let privacy_of = |name: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let (app, c, contact) = (&app, c.clone(), contact.clone());
        async move {
            let mut params = registration(name, &c, &contact, "1", "NoInvoice");
            params.extend(extra);
            let order = app.post("domains/register.json", &params).await;
            let order = order.ok().s("entityid").to_string();
            let details = app
                .get(
                    "domains/details.json",
                    &[("order-id", &order), ("options", "OrderDetails")],
                )
                .await;
            details.ok().s("isprivacyprotected").to_string()
        }
    };
    assert_eq!(privacy_of("plain-name.com", vec![]).await, "false");
    assert_eq!(
        privacy_of("bought-on.com", vec![("purchase-privacy", "true")]).await,
        "true"
    );
    assert_eq!(
        privacy_of(
            "bought-off.com",
            vec![("purchase-privacy", "true"), ("protect-privacy", "false")]
        )
        .await,
        "false"
    );

    let before = app.counts();
    let mut params = registration("not-bought.com", &c, &contact, "1", "NoInvoice");
    params.push(("protect-privacy", "true"));
    app.refuses(
        "domains/register.json",
        &params,
        "Invalid protect-privacy: true. It may be true only where purchase-privacy is true",
    )
    .await;
    assert_eq!(app.counts(), before);

    // A renewal may buy it too (`purchase-privacy`, as WWW-LogicBoxes sends).
    let params = registration("renewed-private.com", &c, &contact, "1", "NoInvoice");
    let order = app.post("domains/register.json", &params).await;
    let order = order.ok().s("entityid").to_string();
    let shown_params = [("order-id", order.as_str()), ("options", "OrderDetails")];
    let shown = app.get("domains/details.json", &shown_params).await;
    let endtime = shown.ok().s("endtime").to_string();
    assert_eq!(shown.s("isprivacyprotected"), "false");
    app.post(
        "domains/renew.json",
        &[
            ("order-id", order.as_str()),
            ("years", "1"),
            ("exp-date", &endtime),
            ("invoice-option", "NoInvoice"),
            ("purchase-privacy", "true"),
        ],
    )
    .await
    .ok();
    let shown = app.get("domains/details.json", &shown_params).await;
    assert_eq!(shown.ok().s("isprivacyprotected"), "true");
    assert_ne!(shown.s("endtime"), endtime, "renewed");
}
