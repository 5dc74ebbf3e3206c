//! DNS hosting through the API: activation, records of every type, the
//! SOA, search, and the refusals a DNS operator makes, each changing
//! nothing.

use crate::common::{Reply, TestApp};
use crate::domains::{a_contact, registration};

/// A registered domain of a new customer's, with its zone activated.
async fn hosted(app: &TestApp, name: &str) -> String {
    hosted_by(app, name).await.1
}

/// `hosted`, with the customer (`owner@<name>`) who holds it: the customer
/// id and the domain order id.
pub(crate) async fn hosted_by(app: &TestApp, name: &str) -> (String, String) {
    let customer = app.signup(&format!("owner@{name}")).await;
    let c = customer.to_string();
    let contact = a_contact(app, &c).await;
    let order = app
        .post(
            "domains/register.json",
            &registration(name, &c, &contact, "1", "NoInvoice"),
        )
        .await;
    let order = order.ok().s("entityid").to_string();
    let activated = app.post("dns/activate.json", &[("order-id", &order)]).await;
    assert_eq!(activated.ok().s("status"), "Success");
    assert_eq!(activated.s("zoneid"), order);
    assert_eq!(activated.s("orderid"), order);
    (c, order)
}

/// Every record of the zone, as `type host value ttl [priority port weight]`.
async fn zone(app: &TestApp, name: &str) -> Vec<String> {
    let mut all = Vec::new();
    for kind in ["A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV"] {
        let page = app
            .get(
                "dns/manage/search-records.json",
                &[
                    ("domain-name", name),
                    ("type", kind),
                    ("no-of-records", "50"),
                    ("page-no", "1"),
                ],
            )
            .await;
        all.extend(records(page.ok()));
    }
    all
}

fn records(page: &Reply) -> Vec<String> {
    let n: usize = page.s("recsonpage").parse().unwrap();
    (1..=n)
        .map(|i| {
            let r = &page.body[i.to_string()];
            let mut line = format!(
                "{} {} {} {}",
                r["type"].as_str().unwrap(),
                r["host"].as_str().unwrap(),
                r["value"].as_str().unwrap(),
                r["timetolive"].as_str().unwrap()
            );
            for extra in ["priority", "port", "weight"] {
                if let Some(v) = r[extra].as_str() {
                    line.push_str(&format!(" {v}"));
                }
            }
            line
        })
        .collect()
}

