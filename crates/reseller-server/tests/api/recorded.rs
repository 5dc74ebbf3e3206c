//! Our replies against the real service's, recorded in
//! `shared/recorded/`: for every call with a recording, each key the
//! recording has must be in our reply with the same JSON type (string,
//! number, boolean, list, map), so that a key a real client reads can never
//! go missing unnoticed. Maps keyed by ids (search pages, replies under an
//! invoice id) are compared by their first entry, and so are the replies
//! keyed by domain names (availability, suggestions). Recordings of calls this
//! server does not serve yet are listed, and must still answer "Unknown API
//! call": serving one fails here until it is compared too.

use crate::common::{TestApp, money};
use serde_json::Value;
use std::path::PathBuf;

fn recorded(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/recorded")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "map",
    }
}

/// Whether a key is data, not a name a client reads: an id.
fn is_data_key(key: &str) -> bool {
    key.bytes().all(|b| b.is_ascii_digit())
}

fn id_keyed(map: &serde_json::Map<String, Value>) -> bool {
    !map.is_empty() && map.keys().all(|k| is_data_key(k))
}

/// Where `ours` lacks a key of `theirs` or gives it another type.
fn differences(path: &str, theirs: &Value, ours: &Value, found: &mut Vec<String>) {
    if kind(theirs) != kind(ours) {
        found.push(format!(
            "{path}: {} recorded, {} here",
            kind(theirs),
            kind(ours)
        ));
        return;
    }
    match (theirs, ours) {
        (Value::Object(theirs), Value::Object(ours)) if id_keyed(theirs) => {
            let first_of = |m: &serde_json::Map<String, Value>| {
                m.iter()
                    .find(|(k, _)| is_data_key(k))
                    .map(|(_, v)| v.clone())
            };
            match (first_of(theirs), first_of(ours)) {
                (Some(t), Some(o)) => differences(&format!("{path}.<id>"), &t, &o, found),
                (Some(_), None) => found.push(format!("{path}: no id-keyed entry here")),
                _ => {}
            }
        }
        (Value::Object(theirs), Value::Object(ours)) => {
            let is_id = |key: &str| key.bytes().all(|b| b.is_ascii_digit());
            let first_record = ours.iter().find(|(k, _)| is_id(k)).map(|(_, v)| v);
            for (key, value) in theirs {
                // A record of a page ("1", "2", ...) is compared with ours of
                // the same place, else with our first.
                let mine = match ours.get(key) {
                    None if is_id(key) => first_record,
                    mine => mine,
                };
                let place = if is_id(key) { "<id>" } else { key.as_str() };
                match mine {
                    Some(mine) => differences(&format!("{path}.{place}"), value, mine, found),
                    None => found.push(format!("{path}.{place}: missing here")),
                }
            }
        }
        (Value::Array(theirs), Value::Array(ours)) => {
            if let (Some(t), Some(o)) = (theirs.first(), ours.first()) {
                differences(&format!("{path}[0]"), t, o, found);
            }
        }
        _ => {}
    }
}

fn compare(name: &str, ours: &Value, found: &mut Vec<String>) {
    differences(name, &recorded(name), ours, found);
}

/// For replies keyed by domain names: every entry of ours has the keys and
/// types of the recording's first entry.
fn compare_entries(name: &str, ours: &Value, found: &mut Vec<String>) {
    let theirs = recorded(name);
    let first = theirs
        .as_object()
        .and_then(|m| m.values().next())
        .unwrap_or_else(|| panic!("{name} has no entry"));
    let Some(ours) = ours.as_object().filter(|m| !m.is_empty()) else {
        found.push(format!("{name}: no entry here"));
        return;
    };
    for (key, entry) in ours {
        differences(&format!("{name}.<{key}>"), first, entry, found);
    }
}

