//! The server's own work per request, without the network: requests go
//! straight into the router in this process, so a profiler sees only our
//! code and SQLite. A profiling aid beside `reseller-bench`, which measures
//! the whole stack. Run: `cargo run --release -p reseller-server --example hotpath`.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use std::net::SocketAddr;
use std::time::Instant;
use tower::ServiceExt;

const NOW: i64 = 1_800_000_000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let orders: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = reseller_store::Store::open(&format!(
        "sqlite://{}",
        dir.path().join("hotpath.db").display()
    ))
    .expect("the store opens");
    reseller_server::ensure_demo(
        &store,
        Some("key".into()),
        reseller_core::Money(1_000_000_000),
        NOW,
    )
    .await
    .expect("the demo reseller");
    let plan = reseller_store::SeedPlan {
        reseller_id: 1,
        customers: orders / 100 + 1,
        backup_orders: orders,
        now: NOW,
    };
    store.seed(plan, |_| {}).await.expect("seeded");
    let state = reseller_server::AppState::new(store, "http://localhost".into())
        .await
        .expect("state");
    let app = reseller_server::router(state);
    let peer: SocketAddr = "127.0.0.1:1".parse().unwrap();
    let calls = [
        ("health", "/health".to_string()),
        (
            "backup details",
            "/api/backup/us/details.json?auth-userid=1&api-key=key&order-id=3".to_string(),
        ),
        (
            "backup search, page 1",
            "/api/backup/us/search.json?auth-userid=1&api-key=key&no-of-records=10&page-no=1"
                .to_string(),
        ),
        (
            "backup search, page 100",
            "/api/backup/us/search.json?auth-userid=1&api-key=key&no-of-records=10&page-no=100"
                .to_string(),
        ),
    ];
    println!("{orders} seeded orders; microseconds of server work per request:");
    // A second argument keeps the calls whose name starts with it.
    let only = std::env::args().nth(2).unwrap_or_default();
    for (name, uri) in calls
        .into_iter()
        .filter(|(name, _)| name.starts_with(&only))
    {
        let rounds = if only.is_empty() { 20_000 } else { 200_000 };
        let started = Instant::now();
        for _ in 0..rounds {
            let mut request = Request::get(&uri).body(Body::empty()).expect("a request");
            request.extensions_mut().insert(ConnectInfo(peer));
            let response = app.clone().oneshot(request).await.expect("an answer");
            assert!(response.status().is_success(), "{name} failed");
            let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
        }
        println!(
            "  {name}: {:.1}",
            started.elapsed().as_secs_f64() * 1e6 / f64::from(rounds)
        );
    }
}