#[tokio::test]
async fn records_of_every_type_are_added_found_updated_and_deleted() {
    let app = TestApp::spawn().await;
    let name = "zone-keeper.com";
    let order = hosted(&app, name).await;
    // Activating again changes nothing and says so the same way.
    let again = app.post("dns/activate.json", &[("order-id", &order)]).await;
    assert_eq!(again.ok().s("zoneid"), order);
    // A change is made by POST only, as the vendor's production insists
    // (digicatech's client sends it with GET: its own bug).
    let by_get = app.get("dns/activate.json", &[("order-id", &order)]).await;
    assert_eq!(by_get.status, 405);
    assert_eq!(
        by_get.body["message"],
        "/api/dns/activate must be called with POST, not GET"
    );

    for (call, params, message) in [
        (
            "add-ipv4-record",
            vec![("host", "www"), ("value", "192.0.2.1"), ("ttl", "7200")],
            "A record www added to zone-keeper.com",
        ),
        (
            "add-ipv4-record",
            vec![("host", "@"), ("value", "192.0.2.2")],
            "A record @ added to zone-keeper.com",
        ),
        (
            "add-ipv6-record",
            vec![("host", "www"), ("value", "2001:DB8:0:0::1")],
            "AAAA record www added to zone-keeper.com",
        ),
        (
            "add-cname-record",
            vec![("host", "shop"), ("value", "shops.example.net")],
            "CNAME record shop added to zone-keeper.com",
        ),
        (
            "add-mx-record",
            vec![("host", ""), ("value", "mail.zone-keeper.com")],
            "MX record @ added to zone-keeper.com",
        ),
        (
            "add-ns-record",
            vec![("host", "eu"), ("value", "ns1.example.net")],
            "NS record eu added to zone-keeper.com",
        ),
        (
            "add-txt-record",
            vec![("value", "v=spf1 mx -all"), ("ttl", "86400")],
            "TXT record @ added to zone-keeper.com",
        ),
        (
            "add-srv-record",
            vec![
                ("host", "_sip._tcp"),
                ("value", "sip.zone-keeper.com"),
                ("priority", "10"),
                ("weight", "5"),
                ("port", "5060"),
            ],
            "SRV record _sip._tcp added to zone-keeper.com",
        ),
    ] {
        let mut asked = vec![("domain-name", name)];
        asked.extend(params);
        let added = app.post(&format!("dns/manage/{call}.json"), &asked).await;
        assert_eq!(added.ok().s("msg"), message, "{call}");
        assert_eq!(added.s("status"), "Success");
    }
    assert_eq!(
        zone(&app, name).await,
        [
            "A www 192.0.2.1 7200",
            "A @ 192.0.2.2 14400",
            "AAAA www 2001:db8::1 14400",
            "CNAME shop shops.example.net 14400",
            "MX @ mail.zone-keeper.com 14400 10",
            "NS eu ns1.example.net 14400",
            "TXT @ v=spf1 mx -all 86400",
            "SRV _sip._tcp sip.zone-keeper.com 14400 10 5060 5",
        ]
    );

    // Search by host and by part of the value, and in pages.
    let search = |extra: Vec<(&'static str, &'static str)>| {
        let app = &app;
        async move {
            let mut asked = vec![("domain-name", name), ("type", "A")];
            asked.extend(extra);
            app.get("dns/manage/search-records.json", &asked).await
        }
    };
    let www = search(vec![
        ("host", "www"),
        ("no-of-records", "10"),
        ("page-no", "1"),
    ])
    .await;
    assert_eq!(records(www.ok()), ["A www 192.0.2.1 7200"]);
    let by_value = search(vec![
        ("value", "0.2.2"),
        ("no-of-records", "10"),
        ("page-no", "1"),
    ])
    .await;
    assert_eq!(records(by_value.ok()), ["A @ 192.0.2.2 14400"]);
    let second = search(vec![("no-of-records", "10"), ("page-no", "2")]).await;
    assert_eq!(second.ok().s("recsindb"), "2");
    assert!(records(&second).is_empty(), "two records fill one page");

    for (call, params) in [
        (
            "update-ipv4-record",
            vec![
                ("host", "www"),
                ("current-value", "192.0.2.1"),
                ("new-value", "192.0.2.9"),
            ],
        ),
        (
            "update-mx-record",
            vec![
                ("current-value", "mail.zone-keeper.com"),
                ("new-value", "mx.zone-keeper.com"),
                ("priority", "20"),
            ],
        ),
        (
            "update-srv-record",
            vec![
                ("host", "_sip._tcp"),
                ("current-value", "sip.zone-keeper.com"),
                ("new-value", "voip.zone-keeper.com"),
                ("port", "5061"),
                ("ttl", "7200"),
            ],
        ),
        (
            "update-txt-record",
            vec![
                ("current-value", "v=spf1 mx -all"),
                ("new-value", "v=spf1 -all"),
            ],
        ),
    ] {
        let mut asked = vec![("domain-name", name)];
        asked.extend(params);
        let updated = app.post(&format!("dns/manage/{call}.json"), &asked).await;
        assert_eq!(updated.ok().s("status"), "Success", "{call}");
    }
    for (call, params) in [
        (
            "delete-ipv6-record",
            vec![("host", "www"), ("value", "2001:db8::1")],
        ),
        (
            "delete-cname-record",
            vec![("host", "shop"), ("value", "shops.example.net")],
        ),
        (
            "delete-ns-record",
            vec![("host", "eu"), ("value", "ns1.example.net")],
        ),
        ("delete-record", vec![("host", "@"), ("value", "192.0.2.2")]),
    ] {
        let mut asked = vec![("domain-name", name)];
        asked.extend(params);
        let deleted = app.post(&format!("dns/manage/{call}.json"), &asked).await;
        assert_eq!(deleted.ok().s("status"), "Success", "{call}");
    }
    assert_eq!(
        zone(&app, name).await,
        [
            "A www 192.0.2.9 7200",
            "MX @ mx.zone-keeper.com 14400 20",
            "TXT @ v=spf1 -all 86400",
            "SRV _sip._tcp voip.zone-keeper.com 7200 10 5061 5",
        ]
    );
    let soa = app
        .post(
            "dns/manage/update-soa-record.json",
            &[
                ("domain-name", name),
                ("responsible-person", "admin@zone-keeper.com"),
                ("refresh", "7200"),
                ("retry", "3600"),
                ("expire", "172800"),
                ("ttl", "14400"),
            ],
        )
        .await;
    assert_eq!(soa.ok().s("msg"), "SOA record of zone-keeper.com updated");
}

