//! `TestApp`: the real server on port 0 over a fresh database, with typed
//! helpers so tests read as Arrange / Act / Assert. When a TestApp is
//! dropped it checks the ledger invariants, so every test ends with them.
//!
//! The database is a fresh SQLite file, or with `RESELLER_TEST_DATABASE=postgres`
//! a fresh PostgreSQL database (see `reseller_testdb`): the whole
//! suite runs against either backend.
#![allow(dead_code)]

pub mod every_call;
pub mod transcript;

use reseller_core::{ActionId, InvoiceId, Money, OrderId};
use reseller_server::AppState;
use reseller_store::{Counts, Store};
use serde_json::Value;
use std::net::SocketAddr;

pub const DEMO_KEY: &str = "key";

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// A string field of an object reply.
    pub fn s(&self, key: &str) -> &str {
        self.body[key]
            .as_str()
            .unwrap_or_else(|| panic!("no string {key:?} in {}", self.text))
    }

    pub fn id(&self, key: &str) -> i64 {
        self.s(key)
            .parse()
            .unwrap_or_else(|_| panic!("{key:?} is not an id in {}", self.text))
    }

    /// Asserts the API's error envelope with HTTP 500 and returns its message.
    pub fn error(&self) -> &str {
        assert_eq!(self.status, 500, "expected an error, got {}", self.text);
        assert_eq!(
            self.body["status"], "ERROR",
            "not the error envelope: {}",
            self.text
        );
        self.body["message"].as_str().expect("an error message")
    }

    pub fn ok(&self) -> &Self {
        assert_eq!(self.status, 200, "expected success, got {}", self.text);
        self
    }
}

thread_local! {
    /// The limits the next server this thread starts gets.
    static LIMITS: std::cell::RefCell<reseller_server::Limits> =
        std::cell::RefCell::new(reseller_server::Limits::default());
}

