//! A server killed with SIGKILL in the middle of an advance of the clock,
//! then restarted on the same database, still runs every job exactly
//! once: the jobs the advance left undone run, in time order, with the
//! next advance (and at start), and none that it did runs again. On
//! SQLite and on PostgreSQL.

mod common;

use common::serve;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const TOKEN: &str = "crash-admin-token";
const AUTH: &str = "auth-userid=1&api-key=key";
const DAY: i64 = 86_400;

/// One request on its own connection; None when no reply came (the
/// server is gone).
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
    wait: Duration,
) -> Option<serde_json::Value> {
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(wait)).ok()?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).ok()?;
    let (head, body) = reply.split_once("\r\n\r\n")?;
    assert!(
        head.starts_with("HTTP/1.1 200"),
        "{method} {path}: {head} {body}"
    );
    serde_json::from_str(body).ok()
}

fn api(addr: SocketAddr, path: &str) -> serde_json::Value {
    request(
        addr,
        "POST",
        &format!("/api/{path}&{AUTH}"),
        "",
        Duration::from_secs(30),
    )
    .unwrap_or_else(|| panic!("{path} answered"))
}

/// The mails kept so far: the newest mail's id (none sent but by jobs).
fn mails_sent(addr: SocketAddr) -> Option<i64> {
    let newest = request(
        addr,
        "GET",
        "/_reseller/outbox?limit=1",
        "",
        Duration::from_secs(10),
    )?;
    Some(
        newest
            .as_array()?
            .first()
            .map_or(0, |m| m["id"].as_i64().unwrap()),
    )
}

fn customer(addr: SocketAddr, name: &str, funds: &str) -> i64 {
    let id = api(addr, &format!("customers/signup.json?username={name}@example.com&passwd=secret123&name=C&company=C&address-line-1=A&city=C&state=S&country=US&zipcode=1&phone-cc=1&phone=5550100"))
        .as_i64()
        .unwrap();
    if funds != "0" {
        api(
            addr,
            &format!(
                "billing/add-customer-fund.json?customer-id={id}&amount={funds}&description=d&transaction-type=receipt&transaction-key={name}"
            ),
        );
    }
    id
}

/// A monthly VPS with auto-renewal on.
fn monthly_vps(addr: SocketAddr, customer: i64, n: usize) -> i64 {
    let reply = api(
        addr,
        &format!(
            "vps/linux/us/add.json?domain-name=host{n}.example.com&customer-id={customer}&months=1&plan-id=101&auto-renew=true&invoice-option=NoInvoice"
        ),
    );
    reply["entityid"].as_str().unwrap().parse().unwrap()
}