#[tokio::test]
async fn every_recorded_reply_has_its_keys_and_types_here() {
    let app = TestApp::spawn().await;
    let mut found = Vec::new();
    let signup = [
        ("username", "email@email.com"),
        ("passwd", "secret123"),
        ("name", "Customer Name"),
        ("company", "Customer Company"),
        ("address-line-1", "Customer Address"),
        ("city", "City"),
        ("state", "State"),
        ("country", "US"),
        ("zipcode", "12345"),
        ("phone-cc", "1"),
        ("phone", "1234567890"),
    ];
    let id = app.post("customers/signup.json", &signup).await;
    compare("customers/sign_up.txt", &id.ok().body, &mut found);
    let c = id.body.as_i64().expect("a bare id").to_string();
    let details = app
        .get("customers/details.json", &[("username", "email@email.com")])
        .await;
    compare(
        "customers/customer_details.txt",
        &details.ok().body,
        &mut found,
    );
    let search = app
        .get(
            "customers/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    compare("customers/customers.txt", &search.ok().body, &mut found);
    let modify = app
        .post(
            "customers/modify.json",
            &[("customer-id", &c), ("name", "Updated Name")],
        )
        .await;
    compare(
        "customers/modify_customer.txt",
        &modify.ok().body,
        &mut found,
    );
    let change = app
        .post(
            "customers/change-password.json",
            &[("customer-id", &c), ("new-passwd", "newsecret9")],
        )
        .await;
    compare(
        "customers/change_password.txt",
        &change.ok().body,
        &mut found,
    );
    let token = app
        .get(
            "customers/generate-token.json",
            &[
                ("username", "email@email.com"),
                ("passwd", "newsecret9"),
                ("ip", "203.0.113.9"),
            ],
        )
        .await;
    compare("customers/generate_token.txt", &token.ok().body, &mut found);
    let token = token.body.as_str().expect("a token").to_string();
    let who = app
        .get("customers/authenticate-token.json", &[("token", &token)])
        .await;
    compare(
        "customers/authenticate_token.txt",
        &who.ok().body,
        &mut found,
    );
    let login = app
        .get(
            "customers/generate-login-token.json",
            &[("customer-id", &c), ("ip", "203.0.113.9")],
        )
        .await;
    compare(
        "customers/generate_login_token.txt",
        &login.ok().body,
        &mut found,
    );
    let forgot = app
        .post(
            "customers/forgot-password.json",
            &[("username", "email@email.com")],
        )
        .await;
    compare(
        "customers/forgot_password.txt",
        &forgot.ok().body,
        &mut found,
    );

    app.fund(c.parse().unwrap(), "500").await;
    let add = app
        .post(
            "eelite/us/add.json",
            &[
                ("domain-name", "test-domain.example.com"),
                ("customer-id", &c),
                ("months", "1"),
                ("no-of-accounts", "1"),
                ("invoice-option", "PayInvoice"),
            ],
        )
        .await;
    compare("eelite/add-pay-invoice.json", &add.ok().body, &mut found);
    let order = add.s("entityid").to_string();
    let grow = app
        .post(
            "eelite/us/add-email-account.json",
            &[
                ("order-id", &order),
                ("no-of-accounts", "1"),
                ("invoice-option", "PayInvoice"),
            ],
        )
        .await;
    compare(
        "eelite/add-email-account-pay-invoice.json",
        &grow.ok().body,
        &mut found,
    );
    let shrink = app
        .post(
            "eelite/us/delete-email-account.json",
            &[("order-id", &order), ("no-of-accounts", "1")],
        )
        .await;
    compare(
        "eelite/delete-email-account.json",
        &shrink.ok().body,
        &mut found,
    );
    let email = app
        .get("eelite/us/details.json", &[("order-id", &order)])
        .await;
    compare("eelite/details.json", &email.ok().body, &mut found);

    let leaving = app.signup("leaving@example.com").await.to_string();
    let delete = app
        .post("customers/delete.json", &[("customer-id", &leaving)])
        .await;
    compare(
        "customers/delete_customer.txt",
        &delete.ok().body,
        &mut found,
    );

    let contact = app
        .post(
            "contacts/add.json",
            &[
                ("name", "Andrew Wiles"),
                ("company", "Oxford University"),
                ("email", "wiles@example.com"),
                ("address-line-1", "123 Oxford Way"),
                ("city", "Houston"),
                ("state", "TX"),
                ("country", "US"),
                ("zipcode", "77027"),
                ("phone-cc", "1"),
                ("phone", "7135745287"),
                ("customer-id", &c),
                ("type", "Contact"),
            ],
        )
        .await;
    let contact = contact.ok().body.as_i64().expect("a bare id").to_string();
    let details = app
        .get("contacts/details.json", &[("contact-id", &contact)])
        .await;
    compare("contacts/details.json", &details.ok().body, &mut found);

    let available = app
        .get(
            "domains/available.json",
            &[
                ("domain-name", "github"),
                ("domain-name", "google"),
                ("tlds", "com"),
                ("tlds", "net"),
            ],
        )
        .await;
    compare_entries(
        "domains/availability/multiple_domains_multiple_tlds.txt",
        &available.ok().body,
        &mut found,
    );
    assert_eq!(
        available.body,
        recorded("domains/availability/multiple_domains_multiple_tlds.txt"),
        "the same answer as recorded"
    );
    let suggested = app
        .get("domains/v5/suggest-names.json", &[("keyword", "reseller")])
        .await;
    compare_entries(
        "domains/suggest_names/keyword_only.txt",
        &suggested.ok().body,
        &mut found,
    );
    let third = app
        .get(
            "domains/thirdlevelname/available.json",
            &[("domain-name", "domain"), ("tlds", "one.name")],
        )
        .await;
    compare_entries(
        "domains/3rd_level_name_availability/single_domain.txt",
        &third.ok().body,
        &mut found,
    );
    // As a client asks it: the third and second level with `*.name`.
    let starred = app
        .get(
            "domains/thirdlevelname/available.json",
            &[
                ("domain-name", "domain.one"),
                ("domain-name", "domain.two"),
                ("tlds", "*.name"),
            ],
        )
        .await;
    assert_eq!(
        starred.ok().body,
        recorded("domains/3rd_level_name_availability/multiple_domains.txt"),
        "the same answer as recorded"
    );
    let bad = app
        .get(
            "domains/thirdlevelname/available.json",
            &[("domain-name", "domain"), ("tlds", "*.name")],
        )
        .await;
    assert_eq!(
        bad.error(),
        "Invalid domain-name: domain. With tlds *.name it must be the third and second level of a .name name, such as domain.one"
    );
    // The recorded IDN name, asked as written; answered by its punycode.
    let recorded_idn = recorded("domains/idn_availability/single_domain.txt");
    let (ascii, _) = recorded_idn.as_object().unwrap().iter().next().unwrap();
    let (written, decoded) = idna::domain_to_unicode(ascii.trim_end_matches(".com"));
    decoded.expect("the recorded name decodes");
    let idn = app
        .get(
            "domains/idn-available.json",
            &[
                ("domain-name", &written),
                ("tld", "com"),
                ("idnLanguageCode", "hin"),
            ],
        )
        .await;
    compare_entries(
        "domains/idn_availability/single_domain.txt",
        &idn.ok().body,
        &mut found,
    );
    assert!(
        idn.body.get(ascii.as_str()).is_some(),
        "keyed by punycode: {}",
        idn.body
    );
    let premium = app
        .get(
            "domains/premium/available.json",
            &[("key-word", "domain"), ("tlds", "com")],
        )
        .await;
    compare_entries(
        "domains/premium_domain_availability/single_tld.txt",
        &premium.ok().body,
        &mut found,
    );
    assert_eq!(
        third.body,
        recorded("domains/3rd_level_name_availability/single_domain.txt"),
        "the same answer as recorded"
    );

    let domain = app
        .post(
            "domains/register.json",
            &[
                ("domain-name", "yesterday.co.in"),
                ("years", "1"),
                ("ns", "ns1.example.net"),
                ("ns", "ns2.example.net"),
                ("customer-id", &c),
                ("reg-contact-id", &contact),
                ("admin-contact-id", &contact),
                ("tech-contact-id", &contact),
                ("billing-contact-id", &contact),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let domain = domain.ok().s("entityid").to_string();
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", &domain), ("options", "All")],
        )
        .await;
    // The recording is of a transfer under way: its action keys belong to
    // that state, not to a registered domain's details.
    let mut theirs = recorded("domains-orders/details-transfer-in-progress.json");
    for key in [
        "actionstatus",
        "actionstatusdesc",
        "actiontype",
        "actiontypedesc",
    ] {
        theirs.as_object_mut().unwrap().remove(key);
    }
    differences(
        "domains-orders/details-transfer-in-progress.json",
        &theirs,
        &details.ok().body,
        &mut found,
    );
    let renewed = app
        .post(
            "domains/renew.json",
            &[
                ("order-id", &domain),
                ("years", "1"),
                ("exp-date", details.s("endtime")),
                ("invoice-option", "KeepInvoice"),
            ],
        )
        .await;
    compare("domains-orders/renew.json", &renewed.ok().body, &mut found);

    assert!(
        found.is_empty(),
        "differences from the recordings:\n{}",
        found.join("\n")
    );
    let _ = money("0");
}

/// A reply of the `mail/*` family kept with these tests (`recorded/`),
/// the shared recordings holding none.
fn recorded_mail(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/recorded/mail")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[tokio::test]
async fn the_mail_familys_replies_have_the_recorded_keys_and_types() {
    let app = TestApp::spawn().await;
    let customer = app.signup("mail-owner@example.com").await.to_string();
    let added = app
        .post(
            "eelite/us/add.json",
            &[
                ("domain-name", "some-domain.co.uk"),
                ("customer-id", &customer),
                ("months", "1"),
                ("no-of-accounts", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let account = [
        ("order-id", order.as_str()),
        ("email", "john.does@some-domain.co.uk"),
    ];
    let mut found = Vec::new();
    let user = app
        .post(
            "mail/user/add.json",
            &[
                ("order-id", &order),
                ("email", "john.does@some-domain.co.uk"),
                ("passwd", "secret123"),
                ("notification-email", "another-email@some-domain.co.uk"),
                ("first-name", "John"),
                ("last-name", "Doe"),
                ("country-code", "US"),
                ("language-code", "en"),
            ],
        )
        .await;
    differences(
        "mail/user-add.json",
        &recorded_mail("user-add.json"),
        &user.body,
        &mut found,
    );
    let details = app.get("mail/user.json", &account).await;
    differences(
        "mail/user",
        &recorded_mail("user-add.json"),
        &details.body,
        &mut found,
    );
    let reset = app.post("mail/user/reset-password.json", &account).await;
    differences(
        "mail/reset-password.json",
        &recorded_mail("reset-password.json"),
        &reset.body,
        &mut found,
    );
    let deleted = app.post("mail/user/delete.json", &account).await;
    differences(
        "mail/delete.json",
        &recorded_mail("delete.json"),
        &deleted.body,
        &mut found,
    );
    let again = app.post("mail/user/delete.json", &account).await;
    differences(
        "mail/failure.json",
        &recorded_mail("failure.json"),
        &again.body,
        &mut found,
    );
    assert_eq!(
        again.body["response"]["errorCode"], "emailaddress_does_not_exist",
        "the recorded code, which Pitchero reads"
    );
    assert!(
        found.is_empty(),
        "differences from the recordings:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_comparison_finds_a_missing_key_a_wrong_type_and_a_short_record() {
    let theirs = serde_json::json!({
        "pin": "8901",
        "emailaccounts": 1,
        "orderstatus": [],
        "1": {"customer.city": "BJ"}
    });
    let ours = serde_json::json!({
        "emailaccounts": "1",
        "orderstatus": [],
        "1": {"customer.name": "N"}
    });
    let mut found = Vec::new();
    differences("r", &theirs, &ours, &mut found);
    found.sort();
    assert_eq!(
        found,
        [
            "r.<id>.customer.city: missing here",
            "r.emailaccounts: number recorded, string here",
            "r.pin: missing here",
        ]
    );
}
