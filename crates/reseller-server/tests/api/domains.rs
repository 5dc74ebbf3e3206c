//! Domains, as far as they are served: availability by the documented rule
//! and name suggestions.

use crate::common::TestApp;

#[tokio::test]
async fn availability_follows_the_documented_rule_for_every_name_and_tld() {
    let app = TestApp::spawn().await;
    let reply = app
        .get(
            "domains/available.json",
            &[
                ("domain-name", "github"),
                ("domain-name", "My-New-Shop"),
                ("domain-name", "wxyz"),
                ("tlds", "com"),
                ("tlds", "net"),
                ("tlds", "co.in"),
                ("tlds", "name"),
            ],
        )
        .await;
    reply.ok();
    let status = |name: &str| {
        reply.body[name]["status"]
            .as_str()
            .unwrap_or("(none)")
            .to_string()
    };
    let classkey = |name: &str| {
        reply.body[name]["classkey"]
            .as_str()
            .unwrap_or("(none)")
            .to_string()
    };
    assert_eq!(status("github.com"), "regthroughothers");
    assert_eq!(classkey("github.com"), "domcno");
    assert_eq!(status("github.net"), "regthroughothers");
    assert_eq!(classkey("github.net"), "dotnet");
    assert_eq!(status("my-new-shop.com"), "available");
    assert_eq!(classkey("my-new-shop.co.in"), "thirdleveldotin");
    assert_eq!(status("my-new-shop.name"), "unknown");
    assert_eq!(classkey("my-new-shop.name"), "dotname");
    assert_eq!(status("wxyz.com"), "available");
    let price = reply.body["wxyz.com"]["costHash"]["create"]
        .as_str()
        .expect("a premium price");
    assert!(price.ends_with(".000") && price.len() >= 8, "{price}");
    assert_eq!(reply.body.as_object().unwrap().len(), 12);

    let before = app.counts();
    for (params, text) in [
        (
            vec![("tlds", "com")],
            "Required parameter missing: domain-name".to_string(),
        ),
        (
            vec![("domain-name", "shop")],
            "Required parameter missing: tlds".to_string(),
        ),
        (
            vec![("domain-name", "-shop"), ("tlds", "com")],
            "Invalid domain-name: -shop. It must be a name without its TLD".to_string(),
        ),
        (
            vec![("domain-name", "shop"), ("tlds", "c_m")],
            "Invalid tlds: c_m. It must be a TLD such as com or co.in, without the dot".to_string(),
        ),
        (
            vec![("domain-name", "shop"), ("tlds", "com"), ("years", "2")],
            "Unsupported parameter: years. This call takes domain-name, tlds".to_string(),
        ),
    ] {
        let refused = app.get("domains/available.json", &params).await;
        assert!(
            refused.error().starts_with(&text),
            "{} vs {text}",
            refused.error()
        );
    }
    let many: Vec<(&str, String)> = (0..11)
        .map(|n| ("domain-name", format!("shop{n}")))
        .chain((0..10).map(|n| {
            (
                "tlds",
                [
                    "com", "net", "org", "info", "biz", "co", "io", "us", "ca", "eu",
                ][n]
                    .to_string(),
            )
        }))
        .collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let too_many = app.get("domains/available.json", &many).await;
    assert_eq!(
        too_many.error(),
        "Invalid domain-name: 110. At most 100 names (domain-name times tlds) are checked at once"
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn suggestions_are_available_names_made_from_the_keyword() {
    let app = TestApp::spawn().await;
    let reply = app
        .get(
            "domains/v5/suggest-names.json",
            &[
                ("keyword", "reseller"),
                ("tld-only", "com"),
                ("tld-only", "net"),
            ],
        )
        .await;
    reply.ok();
    let names = reply.body.as_object().unwrap();
    assert!(names.len() >= 10, "{}", reply.text);
    assert_eq!(reply.body["reseller.com"]["spin"], "no");
    assert_eq!(reply.body["myreseller.com"]["spin"], "yes");
    for (name, entry) in names {
        assert!(name.ends_with(".com") || name.ends_with(".net"), "{name}");
        assert!(name.contains("reseller"), "{name}");
        assert_eq!(entry["status"], "available");
        assert_eq!(entry["in_ga"], "true");
    }
    let exact = app
        .get(
            "domains/v5/suggest-names.json",
            &[("keyword", "reseller"), ("exact-match", "true")],
        )
        .await;
    let exact = exact
        .ok()
        .body
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect::<Vec<_>>();
    assert!(
        exact.iter().all(|n| n.starts_with("reseller.")),
        "{exact:?}"
    );
    let taken = app
        .get(
            "domains/v5/suggest-names.json",
            &[("keyword", "google"), ("exact-match", "true")],
        )
        .await;
    assert_eq!(
        taken.ok().text,
        "{}",
        "a name held elsewhere is never suggested"
    );
}
