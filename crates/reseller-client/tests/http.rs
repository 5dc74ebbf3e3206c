//! The client against a real server over HTTP, on SQLite and on
//! PostgreSQL: each typed call, its refusals as typed errors with the
//! API's message, and the recorded replies of the real service read with
//! the client's types.

use reseller_client::{Amount, Client, CustomerId, Error, NewCustomer};
use std::net::SocketAddr;

const KEY: &str = "client-test-key";

/// A server on port 0 over a fresh database, stopped when dropped.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    _scratch: Option<reseller_testdb::ScratchDatabase>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn server(postgres: bool) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let (url, scratch) = if postgres {
        let scratch = reseller_testdb::ScratchDatabase::create().expect("a PostgreSQL database");
        (scratch.url.clone(), Some(scratch))
    } else {
        (
            format!("sqlite://{}", dir.path().join("client.db").display()),
            None,
        )
    };
    let store = reseller_store::Store::open(&url).unwrap();
    reseller_server::ensure_demo(
        &store,
        Some(KEY.to_string()),
        reseller_server::DEMO_FUNDS,
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    )
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = reseller_server::AppState::new(store, format!("http://{addr}"))
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        reseller_server::serve(listener, state, async move {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    Server {
        addr,
        stop: Some(stop),
        _dir: dir,
        _scratch: scratch,
    }
}

fn ada(username: &str) -> NewCustomer {
    NewCustomer {
        username: username.into(),
        password: "s3cret-pass".into(),
        name: "Ada".into(),
        company: "Analytical".into(),
        address_line_1: "1 Engine Road".into(),
        city: "London".into(),
        state: "London".into(),
        country: "GB".into(),
        zipcode: "N1".into(),
        phone_cc: "44".into(),
        phone: "2070000000".into(),
    }
}

async fn customers_and_billing(postgres: bool) {
    let server = server(postgres).await;
    let client = Client::new(&format!("http://{}", server.addr), "1", KEY);

    // Customers: signed up, read by id and by username, deleted.
    let id = client
        .customers()
        .signup(&ada("ada@example.com"))
        .await
        .unwrap();
    let by_id = client.customers().details_by_id(id).await.unwrap();
    assert_eq!(by_id.id, id);
    assert_eq!(by_id.username, "ada@example.com");
    assert_eq!(by_id.status, "Active");
    assert_eq!(by_id.total_receipts, Amount::default());
    let by_name = client.customers().details("ada@example.com").await.unwrap();
    assert_eq!(by_name, by_id);
    // Refusals are typed, with the API's message.
    let taken = client.customers().signup(&ada("ada@example.com")).await;
    match taken {
        Err(Error::Api { status, message }) => {
            assert_eq!(status, 500);
            assert!(message.contains("ada@example.com"), "{message}");
        }
        other => panic!("a taken username is refused: {other:?}"),
    }
    let missing = client.customers().details_by_id(CustomerId(999_999)).await;
    assert!(matches!(missing, Err(Error::Api { .. })), "{missing:?}");

    // Billing: funds added exactly, balances as exact amounts.
    let before = client.billing().reseller_balance().await.unwrap();
    assert!(before.selling.thousandths > 0);
    let amount: Amount = "12.345".parse().unwrap();
    client
        .billing()
        .add_customer_funds(id, amount, "client test", "client-1")
        .await
        .unwrap();
    let balance = client.billing().customer_balance(id).await.unwrap();
    assert_eq!(balance.selling, amount);
    assert_eq!(
        client
            .customers()
            .details_by_id(id)
            .await
            .unwrap()
            .total_receipts,
        amount
    );

    // A call not typed yet, through the generic read.
    let searched = client
        .get(
            "customers/search",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await
        .unwrap();
    assert_eq!(searched["recsindb"], "1");

    // A wrong key is refused by the API, not mistaken for a fault.
    let stranger = Client::new(&format!("http://{}", server.addr), "1", "wrong-key");
    match stranger.billing().reseller_balance().await {
        Err(Error::Api { message, .. }) => assert!(!message.is_empty()),
        other => panic!("a wrong key is refused: {other:?}"),
    }

    // A customer with funds cannot be deleted; a fresh one can.
    let fresh = client
        .customers()
        .signup(&ada("babbage@example.com"))
        .await
        .unwrap();
    client.customers().delete(fresh).await.unwrap();
    assert_eq!(
        client
            .customers()
            .details_by_id(fresh)
            .await
            .unwrap()
            .status,
        "Deleted"
    );
}

async fn orders_of_a_product(postgres: bool) {
    let server = server(postgres).await;
    let client = Client::new(&format!("http://{}", server.addr), "1", KEY);
    let customer = client
        .customers()
        .signup(&ada("orders@example.com"))
        .await
        .unwrap();
    client
        .billing()
        .add_customer_funds(customer, "500".parse().unwrap(), "funds", "orders-1")
        .await
        .unwrap();
    let customer_id = customer.to_string();
    let vps = client
        .orders("vps/linux/us")
        .add(&[
            ("domain-name", "host.example.com"),
            ("customer-id", &customer_id),
            ("months", "1"),
            ("plan-id", "101"),
            ("invoice-option", "PayInvoice"),
        ])
        .await
        .unwrap();
    assert_eq!(vps.action_type, "Add");
    assert_eq!(vps.action_status, "Success");
    // A charge, signed as the API signs it.
    assert_eq!(vps.selling_amount, Some("-10".parse().unwrap()));
    assert!(vps.invoice_id.is_some());
    let details = client
        .orders("vps/linux/us")
        .details(vps.order_id)
        .await
        .unwrap();
    assert_eq!(details.order_id, vps.order_id);
    assert_eq!(details.status, "Active");
    assert_eq!(details.customer_id, customer);
    assert_eq!(details.description, "host.example.com");
    assert!(details.end_time > details.created);
    let renewed = client
        .orders("vps/linux/us")
        .renew(&[
            ("order-id", &vps.order_id.to_string()),
            ("months", "1"),
            ("invoice-option", "NoInvoice"),
        ])
        .await
        .unwrap();
    assert_eq!(
        (renewed.action_type.as_str(), renewed.order_id),
        ("Renew", vps.order_id)
    );
    assert_eq!(renewed.invoice_id, None);
    let after = client
        .orders("vps/linux/us")
        .details(vps.order_id)
        .await
        .unwrap();
    assert!(after.end_time > details.end_time);
    // Paid from the customer's funds: 10.000 of 500.000.
    assert_eq!(
        client
            .billing()
            .customer_balance(customer)
            .await
            .unwrap()
            .selling,
        "490".parse().unwrap()
    );
    // An order left to pay (OnlyAdd), then paid: its action runs then.
    let waiting = client
        .orders("vps/linux/us")
        .add(&[
            ("domain-name", "later.example.com"),
            ("customer-id", &customer_id),
            ("months", "1"),
            ("plan-id", "101"),
            ("invoice-option", "OnlyAdd"),
        ])
        .await
        .unwrap();
    assert_eq!(waiting.action_status, "PendingExecution");
    let invoice = waiting.invoice_id.unwrap();
    let paid = client.billing().pay_invoices(&[invoice]).await.unwrap();
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].invoice_id, invoice);
    assert_eq!(paid[0].status, "Paid");
    assert_eq!(paid[0].customer_id, customer);
    assert_eq!(paid[0].selling_amount, "-10".parse().unwrap());
    let action = paid[0].action.as_ref().expect("the action it ran");
    assert_eq!(
        (action.order_id, action.action_status.as_str()),
        (waiting.order_id, "Success")
    );
    assert_eq!(
        client
            .billing()
            .customer_balance(customer)
            .await
            .unwrap()
            .selling,
        "480".parse().unwrap()
    );
    let again = client.billing().pay_invoices(&[invoice]).await;
    assert!(
        matches!(&again, Err(Error::Api { message, .. }) if message.contains("only an Unpaid invoice can be paid")),
        "{again:?}"
    );
    // Another product's call for this order is refused by the API.
    let wrong = client.orders("backup/us").details(vps.order_id).await;
    assert!(matches!(wrong, Err(Error::Api { .. })), "{wrong:?}");
    let deleted = client
        .orders("vps/linux/us")
        .delete(vps.order_id)
        .await
        .unwrap();
    assert_eq!(deleted.action_type, "Delete");
    assert_eq!(
        client
            .orders("vps/linux/us")
            .details(vps.order_id)
            .await
            .unwrap()
            .status,
        "Deleted"
    );
}

