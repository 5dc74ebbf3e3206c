//! `resellers/details`: the calling reseller's own account.

use super::PLATFORM_KEY;
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::resellers::Details;
use reseller_core::RuleError;

pub fn routes(r: &mut Routes) {
    r.call::<Details, _, _>(details);
}

/// The reseller's details; `reseller-id`, if given, must be its own.
async fn details(call: Call, asked: Details) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    super::own_reseller(asked.reseller_id, reseller_id)?;
    let reseller = call
        .state
        .store
        .read(move |tx| Ok(tx.reseller(reseller_id)?))
        .await?
        .ok_or(RuleError::NotAllowed)?;
    let mut map = MapReply::with_capacity(8);
    map.id("resellerid", reseller.id)
        .text("parentid", PLATFORM_KEY)
        .text("name", reseller.name.clone())
        .text("company", reseller.name)
        .text(
            "resellerstatus",
            if reseller.active {
                "Active"
            } else {
                "Suspended"
            },
        )
        .id("creationdt", reseller.created)
        .text("sellingcurrencysymbol", super::CURRENCY)
        .text("accountingcurrencysymbol", super::CURRENCY);
    Ok(map.build())
}