#[tokio::test]
async fn bad_records_are_refused_by_name_and_change_nothing() {
    let app = TestApp::spawn().await;
    let name = "strict-zone.com";
    hosted(&app, name).await;
    for (call, params) in [
        (
            "add-ipv4-record",
            vec![("host", "www"), ("value", "192.0.2.1")],
        ),
        (
            "add-cname-record",
            vec![("host", "shop"), ("value", "shops.example.net")],
        ),
        ("add-mx-record", vec![("value", "mail.strict-zone.com")]),
    ] {
        let mut asked = vec![("domain-name", name)];
        asked.extend(params);
        app.post(&format!("dns/manage/{call}.json"), &asked)
            .await
            .ok();
    }
    let before = zone(&app, name).await;
    let with = |call: &str, params: &[(&'static str, &'static str)]| {
        let mut asked = vec![("domain-name", name)];
        asked.extend_from_slice(params);
        (format!("dns/manage/{call}.json"), asked)
    };
    for ((call, asked), text) in [
        (
            with(
                "add-ipv4-record",
                &[("host", "www"), ("value", "2001:db8::1")],
            ),
            "Invalid value: 2001:db8::1. It must be an IPv4 address such as 192.0.2.1",
        ),
        (
            with(
                "add-ipv6-record",
                &[("host", "www"), ("value", "192.0.2.1")],
            ),
            "Invalid value: 192.0.2.1. It must be an IPv6 address such as 2001:db8::1",
        ),
        (
            with(
                "add-ipv4-record",
                &[("host", "bad host"), ("value", "192.0.2.7")],
            ),
            "Invalid host: bad host. It must be @ (or empty) for the domain itself, or a host under it such as www or mail.eu: labels of letters, digits, hyphens and underscores, the first of which may be *",
        ),
        (
            with(
                "add-ipv4-record",
                &[("host", "-www"), ("value", "192.0.2.7")],
            ),
            "Invalid host: -www. It must be @ (or empty) for the domain itself, or a host under it such as www or mail.eu: labels of letters, digits, hyphens and underscores, the first of which may be *",
        ),
        (
            with(
                "add-ipv4-record",
                &[("host", "api"), ("value", "192.0.2.7"), ("ttl", "60")],
            ),
            "Invalid ttl: 60. It must be a whole number from 7200 to 604800",
        ),
        (
            with(
                "add-cname-record",
                &[("host", "api"), ("value", "not a host")],
            ),
            "Invalid value: not a host. It must be a host name such as ns1.example.com",
        ),
        (
            with(
                "add-mx-record",
                &[("value", "mx2.strict-zone.com"), ("priority", "70000")],
            ),
            "Invalid priority: 70000. It must be a whole number from 0 to 65535",
        ),
        (
            with(
                "add-srv-record",
                &[
                    ("host", "sip"),
                    ("value", "sip.strict-zone.com"),
                    ("priority", "1"),
                    ("port", "5060"),
                    ("weight", "1"),
                ],
            ),
            "Invalid host: sip. It must be _service._proto, such as _sip._tcp (proto one of _tcp, _udp, _tls, _sctp), optionally followed by a host under the domain",
        ),
        (
            with(
                "add-srv-record",
                &[("host", "_sip._tcp"), ("value", "sip.strict-zone.com")],
            ),
            "Required parameter missing: priority",
        ),
        (
            with("add-txt-record", &[("value", "line\nbreak")]),
            "Invalid value: linebreak. It may not contain control characters",
        ),
        (
            with(
                "add-ipv4-record",
                &[("host", "WWW"), ("value", "192.0.2.1")],
            ),
            "A record www with value 192.0.2.1 already exists",
        ),
        (
            with(
                "add-ipv4-record",
                &[("host", "shop"), ("value", "192.0.2.8")],
            ),
            "Invalid host: shop. A CNAME must be the only record of its host",
        ),
        (
            with(
                "add-cname-record",
                &[("host", "www"), ("value", "elsewhere.example.net")],
            ),
            "Invalid host: www. A CNAME must be the only record of its host",
        ),
        (
            with(
                "add-cname-record",
                &[("host", "@"), ("value", "elsewhere.example.net")],
            ),
            "Invalid host: @. The zone's apex holds its SOA and NS records, so it can have no CNAME",
        ),
        (
            with(
                "update-ipv4-record",
                &[
                    ("host", "www"),
                    ("current-value", "192.0.2.99"),
                    ("new-value", "192.0.2.3"),
                ],
            ),
            "No A record www with value 192.0.2.99 exists",
        ),
        (
            with("delete-mx-record", &[("value", "mx9.strict-zone.com")]),
            "No MX record @ with value mx9.strict-zone.com exists",
        ),
        (
            with(
                "delete-record",
                &[("host", "nowhere"), ("value", "192.0.2.1")],
            ),
            "No DNS record nowhere with value 192.0.2.1 exists",
        ),
        (
            with(
                "add-ipv4-record",
                &[("value", "192.0.2.1"), ("colour", "red")],
            ),
            "Unsupported parameter: colour. This call takes domain-name, host, value, ttl",
        ),
        (
            (
                "dns/manage/add-ipv4-record.json".to_string(),
                vec![("domain-name", "unheld-zone.com"), ("value", "192.0.2.1")],
            ),
            "Website doesn't exist for unheld-zone.com",
        ),
    ] {
        app.refuses(&call, &asked, text).await;
    }
    assert_eq!(zone(&app, name).await, before, "nothing changed");
}

