//! Customers: signup answers a bare id, details and search answer the
//! recorded key lists, modify changes only what it is given.

use crate::common::TestApp;

/// The keys and value types the real sandbox answers (shared/recorded).
const RECORDED_DETAIL_KEYS: &[&str] = &[
    "city",
    "langpref",
    "twofactorsmsauth_enabled",
    "totalreceipts",
    "company",
    "username",
    "country",
    "ispasswdexpired",
    "useremail",
    "telno",
    "customerid",
    "twofactorgoogleauth_enabled",
    "creationdt",
    "zip",
    "address1",
    "parentid",
    "salescontactid",
    "name",
    "isDominicanTaxConfiguredByParent",
    "resellerid",
    "salespersonshash",
    "telnocc",
    "other_state",
    "customerstatus",
    "stateid",
    "twofactorauth_enabled",
    "state",
];

#[tokio::test]
async fn signup_then_details_by_username_and_by_id() {
    let app = TestApp::spawn().await;

    let id = app.signup("Asha@Example.com").await;

    let by_name = app
        .get(
            "customers/details.json",
            &[("username", "asha@example.com")],
        )
        .await;
    by_name.ok();
    for key in RECORDED_DETAIL_KEYS {
        assert!(
            by_name.body.get(*key).is_some(),
            "details lack {key}: {}",
            by_name.text
        );
    }
    assert_eq!(by_name.s("customerid"), id.to_string());
    assert_eq!(by_name.s("username"), "asha@example.com");
    assert_eq!(by_name.s("resellerid"), "1");
    assert_eq!(by_name.s("customerstatus"), "Active");
    assert_eq!(by_name.body["isDominicanTaxConfiguredByParent"], false);
    assert!(by_name.body["salespersonshash"].is_object());
    assert!(!by_name.text.contains("secret123") && by_name.body.get("password").is_none());
    let by_id = app
        .get(
            "customers/details-by-id.json",
            &[("customer-id", &id.to_string())],
        )
        .await;
    assert_eq!(by_id.ok().body, by_name.body);
    let xml = app
        .get(
            "customers/details-by-id.xml",
            &[("customer-id", &id.to_string())],
        )
        .await;
    assert!(
        xml.text
            .contains("<entry><string>username</string><string>asha@example.com</string></entry>")
    );
    let signup_xml = app
        .post(
            "customers/signup.xml",
            &[
                ("username", "second@example.com"),
                ("passwd", "secret123"),
                ("name", "B"),
                ("company", "C"),
                ("address-line-1", "A"),
                ("city", "C"),
                ("state", "S"),
                ("country", "US"),
                ("zipcode", "1"),
                ("phone-cc", "1"),
                ("phone", "5550100"),
                ("lang-pref", "en"),
            ],
        )
        .await;
    assert!(
        signup_xml.text.ends_with(&format!("<int>{}</int>", id + 1)),
        "{}",
        signup_xml.text
    );
}

#[tokio::test]
async fn signup_refuses_a_taken_username_and_bad_fields_by_name() {
    let app = TestApp::spawn().await;
    app.signup("asha@example.com").await;
    let before = app.counts();
    let base = [
        ("username", "new@example.com"),
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
    ];
    let with = |key: &'static str, value: &'static str| -> Vec<(&str, &str)> {
        base.iter()
            .map(|&(k, v)| if k == key { (k, value) } else { (k, v) })
            .collect()
    };
    for (params, expected) in [
        (
            with("username", "asha@example.com"),
            "Customer asha@example.com already exists",
        ),
        (
            with("username", "not-an-email"),
            "Invalid username: not-an-email. It must be an email address of at most 64 characters",
        ),
        (
            with("passwd", "short"),
            "Invalid passwd: (hidden). It must be 8 to 64 characters long with at least one letter and one digit",
        ),
        (
            with("country", "USA"),
            "Invalid country: USA. It must be a two-letter ISO 3166 country code such as US",
        ),
        (
            // Two letters, but no country's.
            with("country", "XX"),
            "Invalid country: XX. It must be a two-letter ISO 3166 country code such as US",
        ),
        (
            with("phone", "12ab"),
            "Invalid phone: 12ab. It must be 4 to 12 digits",
        ),
        (with("name", ""), "Required parameter missing: name"),
    ] {
        let reply = app.post("customers/signup.json", &params).await;
        assert_eq!(reply.error(), expected);
    }
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn search_finds_by_name_status_and_id_with_dotted_keys() {
    let app = TestApp::spawn().await;
    let first = app.signup("one@example.com").await;
    let second = app.signup("two@example.com").await;

    let all = app
        .get(
            "customers/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    all.ok();
    assert_eq!(all.s("recsindb"), "2");
    assert_eq!(all.body["1"]["customer.customerid"], first.to_string());
    assert_eq!(all.body["2"]["customer.username"], "two@example.com");
    assert_eq!(all.body["1"]["customer.customerstatus"], "Active");

    let one = app
        .get(
            "customers/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("customer-id", &second.to_string()),
            ],
        )
        .await;
    assert_eq!(one.ok().s("recsindb"), "1");
    let by_name = app
        .get(
            "customers/search.json",
            &[("no-of-records", "10"), ("page-no", "1"), ("name", "asha")],
        )
        .await;
    assert_eq!(by_name.ok().s("recsindb"), "2");
    let suspended = app
        .get(
            "customers/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("status", "Suspended"),
            ],
        )
        .await;
    assert_eq!(suspended.ok().s("recsindb"), "0");
}

