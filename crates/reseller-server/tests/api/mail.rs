//! The mail accounts inside a Business Email order (`mail/*`), as a
//! reseller's code drives them: the order's limit, every account call, the
//! mail domain and its records in a hosted zone, mailing lists, and the
//! family's own dialect for replies and refusals.

use crate::common::{Reply, TestApp};
use serde_json::Value;

/// A Business Email order of `accounts` for `domain`, paid at once.
async fn mail_order(app: &TestApp, domain: &str, accounts: &str) -> String {
    let customer = app.signup(&format!("owner@{domain}")).await.to_string();
    let added = app
        .post(
            "eelite/us/add.json",
            &[
                ("domain-name", domain),
                ("customer-id", &customer),
                ("months", "1"),
                ("no-of-accounts", accounts),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    added.ok().s("entityid").to_string()
}

/// The `response` of a call that succeeded.
fn success(reply: &Reply) -> &Value {
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body["response"]["status"], "SUCCESS",
        "{}",
        reply.text
    );
    &reply.body["response"]
}

/// The message and code of a refusal in the family's dialect.
fn failure(reply: &Reply) -> (String, String) {
    assert_eq!(reply.status, 200, "{}", reply.text);
    let response = &reply.body["response"];
    assert_eq!(response["status"], "FAILURE", "{}", reply.text);
    (
        response["message"].as_str().expect("a message").to_string(),
        response["errorCode"].as_str().expect("a code").to_string(),
    )
}

/// The order's mail as kept, to show a refusal changed nothing.
async fn kept(app: &TestApp, order: &str) -> Option<reseller_core::mailboxes::MailDomain> {
    app.order(order.parse().unwrap()).await.attrs.mail
}

async fn add_mailbox(app: &TestApp, order: &str, email: &str, password: &str) -> Reply {
    app.post(
        "mail/user/add.json",
        &[
            ("order-id", order),
            ("email", email),
            ("passwd", password),
            ("notification-email", "owner@example.net"),
            ("first-name", "Ana"),
            ("last-name", "Lima"),
            ("country-code", "US"),
            ("language-code", "en"),
        ],
    )
    .await
}

#[tokio::test]
async fn an_order_holds_as_many_mailboxes_as_its_accounts_and_forward_only_ones_besides() {
    let app = TestApp::spawn().await;
    let order = mail_order(&app, "limits.example.com", "2").await;
    for who in ["a", "b"] {
        let added = add_mailbox(
            &app,
            &order,
            &format!("{who}@limits.example.com"),
            "secret123",
        )
        .await;
        let user = &success(&added)["user"];
        assert_eq!(user["emailAddress"], format!("{who}@limits.example.com"));
        assert_eq!(user["quotaLimit"], 5_242_880);
        assert_eq!(user["accountType"], "POP_WITHOUT_AUTORESPONDER");
    }
    let before = kept(&app, &order).await;
    let third = add_mailbox(&app, &order, "c@limits.example.com", "secret123").await;
    let (message, code) = failure(&third);
    assert_eq!(
        message,
        format!(
            "You have exhausted the number of email accounts of order {order}: it holds 2; add accounts to the order first"
        )
    );
    assert_eq!(code, "account_limit_exceeded");
    assert_eq!(kept(&app, &order).await, before, "nothing changed");

    // Forward-only accounts hold no mail and do not count.
    let forward = app
        .post(
            "mail/user/add-forward-only-account.json",
            &[
                ("order-id", &order),
                ("email", "sales@limits.example.com"),
                ("forwards", "a@limits.example.com, Boss@Example.net"),
            ],
        )
        .await;
    let user = &success(&forward)["user"];
    assert_eq!(user["accountType"], "FORWARD_ONLY");
    assert_eq!(
        user["internalForwards"],
        "a@limits.example.com,boss@example.net"
    );

    // The order cannot shrink below its mailboxes; it can grow.
    let before = kept(&app, &order).await;
    let shrink = app
        .post(
            "eelite/us/delete-email-account.json",
            &[("order-id", &order), ("no-of-accounts", "1")],
        )
        .await;
    assert_eq!(
        shrink.error(),
        "Cannot reduce the email accounts to 1: the order holds 2 mailboxes; delete mailboxes first"
    );
    assert_eq!(kept(&app, &order).await, before);
    app.post(
        "eelite/us/add-email-account.json",
        &[
            ("order-id", &order),
            ("no-of-accounts", "1"),
            ("invoice-option", "NoInvoice"),
        ],
    )
    .await
    .ok();
    success(&add_mailbox(&app, &order, "c@limits.example.com", "secret123").await);
    let search = app
        .get("mail/users/search.json", &[("order-id", &order)])
        .await;
    assert_eq!(success(&search)["totalRecords"], 4);
}

#[tokio::test]
async fn a_mailbox_is_managed_through_its_life() {
    let app = TestApp::spawn().await;
    let order = mail_order(&app, "life.example.com", "5").await;
    let email = "ana@life.example.com";
    success(&add_mailbox(&app, &order, email, "firstpass1").await);
    let account = [("order-id", order.as_str()), ("email", email)];
    let authenticate = |password: &'static str| {
        let order = order.clone();
        let app = &app;
        async move {
            app.get(
                "mail/user/authenticate.json",
                &[("order-id", &order), ("email", email), ("passwd", password)],
            )
            .await
        }
    };
    assert_eq!(
        success(&authenticate("firstpass1").await)["user"]["emailAddress"],
        email
    );
    let (message, code) = failure(&authenticate("wrongpass1").await);
    assert_eq!(
        message,
        "Authentication failed: wrong email address or password, or the account is suspended"
    );
    assert_eq!(code, "authentication_failed");
    let stored = kept(&app, &order).await.unwrap().accounts[0]
        .password_hash
        .clone();
    assert!(stored.starts_with("$argon2id$"), "hashed at rest: {stored}");
    assert!(!stored.contains("firstpass1"));

    let modify = app
        .post(
            "mail/user/modify.json",
            &[
                ("order-id", &order),
                ("email", email),
                ("notification-email", "ana@example.org"),
                ("first-name", "Ana"),
                ("last-name", "Souza"),
            ],
        )
        .await;
    success(&modify);
    let details = app.get("mail/user.json", &account).await;
    let user = &success(&details)["user"];
    assert_eq!(user["lastName"], "Souza");
    assert_eq!(user["alternateEmailAddress"], "ana@example.org");

    let wrong_old = app
        .post(
            "mail/user/change-password.json",
            &[
                ("order-id", &order),
                ("email", email),
                ("old-passwd", "notmine99"),
                ("new-passwd", "secondpass2"),
            ],
        )
        .await;
    assert_eq!(
        failure(&wrong_old).0,
        "Invalid old-passwd: it does not match the account's password"
    );
    success(
        &app.post(
            "mail/user/change-password.json",
            &[
                ("order-id", &order),
                ("email", email),
                ("old-passwd", "firstpass1"),
                ("new-passwd", "secondpass2"),
            ],
        )
        .await,
    );
    failure(&authenticate("firstpass1").await);
    success(&authenticate("secondpass2").await);

    let reset = app.post("mail/user/reset-password.json", &account).await;
    let fresh = success(&reset)["data"].as_str().unwrap().to_string();
    let with_fresh = app
        .get(
            "mail/user/authenticate.json",
            &[("order-id", &order), ("email", email), ("passwd", &fresh)],
        )
        .await;
    success(&with_fresh);
    failure(&authenticate("secondpass2").await);

    success(&app.post("mail/user/suspend.json", &account).await);
    let suspended = app.get("mail/user.json", &account).await;
    assert_eq!(success(&suspended)["user"]["status"], "SUSPENDED");
    let refused = app
        .get(
            "mail/user/authenticate.json",
            &[("order-id", &order), ("email", email), ("passwd", &fresh)],
        )
        .await;
    failure(&refused);
    success(&app.post("mail/user/unsuspend.json", &account).await);

    let autoresponder = app
        .post(
            "mail/user/update-autoresponder.json",
            &[
                ("order-id", &order),
                ("email", email),
                ("is-autoresponder-on", "true"),
                ("subject", "Away"),
                ("message", "Back Monday"),
            ],
        )
        .await;
    success(&autoresponder);
    for (call, forwards) in [
        (
            "mail/user/add-user-forwards.json",
            "ana@example.net,team@example.net",
        ),
        ("mail/user/add-admin-forwards.json", "audit@example.net"),
        ("mail/user/delete-user-forwards.json", "team@example.net"),
    ] {
        success(
            &app.post(
                call,
                &[
                    ("order-id", &order),
                    ("email", email),
                    ("forwards", forwards),
                ],
            )
            .await,
        );
    }
    let details = app.get("mail/user.json", &account).await;
    let user = &success(&details)["user"];
    assert_eq!(user["accountType"], "POP_WITH_AUTORESPONDER");
    assert_eq!(user["internalForwards"], "ana@example.net");
    assert_eq!(user["adminForwards"], "audit@example.net");
    let not_there = app
        .post(
            "mail/user/delete-admin-forwards.json",
            &[
                ("order-id", &order),
                ("email", email),
                ("forwards", "x@example.net"),
            ],
        )
        .await;
    assert_eq!(
        failure(&not_there).0,
        "x@example.net is not a forward of ana@life.example.com"
    );

    success(&app.post("mail/user/delete.json", &account).await);
    let gone = app.get("mail/user.json", &account).await;
    assert_eq!(
        failure(&gone),
        (
            "Email address ana@life.example.com does not exist".to_string(),
            "emailaddress_does_not_exist".to_string()
        )
    );
}

