//! SSL certificates: a key and CSR made with `openssl`, the request
//! enrolled and validated by DNS in a zone hosted here, and the certificate
//! the sandbox authority issues checked with `openssl verify` against the
//! root the control plane hands out.

use crate::common::{ADMIN_TOKEN, TestApp};
use std::path::Path;
use std::process::Command;

/// Runs `openssl` with `args` in `dir`; answers its standard output.
fn openssl(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(output.status.success(), "openssl {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// A new key of `bits` and a CSR for `names` (the first its common name).
fn csr(dir: &Path, stem: &str, bits: u32, names: &[&str]) -> String {
    let san = names
        .iter()
        .map(|n| format!("DNS:{n}"))
        .collect::<Vec<_>>()
        .join(",");
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-newkey",
            &format!("rsa:{bits}"),
            "-nodes",
            "-keyout",
            &format!("{stem}.key"),
            "-out",
            &format!("{stem}.csr"),
            "-subj",
            &format!("/CN={}", names[0]),
            "-addext",
            &format!("subjectAltName={san}"),
        ],
    );
    std::fs::read_to_string(dir.join(format!("{stem}.csr"))).unwrap()
}

async fn root(app: &TestApp) -> String {
    let response = app
        .client
        .get(format!("{}/_reseller/ca", app.base()))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/x-pem-file");
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_certificate_validated_by_dns_is_issued_and_openssl_verifies_it() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let name = "secure-shop.com";
    let (customer, _) = crate::dns::hosted_by(&app, name).await;
    let added = app
        .post(
            "sslcert/add.json",
            &[
                ("domain-name", name),
                ("customer-id", &customer),
                ("months", "12"),
                ("plan-id", "701"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let request = csr(dir.path(), "shop", 2048, &[name]);

    let checked = app
        .post(
            "sslcert/validate-csr.json",
            &[("order-id", &order), ("csr", &request)],
        )
        .await;
    assert_eq!(checked.ok().s("names"), name);
    // The vendor's page says GET; digicatech posts it: both are taken.
    let by_get = app
        .get(
            "sslcert/validate-csr.json",
            &[("order-id", &order), ("csr", &request)],
        )
        .await;
    assert_eq!(by_get.ok().s("names"), name);
    let enrolled = app
        .post(
            "sslcert/enroll.json",
            &[
                ("order-id", &order),
                ("csr", &request),
                ("verification-method", "dns"),
            ],
        )
        .await;
    assert_eq!(enrolled.ok().s("certstatus"), "Pending");
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    details.ok();
    assert_eq!(details.s("dnsauthhost"), "_dnsauth");
    let token = details.s("dnsauthvalue").to_string();
    assert!(details.body.get("certificate").is_none());
    let status = app
        .get("sslcert/check-status.json", &[("order-id", &order)])
        .await;
    assert_eq!(status.ok().s("certstatus"), "Pending", "no record yet");

    app.post(
        "dns/manage/add-txt-record.json",
        &[
            ("domain-name", name),
            ("host", "_dnsauth"),
            ("value", &token),
        ],
    )
    .await
    .ok();
    let status = app
        .get("sslcert/check-status.json", &[("order-id", &order)])
        .await;
    assert_eq!(status.ok().s("certstatus"), "Issued");
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    let certificate = details.ok().s("certificate").to_string();
    std::fs::write(dir.path().join("shop.crt"), &certificate).unwrap();
    std::fs::write(dir.path().join("root.pem"), root(&app).await).unwrap();
    let verified = openssl(dir.path(), &["verify", "-CAfile", "root.pem", "shop.crt"]);
    assert_eq!(verified.trim(), "shop.crt: OK");
    // The certificate is for the request's key and names.
    assert_eq!(
        openssl(
            dir.path(),
            &["x509", "-in", "shop.crt", "-noout", "-pubkey"]
        ),
        openssl(dir.path(), &["req", "-in", "shop.csr", "-noout", "-pubkey"])
    );
    let san = openssl(
        dir.path(),
        &[
            "x509",
            "-in",
            "shop.crt",
            "-noout",
            "-ext",
            "subjectAltName",
        ],
    );
    assert!(san.contains(&format!("DNS:{name}")), "{san}");
    let again = app
        .post(
            "sslcert/enroll.json",
            &[
                ("order-id", &order),
                ("csr", &request),
                ("verification-method", "dns"),
            ],
        )
        .await;
    assert_eq!(
        again.error(),
        format!("Order {order} has a certificate issued already: reissue it instead")
    );

    // Another instance on the same database hands out the same root.
    let other = app.second_instance().await;
    assert_eq!(root(&other).await, root(&app).await);
}

#[tokio::test]
async fn requests_a_certificate_cannot_be_made_for_are_refused_by_name() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let customer = app.signup("refused-ssl@example.com").await.to_string();
    let added = app
        .post(
            "sslcert/add.json",
            &[
                ("domain-name", "single.example.com"),
                ("customer-id", &customer),
                ("months", "12"),
                ("plan-id", "701"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let weak = csr(dir.path(), "weak", 1024, &["single.example.com"]);
    let other = csr(dir.path(), "other", 2048, &["elsewhere.example.net"]);
    let many = csr(
        dir.path(),
        "many",
        2048,
        &["single.example.com", "www.single.example.com"],
    );
    let cases = [
        (
            "not a request".to_string(),
            "Invalid csr: (the request). It must be a PKCS#10 request in PEM for the order's domain: it is no signed PKCS#10 request in PEM",
        ),
        (
            weak,
            "Invalid csr: (the request). It must be a PKCS#10 request in PEM for the order's domain: its key must be RSA of at least 2048 bits or EC of at least 256",
        ),
        (
            other,
            "Invalid csr: it names elsewhere.example.net, not the order's domain single.example.com",
        ),
        (
            many,
            "Invalid csr: it names 2 names; the order's plan covers 1",
        ),
    ];
    for (request, text) in cases {
        let refused = app
            .post(
                "sslcert/enroll.json",
                &[
                    ("order-id", &order),
                    ("csr", &request),
                    ("verification-method", "dns"),
                ],
            )
            .await;
        let message = refused.error();
        assert!(message.starts_with(text), "{message}");
    }
    let method = app
        .post(
            "sslcert/enroll.json",
            &[
                ("order-id", &order),
                ("csr", "x"),
                ("verification-method", "fax"),
            ],
        )
        .await;
    assert_eq!(
        method.error(),
        "Invalid verification-method: fax. It must be one of dns, email, cname, http"
    );
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    assert_eq!(details.ok().s("certstatus"), "NotEnrolled", "nothing kept");
}

#[tokio::test]
async fn a_certificate_approved_by_its_mailed_link_is_issued() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let name = "mailed-cert.com";
    let customer = app.signup("mailed-cert@example.com").await.to_string();
    let added = app
        .post(
            "sslcert/add.json",
            &[
                ("domain-name", name),
                ("customer-id", &customer),
                ("months", "12"),
                ("plan-id", "701"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let request = csr(dir.path(), "mailed", 2048, &[name]);
    let enroll = |email: &'static str| {
        let (order, request) = (order.clone(), request.clone());
        let app = &app;
        async move {
            app.post(
                "sslcert/enroll.json",
                &[
                    ("order-id", order.as_str()),
                    ("csr", request.as_str()),
                    ("verification-method", "email"),
                    ("verification-email", email),
                ],
            )
            .await
        }
    };
    let none = app
        .post(
            "sslcert/change-verification-email.json",
            &[
                ("order-id", order.as_str()),
                ("new-verification-email", "admin@mailed-cert.com"),
            ],
        )
        .await;
    assert_eq!(
        none.error(),
        format!("Order {order} has no request waiting for validation")
    );
    let stranger = enroll("someone@example.net").await;
    assert_eq!(
        stranger.error(),
        "Invalid verification-email: someone@example.net. It must be one of admin, administrator, hostmaster, postmaster, webmaster at mailed-cert.com"
    );
    assert_eq!(
        enroll("hostmaster@mailed-cert.com")
            .await
            .ok()
            .s("certstatus"),
        "Pending"
    );
    // Another approver gets a mail of their own.
    let changed = app
        .post(
            "sslcert/change-verification-email.json",
            &[
                ("order-id", order.as_str()),
                ("new-verification-email", "webmaster@mailed-cert.com"),
            ],
        )
        .await;
    assert_eq!(changed.ok().s("certstatus"), "Pending");
    let sent = app.mails(&order, "ssl-approval").await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].recipient, "hostmaster@mailed-cert.com");
    assert_eq!(sent[1].recipient, "webmaster@mailed-cert.com");
    let link = crate::common::link_in(&sent[1], "/ssl/approve/");
    assert!(link.contains("/ssl/approve/"), "{link}");
    let (status, page) = crate::common::curl("GET", &link).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("approved and issued"), "{page}");
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    assert_eq!(details.ok().s("certstatus"), "Issued");
    std::fs::write(dir.path().join("mailed.crt"), details.s("certificate")).unwrap();
    std::fs::write(dir.path().join("root.pem"), root(&app).await).unwrap();
    let verified = openssl(dir.path(), &["verify", "-CAfile", "root.pem", "mailed.crt"]);
    assert_eq!(verified.trim(), "mailed.crt: OK");
    // A link signed for something else opens nothing here.
    let (forged, _) =
        crate::common::curl("GET", &link.replace("/ssl/approve/", "/raa/verify/")).await;
    assert_eq!(forged, 403);
}

/// An SSL order for `name` (a domain registered here with its DNS hosted)
/// whose certificate is issued for a new key, validated by DNS; answers the
/// order id. The key and CSR are `<stem>.key`, `<stem>.csr` in `dir`.
async fn issued(app: &TestApp, dir: &Path, name: &str, stem: &str) -> String {
    let (customer, _) = crate::dns::hosted_by(app, name).await;
    let added = app
        .post(
            "sslcert/add.json",
            &[
                ("domain-name", name),
                ("customer-id", &customer),
                ("months", "12"),
                ("plan-id", "701"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let request = csr(dir, stem, 2048, &[name]);
    app.post(
        "sslcert/enroll.json",
        &[
            ("order-id", &order),
            ("csr", &request),
            ("verification-method", "dns"),
        ],
    )
    .await
    .ok();
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    let token = details.s("dnsauthvalue").to_string();
    app.post(
        "dns/manage/add-txt-record.json",
        &[
            ("domain-name", name),
            ("host", "_dnsauth"),
            ("value", &token),
        ],
    )
    .await
    .ok();
    let status = app
        .get("sslcert/check-status.json", &[("order-id", &order)])
        .await;
    assert_eq!(status.ok().s("certstatus"), "Issued");
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    std::fs::write(
        dir.join(format!("{stem}.crt")),
        details.ok().s("certificate"),
    )
    .unwrap();
    order
}

async fn crl(app: &TestApp, dir: &Path) {
    let response = app
        .client
        .get(format!("{}/_reseller/ca/crl", app.base()))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    std::fs::write(dir.join("crl.pem"), response.text().await.unwrap()).unwrap();
    std::fs::write(dir.join("root.pem"), root(app).await).unwrap();
}

/// What `openssl verify` with the CRL says of `<stem>.crt` at the
/// sandbox's time (`at`), and whether it accepted it.
fn verify_with_crl(dir: &Path, stem: &str, at: i64) -> (bool, String) {
    let output = Command::new("openssl")
        .args([
            "verify",
            "-attime",
            &at.to_string(),
            "-crl_check",
            "-CAfile",
            "root.pem",
            "-CRLfile",
            "crl.pem",
            &format!("{stem}.crt"),
        ])
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

#[tokio::test]
async fn cancelled_reissued_and_deleted_certificates_are_revoked_in_the_crl() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    issued(&app, dir.path(), "kept-cert.com", "kept").await;
    let cancelled = issued(&app, dir.path(), "cancelled-cert.com", "cancelled").await;
    let deleted = issued(&app, dir.path(), "deleted-cert.com", "deleted").await;
    let reissued = issued(&app, dir.path(), "reissued-cert.com", "old").await;
    crl(&app, dir.path()).await;
    for stem in ["kept", "cancelled", "deleted", "old"] {
        let (ok, said) = verify_with_crl(dir.path(), stem, app.state.clock.now());
        assert!(ok, "{stem}: {said}");
    }

    let cancel = app
        .post("sslcert/cancel.json", &[("order-id", &cancelled)])
        .await;
    assert_eq!(cancel.ok().s("certstatus"), "Revoked");
    let again = app
        .post("sslcert/cancel.json", &[("order-id", &cancelled)])
        .await;
    assert_eq!(
        again.error(),
        format!("Order {cancelled} has no certificate issued")
    );
    app.post("sslcert/delete.json", &[("order-id", &deleted)])
        .await
        .ok();
    // A reissue for a new key: the old certificate is revoked, and the
    // domain's validation stands, so the new one is issued at once.
    let request = csr(dir.path(), "new", 2048, &["reissued-cert.com"]);
    let reissue = app
        .post(
            "sslcert/reissue.json",
            &[
                ("order-id", &reissued),
                ("csr", &request),
                ("verification-method", "dns"),
            ],
        )
        .await;
    assert_eq!(reissue.ok().s("certstatus"), "Issued");
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &reissued)])
        .await;
    std::fs::write(dir.path().join("new.crt"), details.ok().s("certificate")).unwrap();

    crl(&app, dir.path()).await;
    for (stem, revoked) in [
        ("kept", false),
        ("cancelled", true),
        ("deleted", true),
        ("old", true),
        ("new", false),
    ] {
        let (ok, said) = verify_with_crl(dir.path(), stem, app.state.clock.now());
        assert_eq!(ok, !revoked, "{stem}: {said}");
        if revoked {
            assert!(said.contains("certificate revoked"), "{stem}: {said}");
        }
    }
}

/// A web server for the applicant's site: answers the one file it is
/// given (404 until then), and remembers the Host of every request.
struct Site {
    port: u16,
    file: std::sync::Arc<std::sync::Mutex<Option<(String, String)>>>,
    hosts: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

async fn site() -> Site {
    use axum::extract::{Request, State};
    type Shared = (
        std::sync::Arc<std::sync::Mutex<Option<(String, String)>>>,
        std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    );
    async fn serve(State((file, hosts)): State<Shared>, request: Request) -> (u16, String) {
        let host = request
            .headers()
            .get("host")
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
            .to_string();
        hosts.lock().unwrap().push(host);
        match file.lock().unwrap().clone() {
            Some((path, content)) if path == request.uri().path() => (200, content),
            _ => (404, "not here".to_string()),
        }
    }
    let shared: Shared = Default::default();
    let router = axum::Router::new()
        .fallback(|state: State<Shared>, request: Request| async move {
            let (status, body) = serve(state, request).await;
            (axum::http::StatusCode::from_u16(status).unwrap(), body)
        })
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Site {
        port,
        file: shared.0,
        hosts: shared.1,
    }
}

#[tokio::test]
async fn a_certificate_validated_by_a_file_the_site_serves_is_issued() {
    let site = site().await;
    let app = TestApp::spawn_with_limits(reseller_server::Limits {
        validation_http_port: site.port,
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let name = "filed-cert.com";
    let (customer, _) = crate::dns::hosted_by(&app, name).await;
    // The site's address, as the domain's zone here says.
    app.post(
        "dns/manage/add-ipv4-record.json",
        &[("domain-name", name), ("value", "127.0.0.1")],
    )
    .await
    .ok();
    let added = app
        .post(
            "sslcert/add.json",
            &[
                ("domain-name", name),
                ("customer-id", &customer),
                ("months", "12"),
                ("plan-id", "701"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let request = csr(dir.path(), "filed", 2048, &[name]);
    let enrolled = app
        .post(
            "sslcert/enroll.json",
            &[
                ("order-id", &order),
                ("csr", &request),
                ("verification-method", "http"),
            ],
        )
        .await;
    assert_eq!(enrolled.ok().s("verificationmethod"), "http");
    assert_eq!(
        enrolled.s("certstatus"),
        "Pending",
        "the site serves nothing"
    );
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    let url = details.ok().s("fileurl").to_string();
    let content = details.s("filecontent").to_string();
    let path = url
        .strip_prefix(&format!("http://{name}"))
        .expect("a URL on the domain")
        .to_string();
    assert!(
        path.starts_with("/.well-known/pki-validation/") && path.ends_with(".txt"),
        "{path}"
    );
    assert!(details.body.get("dnsauthvalue").is_none());

    // The wrong content does not validate it.
    *site.file.lock().unwrap() = Some((path.clone(), "something else".to_string()));
    let status = app
        .get("sslcert/check-status.json", &[("order-id", &order)])
        .await;
    assert_eq!(status.ok().s("certstatus"), "Pending");
    *site.file.lock().unwrap() = Some((path, format!("{content}\n")));
    let status = app
        .get("sslcert/check-status.json", &[("order-id", &order)])
        .await;
    assert_eq!(status.ok().s("certstatus"), "Issued");
    assert!(
        site.hosts.lock().unwrap().iter().all(|h| h == name),
        "every fetch names the domain: {:?}",
        site.hosts.lock().unwrap()
    );
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    std::fs::write(dir.path().join("filed.crt"), details.ok().s("certificate")).unwrap();
    std::fs::write(dir.path().join("root.pem"), root(&app).await).unwrap();
    let verified = openssl(dir.path(), &["verify", "-CAfile", "root.pem", "filed.crt"]);
    assert_eq!(verified.trim(), "filed.crt: OK");
}

/// The order's certificate in PEM, as `get-cert-details` shows it.
async fn certificate_of(app: &TestApp, order: &str) -> String {
    app.get("sslcert/get-cert-details.json", &[("order-id", order)])
        .await
        .ok()
        .s("certificate")
        .to_string()
}

/// The certificate's serial and its last day, as `openssl x509` prints them.
fn serial_and_end(dir: &Path, stem: &str) -> (String, String) {
    let said = openssl(
        dir,
        &[
            "x509",
            "-in",
            &format!("{stem}.crt"),
            "-noout",
            "-serial",
            "-enddate",
        ],
    );
    let field = |key: &str| {
        said.lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap_or_else(|| panic!("{key} in {said}"))
            .to_string()
    };
    (field("serial="), field("notAfter="))
}

#[tokio::test]
async fn the_older_spelling_validates_by_cname_and_a_renewal_issues_a_new_certificate() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let name = "cnamed-cert.com";
    let (customer, _) = crate::dns::hosted_by(&app, name).await;
    let added = app
        .post(
            "digitalcertificate/add.json",
            &[
                ("domain-name", name),
                ("customer-id", &customer),
                ("months", "12"),
                ("plan-id", "701"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let found = app
        .get("digitalcertificate/orderid.json", &[("domain-name", name)])
        .await;
    assert_eq!(found.body.to_string(), order);
    let request = csr(dir.path(), "cnamed", 2048, &[name]);
    let enrolled = app
        .post(
            "digitalcertificate/enroll-for-thawtecertificate.json",
            &[
                ("order-id", &order),
                ("csr", &request),
                ("verification-method", "cname"),
            ],
        )
        .await;
    assert_eq!(enrolled.ok().s("certstatus"), "Pending");
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    let host = details.ok().s("cnamehost").to_string();
    let target = details.s("cnamevalue").to_string();
    assert!(host.starts_with('_'), "{host}");
    // A TXT record does not validate a request by CNAME.
    app.post(
        "dns/manage/add-txt-record.json",
        &[("domain-name", name), ("host", &host), ("value", &target)],
    )
    .await
    .ok();
    let status = app
        .get(
            "digitalcertificate/check-status.json",
            &[("order-id", &order)],
        )
        .await;
    assert_eq!(status.ok().s("certstatus"), "Pending");
    app.post(
        "dns/manage/add-cname-record.json",
        &[
            ("domain-name", name),
            ("host", &format!("{host}.www")),
            ("value", &target),
        ],
    )
    .await
    .ok();
    let status = app
        .get(
            "digitalcertificate/check-status.json",
            &[("order-id", &order)],
        )
        .await;
    assert_eq!(status.ok().s("certstatus"), "Pending", "another host");
    // A CNAME is the only record of its host.
    app.post(
        "dns/manage/delete-txt-record.json",
        &[("domain-name", name), ("host", &host), ("value", &target)],
    )
    .await
    .ok();
    app.post(
        "dns/manage/add-cname-record.json",
        &[("domain-name", name), ("host", &host), ("value", &target)],
    )
    .await
    .ok();
    let status = app
        .get(
            "digitalcertificate/check-status.json",
            &[("order-id", &order)],
        )
        .await;
    assert_eq!(status.ok().s("certstatus"), "Issued");
    let details = app
        .get("digitalcertificate/details.json", &[("order-id", &order)])
        .await;
    assert_eq!(details.ok().s("productkey"), "sslcert");
    std::fs::write(
        dir.path().join("first.crt"),
        certificate_of(&app, &order).await,
    )
    .unwrap();

    // A renewal: a certificate for the new term, for the same key, issued
    // with it; the first is not revoked (it ends when its term does).
    let renewed = app
        .post(
            "digitalcertificate/renew.json",
            &[
                ("order-id", &order),
                ("months", "12"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    renewed.ok();
    std::fs::write(
        dir.path().join("second.crt"),
        certificate_of(&app, &order).await,
    )
    .unwrap();
    let (first_serial, first_end) = serial_and_end(dir.path(), "first");
    let (second_serial, second_end) = serial_and_end(dir.path(), "second");
    assert_ne!(first_serial, second_serial);
    let year = |end: &str| -> i32 {
        end.split_whitespace()
            .find_map(|w| w.parse::<i32>().ok().filter(|y| *y > 2000))
            .unwrap()
    };
    assert_eq!(
        year(&second_end),
        year(&first_end) + 1,
        "{first_end} / {second_end}"
    );
    assert_eq!(
        openssl(
            dir.path(),
            &["x509", "-in", "second.crt", "-noout", "-pubkey"]
        ),
        openssl(
            dir.path(),
            &["req", "-in", "cnamed.csr", "-noout", "-pubkey"]
        )
    );
    crl(&app, dir.path()).await;
    for stem in ["first", "second"] {
        let (ok, said) = verify_with_crl(dir.path(), stem, app.state.clock.now());
        assert!(ok, "{stem}: {said}");
    }
    let cancelled = app
        .post("digitalcertificate/cancel.json", &[("order-id", &order)])
        .await;
    assert_eq!(cancelled.ok().s("certstatus"), "Revoked");
    crl(&app, dir.path()).await;
    let (ok, said) = verify_with_crl(dir.path(), "second", app.state.clock.now());
    assert!(!ok && said.contains("certificate revoked"), "{said}");
}

#[tokio::test]
async fn an_automatic_renewal_issues_the_new_terms_certificate_and_a_lapsed_order_revokes_it() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let name = "renewing-cert.com";
    let (customer, _) = crate::dns::hosted_by(&app, name).await;
    let poor = app.signup("lapsing-cert@example.com").await.to_string();
    app.fund(customer.parse().unwrap(), "100").await;
    let mut orders = Vec::new();
    for (domain, owner) in [(name, &customer), ("lapsing-cert.com", &poor)] {
        let added = app
            .post(
                "sslcert/add.json",
                &[
                    ("domain-name", domain),
                    ("customer-id", owner),
                    ("months", "1"),
                    ("plan-id", "701"),
                    ("auto-renew", "true"),
                    ("invoice-option", "NoInvoice"),
                ],
            )
            .await;
        orders.push(added.ok().s("entityid").to_string());
    }
    let (renewing, lapsing) = (orders[0].clone(), orders[1].clone());
    // The lapsing one is approved by mail, the renewing one by DNS.
    let request = csr(dir.path(), "lapsing", 2048, &["lapsing-cert.com"]);
    app.post(
        "sslcert/enroll.json",
        &[
            ("order-id", &lapsing),
            ("csr", &request),
            ("verification-method", "email"),
            ("verification-email", "admin@lapsing-cert.com"),
        ],
    )
    .await
    .ok();
    let mail = app.mails(&lapsing, "ssl-approval").await;
    let (status, _) =
        crate::common::curl("GET", &crate::common::link_in(&mail[0], "/ssl/approve/")).await;
    assert_eq!(status, 200);
    std::fs::write(
        dir.path().join("lapsing.crt"),
        certificate_of(&app, &lapsing).await,
    )
    .unwrap();
    let request = csr(dir.path(), "renewing", 2048, &[name]);
    app.post(
        "sslcert/enroll.json",
        &[
            ("order-id", &renewing),
            ("csr", &request),
            ("verification-method", "dns"),
        ],
    )
    .await
    .ok();
    let details = app
        .get("sslcert/get-cert-details.json", &[("order-id", &renewing)])
        .await;
    let token = details.ok().s("dnsauthvalue").to_string();
    app.post(
        "dns/manage/add-txt-record.json",
        &[
            ("domain-name", name),
            ("host", "_dnsauth"),
            ("value", &token),
        ],
    )
    .await
    .ok();
    std::fs::write(
        dir.path().join("first.crt"),
        certificate_of(&app, &renewing).await,
    )
    .unwrap();

    // Renewed from the customer's funds by the clock; the lapsing one
    // expires and is deleted, which revokes its certificate.
    let (status, moved) = app
        .control(
            reqwest::Method::POST,
            "clock/advance",
            Some(serde_json::json!({"days": 50})),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    let jobs_of = |order: &str| -> Vec<String> {
        moved["ran"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["order_id"].as_i64() == order.parse().ok())
            .map(|r| r["job"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        jobs_of(&renewing).contains(&"renewal".to_string()),
        "{moved}"
    );
    assert!(
        jobs_of(&lapsing).contains(&"deletion".to_string()),
        "{moved}"
    );
    std::fs::write(
        dir.path().join("second.crt"),
        certificate_of(&app, &renewing).await,
    )
    .unwrap();
    let (first_serial, first_end) = serial_and_end(dir.path(), "first");
    let (second_serial, second_end) = serial_and_end(dir.path(), "second");
    assert_ne!(first_serial, second_serial, "{first_end} / {second_end}");
    assert_ne!(first_end, second_end);
    crl(&app, dir.path()).await;
    // The first ended with its term; it was never revoked.
    let (ok, said) = verify_with_crl(dir.path(), "first", app.state.clock.now());
    assert!(!ok && said.contains("certificate has expired"), "{said}");
    let (ok, said) = verify_with_crl(dir.path(), "second", app.state.clock.now());
    assert!(ok, "{said}");
    let (ok, said) = verify_with_crl(dir.path(), "lapsing", app.state.clock.now());
    assert!(!ok && said.contains("certificate revoked"), "{said}");
}

#[tokio::test]
async fn a_snapshot_brings_back_certificates_and_sites_and_a_reset_keeps_the_root() {
    use reqwest::Method;
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let order = issued(&app, dir.path(), "snapped-cert.com", "snapped").await;
    let customer = app.signup("snapped-site@example.com").await.to_string();
    let site = app
        .post(
            "webservices/add.json",
            &[
                ("domain-name", "snapped-site.com"),
                ("customer-id", &customer),
                ("months", "1"),
                ("plan-id", "661"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let site = site.ok().s("entityid").to_string();
    app.post(
        "webservices/enable-maintenance.json",
        &[("order-id", &site)],
    )
    .await
    .ok();
    let pem = certificate_of(&app, &order).await;
    let (status, _) = app
        .control(Method::POST, "snapshots/with-certs", None)
        .await;
    assert_eq!(status, 200);

    app.post("sslcert/cancel.json", &[("order-id", &order)])
        .await
        .ok();
    app.post("webservices/delete.json", &[("order-id", &site)])
        .await
        .ok();
    let (status, _) = app
        .control(Method::POST, "snapshots/with-certs/restore", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        certificate_of(&app, &order).await,
        pem,
        "issued again, the same"
    );
    let details = app
        .get("webservices/details.json", &[("order-id", &site)])
        .await;
    assert_eq!(details.ok().s("maintenancemode"), "true");
    assert_eq!(details.s("currentstatus"), "Active");

    // A reset forgets the orders but not the authority.
    let root_before = root(&app).await;
    let (status, _) = app.control(Method::POST, "reset", None).await;
    assert_eq!(status, 200);
    assert_eq!(root(&app).await, root_before);
    let gone = app
        .get("sslcert/get-cert-details.json", &[("order-id", &order)])
        .await;
    assert!(gone.error().contains(&order), "{}", gone.text);
}