#[tokio::test]
async fn the_optional_fields_of_signup_and_modify_are_kept_and_shown() {
    let app = TestApp::spawn().await;
    let id = app
        .post(
            "customers/signup.json",
            &[
                ("username", "full@example.com"),
                ("passwd", "secret123"),
                ("name", "Full"),
                ("company", "Full Co"),
                ("address-line-1", "1 Road"),
                ("address-line-2", "Floor 2"),
                ("address-line-3", "Wing B"),
                ("city", "Pune"),
                ("state", "Not Listed"),
                ("other-state", "Konkan"),
                ("country", "IN"),
                ("zipcode", "411001"),
                ("phone-cc", "91"),
                ("phone", "9876543210"),
                ("alt-phone-cc", "91"),
                ("alt-phone", "2012345678"),
                ("fax-cc", "91"),
                ("fax", "2087654321"),
                ("mobile-cc", "91"),
                ("mobile", "9123456789"),
                ("vat-id", "DE123456789"),
                ("sms-consent", "true"),
                ("accept-policy", "TRUE"),
                ("marketing-email-consent", "false"),
            ],
        )
        .await;
    let id = id.ok().body.as_i64().expect("a bare id").to_string();
    let details = app
        .get("customers/details-by-id.json", &[("customer-id", &id)])
        .await;
    details.ok();
    for (key, value) in [
        ("address2", "Floor 2"),
        ("address3", "Wing B"),
        ("other_state", "Konkan"),
        ("state", "Not Listed"),
        ("alttelnocc", "91"),
        ("alttelno", "2012345678"),
        ("faxnocc", "91"),
        ("faxno", "2087654321"),
        ("mobilenocc", "91"),
        ("mobileno", "9123456789"),
        ("vatid", "DE123456789"),
        ("smsconsent", "true"),
        ("acceptpolicy", "true"),
        ("marketingemailconsent", "false"),
    ] {
        assert_eq!(details.s(key), value, "{key}");
    }
    let pin = details.s("pin");
    assert!(
        pin.len() == 4 && pin.bytes().all(|b| b.is_ascii_digit()),
        "{pin}"
    );

    app.post(
        "customers/modify.json",
        &[
            ("customer-id", &id),
            ("mobile", "9000000001"),
            ("address-line-2", "Floor 3"),
        ],
    )
    .await
    .ok();
    let after = app
        .get("customers/details-by-id.json", &[("customer-id", &id)])
        .await;
    assert_eq!(after.ok().s("mobileno"), "9000000001");
    assert_eq!(after.s("address2"), "Floor 3");
    assert_eq!(
        after.s("faxno"),
        "2087654321",
        "what modify was not given stays"
    );
    assert_eq!(after.s("pin"), pin, "the PIN stays");

    // Without the optional fields, details carry none of their keys, and
    // other_state repeats the state, as recorded.
    let plain = app.signup("plain@example.com").await.to_string();
    let plain = app
        .get("customers/details-by-id.json", &[("customer-id", &plain)])
        .await;
    plain.ok();
    assert_eq!(plain.s("other_state"), plain.s("state"));
    for key in ["address2", "address3", "alttelno", "faxno"] {
        assert!(plain.body.get(key).is_none(), "{key} in {}", plain.text);
    }
    // The phone stands for a mobile not given, as the real service shows it.
    assert_eq!(plain.s("mobileno"), plain.s("telno"));
    let before = app.counts();
    let bad = app
        .post(
            "customers/modify.json",
            &[("customer-id", &id), ("fax", "12ab")],
        )
        .await;
    assert_eq!(bad.error(), "Invalid fax: 12ab. It must be 4 to 12 digits");
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn search_filters_by_city_state_creation_and_receipts_and_refuses_what_it_does_not_know() {
    let app = TestApp::spawn().await;
    let pune = app.signup("pune@example.com").await;
    let other = app.signup("other@example.com").await;
    app.post(
        "customers/modify.json",
        &[
            ("customer-id", &pune.to_string()),
            ("city", "Pune"),
            ("state", "Maharashtra"),
        ],
    )
    .await
    .ok();
    app.fund(pune, "150").await;
    let count = |params: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let mut all: Vec<(&str, &str)> = vec![("no-of-records", "10"), ("page-no", "1")];
            all.extend(params.iter().map(|(k, v)| (*k, v.as_str())));
            let reply = app.get("customers/search.json", &all).await;
            reply.ok().s("recsindb").to_string()
        }
    };
    assert_eq!(count(vec![("city", "pune".into())]).await, "1");
    assert_eq!(
        count(vec![("city", "Pun".into())]).await,
        "0",
        "the whole city"
    );
    assert_eq!(count(vec![("state", "MAHARASHTRA".into())]).await, "1");
    assert_eq!(count(vec![("state", "Karnataka".into())]).await, "1");
    assert_eq!(
        count(vec![("total-receipt-start", "100".into())]).await,
        "1"
    );
    assert_eq!(count(vec![("total-receipt-end", "100".into())]).await, "1");
    assert_eq!(
        count(vec![
            ("total-receipt-start", "100".into()),
            ("total-receipt-end", "200".into())
        ])
        .await,
        "1"
    );
    assert_eq!(count(vec![("creation-date-start", "1".into())]).await, "2");
    assert_eq!(count(vec![("creation-date-end", "1".into())]).await, "0");
    assert_eq!(count(vec![("reseller-id", "1".into())]).await, "2");
    let _ = other;

    let before = app.counts();
    let refused = app
        .get(
            "customers/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("zipcode", "411001"),
            ],
        )
        .await;
    assert!(
        refused.error().starts_with(
            "Unsupported parameter: zipcode. This call takes no-of-records, page-no, customer-id"
        ),
        "{}",
        refused.text
    );
    let foreign = app
        .get(
            "customers/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("reseller-id", "2"),
            ],
        )
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
    let orders = app
        .get(
            "vps/linux/us/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("plan-id", "101"),
            ],
        )
        .await;
    assert!(
        orders
            .error()
            .starts_with("Unsupported parameter: plan-id."),
        "{}",
        orders.text
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn name_search_ignores_case_of_any_letter_and_takes_wildcards_literally() {
    let app = TestApp::spawn().await;
    let mut signup = vec![
        ("username", "emile@example.com"),
        ("passwd", "secret123"),
        ("name", "ÉMILE Österberg"),
        ("company", "100% Hosting_Co"),
        ("address-line-1", "1 Road"),
        ("city", "Malmö"),
        ("state", "Skåne"),
        ("country", "SE"),
        ("zipcode", "21100"),
        ("phone-cc", "46"),
        ("phone", "40123456"),
    ];
    app.post("customers/signup.json", &signup).await.ok();
    signup[0].1 = "other@example.com";
    signup[2].1 = "Other Person";
    signup[3].1 = "1000 Hosting Co";
    app.post("customers/signup.json", &signup).await.ok();
    let found = |filter: &'static str, value: &'static str| {
        let app = &app;
        async move {
            let reply = app
                .get(
                    "customers/search.json",
                    &[("no-of-records", "10"), ("page-no", "1"), (filter, value)],
                )
                .await;
            reply.ok().s("recsindb").to_string()
        }
    };
    assert_eq!(found("name", "émile ös").await, "1");
    assert_eq!(found("name", "ÖSTERBERG").await, "1");
    assert_eq!(found("company", "100%").await, "1", "% is no wildcard");
    assert_eq!(found("company", "g_co").await, "1", "_ is no wildcard");
    assert_eq!(found("company", "hosting").await, "2");
}

#[tokio::test]
async fn modify_changes_only_the_fields_given_and_answers_true() {
    let app = TestApp::spawn().await;
    let id = app.signup("one@example.com").await.to_string();

    let reply = app
        .post(
            "customers/modify.json",
            &[("customer-id", &id), ("name", "Asha R"), ("city", "Mysuru")],
        )
        .await;

    assert_eq!(reply.ok().body, serde_json::json!(true));
    let details = app
        .get("customers/details-by-id.json", &[("customer-id", &id)])
        .await;
    assert_eq!(details.s("name"), "Asha R");
    assert_eq!(details.s("city"), "Mysuru");
    assert_eq!(details.s("company"), "Rao Hosting");
    let missing = app
        .post(
            "customers/modify.json",
            &[("customer-id", "4242"), ("name", "X")],
        )
        .await;
    assert_eq!(missing.error(), "Invalid customer-id: 4242");
    let unknown = app
        .get(
            "customers/details.json",
            &[("username", "nobody@example.com")],
        )
        .await;
    assert_eq!(unknown.error(), "Customer nobody@example.com not found");
}

fn table(counts: &reseller_store::Counts, name: &str) -> i64 {
    counts
        .tables
        .iter()
        .find(|(table, _)| table == name)
        .map(|(_, n)| *n)
        .unwrap_or_else(|| panic!("no table {name}"))
}

#[tokio::test]
async fn delete_refuses_a_customer_with_live_orders_then_deletes_it() {
    let app = TestApp::spawn().await;
    let customer = app.signup("leaving@example.com").await;
    let c = customer.to_string();
    let order = app.add_vps(customer, "leaving.example.com").await;

    let before = app.counts();
    let refused = app
        .post("customers/delete.json", &[("customer-id", &c)])
        .await;
    assert_eq!(
        refused.error(),
        format!("Customer {customer} has orders that are not deleted: {order}")
    );
    assert_eq!(app.counts(), before);

    app.post(
        "vps/linux/us/delete.json",
        &[("order-id", &order.to_string())],
    )
    .await
    .ok();
    let deleted = app
        .post("customers/delete.json", &[("customer-id", &c)])
        .await;
    assert_eq!(deleted.ok().text, "true");
    let details = app
        .get("customers/details-by-id.json", &[("customer-id", &c)])
        .await;
    assert_eq!(details.ok().s("customerstatus"), "Deleted");
    let again = app
        .post("customers/delete.json", &[("customer-id", &c)])
        .await;
    assert_eq!(again.error(), format!("Customer {customer} is not Active"));
    let order_now = app
        .post(
            "vps/linux/us/add.json",
            &[
                ("domain-name", "again.example.com"),
                ("customer-id", &c),
                ("months", "1"),
                ("plan-id", "101"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(
        order_now.error(),
        format!("Customer {customer} is not Active")
    );

    let (other, key) = app
        .create_reseller("other", crate::common::money("10"))
        .await;
    let foreign = app
        .as_reseller(other, &key)
        .post("customers/delete.json", &[("customer-id", &c)])
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
}

#[tokio::test]
async fn a_token_signs_a_customer_in_until_it_expires_and_only_for_its_reseller() {
    let app = TestApp::spawn().await;
    let customer = app.signup("login@example.com").await;
    let c = customer.to_string();
    let signin = [
        ("username", "login@example.com"),
        ("passwd", "secret123"),
        ("ip", "203.0.113.9"),
    ];
    for method in ["GET", "POST"] {
        let token = if method == "GET" {
            app.get("customers/generate-token.json", &signin).await
        } else {
            app.post("customers/generate-token.json", &signin).await
        };
        let token = token.ok().body.as_str().expect("a JSON string").to_string();
        assert_eq!(token.len(), 36, "a UUID: {token}");
        let who = app
            .get("customers/authenticate-token.json", &[("token", &token)])
            .await;
        assert_eq!(who.ok().s("customerid"), c);
        assert_eq!(who.s("username"), "login@example.com");
        assert_eq!(who.s("fundthreshold"), "0.0");
    }

    let wrong = app
        .post(
            "customers/generate-token.json",
            &[
                ("username", "login@example.com"),
                ("passwd", "secret124"),
                ("ip", "203.0.113.9"),
            ],
        )
        .await;
    assert_eq!(
        wrong.error(),
        "Invalid passwd: it does not match the customer's password"
    );
    let bad_ip = app
        .post(
            "customers/generate-token.json",
            &[
                ("username", "login@example.com"),
                ("passwd", "secret123"),
                ("ip", "nowhere"),
            ],
        )
        .await;
    assert_eq!(
        bad_ip.error(),
        "Invalid ip: nowhere. It must be an IPv4 or IPv6 address"
    );

    let login = app
        .get(
            "customers/generate-login-token.json",
            &[("customer-id", &c), ("ip", "2001:db8::1")],
        )
        .await;
    let login = login.ok().body.as_str().expect("a JSON string").to_string();
    let (other, key) = app
        .create_reseller("other", crate::common::money("10"))
        .await;
    let other = app.as_reseller(other, &key);
    let foreign = other
        .get("customers/authenticate-token.json", &[("token", &login)])
        .await;
    assert_eq!(
        foreign.error(),
        "Invalid token: it is unknown or has expired"
    );
    let foreign_login = other
        .get(
            "customers/generate-login-token.json",
            &[("customer-id", &c), ("ip", "203.0.113.9")],
        )
        .await;
    assert_eq!(
        foreign_login.error(),
        "You are not allowed to perform this action"
    );

    // Tokens sign in for 30 minutes (docs/API.md).
    app.advance(30 * 60 + 1).await;
    let expired = app
        .get("customers/authenticate-token.json", &[("token", &login)])
        .await;
    assert_eq!(
        expired.error(),
        "Invalid token: it is unknown or has expired"
    );
    let unknown = app
        .get(
            "customers/authenticate-token.json",
            &[("token", "not-a-token")],
        )
        .await;
    assert_eq!(
        unknown.error(),
        "Invalid token: it is unknown or has expired"
    );
    // Only the token's digest is kept: the token's text is nowhere in the tokens table.
    let digest_of_login = app
        .store
        .read(move |tx| Ok(tx.token(&login)?))
        .await
        .unwrap();
    assert!(digest_of_login.is_none());
}

#[tokio::test]
async fn change_password_takes_effect_and_forgot_password_keeps_a_mail() {
    let app = TestApp::spawn().await;
    let customer = app.signup("forgetful@example.com").await;
    let c = customer.to_string();
    let weak = app
        .post(
            "customers/change-password.json",
            &[("customer-id", &c), ("new-passwd", "short")],
        )
        .await;
    assert_eq!(
        weak.error(),
        "Invalid new-passwd: (hidden). It must be 8 to 64 characters long with at least one letter and one digit"
    );
    let changed = app
        .post(
            "customers/change-password.json",
            &[("customer-id", &c), ("new-passwd", "newsecret9")],
        )
        .await;
    assert_eq!(changed.ok().text, "true");
    let old = app
        .post(
            "customers/generate-token.json",
            &[
                ("username", "forgetful@example.com"),
                ("passwd", "secret123"),
                ("ip", "203.0.113.9"),
            ],
        )
        .await;
    assert_eq!(
        old.error(),
        "Invalid passwd: it does not match the customer's password"
    );
    app.post(
        "customers/generate-token.json",
        &[
            ("username", "forgetful@example.com"),
            ("passwd", "newsecret9"),
            ("ip", "203.0.113.9"),
        ],
    )
    .await
    .ok();

    let before = app.counts();
    let forgot = app
        .post(
            "customers/forgot-password.json",
            &[("username", "forgetful@example.com")],
        )
        .await;
    assert_eq!(forgot.ok().text, "true");
    assert_eq!(table(&app.counts(), "mails"), table(&before, "mails") + 1);
    let nobody = app
        .post(
            "customers/forgot-password.json",
            &[("username", "nobody@example.com")],
        )
        .await;
    assert_eq!(nobody.error(), "Customer nobody@example.com not found");
}

#[tokio::test]
async fn tokens_are_random_version_4_uuids() {
    let app = TestApp::spawn().await;
    let customer = app.signup("uuid@example.com").await.to_string();
    for _ in 0..8 {
        let token = app
            .post(
                "customers/generate-login-token.json",
                &[("customer-id", &customer), ("ip", "203.0.113.9")],
            )
            .await;
        let token = token.ok().body.as_str().expect("a JSON string").to_string();
        let groups: Vec<&str> = token.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{token}"
        );
        assert!(groups[2].starts_with('4'), "version 4: {token}");
        assert!(
            matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "the RFC 4122 variant: {token}"
        );
    }
}

#[tokio::test]
async fn passwords_are_kept_as_argon2_and_an_old_hash_is_upgraded_at_the_next_sign_in() {
    use sha2::{Digest, Sha256};
    let app = TestApp::spawn().await;
    let id = app.signup("hash@example.com").await;
    let stored = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            store
                .read(move |tx| Ok(tx.customer(reseller_core::CustomerId(id))?))
                .await
                .unwrap()
                .expect("the customer")
                .password_hash
        }
    };
    let kept = stored(&app).await;
    assert!(kept.starts_with("$argon2id$"), "{kept}");
    assert!(!kept.contains("secret123"));

    // A hash of the old form, as databases made before keep it.
    let digest: String = Sha256::digest(b"0011aabb:secret123")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    app.tamper(&format!(
        "UPDATE customers SET password_hash = '0011aabb${digest}' WHERE id = {id}"
    ));
    let signin = |password: &'static str| {
        [
            ("username", "hash@example.com"),
            ("passwd", password),
            ("ip", "203.0.113.9"),
        ]
    };
    let wrong = app
        .post("customers/generate-token.json", &signin("secret124"))
        .await;
    assert!(wrong.error().starts_with("Invalid passwd"));
    assert!(
        stored(&app).await.starts_with("0011aabb$"),
        "a wrong password upgrades nothing"
    );
    app.post("customers/generate-token.json", &signin("secret123"))
        .await
        .ok();
    let upgraded = stored(&app).await;
    assert!(upgraded.starts_with("$argon2id$"), "{upgraded}");
    app.post("customers/generate-token.json", &signin("secret123"))
        .await
        .ok();
    let wrong = app
        .post("customers/generate-token.json", &signin("secret124"))
        .await;
    assert!(wrong.error().starts_with("Invalid passwd"));
}

