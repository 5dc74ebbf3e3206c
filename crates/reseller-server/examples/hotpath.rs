use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use std::net::SocketAddr;
use std::time::Instant;
use tower::ServiceExt;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let c = rusqlite::Connection::open_in_memory().unwrap();
    let mut st = c.prepare("SELECT * FROM pragma_compile_options").unwrap();
    let opts: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    println!("compile options: {}", opts.join(" "));
    let dir = tempfile::tempdir().unwrap();
    let store =
        reseller_store::Store::open(&format!("sqlite://{}", dir.path().join("h.db").display()))
            .unwrap();
    reseller_server::ensure_demo(
        &store,
        Some("key".into()),
        reseller_core::Money(1_000_000_000),
        1_800_000_000,
    )
    .await
    .unwrap();
    store
        .seed(
            reseller_store::SeedPlan {
                reseller_id: 1,
                customers: 10,
                backup_orders: 100,
                now: 1_800_000_000,
            },
            |_| {},
        )
        .await
        .unwrap();
    let n = 100_000;
    let t = Instant::now();
    for _ in 0..n {
        let _ = store.read(|tx| Ok(tx.order(3)?)).await.unwrap();
    }
    println!(
        "store read: {:.2} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let order = store.read(|tx| Ok(tx.order(3)?)).await.unwrap().unwrap();
    let t = Instant::now();
    for _ in 0..n {
        let map = reseller_server::api::order_details(&order);
        let _ = map.build().to_json();
    }
    println!(
        "details json: {:.2} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let t = Instant::now();
    for _ in 0..n {
        let p = reseller_server::wire::Params::parse("auth-userid=1&api-key=key&order-id=3", b"");
        let _ = p.required_id("order-id").unwrap();
    }
    println!(
        "params: {:.2} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let state = reseller_server::AppState::new(store, "http://x".into())
        .await
        .unwrap();
    let t = Instant::now();
    for _ in 0..n {
        let _ = state
            .keys
            .authenticate(&state.store, "1", "key", "127.0.0.1".parse().unwrap())
            .await
            .unwrap();
    }
    println!("auth: {:.2} µs", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    let app = reseller_server::router(state.clone());
    let peer: SocketAddr = "127.0.0.1:1".parse().unwrap();
    for page in [1u32] {
        let q = reseller_core::tx::OrderQuery {
            reseller_id: 1,
            products: vec![reseller_core::catalogue::Product::BackupUs],
            order_ids: vec![],
            customer_ids: vec![],
            statuses: vec![],
            description: None,
            created_from: None,
            created_to: None,
            ends_from: None,
            ends_to: None,
            sort: Default::default(),
            page: reseller_core::tx::Page {
                records: 10,
                number: page,
            },
        };
        let n = 20_000;
        let started = Instant::now();
        for _ in 0..n {
            let q = q.clone();
            let _ = state
                .store
                .read(move |tx| Ok(tx.search_orders(&q)?))
                .await
                .unwrap();
        }
        println!(
            "store search page {page}: {:.2} µs",
            started.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
    let pages: Vec<u32> = std::env::var("PAGES")
        .unwrap_or("1".into())
        .split(",")
        .map(|p| p.parse().unwrap())
        .collect();
    for page in pages {
        let uri = format!(
            "/api/backup/us/search.json?auth-userid=1&api-key=key&no-of-records=10&page-no={page}"
        );
        let n = 20_000;
        let started = Instant::now();
        for _ in 0..n {
            let mut request = Request::get(&uri).body(Body::empty()).unwrap();
            request.extensions_mut().insert(ConnectInfo(peer));
            let response = app.clone().oneshot(request).await.unwrap();
            let _ = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
        }
        println!(
            "search page {page}: {:.2} µs",
            started.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
    for (name, uri) in [
        ("health", "/health".to_string()),
        (
            "details",
            "/api/backup/us/details.json?auth-userid=1&api-key=key&order-id=3".to_string(),
        ),
    ] {
        let n = 100_000;
        let started = Instant::now();
        for _ in 0..n {
            let mut request = Request::get(&uri).body(Body::empty()).unwrap();
            request.extensions_mut().insert(ConnectInfo(peer));
            let response = app.clone().oneshot(request).await.unwrap();
            let _ = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
        }
        println!(
            "{name}: {:.2} µs",
            started.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
}

#[allow(dead_code)]
fn unused() {}