/// The database a test server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// PostgreSQL when `RESELLER_TEST_DATABASE=postgres`, else SQLite.
    pub fn from_env() -> Backend {
        match std::env::var("RESELLER_TEST_DATABASE").as_deref() {
            Ok("postgres") => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub store: Store,
    pub reseller_id: i64,
    pub api_key: String,
    pub client: reqwest::Client,
    pub database_url: String,
    /// The throwaway PostgreSQL database, dropped with the last handle.
    scratch: Option<std::sync::Arc<reseller_testdb::ScratchDatabase>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with_funds(Money::from_units(10_000)).await
    }

    pub async fn spawn_with_funds(funds: Money) -> TestApp {
        TestApp::spawn_on(Backend::from_env(), funds).await
    }

    /// A server with its own limits (timeouts, failed authentications).
    pub async fn spawn_with_limits(limits: reseller_server::Limits) -> TestApp {
        LIMITS.with(|l| *l.borrow_mut() = limits);
        let app = TestApp::spawn().await;
        LIMITS.with(|l| *l.borrow_mut() = reseller_server::Limits::default());
        app
    }

    /// A server on a fresh database of `backend`, whatever the environment says.
    pub async fn spawn_on(backend: Backend, funds: Money) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (database_url, scratch) = match backend {
            Backend::Postgres => {
                let scratch = reseller_testdb::ScratchDatabase::create()
                    .expect("a PostgreSQL database for the test");
                (scratch.url.clone(), Some(std::sync::Arc::new(scratch)))
            }
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("reseller.db").display()),
                None,
            ),
        };
        let mut app = TestApp::start(database_url, Some(funds)).await;
        app._dir = Some(dir);
        app.scratch = scratch;
        app
    }

    /// Starts a server as `serve` does: the demo reseller is created with
    /// `funds` on an empty database (the demo's default when None), and an
    /// existing one gains the catalogue's new plans and prices.
    async fn start(database_url: String, funds: Option<Money>) -> TestApp {
        let store = Store::open(&database_url).expect("the store opens");
        let funds = funds.unwrap_or(reseller_server::DEMO_FUNDS);
        reseller_server::ensure_demo(&store, Some(DEMO_KEY.to_string()), funds, now())
            .await
            .expect("the demo reseller is created");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let addr = listener.local_addr().unwrap();
        let limits = LIMITS.with(|limits| *limits.borrow());
        let state = AppState::with_limits(store.clone(), format!("http://{addr}"), limits)
            .await
            .expect("state");
        state.set_admin_token(ADMIN_TOKEN);
        let (shutdown, signal) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        let server = tokio::spawn(async move {
            reseller_server::serve(listener, serving, async move {
                let _ = signal.await;
            })
            .await
            .expect("the server runs");
        });
        TestApp {
            addr,
            state,
            store,
            reseller_id: 1,
            api_key: DEMO_KEY.to_string(),
            client: http_client(),
            database_url,
            scratch: None,
            shutdown: Some(shutdown),
            server: Some(server),
            _dir: None,
        }
    }

    /// Stops the server gracefully and starts a new one on the same file.
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        let dir = self._dir.take();
        let mut app = TestApp::start(self.database_url.clone(), None).await;
        app._dir = dir;
        app.scratch = self.scratch.take();
        app
    }

    async fn stop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("the server stops cleanly");
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn url(&self, call: &str, params: &[(&str, &str)], with_auth: bool) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if with_auth {
            query.append_pair("auth-userid", &self.reseller_id.to_string());
            query.append_pair("api-key", &self.api_key);
        }
        for (k, v) in params {
            query.append_pair(k, v);
        }
        format!("{}/api/{call}?{}", self.base(), query.finish())
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, body, text }
    }

    /// GET `/api/{call}` (with `.json` or `.xml`) as this app's reseller.
    pub async fn get(&self, call: &str, params: &[(&str, &str)]) -> Reply {
        self.send(self.client.get(self.url(call, params, true)))
            .await
    }

    /// POST with the parameters in the query string and an empty body, as
    /// the vendor's examples do.
    pub async fn post(&self, call: &str, params: &[(&str, &str)]) -> Reply {
        self.send(self.client.post(self.url(call, params, true)))
            .await
    }

    /// POST with the parameters in a form-encoded body.
    pub async fn post_form(&self, call: &str, params: &[(&str, &str)]) -> Reply {
        let mut body = form_urlencoded::Serializer::new(String::new());
        body.append_pair("auth-userid", &self.reseller_id.to_string());
        body.append_pair("api-key", &self.api_key);
        for (k, v) in params {
            body.append_pair(k, v);
        }
        let request = self
            .client
            .post(format!("{}/api/{call}", self.base()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.finish());
        self.send(request).await
    }

    /// A request without credentials, or with the ones given.
    pub async fn raw(&self, method: reqwest::Method, call: &str, params: &[(&str, &str)]) -> Reply {
        self.send(self.client.request(method, self.url(call, params, false)))
            .await
    }

    /// Another server instance on the same database, as a second machine
    /// behind a load balancer would run.
    pub async fn second_instance(&self) -> TestApp {
        let mut other = TestApp::start(self.database_url.clone(), None).await;
        other.scratch = self.scratch.clone();
        other
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// Acts as another reseller on the same server.
    pub fn as_reseller(&self, reseller_id: i64, api_key: &str) -> TestApp {
        TestApp {
            addr: self.addr,
            state: self.state.clone(),
            store: self.store.clone(),
            reseller_id,
            api_key: api_key.to_string(),
            client: self.client.clone(),
            database_url: self.database_url.clone(),
            scratch: self.scratch.clone(),
            shutdown: None,
            server: None,
            _dir: None,
        }
    }

    /// Creates another reseller directly in the store, as the admin command does.
    pub async fn create_reseller(&self, name: &str, funds: Money) -> (i64, String) {
        let key = format!("{name}-key");
        let hash = reseller_server::auth::hash_api_key(&key);
        let name = name.to_string();
        let reseller = self
            .store
            .write(move |tx| {
                reseller_core::accounts::create_reseller(tx, &name, &hash, funds, now())
            })
            .await
            .expect("a reseller");
        (reseller.id.0, key)
    }

    pub async fn signup(&self, username: &str) -> i64 {
        let reply = self
            .post(
                "customers/signup.json",
                &[
                    ("username", username),
                    ("passwd", "secret123"),
                    ("name", "Asha Rao"),
                    ("company", "Rao Hosting"),
                    ("address-line-1", "1 MG Road"),
                    ("city", "Bengaluru"),
                    ("state", "Karnataka"),
                    ("country", "IN"),
                    ("zipcode", "560001"),
                    ("phone-cc", "91"),
                    ("phone", "9876543210"),
                    ("lang-pref", "en"),
                ],
            )
            .await;
        reply.ok();
        reply
            .body
            .as_i64()
            .unwrap_or_else(|| panic!("signup answers a bare id, got {}", reply.text))
    }

    pub async fn fund(&self, customer_id: i64, amount: &str) {
        let key = format!("fund-{customer_id}-{}", now_nanos());
        self.post(
            "billing/add-customer-fund.json",
            &[
                ("customer-id", &customer_id.to_string()),
                ("amount", amount),
                ("description", "test funds"),
                ("transaction-type", "receipt"),
                ("transaction-key", &key),
            ],
        )
        .await
        .ok();
    }

    /// An Active VPS order of the customer, added with NoInvoice.
    pub async fn add_vps(&self, customer_id: i64, domain: &str) -> i64 {
        let reply = self
            .post(
                "vps/linux/us/add.json",
                &[
                    ("domain-name", domain),
                    ("customer-id", &customer_id.to_string()),
                    ("months", "12"),
                    ("plan-id", "101"),
                    ("invoice-option", "NoInvoice"),
                ],
            )
            .await;
        reply.ok();
        assert_eq!(reply.s("actionstatus"), "Success");
        reply.id("entityid")
    }

    /// Adds a US backup of `gb` GB for 1 month on plan 301 with the given option.
    pub async fn add_backup(&self, customer_id: i64, host: i64, gb: u32, option: &str) -> Reply {
        self.post(
            "backup/us/add.json",
            &[
                ("storage-size-gb", &gb.to_string()),
                ("customer-id", &customer_id.to_string()),
                ("hosting-order-id", &host.to_string()),
                ("months", "1"),
                ("plan-id", "301"),
                ("invoice-option", option),
            ],
        )
        .await
    }

    pub async fn reseller_balance(&self) -> Money {
        let reply = self.get("billing/reseller-balance.json", &[]).await;
        Money::parse(reply.ok().s("sellingcurrencybalance")).unwrap()
    }

    pub async fn customer_balance(&self, customer_id: i64) -> Money {
        let reply = self
            .get(
                "billing/customer-balance.json",
                &[("customer-id", &customer_id.to_string())],
            )
            .await;
        Money::parse(reply.ok().s("sellingcurrencybalance")).unwrap()
    }

    /// Runs raw SQL on the database behind the server's back, as a bug or a
    /// bad migration would.
    pub fn tamper(&self, sql: &str) {
        match self.database_url.strip_prefix("sqlite://") {
            Some(path) => {
                rusqlite::Connection::open(path)
                    .unwrap()
                    .execute_batch(sql)
                    .unwrap();
            }
            None => std::thread::scope(|scope| {
                scope
                    .spawn(|| {
                        let mut client =
                            postgres::Client::connect(&self.database_url, postgres::NoTls).unwrap();
                        client.batch_execute(sql).unwrap();
                    })
                    .join()
                    .unwrap()
            }),
        }
    }

    pub fn counts(&self) -> Counts {
        self.store.counts().expect("counts")
    }

    /// POSTs a call that must be refused with exactly `text` and change nothing.
    pub async fn refuses(&self, call: &str, params: &[(&str, &str)], text: &str) {
        let before = self.counts();
        let reply = self.post(call, params).await;
        assert_eq!(reply.error(), text, "{call} {params:?}");
        assert_eq!(self.counts(), before, "{call} {params:?} changed something");
    }

    pub async fn invoice(&self, id: i64) -> reseller_core::model::Invoice {
        let id = InvoiceId(id);
        self.store
            .read(move |tx| Ok(tx.invoice(id)?))
            .await
            .unwrap()
            .expect("the invoice exists")
    }

    pub async fn order(&self, id: i64) -> reseller_core::model::Order {
        let id = OrderId(id);
        self.store
            .read(move |tx| Ok(tx.order(id)?))
            .await
            .unwrap()
            .expect("the order exists")
    }

    pub async fn action(&self, id: i64) -> reseller_core::model::Action {
        let id = ActionId(id);
        self.store
            .read(move |tx| Ok(tx.action(id)?))
            .await
            .unwrap()
            .expect("the action exists")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if self.server.is_none() || std::thread::panicking() {
            return;
        }
        let report = self.store.check_ledger().expect("the ledger can be read");
        assert!(
            report.is_balanced(),
            "ledger invariants broken: {:#?}",
            report.violations
        );
    }
}

/// The control plane's token in every test server.
pub const ADMIN_TOKEN: &str = "test-admin-token";

impl TestApp {
    /// A control plane call with the admin token: the status and the JSON
    /// body (Null when it is not JSON).
    pub async fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}/_reseller/{path}", self.base()))
            .bearer_auth(ADMIN_TOKEN);
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Moves the clock of every instance forward by `seconds`, through the
    /// control plane.
    pub async fn advance(&self, seconds: i64) {
        let (status, body) = self
            .control(
                reqwest::Method::POST,
                "clock/advance",
                Some(serde_json::json!({ "seconds": seconds })),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// The mails kept about an order, of the kinds that start with `kind`
    /// (`""` for all), oldest first.
    pub async fn mails(&self, order: &str, kind: &str) -> Vec<reseller_core::model::Mail> {
        let order_id = reseller_core::OrderId(order.parse().expect("an order id"));
        let mut mails = self
            .store
            .read(move |tx| Ok(tx.mails_of_order(order_id)?))
            .await
            .expect("mails read");
        mails.retain(|m| m.kind.starts_with(kind));
        mails
    }
}

/// The link in a mail whose path holds `path`, as its reader would click it.
pub fn link_in(mail: &reseller_core::model::Mail, path: &str) -> String {
    mail.body
        .split_whitespace()
        .find(|word| word.contains(path))
        .expect("the mail carries a link")
        .to_string()
}

pub fn now() -> i64 {
    reseller_server::clock::Clock::real_now()
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// An amount from its wire form, for readable assertions.
pub fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

/// Sends a URL with curl exactly as a user would paste it: POST with the
/// parameters in the query string and an empty body, or GET.
pub async fn curl(method: &str, url: &str) -> (u16, String) {
    let (method, url) = (method.to_string(), url.to_string());
    // curl blocks; the server must keep running on the test's runtime meanwhile.
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("curl")
            .args(["-s", "-X", &method, "-w", "\n%{http_code}", &url])
            .output()
    })
    .await
    .expect("the curl task ends")
    .expect("curl runs");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let (body, status) = text.rsplit_once('\n').expect("a status line");
    (status.parse().expect("a status"), body.to_string())
}

/// The seed's URL with its host and placeholder ids replaced by real ones.
pub fn seeded(app: &TestApp, url: &str, ids: &[(&str, String)]) -> String {
    let mut url = url.replace("https://test.httpapi.com", &app.base());
    for (param, value) in ids {
        url = url.replace(&format!("{param}=0"), &format!("{param}={value}"));
    }
    url
}

/// A call, its parameters, and the error text it must get.
pub type Refusal<'a, T> = (&'a str, Vec<(&'a str, &'a str)>, T);