#[tokio::test]
async fn a_customer_authenticates_with_its_password_or_a_temporary_one_for_three_days() {
    let app = TestApp::spawn().await;
    let customer = app.signup("temp@example.com").await;
    let c = customer.to_string();
    let authenticate = |passwd: &str| {
        let passwd = passwd.to_string();
        let app = &app;
        async move {
            app.post(
                "customers/authenticate.json",
                &[("username", "temp@example.com"), ("passwd", &passwd)],
            )
            .await
        }
    };
    let me = authenticate("secret123").await;
    assert_eq!(me.ok().s("customerid"), c);
    assert_eq!(me.s("username"), "temp@example.com");
    // digicatech sends it by GET.
    let by_get = app
        .get(
            "customers/authenticate.json",
            &[("username", "temp@example.com"), ("passwd", "secret123")],
        )
        .await;
    assert_eq!(by_get.ok().s("customerid"), c);
    assert_eq!(
        authenticate("secret124").await.error(),
        "Invalid passwd: it does not match the customer's password"
    );

    let temporary = app
        .get("customers/temp-password.json", &[("customer-id", &c)])
        .await;
    let temporary = temporary.ok().body.as_str().unwrap().to_string();
    assert_eq!(temporary.len(), 32, "{temporary}");
    assert_eq!(authenticate(&temporary).await.ok().s("customerid"), c);
    // It signs in through generate-token too, and is no token itself.
    let token = app
        .post(
            "customers/generate-token.json",
            &[
                ("username", "temp@example.com"),
                ("passwd", &temporary),
                ("ip", "203.0.113.9"),
            ],
        )
        .await;
    let token = token.ok().body.as_str().unwrap().to_string();
    let without = app
        .get(
            "customers/authenticate-token-without-history.json",
            &[("token", &token)],
        )
        .await;
    assert_eq!(without.ok().s("customerid"), c);
    let not_a_token = app
        .get(
            "customers/authenticate-token.json",
            &[("token", &temporary)],
        )
        .await;
    assert_eq!(
        not_a_token.error(),
        "Invalid token: it is unknown or has expired"
    );
    // Another customer's temporary password signs only that customer in.
    let other = app.signup("other-temp@example.com").await.to_string();
    let theirs = app
        .get("customers/temp-password.json", &[("customer-id", &other)])
        .await;
    let theirs = theirs.ok().body.as_str().unwrap().to_string();
    assert!(
        authenticate(&theirs)
            .await
            .error()
            .contains("does not match")
    );
    // The journal keeps no reply of it.
    let (status, journal) = app
        .control(reqwest::Method::GET, "requests?limit=100", None)
        .await;
    assert_eq!(status, 200, "{journal}");
    let journal = journal.to_string();
    assert!(journal.contains("customers/temp-password"), "{journal}");
    assert!(!journal.contains(&temporary), "{journal}");
    // Three days, then it is gone; the own password stays.
    app.advance(3 * 86_400 + 1).await;
    assert!(
        authenticate(&temporary)
            .await
            .error()
            .contains("does not match")
    );
    authenticate("secret123").await.ok();
    let (stranger, key) = app
        .create_reseller("stranger", crate::common::money("10"))
        .await;
    let stranger = app.as_reseller(stranger, &key);
    let foreign = stranger
        .get("customers/temp-password.json", &[("customer-id", &c)])
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
}

