//! `resellers/*`: the caller's own account and its sub-resellers (sign-up,
//! details, search, modify, tokens, temporary passwords), and the
//! catalogue's promotions. The rules are `reseller_core::resellers`.

use super::customers::{
    TEMP_PASSWORD_TTL, TOKEN_TTL, digest, extras_change, hash_password, new_token,
};
use super::{CURRENCY, PLATFORM_KEY, search_page};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::resellers::*;
use reseller_core::catalogue::PROMOTIONS;
use reseller_core::model::{Reseller, ResellerProfile, Token, TokenKind};
use reseller_core::resellers::{
    self, NO_CUSTOMER, NewSubReseller, ProfileChange, SubResellerQuery,
};
use reseller_core::{Money, ResellerId, RuleError};

pub fn routes(r: &mut Routes) {
    r.call::<Details, _, _>(details)
        .call::<Signup, _, _>(signup)
        .call::<ModifyDetails, _, _>(modify_details)
        .call::<Search, _, _>(search)
        .call::<GenerateToken, _, _>(generate_token)
        .call::<AuthenticateToken, _, _>(authenticate_token)
        .call::<TempPassword, _, _>(temp_password)
        .call::<PromoDetails, _, _>(promo_details);
}

/// A reseller's details, with the keys the vendor's page lists.
fn details_map(reseller: &Reseller) -> MapReply {
    let p = &reseller.profile;
    let mut map = MapReply::with_capacity(24);
    map.id("resellerid", reseller.id)
        .text(
            "parentid",
            reseller
                .parent
                .map_or_else(|| PLATFORM_KEY.to_string(), |p| p.to_string()),
        )
        .text("name", reseller.name.clone())
        .text(
            "company",
            if p.company.is_empty() {
                reseller.name.clone()
            } else {
                p.company.clone()
            },
        )
        .text("resellerstatus", resellers::status(reseller))
        .id("creationdt", reseller.created)
        .money("totalreceipts", Money(p.total_receipts))
        .text("sellingcurrencysymbol", CURRENCY)
        .text("accountingcurrencysymbol", CURRENCY);
    if !reseller.username.is_empty() {
        map.text("username", reseller.username.clone());
    }
    for (key, value) in [
        ("brandname", &p.brand_name),
        ("websiteurl", &p.website_url),
        ("address1", &p.address1),
        ("address2", &p.extras.address2),
        ("address3", &p.extras.address3),
        ("city", &p.city),
        ("state", &p.state),
        ("zip", &p.zipcode),
        ("country", &p.country),
        ("telnocc", &p.phone_cc),
        ("telno", &p.phone),
        ("alttelnocc", &p.extras.alt_phone_cc),
        ("alttelno", &p.extras.alt_phone),
        ("faxnocc", &p.extras.fax_cc),
        ("faxno", &p.extras.fax),
        ("mobilenocc", &p.extras.mobile_cc),
        ("mobileno", &p.extras.mobile),
        ("langpref", &p.lang_pref),
    ] {
        if !value.is_empty() {
            map.text(key, value.clone());
        }
    }
    if let Some(id) = p.sales_contact_id {
        map.id("salescontactid", id);
    }
    for (name, value) in &p.tax_ids {
        map.text(name.replace('-', ""), value.clone());
    }
    map
}

/// The caller's details, or those of a sub-reseller it names.
async fn details(call: Call, asked: Details) -> Result<Reply, ApiError> {
    let caller = call.reseller_id;
    let reseller = call
        .state
        .store
        .read(move |tx| {
            let id = resellers::viewed(tx, caller, asked.reseller_id)?;
            Ok(tx.reseller(id)?.ok_or(RuleError::NotAllowed)?)
        })
        .await?;
    Ok(details_map(&reseller).build())
}

