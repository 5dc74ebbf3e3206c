//! A domain's DS records (`add-dnssec`, `del-dnssec`) and the reseller's
//! lock (`reseller-lock/add`, `remove`), which holds every other change.

use crate::common::TestApp;
use crate::domains::{a_contact, registration};

async fn registered(app: &TestApp, name: &str) -> String {
    let customer = app.signup(&format!("owner@{name}")).await.to_string();
    let contact = a_contact(app, &customer).await;
    let order = app
        .post(
            "domains/register.json",
            &registration(name, &customer, &contact, "1", "NoInvoice"),
        )
        .await;
    order.ok().s("entityid").to_string()
}

fn ds<'a>(keytag: &'a str, digest_type: &'a str, digest: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("attr-name1", "keytag"),
        ("attr-value1", keytag),
        ("attr-name2", "algorithm"),
        ("attr-value2", "8"),
        ("attr-name3", "digesttype"),
        ("attr-value3", digest_type),
        ("attr-name4", "digest"),
        ("attr-value4", digest),
    ]
}

const SHA1: &str = "49fd46e6c4b45c55d4ac49fd46e6c4b45c55d111";
const SHA256: &str = "E2D3C916F6DEEAC73294E8268FB5885044A833FC5459588F4A9184CFC41A5766";

async fn dnssec_of(app: &TestApp, order: &str) -> Vec<serde_json::Value> {
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", order), ("options", "DNSSECDetails")],
        )
        .await;
    details.ok().body["dnssec"].as_array().unwrap().clone()
}

#[tokio::test]
async fn ds_records_are_added_shown_and_deleted_and_bad_ones_refused_by_name() {
    let app = TestApp::spawn().await;
    let order = registered(&app, "signed-shop.com").await;
    fn with<'a>(
        order: &'a str,
        params: Vec<(&'static str, &'a str)>,
    ) -> Vec<(&'static str, &'a str)> {
        let mut all = vec![("order-id", order)];
        all.extend(params);
        all
    }
    let added = app
        .post(
            "domains/add-dnssec.json",
            &with(&order, ds("12345", "1", SHA1)),
        )
        .await;
    assert_eq!(added.ok().s("actiontype"), "AddDNSSEC");
    assert_eq!(added.s("actionstatus"), "Success");
    // Two records at once: four pairs each.
    let mut two = ds("2371", "2", SHA256);
    two.extend([
        ("attr-name5", "keytag"),
        ("attr-value5", "2372"),
        ("attr-name6", "digest"),
        ("attr-value6", SHA256),
        ("attr-name7", "digesttype"),
        ("attr-value7", "3"),
        ("attr-name8", "algorithm"),
        ("attr-value8", "13"),
    ]);
    app.post("domains/add-dnssec.json", &with(&order, two))
        .await
        .ok();
    let records = dnssec_of(&app, &order).await;
    let keytags: Vec<&str> = records
        .iter()
        .map(|r| r["keytag"].as_str().unwrap())
        .collect();
    assert_eq!(keytags, ["12345", "2371", "2372"]);
    assert_eq!(records[0]["digest"], SHA1.to_uppercase());
    assert_eq!(records[2]["digesttype"], "3");
    assert_eq!(records[2]["algorithm"], "13");

    for (params, text) in [
        (
            ds("12345", "1", SHA1),
            "DS record with keytag 12345 exists already".to_string(),
        ),
        (
            ds("70000", "1", SHA1),
            "Invalid attr-value: 70000. It must be a keytag from 0 to 65535 (attr-value1)".to_string(),
        ),
        (
            ds("1", "4", SHA1),
            "Invalid attr-value: 4. It must be a digesttype of 1, 2 or 3 (attr-value1)".to_string(),
        ),
        (
            ds("1", "2", SHA1),
            format!("Invalid attr-value: {SHA1}. It must be a digest of 64 hex digits for digesttype 2 (attr-value1)"),
        ),
        (
            vec![("attr-name1", "keytag"), ("attr-value1", "1")],
            "Invalid attr-name: 1. It must be four pairs a record: keytag, algorithm, digesttype and digest (attr-name1)".to_string(),
        ),
        (
            {
                let mut odd = ds("1", "1", SHA1);
                odd[2] = ("attr-name2", "flags");
                odd
            },
            "Invalid attr-name: flags. It must be one of keytag, algorithm, digesttype, digest (attr-name2)".to_string(),
        ),
    ] {
        app.refuses("domains/add-dnssec.json", &with(&order, params), &text).await;
    }
    app.refuses(
        "domains/del-dnssec.json",
        &with(&order, ds("12345", "2", SHA256)),
        "No DS record with keytag 12345 and that digest",
    )
    .await;
    let deleted = app
        .post(
            "domains/del-dnssec.json",
            &with(&order, ds("12345", "1", SHA1)),
        )
        .await;
    assert_eq!(deleted.ok().s("actiontype"), "DelDNSSEC");
    assert_eq!(dnssec_of(&app, &order).await.len(), 2);

    // A registry that takes none, and GOST outside .com and .net.
    let info = registered(&app, "unsigned-shop.info").await;
    let mut params = vec![("order-id", info.as_str())];
    params.extend(ds("1", "1", SHA1));
    app.refuses(
        "domains/add-dnssec.json",
        &params,
        "DNSSEC is not supported for .info: DS records are taken for .com, .in, .me, .net, .org",
    )
    .await;
    let org = registered(&app, "gost-shop.org").await;
    let mut params = vec![("order-id", org.as_str())];
    params.extend(ds("1", "3", SHA256));
    app.refuses(
        "domains/add-dnssec.json",
        &params,
        "Invalid digesttype: 3. .org takes 1 or 2",
    )
    .await;
}

