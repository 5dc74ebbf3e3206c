//! The client against a real server over HTTP, on SQLite and on
//! PostgreSQL: each typed call, its refusals as typed errors with the
//! API's message, and the recorded replies of the real service read with
//! the client's types.

use reseller_client::{
    ActionSearch, Amount, Charge, Client, CustomerId, Error, InvoiceOption, NewBackup, NewCustomer,
    NewEmail, NewMailbox, NewOrder, OrderSearch, Region, Renewal, Verification,
};

/// A customer signed up and given `funds`.
async fn funded_customer(client: &Client, username: &str, funds: &str) -> CustomerId {
    let customer = client.customers().signup(&ada(username)).await.unwrap();
    client
        .billing()
        .add_customer_funds(customer, funds.parse().unwrap(), "funds", username)
        .await
        .unwrap();
    customer
}

/// A contact in Bengaluru for `customer`.
fn indian_contact(
    customer: CustomerId,
    name: &str,
    email: &str,
    phone: &str,
) -> reseller_client::NewContact {
    reseller_client::NewContact {
        customer: customer.0,
        name: name.into(),
        company: format!("{name} Traders"),
        email: email.into(),
        address_line_1: "1 MG Road".into(),
        city: "Bengaluru".into(),
        state: "KA".into(),
        country: "IN".into(),
        zipcode: "560001".into(),
        phone_cc: "91".into(),
        phone: phone.into(),
        kind: "Contact".into(),
    }
}

/// A month of VPS plan 101 for `customer`.
fn server_order(name: &str, customer: CustomerId, option: InvoiceOption) -> NewOrder {
    NewOrder {
        domain_name: Some(name.into()),
        customer_id: customer,
        plan_id: Some(101),
        months: 1,
        charge: Charge::of(option),
        ..NewOrder::default()
    }
}
use std::net::SocketAddr;

const KEY: &str = "client-test-key";
const ADMIN: &str = "client-test-admin";

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
    state.set_admin_token(ADMIN);
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
    // Any call by its type, as the server parses it: path, method and
    // parameters from the one definition.
    let raw = client
        .call(&reseller_api::calls::customers::DetailsById {
            customer_id: reseller_core::CustomerId(id.0),
        })
        .await
        .unwrap();
    assert_eq!(raw["username"], "ada@example.com");
    let renamed = client
        .call(&reseller_api::calls::customers::Modify {
            customer_id: reseller_core::CustomerId(id.0),
            username: None,
            passwd: None,
            name: Some("Ada L.".into()),
            company: None,
            address_line_1: None,
            city: None,
            state: None,
            country: None,
            zipcode: None,
            phone_cc: None,
            phone: None,
            lang_pref: None,
            extras: reseller_api::calls::customers::Extras::default(),
        })
        .await
        .unwrap();
    assert_eq!(renamed, serde_json::json!(true));
    assert_eq!(
        client.customers().details_by_id(id).await.unwrap().name,
        "Ada L."
    );

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

    // Searches, passwords and tokens.
    let found = client
        .customers()
        .search(&["ada@example.com"], 10, 1)
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.records[0].username, "ada@example.com");
    let ada_id = found.records[0].id;
    client
        .customers()
        .change_password(ada_id, "n3w-secret-pass")
        .await
        .unwrap();
    let old = client
        .customers()
        .generate_token("ada@example.com", "s3cret-pass", "192.0.2.1")
        .await;
    assert!(matches!(old, Err(Error::Api { .. })), "{old:?}");
    let token = client
        .customers()
        .generate_token("ada@example.com", "n3w-secret-pass", "192.0.2.1")
        .await
        .unwrap();
    let signed_in = client.customers().authenticate_token(&token).await.unwrap();
    assert_eq!(signed_in.id, ada_id);
    let login = client
        .customers()
        .generate_login_token(ada_id, "192.0.2.1")
        .await
        .unwrap();
    assert!(!login.is_empty() && login != token);
    client
        .customers()
        .forgot_password("ada@example.com")
        .await
        .unwrap();
}

