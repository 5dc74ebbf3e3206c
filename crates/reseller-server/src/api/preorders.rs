//! `domains/preordering/*`: a customer's wish list of names in TLDs not
//! yet open (`reseller_core::preorders`).

use super::search_page;
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::domains::{PreorderAdd, PreorderDelete, PreorderFetch, PreorderTlds};
use reseller_core::preorders::{self, PreorderQuery, UPCOMING_TLDS};

pub fn routes(r: &mut Routes) {
    r.call::<PreorderAdd, _, _>(add)
        .call::<PreorderDelete, _, _>(delete)
        .call::<PreorderFetch, _, _>(fetch)
        .call::<PreorderTlds, _, _>(|_, asked: PreorderTlds| async move {
            let tlds = UPCOMING_TLDS
                .iter()
                .filter(|u| u.category == asked.category.0)
                .map(|u| Reply::Text(u.tld.into()))
                .collect();
            Ok(Reply::List(tlds))
        });
}

/// Answers each name with what became of it.
async fn add(call: Call, asked: PreorderAdd) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.now);
    let outcome = call
        .state
        .store
        .write(move |tx| preorders::add(tx, reseller_id, asked.customer_id, &asked.domain, now))
        .await?;
    let mut map = MapReply::with_capacity(outcome.len());
    for (name, status) in outcome {
        map.text(name, status);
    }
    Ok(map.build())
}

async fn delete(call: Call, asked: PreorderDelete) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    let names = asked.domain.clone();
    call.state
        .store
        .write(move |tx| preorders::delete(tx, reseller_id, asked.customer_id, &asked.domain))
        .await?;
    let mut map = MapReply::with_capacity(names.len());
    for name in names {
        map.text(name.as_str().to_string(), "Success");
    }
    Ok(map.build())
}

async fn fetch(call: Call, asked: PreorderFetch) -> Result<Reply, ApiError> {
    super::own_reseller(asked.reseller_id, call.reseller_id)?;
    let query = PreorderQuery {
        reseller_id: call.reseller_id,
        customer_id: asked.customer_id,
        slds: asked.domain,
        tlds: asked
            .tld
            .into_iter()
            .map(|t| t.trim_start_matches('.').to_ascii_lowercase())
            .collect(),
        created_from: asked.creation_date_start.map(|t| t.0),
        created_to: asked.creation_date_end.map(|t| t.0),
        page: asked.page.of_store(),
    };
    let found = call
        .state
        .store
        .read(move |tx| preorders::fetch(tx, &query))
        .await?;
    Ok(search_page(&found, |(customer_id, wish)| {
        let (sld, tld) = wish.domain.split_once('.').unwrap_or((&wish.domain, ""));
        let mut map = MapReply::with_capacity(5);
        map.id("customerid", *customer_id)
            .text("domain", wish.domain.clone())
            .text("sld", sld.to_string())
            .text("tld", tld.to_string())
            .id("creationdt", wish.created);
        map
    }))
}
