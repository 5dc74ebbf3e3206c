//! `resellers/*`: the caller's own account.

use reseller_core::ResellerId;

crate::call! {
    /// `resellers/details`: the caller's own details.
    GET "resellers/details" => Fields(&["resellerid", "parentid"]);
    pub struct Details {
        optional reseller_id: ResellerId = "reseller-id",
    }
}
