//! Every call in the route table, answered in XML: reads are compared with
//! the JSON reply rendered as the XML map, writes must succeed in XML. The
//! test fails if a route is added without being exercised here.

use crate::common::TestApp;
use crate::common::every_call::{Caller, every_call};
use reseller_server::wire::reply::Reply;
use std::collections::BTreeSet;

struct Xml<'a> {
    app: &'a TestApp,
    covered: BTreeSet<String>,
}

impl Caller for Xml<'_> {
    fn app(&self) -> &TestApp {
        self.app
    }

    /// A read: its XML must be exactly the JSON reply in the map form.
    async fn read(&mut self, call: &str, params: &[(&str, &str)]) {
        self.covered.insert(call.to_string());
        let json = self.app.get(&format!("{call}.json"), params).await;
        json.ok();
        let xml = self.app.get(&format!("{call}.xml"), params).await;
        assert_eq!(xml.status, 200, "{call}.xml: {}", xml.text);
        assert_eq!(
            xml.text,
            Reply::from(json.body.clone()).to_xml(),
            "{call}.xml differs from its JSON"
        );
    }

    /// A write in XML; answers the text of `key` in the reply.
    async fn write(&mut self, call: &str, params: &[(&str, &str)], key: Option<&str>) -> String {
        self.covered.insert(call.to_string());
        let xml = self.app.post(&format!("{call}.xml"), params).await;
        assert_eq!(xml.status, 200, "{call}.xml: {}", xml.text);
        assert!(
            xml.text
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            "{}",
            xml.text
        );
        assert!(!xml.text.contains("ERROR"), "{call}.xml: {}", xml.text);
        match key {
            Some(key) => {
                let marker = format!("<entry><string>{key}</string><string>");
                let after = xml
                    .text
                    .split(&marker)
                    .nth(1)
                    .unwrap_or_else(|| panic!("no {key} in {}", xml.text));
                after.split('<').next().unwrap().to_string()
            }
            None => xml.text,
        }
    }

    fn cover(&mut self, call: &str) {
        self.covered.insert(call.to_string());
    }

    /// The login link is signed with the current time: compare its shape, not its text.
    async fn signed_link(&mut self, call: &str, params: &[(&str, &str)]) {
        self.covered.insert(call.to_string());
        let login = self.app.get(&format!("{call}.xml"), params).await;
        assert!(
            login
                .text
                .contains("<entry><string>autoLoginUrl</string><string>http://"),
            "{}",
            login.text
        );
    }
}

#[tokio::test]
async fn every_call_answers_in_xml() {
    let app = TestApp::spawn().await;
    let mut x = Xml {
        app: &app,
        covered: BTreeSet::new(),
    };
    every_call(&mut x).await;
    let routes: BTreeSet<String> = reseller_server::routes::table().into_keys().collect();
    let missed: Vec<&String> = routes.difference(&x.covered).collect();
    assert!(missed.is_empty(), "calls not exercised in XML: {missed:?}");
}
