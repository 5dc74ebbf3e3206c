//! The `reseller` binary as a user runs it: `serve` on an empty database
//! prints the demo credentials, answers, logs no api-key and stops cleanly
//! on SIGTERM; `admin reseller create` adds a reseller that can call the API.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn reseller() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reseller"))
}

struct Server {
    child: Child,
    base: String,
    lines: Vec<String>,
}

/// Starts `reseller serve` on a free port and reads its banner.
fn serve(db: &str, env: &[(&str, &str)]) -> Server {
    let mut command = reseller();
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", db])
        .env("RESELLER_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("reseller starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for line in stdout.lines() {
        let line = line.expect("a line");
        let done = line.starts_with("listening on ");
        lines.push(line);
        if done {
            break;
        }
    }
    let base = lines
        .last()
        .and_then(|l| l.strip_prefix("listening on "))
        .expect("a listen line")
        .to_string();
    Server { child, base, lines }
}

fn curl(args: &[&str]) -> String {
    let output = Command::new("curl")
        .arg("-s")
        .args(args)
        .output()
        .expect("curl runs");
    String::from_utf8(output.stdout).unwrap()
}

fn stop(mut server: Server) -> String {
    let pid = server.child.id().to_string();
    Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "serve exited with {status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut server.child.stderr.take().unwrap(), &mut stderr).unwrap();
    stderr
}

#[test]
fn serve_prints_demo_credentials_answers_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let server = serve(
        &db,
        &[
            ("RESELLER_DEMO_API_KEY", "sekrit-demo-key"),
            ("RESELLER_DEMO_FUNDS", "123.45"),
        ],
    );
    assert!(
        server.lines.contains(&"auth-userid: 1".to_string()),
        "{:?}",
        server.lines
    );
    assert!(
        server
            .lines
            .contains(&"api-key: sekrit-demo-key".to_string()),
        "{:?}",
        server.lines
    );

    assert_eq!(curl(&[&format!("{}/health", server.base)]), "ok");
    let balance = curl(&[&format!(
        "{}/api/billing/reseller-balance.json?auth-userid=1&api-key=sekrit-demo-key",
        server.base
    )]);
    assert!(
        balance.contains("\"sellingcurrencybalance\":\"123.450\""),
        "{balance}"
    );
    let plans = curl(&[&format!(
        "{}/api/products/plan-details.json?auth-userid=1&api-key=sekrit-demo-key",
        server.base
    )]);
    assert!(plans.contains("acronisbackupasia"), "{plans}");
    let stderr = stop(server);
    assert!(
        stderr.contains("request"),
        "debug logging shows requests: {stderr}"
    );
    assert!(
        !stderr.contains("sekrit-demo-key"),
        "the api-key leaked into the log: {stderr}"
    );

    // Restarted on the same file: no new demo reseller, the same key works.
    let server = serve(&db, &[]);
    assert!(
        !server.lines.iter().any(|l| l.starts_with("api-key")),
        "{:?}",
        server.lines
    );
    let balance = curl(&[&format!(
        "{}/api/billing/reseller-balance.json?auth-userid=1&api-key=sekrit-demo-key",
        server.base
    )]);
    assert!(
        balance.contains("\"sellingcurrencybalance\":\"123.450\""),
        "{balance}"
    );
    stop(server);
}