/// A domain that lapses into redemption loses its zone, and its name no
/// longer resolves.
#[tokio::test]
async fn a_lapsed_domain_takes_its_zone_with_it() {
    let app = TestApp::spawn().await;
    let name = "lapsing-zone.com";
    hosted(&app, name).await;
    app.post(
        "dns/manage/add-ipv4-record.json",
        &[
            ("domain-name", name),
            ("host", "www"),
            ("value", "192.0.2.1"),
        ],
    )
    .await
    .ok();
    // A year and its grace: the domain is in redemption.
    app.advance(366 * 86_400 + 45 * 86_400).await;
    let gone = app
        .get(
            "dns/manage/search-records.json",
            &[
                ("domain-name", name),
                ("type", "A"),
                ("no-of-records", "10"),
                ("page-no", "1"),
            ],
        )
        .await;
    assert_eq!(
        gone.error(),
        "DNS service is not active for lapsing-zone.com: activate it with dns/activate"
    );
    let server = reseller_server::dns_server::listen("127.0.0.1:0", app.store.clone())
        .await
        .unwrap();
    let mut query = hickory_proto::op::Message::query();
    query.add_query(hickory_proto::op::Query::query(
        hickory_proto::rr::Name::from_ascii("www.lapsing-zone.com.").unwrap(),
        hickory_proto::rr::RecordType::A,
    ));
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket
        .send_to(&query.to_vec().unwrap(), server)
        .await
        .unwrap();
    let mut reply = vec![0u8; 2048];
    let n = socket.recv(&mut reply).await.unwrap();
    let reply = hickory_proto::op::Message::from_vec(&reply[..n]).unwrap();
    assert_eq!(
        reply.metadata.response_code,
        hickory_proto::op::ResponseCode::Refused
    );

    // Restored, it comes back without its old zone.
    let order = app
        .get("domains/orderid.json", &[("domain-name", name)])
        .await
        .ok()
        .text
        .trim()
        .to_string();
    let restored = app
        .post(
            "domains/restore.json",
            &[("order-id", &order), ("invoice-option", "NoInvoice")],
        )
        .await;
    restored.ok();
    let fresh = app
        .get(
            "dns/manage/search-records.json",
            &[
                ("domain-name", name),
                ("type", "A"),
                ("no-of-records", "10"),
                ("page-no", "1"),
            ],
        )
        .await;
    assert_eq!(
        fresh.error(),
        "DNS service is not active for lapsing-zone.com: activate it with dns/activate",
        "the old zone is not back"
    );
}

