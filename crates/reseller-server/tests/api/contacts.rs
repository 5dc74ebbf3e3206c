//! Domain contacts: add, details with the recorded keys, search with its
//! `result` list, delete, and `modify`'s deprecation.

use crate::common::{TestApp, money};

/// A contact's add parameters for `customer`.
fn contact<'a>(customer: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("company", "Oxford University"),
        ("email", "wiles@example.com"),
        ("address-line-1", "123 Oxford Way"),
        ("city", "Houston"),
        ("state", "TX"),
        ("country", "US"),
        ("zipcode", "77027"),
        ("phone-cc", "1"),
        ("phone", "7135745287"),
        ("customer-id", customer),
        ("type", "Contact"),
    ]
}

#[tokio::test]
async fn a_contact_is_added_shown_found_and_deleted() {
    let app = TestApp::spawn().await;
    let customer = app.signup("holder@example.com").await.to_string();
    let mut params = contact(&customer, "Andrew Wiles");
    params.extend([
        ("address-line-2", "Floor 2"),
        ("fax-cc", "1"),
        ("fax", "7135745288"),
        ("attr-name1", "purpose"),
        ("attr-value1", "P1"),
    ]);
    let id = app.post("contacts/add.json", &params).await;
    let id = id.ok().body.as_i64().expect("a bare id").to_string();

    let details = app
        .get("contacts/details.json", &[("contact-id", &id)])
        .await;
    details.ok();
    assert_eq!(details.s("contactid"), id);
    assert_eq!(details.s("name"), "Andrew Wiles");
    assert_eq!(details.s("emailaddr"), "wiles@example.com");
    assert_eq!(details.s("type"), "Contact");
    assert_eq!(details.s("currentstatus"), "Active");
    assert_eq!(details.s("address2"), "Floor 2");
    assert_eq!(details.s("faxno"), "7135745288");
    assert_eq!(details.s("customerid"), customer);
    assert!(details.body.get("address3").is_none());

    app.post("contacts/add.json", &contact(&customer, "Second Person"))
        .await
        .ok();
    let page = |extra: Vec<(&'static str, &'static str)>| {
        let mut all = vec![
            ("customer-id", customer.clone()),
            ("no-of-records", "10".into()),
            ("page-no", "1".into()),
        ];
        all.extend(extra.into_iter().map(|(k, v)| (k, v.to_string())));
        all
    };
    let search = |params: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let borrowed: Vec<(&str, &str)> =
                params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.get("contacts/search.json", &borrowed).await
        }
    };
    let all = search(page(vec![])).await;
    all.ok();
    assert_eq!(all.s("recsindb"), "2");
    let result = all.body["result"].as_array().expect("a result list");
    assert_eq!(result.len(), 2);
    assert_eq!(result[0]["contact.name"], "Andrew Wiles");
    assert_eq!(result[0]["entity.entityid"], id);
    let named = search(page(vec![("name", "second")])).await;
    assert_eq!(named.ok().s("recsindb"), "1");

    let deleted = app
        .post("contacts/delete.json", &[("contact-id", &id)])
        .await;
    deleted.ok();
    assert_eq!(deleted.s("actiontype"), "DelContact");
    assert_eq!(deleted.s("status"), "Success");
    let gone = app
        .get("contacts/details.json", &[("contact-id", &id)])
        .await;
    assert_eq!(gone.ok().s("currentstatus"), "Deleted");
    let active = search(page(vec![("status", "Active")])).await;
    assert_eq!(active.ok().s("recsindb"), "1");
    let again = app
        .post("contacts/delete.json", &[("contact-id", &id)])
        .await;
    assert_eq!(
        again.error(),
        format!("Contact {id} is Deleted and cannot be changed")
    );
}