fn kill_mid_advance(database_url: &str) {
    let (mut server, addr) = serve(
        database_url,
        &[
            ("RESELLER_ADMIN_TOKEN", TOKEN),
            ("RESELLER_DEMO_FUNDS", "1000000"),
        ],
    );
    let rich = customer(addr, "rich", "1000000");
    let poor = customer(addr, "poor", "0");
    let renewing: Vec<i64> = (0..160).map(|n| monthly_vps(addr, rich, n)).collect();
    let lapsing: Vec<i64> = (160..240).map(|n| monthly_vps(addr, poor, n)).collect();
    let start =
        request(addr, "GET", "/_reseller/clock", "", Duration::from_secs(10)).unwrap()["now"]
            .as_i64()
            .unwrap();

    // A year's advance, killed once its first jobs are kept.
    let advancing = std::thread::spawn(move || {
        request(
            addr,
            "POST",
            "/_reseller/clock/advance",
            r#"{"days": 365}"#,
            Duration::from_secs(600),
        )
    });
    let began = Instant::now();
    let at_kill = loop {
        let sent = mails_sent(addr).expect("the outbox answers during the advance");
        if sent > 0 {
            break sent;
        }
        assert!(began.elapsed() < Duration::from_secs(60), "no job ran");
        std::thread::sleep(Duration::from_millis(2));
    };
    server.kill();
    assert!(
        advancing.join().unwrap().is_none(),
        "the advance was killed before it answered"
    );

    // Restarted: the clock stays advanced, and the next advance (and the
    // sweep at start) runs what the killed one left.
    let (mut server, addr) = serve(
        database_url,
        &[
            ("RESELLER_ADMIN_TOKEN", TOKEN),
            ("RESELLER_DEMO_FUNDS", "1000000"),
        ],
    );
    let now = request(addr, "GET", "/_reseller/clock", "", Duration::from_secs(10)).unwrap()["now"]
        .as_i64()
        .unwrap();
    assert!(now >= start + 365 * DAY, "the advanced clock is kept");
    let moved = request(
        addr,
        "POST",
        "/_reseller/clock/advance",
        r#"{"seconds": 1}"#,
        Duration::from_secs(600),
    )
    .expect("the advance after the restart answers");
    let total = mails_sent(addr).unwrap();
    assert!(
        total > at_kill,
        "jobs were left when it was killed ({at_kill} mails then, {total} now; {moved})"
    );

    // Every job once: no mail twice, and every order where a year brings it.
    let outbox = |order: i64| -> Vec<(String, i64)> {
        request(
            addr,
            "GET",
            &format!("/_reseller/outbox?order-id={order}&limit=1000"),
            "",
            Duration::from_secs(10),
        )
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_string(),
                m["time"].as_i64().unwrap(),
            )
        })
        .collect()
    };
    let details = |order: i64| {
        request(
            addr,
            "GET",
            &format!("/api/vps/linux/us/details.json?order-id={order}&{AUTH}"),
            "",
            Duration::from_secs(10),
        )
        .unwrap()
    };
    let mut notices = HashSet::new();
    for &order in &renewing {
        let mails = outbox(order);
        let unique: HashSet<_> = mails.iter().collect();
        assert_eq!(
            unique.len(),
            mails.len(),
            "order {order} mailed twice: {mails:?}"
        );
        // Each renewal: its notice, then the invoice it was paid by
        // (newest first).
        assert!(
            mails
                .chunks(2)
                .all(|pair| pair[0].0 == "invoice" && pair[1].0 == "renewal-notice"),
            "{mails:?}"
        );
        assert_eq!(mails.len() % 2, 0, "{mails:?}");
        notices.insert(mails.len() / 2);
        let order = details(order);
        assert_eq!(order["currentstatus"], "Active");
        let end: i64 = order["endtime"].as_str().unwrap().parse().unwrap();
        assert!(
            end - 7 * DAY > now,
            "renewed through the year: ends {end}, now {now}"
        );
    }
    // Bought within seconds of each other, they renewed alike: 12 or 13
    // times in a year.
    assert_eq!(notices.len(), 1, "renewed alike: {notices:?}");
    assert!(notices.iter().all(|n| (12..=13).contains(n)), "{notices:?}");
    for &order in &lapsing {
        let kinds: Vec<String> = outbox(order)
            .into_iter()
            .rev()
            .map(|(kind, _)| kind)
            .collect();
        assert_eq!(
            kinds,
            [
                "renewal-notice",
                "invoice",
                "renewal-failed",
                "expiry",
                "deletion"
            ],
            "order {order}"
        );
        assert_eq!(details(order)["currentstatus"], "Archived");
    }
    // Each renewal paid once: the rich customer paid 10.000 a month each.
    let renewals = *notices.iter().next().unwrap() as i64;
    let balance = request(
        addr,
        "GET",
        &format!("/api/billing/customer-balance.json?customer-id={rich}&{AUTH}"),
        "",
        Duration::from_secs(10),
    )
    .unwrap();
    let left: f64 = balance["sellingcurrencybalance"].as_str().map_or_else(
        || balance["sellingcurrencybalance"].as_f64().unwrap(),
        |s| s.parse().unwrap(),
    );
    let paid = 1_000_000.0 - left;
    assert!(
        (paid - 10.0 * renewing.len() as f64 * renewals as f64).abs() < 0.001,
        "paid {paid} for {renewals} renewals of {} orders",
        renewing.len()
    );
    server.kill();
    common::assert_ledger_balances(database_url);
}

#[test]
fn sqlite_runs_every_job_once_through_a_sigkill_mid_advance() {
    let dir = tempfile::tempdir().unwrap();
    kill_mid_advance(&format!(
        "sqlite://{}",
        dir.path().join("advance.db").display()
    ));
}

#[test]
fn postgres_runs_every_job_once_through_a_sigkill_mid_advance() {
    let scratch = reseller_testdb::ScratchDatabase::create().expect("a PostgreSQL database");
    kill_mid_advance(&scratch.url);
}