/// A zone is kept with its order, so the sandbox's snapshots carry it.
#[tokio::test]
async fn a_snapshot_restores_the_zone_as_it_was() {
    let app = TestApp::spawn().await;
    let name = "snapshot-zone.com";
    hosted(&app, name).await;
    app.post(
        "dns/manage/add-ipv4-record.json",
        &[("domain-name", name), ("value", "192.0.2.1")],
    )
    .await
    .ok();
    let (status, _) = app
        .control(reqwest::Method::POST, "snapshots/zone-kept", None)
        .await;
    assert_eq!(status, 200);
    app.post(
        "dns/manage/add-txt-record.json",
        &[("domain-name", name), ("value", "added later")],
    )
    .await
    .ok();
    assert_eq!(zone(&app, name).await.len(), 2);
    let (status, _) = app
        .control(reqwest::Method::POST, "snapshots/zone-kept/restore", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(zone(&app, name).await, ["A @ 192.0.2.1 14400"]);
}

#[tokio::test]
async fn a_zone_is_only_for_an_active_domain_of_the_callers_and_goes_with_it() {
    let app = TestApp::spawn().await;
    let name = "short-lived.com";
    let order = hosted(&app, name).await;
    app.post(
        "dns/manage/add-ipv4-record.json",
        &[("domain-name", name), ("value", "192.0.2.1")],
    )
    .await
    .ok();

    // Another reseller sees neither the order nor the zone.
    let (other, key) = app
        .create_reseller("other", crate::common::money("10"))
        .await;
    let theirs = app.as_reseller(other, &key);
    let foreign = theirs
        .post("dns/activate.json", &[("order-id", &order)])
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
    let foreign_add = theirs
        .post(
            "dns/manage/add-ipv4-record.json",
            &[("domain-name", name), ("value", "192.0.2.5")],
        )
        .await;
    assert_eq!(
        foreign_add.error(),
        "Website doesn't exist for short-lived.com"
    );

    // A domain without a zone is refused until activated.
    let customer = app.signup("plain@example.com").await;
    let c = customer.to_string();
    let contact = a_contact(&app, &c).await;
    app.post(
        "domains/register.json",
        &registration("no-zone-yet.com", &c, &contact, "1", "NoInvoice"),
    )
    .await
    .ok();
    app.refuses(
        "dns/manage/add-ipv4-record.json",
        &[("domain-name", "no-zone-yet.com"), ("value", "192.0.2.1")],
        "DNS service is not active for no-zone-yet.com: activate it with dns/activate",
    )
    .await;
    // An order of another product is not a domain.
    let host = app.add_vps(customer, "vps.no-zone-yet.com").await;
    let vps = app
        .post("dns/activate.json", &[("order-id", &host.to_string())])
        .await;
    assert!(
        vps.error().starts_with(&format!("Order {host} is not")),
        "{}",
        vps.text
    );

    // Deleting the domain takes its zone; restored, it has none until activated.
    app.post("domains/delete.json", &[("order-id", &order)])
        .await
        .ok();
    let gone = app
        .get(
            "dns/manage/search-records.json",
            &[
                ("domain-name", name),
                ("type", "A"),
                ("no-of-records", "10"),
                ("page-no", "1"),
            ],
        )
        .await;
    assert_eq!(
        gone.error(),
        "DNS service is not active for short-lived.com: activate it with dns/activate"
    );
    let deleted = app.post("dns/activate.json", &[("order-id", &order)]).await;
    assert_eq!(
        deleted.error(),
        format!("Order {order} is Deleted: DNS is hosted only for an Active domain")
    );
    app.post(
        "domains/restore.json",
        &[("order-id", &order), ("invoice-option", "NoInvoice")],
    )
    .await
    .ok();
    app.post("dns/activate.json", &[("order-id", &order)])
        .await
        .ok();
    assert!(zone(&app, name).await.is_empty(), "a fresh zone");
}

pub(crate) mod over_the_wire {
    //! The DNS listener asked over UDP and TCP, with a DNS client crate and
    //! with `dig`, as users ask it.

    use super::hosted;
    use crate::common::TestApp;
    use hickory_proto::op::{Message, Query, ResponseCode};
    use hickory_proto::rr::{Name, RData, RecordType};
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn listening(app: &TestApp) -> SocketAddr {
        reseller_server::dns_server::listen("127.0.0.1:0", app.store.clone())
            .await
            .expect("the DNS listener binds")
    }

    async fn ask(server: SocketAddr, name: &str, kind: RecordType, tcp: bool) -> Message {
        let mut query = Message::query();
        query.metadata.id = 4242;
        query.add_query(Query::query(Name::from_ascii(name).unwrap(), kind));
        let bytes = query.to_vec().unwrap();
        let reply = if tcp {
            let mut stream = tokio::net::TcpStream::connect(server).await.unwrap();
            let length = u16::try_from(bytes.len()).unwrap().to_be_bytes();
            stream
                .write_all(&[&length[..], &bytes].concat())
                .await
                .unwrap();
            let mut length = [0u8; 2];
            stream.read_exact(&mut length).await.unwrap();
            let mut reply = vec![0u8; usize::from(u16::from_be_bytes(length))];
            stream.read_exact(&mut reply).await.unwrap();
            reply
        } else {
            let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
            socket.send_to(&bytes, server).await.unwrap();
            let mut reply = vec![0u8; 4096];
            let n =
                tokio::time::timeout(std::time::Duration::from_secs(5), socket.recv(&mut reply))
                    .await
                    .expect("an answer within 5 s")
                    .unwrap();
            reply.truncate(n);
            reply
        };
        let message = Message::from_vec(&reply).unwrap();
        assert_eq!(message.metadata.id, 4242);
        message
    }

    /// The answer section as `name ttl type data` lines.
    fn lines(message: &Message) -> Vec<String> {
        message
            .answers
            .iter()
            .map(|r| format!("{} {} {} {}", r.name, r.ttl, r.record_type(), r.data))
            .collect()
    }

    fn serial(message: &Message) -> u32 {
        message
            .answers
            .iter()
            .chain(message.authorities.iter())
            .find_map(|r| match &r.data {
                RData::SOA(soa) => Some(soa.serial),
                _ => None,
            })
            .expect("an SOA")
    }

    /// What `dig` prints, asking the listener on `port`.
    pub(crate) async fn dig(port: u16, args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let output = tokio::task::spawn_blocking(move || {
            std::process::Command::new("dig")
                .args(["@127.0.0.1", "-p", &port.to_string(), "+time=5", "+tries=1"])
                .args(&args)
                .output()
                .expect("dig runs (Debian's dnsutils)")
        })
        .await
        .unwrap();
        assert!(output.status.success(), "dig failed: {output:?}");
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    }

    async fn post(app: &TestApp, call: &str, params: &[(&str, &str)]) {
        let reply = app.post(&format!("dns/manage/{call}.json"), params).await;
        assert_eq!(reply.ok().s("status"), "Success", "{call}");
    }

    /// Two instances on one PostgreSQL database, each with its own DNS
    /// listener, answer a change made through either alike.
    #[tokio::test]
    async fn instances_on_one_postgresql_database_answer_alike() {
        let app = TestApp::spawn_on(
            crate::common::Backend::Postgres,
            crate::common::money("10000"),
        )
        .await;
        let other = reseller_store::Store::open(&app.database_url).expect("a second instance");
        let first = listening(&app).await;
        let second = reseller_server::dns_server::listen("127.0.0.1:0", other)
            .await
            .unwrap();
        let zone = "shared-zone.com";
        hosted(&app, zone).await;
        post(
            &app,
            "add-ipv4-record",
            &[
                ("domain-name", zone),
                ("host", "www"),
                ("value", "192.0.2.7"),
            ],
        )
        .await;
        for server in [first, second] {
            let a = ask(server, "www.shared-zone.com.", RecordType::A, false).await;
            assert_eq!(lines(&a), ["www.shared-zone.com. 14400 A 192.0.2.7"]);
        }
        post(
            &app,
            "update-ipv4-record",
            &[
                ("domain-name", zone),
                ("host", "www"),
                ("current-value", "192.0.2.7"),
                ("new-value", "192.0.2.8"),
            ],
        )
        .await;
        for server in [second, first] {
            let a = ask(server, "www.shared-zone.com.", RecordType::A, true).await;
            assert_eq!(lines(&a), ["www.shared-zone.com. 14400 A 192.0.2.8"]);
        }
    }

    #[tokio::test]
    async fn records_added_through_the_api_resolve_and_changes_show_at_once() {
        let app = TestApp::spawn().await;
        let server = listening(&app).await;
        let zone = "resolve-me.com";
        hosted(&app, zone).await;
        for tcp in [false, true] {
            let soa = ask(server, "resolve-me.com.", RecordType::SOA, tcp).await;
            assert!(soa.metadata.authoritative);
            assert_eq!(soa.metadata.response_code, ResponseCode::NoError);
            let ns = ask(server, "resolve-me.com.", RecordType::NS, tcp).await;
            assert_eq!(
                lines(&ns),
                [
                    "resolve-me.com. 14400 NS dns1.reseller.example.",
                    "resolve-me.com. 14400 NS dns2.reseller.example.",
                ]
            );
        }
        let first = serial(&ask(server, "resolve-me.com.", RecordType::SOA, false).await);

        post(
            &app,
            "add-ipv4-record",
            &[
                ("domain-name", zone),
                ("host", "www"),
                ("value", "192.0.2.1"),
                ("ttl", "7200"),
            ],
        )
        .await;
        post(
            &app,
            "add-ipv6-record",
            &[
                ("domain-name", zone),
                ("host", "www"),
                ("value", "2001:db8::1"),
            ],
        )
        .await;
        post(
            &app,
            "add-mx-record",
            &[
                ("domain-name", zone),
                ("value", "mail.resolve-me.com"),
                ("priority", "5"),
            ],
        )
        .await;
        post(
            &app,
            "add-cname-record",
            &[
                ("domain-name", zone),
                ("host", "shop"),
                ("value", "www.resolve-me.com"),
            ],
        )
        .await;
        post(
            &app,
            "add-txt-record",
            &[("domain-name", zone), ("value", "v=spf1 mx -all")],
        )
        .await;
        post(
            &app,
            "add-srv-record",
            &[
                ("domain-name", zone),
                ("host", "_sip._tcp"),
                ("value", "sip.resolve-me.com"),
                ("priority", "10"),
                ("weight", "5"),
                ("port", "5060"),
            ],
        )
        .await;
        for tcp in [false, true] {
            let a = ask(server, "WWW.resolve-me.com.", RecordType::A, tcp).await;
            assert_eq!(lines(&a), ["www.resolve-me.com. 7200 A 192.0.2.1"]);
            let aaaa = ask(server, "www.resolve-me.com.", RecordType::AAAA, tcp).await;
            assert_eq!(lines(&aaaa), ["www.resolve-me.com. 14400 AAAA 2001:db8::1"]);
            let mx = ask(server, "resolve-me.com.", RecordType::MX, tcp).await;
            assert_eq!(
                lines(&mx),
                ["resolve-me.com. 14400 MX 5 mail.resolve-me.com."]
            );
            let cname = ask(server, "shop.resolve-me.com.", RecordType::A, tcp).await;
            assert_eq!(
                lines(&cname),
                ["shop.resolve-me.com. 14400 CNAME www.resolve-me.com."]
            );
            let txt = ask(server, "resolve-me.com.", RecordType::TXT, tcp).await;
            assert_eq!(lines(&txt), ["resolve-me.com. 14400 TXT v=spf1 mx -all"]);
            let srv = ask(server, "_sip._tcp.resolve-me.com.", RecordType::SRV, tcp).await;
            assert_eq!(
                lines(&srv),
                ["_sip._tcp.resolve-me.com. 14400 SRV 10 5 5060 sip.resolve-me.com."]
            );
        }
        let second = serial(&ask(server, "resolve-me.com.", RecordType::SOA, false).await);
        assert!(second > first, "the serial moves: {first} then {second}");

        // A name with records but not of the type asked: no records, the SOA.
        let empty = ask(server, "www.resolve-me.com.", RecordType::MX, false).await;
        assert_eq!(empty.metadata.response_code, ResponseCode::NoError);
        assert!(empty.answers.is_empty());
        assert_eq!(empty.authorities.len(), 1);
        // A name with names below it but no records of its own: the same.
        let between = ask(server, "_tcp.resolve-me.com.", RecordType::A, false).await;
        assert_eq!(between.metadata.response_code, ResponseCode::NoError);
        assert!(between.answers.is_empty());
        // A name that does not exist: NXDOMAIN with the SOA.
        let missing = ask(server, "nothing.resolve-me.com.", RecordType::A, true).await;
        assert_eq!(missing.metadata.response_code, ResponseCode::NXDomain);
        assert!(missing.metadata.authoritative);
        assert_eq!(serial(&missing), second);
        // A zone that is not ours: refused.
        let elsewhere = ask(server, "example.org.", RecordType::A, false).await;
        assert_eq!(elsewhere.metadata.response_code, ResponseCode::Refused);

        // Updated and deleted records change the next answer.
        post(
            &app,
            "update-ipv4-record",
            &[
                ("domain-name", zone),
                ("host", "www"),
                ("current-value", "192.0.2.1"),
                ("new-value", "192.0.2.9"),
            ],
        )
        .await;
        let updated = ask(server, "www.resolve-me.com.", RecordType::A, false).await;
        assert_eq!(lines(&updated), ["www.resolve-me.com. 7200 A 192.0.2.9"]);
        post(
            &app,
            "delete-ipv4-record",
            &[
                ("domain-name", zone),
                ("host", "www"),
                ("value", "192.0.2.9"),
            ],
        )
        .await;
        let deleted = ask(server, "www.resolve-me.com.", RecordType::A, false).await;
        assert!(
            deleted.answers.is_empty(),
            "AAAA remains, so no records: {deleted:?}"
        );
        assert_eq!(deleted.metadata.response_code, ResponseCode::NoError);
        let third = serial(&deleted);
        assert!(third > second);

        // dig, as users ask it (run off the test's one thread, which
        // answers it).
        let port = server.port();
        assert_eq!(
            dig(port, &["+short", "www.resolve-me.com", "AAAA"]).await,
            "2001:db8::1"
        );
        assert_eq!(
            dig(port, &["+short", "+tcp", "resolve-me.com", "MX"]).await,
            "5 mail.resolve-me.com."
        );
        assert_eq!(
            dig(port, &["+short", "resolve-me.com", "TXT"]).await,
            "\"v=spf1 mx -all\""
        );
        let full = dig(port, &["gone.resolve-me.com", "A"]).await;
        assert!(full.contains("status: NXDOMAIN"), "{full}");
        assert!(full.contains("flags: qr aa"), "authoritative: {full}");

        // Deleting the domain takes its zone off the air.
        let order = app
            .get("domains/orderid.json", &[("domain-name", zone)])
            .await
            .ok()
            .text
            .clone();
        app.post("domains/delete.json", &[("order-id", order.trim())])
            .await
            .ok();
        let off = ask(server, "www.resolve-me.com.", RecordType::AAAA, false).await;
        assert_eq!(off.metadata.response_code, ResponseCode::Refused);
    }
}

mod forwarding {
    //! Domain forwarding: the calls, and the HTTP listener serving a
    //! forwarded name by its `Host`, as `curl -H 'Host: ...'` asks it.

    use crate::common::TestApp;
    use crate::domains::{a_contact, registration};

    async fn forwarded(app: &TestApp, name: &str) -> String {
        let customer = app.signup(&format!("web@{name}")).await;
        let c = customer.to_string();
        let contact = a_contact(app, &c).await;
        let order = app
            .post(
                "domains/register.json",
                &registration(name, &c, &contact, "1", "NoInvoice"),
            )
            .await;
        let order = order.ok().s("entityid").to_string();
        let on = app
            .post("domainforward/activate.json", &[("order-id", &order)])
            .await;
        assert_eq!(on.ok().s("status"), "Success");
        order
    }

    /// A GET of `path` on the server with `Host: host`, not following
    /// redirects: its status, `Location` and body.
    async fn visit(app: &TestApp, host: &str, path: &str) -> (u16, String, String) {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let response = client
            .get(format!("http://{}{path}", app.addr))
            .header("Host", host)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, location, response.text().await.unwrap())
    }

    #[tokio::test]
    async fn a_forwarded_name_redirects_or_frames_its_destination() {
        let app = TestApp::spawn().await;
        let name = "forward-me.com";
        let order = forwarded(&app, name).await;
        // Not yet given a destination: the API answers the request as usual.
        let (status, _, _) = visit(&app, name, "/").await;
        assert_eq!(status, 404);

        let manage = |params: Vec<(&'static str, &'static str)>| {
            let app = &app;
            let order = order.clone();
            async move {
                let mut asked = vec![("order-id", order.as_str())];
                asked.extend(params);
                app.post("domainforward/manage.json", &asked).await
            }
        };
        assert_eq!(
            manage(vec![("forward-to", "https://destination.example.net/home")])
                .await
                .ok()
                .s("status"),
            "Success"
        );
        assert_eq!(
            visit(&app, "forward-me.com:8080", "/shop?x=1").await,
            (
                301,
                "https://destination.example.net/home".to_string(),
                String::new()
            )
        );
        manage(vec![("path-forwarding", "true")]).await.ok();
        let (status, location, _) = visit(&app, "FORWARD-ME.com", "/shop?x=1").await;
        assert_eq!(
            (status, location.as_str()),
            (301, "https://destination.example.net/home/shop?x=1")
        );

        manage(vec![
            ("url-masking", "true"),
            ("path-forwarding", "false"),
            (
                "meta-tags",
                r#"<meta name="description" content="Our shop">"#,
            ),
            ("noframes", "Visit <our> shop"),
        ])
        .await
        .ok();
        let (status, _, page) = visit(&app, name, "/").await;
        assert_eq!(status, 200);
        assert!(
            page.contains(r#"<frame src="https://destination.example.net/home""#),
            "{page}"
        );
        assert!(
            page.contains(r#"<meta name="description" content="Our shop">"#),
            "{page}"
        );
        assert!(
            page.contains("<noframes>Visit &lt;our&gt; shop</noframes>"),
            "{page}"
        );

        // Sub-domains: their own record, or the domain's when they follow it.
        manage(vec![
            ("sub-domain-prefix", "blog"),
            ("forward-to", "http://blog.example.org/"),
        ])
        .await
        .ok();
        let (status, location, _) = visit(&app, "blog.forward-me.com", "/post").await;
        assert_eq!(
            (status, location.as_str()),
            (301, "http://blog.example.org/")
        );
        let (status, _, _) = visit(&app, "shop.forward-me.com", "/").await;
        assert_eq!(
            status, 404,
            "not forwarded until sub-domain forwarding is on"
        );
        manage(vec![("sub-domain-forwarding", "true")]).await.ok();
        let (status, _, page) = visit(&app, "shop.forward-me.com", "/").await;
        assert_eq!(status, 200);
        assert!(page.contains("destination.example.net"), "{page}");

        let details = app
            .get(
                "domainforward/details.json",
                &[("order-id", &order), ("include-subdomain", "true")],
            )
            .await;
        let details = details.ok();
        assert_eq!(details.s("domainname"), name);
        assert_eq!(details.s("forward"), "https://destination.example.net/home");
        assert_eq!(details.s("urlmasking"), "true");
        assert_eq!(details.s("pathforwarding"), "false");
        assert_eq!(details.s("subdomainforwarding"), "true");
        assert_eq!(details.s("ipaddress"), "127.0.0.1");
        assert_eq!(
            details.body["subdomains"]["blog"]["forward"],
            "http://blog.example.org/"
        );
        let records = app
            .get("domainforward/dns-records.json", &[("domain-name", name)])
            .await;
        let hosts: Vec<&str> = records
            .ok()
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["host"].as_str().unwrap())
            .collect();
        assert_eq!(hosts, ["@", "*", "blog"]);
        assert_eq!(records.body[0]["value"], "127.0.0.1");
        assert_eq!(records.body[0]["type"], "A");

        // Removing a sub-domain's record, then the forwarding.
        let gone = app
            .post(
                "domainforward/sub-domain-record/delete.json",
                &[("order-id", &order), ("sub-domain-prefix", "blog")],
            )
            .await;
        assert_eq!(gone.ok().body, serde_json::json!(true));
        let (_, _, page) = visit(&app, "blog.forward-me.com", "/").await;
        assert!(
            page.contains("destination.example.net"),
            "follows the domain now"
        );
        let off = app
            .post("domainforward/delete.json", &[("domain-name", name)])
            .await;
        assert_eq!(off.ok().body, serde_json::json!(true));
        let (status, _, _) = visit(&app, name, "/").await;
        assert_eq!(status, 404);
        // The API itself is unaffected by a Host it does not forward.
        let api = app
            .get("domains/orderid.json", &[("domain-name", name)])
            .await;
        api.ok();
    }

    #[tokio::test]
    async fn forwarding_refuses_bad_input_and_strangers_changing_nothing() {
        let app = TestApp::spawn().await;
        let name = "forward-strict.com";
        let order = forwarded(&app, name).await;
        for (call, params, text) in [
            (
                "domainforward/manage.json",
                vec![
                    ("order-id", order.as_str()),
                    ("forward-to", "ftp://files.example.net"),
                ],
                "Invalid forward-to: ftp://files.example.net. It must be an http or https URL with a host, such as https://example.net/page, at most 2048 characters without spaces or quotes",
            ),
            (
                "domainforward/manage.json",
                vec![
                    ("order-id", order.as_str()),
                    ("meta-tags", "<script>alert(1)</script>"),
                ],
                "Invalid meta-tags: <script>alert(1)</script>. It must be <meta ...> tags and nothing else, at most 2048 characters",
            ),
            (
                "domainforward/manage.json",
                vec![("order-id", order.as_str()), ("sub-domain-prefix", "*")],
                "Invalid sub-domain-prefix: *. It must be a host under the domain, such as blog or eu.shop: labels of letters, digits, hyphens and underscores",
            ),
            (
                "domainforward/manage.json",
                vec![("order-id", order.as_str()), ("url-masking", "maybe")],
                "Invalid url-masking: maybe. It must be true or false (or 1 or 0)",
            ),
            (
                "domainforward/sub-domain-record/delete.json",
                vec![
                    ("order-id", order.as_str()),
                    ("sub-domain-prefix", "nowhere"),
                ],
                "Invalid sub-domain-prefix: nowhere. forward-strict.com forwards no such sub-domain",
            ),
            (
                "domainforward/delete.json",
                vec![("domain-name", "not-ours.com")],
                "Website doesn't exist for not-ours.com",
            ),
        ] {
            app.refuses(call, &params, text).await;
        }
        let details = app
            .get("domainforward/details.json", &[("order-id", &order)])
            .await;
        assert_eq!(details.ok().s("forward"), "", "nothing was set");

        let (other, key) = app
            .create_reseller("other", crate::common::money("10"))
            .await;
        let theirs = app.as_reseller(other, &key);
        let foreign = theirs
            .post(
                "domainforward/manage.json",
                &[
                    ("order-id", &order),
                    ("forward-to", "https://evil.example.net"),
                ],
            )
            .await;
        assert_eq!(
            foreign.error(),
            "You are not allowed to perform this action"
        );

        // A domain without forwarding, and a deleted one.
        app.post("domainforward/delete.json", &[("domain-name", name)])
            .await
            .ok();
        let inactive = app
            .post(
                "domainforward/manage.json",
                &[("order-id", &order), ("forward-to", "https://example.net")],
            )
            .await;
        assert_eq!(
            inactive.error(),
            "Domain forwarding is not active for forward-strict.com: activate it with domainforward/activate"
        );
    }
}