#[tokio::test]
async fn a_one_time_code_is_sent_and_verifies_once_within_ten_minutes() {
    let app = TestApp::spawn().await;
    let customer = app.signup("otp@example.com").await.to_string();
    let sent = app
        .post(
            "customers/authenticate/generate-otp.json",
            &[("customerid", &customer)],
        )
        .await;
    assert_eq!(sent.ok().text, "true");
    let code = crate::common::otp_sent(&app).await;
    assert_eq!(code.len(), 6);
    let (_, outbox) = app
        .control(reqwest::Method::GET, "outbox?limit=1", None)
        .await;
    assert_eq!(outbox[0]["kind"], "otp");
    assert_eq!(outbox[0]["to"], "otp@example.com");
    // A wrong code, then the right one once.
    let wrong = if code == "000000" { "000001" } else { "000000" };
    app.refuses(
        "customers/authenticate/verify-otp.json",
        &[("customerid", &customer), ("otp", wrong)],
        &format!(
            "Invalid otp: it is not a live one-time code of customer {customer}, or it was used"
        ),
    )
    .await;
    let verified = app
        .post(
            "customers/authenticate/verify-otp.json",
            &[("customerid", &customer), ("otp", &code), ("type", "sms")],
        )
        .await;
    assert_eq!(verified.ok().text, "true");
    app.refuses(
        "customers/authenticate/verify-otp.json",
        &[("customerid", &customer), ("otp", &code)],
        &format!(
            "Invalid otp: it is not a live one-time code of customer {customer}, or it was used"
        ),
    )
    .await;
    // A code older than ten minutes on the sandbox clock verifies no more.
    app.post(
        "customers/authenticate/generate-otp.json",
        &[("customerid", &customer)],
    )
    .await
    .ok();
    let late = crate::common::otp_sent(&app).await;
    app.advance(11 * 60).await;
    app.refuses(
        "customers/authenticate/verify-otp.json",
        &[("customerid", &customer), ("otp", &late)],
        &format!(
            "Invalid otp: it is not a live one-time code of customer {customer}, or it was used"
        ),
    )
    .await;
    app.refuses(
        "customers/authenticate/verify-otp.json",
        &[("customerid", &customer), ("otp", &late), ("type", "gauth")],
        &format!("Invalid type: gauth. Customer {customer} has no authenticator app set up here; codes are sent by sms"),
    )
    .await;
    let short = app
        .post(
            "customers/authenticate/verify-otp.json",
            &[("customerid", &customer), ("otp", "123")],
        )
        .await;
    assert!(
        short.error().starts_with("Invalid otp: (hidden)."),
        "a code is never echoed: {}",
        short.text
    );
    // Another reseller's customer gets no code.
    let (other, key) = app
        .create_reseller("Other", crate::common::money("10"))
        .await;
    let refused = app
        .as_reseller(other, &key)
        .post(
            "customers/authenticate/generate-otp.json",
            &[("customerid", &customer)],
        )
        .await;
    assert_eq!(
        refused.error(),
        "You are not allowed to perform this action"
    );
}