/// One invoice option and what it must do to an action call.
pub struct OptionCase {
    pub option: &'static str,
    pub customer: i64,
    pub executes: bool,
    pub invoice: Option<reseller_core::model::InvoiceStatus>,
    pub customer_pays: bool,
}

/// Every invoice option: PayInvoice both from a customer whose funds
/// cover the price (`rich`) and from one whose funds do not (`poor`).
pub fn option_cases(rich: i64, poor: i64) -> Vec<OptionCase> {
    use reseller_core::model::InvoiceStatus::{Paid, Unpaid};
    let case = |option, customer, executes, invoice, customer_pays| OptionCase {
        option,
        customer,
        executes,
        invoice,
        customer_pays,
    };
    vec![
        case("NoInvoice", rich, true, None, false),
        case("KeepInvoice", rich, true, Some(Unpaid), false),
        case("PayInvoice", rich, true, Some(Paid), true),
        case("PayInvoice", poor, false, Some(Unpaid), false),
        case("OnlyAdd", rich, false, Some(Unpaid), false),
    ]
}

impl TestApp {
    /// Sends an add for one invoice option (`params` must carry it) and
    /// checks what it did: order and action status, the invoice, and both
    /// balances to the thousandth. Answers the reply.
    pub async fn check_add_billing(
        &self,
        case: &OptionCase,
        call: &str,
        params: &[(&str, &str)],
        price: Money,
        cost: Money,
    ) -> Reply {
        use reseller_core::model::OrderStatus;
        let option = case.option;
        let reply = self
            .check_change_billing(case, call, params, (price, cost), |reply| {
                let invoice = reply.body.get("invoiceid").map(|_| reply.id("invoiceid"));
                (reply.id("eaqid"), invoice)
            })
            .await;
        let order = self.order(reply.id("entityid")).await;
        let status = if case.executes {
            OrderStatus::Active
        } else {
            OrderStatus::InActive
        };
        assert_eq!(order.status, status, "{option}");
        if case.invoice.is_some() {
            assert_eq!(reply.s("sellingamount"), (-price).to_string());
            assert_eq!(reply.id("customerid"), case.customer);
        }
        reply
    }
}