#[tokio::test]
async fn many_accounts_are_suspended_searched_and_deleted_at_once() {
    let app = TestApp::spawn().await;
    let order = mail_order(&app, "many.example.com", "5").await;
    for who in ["ana", "bea", "cid"] {
        success(
            &add_mailbox(
                &app,
                &order,
                &format!("{who}@many.example.com"),
                "secret123",
            )
            .await,
        );
    }
    let two = "ana@many.example.com,bea@many.example.com";
    success(
        &app.post(
            "mail/users/suspend.json",
            &[("order-id", &order), ("emails", two)],
        )
        .await,
    );
    let search = |params: Vec<(&'static str, &'static str)>| {
        let order = order.clone();
        let app = &app;
        async move {
            let mut all = vec![("order-id", order.as_str())];
            all.extend(params);
            let reply = app.get("mail/users/search.json", &all).await;
            success(&reply)["users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["emailAddress"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        search(vec![("statuses", "suspended")]).await,
        ["ana@many.example.com", "bea@many.example.com"]
    );
    assert_eq!(
        search(vec![("statuses", "active")]).await,
        ["cid@many.example.com"]
    );
    assert_eq!(
        search(vec![("email-pattern", "b*")]).await,
        ["bea@many.example.com"]
    );
    assert!(
        search(vec![("account-types", "forward_only")])
            .await
            .is_empty()
    );

    // One unknown address refuses the whole call.
    let before = kept(&app, &order).await;
    let partly = app
        .post(
            "mail/users/delete.json",
            &[
                ("order-id", &order),
                ("emails", "cid@many.example.com,zed@many.example.com"),
            ],
        )
        .await;
    assert_eq!(failure(&partly).1, "emailaddress_does_not_exist");
    assert_eq!(kept(&app, &order).await, before);
    success(
        &app.post(
            "mail/users/unsuspend.json",
            &[("order-id", &order), ("emails", two)],
        )
        .await,
    );
    success(
        &app.post(
            "mail/users/delete.json",
            &[("order-id", &order), ("emails", two)],
        )
        .await,
    );
    assert_eq!(search(vec![]).await, ["cid@many.example.com"]);
}

#[tokio::test]
async fn refusals_speak_the_familys_dialect_and_change_nothing() {
    let app = TestApp::spawn().await;
    let order = mail_order(&app, "refuse.example.com", "3").await;
    success(&add_mailbox(&app, &order, "ana@refuse.example.com", "secret123").await);
    let (other, key) = app
        .create_reseller("other", crate::common::money("10"))
        .await;
    let stranger = app.as_reseller(other, &key);
    let before = kept(&app, &order).await;
    /// Who asks, with what, and the start of the message and the code.
    type Case<'a> = (&'a TestApp, Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            &app,
            vec![
                ("order-id", &order),
                ("email", "not-an-address"),
                ("passwd", "secret123"),
            ],
            "Invalid email: not-an-address. It must be an email address of at most 64 characters",
            "invalid_parameter",
        ),
        (
            &app,
            vec![
                ("order-id", &order),
                ("email", "bo@refuse.example.com"),
                ("passwd", "short"),
            ],
            "Invalid passwd: (hidden). It must be 8 to 64 characters long with at least one letter and one digit",
            "invalid_parameter",
        ),
        (
            &app,
            vec![("order-id", &order), ("email", "bo@refuse.example.com")],
            "Required parameter missing: passwd",
            "invalid_parameter",
        ),
        (
            &app,
            vec![
                ("order-id", &order),
                ("email", "bo@refuse.example.com"),
                ("passwd", "secret123"),
                ("notify-email", "x@example.net"),
            ],
            "Unsupported parameter: notify-email. This call takes",
            "invalid_parameter",
        ),
        (
            &app,
            vec![
                ("order-id", &order),
                ("email", "bo@elsewhere.example.com"),
                ("passwd", "secret123"),
            ],
            "Email address bo@elsewhere.example.com is not of the order's domain refuse.example.com",
            "operation_not_allowed",
        ),
        (
            &app,
            vec![
                ("order-id", &order),
                ("email", "ANA@refuse.example.com"),
                ("passwd", "secret123"),
            ],
            "Email address is already registered with us: ana@refuse.example.com",
            "emailaddress_unique_key_voilation",
        ),
        (
            &stranger,
            vec![
                ("order-id", &order),
                ("email", "bo@refuse.example.com"),
                ("passwd", "secret123"),
            ],
            "",
            "order_not_active",
        ),
    ];
    for (who, params, text, code) in cases {
        let reply = who.post("mail/user/add.json", &params).await;
        let (message, got) = failure(&reply);
        assert!(message.starts_with(text), "{params:?}: {message}");
        assert_eq!(got, code, "{params:?}: {message}");
        assert_eq!(
            kept(&app, &order).await,
            before,
            "{params:?} changed something"
        );
    }
    // A call outside the family keeps the common envelope, and so does a
    // refusal of the wire before the call is known.
    let unknown = app.get("mail/nothing.json", &[]).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["status"], "ERROR");
}

