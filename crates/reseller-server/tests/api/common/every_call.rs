//! One walk over every call of the route table, in an order that gives
//! each call something to act on. What is done with each answer is the
//! caller's: `coverage` checks XML against JSON, `snapshots` records the
//! replies as the reviewed wire contract, `backends` compares SQLite with
//! PostgreSQL.
#![allow(async_fn_in_trait)]

use super::TestApp;

/// What the walk asks of its caller.
pub trait Caller {
    fn app(&self) -> &TestApp;
    /// A read call.
    async fn read(&mut self, call: &str, params: &[(&str, &str)]);
    /// A write call; answers the text of `key` in the reply, or the whole
    /// reply when `key` is None.
    async fn write(&mut self, call: &str, params: &[(&str, &str)], key: Option<&str>) -> String;
    /// A read whose reply holds a link signed with the current time.
    async fn signed_link(&mut self, call: &str, params: &[(&str, &str)]);
    /// A call that only ever refuses (a deprecated one): tested where its
    /// refusal is, counted here as exercised.
    fn cover(&mut self, _call: &str) {}
}

/// The integer of a bare reply, in JSON (`7`) or XML (`<int>7</int>`).
pub fn bare_int(reply: &str) -> String {
    reply
        .rsplit("<int>")
        .next()
        .unwrap()
        .trim_end_matches("</int>")
        .trim()
        .to_string()
}

/// The text of a bare string reply, in JSON (`"abc"`) or XML (`<string>abc</string>`).
pub fn bare_text(reply: &str) -> String {
    let reply = reply.trim();
    match reply.rsplit_once("<string>") {
        Some((_, rest)) => rest.trim_end_matches("</string>").to_string(),
        None => reply.trim_matches('"').to_string(),
    }
}

