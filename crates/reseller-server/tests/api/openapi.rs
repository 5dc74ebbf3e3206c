//! The description at `/openapi.json`: generated from the route table and
//! the control plane's endpoints, kept reviewed as a snapshot, and true of
//! the server that serves it.

use crate::common::{ADMIN_TOKEN, TestApp};
use reseller_server::control::ENDPOINTS;
use reseller_server::routes::{Verb, table};
use serde_json::Value;

async fn description(app: &TestApp) -> Value {
    let response = app
        .client
        .get(format!("{}/openapi.json", app.base()))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    serde_json::from_str(&response.text().await.expect("a body")).expect("JSON")
}

#[tokio::test]
async fn the_description_is_the_reviewed_one() {
    let app = TestApp::spawn().await;
    let document = description(&app).await;
    assert_eq!(document["openapi"], "3.1.0");
    insta::assert_snapshot!(
        "openapi",
        serde_json::to_string_pretty(&document).expect("printable")
    );
}

#[tokio::test]
async fn every_call_is_described_with_its_methods_parameters_and_reply() {
    let app = TestApp::spawn().await;
    let document = description(&app).await;
    let paths = document["paths"].as_object().expect("paths");
    let routes = table();
    for (call, route) in &routes {
        let item = &paths[&format!("/api/{call}.json")];
        let methods: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let expected: &[&str] = match route.verb {
            Verb::Get | Verb::GetOrPost => &["get", "post"],
            Verb::Post => &["post"],
        };
        assert_eq!(methods, expected, "{call}");
        for method in expected {
            let op = &item[*method];
            let described: Vec<&str> = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            for param in route.params.iter() {
                let shown = if param.numbered {
                    format!("{}1", param.name)
                } else {
                    param.name.to_string()
                };
                assert!(described.contains(&shown.as_str()), "{call} {shown}");
            }
            assert!(op["responses"]["200"]["content"].is_object(), "{call}");
            assert_eq!(
                op["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error",
                "{call}"
            );
        }
    }
    let api_paths = paths.keys().filter(|p| p.starts_with("/api/")).count();
    assert_eq!(api_paths, routes.len(), "no path without a route");
}

#[tokio::test]
async fn every_control_endpoint_described_is_served_and_answers_its_shape() {
    let app = TestApp::spawn().await;
    let document = description(&app).await;
    // In an order where each finds what it needs: a snapshot before its
    // restore; a reset last but for the snapshots.
    // A tenant's calls name the tenant the first of them made.
    let mut tenant: Option<i64> = None;
    for endpoint in &ENDPOINTS {
        let id = match endpoint.path.starts_with("/tenants/") {
            true => tenant.expect("the tenant made first").to_string(),
            false => "1".to_string(),
        };
        let mut path = endpoint
            .path
            .replace("{name}", "described")
            .replace("{id}", &id);
        // The demo reseller, 1, for every id a call requires.
        let ids: Vec<String> = endpoint
            .query
            .iter()
            .filter(|p| p.required)
            .map(|p| format!("{}=1", p.name))
            .collect();
        if !ids.is_empty() {
            path = format!("{path}?{}", ids.join("&"));
        }
        let op = &document["paths"][format!("/_reseller{}", endpoint.path)][endpoint.method];
        assert!(
            op.is_object(),
            "{} {} described",
            endpoint.method,
            endpoint.path
        );
        let method =
            reqwest::Method::from_bytes(endpoint.method.to_uppercase().as_bytes()).unwrap();
        let mut request = app
            .client
            .request(method, format!("{}/_reseller{path}", app.base()))
            .bearer_auth(ADMIN_TOKEN);
        if let Some(example) = endpoint.example {
            request = request.body(example);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        if endpoint.media != reseller_server::control::JSON {
            assert_eq!(status, 200, "{} {path}: {text}", endpoint.method);
            let kind = &op["responses"]["200"]["content"][endpoint.media]["schema"]["type"];
            assert_eq!(kind, "string", "{path}");
            assert!(text.starts_with("-----BEGIN "), "{path}: {text}");
            continue;
        }
        let body: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(status, 200, "{} {path}: {body}", endpoint.method);
        if endpoint.path == "/tenants" {
            tenant = body["id"].as_i64();
        }
        let kind = &op["responses"]["200"]["content"]["application/json"]["schema"]["type"];
        let fits = match kind.as_str() {
            Some("array") => body.is_array(),
            Some("object") => body.is_object(),
            other => panic!("{path}: reply type {other:?}"),
        };
        assert!(
            fits,
            "{} {path} answered {body}, not {kind}",
            endpoint.method
        );
    }
}

#[tokio::test]
async fn the_browsable_page_needs_nothing_from_elsewhere() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/openapi", app.base()))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    let page = response.text().await.unwrap();
    assert!(
        page.contains(r#"<script src="openapi.js""#),
        "its script is its own"
    );
    assert!(!page.contains("<script>") && !page.contains("<style>") && !page.contains("style="));
    let script = app
        .client
        .get(format!("{}/openapi.js", app.base()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        script.contains("fetch(\"openapi.json\")"),
        "it reads the description"
    );
    for text in [&page, &script] {
        for external in ["http://", "https://", "//cdn"] {
            assert!(!text.contains(external), "the page loads {external}");
        }
    }
}

#[tokio::test]
async fn every_page_forbids_what_comes_from_elsewhere_framing_and_referrers() {
    let app = TestApp::spawn().await;
    for path in ["/openapi", "/console/", "/nixi/verify/not-a-token"] {
        let response = app
            .client
            .get(format!("{}{path}", app.base()))
            .send()
            .await
            .unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        let csp = header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"), "{path}");
        assert_eq!(
            header("referrer-policy").as_deref(),
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(
            header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
    }
}