#[tokio::test]
async fn deleting_the_order_deletes_its_mailboxes() {
    let app = TestApp::spawn().await;
    let order = mail_order(&app, "closing.example.com", "2").await;
    success(&add_mailbox(&app, &order, "ana@closing.example.com", "secret123").await);
    assert!(kept(&app, &order).await.is_some());
    app.post("eelite/us/delete.json", &[("order-id", &order)])
        .await
        .ok();
    assert_eq!(kept(&app, &order).await, None, "the mailboxes went with it");
    let after = app
        .get(
            "mail/user.json",
            &[("order-id", &order), ("email", "ana@closing.example.com")],
        )
        .await;
    assert_eq!(
        failure(&after),
        (
            format!("Email service is not active for order {order}: it is Deleted"),
            "order_not_active".to_string()
        )
    );
}

#[tokio::test]
async fn the_mail_domain_keeps_its_catch_all_aliases_and_lists() {
    let app = TestApp::spawn().await;
    let order = mail_order(&app, "domain.example.com", "3").await;
    success(&add_mailbox(&app, &order, "ana@domain.example.com", "secret123").await);
    let o = [("order-id", order.as_str())];
    let none = app.get("mail/domain/catchall.json", &o).await;
    assert_eq!(success(&none)["catchAllActive"], false);
    let unknown = app
        .post(
            "mail/domain/active-catchall.json",
            &[("order-id", &order), ("email", "zed@domain.example.com")],
        )
        .await;
    assert_eq!(failure(&unknown).1, "emailaddress_does_not_exist");
    success(
        &app.post(
            "mail/domain/active-catchall.json",
            &[("order-id", &order), ("email", "ana@domain.example.com")],
        )
        .await,
    );
    let on = app.get("mail/domain/catchall.json", &o).await;
    assert_eq!(success(&on)["catchAllEmail"], "ana@domain.example.com");
    success(&app.post("mail/domain/deactivate-catchall.json", &o).await);

    let alias = [
        ("order-id", order.as_str()),
        ("alias", "domain.example.org"),
    ];
    success(&app.post("mail/domain/add-alias.json", &alias).await);
    assert_eq!(
        failure(&app.post("mail/domain/add-alias.json", &alias).await).0,
        "Domain alias domain.example.org already exists"
    );
    success(&app.post("mail/domain/delete-alias.json", &alias).await);
    failure(&app.post("mail/domain/delete-alias.json", &alias).await);

    let list = "news@domain.example.com";
    let add = |reply_to: &'static str| {
        let order = order.clone();
        let app = &app;
        async move {
            app.post(
                "mail/mailinglist/add.json",
                &[
                    ("order-id", &order),
                    ("list-address", list),
                    ("subscription-held", "false"),
                    ("who-can-post", "only_members"),
                    ("send-messages-for-moderation", "false"),
                    ("reply-to", reply_to),
                    ("moderators", "ana@domain.example.com"),
                ],
            )
            .await
        }
    };
    assert_eq!(
        failure(&add("custom_address").await).0,
        "Required parameter missing: custom-email"
    );
    success(&add("sender").await);
    assert_eq!(
        failure(&add("sender").await).1,
        "emailaddress_unique_key_voilation"
    );
    let of_list = [("order-id", order.as_str()), ("list-address", list)];
    success(
        &app.post(
            "mail/mailinglist/add-subscribers.json",
            &[
                ("order-id", &order),
                ("list-address", list),
                ("subscribers", "a@example.net,b@example.net"),
            ],
        )
        .await,
    );
    success(
        &app.post(
            "mail/mailinglist/delete-subscribers.json",
            &[
                ("order-id", &order),
                ("list-address", list),
                ("subscribers", "a@example.net"),
            ],
        )
        .await,
    );
    let subscribers = app.get("mail/mailinglist/subscribers.json", &of_list).await;
    assert_eq!(
        success(&subscribers)["subscribers"],
        serde_json::json!(["b@example.net"])
    );
    let last = app
        .post(
            "mail/mailinglist/delete-moderators.json",
            &[
                ("order-id", &order),
                ("list-address", list),
                ("moderators", "ana@domain.example.com"),
            ],
        )
        .await;
    assert_eq!(
        failure(&last).0,
        "Mailing list news@domain.example.com keeps at least one moderator"
    );
    let lists = app.get("mail/mailinglists.json", &o).await;
    let lists = &success(&lists)["mailingLists"];
    assert_eq!(lists[0]["listAddress"], list);
    assert_eq!(lists[0]["subscriberCount"], 1);
    success(&app.post("mail/mailinglist/delete.json", &of_list).await);
    assert_eq!(
        failure(&app.get("mail/mailinglist/subscribers.json", &of_list).await).1,
        "mailinglist_does_not_exist"
    );
}