/// Signs a sub-reseller up under the caller; answers its id. It has the
/// caller's selling prices as its costs and no API key until one is issued
/// (`POST /_reseller/resellers/{id}/api-key`, docs/API.md).
async fn signup(call: Call, asked: Signup) -> Result<Reply, ApiError> {
    let given = asked.reseller;
    let mut profile = ResellerProfile {
        company: given.company,
        address1: given.address_line_1,
        city: given.city,
        state: given.state,
        country: given.country.0,
        zipcode: given.zipcode,
        phone_cc: given.phone_cc.0,
        phone: given.phone.0,
        lang_pref: given.lang_pref,
        sales_contact_id: given
            .sales_contact_id
            .and_then(|id| id.0.parse::<i64>().ok()),
        ..ResellerProfile::default()
    };
    extras_change(given.extras).apply(&mut profile.extras);
    if let Some(vat_id) = given.vat_id {
        profile.tax_ids.insert("vat-id".to_string(), vat_id);
    }
    if let Some(consent) = given.sms_consent {
        profile.extras.sms_consent = consent.to_string();
    }
    let new = NewSubReseller {
        parent: call.reseller_id,
        username: given.username.0,
        password_hash: hash_password(&given.passwd.0)?,
        name: given.name,
        profile,
        now: call.now,
    };
    let id = call
        .state
        .store
        .write(move |tx| resellers::sign_up(tx, &new))
        .await?;
    Ok(Reply::Int(id.0))
}

async fn modify_details(call: Call, asked: ModifyDetails) -> Result<Reply, ApiError> {
    let tax_ids = [
        ("vat-id", asked.vat_id),
        ("indian-gst-id", asked.indian_gst_id),
        ("russia-vat-id", asked.russia_vat_id),
        ("australia-gst-id", asked.australia_gst_id),
        ("newzealand-gst-id", asked.newzealand_gst_id),
        ("singapore-gst-id", asked.singapore_gst_id),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some((name.to_string(), value?)))
    .collect();
    let change = ProfileChange {
        username: Some(asked.username.0),
        lang_pref: Some(asked.lang_pref),
        address1: Some(asked.address_line_1),
        city: Some(asked.city),
        state: Some(asked.state),
        zipcode: Some(asked.zipcode),
        phone_cc: Some(asked.phone_cc.0),
        phone: Some(asked.phone.0),
        brand_name: asked.brand_name,
        website_url: asked.website_url,
        tax_ids,
        extras: extras_change(asked.extras),
    };
    let (parent, id) = (call.reseller_id, asked.reseller_id);
    call.state
        .store
        .write(move |tx| resellers::modify(tx, parent, id, &change))
        .await?;
    Ok(Reply::Bool(true))
}

async fn search(call: Call, asked: Search) -> Result<Reply, ApiError> {
    let query = SubResellerQuery {
        parent: call.reseller_id,
        ids: asked.reseller_id,
        username: asked.username.map(|u| u.0),
        name: asked.name,
        company: asked.company,
        city: asked.city,
        state: asked.state,
        statuses: asked.status.into_iter().map(|s| s.0).collect(),
        created_from: asked.creation_date_start.map(|t| t.0),
        created_to: asked.creation_date_end.map(|t| t.0),
        receipts_from: asked.total_receipt_start,
        receipts_to: asked.total_receipt_end,
        page: asked.page.of_store(),
    };
    let found = call
        .state
        .store
        .read(move |tx| resellers::search(tx, &query))
        .await?;
    Ok(search_page(&found, |r| {
        let mut map = MapReply::with_capacity(10);
        for (key, value) in [
            ("reseller.resellerid", r.id.to_string()),
            ("reseller.username", r.username.clone()),
            ("reseller.name", r.name.clone()),
            ("reseller.company", r.profile.company.clone()),
            ("reseller.city", r.profile.city.clone()),
            ("reseller.state", r.profile.state.clone()),
            ("reseller.country", r.profile.country.clone()),
            ("reseller.resellerstatus", resellers::status(r).to_string()),
            (
                "reseller.totalreceipts",
                Money(r.profile.total_receipts).to_string(),
            ),
            ("reseller.creationdt", r.created.to_string()),
        ] {
            map.text(key, value);
        }
        map
    }))
}