#[tokio::test]
async fn a_reseller_lock_holds_every_change_until_it_is_removed() {
    let app = TestApp::spawn().await;
    let order = registered(&app, "locked-shop.com").await;
    let locked = app
        .post(
            "domains/reseller-lock/add.json",
            &[("order-id", &order), ("reason", "Disputed ownership")],
        )
        .await;
    assert_eq!(locked.ok().s("actiontype"), "AddResellerLock");
    let locks = app.get("domains/locks.json", &[("order-id", &order)]).await;
    let lock = &locks.ok().body["resellerlock"];
    assert_eq!(lock["reason"], "Disputed ownership");
    assert_eq!(lock["lockerid"], "1");
    assert!(
        lock["addedby"].as_str().is_some_and(|n| !n.is_empty()),
        "{lock}"
    );
    let searched = app
        .get(
            "domains/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("order-id", &order),
            ],
        )
        .await;
    assert_eq!(searched.ok().body["1"]["orders.resellerlock"], "true");
    let held = format!("Order {order} is locked by its reseller: Disputed ownership");
    app.refuses(
        "domains/modify-ns.json",
        &[("order-id", &order), ("ns", "ns9.example.net")],
        &held,
    )
    .await;
    app.refuses(
        "domains/enable-theft-protection.json",
        &[("order-id", &order)],
        &held,
    )
    .await;
    app.refuses(
        "domains/reseller-lock/add.json",
        &[("order-id", &order), ("reason", "again")],
        &format!("Order {order} is locked by its reseller already"),
    )
    .await;
    let removed = app
        .post("domains/reseller-lock/remove.json", &[("order-id", &order)])
        .await;
    assert_eq!(removed.ok().s("actiontype"), "RemoveResellerLock");
    app.refuses(
        "domains/reseller-lock/remove.json",
        &[("order-id", &order)],
        &format!("Order {order} has no reseller lock"),
    )
    .await;
    let locks = app.get("domains/locks.json", &[("order-id", &order)]).await;
    assert!(locks.ok().body.get("resellerlock").is_none());
    app.post(
        "domains/modify-ns.json",
        &[("order-id", &order), ("ns", "ns9.example.net")],
    )
    .await
    .ok();
}

