//! The wire contract, reviewed: every call of the route table and its
//! reply, in JSON and in XML, as `insta` snapshots under
//! `tests/api/snapshots/`. A change to any reply fails here until its new
//! snapshot is reviewed and accepted (`cargo insta review`, or
//! `INSTA_UPDATE=always` and a look at the diff). The suite runs on both
//! backends against the same snapshots.

use crate::common::TestApp;
use crate::common::transcript::Transcript;

#[tokio::test]
async fn every_reply_in_json_is_the_reviewed_one() {
    let app = TestApp::spawn().await;
    let transcript = Transcript::of_every_call(&app, "json").await;
    insta::assert_snapshot!("every_call_json", transcript);
}

#[tokio::test]
async fn every_reply_in_xml_is_the_reviewed_one() {
    let app = TestApp::spawn().await;
    let transcript = Transcript::of_every_call(&app, "xml").await;
    insta::assert_snapshot!("every_call_xml", transcript);
}

#[test]
fn times_and_only_times_are_masked() {
    use crate::common::transcript::without_times;
    assert_eq!(
        without_times(r#"{"endtime":"1795000000","amount":"1795.000","orderid":"12"}"#),
        r#"{"endtime":"[time]","amount":"1795.000","orderid":"12"}"#
    );
    assert_eq!(
        without_times("<int>17</int> 0123456789"),
        "<int>17</int> 0123456789"
    );
}