#[tokio::test]
async fn modify_is_deprecated_and_bad_contacts_change_nothing() {
    let app = TestApp::spawn().await;
    let customer = app.signup("careful@example.com").await.to_string();
    let before = app.counts();
    let modify = app
        .post(
            "contacts/modify.json",
            &[("contact-id", "1"), ("name", "X")],
        )
        .await;
    assert_eq!(
        modify.error(),
        "Feature deprecated. Please refer to KB link"
    );
    let with = |key: &'static str, value: &'static str| {
        let mut params = contact(&customer, "Bad Contact");
        params.retain(|(k, _)| *k != key);
        if !value.is_empty() {
            params.push((key, value));
        }
        params
    };
    for (params, text) in [
        (
            with("type", "MarsContact"),
            "Invalid type: MarsContact. It must be one of Contact, AtContact",
        ),
        (
            with("email", "not-an-address"),
            "Invalid email: not-an-address. It must be an email address",
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
            with("phone", "12"),
            "Invalid phone: 12. It must be 4 to 12 digits",
        ),
        (
            with("zipcode", "12345678901234567"),
            "Invalid zipcode: 12345678901234567. It may be at most 16 characters long",
        ),
        (with("name", ""), "Required parameter missing: name"),
        (with("customer-id", "99"), "Invalid customer-id: 99"),
    ] {
        let reply = app.post("contacts/add.json", &params).await;
        assert!(
            reply.error().starts_with(text),
            "{} vs {text}",
            reply.error()
        );
    }
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn another_reseller_reaches_no_contact_of_this_one() {
    let app = TestApp::spawn().await;
    let customer = app.signup("owner@example.com").await.to_string();
    let id = app
        .post("contacts/add.json", &contact(&customer, "Mine"))
        .await;
    let id = id.ok().body.as_i64().unwrap().to_string();
    let (other, key) = app.create_reseller("other", money("10")).await;
    let other = app.as_reseller(other, &key);
    let before = app.counts();
    let not_allowed = "You are not allowed to perform this action";
    assert_eq!(
        other
            .get("contacts/details.json", &[("contact-id", &id)])
            .await
            .error(),
        not_allowed
    );
    assert_eq!(
        other
            .post("contacts/delete.json", &[("contact-id", &id)])
            .await
            .error(),
        not_allowed
    );
    assert_eq!(
        other
            .get(
                "contacts/search.json",
                &[
                    ("customer-id", &customer),
                    ("no-of-records", "10"),
                    ("page-no", "1")
                ],
            )
            .await
            .error(),
        not_allowed
    );
    assert_eq!(
        other
            .post("contacts/add.json", &contact(&customer, "Theirs"))
            .await
            .error(),
        not_allowed
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn default_contacts_are_made_from_the_customer_once_and_can_be_set() {
    let app = TestApp::spawn().await;
    let customer = app.signup("defaults@example.com").await.to_string();
    let first = app
        .post(
            "contacts/default.json",
            &[
                ("customer-id", &customer),
                ("type", "Contact"),
                ("type", "UkContact"),
            ],
        )
        .await;
    first.ok();
    let made = first.body["Contact"]["registrant"]
        .as_str()
        .expect("an id")
        .to_string();
    for role in ["admin", "tech", "billing"] {
        assert_eq!(first.body["Contact"][role], made.as_str(), "{role}");
    }
    let details = &first.body["Contact"]["registrantContactDetails"];
    assert_eq!(details["contact.name"], "Asha Rao");
    assert_eq!(details["contact.emailaddr"], "defaults@example.com");
    assert_eq!(details["contact.type"], "Contact");
    assert_eq!(first.body["UkContact"]["type"], "UkContact");
    assert_ne!(first.body["UkContact"]["registrant"], made.as_str());

    let before = app.counts();
    let again = app
        .post("contacts/default.json", &[("customer-id", &customer)])
        .await;
    assert_eq!(again.ok().body["Contact"]["registrant"], made.as_str());
    assert_eq!(app.counts(), before, "the defaults are made once");

    let mine = app
        .post("contacts/add.json", &contact(&customer, "Chosen Admin"))
        .await;
    let mine = mine.ok().body.as_i64().unwrap().to_string();
    let set = app
        .post(
            "contacts/modDefault.json",
            &[
                ("customer-id", &customer),
                ("type", "Contact"),
                ("reg-contact-id", &made),
                ("admin-contact-id", &mine),
                ("tech-contact-id", &mine),
                ("billing-contact-id", &made),
            ],
        )
        .await;
    assert_eq!(set.ok().text, "true");
    let now = app
        .post("contacts/default.json", &[("customer-id", &customer)])
        .await;
    assert_eq!(now.ok().body["Contact"]["admin"], mine.as_str());
    assert_eq!(
        now.body["Contact"]["adminContactDetails"]["contact.name"],
        "Chosen Admin"
    );

    let uk = first.body["UkContact"]["registrant"]
        .as_str()
        .unwrap()
        .to_string();
    let (other, key) = app.create_reseller("other", money("10")).await;
    let before = app.counts();
    let unfit = app
        .post(
            "contacts/modDefault.json",
            &[
                ("customer-id", &customer),
                ("type", "Contact"),
                ("reg-contact-id", &uk),
                ("admin-contact-id", &mine),
                ("tech-contact-id", &mine),
                ("billing-contact-id", &made),
            ],
        )
        .await;
    assert_eq!(
        unfit.error(),
        format!("Invalid reg-contact-id: {uk}. It must be an Active Contact of the customer")
    );
    let foreign = app
        .as_reseller(other, &key)
        .post("contacts/default.json", &[("customer-id", &customer)])
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
    assert_eq!(app.counts(), before);
}

/// A contact in `country`, with registry attributes.
async fn contact_in(
    app: &crate::common::TestApp,
    customer: &str,
    country: &str,
    attributes: &[(&str, &str)],
) -> String {
    let mut params = vec![
        ("name", "Ana Silva"),
        ("company", "Silva Lda"),
        ("email", "ana@example.com"),
        ("address-line-1", "1 Rua Augusta"),
        ("city", "Lisboa"),
        ("country", country),
        ("zipcode", "1100-048"),
        ("phone-cc", "351"),
        ("phone", "213456789"),
        ("customer-id", customer),
        ("type", "Contact"),
    ];
    let names = ["attr-name1", "attr-name2"];
    let values = ["attr-value1", "attr-value2"];
    for (i, (name, value)) in attributes.iter().enumerate() {
        params.push((names[i], name));
        params.push((values[i], value));
    }
    let reply = app.post("contacts/add.json", &params).await;
    reply.ok().body.as_i64().expect("a bare id").to_string()
}

#[tokio::test]
async fn registrants_are_validated_against_each_criterion_and_set_details_is_retired() {
    let app = crate::common::TestApp::spawn().await;
    let customer = app.signup("eligible@example.com").await.to_string();
    let european = contact_in(&app, &customer, "PT", &[]).await;
    let american = contact_in(
        &app,
        &customer,
        "US",
        &[("purpose", "P1"), ("category", "C11")],
    )
    .await;
    let checked = app
        .get(
            "contacts/validate-registrant.json",
            &[
                ("contact-id", &european),
                ("contact-id", &american),
                ("eligibility-criteria", "EUROPEAN_COUNTRY"),
                ("eligibility-criteria", "APP_PREF_NEXUS"),
                ("eligibility-criteria", "CPR"),
            ],
        )
        .await;
    let body = checked.ok().body.clone();
    assert_eq!(body[&european]["EUROPEAN_COUNTRY"], "true");
    assert_eq!(body[&european]["APP_PREF_NEXUS"], "false");
    assert_eq!(body[&american]["EUROPEAN_COUNTRY"], "false");
    assert_eq!(body[&american]["APP_PREF_NEXUS"], "true");
    assert_eq!(body[&american]["CPR"], "false");
    let unsold = app
        .get(
            "contacts/validate-registrant.json",
            &[
                ("contact-id", &european),
                ("eligibility-criteria", "SPONSORS"),
            ],
        )
        .await;
    assert_eq!(
        unsold.error(),
        "Invalid eligibility-criteria: SPONSORS. It must be one of CPR, EUROPEAN_COUNTRY, APP_PREF_NEXUS"
    );
    let (stranger, key) = app
        .create_reseller("stranger", crate::common::money("10"))
        .await;
    let stranger = app.as_reseller(stranger, &key);
    let foreign = stranger
        .get(
            "contacts/validate-registrant.json",
            &[("contact-id", &european), ("eligibility-criteria", "CPR")],
        )
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
    app.refuses(
        "contacts/set-details.json",
        &[
            ("contact-id", &european),
            ("attr-name1", "locality"),
            ("attr-value1", "PT"),
        ],
        "This API Call has been deprecated. Associating extra details with a specified contact is no longer allowed and only New Contacts can be created and associated with a domain while associating extra details.",
    )
    .await;
}