#[tokio::test]
async fn tld_info_lists_every_tld_and_premium_check_prices_a_premium_name() {
    let app = TestApp::spawn().await;
    for by_post in [false, true] {
        let info = if by_post {
            app.post("domains/tld-info.json", &[]).await
        } else {
            app.get("domains/tld-info.json", &[]).await
        };
        let info = info.ok().body.as_object().unwrap().clone();
        assert_eq!(info.len(), reseller_core::tlds::TLDS.len());
        assert_eq!(info["com"]["registry"], "Verisign");
        assert_eq!(info["com"]["type"], "gTLD");
        assert_eq!(info["com"]["privacy_available"], "true");
        assert_eq!(info["com"]["dnssec_available"], "true");
        assert_eq!(info["in"]["type"], "ccTLD");
        assert_eq!(info["in"]["privacy_available"], "false");
        assert_eq!(info["co.uk"]["dnssec_available"], "false");
        assert_eq!(info["com"]["phases"][0]["phase"], "GA");
    }
    // Every TLD is in general availability: none in a launch phase.
    for phase in ["sunrise", "landrush"] {
        let listed = app
            .get("domains/tlds-in-phase.json", &[("phase", phase)])
            .await;
        assert_eq!(listed.ok().body, serde_json::json!([]), "{phase}");
    }
    let eap = app
        .get("domains/tlds-in-phase.json", &[("phase", "eap")])
        .await;
    assert_eq!(
        eap.error(),
        "Invalid phase: eap. It must be one of sunrise, landrush"
    );
    // Four letters make a premium name, as availability says.
    let premium = app
        .get("domains/premium-check.json", &[("domain-name", "wxyz.com")])
        .await;
    assert_eq!(premium.ok().s("premium"), "true");
    let available = app
        .get(
            "domains/available.json",
            &[("domain-name", "wxyz"), ("tlds", "com")],
        )
        .await;
    let create = available.ok().body["wxyz.com"]["costHash"]["create"].clone();
    assert_eq!(premium.body["costHash"]["create"], create);
    assert_eq!(premium.body["costHash"]["renew"], create);
    let price: f64 = create.as_str().unwrap().parse().unwrap();
    let cost: f64 = premium.body["resellerCostPriceHash"]["create"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((cost - price * 0.7).abs() < 0.001, "{cost} of {price}");
    let plain = app
        .get(
            "domains/premium-check.json",
            &[("domain-name", "ordinary-shop.com")],
        )
        .await;
    assert_eq!(plain.ok().s("premium"), "false");
    assert!(plain.body.get("costHash").is_none());
    let unsold = app
        .get("domains/premium-check.json", &[("domain-name", "wxyz.zzz")])
        .await;
    assert!(unsold.error().contains("wxyz.zzz"), "{}", unsold.text);
}

async fn details(app: &TestApp, order: &str) -> crate::common::Reply {
    app.get(
        "domains/details.json",
        &[("order-id", order), ("options", "OrderDetails")],
    )
    .await
}

#[tokio::test]
async fn privacy_is_purchased_once_where_the_tld_offers_it() {
    let app = TestApp::spawn().await;
    let order = registered(&app, "private-shop.com").await;
    assert_eq!(
        details(&app, &order).await.ok().s("isprivacyprotected"),
        "false"
    );
    let bought = app
        .post(
            "domains/purchase-privacy.json",
            &[("order-id", &order), ("invoice-option", "NoInvoice")],
        )
        .await;
    assert_eq!(bought.ok().s("actiontype"), "ModPrivacyProtection");
    assert_eq!(
        details(&app, &order).await.ok().s("isprivacyprotected"),
        "true"
    );
    app.refuses(
        "domains/purchase-privacy.json",
        &[("order-id", &order)],
        &format!("Order {order} has privacy protection bought already"),
    )
    .await;
    let indian = registered(&app, "private-shop.in").await;
    app.refuses(
        "domains/purchase-privacy.json",
        &[("order-id", &indian)],
        "Invalid purchase-privacy: privacy protection is not offered for .in",
    )
    .await;
}

#[tokio::test]
async fn the_older_suggestions_list_labels_with_their_status_under_each_tld() {
    let app = TestApp::spawn().await;
    let suggested = app
        .get(
            "domains/suggest-names.json",
            &[
                ("keyword", "green garden"),
                ("tlds", "com"),
                ("tlds", "net"),
                ("no-of-results", "3"),
                ("hyphen-allowed", "false"),
                ("add-related", "true"),
            ],
        )
        .await;
    let labels = suggested.ok().body.as_object().unwrap().clone();
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(labels.contains_key("greengarden"), "{labels:?}");
    for (label, statuses) in &labels {
        assert!(!label.contains('-'), "{label}");
        assert_eq!(statuses["com"], "available", "{label}");
        assert!(statuses.get("net").is_some(), "{label}");
    }
    let with_hyphens = app
        .get(
            "domains/suggest-names.json",
            &[
                ("keyword", "green garden"),
                ("tlds", "com"),
                ("no-of-results", "0"),
                ("hyphen-allowed", "true"),
            ],
        )
        .await;
    let labels = with_hyphens.ok().body.as_object().unwrap().clone();
    assert!(labels.contains_key("green-garden"), "{labels:?}");
    assert!(labels.len() <= 10);
    let none = app
        .get("domains/suggest-names.json", &[("keyword", "green")])
        .await;
    assert_eq!(none.error(), "Required parameter missing: tlds");
}

/// A .de domain (its registry takes a registrant only) with `ns`.
async fn german(app: &TestApp, name: &str, ns: &[&str]) -> String {
    let customer = app.signup(&format!("owner@{name}")).await.to_string();
    let contact = a_contact(app, &customer).await;
    let mut params = vec![
        ("domain-name", name),
        ("years", "1"),
        ("customer-id", customer.as_str()),
        ("reg-contact-id", contact.as_str()),
        ("admin-contact-id", "-1"),
        ("tech-contact-id", "-1"),
        ("billing-contact-id", "-1"),
        ("invoice-option", "NoInvoice"),
    ];
    params.extend(ns.iter().map(|ns| ("ns", *ns)));
    let order = app.post("domains/register.json", &params).await;
    order.ok().s("entityid").to_string()
}

#[tokio::test]
async fn the_de_registry_rechecks_name_servers_it_knows() {
    let app = TestApp::spawn().await;
    let order = german(
        &app,
        "kuchen-laden.de",
        &["ns1.example.net", "ns2.example.net"],
    )
    .await;
    let taken = app
        .post("domains/de/recheck-ns.json", &[("order-id", &order)])
        .await;
    assert_eq!(taken.ok().s("status"), "success");
    let single = german(&app, "brot-laden.de", &["ns1.example.net"]).await;
    let failed = app
        .post("domains/de/recheck-ns.json", &[("order-id", &single)])
        .await;
    assert_eq!(failed.ok().s("status"), "failed");
    assert_eq!(
        failed.s("description"),
        "Invalid Name Servers or Zone records. Please re-check your settings"
    );
    assert_eq!(
        failed.s("reason"),
        "1 name server(s); the registry needs two"
    );
    let com = registered(&app, "kuchen-laden.com").await;
    app.refuses(
        "domains/de/recheck-ns.json",
        &[("order-id", &com)],
        &format!("Order {com} is not a .de domain: this call is for .de domains only"),
    )
    .await;
}

#[tokio::test]
async fn a_uk_domain_is_released_to_another_registrars_tag_and_leaves() {
    let app = TestApp::spawn().await;
    let order = german(
        &app,
        "tea-shop.co.uk",
        &["ns1.example.net", "ns2.example.net"],
    )
    .await;
    for tag in ["vi", "#V", "TOO-LONG-FOR-A-TAG1", "VI"] {
        let bad = app
            .post(
                "domains/uk/release.json",
                &[("order-id", &order), ("new-tag", tag)],
            )
            .await;
        assert_eq!(
            bad.error(),
            format!(
                "Invalid new-tag: {tag}. It must be a registrar's tag: 3 to 16 capital letters, digits or hyphens, or # and 2 of them (#VI)"
            )
        );
    }
    // The right of registration's check is retired, in the vendor's words.
    let contact = [
        ("domain-name", "tea-shop.uk"),
        ("name", "Tea Shop"),
        ("company", "Tea Shop Ltd"),
        ("email", "tea@example.com"),
        ("address-line-1", "1 High Street"),
        ("city", "London"),
        ("state", "London"),
        ("zipcode", "EC1A 1BB"),
        ("country", "GB"),
    ];
    app.refuses(
        "domains/uk/available.json",
        &contact,
        "This API call has been deprecated, since the .UK Right of Registration period ended on 25th June 2019 at 06:00 BST (UTC+1)",
    )
    .await;
    let com = registered(&app, "tea-shop.com").await;
    app.refuses(
        "domains/uk/release.json",
        &[("order-id", &com), ("new-tag", "#VI")],
        &format!("Order {com} is not a .uk domain: this call is for .uk domains only"),
    )
    .await;
    let released = app
        .post(
            "domains/uk/release.json",
            &[("order-id", &order), ("new-tag", "#VI")],
        )
        .await;
    assert_eq!(released.ok().s("actiontype"), "ReleaseDomain");
    assert_eq!(
        released.s("actiontypedesc"),
        "Release of tea-shop.co.uk to registrar tag VI"
    );
    let after = details(&app, &order).await;
    assert_eq!(after.ok().s("currentstatus"), "Deleted");
    let again = app
        .post(
            "domains/uk/release.json",
            &[("order-id", &order), ("new-tag", "OTHER-TAG")],
        )
        .await;
    assert!(again.error().contains("Deleted"), "{}", again.text);
}

#[tokio::test]
async fn a_customers_pre_orders_are_kept_listed_and_taken_off() {
    let app = TestApp::spawn().await;
    let customer = app.signup("wisher@example.com").await.to_string();
    let other = app.signup("other-wisher@example.com").await.to_string();
    let added = app
        .post(
            "domains/preordering/add.json",
            &[
                ("customerid", &customer),
                ("domain", "green-garden.web"),
                ("domain", "tea-house.web"),
            ],
        )
        .await;
    assert_eq!(added.ok().s("green-garden.web"), "Success");
    assert_eq!(added.s("tea-house.web"), "Success");
    let again = app
        .post(
            "domains/preordering/add.json",
            &[("customerid", &customer), ("domain", "tea-house.web")],
        )
        .await;
    assert_eq!(again.ok().s("tea-house.web"), "AlreadyAdded");
    app.post(
        "domains/preordering/add.json",
        &[("customerid", &other), ("domain", "tea-house.web")],
    )
    .await
    .ok();
    // A TLD sold here, or one not upcoming, is refused and nothing is kept.
    app.refuses(
        "domains/preordering/add.json",
        &[
            ("customerid", &customer),
            ("domain", "new-one.web"),
            ("domain", "tea-house.com"),
        ],
        "Invalid domain: tea-house.com. Pre-orders take names in TLDs not yet open: .web; a name of a TLD sold here is registered with domains/register",
    )
    .await;
    let page = [("no-of-records", "10"), ("page-no", "1")];
    let all = app.get("domains/preordering/fetch.json", &page).await;
    assert_eq!(all.ok().s("recsindb"), "3");
    assert_eq!(all.body["1"]["domain"], "green-garden.web");
    assert_eq!(all.body["1"]["customerid"], customer.as_str());
    let mut theirs = page.to_vec();
    theirs.push(("customerid", &other));
    let theirs = app.get("domains/preordering/fetch.json", &theirs).await;
    assert_eq!(theirs.ok().s("recsindb"), "1");
    let mut by_sld = page.to_vec();
    by_sld.push(("domain", "tea-house"));
    let by_sld = app.get("domains/preordering/fetch.json", &by_sld).await;
    assert_eq!(by_sld.ok().s("recsindb"), "2");
    app.post(
        "domains/preordering/delete.json",
        &[("customerid", &customer), ("domain", "tea-house.web")],
    )
    .await
    .ok();
    app.refuses(
        "domains/preordering/delete.json",
        &[("customerid", &customer), ("domain", "tea-house.web")],
        &format!(
            "Invalid domain: tea-house.web. It is not on the pre-order list of customer {customer}"
        ),
    )
    .await;
    let left = app.get("domains/preordering/fetch.json", &page).await;
    assert_eq!(left.ok().s("recsindb"), "2");
    // The upcoming TLDs by category.
    let generic = app
        .get(
            "domains/preordering/fetchtldlist.json",
            &[("category", "generic")],
        )
        .await;
    assert_eq!(generic.ok().body, serde_json::json!(["web"]));
    let travel = app
        .get(
            "domains/preordering/fetchtldlist.json",
            &[("category", "travel")],
        )
        .await;
    assert_eq!(travel.ok().body, serde_json::json!([]));
    let unknown = app
        .get(
            "domains/preordering/fetchtldlist.json",
            &[("category", "pets")],
        )
        .await;
    assert!(
        unknown.error().starts_with("Invalid category: pets."),
        "{}",
        unknown.text
    );
    // Another reseller reaches none of it.
    let (reseller, key) = app
        .create_reseller("Other", crate::common::money("10"))
        .await;
    let foreign = app.as_reseller(reseller, &key);
    let refused = foreign
        .post(
            "domains/preordering/add.json",
            &[("customerid", &customer), ("domain", "mine.web")],
        )
        .await;
    assert_eq!(
        refused.error(),
        "You are not allowed to perform this action"
    );
    let none = foreign.get("domains/preordering/fetch.json", &page).await;
    assert_eq!(none.ok().s("recsindb"), "0");
}

#[tokio::test]
async fn sunrise_claims_and_the_registries_old_transfers_are_refused_by_name() {
    let app = TestApp::spawn().await;
    app.refuses(
        "domains/available-sunrise.json",
        &[("sld", "tea-house"), ("tld", "com"), ("smd", "signed-mark")],
        "Invalid tld: com. No TLD sold here is in its sunrise phase (domains/tlds-in-phase lists none)",
    )
    .await;
    app.refuses(
        "domains/available-sunrise.json",
        &[("tld", "com"), ("smd", "signed-mark")],
        "Required parameter missing: domainname",
    )
    .await;
    app.refuses(
        "domains/get-tm-notice.json",
        &[("lookup-key", "2013041500/2/6/9/rJ1NrDO92vDsAzf7EQzgjX4R0000000001")],
        "Invalid lookup-key: 2013041500/2/6/9/rJ1NrDO92vDsAzf7EQzgjX4R0000000001. No TLD sold here is in its trademark claims period, so no claim has a notice",
    )
    .await;
    app.refuses(
        "domains/eu/transfer.json",
        &[("domain-name", "tea-house.eu"), ("auth-code", "Epp-1")],
        "This API call is retired: a .eu name is transferred in with domains/transfer and its auth code, as any name is",
    )
    .await;
    app.refuses(
        "domains/eu/trade.json",
        &[("order-id", "1")],
        "This API call is retired: a .eu name's registrant is changed with domains/modify-contact, as any name's is",
    )
    .await;
    app.refuses(
        "domains/uk/transfer.json",
        &[("domain-name", "tea-house.co.uk")],
        "This API call is retired: a .uk name is transferred in with domains/transfer, and completes when its registrar tag is changed",
    )
    .await;
}

fn sponsor<'a>(customer: &'a str, name: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("customer-id", customer),
        ("name", name),
        ("company", "Mutual Growers Cooperative"),
        ("email", "ada@growers.example"),
        ("address-line-1", "1 Farm Road"),
        ("city", "Bristol"),
        ("country", "GB"),
        ("zipcode", "BS1 4DJ"),
        ("phone-cc", "44"),
        ("phone", "1179000000"),
    ]
}

