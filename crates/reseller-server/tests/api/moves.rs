//! `products/move`: a customer's orders for a name go to another customer
//! of the same reseller, a domain with its contacts copied or the new
//! customer's defaults.

use crate::common::TestApp;
use crate::domains::{a_contact, registration};

#[tokio::test]
async fn a_names_orders_move_to_another_customer_with_their_contacts() {
    let app = TestApp::spawn().await;
    let (from, _) = crate::dns::hosted_by(&app, "moving-shop.com").await;
    let to = app.signup("new-owner@example.com").await.to_string();
    let hosting = app
        .post(
            "multidomainhosting/add.json",
            &[
                ("domain-name", "moving-shop.com"),
                ("customer-id", &from),
                ("months", "1"),
                ("plan-id", "621"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let hosting = hosting.ok().s("entityid").to_string();
    // Another name of the same customer stays.
    let contact = a_contact(&app, &from).await;
    let other = app
        .post(
            "domains/register.json",
            &registration("staying-shop.com", &from, &contact, "1", "NoInvoice"),
        )
        .await;
    let other = other.ok().s("entityid").to_string();
    let domain = app
        .get(
            "domains/orderid.json",
            &[("domain-name", "moving-shop.com")],
        )
        .await;
    let domain = domain.ok().body.to_string();
    let before = app
        .get(
            "domains/details.json",
            &[("order-id", &domain), ("options", "All")],
        )
        .await;
    let old_registrant = before.ok().s("registrantcontactid").to_string();

    let moved = app
        .post(
            "products/move.json",
            &[
                ("domain-name", "moving-shop.com"),
                ("existing-customer-id", &from),
                ("new-customer-id", &to),
                ("default-contact", "oldcontact"),
            ],
        )
        .await;
    assert_eq!(moved.ok().s("status"), "Success");
    let hosted = app
        .get("multidomainhosting/details.json", &[("order-id", &hosting)])
        .await;
    assert_eq!(hosted.ok().s("customerid"), to);
    let staying = app
        .get(
            "domains/details.json",
            &[("order-id", &other), ("options", "All")],
        )
        .await;
    assert_eq!(staying.ok().s("customerid"), from);
    // The contacts: copies of the old ones, the new customer's.
    let after = app
        .get(
            "domains/details.json",
            &[("order-id", &domain), ("options", "All")],
        )
        .await;
    let new_registrant = after.ok().s("registrantcontactid").to_string();
    assert_ne!(new_registrant, old_registrant);
    let copy = app
        .get("contacts/details.json", &[("contact-id", &new_registrant)])
        .await;
    let original = app
        .get("contacts/details.json", &[("contact-id", &old_registrant)])
        .await;
    assert_eq!(copy.ok().s("customerid"), to);
    assert_eq!(original.ok().s("customerid"), from);
    for key in ["name", "company", "emailaddr", "address1", "country"] {
        assert_eq!(copy.s(key), original.s(key), "{key}");
    }
    assert_eq!(
        after.s("admincontactid"),
        new_registrant,
        "one copy per contact"
    );
    // The zone came along: the new customer's order still serves it.
    let records = app
        .get(
            "dns/manage/search-records.json",
            &[
                ("domain-name", "moving-shop.com"),
                ("type", "NS"),
                ("no-of-records", "10"),
                ("page-no", "1"),
            ],
        )
        .await;
    records.ok();

    // Refusals, each changing nothing.
    let again = app
        .post(
            "products/move.json",
            &[
                ("domain-name", "moving-shop.com"),
                ("existing-customer-id", &from),
                ("new-customer-id", &to),
            ],
        )
        .await;
    assert_eq!(
        again.error(),
        format!("Customer {from} has no order for moving-shop.com")
    );
    let same = app
        .post(
            "products/move.json",
            &[
                ("domain-name", "moving-shop.com"),
                ("existing-customer-id", &to),
                ("new-customer-id", &to),
            ],
        )
        .await;
    assert_eq!(
        same.error(),
        format!("Invalid new-customer-id: {to}. It is the existing customer")
    );
    let word = app
        .post(
            "products/move.json",
            &[
                ("domain-name", "moving-shop.com"),
                ("existing-customer-id", &to),
                ("new-customer-id", &from),
                ("default-contact", "newcontact"),
            ],
        )
        .await;
    assert!(
        word.error().contains("oldcontact, default"),
        "{}",
        word.text
    );
    let (stranger_id, stranger_key) = app
        .create_reseller("stranger", reseller_core::money::Money::from_units(10))
        .await;
    let stranger = app.as_reseller(stranger_id, &stranger_key);
    let theirs = stranger.signup("theirs@example.com").await.to_string();
    let foreign = app
        .post(
            "products/move.json",
            &[
                ("domain-name", "moving-shop.com"),
                ("existing-customer-id", &to),
                ("new-customer-id", &theirs),
            ],
        )
        .await;
    // Another reseller's customer is none of this one's business.
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", &domain), ("options", "All")],
        )
        .await;
    assert_eq!(details.ok().s("customerid"), to, "nothing moved");

    // Back with the old customer's default contacts.
    let back = app
        .post(
            "products/move.json",
            &[
                ("domain-name", "moving-shop.com"),
                ("existing-customer-id", &to),
                ("new-customer-id", &from),
                ("default-contact", "default"),
            ],
        )
        .await;
    back.ok();
    let defaults = app
        .post(
            "contacts/default.json",
            &[("customer-id", &from), ("type", "Contact")],
        )
        .await;
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", &domain), ("options", "All")],
        )
        .await;
    assert_eq!(details.ok().s("customerid"), from);
    let registrant = details.s("registrantcontactid").to_string();
    assert!(
        defaults.ok().text.contains(&registrant),
        "{registrant} in {}",
        defaults.text
    );
}

#[tokio::test]
async fn availability_says_whether_a_product_can_be_ordered_for_a_name() {
    let app = TestApp::spawn().await;
    let (customer, _) = crate::dns::hosted_by(&app, "taken-shop.com").await;
    let ask = |name: &'static str, key: &'static str| {
        let app = &app;
        async move {
            app.get(
                "products/availability.json",
                &[("domain-name", name), ("product-key", key)],
            )
            .await
        }
    };
    for (name, key, expected) in [
        ("taken-shop.com", "domorder", false),
        ("free-shop.com", "domorder", true),
        ("github.com", "domorder", false),
        ("wxyz.com", "domorder", true),
        ("taken-shop.com", "multidomainhostinglinuxus", true),
    ] {
        let reply = ask(name, key).await;
        assert_eq!(reply.ok().body, serde_json::json!(expected), "{name} {key}");
    }
    app.post(
        "multidomainhosting/add.json",
        &[
            ("domain-name", "taken-shop.com"),
            ("customer-id", &customer),
            ("months", "1"),
            ("plan-id", "621"),
            ("invoice-option", "NoInvoice"),
        ],
    )
    .await
    .ok();
    let hosting = ask("taken-shop.com", "multidomainhostinglinuxus").await;
    assert_eq!(hosting.ok().body, serde_json::json!(false));
    // Another reseller's hosting order is none of this one's business.
    let (stranger, key) = app
        .create_reseller("stranger", reseller_core::money::Money::from_units(10))
        .await;
    let stranger = app.as_reseller(stranger, &key);
    let theirs = stranger
        .get(
            "products/availability.json",
            &[
                ("domain-name", "taken-shop.com"),
                ("product-key", "multidomainhostinglinuxus"),
            ],
        )
        .await;
    assert_eq!(theirs.ok().body, serde_json::json!(true));
    let unknown = ask("taken-shop.com", "hosting").await;
    assert!(
        unknown.error().starts_with("Invalid product-key: hosting"),
        "{}",
        unknown.text
    );
}
