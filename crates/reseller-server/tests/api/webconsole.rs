//! The web console over HTTP, on both backends: signing in each way, the
//! session cookie, one reseller's data hidden from another, and forms
//! refused without their token. Its pages in a browser are
//! `.ci/console/run`'s.

use crate::common::{ADMIN_TOKEN, TestApp, money};

/// A client that keeps no cookies and follows no redirects: each test
/// hands its cookies on as a browser would.
fn browser() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn cookie_of(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn encoded(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

fn value_of(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap()
}

/// Signs in with the form's fields; answers the sign-in reply.
async fn sign_in(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    let client = browser();
    let form = client
        .get(format!("{}/console/", app.base()))
        .send()
        .await
        .unwrap();
    let pre = cookie_of(&form, "reseller_console_signin").expect("a sign-in cookie");
    let page = form.text().await.unwrap();
    let nonce = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a form token");
    let mut body = vec![("csrf", nonce)];
    body.extend_from_slice(fields);
    client
        .post(format!("{}/console/signin", app.base()))
        .header("cookie", value_of(&pre))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encoded(&body))
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, session: &str, path: &str) -> (u16, String) {
    let response = browser()
        .get(format!("{}{path}", app.base()))
        .header("cookie", session)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn each_sign_in_opens_its_own_data_in_a_strict_cookie_and_forms_need_their_token() {
    let app = TestApp::spawn().await;
    let ours = app.signup("ours@example.com").await;
    let (other, other_key) = app.create_reseller("other", money("10")).await;
    let theirs = app.as_reseller(other, &other_key);
    theirs.signup("theirs@example.com").await;

    // A wrong key gets the form again, with the API's text.
    let wrong = sign_in(&app, &[("auth-userid", "1"), ("api-key", "wrong")]).await;
    assert_eq!(wrong.status(), 200);
    assert!(cookie_of(&wrong, "reseller_console").is_none());
    assert!(wrong.text().await.unwrap().contains("Invalid credentials"));

    let key = app.api_key.clone();
    let signed = sign_in(&app, &[("auth-userid", "1"), ("api-key", &key)]).await;
    assert_eq!(signed.status(), 303);
    let set = cookie_of(&signed, "reseller_console").expect("a session");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(set.contains(attribute), "{set}");
    }
    assert!(!set.contains(&key), "the key is not in the cookie");
    let session = value_of(&set).to_string();

    let (status, customers) = get(&app, &session, "/console/customers").await;
    assert_eq!(status, 200);
    assert!(customers.contains("ours@example.com") && !customers.contains("theirs@example.com"));
    let (_, asked) = get(
        &app,
        &session,
        &format!("/console/customers?reseller={other}"),
    )
    .await;
    assert!(
        !asked.contains("theirs@example.com"),
        "a reseller sees its own whatever it asks"
    );
    let (status, _) = get(&app, &session, "/console/journal").await;
    assert_eq!(status, 403, "the sandbox is the admin's");
    let (status, _) = get(&app, "", "/console/customers").await;
    assert_eq!(status, 303, "no session: to the sign-in form");

    // A post without the session's form token changes nothing.
    let forged = browser()
        .post(format!("{}/console/signout", app.base()))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encoded(&[("csrf", "forged")]))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let no_form = browser()
        .post(format!("{}/console/signin", app.base()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encoded(&[("csrf", "x"), ("admin-token", ADMIN_TOKEN)]))
        .send()
        .await
        .unwrap();
    assert_eq!(no_form.status(), 403, "a sign-in needs its form's cookie");

    // The admin token sees both resellers and the sandbox.
    let admin = sign_in(&app, &[("admin-token", ADMIN_TOKEN)]).await;
    assert_eq!(admin.status(), 303);
    let admin = value_of(&cookie_of(&admin, "reseller_console").unwrap()).to_string();
    let (_, overview) = get(&app, &admin, "/console/").await;
    assert!(overview.contains("Demo Reseller") && overview.contains("other"));
    let (_, theirs_page) = get(
        &app,
        &admin,
        &format!("/console/customers?reseller={other}"),
    )
    .await;
    assert!(theirs_page.contains("theirs@example.com"));
    let (status, _) = get(&app, &admin, "/console/journal").await;
    assert_eq!(status, 200);
    let (status, order_page) =
        get(&app, &session, &format!("/console/orders/{}", ours + 1000)).await;
    assert_eq!(status, 404, "{order_page}");
}

/// The form token a session's page carries.
fn csrf_in(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a form token")
        .to_string()
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server_even_for_a_kept_cookie() {
    let app = TestApp::spawn().await;
    let key = app.api_key.clone();
    let signed = sign_in(&app, &[("auth-userid", "1"), ("api-key", &key)]).await;
    let session = value_of(&cookie_of(&signed, "reseller_console").unwrap()).to_string();
    let other = sign_in(&app, &[("auth-userid", "1"), ("api-key", &key)]).await;
    let other = value_of(&cookie_of(&other, "reseller_console").unwrap()).to_string();
    let (status, overview) = get(&app, &session, "/console/").await;
    assert_eq!(status, 200);
    let csrf = csrf_in(&overview);

    let post = |cookie: String, csrf: String| {
        let app = &app;
        async move {
            browser()
                .post(format!("{}/console/signout", app.base()))
                .header("cookie", cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encoded(&[("csrf", &csrf)]))
                .send()
                .await
                .unwrap()
        }
    };
    let out = post(session.clone(), csrf.clone()).await;
    assert_eq!(out.status(), 303);

    // Whoever kept the cookie and its form token gets nothing with them.
    let (status, _) = get(&app, &session, "/console/customers").await;
    assert_eq!(status, 303, "a signed-out cookie opens no page");
    let (status, home) = get(&app, &session, "/console/").await;
    assert_eq!(status, 200);
    assert!(
        home.contains("api-key") && !home.contains("/console/signout"),
        "{home}"
    );
    let again = post(session.clone(), csrf).await;
    assert_eq!(again.status(), 303, "its form posts go to the sign-in form");
    assert_eq!(again.headers()["location"], "/console/");

    // A reset of the sandbox does not bring it back; another session of
    // the same reseller is untouched.
    let (status, _) = app.control(reqwest::Method::POST, "reset", None).await;
    assert_eq!(status, 200);
    let (status, _) = get(&app, &session, "/console/customers").await;
    assert_eq!(status, 303, "still signed out after a reset");
    let (status, _) = get(&app, &other, "/console/customers").await;
    assert_eq!(status, 200, "the other session still works");
}

#[tokio::test]
async fn a_domains_order_page_shows_its_hosted_zone() {
    let app = TestApp::spawn().await;
    let customer = app.signup("zone-page@example.com").await;
    let c = customer.to_string();
    let contact = crate::domains::a_contact(&app, &c).await;
    let order = app
        .post(
            "domains/register.json",
            &crate::domains::registration("zone-page.com", &c, &contact, "1", "NoInvoice"),
        )
        .await;
    let order = order.ok().s("entityid").to_string();
    let key = app.api_key.clone();
    let signed = sign_in(&app, &[("auth-userid", "1"), ("api-key", &key)]).await;
    let session = value_of(&cookie_of(&signed, "reseller_console").unwrap()).to_string();
    let path = format!("/console/orders/{order}");
    let (_, before) = get(&app, &session, &path).await;
    assert!(!before.contains("DNS zone"), "no zone before activation");

    app.post("dns/activate.json", &[("order-id", &order)])
        .await
        .ok();
    app.post(
        "dns/manage/add-mx-record.json",
        &[
            ("domain-name", "zone-page.com"),
            ("value", "mail.zone-page.com"),
        ],
    )
    .await
    .ok();
    let (status, page) = get(&app, &session, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("DNS zone (serial "), "{page}");
    assert!(
        page.contains("<td>MX</td><td>@</td><td>mail.zone-page.com</td><td class=\"num\">14400</td><td class=\"num\">10</td>"),
        "{page}"
    );
}

#[tokio::test]
async fn a_business_email_orders_page_shows_its_mailboxes() {
    let app = TestApp::spawn().await;
    let customer = app.signup("mail-page@example.com").await.to_string();
    let order = app
        .post(
            "eelite/us/add.json",
            &[
                ("domain-name", "mail-page.com"),
                ("customer-id", &customer),
                ("months", "1"),
                ("no-of-accounts", "2"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = order.ok().s("entityid").to_string();
    let key = app.api_key.clone();
    let signed = sign_in(&app, &[("auth-userid", "1"), ("api-key", &key)]).await;
    let session = value_of(&cookie_of(&signed, "reseller_console").unwrap()).to_string();
    let path = format!("/console/orders/{order}");
    let (_, before) = get(&app, &session, &path).await;
    assert!(!before.contains("Mail accounts"), "none before the first");
    app.post(
        "mail/user/add.json",
        &[
            ("order-id", &order),
            ("email", "ana@mail-page.com"),
            ("passwd", "secret123"),
            ("first-name", "Ana"),
            ("last-name", "<Lima>"),
        ],
    )
    .await;
    app.post(
        "mail/user/add-forward-only-account.json",
        &[
            ("order-id", &order),
            ("email", "sales@mail-page.com"),
            ("forwards", "ana@mail-page.com"),
        ],
    )
    .await;
    let (status, page) = get(&app, &session, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Mail accounts (1 of 2 mailboxes)"), "{page}");
    assert!(
        page.contains(
            "<td>ana@mail-page.com</td><td>mailbox</td><td>Active</td><td>Ana &lt;Lima&gt;</td>"
        ),
        "escaped: {page}"
    );
    assert!(
        page.contains("<td>sales@mail-page.com</td><td>forward-only</td><td>Active</td><td> </td><td>ana@mail-page.com</td>"),
        "{page}"
    );
}

#[tokio::test]
async fn an_ssl_orders_page_shows_its_certificate() {
    let app = TestApp::spawn().await;
    let customer = app.signup("cert-page@example.com").await.to_string();
    let order = app
        .post(
            "sslcert/add.json",
            &[
                ("domain-name", "cert-page.com"),
                ("customer-id", &customer),
                ("months", "12"),
                ("plan-id", "701"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = order.ok().s("entityid").to_string();
    let key = app.api_key.clone();
    let signed = sign_in(&app, &[("auth-userid", "1"), ("api-key", &key)]).await;
    let session = value_of(&cookie_of(&signed, "reseller_console").unwrap()).to_string();
    let path = format!("/console/orders/{order}");
    let (_, before) = get(&app, &session, &path).await;
    assert!(
        !before.contains("<caption>Certificate</caption>"),
        "none before enrolling"
    );
    let csr = crate::common::every_call::certificate_request("cert-page.com");
    app.post(
        "sslcert/enroll.json",
        &[
            ("order-id", &order),
            ("csr", &csr),
            ("verification-method", "dns"),
        ],
    )
    .await
    .ok();
    let (status, page) = get(&app, &session, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("<caption>Certificate</caption>"), "{page}");
    assert!(
        page.contains("<th scope=\"row\">Status</th><td>Pending</td>"),
        "{page}"
    );
    assert!(page.contains("<td>cert-page.com</td>"), "{page}");
}

#[tokio::test]
async fn a_parent_issues_its_sub_resellers_a_key_in_the_console_and_no_one_elses() {
    let app = TestApp::spawn().await;
    let sub = app
        .post(
            "resellers/signup.json",
            &crate::common::reseller_signup("console-sub@example.com"),
        )
        .await
        .body
        .as_i64()
        .unwrap();
    let (other, other_key) = app.create_reseller("other", money("10")).await;
    let foreign = app
        .as_reseller(other, &other_key)
        .post(
            "resellers/signup.json",
            &crate::common::reseller_signup("foreign-sub@example.com"),
        )
        .await
        .body
        .as_i64()
        .unwrap();

    let key = app.api_key.clone();
    let signed = sign_in(&app, &[("auth-userid", "1"), ("api-key", &key)]).await;
    let session = value_of(&cookie_of(&signed, "reseller_console").unwrap()).to_string();
    let (status, listed) = get(&app, &session, "/console/resellers").await;
    assert_eq!(status, 200);
    assert!(listed.contains("console-sub@example.com"), "{listed}");
    assert!(!listed.contains("foreign-sub@example.com"), "only its own");
    let csrf = csrf_in(&listed);
    let post = |sub: i64| {
        browser()
            .post(format!("{}/console/resellers/api-key", app.base()))
            .header("cookie", &session)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encoded(&[
                ("csrf", &csrf),
                ("sub-reseller", &sub.to_string()),
            ]))
            .send()
    };
    let issued = post(sub).await.unwrap();
    assert_eq!(issued.status(), 200);
    let page = issued.text().await.unwrap();
    let shown = page
        .split("<code id=\"issued-key\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the new key on the page")
        .to_string();
    // The key shown signs the sub-reseller in.
    let as_sub = app.as_reseller(sub, &shown);
    let details = as_sub.get("resellers/details.json", &[]).await;
    assert_eq!(details.ok().s("resellerid"), sub.to_string());
    // Another reseller's sub-reseller is refused, and keeps having no key.
    let before = app.counts();
    let refused = post(foreign).await.unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(app.counts(), before);

    // Suspended, its key signs nothing in; reactivated, it does again.
    let status = |sub: i64, active: &'static str| {
        browser()
            .post(format!("{}/console/resellers/status", app.base()))
            .header("cookie", &session)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encoded(&[
                ("csrf", &csrf),
                ("sub-reseller", &sub.to_string()),
                ("active", active),
            ]))
            .send()
    };
    let suspended = status(sub, "false").await.unwrap();
    assert_eq!(suspended.status(), 200);
    assert!(suspended.text().await.unwrap().contains("Reactivate"));
    let locked_out = as_sub.get("resellers/details.json", &[]).await;
    assert!(
        locked_out.error().starts_with("Invalid credentials"),
        "{}",
        locked_out.text
    );
    let parent_view = app
        .get(
            "resellers/details.json",
            &[("reseller-id", &sub.to_string())],
        )
        .await;
    assert_eq!(parent_view.ok().s("resellerstatus"), "Suspended");
    status(sub, "true").await.unwrap();
    as_sub.get("resellers/details.json", &[]).await.ok();
    let before = app.counts();
    assert_eq!(status(foreign, "false").await.unwrap().status(), 403);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn the_admin_makes_resets_and_removes_tenants_and_moves_a_tenants_clock_alone() {
    let app = TestApp::spawn().await;
    let signed = sign_in(&app, &[("admin-token", crate::common::ADMIN_TOKEN)]).await;
    let session = value_of(&cookie_of(&signed, "reseller_console").unwrap()).to_string();
    let (status, listed) = get(&app, &session, "/console/tenants").await;
    assert_eq!(status, 200, "{listed}");
    let csrf = csrf_in(&listed);
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let mut body: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        body.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        browser()
            .post(format!("{}/console/{path}", app.base()))
            .header("cookie", &session)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encoded(&body))
            .send()
    };
    let made = post(
        "tenants",
        vec![("funds", "75".to_string()), ("clock", "true".to_string())],
    )
    .await
    .unwrap();
    assert_eq!(made.status(), 200);
    let page = made.text().await.unwrap();
    let key = page
        .split("<code id=\"tenant-key\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the new key on the page")
        .to_string();
    let id = page
        .split("Tenant ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|id| id.parse::<i64>().ok())
        .expect("the new tenant's id");
    let tenant = app.as_reseller(id, &key);
    assert_eq!(tenant.reseller_balance().await, money("75"));
    assert!(page.contains("(its own clock)"), "{page}");

    // The clock page of a tenant moves its clock alone.
    let moved = browser()
        .post(format!("{}/console/clock", app.base()))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encoded(&[
            ("csrf", &csrf),
            ("reseller", &id.to_string()),
            ("days", "4"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    assert!(moved.text().await.unwrap().contains("a clock of its own"));
    let (_, clock) = app
        .control(reqwest::Method::GET, &format!("tenants/{id}/clock"), None)
        .await;
    assert_eq!(clock["offset_seconds"], 4 * 86_400);
    let (_, global) = app.control(reqwest::Method::GET, "clock", None).await;
    assert_eq!(global["offset_seconds"], 0);

    // Signed in as the tenant, its overview reads its own clock.
    let own = sign_in(&app, &[("auth-userid", &id.to_string()), ("api-key", &key)]).await;
    let own = value_of(&cookie_of(&own, "reseller_console").unwrap()).to_string();
    let (_, overview) = get(&app, &own, "/console/").await;
    let shown = reseller_core::time::format_utc(crate::common::now() + 4 * 86_400);
    assert!(
        overview.contains(&shown[..10]),
        "{shown} in the tenant's overview: {overview}"
    );

    let customer = tenant.signup("console-tenant@example.com").await;
    let reset = post("tenants/reset", vec![("tenant", id.to_string())])
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);
    assert!(
        reset
            .text()
            .await
            .unwrap()
            .contains(&format!("Tenant {id} reset."))
    );
    let gone = tenant
        .get(
            "customers/details-by-id.json",
            &[("customer-id", &customer.to_string())],
        )
        .await;
    assert_eq!(gone.body["status"], "ERROR", "{}", gone.text);
    let removed = post("tenants/delete", vec![("tenant", id.to_string())])
        .await
        .unwrap();
    assert_eq!(removed.status(), 200);
    let (status, _) = app
        .control(reqwest::Method::GET, &format!("tenants/{id}"), None)
        .await;
    assert_eq!(status, 404);
}
