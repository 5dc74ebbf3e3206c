//! `pg/*`: the sandbox's one payment gateway, as data. No payment goes
//! through a gateway here: a customer's funds arrive by
//! `billing/add-customer-fund`, so there are no gateway transactions to
//! list, and the gateway has no payment page (`posturl` is empty).

use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::pg::*;

/// The gateway's payment type id.
pub const SANDBOX_GATEWAY: i64 = 1;

pub fn routes(r: &mut Routes) {
    r.call::<AllowedListForCustomer, _, _>(allowed_for_customer)
        .call::<ListForReseller, _, _>(|_, _| async { Ok(gateways(true)) })
        .call::<CustomerTransactions, _, _>(customer_transactions);
}

/// `{"1": {...}}`: the gateway, for customers (and sub-resellers too when
/// `for_reseller`).
fn gateways(for_reseller: bool) -> Reply {
    let mut gateway = MapReply::with_capacity(9);
    gateway
        .text("gatewaytype", "SandboxCard")
        .text("gatewayname", "Sandbox card")
        .id("paymenttypeid", SANDBOX_GATEWAY)
        .text("posturl", "")
        .id("displayposition", 1)
        .flag("customeraccesslevel", true);
    if for_reseller {
        gateway
            .text("customerallowedpaymenttype", "AddFund,Payment")
            .flag("reselleraccesslevel", true)
            .text("resellerallowedpaymenttype", "AddFund,Payment");
    }
    let mut all = MapReply::with_capacity(1);
    all.put(SANDBOX_GATEWAY.to_string(), gateway.build());
    all.build()
}

async fn allowed_for_customer(
    call: Call,
    asked: AllowedListForCustomer,
) -> Result<Reply, ApiError> {
    let (reseller_id, customer_id) = (call.reseller_id, asked.customer_id);
    call.state
        .store
        .read(move |tx| reseller_core::orders::customer_of(tx, reseller_id, customer_id))
        .await?;
    // The one gateway takes both kinds of payment.
    Ok(gateways(false))
}

async fn customer_transactions(call: Call, asked: CustomerTransactions) -> Result<Reply, ApiError> {
    if i64::from(asked.payment_type_id.0) != SANDBOX_GATEWAY {
        return Err(ApiError::InvalidParam {
            name: "payment-type-id",
            value: asked.payment_type_id.0.to_string(),
            allowed: format!("It must be {SANDBOX_GATEWAY}, the sandbox's gateway"),
        });
    }
    let (reseller_id, customers) = (call.reseller_id, asked.customer_ids);
    call.state
        .store
        .read(move |tx| {
            for &customer_id in &customers {
                reseller_core::orders::customer_of(tx, reseller_id, customer_id)?;
            }
            Ok(())
        })
        .await?;
    let mut page = MapReply::with_capacity(2);
    page.id("recsonpage", 0).id("recsindb", 0);
    Ok(page.build())
}