#[tokio::test]
async fn a_coop_name_needs_a_sponsor_and_tel_and_xxx_keep_their_specials() {
    let app = TestApp::spawn().await;
    let customer = app.signup("grower@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    // No sponsor yet: the .coop registration is refused, nothing changes.
    app.refuses(
        "domains/register.json",
        &registration("growers.coop", &customer, &contact, "1", "NoInvoice"),
        &format!(
            "Customer {customer} has no .coop sponsor: add one with contacts/coop/add-sponsor before registering a .coop name"
        ),
    )
    .await;
    let first = app
        .post(
            "contacts/coop/add-sponsor.json",
            &sponsor(&customer, "Ada Lovelace"),
        )
        .await;
    assert_eq!(first.ok().text, "1");
    let same = app
        .post(
            "contacts/coop/add-sponsor.json",
            &sponsor(&customer, "Ada Lovelace"),
        )
        .await;
    assert_eq!(
        same.ok().text,
        "1",
        "the same name and company: the one kept"
    );
    let second = app
        .post(
            "contacts/coop/add-sponsor.json",
            &sponsor(&customer, "Grace Hopper"),
        )
        .await;
    assert_eq!(second.ok().text, "2");
    for call in ["contacts/coop/sponsors.json", "contacts/sponsors.json"] {
        let listed = app.get(call, &[("customer-id", &customer)]).await;
        assert_eq!(listed.ok().body["1"]["name"], "Ada Lovelace", "{call}");
        assert_eq!(listed.body["2"]["emailaddr"], "ada@growers.example");
        assert_eq!(listed.body["2"]["country"], "GB");
    }
    let coop = app
        .post(
            "domains/register.json",
            &registration("growers.coop", &customer, &contact, "1", "NoInvoice"),
        )
        .await;
    assert_eq!(coop.ok().s("actionstatus"), "Success");
    let mut bad_email = sponsor(&customer, "Bad");
    bad_email.retain(|(k, _)| *k != "email");
    bad_email.push(("email", "not-an-address"));
    let refused = app.post("contacts/coop/add-sponsor.json", &bad_email).await;
    assert!(
        refused.error().starts_with("Invalid email"),
        "{}",
        refused.text
    );

    // .tel: the registrant's WHOIS preference.
    let tel = app
        .post(
            "domains/register.json",
            &registration("call-us.tel", &customer, &contact, "1", "NoInvoice"),
        )
        .await;
    let tel = tel.ok().s("entityid").to_string();
    let changed = app
        .post(
            "domains/tel/modify-whois-pref.json",
            &[
                ("order-id", &tel),
                ("whois-type", "Natural"),
                ("publish", "n"),
            ],
        )
        .await;
    assert_eq!(changed.ok().s("actiontype"), "ModTelWhoisPref");
    assert_eq!(changed.s("actionstatus"), "Success");
    let kept = app.order(tel.parse().unwrap()).await;
    let whois = kept.attrs.domain.unwrap().tel_whois.unwrap();
    assert!(whois.natural && !whois.publish);
    app.refuses(
        "domains/tel/modify-whois-pref.json",
        &[("order-id", &tel), ("whois-type", "Natural")],
        "Required parameter missing: publish",
    )
    .await;
    app.refuses(
        "domains/tel/modify-whois-pref.json",
        &[("order-id", &tel), ("whois-type", "Legal"), ("publish", "n")],
        "Invalid publish: n. A legal person's details are always shown in .tel WHOIS; only a Natural person may withhold them",
    )
    .await;
    let com = registered(&app, "call-us.com").await;
    app.refuses(
        "domains/tel/modify-whois-pref.json",
        &[("order-id", &com), ("whois-type", "Legal")],
        &format!("Order {com} is not a .tel domain: this call is for .tel domains only"),
    )
    .await;
    app.refuses(
        "domains/tel/cth-details.json",
        &[("order-id", &tel)],
        "This API call is retired: .tel names no longer come with Telnic's hosted profile; a .tel name's records are hosted as any name's are (dns/*)",
    )
    .await;

    // .xxx: the membership id, set and read back.
    let xxx = app
        .post(
            "domains/register.json",
            &registration("members.xxx", &customer, &contact, "1", "NoInvoice"),
        )
        .await;
    let xxx = xxx.ok().s("entityid").to_string();
    let empty = app
        .post(
            "domains/dotxxx/association-details.json",
            &[("order-id", &xxx)],
        )
        .await;
    assert_eq!(empty.ok().s("associationid"), "");
    let set = app
        .post(
            "domains/dotxxx/association-details.json",
            &[("order-id", &xxx), ("association-id", "IFFOR-12345")],
        )
        .await;
    assert_eq!(set.ok().s("associationid"), "IFFOR-12345");
    let read = app
        .post(
            "domains/dotxxx/association-details.json",
            &[("order-id", &xxx)],
        )
        .await;
    assert_eq!(read.ok().s("associationid"), "IFFOR-12345");
    assert_eq!(read.s("domainname"), "members.xxx");
    app.refuses(
        "domains/dotxxx/association-details.json",
        &[("order-id", &com), ("association-id", "X")],
        &format!("Order {com} is not a .xxx domain: this call is for .xxx domains only"),
    )
    .await;
}
