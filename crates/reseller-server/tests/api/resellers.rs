//! The reseller's own account and the catalogue's maps.

use crate::common::{TestApp, money};

#[tokio::test]
async fn a_reseller_sees_its_own_details_and_no_other() {
    let app = TestApp::spawn().await;
    let details = app.get("resellers/details.json", &[]).await;
    details.ok();
    assert_eq!(details.s("resellerid"), "1");
    assert_eq!(details.s("name"), "Demo Reseller");
    assert_eq!(details.s("resellerstatus"), "Active");
    let (other, key) = app.create_reseller("Other Hosting", money("10")).await;
    let theirs = app
        .as_reseller(other, &key)
        .get("resellers/details.json", &[])
        .await;
    assert_eq!(theirs.ok().s("name"), "Other Hosting");
    let foreign = app
        .as_reseller(other, &key)
        .get("resellers/details.json", &[("reseller-id", "1")])
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
}

#[tokio::test]
async fn the_cost_price_is_the_resellers_price_and_categories_map_product_keys() {
    let app = TestApp::spawn().await;
    let cost = app.get("products/reseller-cost-price.json", &[]).await;
    let price = app.get("products/reseller-price.json", &[]).await;
    assert_eq!(cost.ok().body, price.ok().body);
    assert_eq!(cost.body["vpslinuxus"]["plans"]["101"]["add"]["1"], "7.000");
    let mapping = app.get("products/category-keys-mapping.json", &[]).await;
    mapping.ok();
    assert_eq!(
        mapping.body["backup"],
        serde_json::json!(["acronisbackupus", "acronisbackupasia"])
    );
    assert!(
        mapping.body["hosting"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("eeliteus"))
    );
}