impl TestApp {
    /// Sends a change to a running order for one invoice option (`params`
    /// must carry it) and checks the action, the invoice and both balances
    /// to the thousandth. `ids` finds the action id and the invoice id in
    /// the call's reply shape. Answers the reply.
    pub async fn check_change_billing(
        &self,
        case: &OptionCase,
        call: &str,
        params: &[(&str, &str)],
        (price, cost): (Money, Money),
        ids: impl Fn(&Reply) -> (i64, Option<i64>),
    ) -> Reply {
        use reseller_core::model::ActionStatus;
        let option = case.option;
        let reseller_before = self.reseller_balance().await;
        let customer_before = self.customer_balance(case.customer).await;
        let reply = self.post(call, params).await;
        reply.ok();
        let (action_id, invoice_id) = ids(&reply);
        let action = self.action(action_id).await;
        assert_eq!(action.selling, price, "{option}");
        let (status, charge) = if case.executes {
            (ActionStatus::Success, cost)
        } else {
            (ActionStatus::PendingExecution, Money::ZERO)
        };
        assert_eq!(action.status, status, "{option}");
        assert_eq!(
            reseller_before - self.reseller_balance().await,
            charge,
            "{option}"
        );
        match (case.invoice, invoice_id) {
            (None, None) => {}
            (Some(status), Some(id)) => {
                let invoice = self.invoice(id).await;
                assert_eq!(
                    (invoice.status, invoice.amount),
                    (status, price),
                    "{option}"
                );
                assert_eq!(action.invoice_id, Some(InvoiceId(id)), "{option}");
            }
            other => panic!("{option}: invoice {other:?} in {}", reply.text),
        }
        let paid = customer_before - self.customer_balance(case.customer).await;
        let expected = if case.customer_pays {
            price
        } else {
            Money::ZERO
        };
        assert_eq!(paid, expected, "{option}");
        reply
    }
}

