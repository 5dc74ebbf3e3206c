//! No reseller reaches another's data, walked over every call: a
//! sub-reseller makes the whole walk of the route table (so every call
//! works for a sub-reseller), and every call it makes about something of
//! its own (an id or a token it was given) is made again, with the same
//! parameters, by its sibling, by an unrelated reseller of the platform and
//! by its parent. Each of them is refused, or answers an empty search page,
//! and changes nothing. The same walk runs across tenants: a tenant with a
//! clock of its own walks, another tenant and the demo reseller replay.

use crate::common::TestApp;
use crate::common::every_call::{Caller, every_call};
use crate::common::{money, sub_reseller_of};
use std::collections::BTreeSet;

/// Parameters that name something of the caller's own. Plans, gateways and
/// transaction ids are the catalogue's or filters, not another's data.
fn names_own_data(call: &str, key: &str, parent: bool) -> bool {
    // `customerid` and `resellerId` are the pre-order calls' spellings.
    let lower = key.to_ascii_lowercase();
    let scoped = lower.ends_with("id") || lower.ends_with("-ids") || key == "token";
    let catalogue = matches!(
        key,
        "plan-id" | "payment-type-id" | "sales-contact-id" | "transaction-id"
    );
    // A parent may name its sub-reseller, and read the sub-reseller's
    // session token: that is what it manages.
    let managed = parent
        && (lower == "reseller-id"
            || lower == "resellerid"
            || call == "resellers/authenticate-token");
    scoped && !catalogue && !managed
}

struct Intruders<'a> {
    owner: &'a TestApp,
    /// Each intruder, and whether it is the owner's parent.
    others: Vec<(&'static str, &'a TestApp, bool)>,
    covered: BTreeSet<String>,
    replayed: usize,
}

impl Intruders<'_> {
    async fn replay(&mut self, call: &str, params: &[(&str, &str)], write: bool) {
        for (who, intruder, parent) in self.others.clone() {
            if !params.iter().any(|(k, _)| names_own_data(call, k, parent)) {
                continue;
            }
            let before = self.owner.counts();
            let path = format!("{call}.json");
            let reply = if write {
                intruder.post(&path, params).await
            } else {
                intruder.get(&path, params).await
            };
            let refused = reply.status != 200
                || reply.body["status"] == "ERROR"
                || reply.body["response"]["status"] == "FAILURE"
                || reply.body["recsindb"] == "0"
                || reply.body["recsindb"] == 0;
            assert!(
                refused,
                "{who} reached the owner's data by {call} {params:?}: {}",
                reply.text
            );
            assert_eq!(
                self.owner.counts(),
                before,
                "{who}'s {call} changed something"
            );
            self.replayed += 1;
        }
    }
}

impl Caller for Intruders<'_> {
    fn app(&self) -> &TestApp {
        self.owner
    }

    async fn read(&mut self, call: &str, params: &[(&str, &str)]) {
        self.covered.insert(call.to_string());
        self.owner.get(&format!("{call}.json"), params).await.ok();
        self.replay(call, params, false).await;
    }

    async fn write(&mut self, call: &str, params: &[(&str, &str)], key: Option<&str>) -> String {
        self.covered.insert(call.to_string());
        // Asked before the owner's write: a write may use up what it names
        // (a deletion), after which any refusal would prove nothing.
        self.replay(call, params, true).await;
        let reply = self.owner.post(&format!("{call}.json"), params).await;
        reply.ok();
        assert_ne!(reply.body["status"], "ERROR", "{call}: {}", reply.text);
        match key {
            Some(key) => reply.body[key]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| reply.body[key].to_string()),
            None => reply.text.clone(),
        }
    }

    async fn signed_link(&mut self, call: &str, params: &[(&str, &str)]) {
        self.covered.insert(call.to_string());
        self.owner.get(&format!("{call}.json"), params).await.ok();
        self.replay(call, params, false).await;
    }

    fn cover(&mut self, call: &str) {
        self.covered.insert(call.to_string());
    }
}

#[tokio::test]
async fn no_reseller_reaches_a_siblings_or_a_sub_resellers_data_by_any_call() {
    let top = TestApp::spawn_with_funds(money("1000000")).await;
    let owner = sub_reseller_of(&top, "owner@example.com", "100000").await;
    let sibling = sub_reseller_of(&top, "sibling@example.com", "100000").await;
    let (other, key) = top.create_reseller("Unrelated", money("1000")).await;
    let unrelated = top.as_reseller(other, &key);
    let mut walk = Intruders {
        owner: &owner,
        others: vec![
            ("the sibling", &sibling, false),
            ("an unrelated reseller", &unrelated, false),
            ("the parent", &top, true),
        ],
        covered: BTreeSet::new(),
        replayed: 0,
    };
    every_call(&mut walk).await;
    let routes: BTreeSet<String> = reseller_server::routes::table().into_keys().collect();
    let missed: Vec<&String> = routes.difference(&walk.covered).collect();
    assert!(
        missed.is_empty(),
        "calls a sub-reseller did not make: {missed:?}"
    );
    assert!(walk.replayed > 500, "only {} replays", walk.replayed);
}

/// A tenant made through the control plane, with a clock of its own.
async fn tenant(app: &TestApp) -> TestApp {
    let (status, made) = app
        .control(
            reqwest::Method::POST,
            "tenants",
            Some(serde_json::json!({"funds": "100000", "clock": true})),
        )
        .await;
    assert_eq!(status, 200, "{made}");
    app.as_reseller(
        made["id"].as_i64().expect("an id"),
        made["api-key"].as_str().expect("a key"),
    )
}

#[tokio::test]
async fn no_tenant_reaches_another_tenants_data_by_any_call() {
    let platform = TestApp::spawn_with_funds(money("1000000")).await;
    let owner = tenant(&platform).await;
    let neighbour = tenant(&platform).await;
    let mut walk = Intruders {
        owner: &owner,
        others: vec![
            ("another tenant", &neighbour, false),
            ("the demo reseller", &platform, false),
        ],
        covered: BTreeSet::new(),
        replayed: 0,
    };
    every_call(&mut walk).await;
    let routes: BTreeSet<String> = reseller_server::routes::table().into_keys().collect();
    let missed: Vec<&String> = routes.difference(&walk.covered).collect();
    assert!(missed.is_empty(), "calls a tenant did not make: {missed:?}");
    assert!(walk.replayed > 300, "only {} replays", walk.replayed);
}
