//! A server killed with SIGKILL in the middle of a write load loses nothing
//! it answered: restarted on the same database, every order whose reply
//! came back is there, no action is half written, and the ledger balances.
//! On SQLite and on PostgreSQL.

mod common;

use common::serve;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request on its own connection; None when the server is gone.
fn call(addr: SocketAddr, method: &str, path: &str) -> Option<serde_json::Value> {
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .ok()?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).ok()?;
    let (head, body) = reply.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.1 200")
        .then(|| serde_json::from_str(body).ok())
        .flatten()
}

fn crash_and_recover(database_url: &str) {
    let (mut server, addr) = serve(database_url, &[]);
    let auth = "auth-userid=1&api-key=key";
    let customer = call(addr, "POST", &format!("/api/customers/signup.json?{auth}&username=c@example.com&passwd=secret123&name=C&company=C&address-line-1=A&city=C&state=S&country=US&zipcode=1&phone-cc=1&phone=5550100"))
        .expect("signup")
        .as_i64()
        .unwrap();
    call(addr, "POST", &format!("/api/billing/add-customer-fund.json?{auth}&customer-id={customer}&amount=100000&description=d&transaction-type=receipt&transaction-key=k")).expect("funds");
    let vps = call(addr, "POST", &format!("/api/vps/linux/us/add.json?{auth}&domain-name=example.com&customer-id={customer}&months=1&plan-id=101&invoice-option=NoInvoice")).expect("vps");
    let vps = vps["entityid"].as_str().unwrap().to_string();

    let answered = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for n in 0..8 {
        let (answered, stop) = (answered.clone(), stop.clone());
        let option = if n % 2 == 0 {
            "PayInvoice"
        } else {
            "NoInvoice"
        };
        let path = format!(
            "/api/backup/us/add.json?{auth}&storage-size-gb=20&customer-id={customer}&hosting-order-id={vps}&months=1&plan-id=301&invoice-option={option}"
        );
        writers.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match call(addr, "POST", &path) {
                    Some(reply) => answered
                        .lock()
                        .unwrap()
                        .push(reply["entityid"].as_str().unwrap().to_string()),
                    None => break,
                }
            }
        }));
    }
    // Kill it once the load is well under way.
    while answered.lock().unwrap().len() < 200 {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();

    let (mut server, addr) = serve(database_url, &[]);
    for order in &answered {
        let details = call(
            addr,
            "GET",
            &format!("/api/backup/us/details.json?{auth}&order-id={order}"),
        )
        .unwrap_or_else(|| panic!("order {order} was answered but is lost"));
        assert_eq!(details["currentstatus"], "Active", "order {order}");
    }
    // Every order has its Add action and nothing is left half done.
    let orders = call(
        addr,
        "GET",
        &format!("/api/backup/us/search.json?{auth}&no-of-records=10&page-no=1"),
    )
    .unwrap();
    let actions = call(
        addr,
        "GET",
        &format!(
            "/api/actions/search-current.json?{auth}&no-of-records=10&page-no=1&action-type=Add"
        ),
    )
    .unwrap();
    let backups: u64 = orders["recsindb"].as_str().unwrap().parse().unwrap();
    let adds: u64 = actions["recsindb"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        adds,
        backups + 1,
        "one Add action per order (the backups and the VPS)"
    );
    assert!(backups as usize >= answered.len());
    server.kill();
    common::assert_ledger_balances(database_url);
}

#[test]
fn sqlite_keeps_every_answered_order_through_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    crash_and_recover(&format!(
        "sqlite://{}",
        dir.path().join("crash.db").display()
    ));
}

#[test]
fn postgres_keeps_every_answered_order_through_sigkill() {
    let scratch = reseller_testdb::ScratchDatabase::create().expect("a PostgreSQL database");
    crash_and_recover(&scratch.url);
}