/// A reqwest client; reqwest has no TLS provider of its own in this
/// workspace (reseller-client installs ring's), so it is installed first.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// The one-time code of the newest mail in the outbox (`generate-otp`).
pub async fn otp_sent(app: &TestApp) -> String {
    let (_, outbox) = app
        .control(reqwest::Method::GET, "outbox?limit=1", None)
        .await;
    let body = outbox[0]["body"].as_str().expect("a mail with the code");
    body.split("one-time code is ")
        .nth(1)
        .and_then(|rest| rest.get(..6))
        .expect("six digits")
        .to_string()
}

/// The parameters of a sub-reseller's sign-up.
pub fn reseller_signup(username: &str) -> Vec<(&str, &str)> {
    vec![
        ("username", username),
        ("passwd", "secret123"),
        ("name", "Sub Reseller"),
        ("company", "Sub Hosting"),
        ("address-line-1", "2 Park Street"),
        ("city", "Kolkata"),
        ("state", "West Bengal"),
        ("country", "IN"),
        ("zipcode", "700016"),
        ("phone-cc", "91"),
        ("phone", "9830012345"),
        ("lang-pref", "en"),
        ("accounting-currency-symbol", "USD"),
        ("selling-currency-symbol", "USD"),
    ]
}

/// Signs a sub-reseller up under `parent`, gives it a key through the
/// control plane and `funds` from its parent; answers it as a client.
pub async fn sub_reseller_of(parent: &TestApp, username: &str, funds: &str) -> TestApp {
    let signed = parent
        .post("resellers/signup.json", &reseller_signup(username))
        .await;
    let id = signed
        .body
        .as_i64()
        .unwrap_or_else(|| panic!("a bare id, got {}", signed.text));
    let (status, issued) = parent
        .control(
            reqwest::Method::POST,
            &format!("resellers/{id}/api-key"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{issued}");
    assert_eq!(issued["auth-userid"], id);
    let key = issued["api-key"].as_str().expect("a key").to_string();
    let funded = parent
        .post(
            "billing/add-reseller-fund.json",
            &[
                ("reseller-id", &id.to_string()),
                ("amount", funds),
                ("description", "Opening funds"),
                ("transaction-type", "receipt"),
                ("transaction-key", &format!("open-{id}")),
            ],
        )
        .await;
    assert_eq!(
        funded.ok().s("sellingcurrencybalance"),
        money(funds).to_string()
    );
    parent.as_reseller(id, &key)
}