#[test]
fn admin_reseller_create_prints_credentials_that_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let output = reseller()
        .args([
            "admin",
            "reseller",
            "create",
            "--name",
            "White Label",
            "--funds",
            "500",
            "--database-url",
            &db,
        ])
        .output()
        .expect("admin runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .to_string()
    };
    let (id, key) = (field("auth-userid: "), field("api-key: "));
    assert_eq!(key.len(), 64);

    let server = serve(&db, &[]);
    let balance = curl(&[&format!(
        "{}/api/billing/reseller-balance.json?auth-userid={id}&api-key={key}",
        server.base
    )]);
    assert!(
        balance.contains("\"sellingcurrencybalance\":\"500.000\""),
        "{balance}"
    );
    stop(server);

    let check = reseller()
        .args(["admin", "check-ledger", "--database-url", &db])
        .output()
        .unwrap();
    assert!(check.status.success());
    let bad = reseller()
        .args([
            "admin",
            "reseller",
            "create",
            "--name",
            "X",
            "--funds=-5",
            "--database-url",
            &db,
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not an amount"));
}

/// `reseller sandbox ...` against `server`, as a user runs it.
fn sandbox(server: &Server, token: &str, args: &[&str]) -> std::process::Output {
    reseller()
        .args(["sandbox", "--url", &server.base, "--token", token])
        .args(args)
        .env_remove("RESELLER_ADMIN_TOKEN")
        .output()
        .expect("reseller runs")
}

#[test]
fn serve_prints_an_admin_token_that_opens_the_sandbox_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let server = serve(&db, &[("RESELLER_DEMO_API_KEY", "sekrit-demo-key")]);
    let token = server
        .lines
        .iter()
        .find_map(|l| l.strip_prefix("admin-token: "))
        .expect("a generated admin token is printed")
        .to_string();
    assert_eq!(token.len(), 64, "{token}");
    let clock = sandbox(&server, &token, &["clock"]);
    assert!(clock.status.success(), "{clock:?}");
    let clock: serde_json::Value = serde_json::from_slice(&clock.stdout).unwrap();
    assert_eq!(clock["offset_seconds"], 0);
    let moved = sandbox(&server, &token, &["advance", "--days", "3"]);
    assert!(moved.status.success(), "{moved:?}");
    let moved: serde_json::Value = serde_json::from_slice(&moved.stdout).unwrap();
    assert_eq!(moved["offset_seconds"], 3 * 86_400);
    let outbox = sandbox(&server, &token, &["outbox", "--limit", "5"]);
    assert!(outbox.status.success(), "{outbox:?}");
    let outbox: serde_json::Value = serde_json::from_slice(&outbox.stdout).unwrap();
    assert_eq!(outbox, serde_json::json!([]));
    let rules = dir.path().join("faults.json");
    std::fs::write(
        &rules,
        r#"[{"call": "customers/*", "count": 1, "status": 500}]"#,
    )
    .unwrap();
    let set = sandbox(
        &server,
        &token,
        &["faults", "--set", rules.to_str().unwrap()],
    );
    assert!(set.status.success(), "{set:?}");
    let set: serde_json::Value = serde_json::from_slice(&set.stdout).unwrap();
    assert_eq!(set[0]["count"], 1);
    let cleared = sandbox(&server, &token, &["faults", "--clear"]);
    let cleared: serde_json::Value = serde_json::from_slice(&cleared.stdout).unwrap();
    assert_eq!(cleared, serde_json::json!([]));
    curl(&[&format!(
        "{}/api/billing/reseller-balance.json?auth-userid=1&api-key=sekrit-demo-key",
        server.base
    )]);
    let requests = sandbox(&server, &token, &["requests", "--limit", "1"]);
    let requests: serde_json::Value = serde_json::from_slice(&requests.stdout).unwrap();
    assert_eq!(requests[0]["call"], "billing/reseller-balance");
    assert_eq!(requests[0]["params"]["api-key"], "***");
    let set = sandbox(&server, &token, &["provisioning", "--set", "realistic"]);
    assert!(set.status.success(), "{set:?}");
    let shown = sandbox(&server, &token, &["provisioning", "--reseller", "1"]);
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["mode"], "realistic");
    let refused = sandbox(&server, &token, &["provisioning", "--set", "slow"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("Invalid mode: it must be instant or realistic"),
        "{refused:?}"
    );
    let taken = sandbox(&server, &token, &["snapshot", "clean"]);
    assert!(taken.status.success(), "{taken:?}");
    let listed = sandbox(&server, &token, &["snapshots"]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["name"], "clean");
    let restored = sandbox(&server, &token, &["restore", "clean"]);
    assert!(restored.status.success(), "{restored:?}");
    let reset = sandbox(&server, &token, &["reset"]);
    assert!(reset.status.success(), "{reset:?}");
    let reset: serde_json::Value = serde_json::from_slice(&reset.stdout).unwrap();
    assert_eq!(reset["offset_seconds"], 0);
    let moved = sandbox(&server, &token, &["advance", "--days", "3"]);
    assert!(moved.status.success(), "{moved:?}");
    // A tenant of its own, with its clock, snapshots and reset.
    let json = |output: std::process::Output| -> serde_json::Value {
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let made = json(sandbox(
        &server,
        &token,
        &["tenant", "create", "--funds", "250", "--clock"],
    ));
    let id = made["id"].to_string();
    assert_eq!(made["funds"], "250.000");
    assert_eq!(made["api-key"].as_str().unwrap().len(), 64);
    let moved = json(sandbox(
        &server,
        &token,
        &["tenant", "advance", &id, "--days", "2"],
    ));
    assert_eq!(
        moved["offset_seconds"],
        5 * 86_400,
        "3 global days, then 2 of its own"
    );
    json(sandbox(
        &server,
        &token,
        &["tenant", "snapshot", &id, "two-days"],
    ));
    let listed = json(sandbox(&server, &token, &["tenant", "snapshots", &id]));
    assert_eq!(listed[0]["name"], "two-days");
    let reset = json(sandbox(&server, &token, &["tenant", "reset", &id]));
    assert_eq!(reset["clock"]["offset_seconds"], 3 * 86_400);
    let restored = json(sandbox(
        &server,
        &token,
        &["tenant", "restore", &id, "two-days"],
    ));
    assert_eq!(restored["offset_seconds"], 5 * 86_400);
    let global = json(sandbox(&server, &token, &["clock"]));
    assert_eq!(global["offset_seconds"], 3 * 86_400);
    json(sandbox(&server, &token, &["tenant", "delete", &id]));
    let gone = sandbox(&server, &token, &["tenant", "clock", &id]);
    assert!(
        String::from_utf8_lossy(&gone.stderr).contains("404"),
        "{gone:?}"
    );
    // The API's key does not open it, and the command says why.
    let refused = sandbox(&server, "sekrit-demo-key", &["clock"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("401"),
        "{refused:?}"
    );
    let stderr = stop(server);
    assert!(
        !stderr.contains(&token),
        "the admin token leaked into the log"
    );

    // A token given is used, not printed.
    let server = serve(&db, &[("RESELLER_ADMIN_TOKEN", "given-admin-token")]);
    assert!(
        !server.lines.iter().any(|l| l.starts_with("admin-token")),
        "{:?}",
        server.lines
    );
    let clock = sandbox(&server, "given-admin-token", &["clock"]);
    assert!(clock.status.success(), "{clock:?}");
    let clock: serde_json::Value = serde_json::from_slice(&clock.stdout).unwrap();
    assert_eq!(clock["offset_seconds"], 3 * 86_400, "kept in the database");
    stop(server);
}

/// `reseller api ...` against `server` with `key`, as a user runs it (the
/// key from the environment).
fn api(server: &Server, key: &str, args: &[&str]) -> std::process::Output {
    reseller()
        .args(["api", "--url", &server.base, "--auth-userid", "1"])
        .args(args)
        .env("RESELLER_API_KEY", key)
        .output()
        .expect("reseller runs")
}

#[test]
fn api_calls_any_call_with_the_method_of_its_route_and_says_why_a_call_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let server = serve(&db, &[("RESELLER_DEMO_API_KEY", "sekrit-demo-key")]);
    let signup = [
        "customers/signup",
        "username=cli@example.com",
        "passwd=s3cret-pass",
        "name=Cli",
        "company=Cli",
        "address-line-1=1 Road",
        "city=X",
        "state=Y",
        "country=US",
        "zipcode=10001",
        "phone-cc=1",
        "phone=5550100",
    ];
    let signed = api(&server, "sekrit-demo-key", &signup);
    assert!(signed.status.success(), "{signed:?}");
    let id: i64 = String::from_utf8_lossy(&signed.stdout)
        .trim()
        .parse()
        .unwrap();
    // A read: GET, from the route table.
    let shown = api(
        &server,
        "sekrit-demo-key",
        &[
            "/api/customers/details-by-id.json",
            &format!("customer-id={id}"),
        ],
    );
    assert!(shown.status.success(), "{shown:?}");
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["username"], "cli@example.com");
    // A refusal: the API's message, and a failing exit.
    let again = api(&server, "sekrit-demo-key", &signup);
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("refused (HTTP 500)") && said.contains("cli@example.com"),
        "{said}"
    );
    // A wrong key, which is never printed.
    let wrong = api(
        &server,
        "not-the-key",
        &["billing/reseller-balance", "reseller-id=1"],
    );
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("refused"), "{said}");
    assert!(!said.contains("not-the-key"), "{said}");
    // A call this server does not serve needs its method.
    let unknown = api(&server, "sekrit-demo-key", &["domains/no-such-call"]);
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("give --method get or --method post"),
        "{unknown:?}"
    );
    let bad = api(
        &server,
        "sekrit-demo-key",
        &["customers/search", "no-equals-sign"],
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not key=value"));
    let log = stop(server);
    assert!(!log.contains("not-the-key"), "{log}");
}