async fn domains_and_contacts(postgres: bool) {
    let server = server(postgres).await;
    let client = Client::new(&format!("http://{}", server.addr), "1", KEY);
    let customer = client
        .customers()
        .signup(&ada("registrant@example.com"))
        .await
        .unwrap();

    let found = client
        .domains()
        .available(&["client-shop", "github"], &["com", "net"])
        .await
        .unwrap();
    assert_eq!(found.len(), 4);
    assert_eq!(found["client-shop.com"].status, "available");
    assert_eq!(found["github.net"].status, "regthroughothers");
    assert_eq!(found["client-shop.com"].class_key, "domcno");

    let contact = client
        .contacts()
        .add(&reseller_client::NewContact {
            customer: customer.0,
            name: "Ravi Kumar".into(),
            company: "Kumar Traders".into(),
            email: "ravi@example.com".into(),
            address_line_1: "1 MG Road".into(),
            city: "Bengaluru".into(),
            state: "KA".into(),
            country: "IN".into(),
            zipcode: "560001".into(),
            phone_cc: "91".into(),
            phone: "9876543210".into(),
            kind: "Contact".into(),
        })
        .await
        .unwrap();
    let shown = client.contacts().details(contact).await.unwrap();
    assert_eq!(shown.id, contact);
    assert_eq!(shown.email, "ravi@example.com");
    assert_eq!(shown.customer_id, customer);
    assert_eq!(shown.kind, "Contact");

    let registration = reseller_client::DomainRegistration {
        name: "client-shop.com".into(),
        years: 1,
        name_servers: vec!["ns1.example.net".into(), "ns2.example.net".into()],
        customer,
        registrant: contact,
        admin: contact,
        tech: contact,
        billing: contact,
        invoice_option: "NoInvoice".into(),
        privacy: false,
    };
    let registered = client.domains().register(&registration).await.unwrap();
    assert_eq!(registered.action_type, "AddNewDomain");
    assert_eq!(registered.action_status, "Success");
    let domain = client.domains().details(registered.order_id).await.unwrap();
    assert_eq!(domain.name, "client-shop.com");
    assert_eq!(domain.status, "Active");
    assert_eq!(domain.customer_id, customer);
    assert_eq!(domain.name_servers, ["ns1.example.net", "ns2.example.net"]);
    // Now held here, and a second registration is refused by the API.
    let again = client
        .domains()
        .available(&["client-shop"], &["com"])
        .await
        .unwrap();
    assert_eq!(again["client-shop.com"].status, "regthroughus");
    let twice = client.domains().register(&registration).await;
    assert!(matches!(twice, Err(Error::Api { .. })), "{twice:?}");
}