/// Calls every route once at least.
pub async fn every_call(x: &mut impl Caller) {
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
        "customers/change-password",
        &[("customer-id", c), ("new-passwd", "newsecret9")],
        None,
    )
    .await;
    let token = bare_text(
        &x.write(
            "customers/generate-token",
            &[
                ("username", "x@example.com"),
                ("passwd", "newsecret9"),
                ("ip", "203.0.113.9"),
            ],
            None,
        )
        .await,
    );
    x.read("customers/authenticate-token", &[("token", &token)])
        .await;
    x.read(
        "customers/authenticate-token-without-history",
        &[("token", &token)],
    )
    .await;
    x.read(
        "customers/authenticate",
        &[("username", "x@example.com"), ("passwd", "newsecret9")],
    )
    .await;
    x.write("customers/temp-password", &[("customer-id", c)], None)
        .await;
    x.write(
        "customers/generate-login-token",
        &[("customer-id", c), ("ip", "203.0.113.9")],
        None,
    )
    .await;
    x.write(
        "customers/authenticate/generate-otp",
        &[("customerid", c)],
        None,
    )
    .await;
    let code = super::otp_sent(x.app()).await;
    x.write(
        "customers/authenticate/verify-otp",
        &[("customerid", c), ("otp", &code)],
        None,
    )
    .await;
    x.write(
        "customers/forgot-password",
        &[("username", "x@example.com")],
        None,
    )
    .await;
    let contact = bare_int(
        &x.write(
            "contacts/add",
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
                ("customer-id", c),
                ("type", "Contact"),
            ],
            None,
        )
        .await,
    );
    x.read("contacts/details", &[("contact-id", &contact)])
        .await;
    x.read(
        "contacts/search",
        &[
            ("customer-id", c),
            ("no-of-records", "10"),
            ("page-no", "1"),
        ],
    )
    .await;
    x.write(
        "contacts/delete",
        &[("contact-id", &contact)],
        Some("actiontype"),
    )
    .await;
    let contact_kept = bare_int(
        &x.write(
            "contacts/add",
            &[
                ("name", "Kept Contact"),
                ("company", "Kept Co"),
                ("email", "kept@example.com"),
                ("address-line-1", "1 Kept Road"),
                ("city", "Houston"),
                ("country", "US"),
                ("zipcode", "77027"),
                ("phone-cc", "1"),
                ("phone", "7135745287"),
                ("customer-id", c),
                ("type", "Contact"),
            ],
            None,
        )
        .await,
    );
    x.cover("contacts/modify");
    x.cover("contacts/set-details");
    x.cover("domains/uk/available");
    x.read(
        "contacts/validate-registrant",
        &[
            ("contact-id", &contact_kept),
            ("eligibility-criteria", "EUROPEAN_COUNTRY"),
            ("eligibility-criteria", "APP_PREF_NEXUS"),
        ],
    )
    .await;
    let defaults = x
        .write(
            "contacts/default",
            &[("customer-id", c), ("type", "Contact")],
            None,
        )
        .await;
    let _ = defaults;
    x.write(
        "contacts/modDefault",
        &[
            ("customer-id", c),
            ("type", "Contact"),
            ("reg-contact-id", &contact_kept),
            ("admin-contact-id", &contact_kept),
            ("tech-contact-id", &contact_kept),
            ("billing-contact-id", &contact_kept),
        ],
        None,
    )
    .await;
    x.read("contacts/dotca/registrantagreement", &[]).await;
    x.read(
        "domains/available",
        &[
            ("domain-name", "github"),
            ("domain-name", "wxyz"),
            ("tlds", "com"),
            ("tlds", "co.in"),
        ],
    )
    .await;
    let domain = x
        .write(
            "domains/register",
            &[
                ("domain-name", "walk-shop.com"),
                ("years", "1"),
                ("ns", "ns1.example.net"),
                ("ns", "ns2.example.net"),
                ("customer-id", c),
                ("reg-contact-id", &contact_kept),
                ("admin-contact-id", &contact_kept),
                ("tech-contact-id", &contact_kept),
                ("billing-contact-id", &contact_kept),
                ("invoice-option", "NoInvoice"),
                ("purchase-privacy", "true"),
            ],
            Some("entityid"),
        )
        .await;
    x.read(
        "domains/details",
        &[("order-id", &domain), ("options", "All")],
    )
    .await;
    x.write(
        "domains/raa/resend-verification",
        &[("order-id", &domain)],
        None,
    )
    .await;
    x.read(
        "domains/details-by-name",
        &[
            ("domain-name", "walk-shop.com"),
            ("options", "OrderDetails"),
        ],
    )
    .await;
    x.read("domains/orderid", &[("domain-name", "walk-shop.com")])
        .await;
    let ds = [
        ("order-id", domain.as_str()),
        ("attr-name1", "keytag"),
        ("attr-value1", "2371"),
        ("attr-name2", "algorithm"),
        ("attr-value2", "8"),
        ("attr-name3", "digesttype"),
        ("attr-value3", "1"),
        ("attr-name4", "digest"),
        ("attr-value4", "49FD46E6C4B45C55D4AC49FD46E6C4B45C55D111"),
    ];
    x.write("domains/add-dnssec", &ds, Some("eaqid")).await;
    x.read(
        "domains/details",
        &[("order-id", &domain), ("options", "DNSSECDetails")],
    )
    .await;
    x.write("domains/del-dnssec", &ds, Some("eaqid")).await;
    x.write(
        "domains/reseller-lock/add",
        &[("order-id", &domain), ("reason", "Walked")],
        Some("eaqid"),
    )
    .await;
    x.read("domains/locks", &[("order-id", &domain)]).await;
    x.write(
        "domains/reseller-lock/remove",
        &[("order-id", &domain)],
        Some("eaqid"),
    )
    .await;
    let unprotected = x
        .write(
            "domains/register",
            &[
                ("domain-name", "walk-private.com"),
                ("years", "1"),
                ("ns", "ns1.example.net"),
                ("customer-id", c),
                ("reg-contact-id", &contact_kept),
                ("admin-contact-id", &contact_kept),
                ("tech-contact-id", &contact_kept),
                ("billing-contact-id", &contact_kept),
                ("invoice-option", "NoInvoice"),
            ],
            Some("entityid"),
        )
        .await;
    x.write(
        "domains/purchase-privacy",
        &[("order-id", &unprotected), ("invoice-option", "NoInvoice")],
        Some("eaqid"),
    )
    .await;
    let german = x
        .write(
            "domains/register",
            &[
                ("domain-name", "walk-laden.de"),
                ("years", "1"),
                ("ns", "ns1.example.net"),
                ("ns", "ns2.example.net"),
                ("customer-id", c),
                ("reg-contact-id", &contact_kept),
                ("admin-contact-id", "-1"),
                ("tech-contact-id", "-1"),
                ("billing-contact-id", "-1"),
                ("invoice-option", "NoInvoice"),
            ],
            Some("entityid"),
        )
        .await;
    x.write(
        "domains/de/recheck-ns",
        &[("order-id", &german)],
        Some("status"),
    )
    .await;
    let british = x
        .write(
            "domains/register",
            &[
                ("domain-name", "walk-tea.co.uk"),
                ("years", "1"),
                ("ns", "ns1.example.net"),
                ("ns", "ns2.example.net"),
                ("customer-id", c),
                ("reg-contact-id", &contact_kept),
                ("admin-contact-id", "-1"),
                ("tech-contact-id", "-1"),
                ("billing-contact-id", "-1"),
                ("invoice-option", "NoInvoice"),
            ],
            Some("entityid"),
        )
        .await;
    x.write(
        "domains/uk/release",
        &[("order-id", &british), ("new-tag", "#VI")],
        Some("eaqid"),
    )
    .await;
    // The TLD specials: a .coop name needs a sponsor first.
    x.write(
        "contacts/coop/add-sponsor",
        &[
            ("customer-id", c),
            ("name", "Ada Lovelace"),
            ("company", "Mutual Growers Cooperative"),
            ("email", "ada@growers.example"),
            ("address-line-1", "1 Farm Road"),
            ("city", "Bristol"),
            ("country", "GB"),
            ("zipcode", "BS1 4DJ"),
            ("phone-cc", "44"),
            ("phone", "1179000000"),
        ],
        None,
    )
    .await;
    x.read("contacts/coop/sponsors", &[("customer-id", c)])
        .await;
    x.read("contacts/sponsors", &[("customer-id", c)]).await;
    let mut specials = Vec::new();
    for name in ["walk-growers.coop", "walk-call.tel", "walk-club.xxx"] {
        specials.push(
            x.write(
                "domains/register",
                &[
                    ("domain-name", name),
                    ("years", "1"),
                    ("ns", "ns1.example.net"),
                    ("ns", "ns2.example.net"),
                    ("customer-id", c),
                    ("reg-contact-id", &contact_kept),
                    ("admin-contact-id", &contact_kept),
                    ("tech-contact-id", &contact_kept),
                    ("billing-contact-id", &contact_kept),
                    ("invoice-option", "NoInvoice"),
                ],
                Some("entityid"),
            )
            .await,
        );
    }
    x.write(
        "domains/tel/modify-whois-pref",
        &[
            ("order-id", &specials[1]),
            ("whois-type", "Natural"),
            ("publish", "n"),
        ],
        Some("eaqid"),
    )
    .await;
    x.cover("domains/tel/cth-details");
    x.write(
        "domains/dotxxx/association-details",
        &[
            ("order-id", &specials[2]),
            ("association-id", "IFFOR-12345"),
        ],
        None,
    )
    .await;
    x.write(
        "domains/dotxxx/association-details",
        &[("order-id", &specials[2])],
        None,
    )
    .await;
    x.read("domains/tld-info", &[]).await;
    x.read("domains/tlds-in-phase", &[("phase", "sunrise")])
        .await;
    x.write(
        "domains/preordering/add",
        &[
            ("customerid", c),
            ("domain", "green-garden.web"),
            ("domain", "tea-house.web"),
        ],
        None,
    )
    .await;
    x.write(
        "domains/preordering/delete",
        &[("customerid", c), ("domain", "tea-house.web")],
        None,
    )
    .await;
    x.read(
        "domains/preordering/fetch",
        &[("no-of-records", "10"), ("page-no", "1")],
    )
    .await;
    x.read(
        "domains/preordering/fetchtldlist",
        &[("category", "generic")],
    )
    .await;
    for refused in [
        "domains/available-sunrise",
        "domains/get-tm-notice",
        "domains/eu/transfer",
        "domains/eu/trade",
        "domains/uk/transfer",
    ] {
        x.cover(refused);
    }
    x.read(
        "domains/suggest-names",
        &[
            ("keyword", "green garden"),
            ("tlds", "com"),
            ("tlds", "net"),
            ("no-of-results", "5"),
            ("hyphen-allowed", "true"),
            ("add-related", "true"),
        ],
    )
    .await;
    x.read("pg/allowedlist-for-customer", &[("customer-id", c)])
        .await;
    x.read("pg/list-for-reseller", &[]).await;
    x.read(
        "products/availability",
        &[
            ("domain-name", "walk-shop.com"),
            ("product-key", "domorder"),
        ],
    )
    .await;
    x.read(
        "pg/customer-transactions",
        &[
            ("payment-type-id", "1"),
            ("transaction-type", "addfund"),
            ("no-of-records", "10"),
            ("page-no", "1"),
        ],
    )
    .await;
    x.read(
        "commons/legal-agreements",
        &[
            ("type", "customermasteragreement"),
            ("type", "registrarregistrantagreementv2"),
        ],
    )
    .await;
    x.read("domains/premium-check", &[("domain-name", "wxyz.com")])
        .await;
    x.read(
        "domains/search",
        &[("no-of-records", "10"), ("page-no", "1")],
    )
    .await;
    let expiry = x
        .app()
        .get(
            "domains/details.json",
            &[("order-id", &domain), ("options", "OrderDetails")],
        )
        .await;
    let expiry = expiry.s("endtime").to_string();
    x.write(
        "domains/renew",
        &[
            ("order-id", &domain),
            ("years", "1"),
            ("exp-date", &expiry),
            ("invoice-option", "NoInvoice"),
        ],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/modify-ns",
        &[("order-id", &domain), ("ns", "ns1.walk-shop.com")],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/modify-contact",
        &[
            ("order-id", &domain),
            ("reg-contact-id", &contact_kept),
            ("admin-contact-id", &contact_kept),
            ("tech-contact-id", &contact_kept),
            ("billing-contact-id", &contact_kept),
        ],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/disable-theft-protection",
        &[("order-id", &domain)],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/enable-theft-protection",
        &[("order-id", &domain)],
        Some("eaqid"),
    )
    .await;
    x.read("domains/locks", &[("order-id", &domain)]).await;
    x.write(
        "domains/modify-privacy-protection",
        &[
            ("order-id", &domain),
            ("protect-privacy", "true"),
            ("reason", "walk"),
        ],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/modify-auth-code",
        &[("order-id", &domain), ("auth-code", "Walk-Secret-1")],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/gdpr/disable",
        &[("order-id", &domain)],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/gdpr/enable",
        &[("order-id", &domain)],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/add-cns",
        &[
            ("order-id", &domain),
            ("cns", "ns1.walk-shop.com"),
            ("ip", "192.0.2.1"),
        ],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/modify-cns-name",
        &[
            ("order-id", &domain),
            ("old-cns", "ns1.walk-shop.com"),
            ("new-cns", "ns2.walk-shop.com"),
        ],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/modify-cns-ip",
        &[
            ("order-id", &domain),
            ("cns", "ns2.walk-shop.com"),
            ("old-ip", "192.0.2.1"),
            ("new-ip", "192.0.2.2"),
        ],
        Some("eaqid"),
    )
    .await;
    x.write(
        "domains/delete-cns-ip",
        &[
            ("order-id", &domain),
            ("cns", "ns2.walk-shop.com"),
            ("ip", "192.0.2.2"),
        ],
        Some("eaqid"),
    )
    .await;
    x.read("domains/customer-default-ns", &[("customer-id", c)])
        .await;
    x.write("dns/activate", &[("order-id", &domain)], Some("zoneid"))
        .await;
    let zone = "walk-shop.com";
    for (word, host, value, new_value) in [
        ("ipv4", "www", "192.0.2.10", "192.0.2.11"),
        ("ipv6", "www", "2001:db8::10", "2001:db8::11"),
        ("cname", "shop", "walk-shop.net", "walk-shop.org"),
        ("ns", "eu", "ns1.example.net", "ns2.example.net"),
        ("txt", "@", "v=spf1 -all", "v=spf1 mx -all"),
        ("mx", "@", "mail.walk-shop.com", "mx.walk-shop.com"),
    ] {
        let record = [
            ("domain-name", zone),
            ("host", host),
            ("value", value),
            ("ttl", "14400"),
        ];
        x.write(
            &format!("dns/manage/add-{word}-record"),
            &record,
            Some("status"),
        )
        .await;
        let change = [
            ("domain-name", zone),
            ("host", host),
            ("current-value", value),
            ("new-value", new_value),
        ];
        x.write(
            &format!("dns/manage/update-{word}-record"),
            &change,
            Some("status"),
        )
        .await;
        let gone = [("domain-name", zone), ("host", host), ("value", new_value)];
        x.write(
            &format!("dns/manage/delete-{word}-record"),
            &gone,
            Some("status"),
        )
        .await;
    }
    let srv = [
        ("domain-name", zone),
        ("host", "_sip._tcp"),
        ("value", "sip.walk-shop.com"),
        ("priority", "10"),
        ("port", "5060"),
        ("weight", "5"),
    ];
    x.write("dns/manage/add-srv-record", &srv, Some("status"))
        .await;
    x.write(
        "dns/manage/update-srv-record",
        &[
            ("domain-name", zone),
            ("host", "_sip._tcp"),
            ("current-value", "sip.walk-shop.com"),
            ("new-value", "voip.walk-shop.com"),
            ("port", "5061"),
        ],
        Some("status"),
    )
    .await;
    x.read(
        "dns/manage/search-records",
        &[
            ("domain-name", zone),
            ("type", "SRV"),
            ("no-of-records", "10"),
            ("page-no", "1"),
        ],
    )
    .await;
    x.write(
        "dns/manage/delete-srv-record",
        &[
            ("domain-name", zone),
            ("host", "_sip._tcp"),
            ("value", "voip.walk-shop.com"),
        ],
        Some("status"),
    )
    .await;
    x.write(
        "dns/manage/add-ipv4-record",
        &[("domain-name", zone), ("value", "192.0.2.20")],
        Some("status"),
    )
    .await;
    x.write(
        "dns/manage/delete-record",
        &[
            ("domain-name", zone),
            ("host", "@"),
            ("value", "192.0.2.20"),
        ],
        Some("status"),
    )
    .await;
    x.write(
        "dns/manage/update-soa-record",
        &[
            ("domain-name", zone),
            ("responsible-person", "admin@walk-shop.com"),
            ("refresh", "7200"),
            ("retry", "3600"),
            ("expire", "172800"),
            ("ttl", "14400"),
        ],
        Some("status"),
    )
    .await;
    for prefix in ["sslcert", "digitalcertificate"] {
        ssl_calls(x, c, zone, prefix).await;
    }
    x.write(
        "domainforward/activate",
        &[("order-id", &domain)],
        Some("status"),
    )
    .await;
    x.write(
        "domainforward/manage",
        &[
            ("order-id", &domain),
            ("forward-to", "https://walk-shop.example.net/"),
            ("url-masking", "true"),
            ("noframes", "Walk shop"),
        ],
        Some("status"),
    )
    .await;
    x.write(
        "domainforward/manage",
        &[
            ("order-id", &domain),
            ("sub-domain-prefix", "blog"),
            ("forward-to", "https://blog.example.net/"),
        ],
        Some("status"),
    )
    .await;
    x.read(
        "domainforward/details",
        &[("order-id", &domain), ("include-subdomain", "true")],
    )
    .await;
    x.read("domainforward/dns-records", &[("domain-name", zone)])
        .await;
    x.write(
        "domainforward/sub-domain-record/delete",
        &[("order-id", &domain), ("sub-domain-prefix", "blog")],
        None,
    )
    .await;
    x.write("domainforward/delete", &[("domain-name", zone)], None)
        .await;
    let verified = x
        .write(
            "domains/register",
            &[
                ("domain-name", "walk-shop.in"),
                ("years", "1"),
                ("ns", "ns1.example.net"),
                ("customer-id", c),
                ("reg-contact-id", &contact_kept),
                ("admin-contact-id", &contact_kept),
                ("tech-contact-id", &contact_kept),
                ("billing-contact-id", &contact_kept),
                ("invoice-option", "NoInvoice"),
            ],
            Some("entityid"),
        )
        .await;
    x.write(
        "domains/nixi/verification/resend",
        &[("order-id", &verified)],
        Some("status"),
    )
    .await;
    x.write("domains/delete", &[("order-id", &domain)], Some("eaqid"))
        .await;
    x.write(
        "domains/restore",
        &[("order-id", &domain), ("invoice-option", "NoInvoice")],
        Some("eaqid"),
    )
    .await;
    let moving = x
        .write(
            "domains/transfer",
            &[
                ("domain-name", "github.com"),
                ("ns", "ns1.example.net"),
                ("customer-id", c),
                ("reg-contact-id", &contact_kept),
                ("admin-contact-id", &contact_kept),
                ("tech-contact-id", &contact_kept),
                ("billing-contact-id", &contact_kept),
                ("invoice-option", "NoInvoice"),
            ],
            Some("entityid"),
        )
        .await;
    x.write(
        "domains/transfer/submit-auth-code",
        &[("order-id", &moving), ("auth-code", "Secret-42")],
        None,
    )
    .await;
    x.write("domains/resend-rfa", &[("order-id", &moving)], None)
        .await;
    x.write("domains/cancel-transfer", &[("order-id", &moving)], None)
        .await;
    x.read(
        "domains/thirdlevelname/available",
        &[("domain-name", "domain"), ("tlds", "one.name")],
    )
    .await;
    x.read(
        "domains/validate-transfer",
        &[("domain-name", "github.com")],
    )
    .await;
    x.read(
        "domains/premium/available",
        &[("key-word", "shopping"), ("tlds", "com")],
    )
    .await;
    x.read(
        "domains/idn-available",
        &[
            ("domain-name", "bazaar"),
            ("tld", "com"),
            ("idnLanguageCode", "hin"),
        ],
    )
    .await;
    x.read(
        "domains/v5/suggest-names",
        &[("keyword", "reseller"), ("tld-only", "com")],
    )
    .await;
    let leaving = bare_int(
        &x.write("customers/signup", &signup("leaving@example.com"), None)
            .await,
    );
    x.write("customers/delete", &[("customer-id", &leaving)], None)
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

    x.read("webservices/active-plan-categories", &[]).await;
    x.read("webservices/mock/products/reseller-price", &[])
        .await;
    // Web hosting: the standard calls below every prefix of each product.
    for spec in reseller_core::catalogue::web_hosting_products() {
        let plan = spec.plans[0].id.0.to_string();
        for path in spec.prefixes {
            let domain = format!("{}.hosted.example.com", path.replace('/', "-"));
            let add = [
                ("domain-name", domain.as_str()),
                ("customer-id", c),
                ("months", "1"),
                ("plan-id", plan.as_str()),
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
                    ("invoice-option", "NoInvoice"),
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
            let bigger = spec.plans[1].id.0.to_string();
            let change = [
                ("order-id", order.as_str()),
                ("new-plan-id", bigger.as_str()),
                ("months", "3"),
            ];
            x.read(&format!("{path}/modify-pricing"), &change).await;
            x.write(
                &format!("{path}/modify"),
                &[
                    change[0],
                    change[1],
                    change[2],
                    ("invoice-option", "NoInvoice"),
                ],
                Some("eaqid"),
            )
            .await;
            let billed = [
                ("order-id", order.as_str()),
                ("invoice-option", "NoInvoice"),
            ];
            x.write(&format!("{path}/enable-ssl"), &billed, Some("eaqid"))
                .await;
            x.write(
                &format!("{path}/enable-maintenance"),
                &[("order-id", order.as_str())],
                Some("status"),
            )
            .await;
            x.signed_link(
                &format!("{path}/auto-login-details"),
                &[("order-id", order.as_str())],
            )
            .await;
            if spec
                .addons
                .contains(&reseller_core::catalogue::DEDICATED_IP)
            {
                x.write(&format!("{path}/add-dedicated-ip"), &billed, Some("eaqid"))
                    .await;
                x.write(
                    &format!("{path}/generate-license-key"),
                    &[("order-id", order.as_str())],
                    Some("status"),
                )
                .await;
                x.read(&format!("{path}/details"), &[("order-id", &order)])
                    .await;
                x.write(
                    &format!("{path}/delete-dedicated-ip"),
                    &[("order-id", order.as_str())],
                    Some("eaqid"),
                )
                .await;
            }
            x.write(
                &format!("{path}/delete"),
                &[("order-id", &order)],
                Some("eaqid"),
            )
            .await;
        }
    }

    let mut round = 0;
    for prefix in ["backup", "backups"] {
        for (region, plan) in [("us", "301"), ("asia", "311")] {
            round += 1;
            let base = format!("{prefix}/{region}");
            let host = x
                .app()
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
            x.signed_link(
                &format!("{base}/auto-login-details"),
                &[("backup-order-id", b)],
            )
            .await;
            let second_host = x
                .app()
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
    mail_calls(x, m).await;
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

    let pending = x
        .app()
        .add_backup(c.parse().unwrap(), hosts[0].parse().unwrap(), 20, "OnlyAdd")
        .await;
    x.write(
        "billing/customer-pay",
        &[("invoice-ids", pending.s("invoiceid"))],
        None,
    )
    .await;
    let forced = x
        .app()
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
    let page = [("no-of-records", "10"), ("page-no", "1")];
    x.read("actions/search-archived", &page).await;
    x.read("resellers/details", &[]).await;
    let sub_reseller = bare_int(
        &x.write(
            "resellers/signup",
            &super::reseller_signup("sub@example.com"),
            None,
        )
        .await,
    );
    let sub = sub_reseller.as_str();
    x.read("resellers/details", &[("reseller-id", sub)]).await;
    x.write(
        "resellers/modify-details",
        &[
            ("reseller-id", sub),
            ("username", "sub@example.com"),
            ("lang-pref", "en"),
            ("address-line-1", "3 Park Street"),
            ("city", "Kolkata"),
            ("state", "West Bengal"),
            ("zipcode", "700016"),
            ("phone-cc", "91"),
            ("phone", "9830012345"),
            ("brand-name", "SubBrand"),
        ],
        None,
    )
    .await;
    x.read("resellers/search", &page).await;
    x.write(
        "billing/add-reseller-fund",
        &[
            ("reseller-id", sub),
            ("amount", "500"),
            ("description", "Opening"),
            ("transaction-type", "receipt"),
            ("transaction-key", "walk-sub-fund"),
        ],
        Some("sellingcurrencybalance"),
    )
    .await;
    x.write(
        "billing/add-reseller-debit-note",
        &[
            ("reseller-id", sub),
            ("amount", "5"),
            ("description", "Setup fee"),
        ],
        Some("sellingcurrencybalance"),
    )
    .await;
    x.read("billing/reseller-balance", &[("reseller-id", sub)])
        .await;
    // An order of the sub-reseller's own, to invoice it for.
    let (_, issued) = x
        .app()
        .control(
            reqwest::Method::POST,
            &format!("resellers/{sub}/api-key"),
            None,
        )
        .await;
    let as_sub = x
        .app()
        .as_reseller(sub.parse().unwrap(), issued["api-key"].as_str().unwrap());
    let sub_customer = as_sub.signup("sub-customer@example.com").await;
    let sub_order = as_sub
        .add_vps(sub_customer, "sub-host.example.com")
        .await
        .to_string();
    x.write(
        "billing/add-reseller-misc-invoice",
        &[
            ("order-id", &sub_order),
            ("reseller-id", sub),
            ("selling-amount", "4.5"),
            ("description", "Migration help"),
            ("invoice-date", "1764892800"),
            ("transaction-key", "walk-sub-misc"),
            ("greedy", "true"),
        ],
        None,
    )
    .await;
    x.read("products/reseller-price", &[("reseller-id", sub)])
        .await;
    x.write("resellers/temp-password", &[("reseller-id", sub)], None)
        .await;
    let reseller_token = x
        .write(
            "resellers/generate-token",
            &[("ip", "203.0.113.9")],
            Some("userLoginId"),
        )
        .await;
    x.read(
        "resellers/authenticate-token",
        &[("token", &reseller_token)],
    )
    .await;
    x.read("resellers/promo-details", &[]).await;
    x.read("products/reseller-cost-price", &[]).await;
    x.read("products/category-keys-mapping", &[]).await;
    x.read("products/details", &[]).await;
    x.write(
        "billing/add-customer-misc-invoice",
        &[
            ("order-id", &hosts[0]),
            ("customer-id", c),
            ("selling-amount", "2.5"),
            ("description", "Setup help"),
            ("invoice-date", "1764892800"),
            ("transaction-key", "walk-misc"),
            ("greedy", "true"),
        ],
        None,
    )
    .await;
    x.write(
        "billing/add-customer-debit-note",
        &[
            ("customer-id", c),
            ("amount", "1.5"),
            ("description", "Setup fee"),
        ],
        Some("invoiceid"),
    )
    .await;
    x.read("billing/customer-transactions", &[("customer-id", c)])
        .await;
    x.read(
        "billing/customer-transactions/search",
        &[
            ("customer-id", c),
            ("no-of-records", "10"),
            ("page-no", "1"),
        ],
    )
    .await;
    x.read("billing/reseller-transactions", &[]).await;
    x.read("billing/reseller-transactions/search", &page).await;
    x.read(
        "billing/customer-greedy-transactions",
        &[("customer-id", c)],
    )
    .await;
    x.read(
        "billing/customer-balanced-transactions",
        &[("customer-id", c)],
    )
    .await;
    x.read(
        "billing/customer-archived-transactions/search",
        &[
            ("customer-id", c),
            ("no-of-records", "10"),
            ("page-no", "1"),
        ],
    )
    .await;
    x.read("billing/reseller-greedy-transactions", &[]).await;
    x.write(
        "orders/suspend",
        &[("order-id", &hosts[1]), ("reason", "Unpaid")],
        Some("eaqid"),
    )
    .await;
    x.write(
        "orders/unsuspend",
        &[("order-id", &hosts[1])],
        Some("eaqid"),
    )
    .await;
    // Last, as it changes whose the domain's orders are.
    let new_owner = bare_int(
        &x.write("customers/signup", &signup("new-owner@example.com"), None)
            .await,
    );
    x.write(
        "products/move",
        &[
            ("domain-name", "walk-shop.com"),
            ("existing-customer-id", c),
            ("new-customer-id", &new_owner),
            ("default-contact", "oldcontact"),
        ],
        Some("status"),
    )
    .await;
}

/// Every `mail/*` call, on the Business Email order `m` of mail.example.com
/// (which holds one account).
async fn mail_calls(x: &mut impl Caller, m: &str) {
    let box1 = "ana@mail.example.com";
    x.write("mail/activate", &[("order-id", m)], None).await;
    x.write(
        "mail/user/add",
        &[
            ("order-id", m),
            ("email", box1),
            ("passwd", "mailpass1"),
            ("notification-email", "ana@example.net"),
            ("first-name", "Ana"),
            ("last-name", "Lima"),
            ("country-code", "BR"),
            ("language-code", "pt"),
        ],
        None,
    )
    .await;
    x.write(
        "mail/user/add-forward-only-account",
        &[
            ("order-id", m),
            ("email", "sales@mail.example.com"),
            ("forwards", "ana@mail.example.com,boss@example.net"),
        ],
        None,
    )
    .await;
    let account = [("order-id", m), ("email", box1)];
    x.read("mail/user", &account).await;
    x.write(
        "mail/user/modify",
        &[
            ("order-id", m),
            ("email", box1),
            ("notification-email", "ana@example.org"),
            ("first-name", "Ana"),
            ("last-name", "Souza"),
        ],
        None,
    )
    .await;
    x.write(
        "mail/user/change-password",
        &[
            ("order-id", m),
            ("email", box1),
            ("old-passwd", "mailpass1"),
            ("new-passwd", "mailpass2"),
        ],
        None,
    )
    .await;
    x.read(
        "mail/user/authenticate",
        &[("order-id", m), ("email", box1), ("passwd", "mailpass2")],
    )
    .await;
    x.write("mail/user/reset-password", &account, None).await;
    x.write(
        "mail/user/update-autoresponder",
        &[
            ("order-id", m),
            ("email", box1),
            ("is-autoresponder-on", "true"),
            ("subject", "Away"),
            ("message", "Back on Monday"),
            ("message-format", "text/plain"),
            ("quote-original-message", "false"),
            ("autodisable-enabled", "true"),
            ("autodisable-timestamp", "01/01/2030"),
        ],
        None,
    )
    .await;
    for (call, forwards) in [
        ("mail/user/add-admin-forwards", "audit@example.net"),
        (
            "mail/user/add-user-forwards",
            "ana@example.net,ana2@example.net",
        ),
        ("mail/user/delete-user-forwards", "ana2@example.net"),
        ("mail/user/delete-admin-forwards", "audit@example.net"),
    ] {
        x.write(
            call,
            &[("order-id", m), ("email", box1), ("forwards", forwards)],
            None,
        )
        .await;
    }
    x.write("mail/user/suspend", &account, None).await;
    x.write("mail/user/unsuspend", &account, None).await;
    let both = [
        ("order-id", m),
        ("emails", "ana@mail.example.com,sales@mail.example.com"),
    ];
    x.write("mail/users/suspend", &both, None).await;
    x.write("mail/users/unsuspend", &both, None).await;
    x.read(
        "mail/users/search",
        &[
            ("order-id", m),
            ("email-pattern", "*@mail.example.com"),
            ("page-no", "1"),
        ],
    )
    .await;
    let order = [("order-id", m)];
    x.write("mail/domain/active-catchall", &account, None).await;
    x.read("mail/domain/catchall", &order).await;
    x.write("mail/domain/deactivate-catchall", &order, None)
        .await;
    let alias = [("order-id", m), ("alias", "mail.example.org")];
    x.write("mail/domain/add-alias", &alias, None).await;
    x.write("mail/domain/delete-alias", &alias, None).await;
    x.read("mail/domain/dns-records", &order).await;
    x.read("mail/domain/is-owernship-verified", &order).await;
    x.write(
        "mail/domain/update-notification-email",
        &[
            ("order-id", m),
            ("notification-email", "postmaster@example.net"),
        ],
        None,
    )
    .await;
    let list = "news@mail.example.com";
    x.write(
        "mail/mailinglist/add",
        &[
            ("order-id", m),
            ("list-address", list),
            ("subscription-held", "false"),
            ("who-can-post", "only_members"),
            ("send-messages-for-moderation", "false"),
            ("reply-to", "sender"),
            ("moderators", box1),
        ],
        None,
    )
    .await;
    x.write(
        "mail/mailinglist/update",
        &[
            ("order-id", m),
            ("list-address", list),
            ("subscription-held", "true"),
            ("who-can-post", "anyone"),
            ("send-messages-for-moderation", "true"),
            ("reply-to", "custom_address"),
            ("custom-email", "replies@example.net"),
            ("footer-text", "Mail news"),
        ],
        None,
    )
    .await;
    let of_list = [("order-id", m), ("list-address", list)];
    for (call, key, who) in [
        (
            "mail/mailinglist/add-subscribers",
            "subscribers",
            "a@example.net,b@example.net",
        ),
        (
            "mail/mailinglist/delete-subscribers",
            "subscribers",
            "b@example.net",
        ),
        (
            "mail/mailinglist/add-moderators",
            "moderators",
            "mod@example.net",
        ),
        (
            "mail/mailinglist/delete-moderators",
            "moderators",
            "mod@example.net",
        ),
    ] {
        x.write(
            call,
            &[("order-id", m), ("list-address", list), (key, who)],
            None,
        )
        .await;
    }
    x.read("mail/mailinglist/subscribers", &of_list).await;
    x.read("mail/mailinglists", &order).await;
    x.write("mail/mailinglist/delete", &of_list, None).await;
    x.write(
        "mail/user/delete",
        &[("order-id", m), ("email", "sales@mail.example.com")],
        None,
    )
    .await;
    x.write(
        "mail/users/delete",
        &[("order-id", m), ("emails", box1)],
        None,
    )
    .await;
}

/// A certificate request (CSR, in PEM) for `name`, with a fresh key.
pub fn certificate_request(name: &str) -> String {
    let key = rcgen::KeyPair::generate().expect("a key");
    let mut params = rcgen::CertificateParams::new(vec![name.to_string()]).expect("params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params
        .serialize_request(&key)
        .expect("a request")
        .pem()
        .expect("PEM")
}

/// Every call below `prefix` (`sslcert`, `digitalcertificate`), on a
/// certificate for `zone` (a domain whose DNS is hosted here, so that a
/// `_dnsauth` record validates it).
async fn ssl_calls(x: &mut impl Caller, c: &str, zone: &str, prefix: &str) {
    let at = |call: &str| format!("{prefix}/{call}");
    let ssl = x
        .write(
            &at("add"),
            &[
                ("domain-name", zone),
                ("customer-id", c),
                ("months", "12"),
                ("plan-id", "701"),
                ("invoice-option", "NoInvoice"),
            ],
            Some("entityid"),
        )
        .await;
    x.write(
        &at("renew"),
        &[
            ("order-id", &ssl),
            ("months", "12"),
            ("invoice-option", "NoInvoice"),
        ],
        Some("eaqid"),
    )
    .await;
    x.read(&at("details"), &[("order-id", &ssl)]).await;
    x.read(&at("search"), &[("no-of-records", "10"), ("page-no", "1")])
        .await;
    x.read(&at("orderid"), &[("domain-name", zone)]).await;
    let csr = certificate_request(zone);
    x.write(
        &at("validate-csr"),
        &[("order-id", &ssl), ("csr", &csr)],
        Some("status"),
    )
    .await;
    x.write(
        &at("enroll"),
        &[
            ("order-id", &ssl),
            ("csr", &csr),
            ("verification-method", "dns"),
        ],
        Some("status"),
    )
    .await;
    if prefix == "digitalcertificate" {
        // The older spelling's enroll, which replaces the pending request.
        x.write(
            &at("enroll-for-thawtecertificate"),
            &[
                ("order-id", &ssl),
                ("csr", &csr),
                ("verification-method", "dns"),
            ],
            Some("status"),
        )
        .await;
    }
    x.write(
        &at("change-verification-method"),
        &[
            ("order-id", &ssl),
            ("verification-method", "email"),
            ("verification-email", &format!("admin@{zone}")),
        ],
        Some("status"),
    )
    .await;
    x.write(
        &at("change-verification-email"),
        &[
            ("order-id", &ssl),
            ("new-verification-email", &format!("hostmaster@{zone}")),
        ],
        Some("status"),
    )
    .await;
    x.write(
        &at("change-verification-method"),
        &[("order-id", &ssl), ("verification-method", "dns")],
        Some("status"),
    )
    .await;
    // The token to publish, read as the applicant would.
    let details = x
        .app()
        .get("sslcert/get-cert-details.json", &[("order-id", &ssl)])
        .await;
    let token = details.s("dnsauthvalue").to_string();
    x.write(
        "dns/manage/add-txt-record",
        &[
            ("domain-name", zone),
            ("host", "_dnsauth"),
            ("value", &token),
        ],
        Some("status"),
    )
    .await;
    x.read(&at("check-status"), &[("order-id", &ssl)]).await;
    x.read(&at("get-cert-details"), &[("order-id", &ssl)]).await;
    x.write(
        &at("reissue"),
        &[
            ("order-id", &ssl),
            ("csr", &certificate_request(zone)),
            ("verification-method", "dns"),
        ],
        Some("status"),
    )
    .await;
    x.write(&at("cancel"), &[("order-id", &ssl)], Some("status"))
        .await;
    x.write(&at("delete"), &[("order-id", &ssl)], Some("eaqid"))
        .await;
}