/// `reseller ARGS` with a profile file and no account in the environment.
fn with_profile(config: &std::path::Path, args: &[&str]) -> std::process::Output {
    reseller()
        .args(args)
        .env("RESELLER_CONFIG", config)
        .env_remove("RESELLER_URL")
        .env_remove("RESELLER_AUTH_USERID")
        .env_remove("RESELLER_API_KEY")
        .env_remove("RESELLER_PROFILE")
        .output()
        .expect("reseller runs")
}

#[test]
fn a_profile_signs_up_a_customer_places_an_order_and_shows_it_as_a_table_and_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let server = serve(&db, &[("RESELLER_DEMO_API_KEY", "profile-demo-key")]);
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.default]\nurl = \"{}\"\nauth-userid = \"1\"\napi-key = \"profile-demo-key\"\n\n[profiles.stranger]\nurl = \"{}\"\nauth-userid = \"1\"\napi-key = \"a-wrong-key\"\n",
            server.base, server.base
        ),
    )
    .unwrap();
    let text = |output: &std::process::Output| String::from_utf8_lossy(&output.stdout).to_string();

    let added = with_profile(
        &config,
        &[
            "customers",
            "add",
            "--json",
            "--username",
            "prof@example.com",
            "--password",
            "s3cret-pass",
            "--name",
            "Prof",
            "--company",
            "Prof",
            "--address",
            "1 Road",
            "--city",
            "X",
            "--state",
            "Y",
            "--country",
            "US",
            "--zipcode",
            "10001",
            "--phone-cc",
            "1",
            "--phone",
            "5550100",
        ],
    );
    assert!(added.status.success(), "{added:?}");
    let customer =
        serde_json::from_slice::<serde_json::Value>(&added.stdout).unwrap()["customer_id"]
            .as_i64()
            .unwrap();
    let customer = customer.to_string();

    let placed = with_profile(
        &config,
        &[
            "orders",
            "add",
            "vps/linux/us",
            "--customer-id",
            &customer,
            "--plan-id",
            "101",
            "--domain-name",
            "cli-host.example.com",
            "--json",
        ],
    );
    assert!(placed.status.success(), "{placed:?}");
    let placed: serde_json::Value = serde_json::from_slice(&placed.stdout).unwrap();
    assert_eq!(placed["action_type"], "Add");
    assert_eq!(placed["action_status"], "Success");
    let order = placed["order_id"].as_i64().unwrap().to_string();

    // As a table for people: one field a line, the values aligned.
    let table = with_profile(&config, &["orders", "show", "vps/linux/us", &order]);
    assert!(table.status.success(), "{table:?}");
    let table = text(&table);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0], format!("order_id     {order}"));
    assert!(
        lines.contains(&"description  cli-host.example.com"),
        "{table}"
    );
    assert!(lines.contains(&"status       Active"), "{table}");
    assert!(
        lines.contains(&format!("customer_id  {customer}").as_str()),
        "{table}"
    );
    // And as JSON for scripts.
    let shown = with_profile(
        &config,
        &["orders", "show", "vps/linux/us", &order, "--json"],
    );
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["status"], "Active");
    assert_eq!(shown["customer_id"].to_string(), customer);

    // An order left to pay, paid from the command line.
    let funded = with_profile(
        &config,
        &[
            "api",
            "billing/add-customer-fund",
            &format!("customer-id={customer}"),
            "amount=50",
            "description=cli",
            "transaction-type=receipt",
            "transaction-key=cli-1",
        ],
    );
    assert!(funded.status.success(), "{funded:?}");
    let waiting = with_profile(
        &config,
        &[
            "orders",
            "add",
            "vps/linux/us",
            "--customer-id",
            &customer,
            "--plan-id",
            "101",
            "--domain-name",
            "cli-later.example.com",
            "--invoice-option",
            "OnlyAdd",
            "--json",
        ],
    );
    let waiting: serde_json::Value = serde_json::from_slice(&waiting.stdout).unwrap();
    assert_eq!(waiting["action_status"], "PendingExecution");
    let invoice = waiting["invoice_id"].as_i64().unwrap().to_string();
    let paid = with_profile(&config, &["invoices", "pay", &invoice]);
    assert!(paid.status.success(), "{paid:?}");
    let paid = text(&paid);
    assert!(
        paid.contains(&format!("invoice_id      {invoice}")),
        "{paid}"
    );
    assert!(paid.contains("status          Paid"), "{paid}");
    assert!(paid.contains("action_status   Success"), "{paid}");
    let twice = with_profile(&config, &["invoices", "pay", &invoice]);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("only an Unpaid invoice can be paid"));

    // A domain: free, registered for the customer, shown.
    let free = with_profile(
        &config,
        &["domains", "available", "cli-shop", "github", "--tld", "com"],
    );
    let free = text(&free);
    assert!(free.contains("cli-shop.com  available"), "{free}");
    assert!(free.contains("github.com    regthroughothers"), "{free}");
    let contact = with_profile(
        &config,
        &[
            "api",
            "contacts/add",
            &format!("customer-id={customer}"),
            "name=Prof",
            "company=Prof",
            "email=prof@example.com",
            "address-line-1=1 Road",
            "city=X",
            "state=NY",
            "country=US",
            "zipcode=10001",
            "phone-cc=1",
            "phone=5550100",
            "type=Contact",
        ],
    );
    assert!(contact.status.success(), "{contact:?}");
    let contact = text(&contact).trim().to_string();
    let registered = with_profile(
        &config,
        &[
            "domains",
            "register",
            "cli-shop.com",
            "--customer-id",
            &customer,
            "--contact-id",
            &contact,
            "--ns",
            "ns1.example.net",
            "--ns",
            "ns2.example.net",
            "--json",
        ],
    );
    assert!(registered.status.success(), "{registered:?}");
    let registered: serde_json::Value = serde_json::from_slice(&registered.stdout).unwrap();
    assert_eq!(registered["action_type"], "AddNewDomain");
    let domain = registered["order_id"].as_i64().unwrap().to_string();
    let shown = text(&with_profile(&config, &["domains", "show", &domain]));
    assert!(shown.contains("name          cli-shop.com"), "{shown}");
    assert!(
        shown.contains("name_servers  ns1.example.net ns2.example.net"),
        "{shown}"
    );

    // Another profile, whose key is wrong: the API's refusal, no key shown.
    let refused = with_profile(
        &config,
        &["customers", "show", &customer, "--profile", "stranger"],
    );
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("refused (HTTP"), "{said}");
    assert!(!said.contains("a-wrong-key"), "{said}");
    // A profile that is not there, and an account with no key, say so.
    let missing = with_profile(&config, &["customers", "show", "1", "--profile", "nobody"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no profile nobody in"));
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let keyless = with_profile(&empty, &["customers", "show", "1"]);
    assert!(
        String::from_utf8_lossy(&keyless.stderr).contains("no auth-userid: give --auth-userid"),
        "{keyless:?}"
    );
    // Shell completions.
    let completions = reseller().args(["completions", "bash"]).output().unwrap();
    assert!(text(&completions).contains("reseller"), "{completions:?}");
    let log = stop(server);
    assert!(!log.contains("a-wrong-key"), "{log}");
}

#[test]
fn list_commands_page_through_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    // More orders than one page holds (500): 3 customers, each a VPS, and
    // 620 backups spread over them.
    let seeded = reseller()
        .args(["admin", "seed", "--customers", "3", "--orders", "620"])
        .args(["--database-url", &db])
        .env("RESELLER_DEMO_API_KEY", "list-demo-key")
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{seeded:?}");
    let server = serve(&db, &[]);
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.default]\nurl = \"{}\"\nauth-userid = \"1\"\napi-key = \"list-demo-key\"\n",
            server.base
        ),
    )
    .unwrap();
    let listed = with_profile(&config, &["orders", "list", "backup/us", "--json"]);
    assert!(listed.status.success(), "{listed:?}");
    let orders: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    let mut ids: Vec<i64> = orders
        .iter()
        .map(|o| o["order_id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 620, "every backup once");
    // The bar is drawn only on a terminal: nothing on stderr here.
    assert!(
        listed.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );

    let customer = orders[0]["customer_id"].as_i64().unwrap().to_string();
    let theirs = with_profile(
        &config,
        &[
            "orders",
            "list",
            "backup/us",
            "--customer-id",
            &customer,
            "--json",
        ],
    );
    let theirs: Vec<serde_json::Value> = serde_json::from_slice(&theirs.stdout).unwrap();
    assert!(!theirs.is_empty() && theirs.len() < 620);
    assert!(
        theirs
            .iter()
            .all(|o| o["customer_id"].as_i64().unwrap().to_string() == customer)
    );

    let customers = with_profile(&config, &["customers", "list"]);
    assert!(customers.status.success(), "{customers:?}");
    let table = String::from_utf8_lossy(&customers.stdout);
    assert_eq!(table.matches("customer_id").count(), 3, "{table}");
    stop(server);
}

#[test]
fn dns_commands_host_a_zone_that_the_servers_own_dns_listener_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let server = serve(
        &db,
        &[
            ("RESELLER_DEMO_API_KEY", "dns-demo-key"),
            ("RESELLER_DNS_LISTEN", "127.0.0.1:0"),
        ],
    );
    let dns_address = server
        .lines
        .iter()
        .find_map(|l| l.strip_prefix("answering DNS on "))
        .and_then(|l| l.split_whitespace().next())
        .expect("the banner names the DNS listener")
        .to_string();
    let call = |args: &[&str]| {
        let output = api(&server, "dns-demo-key", args);
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout)
            .unwrap()
            .trim()
            .trim_matches('"')
            .to_string()
    };
    let customer = call(&[
        "customers/signup",
        "username=zone@example.com",
        "passwd=s3cret-pass",
        "name=Zone",
        "company=Zone",
        "address-line-1=1 Road",
        "city=X",
        "state=Y",
        "country=US",
        "zipcode=10001",
        "phone-cc=1",
        "phone=5550100",
        "lang-pref=en",
    ]);
    let contact = call(&[
        "contacts/add",
        "name=Zone",
        "company=Zone",
        "email=zone@example.com",
        "address-line-1=1 Road",
        "city=X",
        "country=US",
        "zipcode=10001",
        "phone-cc=1",
        "phone=5550100",
        &format!("customer-id={customer}"),
        "type=Contact",
    ]);
    let registered = call(&[
        "domains/register",
        "domain-name=cli-zone.com",
        "years=1",
        "ns=ns1.example.net",
        &format!("customer-id={customer}"),
        &format!("reg-contact-id={contact}"),
        &format!("admin-contact-id={contact}"),
        &format!("tech-contact-id={contact}"),
        &format!("billing-contact-id={contact}"),
        "invoice-option=NoInvoice",
    ]);
    let order = serde_json::from_str::<serde_json::Value>(&registered).unwrap()["entityid"]
        .as_str()
        .unwrap()
        .to_string();
    let dns = |args: &[&str]| {
        reseller()
            .arg("dns")
            .args(args)
            .args(["--url", &server.base, "--auth-userid", "1"])
            .env("RESELLER_API_KEY", "dns-demo-key")
            .output()
            .expect("reseller runs")
    };
    assert!(dns(&["activate", &order]).status.success());
    let added = dns(&[
        "add",
        "cli-zone.com",
        "A",
        "www",
        "192.0.2.44",
        "--ttl",
        "7200",
    ]);
    assert!(added.status.success(), "{added:?}");
    let refused = dns(&["add", "cli-zone.com", "A", "www", "999.1.1.1"]);
    assert!(!refused.status.success());
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        "error: Invalid value: 999.1.1.1. It must be an IPv4 address such as 192.0.2.1"
    );
    let listed = dns(&["list", "cli-zone.com", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        listed,
        serde_json::json!([{"type": "A", "host": "www", "value": "192.0.2.44", "ttl": 7200,
            "priority": null, "port": null, "weight": null}])
    );
    let table = String::from_utf8(dns(&["list", "cli-zone.com"]).stdout).unwrap();
    assert!(table.starts_with("type  host  value"), "{table}");

    let (host, port) = dns_address.rsplit_once(':').unwrap();
    let dig = Command::new("dig")
        .args([
            &format!("@{host}"),
            "-p",
            port,
            "+short",
            "+time=5",
            "www.cli-zone.com",
            "A",
        ])
        .output()
        .expect("dig runs");
    assert_eq!(String::from_utf8_lossy(&dig.stdout).trim(), "192.0.2.44");

    assert!(
        dns(&["delete", "cli-zone.com", "www", "192.0.2.44"])
            .status
            .success()
    );
    let empty = String::from_utf8(dns(&["list", "cli-zone.com"]).stdout).unwrap();
    assert_eq!(empty.trim(), "no records");
    stop(server);
}