#[tokio::test]
async fn activating_mail_publishes_its_records_in_a_zone_hosted_here() {
    let app = TestApp::spawn().await;
    let name = "mailzone.com";
    let (customer, _) = crate::dns::hosted_by(&app, name).await;
    let added = app
        .post(
            "eelite/us/add.json",
            &[
                ("domain-name", name),
                ("customer-id", &customer),
                ("months", "1"),
                ("no-of-accounts", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let o = [("order-id", order.as_str())];
    let records = app.get("mail/domain/dns-records.json", &o).await;
    let records = success(&records)["records"].as_array().unwrap().clone();
    assert_eq!(records.len(), 3, "two MX and SPF: {records:?}");
    let verified = app.get("mail/domain/is-owernship-verified.json", &o).await;
    assert_eq!(success(&verified)["isOwnershipVerified"], false);

    let activated = app.post("mail/activate.json", &o).await;
    assert_eq!(success(&activated)["dnsRecordsAdded"], 3);
    let again = app.post("mail/activate.json", &o).await;
    assert_eq!(success(&again)["dnsRecordsAdded"], 0, "nothing twice");
    let verified = app.get("mail/domain/is-owernship-verified.json", &o).await;
    assert_eq!(success(&verified)["isOwnershipVerified"], true);

    let server = reseller_server::dns_server::listen("127.0.0.1:0", app.store.clone())
        .await
        .unwrap();
    let dig = crate::dns::over_the_wire::dig;
    let mx = dig(server.port(), &["+short", name, "MX"]).await;
    assert_eq!(mx, "10 mx1.reseller.example.\n20 mx2.reseller.example.");
    let txt = dig(server.port(), &["+short", name, "TXT"]).await;
    assert_eq!(txt, "\"v=spf1 include:spf.reseller.example ~all\"");

    // Without a hosted zone, activation adds nothing and says so.
    let elsewhere = mail_order(&app, "nozone.example.com", "1").await;
    let plain = app
        .post("mail/activate.json", &[("order-id", &elsewhere)])
        .await;
    assert_eq!(success(&plain)["dnsRecordsAdded"], 0);
}