async fn orders_of_a_product(postgres: bool) {
    let server = server(postgres).await;
    let client = Client::new(&format!("http://{}", server.addr), "1", KEY);
    let customer = funded_customer(&client, "orders@example.com", "500").await;
    let vps = client
        .orders("vps/linux/us")
        .add(&server_order(
            "host.example.com",
            customer,
            InvoiceOption::PayInvoice,
        ))
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
        .renew(
            vps.order_id,
            &Renewal {
                months: 1,
                auto_renew: None,
                charge: Charge::default(),
            },
        )
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
        .add(&server_order(
            "later.example.com",
            customer,
            InvoiceOption::OnlyAdd,
        ))
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
    // The paid one moves to another customer, and back.
    let other = funded_customer(&client, "other-owner@example.com", "1").await;
    client
        .products()
        .move_orders("later.example.com", customer, other)
        .await
        .unwrap();
    let moved = client
        .orders("vps/linux/us")
        .details(waiting.order_id)
        .await
        .unwrap();
    assert_eq!(moved.customer_id, other);
    let nothing = client
        .products()
        .move_orders("later.example.com", customer, other)
        .await;
    assert!(
        matches!(&nothing, Err(Error::Api { message, .. }) if message.contains("has no order for later.example.com")),
        "{nothing:?}"
    );
    client
        .products()
        .move_orders("later.example.com", other, customer)
        .await
        .unwrap();
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
        .add(&indian_contact(
            customer,
            "Ravi Kumar",
            "ravi@example.com",
            "9876543210",
        ))
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
        charge: Charge::default(),
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

    // Managing the registered name.
    let domains = client.domains();
    let order = registered.order_id;
    let by_name = domains.details_by_name("client-shop.com").await.unwrap();
    assert_eq!(by_name.order_id, order);
    assert_eq!(
        client
            .orders("domains")
            .order_id("client-shop.com")
            .await
            .unwrap(),
        order
    );
    let changed = domains
        .modify_name_servers(order, &["ns3.example.org"])
        .await
        .unwrap();
    assert_eq!(changed.order_id, order);
    assert_eq!(
        domains.details(order).await.unwrap().name_servers,
        ["ns3.example.org"]
    );
    domains.theft_protection(order, true).await.unwrap();
    assert!(domains.locks(order).await.unwrap().transfer);
    domains.theft_protection(order, false).await.unwrap();
    assert!(!domains.locks(order).await.unwrap().transfer);
    domains
        .privacy_protection(order, true, "asked")
        .await
        .unwrap();
    domains.gdpr_protection(order, false).await.unwrap();
    domains.modify_auth_code(order, "New-Code-1").await.unwrap();
    let second = client
        .contacts()
        .add(&indian_contact(
            customer,
            "Asha Rao",
            "asha@example.com",
            "9876543211",
        ))
        .await
        .unwrap();
    domains
        .modify_contacts(order, [contact, second, second, second], false)
        .await
        .unwrap();
    domains
        .add_child_name_server(order, "ns1.client-shop.com", &["192.0.2.10"])
        .await
        .unwrap();
    domains
        .rename_child_name_server(order, "ns1.client-shop.com", "ns2.client-shop.com")
        .await
        .unwrap();
    domains
        .change_child_name_server_ip(order, "ns2.client-shop.com", "192.0.2.10", "192.0.2.11")
        .await
        .unwrap();
    domains
        .delete_child_name_server_ip(order, "ns2.client-shop.com", "192.0.2.11")
        .await
        .unwrap();
    let missing = domains
        .delete_child_name_server_ip(order, "ns2.client-shop.com", "192.0.2.11")
        .await;
    assert!(matches!(missing, Err(Error::Api { .. })), "{missing:?}");
    domains.resend_raa_verification(order).await.unwrap();
    assert_eq!(
        domains.customer_default_ns(customer).await.unwrap().len(),
        2,
        "the platform's two defaults"
    );
    let shown = domains.details(order).await.unwrap();
    domains
        .renew(
            order,
            &reseller_client::DomainRenewal {
                years: 1,
                exp_date: shown.end_time.unwrap(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let stale = domains
        .renew(
            order,
            &reseller_client::DomainRenewal {
                years: 1,
                exp_date: shown.end_time.unwrap(),
                ..Default::default()
            },
        )
        .await;
    assert!(
        matches!(&stale, Err(Error::Api { message, .. }) if message == "Domain already renewed."),
        "{stale:?}"
    );
    assert!(!domains.validate_transfer("client-shop.com").await.unwrap());
    assert!(domains.validate_transfer("github.com").await.unwrap());

    // A transfer in: its auth code later, then cancelled (a bare Success).
    let transfer = domains
        .transfer(&reseller_client::DomainTransfer {
            name: "github.com".into(),
            auth_code: None,
            name_servers: vec!["ns1.example.net".into()],
            customer,
            contacts: [contact; 4],
            charge: Charge::default(),
        })
        .await
        .unwrap();
    domains
        .submit_auth_code(transfer.order_id, "Epp-Key-1")
        .await
        .unwrap();
    domains
        .resend_transfer_approval(transfer.order_id)
        .await
        .unwrap();
    domains.cancel_transfer(transfer.order_id).await.unwrap();

    let deleted = domains.delete(order).await.unwrap();
    assert_eq!(deleted.order_id, order);
    let restored = domains.restore(order, Charge::default()).await.unwrap();
    assert_eq!(restored.order_id, order);

    // Contacts: listed, defaults, deleted.
    let listed = client.contacts().search(customer, 10, 1).await.unwrap();
    assert_eq!(listed.total, 2);
    assert!(
        listed
            .records
            .iter()
            .any(|c| c.id == second && c.email == "asha@example.com")
    );
    client
        .contacts()
        .set_defaults(customer, "Contact", [contact, second, second, second])
        .await
        .unwrap();
    assert_eq!(
        client
            .contacts()
            .defaults(customer, "Contact")
            .await
            .unwrap(),
        [contact, second, second, second]
    );
    let spare = client
        .contacts()
        .add(&indian_contact(
            customer,
            "Spare",
            "spare@example.com",
            "9876543212",
        ))
        .await
        .unwrap();
    assert_eq!(
        client.contacts().delete(spare).await.unwrap().order_id,
        spare
    );
    assert_eq!(
        client.contacts().details(spare).await.unwrap().status,
        "Deleted"
    );

    // A .in name waits for its registrant's NIXI verification.
    let indian = client
        .domains()
        .register(&reseller_client::DomainRegistration {
            name: "client-shop.in".into(),
            ..registration.clone()
        })
        .await
        .unwrap();
    let message = client
        .domains()
        .resend_nixi_verification(indian.order_id)
        .await
        .unwrap();
    assert!(!message.is_empty());

    let me = client.resellers().details().await.unwrap();
    assert_eq!((me.id, me.status.as_str()), (1, "Active"));
    client
        .customers()
        .modify(
            customer,
            &reseller_client::CustomerChanges {
                city: Some("Mysuru".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        client
            .customers()
            .details_by_id(customer)
            .await
            .unwrap()
            .city,
        "Mysuru"
    );

    let idn = client
        .domains()
        .idn_available(&["बाज़ार"], "com", "hin")
        .await
        .unwrap();
    assert_eq!(idn.len(), 1);
    assert!(idn.keys().all(|name| name.starts_with("xn--")), "{idn:?}");
    let premium = client
        .domains()
        .premium_available("shop", &["com"])
        .await
        .unwrap();
    assert!(!premium.is_empty());
    assert!(premium.values().all(|price| price.thousandths > 0));
    let third = client
        .domains()
        .third_level_available(&["client.shop"])
        .await
        .unwrap();
    assert!(third.contains_key("client.shop.name"), "{third:?}");
    let suggested = client
        .domains()
        .suggest_names("client shop", &["com"])
        .await
        .unwrap();
    assert!(
        suggested.keys().all(|name| name.ends_with(".com")),
        "{suggested:?}"
    );
    assert!(suggested.values().any(|s| s.status == "available"));
}

/// Searches, lookups, suspension, actions and transactions.
async fn searches_actions_and_transactions(postgres: bool) {
    let server = server(postgres).await;
    let client = Client::new(&format!("http://{}", server.addr), "1", KEY);
    let customer = funded_customer(&client, "search@example.com", "100").await;
    let vps = client.orders("vps/linux/us");
    let mut ids = Vec::new();
    for n in 0..3 {
        let name = format!("s{n}.example.com");
        ids.push(
            vps.add(&server_order(&name, customer, InvoiceOption::PayInvoice))
                .await
                .unwrap()
                .order_id,
        );
    }
    assert_eq!(vps.order_id("s1.example.com").await.unwrap(), ids[1]);
    let all = vps
        .search(&OrderSearch {
            customer_ids: vec![customer],
            ..OrderSearch::default()
        })
        .await
        .unwrap();
    assert_eq!(all.total, 3);
    let mut found: Vec<i64> = all.records.iter().map(|r| r.order_id).collect();
    found.sort();
    assert_eq!(found, ids);
    assert!(
        all.records
            .iter()
            .all(|r| r.customer_id == customer && r.status == "Active")
    );
    let suspended = vps.suspend(ids[0], "unpaid").await.unwrap();
    assert_eq!(suspended.order_id, ids[0]);
    let only_suspended = vps
        .search(&OrderSearch {
            statuses: vec!["Suspended".into()],
            ..OrderSearch::default()
        })
        .await
        .unwrap();
    assert_eq!(
        only_suspended
            .records
            .iter()
            .map(|r| r.order_id)
            .collect::<Vec<_>>(),
        [ids[0]]
    );
    vps.unsuspend(ids[0]).await.unwrap();
    assert_eq!(vps.details(ids[0]).await.unwrap().status, "Active");

    let adds = client
        .actions()
        .search_current(&ActionSearch {
            customer_ids: vec![customer],
            action_types: vec!["Add".into()],
            ..ActionSearch::default()
        })
        .await
        .unwrap();
    assert_eq!(adds.total, 3);
    assert!(
        adds.records
            .iter()
            .all(|a| a.action_type == "Add" && a.action_status == "Success")
    );
    let archived = client
        .actions()
        .search_archived(&ActionSearch {
            order_ids: vec![ids[2]],
            ..ActionSearch::default()
        })
        .await
        .unwrap();
    assert_eq!(archived.records[0].order_id, ids[2]);
    let refused = client
        .actions()
        .search_current(&ActionSearch {
            records: 5,
            ..ActionSearch::default()
        })
        .await;
    assert!(
        matches!(&refused, Err(Error::Api { message, .. }) if message.starts_with("Invalid no-of-records: 5.")),
        "{refused:?}"
    );

    // 100 in, 3 x 10 out, then a debit note of 5.
    let invoice = client
        .billing()
        .add_debit_note(customer, "5".parse().unwrap(), "setup fee")
        .await
        .unwrap();
    assert!(invoice > 0);
    let moves = client
        .billing()
        .customer_transactions(customer, 10, 1)
        .await
        .unwrap();
    assert_eq!(moves.total, 5);
    let sum: i64 = moves.records.iter().map(|t| t.amount.thousandths).sum();
    assert_eq!(sum, 65_000);
    assert!(
        moves
            .records
            .iter()
            .any(|t| t.credit() && t.amount == "100".parse().unwrap())
    );
    assert!(
        moves
            .records
            .iter()
            .any(|t| t.description.contains("setup fee"))
    );
    let recent = client
        .billing()
        .recent_customer_transactions(customer)
        .await
        .unwrap();
    assert_eq!(recent.records, moves.records, "the same five, unpaged");
    assert!(
        client
            .billing()
            .recent_reseller_transactions()
            .await
            .unwrap()
            .total
            >= 3
    );
    let own = client.billing().reseller_transactions(10, 1).await.unwrap();
    assert!(own.total >= 3, "the reseller paid for each order");

    // An invoice left open, its action run without payment.
    let waiting = vps
        .add(&server_order(
            "unpaid.example.com",
            customer,
            InvoiceOption::OnlyAdd,
        ))
        .await
        .unwrap();
    let invoice = waiting.invoice_id.unwrap();
    let ran = client
        .billing()
        .execute_without_payment(&[invoice], false)
        .await
        .unwrap();
    assert_eq!(ran.len(), 1);
    assert_eq!(ran[0].0, invoice);
    assert_eq!(
        vps.details(waiting.order_id).await.unwrap().status,
        "Active"
    );
}

/// Each product's own calls, and the catalogue.
async fn products_of_each_kind(postgres: bool) {
    let server = server(postgres).await;
    let client = Client::new(&format!("http://{}", server.addr), "1", KEY);
    let customer = client
        .customers()
        .signup(&ada("products@example.com"))
        .await
        .unwrap();

    let categories = client.products().category_keys().await.unwrap();
    assert!(
        categories["hosting"].contains(&"vpslinuxus".to_string()),
        "{categories:?}"
    );
    let prices = client
        .products()
        .customer_price(Some("vpslinuxus"))
        .await
        .unwrap();
    assert!(prices["vpslinuxus"].is_object(), "{prices}");
    let cost = client
        .products()
        .reseller_price(Some("vpslinuxus"), None)
        .await
        .unwrap();
    assert!(cost["vpslinuxus"].is_object(), "{cost}");
    let (version, text) = client.contacts().ca_registrant_agreement().await.unwrap();
    assert!(!version.is_empty() && text.contains("Registrant Agreement"));
    let plans = client.products().plan_details().await.unwrap();
    assert!(plans["vpslinuxus"].is_object());
    let refused = client
        .products()
        .customer_price(Some("nosuchproduct"))
        .await;
    // Refused before it is sent, in the words the server would use.
    assert!(
        matches!(&refused, Err(e @ Error::Invalid(_)) if e.to_string().starts_with("Invalid product-key: nosuchproduct. It must be one of")),
        "{refused:?}"
    );

    // Acronis Backup of a VPS: storage, agent, console.
    let host = client
        .orders("vps/linux/us")
        .add(&server_order(
            "backed-up.example.com",
            customer,
            InvoiceOption::NoInvoice,
        ))
        .await
        .unwrap()
        .order_id;
    let backups = client.backups(Region::Us);
    let backup = backups
        .add(&NewBackup {
            customer_id: customer,
            hosting_order_id: host,
            plan_id: 301,
            months: 1,
            storage_gb: 50,
            auto_renew: false,
            charge: Charge::default(),
        })
        .await
        .unwrap();
    assert_eq!(backup.action_type, "Add");
    let grown = backups
        .add_storage(backup.order_id, 80, Charge::default())
        .await
        .unwrap();
    assert_eq!(grown.order_id, backup.order_id);
    let shrink = backups
        .add_storage(backup.order_id, 10, Charge::default())
        .await;
    assert!(matches!(shrink, Err(Error::Api { .. })), "{shrink:?}");
    let message = backups.install_agent(backup.order_id, host).await.unwrap();
    assert!(!message.is_empty());
    let url = backups.auto_login_url(backup.order_id).await.unwrap();
    assert!(
        url.starts_with(&format!("http://{}/console/backup/", server.addr)),
        "{url}"
    );
    assert_eq!(
        backups
            .orders()
            .details(backup.order_id)
            .await
            .unwrap()
            .status,
        "Active"
    );

    // Business Email: accounts added and removed.
    let email = client.email();
    let mailbox = email
        .add(&NewEmail {
            domain_name: "mail.example.com".into(),
            customer_id: customer,
            months: 1,
            accounts: 2,
            auto_renew: false,
            charge: Charge::default(),
        })
        .await
        .unwrap();
    let added = email
        .add_accounts(mailbox.order_id, 3, Charge::default())
        .await
        .unwrap();
    assert_eq!(added.map(|a| a.order_id), Some(mailbox.order_id));
    let removed = email.delete_accounts(mailbox.order_id, 1).await.unwrap();
    assert_eq!(removed.order_id, mailbox.order_id);
    let details = client
        .get(
            "eelite/us/details",
            &[("order-id", &mailbox.order_id.to_string())],
        )
        .await
        .unwrap();
    assert_eq!(details["emailaccounts"], 4, "{details}");

    // Mailboxes inside it, typed; the family's refusals are Error::Api.
    let mail = client.mail();
    let box1 = mail
        .add_mailbox(
            mailbox.order_id,
            &NewMailbox {
                email: "ana@mail.example.com",
                password: "mailpass1",
                first_name: "Ana",
                last_name: "Lima",
                notification_email: Some("ana@example.net"),
            },
        )
        .await
        .unwrap();
    assert_eq!(box1.status, "ACTIVE");
    mail.add_forward_only(
        mailbox.order_id,
        "sales@mail.example.com",
        &["ana@mail.example.com"],
    )
    .await
    .unwrap();
    let signed_in = mail
        .authenticate(mailbox.order_id, "ana@mail.example.com", "mailpass1")
        .await
        .unwrap();
    assert_eq!(signed_in.last_name, "Lima");
    let wrong = mail
        .authenticate(mailbox.order_id, "ana@mail.example.com", "nottheone1")
        .await;
    assert!(
        matches!(&wrong, Err(Error::Api { status: 200, message }) if message.starts_with("Authentication failed")),
        "{wrong:?}"
    );
    let fresh = mail
        .reset_password(mailbox.order_id, "ana@mail.example.com")
        .await
        .unwrap();
    mail.authenticate(mailbox.order_id, "ana@mail.example.com", &fresh)
        .await
        .unwrap();
    mail.suspend(mailbox.order_id, &["ana@mail.example.com"], true)
        .await
        .unwrap();
    let accounts = mail.accounts(mailbox.order_id).await.unwrap();
    let states: Vec<(&str, &str)> = accounts
        .iter()
        .map(|a| (a.email.as_str(), a.status.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("ana@mail.example.com", "SUSPENDED"),
            ("sales@mail.example.com", "ACTIVE")
        ]
    );
    assert_eq!(accounts[1].forwards, ["ana@mail.example.com"]);
    let records = mail.dns_records(mailbox.order_id).await.unwrap();
    assert_eq!(records[0], "MX 10 mx1.reseller.example");
    mail.delete(
        mailbox.order_id,
        &["ana@mail.example.com", "sales@mail.example.com"],
    )
    .await
    .unwrap();
    assert!(mail.accounts(mailbox.order_id).await.unwrap().is_empty());

    // Web hosting: a plan change quoted and made, SSL, a license key.
    let site = client
        .orders("multidomainhosting/linux/us")
        .add(&NewOrder {
            domain_name: Some("hosted.example.com".into()),
            customer_id: customer,
            plan_id: Some(621),
            months: 3,
            ..NewOrder::default()
        })
        .await
        .unwrap()
        .order_id;
    let hosting = client.hosting("multidomainhosting/linux/us");
    let quote = hosting.modify_pricing(site, 622, 12).await.unwrap();
    assert_eq!(quote.remaining_months, 3);
    assert_eq!(quote.current.to_string(), "24.000");
    assert_eq!(quote.upgrade.to_string(), "105.600");
    let moved = hosting
        .modify(site, 622, 12, Charge::default())
        .await
        .unwrap();
    assert_eq!(moved.order_id, site);
    hosting.enable_ssl(site, Charge::default()).await.unwrap();
    let twice = hosting.enable_ssl(site, Charge::default()).await;
    assert!(matches!(twice, Err(Error::Api { .. })), "{twice:?}");
    let reseller_site = client
        .orders("resellerhosting/linux/us")
        .add(&NewOrder {
            domain_name: Some("reseller-site.example.com".into()),
            customer_id: customer,
            plan_id: Some(641),
            months: 1,
            ..NewOrder::default()
        })
        .await
        .unwrap()
        .order_id;
    let reseller_hosting = client.hosting("resellerhosting/linux/us");
    let key = reseller_hosting.license_key(reseller_site).await.unwrap();
    assert_eq!(
        reseller_hosting.license_key(reseller_site).await.unwrap(),
        key
    );
    reseller_hosting
        .add_dedicated_ip(reseller_site, Charge::default())
        .await
        .unwrap();

    // An SSL certificate: the request kept, the record that validates it
    // shown, and a refusal as Error::Api.
    let certificate = client
        .orders("sslcert")
        .add(&NewOrder {
            domain_name: Some("secure.example.com".into()),
            customer_id: customer,
            plan_id: Some(701),
            months: 12,
            ..NewOrder::default()
        })
        .await
        .unwrap()
        .order_id;
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["secure.example.com".to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "secure.example.com");
    let csr = params.serialize_request(&key).unwrap().pem().unwrap();
    let ssl = client.ssl();
    let status = ssl
        .enroll(certificate, &csr, Verification::Dns, None)
        .await
        .unwrap();
    assert_eq!(status, "Pending", "no zone publishes the token here");
    let details = ssl.details(certificate).await.unwrap();
    assert_eq!(details.names, ["secure.example.com"]);
    assert_eq!(
        details.dns_auth.as_ref().map(|(h, _)| h.as_str()),
        Some("_dnsauth")
    );
    assert_eq!(details.certificate, None);
    assert_eq!(ssl.check_status(certificate).await.unwrap(), "Pending");
    let refused = ssl.cancel(certificate).await;
    assert!(
        matches!(&refused, Err(Error::Api { message, .. }) if message == &format!("Order {certificate} has no certificate issued")),
        "{refused:?}"
    );

    // Managed Server: an add-on added, then removed by its id.
    let managed = client.managed_servers();
    let server_order = managed
        .orders()
        .add(&NewOrder {
            domain_name: Some("managed.example.com".into()),
            customer_id: customer,
            plan_id: Some(501),
            months: 1,
            extra: vec![("addon".into(), "ipaddress".into())],
            ..NewOrder::default()
        })
        .await
        .unwrap();
    managed
        .add_addons(server_order.order_id, &["storage_1"], Charge::default())
        .await
        .unwrap();
    let details = client
        .get(
            "managedserver/linux/us/details",
            &[("order-id", &server_order.order_id.to_string())],
        )
        .await
        .unwrap();
    let addons = details["addons"].as_array().unwrap();
    assert_eq!(addons.len(), 2, "{details}");
    let storage = addons
        .iter()
        .find(|a| a["addonname"] == "storage_1")
        .unwrap();
    let id: i64 = storage["addonid"].as_str().unwrap().parse().unwrap();
    managed
        .delete_addon(server_order.order_id, id)
        .await
        .unwrap();
    let again = managed.delete_addon(server_order.order_id, id).await;
    assert!(matches!(again, Err(Error::Api { .. })), "{again:?}");
}

#[tokio::test]
async fn searches_actions_and_transactions_on_sqlite() {
    searches_actions_and_transactions(false).await;
}

#[tokio::test]
async fn searches_actions_and_transactions_on_postgres() {
    searches_actions_and_transactions(true).await;
}

#[tokio::test]
async fn products_of_each_kind_on_sqlite() {
    products_of_each_kind(false).await;
}

#[tokio::test]
async fn products_of_each_kind_on_postgres() {
    products_of_each_kind(true).await;
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

/// Two tests' tenants: each its own reseller, clock, snapshots and reset.
async fn tenants_of_parallel_tests(postgres: bool) {
    let server = server(postgres).await;
    let base = format!("http://{}", server.addr);
    let sandbox = reseller_client::Sandbox::new(&base, ADMIN);
    let new = reseller_client::NewTenant {
        funds: Some("500".parse().unwrap()),
        clock: true,
    };
    let (first, second) = (
        sandbox.create_tenant(&new).await.unwrap(),
        sandbox.create_tenant(&new).await.unwrap(),
    );
    assert_ne!(first.id, second.id);
    let client = first.client();
    assert_eq!(
        client.billing().reseller_balance().await.unwrap().selling,
        "500".parse().unwrap()
    );
    let customer = client
        .customers()
        .signup(&ada("tenant@example.com"))
        .await
        .unwrap();
    sandbox
        .snapshot_tenant(first.id, "signed-up")
        .await
        .unwrap();
    let moved = sandbox.advance_tenant(first.id, 10 * 86_400).await.unwrap();
    assert!(moved.own);
    assert_eq!(moved.offset_seconds, 10 * 86_400);
    assert_eq!(
        sandbox
            .tenant_clock(second.id)
            .await
            .unwrap()
            .offset_seconds,
        0
    );
    sandbox.reset_tenant(first.id).await.unwrap();
    assert!(client.customers().details_by_id(customer).await.is_err());
    let back = sandbox.restore_tenant(first.id, "signed-up").await.unwrap();
    assert_eq!(back.offset_seconds, 0);
    let found = client.customers().details_by_id(customer).await.unwrap();
    assert_eq!(found.username, "tenant@example.com");
    assert!(
        second
            .client()
            .customers()
            .details_by_id(customer)
            .await
            .is_err()
    );
    sandbox.delete_tenant(first.id).await.unwrap();
    assert!(matches!(
        sandbox.tenant_clock(first.id).await,
        Err(reseller_client::Error::Api { status: 404, .. })
    ));
    assert!(matches!(
        client.billing().reseller_balance().await,
        Err(reseller_client::Error::Api { .. })
    ));
}

#[tokio::test]
async fn tenants_of_parallel_tests_on_sqlite() {
    tenants_of_parallel_tests(false).await;
}

#[tokio::test]
async fn tenants_of_parallel_tests_on_postgres() {
    tenants_of_parallel_tests(true).await;
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
    for file in ["single_domain.txt", "multiple_domains.txt"] {
        for dir in ["idn_availability", "3rd_level_name_availability"] {
            let found =
                reseller_client::availability(&read(&format!("domains/{dir}/{file}"))).unwrap();
            assert!(!found.is_empty(), "{dir}/{file}");
        }
    }
    for file in [
        "lowest_price.txt",
        "max_results.txt",
        "single_tld.txt",
        "highest_and_lowest_price.txt",
        "multiple_tlds.txt",
        "highest_price.txt",
    ] {
        let prices = reseller_client::premium(&read(&format!(
            "domains/premium_domain_availability/{file}"
        )))
        .unwrap();
        assert!(prices.values().all(|p| p.thousandths > 0), "{file}");
    }
    let prices =
        reseller_client::premium(&read("domains/premium_domain_availability/single_tld.txt"))
            .unwrap();
    assert_eq!(prices["domainspool.com"], "75604.07".parse().unwrap());
    for file in ["exact_match.txt", "keyword_only.txt", "tld.txt"] {
        let names =
            reseller_client::suggestions(&read(&format!("domains/suggest_names/{file}"))).unwrap();
        assert!(!names.is_empty(), "{file}");
    }
    let names = reseller_client::suggestions(&read("domains/suggest_names/tld.txt")).unwrap();
    assert_eq!(names["resellerdesign.com"].score, "0.849");

    let listed = reseller_client::Page::from_reply(
        &read("customers/customers.txt"),
        reseller_client::CustomerRecord::from_reply,
    )
    .unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(listed.records[0].username, "email@email.com");
    let signed_in =
        reseller_client::Customer::from_reply(&read("customers/authenticate_token.txt")).unwrap();
    assert_eq!(signed_in.id, CustomerId(30_930_235));
    for file in ["generate_token.txt", "generate_login_token.txt"] {
        assert!(read(&format!("customers/{file}")).is_string(), "{file}");
    }
    for file in [
        "change_password.txt",
        "modify_customer.txt",
        "forgot_password.txt",
        "delete_customer.txt",
    ] {
        assert_eq!(
            read(&format!("customers/{file}")),
            serde_json::json!(true),
            "{file}"
        );
    }
    let by_invoice =
        reseller_client::actions_by_invoice(&read("eelite/add-email-account-pay-invoice.json"))
            .unwrap();
    assert_eq!(by_invoice.len(), 1);
    let (invoice, action) = &by_invoice[0];
    assert_eq!(*invoice, 78_877_737);
    let action = action.as_ref().unwrap();
    assert_eq!(
        (action.action_type.as_str(), action.order_id),
        ("AddEmailAccount", 80_030_154)
    );
    // Its <...> marks are the client's to fill in (the recordings' README).
    let text =
        std::fs::read_to_string(dir.join("domains-orders/details-transfer-in-progress.json"))
            .unwrap()
            .replace("<customer id>", "16118292")
            .replace("<id>", "61418983")
            .replace("<name>", "transfer-me.com")
            .replace("<auth code>", "Epp-Key-1")
            .replace("<ns>", "ns1.example.net");
    let transferring =
        reseller_client::DomainDetails::from_reply(&serde_json::from_str(&text).unwrap()).unwrap();
    assert_eq!(transferring.name, "transfer-me.com");
    assert_eq!(transferring.customer_id, CustomerId(16_118_292));

    let contact = reseller_client::Contact::from_reply(&read("contacts/details.json")).unwrap();
    assert_eq!(contact.id, 61_418_983);
    assert_eq!(contact.email, "testsoigniomiief@hostgator.com");
    assert_eq!(contact.kind, "Contact");
    assert_eq!(contact.customer_id, CustomerId(16_118_292));
}