/// An SMTP server on a free port that keeps what it is sent after `DATA`.
fn smtp_sink() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { break };
            let mut write = stream.try_clone().unwrap();
            let mut lines = BufReader::new(stream).lines();
            let _ = write.write_all(b"220 sink\r\n");
            let mut data: Option<String> = None;
            while let Some(Ok(line)) = lines.next() {
                if let Some(message) = data.as_mut() {
                    if line == "." {
                        kept.lock().unwrap().push(data.take().unwrap());
                        let _ = write.write_all(b"250 accepted\r\n");
                    } else {
                        message.push_str(&line);
                        message.push('\n');
                    }
                    continue;
                }
                let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                let answer: &[u8] = match verb.as_str() {
                    "DATA" => {
                        data = Some(String::new());
                        b"354 go on\r\n"
                    }
                    "QUIT" => {
                        let _ = write.write_all(b"221 bye\r\n");
                        break;
                    }
                    _ => b"250 ok\r\n",
                };
                let _ = write.write_all(answer);
            }
        }
    });
    (port, received)
}

#[test]
fn mail_commands_manage_mailboxes_and_the_relay_receives_the_platforms_mail() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let (port, received) = smtp_sink();
    let relay = format!("127.0.0.1:{port}");
    let server = serve(
        &db,
        &[
            ("RESELLER_DEMO_API_KEY", "mail-demo-key"),
            ("RESELLER_DNS_LISTEN", "off"),
            ("RESELLER_SMTP_RELAY", &relay),
        ],
    );
    assert!(
        server
            .lines
            .contains(&format!("delivering mail to the SMTP relay at {relay}")),
        "{:?}",
        server.lines
    );
    let call = |args: &[&str]| {
        let output = api(&server, "mail-demo-key", args);
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let customer = call(&[
        "customers/signup",
        "username=boss@example.com",
        "passwd=s3cret-pass",
        "name=Boss",
        "company=Boss",
        "address-line-1=1 Road",
        "city=X",
        "state=Y",
        "country=US",
        "zipcode=10001",
        "phone-cc=1",
        "phone=5550100",
        "lang-pref=en",
    ]);
    let added = call(&[
        "eelite/us/add",
        "domain-name=cli-mail.com",
        &format!("customer-id={}", customer.trim()),
        "months=1",
        "no-of-accounts=1",
        "invoice-option=NoInvoice",
    ]);
    let order = serde_json::from_str::<serde_json::Value>(&added).unwrap()["entityid"]
        .as_str()
        .unwrap()
        .to_string();
    let mail = |args: &[&str]| {
        reseller()
            .arg("mail")
            .args(args)
            .args(["--url", &server.base, "--auth-userid", "1"])
            .env("RESELLER_API_KEY", "mail-demo-key")
            .output()
            .expect("reseller runs")
    };
    let made = mail(&[
        "add",
        &order,
        "ana@cli-mail.com",
        "--password",
        "mailpass1",
        "--name",
        "Ana Lima",
    ]);
    assert!(made.status.success(), "{made:?}");
    let full = mail(&["add", &order, "bea@cli-mail.com", "--password", "mailpass1"]);
    assert!(!full.status.success());
    assert_eq!(
        String::from_utf8_lossy(&full.stderr).trim(),
        format!(
            "error: refused (HTTP 200): You have exhausted the number of email accounts of order {order}: it holds 1; add accounts to the order first"
        )
    );
    assert!(
        mail(&["forward", &order, "sales@cli-mail.com", "ana@cli-mail.com"])
            .status
            .success()
    );
    let listed = mail(&["list", &order, "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        listed,
        serde_json::json!([
            {"email": "ana@cli-mail.com", "type": "POP_WITHOUT_AUTORESPONDER", "status": "ACTIVE", "name": "Ana Lima", "forwards": ""},
            {"email": "sales@cli-mail.com", "type": "FORWARD_ONLY", "status": "ACTIVE", "name": "", "forwards": "ana@cli-mail.com"}
        ])
    );
    let reset = mail(&["reset-password", &order, "ana@cli-mail.com", "--json"]);
    let reset: serde_json::Value = serde_json::from_slice(&reset.stdout).unwrap();
    assert_eq!(reset["password"].as_str().unwrap().len(), 19, "{reset}");

    // The platform's own mail goes to the relay.
    call(&["customers/forgot-password", "username=boss@example.com"]);
    let started = Instant::now();
    while received.lock().unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no mail reached the relay"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let message = received.lock().unwrap()[0].clone();
    assert!(message.contains("To: boss@example.com"), "{message}");
    stop(server);
}

#[test]
fn ssl_commands_enroll_a_csr_and_print_the_issued_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let server = serve(
        &db,
        &[
            ("RESELLER_DEMO_API_KEY", "ssl-demo-key"),
            ("RESELLER_DNS_LISTEN", "off"),
        ],
    );
    let call = |args: &[&str]| {
        let output = api(&server, "ssl-demo-key", args);
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout)
            .unwrap()
            .trim()
            .trim_matches('"')
            .to_string()
    };
    let customer = call(&[
        "customers/signup",
        "username=cert@example.com",
        "passwd=s3cret-pass",
        "name=Cert",
        "company=Cert",
        "address-line-1=1 Road",
        "city=X",
        "state=Y",
        "country=US",
        "zipcode=10001",
        "phone-cc=1",
        "phone=5550100",
        "lang-pref=en",
    ]);
    let contact = call(&[
        "contacts/add",
        "name=Cert",
        "company=Cert",
        "email=cert@example.com",
        "address-line-1=1 Road",
        "city=X",
        "country=US",
        "zipcode=10001",
        "phone-cc=1",
        "phone=5550100",
        &format!("customer-id={customer}"),
        "type=Contact",
    ]);
    let entity = |reply: &str| {
        serde_json::from_str::<serde_json::Value>(reply).unwrap()["entityid"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let domain = entity(&call(&[
        "domains/register",
        "domain-name=cli-ssl.com",
        "years=1",
        "ns=ns1.example.net",
        &format!("customer-id={customer}"),
        &format!("reg-contact-id={contact}"),
        &format!("admin-contact-id={contact}"),
        &format!("tech-contact-id={contact}"),
        &format!("billing-contact-id={contact}"),
        "invoice-option=NoInvoice",
    ]));
    call(&["dns/activate", &format!("order-id={domain}")]);
    let order = entity(&call(&[
        "sslcert/add",
        "domain-name=cli-ssl.com",
        &format!("customer-id={customer}"),
        "months=12",
        "plan-id=701",
        "invoice-option=NoInvoice",
    ]));
    let made = Command::new("openssl")
        .args([
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "site.key",
            "-out",
            "site.csr",
            "-subj",
            "/CN=cli-ssl.com",
        ])
        .current_dir(dir.path())
        .output()
        .expect("openssl runs");
    assert!(made.status.success(), "{made:?}");
    let run = |command: &str, args: &[&str]| {
        reseller()
            .arg(command)
            .args(args)
            .args(["--url", &server.base, "--auth-userid", "1"])
            .env("RESELLER_API_KEY", "ssl-demo-key")
            .output()
            .expect("reseller runs")
    };
    let csr = dir.path().join("site.csr");
    let enrolled = run(
        "ssl",
        &["enroll", &order, "--csr", csr.to_str().unwrap(), "--json"],
    );
    assert!(enrolled.status.success(), "{enrolled:?}");
    let pending = run("ssl", &["cert", &order, "--json"]);
    let pending: serde_json::Value = serde_json::from_slice(&pending.stdout).unwrap();
    assert_eq!(pending["status"], "Pending");
    let record = pending["dns_record"].as_str().unwrap().to_string();
    let token = record.rsplit(' ').next().unwrap();
    assert!(
        run("dns", &["add", "cli-ssl.com", "TXT", "_dnsauth", token])
            .status
            .success()
    );
    let status = run("ssl", &["status", &order, "--json"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["status"], "Issued");
    let cert = run("ssl", &["cert", &order]);
    let pem = String::from_utf8(cert.stdout).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    stop(server);
}

#[test]
fn hosting_commands_quote_and_modify_a_plan_and_manage_the_orders_extras() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let server = serve(
        &db,
        &[
            ("RESELLER_DEMO_API_KEY", "hosting-demo-key"),
            ("RESELLER_DNS_LISTEN", "off"),
        ],
    );
    let call = |args: &[&str]| {
        let output = api(&server, "hosting-demo-key", args);
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    };
    let customer = call(&[
        "customers/signup",
        "username=site@example.com",
        "passwd=s3cret-pass",
        "name=Site",
        "company=Site",
        "address-line-1=1 Road",
        "city=X",
        "state=Y",
        "country=US",
        "zipcode=10001",
        "phone-cc=1",
        "phone=5550100",
        "lang-pref=en",
    ]);
    let customer = customer.trim_matches('"');
    let added: serde_json::Value = serde_json::from_str(&call(&[
        "resellerhosting/add",
        "domain-name=cli-site.com",
        &format!("customer-id={customer}"),
        "months=3",
        "plan-id=641",
        "invoice-option=NoInvoice",
    ]))
    .unwrap();
    let order = added["entityid"].as_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let output = reseller()
            .arg("hosting")
            .args(args)
            .args(["--url", &server.base, "--auth-userid", "1", "--json"])
            .env("RESELLER_API_KEY", "hosting-demo-key")
            .output()
            .expect("reseller runs");
        (
            output.status.success(),
            serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap_or_default(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    let prefix = "resellerhosting";
    let (ok, quote, said) = run(&[
        prefix,
        "modify",
        &order,
        "--plan-id",
        "642",
        "--months",
        "3",
        "--quote",
    ]);
    assert!(ok, "{said}");
    let upgrade = quote["upgrade_cost"].as_str().unwrap().to_string();
    assert_ne!(upgrade, "0.000", "{quote}");
    let (ok, modified, said) = run(&[
        prefix,
        "modify",
        &order,
        "--plan-id",
        "642",
        "--months",
        "3",
    ]);
    assert!(ok, "{said}");
    assert_eq!(modified["action_type"], "Modify", "{modified}");
    let (ok, _, said) = run(&[prefix, "ssl", &order]);
    assert!(ok, "{said}");
    let (ok, again, said) = run(&[prefix, "ssl", &order]);
    assert!(!ok, "{again}");
    assert!(said.contains("has it already"), "{said}");
    let (ok, _, said) = run(&[prefix, "dedicated-ip", &order]);
    assert!(ok, "{said}");
    let (ok, _, said) = run(&[prefix, "dedicated-ip", &order, "--delete"]);
    assert!(ok, "{said}");
    let (ok, key, said) = run(&[prefix, "license-key", &order]);
    assert!(ok, "{said}");
    assert_eq!(key["license_key"].as_str().unwrap().len(), 24);
    let (ok, _, said) = run(&[prefix, "maintenance", &order]);
    assert!(ok, "{said}");
    let details: serde_json::Value = serde_json::from_str(&call(&[
        "resellerhosting/details",
        &format!("order-id={order}"),
    ]))
    .unwrap();
    assert_eq!(details["maintenancemode"], "true");
    assert_eq!(details["planid"], "642");
    assert_eq!(details["licensekey"], key["license_key"]);
    stop(server);
}