/// A token of the caller's own account (it has proved its key), with its
/// details under the keys the vendor's page lists.
async fn generate_token(call: Call, _asked: GenerateToken) -> Result<Reply, ApiError> {
    let text = new_token()?;
    let now = call.now;
    let caller = call.reseller_id;
    let token = Token {
        digest: digest(&text),
        reseller_id: caller,
        customer_id: NO_CUSTOMER,
        kind: TokenKind::ResellerSession,
        created: now,
        expires: now + TOKEN_TTL,
    };
    let reseller = call
        .state
        .store
        .write(move |tx| {
            resellers::issue_token(tx, caller, &token)?;
            Ok(tx.reseller(caller)?.ok_or(RuleError::NotAllowed)?)
        })
        .await?;
    let mut map = MapReply::with_capacity(12);
    map.id("userid", reseller.id)
        .text("userLoginId", text)
        .text("username", reseller.username.clone())
        .text("name", reseller.name.clone())
        .text("company", reseller.profile.company.clone())
        .text("brandname", reseller.profile.brand_name.clone())
        .text(
            "parentid",
            reseller
                .parent
                .map_or_else(|| PLATFORM_KEY.to_string(), |p| p.to_string()),
        )
        .text("resellerstatus", resellers::status(&reseller))
        .text("accountingcurrencysymbol", CURRENCY)
        .text("sellingcurrencysymbol", CURRENCY)
        .flag("ispasswdexpired", false)
        .text("langpref", reseller.profile.lang_pref.clone())
        .text("country", reseller.profile.country.clone());
    Ok(map.build())
}

async fn authenticate_token(call: Call, asked: AuthenticateToken) -> Result<Reply, ApiError> {
    let wanted = digest(asked.token.trim_matches('"'));
    let (caller, now) = (call.reseller_id, call.now);
    let reseller = call
        .state
        .store
        .read(move |tx| resellers::by_token(tx, caller, &wanted, now))
        .await?;
    Ok(details_map(&reseller).build())
}

/// The digest a sub-reseller's temporary password is kept as: it names
/// the reseller, as a customer's names the customer.
fn temp_password_digest(reseller_id: ResellerId, password: &str) -> String {
    digest(&format!(
        "reseller-temp-password:{}:{password}",
        reseller_id.0
    ))
}

/// A random password (32 hex digits) for a sub-reseller, for three days.
async fn temp_password(call: Call, asked: TempPassword) -> Result<Reply, ApiError> {
    let password = new_token()?.replace('-', "");
    let now = call.now;
    let (caller, id) = (call.reseller_id, asked.reseller_id);
    let token = Token {
        digest: temp_password_digest(id, &password),
        reseller_id: id,
        customer_id: NO_CUSTOMER,
        kind: TokenKind::ResellerTempPassword,
        created: now,
        expires: now + TEMP_PASSWORD_TTL,
    };
    call.state
        .store
        .write(move |tx| resellers::issue_token(tx, caller, &token))
        .await?;
    Ok(Reply::Text(password.into()))
}

/// The catalogue's promotions, by id.
async fn promo_details(_call: Call, _asked: PromoDetails) -> Result<Reply, ApiError> {
    let mut map = MapReply::with_capacity(PROMOTIONS.len());
    for promo in &PROMOTIONS {
        let mut entry = MapReply::with_capacity(7);
        entry
            .id("promoid", promo.id)
            .text("productkey", promo.product_key)
            .text("actiontype", promo.action.key())
            .money("price", promo.price)
            .id("startdate", promo.starts)
            .id("enddate", promo.ends)
            .text("currency", CURRENCY);
        map.put(promo.id.to_string(), entry.build());
    }
    Ok(map.build())
}