#[tokio::test]
async fn domains_and_contacts_on_sqlite() {
    domains_and_contacts(false).await;
}

#[tokio::test]
async fn domains_and_contacts_on_postgres() {
    domains_and_contacts(true).await;
}

#[tokio::test]
async fn orders_of_a_product_on_sqlite() {
    orders_of_a_product(false).await;
}

#[tokio::test]
async fn orders_of_a_product_on_postgres() {
    orders_of_a_product(true).await;
}

#[tokio::test]
async fn customers_and_billing_on_sqlite() {
    customers_and_billing(false).await;
}

#[tokio::test]
async fn customers_and_billing_on_postgres() {
    customers_and_billing(true).await;
}

#[tokio::test]
async fn a_server_that_is_not_there_is_no_refusal() {
    let client = Client::new("http://127.0.0.1:9", "1", KEY);
    assert!(matches!(
        client.billing().reseller_balance().await,
        Err(Error::Http(_))
    ));
}

/// The real service's recorded replies, read with the client's types.
#[test]
fn recorded_replies_read_with_the_clients_types() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/recorded");
    let read = |name: &str| -> serde_json::Value {
        let text =
            std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&text).unwrap()
    };
    let customer =
        reseller_client::Customer::from_reply(&read("customers/customer_details.txt")).unwrap();
    assert_eq!(customer.id, CustomerId(30_930_235));
    assert_eq!(customer.username, "email@email.com");
    assert_eq!(customer.total_receipts, Amount::default());
    assert_eq!(customer.created, 1_745_369_822);
    assert_eq!(read("customers/sign_up.txt"), serde_json::json!(30930235));

    let added =
        reseller_client::ActionReceipt::from_reply(&read("eelite/add-pay-invoice.json")).unwrap();
    assert_eq!(added.action_status, "InvoicePaid");
    assert_eq!(added.invoice_id, Some(77_433_277));
    assert_eq!(added.selling_amount, Some("1.25".parse().unwrap()));
    let renewed =
        reseller_client::ActionReceipt::from_reply(&read("domains-orders/renew.json")).unwrap();
    assert_eq!(renewed.action_type, "RenewDomain");
    assert_eq!(renewed.selling_amount, Some("-7.910".parse().unwrap()));
    assert_eq!(renewed.description, None);
    let deleting =
        reseller_client::ActionReceipt::from_reply(&read("eelite/delete-email-account.json"))
            .unwrap();
    assert_eq!(deleting.action_status, "ExecutionStarted");
    assert_eq!(deleting.invoice_id, None);
    let details = reseller_client::OrderDetails::from_reply(&read("eelite/details.json")).unwrap();
    assert_eq!(details.order_id, 79_244_641);
    assert_eq!(details.status, "Active");
    assert_eq!(details.product_key, "eeliteus");
    assert!(!details.auto_renew);

    for file in [
        "single_domain_availability.txt",
        "single_domain_multiple_tlds.txt",
        "multiple_domains_single_tld.txt",
        "multiple_domains_multiple_tlds.txt",
    ] {
        let found =
            reseller_client::availability(&read(&format!("domains/availability/{file}"))).unwrap();
        assert_eq!(found["github.com"].status, "regthroughothers", "{file}");
        assert_eq!(found["github.com"].class_key, "domcno", "{file}");
    }
    let contact = reseller_client::Contact::from_reply(&read("contacts/details.json")).unwrap();
    assert_eq!(contact.id, 61_418_983);
    assert_eq!(contact.email, "testsoigniomiief@hostgator.com");
    assert_eq!(contact.kind, "Contact");
    assert_eq!(contact.customer_id, CustomerId(16_118_292));
}
