//! Customers: signup, details (by username and by id), search, modify.
//! Reply keys follow the recorded replies in `shared/recorded/customers`.

use super::search_page;
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use reseller_api::calls::customers::*;
use reseller_core::accounts::{self, CustomerChange, ExtrasChange};
use reseller_core::model::{Customer, CustomerExtras, CustomerStatus, Token, TokenKind};
use reseller_core::orders::customer_of;
use reseller_core::tx::CustomerQuery;
use reseller_core::{CustomerId, RuleError};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub fn routes(r: &mut Routes) {
    r.call::<Signup, _, _>(|c, r: Signup| signup(c, r.customer))
        .call::<SignupV2, _, _>(|c, r: SignupV2| signup(c, r.customer))
        .call::<Details, _, _>(details)
        .call::<DetailsById, _, _>(details_by_id)
        .call::<Search, _, _>(search)
        .call::<Modify, _, _>(modify)
        .call::<Delete, _, _>(delete)
        .call::<ChangePassword, _, _>(change_password)
        .call::<GenerateToken, _, _>(generate_token)
        .call::<AuthenticateToken, _, _>(authenticate_token)
        .call::<AuthenticateTokenWithoutHistory, _, _>(|c, a: AuthenticateTokenWithoutHistory| {
            token_details(c, a.token)
        })
        .call::<Authenticate, _, _>(authenticate)
        .call::<TempPassword, _, _>(temp_password)
        .call::<GenerateLoginToken, _, _>(generate_login_token)
        .call::<ForgotPassword, _, _>(forgot_password)
        .call::<GenerateOtp, _, _>(generate_otp)
        .call::<VerifyOtp, _, _>(verify_otp);
}

/// How long a customer token signs in, in seconds.
pub const TOKEN_TTL: i64 = 30 * 60;

/// The SHA-256 of a text, hex: how tokens are kept.
pub(crate) fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How a kept password compares with one given.
#[derive(PartialEq, Eq)]
pub(crate) enum PasswordCheck {
    Wrong,
    Right,
    /// Right, but kept in the old form (a salted SHA-256, `salt$digest`),
    /// which the next successful check replaces with an Argon2 hash.
    RightButOld,
}

/// Whether `password` is the one `stored` was made from: an Argon2 hash
/// in its PHC string, or an old salted SHA-256, compared in constant time.
pub(crate) fn check_password(stored: &str, password: &str) -> PasswordCheck {
    if let Ok(hash) = PasswordHash::new(stored) {
        return match Argon2::default().verify_password(password.as_bytes(), &hash) {
            Ok(()) => PasswordCheck::Right,
            Err(_) => PasswordCheck::Wrong,
        };
    }
    let Some((salt, expected)) = stored.split_once('$') else {
        return PasswordCheck::Wrong;
    };
    let given = digest(&format!("{salt}:{password}"));
    if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        PasswordCheck::RightButOld
    } else {
        PasswordCheck::Wrong
    }
}

/// A new token, as the real service shows them: a random (version 4) UUID.
pub(crate) fn new_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string())
}

async fn delete(call: Call, asked: Delete) -> Result<Reply, ApiError> {
    let customer_id = asked.customer_id;
    let reseller_id = call.reseller_id;
    call.state
        .store
        .write(move |tx| accounts::delete_customer(tx, reseller_id, customer_id))
        .await?;
    Ok(Reply::Bool(true))
}

async fn change_password(call: Call, asked: ChangePassword) -> Result<Reply, ApiError> {
    let customer_id = asked.customer_id;
    let hash = hash_password(&asked.new_passwd.0)?;
    let reseller_id = call.reseller_id;
    call.state
        .store
        .write(move |tx| accounts::change_password(tx, reseller_id, customer_id, &hash))
        .await?;
    Ok(Reply::Bool(true))
}

/// How long a temporary password signs its customer in: three days, as
/// the vendor's page says.
pub const TEMP_PASSWORD_TTL: i64 = 3 * 86_400;

/// The digest a temporary password is kept as: of the customer and the
/// password, so that the same text for another customer signs no one in.
fn temp_password_digest(customer_id: CustomerId, password: &str) -> String {
    digest(&format!("temp-password:{}:{password}", customer_id.0))
}

/// The customer whose username and password (its own, or a live
/// temporary one) these are; an old form of hash is replaced on the way.
async fn signed_in(call: &Call, username: String, password: String) -> Result<Customer, ApiError> {
    let reseller_id = call.reseller_id;
    let lookup = username.clone();
    let customer = call
        .state
        .store
        .read(move |tx| {
            tx.customer_by_username(reseller_id, &lookup)?
                .filter(|c| c.status != CustomerStatus::Deleted)
                .ok_or_else(|| RuleError::CustomerNotFound(lookup.clone()).into())
        })
        .await?;
    match check_password(&customer.password_hash, &password) {
        PasswordCheck::Right => Ok(customer),
        PasswordCheck::RightButOld => {
            let hash = hash_password(&password)?;
            let (reseller_id, customer_id) = (call.reseller_id, customer.id);
            call.state
                .store
                .write(move |tx| accounts::change_password(tx, reseller_id, customer_id, &hash))
                .await?;
            Ok(customer)
        }
        PasswordCheck::Wrong => {
            let wanted = temp_password_digest(customer.id, &password);
            let now = call.now;
            let kept = customer.clone();
            let temporary = call
                .state
                .store
                .read(move |tx| accounts::temp_password_signs_in(tx, &kept, &wanted, now))
                .await?;
            if temporary {
                Ok(customer)
            } else {
                Err(RuleError::WrongPassword.into())
            }
        }
    }
}

/// Signs a customer in with its username and password; answers a token
/// that `authenticate-token` turns into the customer's details.
async fn generate_token(call: Call, asked: GenerateToken) -> Result<Reply, ApiError> {
    let customer = signed_in(&call, asked.username.0, asked.passwd.0).await?;
    issue(&call, customer.id, TokenKind::Session).await
}

/// The customer's details, if its username and password sign it in.
async fn authenticate(call: Call, asked: Authenticate) -> Result<Reply, ApiError> {
    let customer = signed_in(&call, asked.username.0, asked.passwd.0).await?;
    Ok(details_map(&customer))
}

/// A random password (a version 4 UUID's 32 hex digits) that signs the
/// customer in for three days; kept as a digest, as tokens are, for it is
/// a random secret and no password a person chose.
async fn temp_password(call: Call, asked: TempPassword) -> Result<Reply, ApiError> {
    let (reseller_id, customer_id) = (call.reseller_id, asked.customer_id);
    call.state
        .store
        .read(move |tx| accounts::live_customer(tx, reseller_id, customer_id))
        .await?;
    let password = new_token()?.replace('-', "");
    let now = call.now;
    let token = Token {
        digest: temp_password_digest(customer_id, &password),
        reseller_id,
        customer_id,
        kind: TokenKind::TempPassword,
        created: now,
        expires: now + TEMP_PASSWORD_TTL,
    };
    call.state
        .store
        .write(move |tx| accounts::issue_token(tx, &token))
        .await?;
    Ok(Reply::Text(password.into()))
}

/// A token the reseller hands its customer to sign in without a password.
async fn generate_login_token(call: Call, asked: GenerateLoginToken) -> Result<Reply, ApiError> {
    issue(&call, asked.customer_id, TokenKind::Login).await
}

async fn issue(call: &Call, customer_id: CustomerId, kind: TokenKind) -> Result<Reply, ApiError> {
    let text = new_token()?;
    let now = call.now;
    let token = Token {
        digest: digest(&text),
        reseller_id: call.reseller_id,
        customer_id,
        kind,
        created: now,
        expires: now + TOKEN_TTL,
    };
    call.state
        .store
        .write(move |tx| accounts::issue_token(tx, &token))
        .await?;
    Ok(Reply::Text(text.into()))
}

/// The details of the customer a token signs in, with the keys the real
/// service adds there (`shared/recorded/customers/authenticate_token.txt`).
async fn authenticate_token(call: Call, asked: AuthenticateToken) -> Result<Reply, ApiError> {
    token_details(call, asked.token).await
}

async fn token_details(call: Call, token: String) -> Result<Reply, ApiError> {
    let token = token.trim_matches('"');
    let wanted = digest(token);
    let (reseller_id, now) = (call.reseller_id, call.now);
    let customer = call
        .state
        .store
        .read(move |tx| accounts::customer_by_token(tx, reseller_id, &wanted, now))
        .await?;
    let Reply::Map(mut entries) = details_map(&customer) else {
        return Err(ApiError::internal("customer details are not a map"));
    };
    let mut more = MapReply::with_capacity(15);
    more.flag("iswebpro", false)
        .text("minreceiptrequire", "0.00")
        .flag("sendriskreportmail", true)
        .text("fundthreshold", "0.0")
        .flag("supportsautorenew", true)
        .text("conversionrate", "1.0")
        .flag("isoldreseller", false)
        .flag("switch_panel_enabled", false)
        .text("sellingcurrencysymbol", super::CURRENCY)
        .text("accountingcurrencysymbol", super::CURRENCY)
        .text("minimumaddfundamount", "0.0")
        .text("minimumbillingamount", "0.0")
        .text("salesrepresentative", "")
        .flag("usesystemconversionrate", true);
    if let Reply::Map(extra) = more.build() {
        entries.extend(extra);
    }
    Ok(Reply::Map(entries))
}

/// Keeps the mail a forgotten password sends (docs/API.md); answers `true`.
async fn forgot_password(call: Call, asked: ForgotPassword) -> Result<Reply, ApiError> {
    let username = asked
        .username
        .or(asked.forgot_password_username)
        .ok_or(ApiError::MissingParam("username"))?
        .0;
    let (reseller_id, now) = (call.reseller_id, call.now);
    call.state
        .store
        .write(move |tx| {
            let customer = tx
                .customer_by_username(reseller_id, &username)?
                .filter(|c| c.status != CustomerStatus::Deleted)
                .ok_or_else(|| RuleError::CustomerNotFound(username.clone()))?;
            accounts::forgot_password(tx, &customer, now)
        })
        .await?;
    Ok(Reply::Bool(true))
}

/// An Argon2id hash of a control-panel password with a random salt, as
/// a PHC string (`$argon2id$v=19$...`).
pub(crate) fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(ApiError::internal)?;
    let salt = SaltString::encode_b64(&salt).map_err(ApiError::internal)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(ApiError::internal)?
        .to_string())
}

/// A new customer's support PIN: four random digits.
fn new_pin() -> Result<String, ApiError> {
    let random = reseller_store::random_hex(4).map_err(ApiError::internal)?;
    let n = u32::from_str_radix(&random, 16).map_err(ApiError::internal)?;
    Ok((1000 + n % 9000).to_string())
}

/// The optional details as the rules change them.
pub(crate) fn extras_change(given: Extras) -> ExtrasChange {
    ExtrasChange {
        address2: given.address_line_2,
        address3: given.address_line_3,
        other_state: given.other_state,
        alt_phone_cc: given.alt_phone_cc.map(|d| d.0),
        alt_phone: given.alt_phone.map(|d| d.0),
        fax_cc: given.fax_cc.map(|d| d.0),
        fax: given.fax.map(|d| d.0),
        mobile_cc: given.mobile_cc.map(|d| d.0),
        mobile: given.mobile.map(|d| d.0),
    }
}

async fn signup(call: Call, asked: NewCustomer) -> Result<Reply, ApiError> {
    let password_hash = hash_password(&asked.passwd.0)?;
    let mut extras = CustomerExtras::default();
    extras_change(asked.extras).apply(&mut extras);
    extras.vat_id = asked.vat_id.unwrap_or_default();
    for (field, answer) in [
        (&mut extras.sms_consent, asked.sms_consent),
        (&mut extras.accept_policy, asked.accept_policy),
        (&mut extras.marketing_consent, asked.marketing_email_consent),
    ] {
        if let Some(answer) = answer {
            *field = answer.to_string();
        }
    }
    let customer = Customer {
        id: CustomerId(0),
        reseller_id: call.reseller_id,
        username: asked.username.0,
        name: asked.name,
        company: asked.company,
        address1: asked.address_line_1,
        city: asked.city,
        state: asked.state,
        country: asked.country.0,
        zipcode: asked.zipcode,
        phone_cc: asked.phone_cc.0,
        phone: asked.phone.0,
        lang_pref: asked.lang_pref.unwrap_or_else(|| "en".to_string()),
        password_hash,
        status: CustomerStatus::Active,
        created: call.now,
        total_receipts: reseller_core::Money::ZERO,
        pin: new_pin()?,
        extras,
    };
    let id = call
        .state
        .store
        .write(move |tx| accounts::sign_up(tx, &customer))
        .await?;
    Ok(Reply::Int(id.0))
}

/// The details map, keys and value types as recorded from the real sandbox.
fn details_map(c: &Customer) -> Reply {
    let mut map = MapReply::with_capacity(27);
    map.id("customerid", c.id)
        .text("username", c.username.clone())
        .text("useremail", c.username.clone())
        .id("resellerid", c.reseller_id)
        .id("parentid", c.reseller_id)
        .text("name", c.name.clone())
        .text("company", c.company.clone())
        .text("address1", c.address1.clone())
        .text("city", c.city.clone())
        .text("state", c.state.clone())
        .text(
            "other_state",
            if c.extras.other_state.is_empty() {
                c.state.clone()
            } else {
                c.extras.other_state.clone()
            },
        )
        .text("stateid", "0")
        .text("country", c.country.clone())
        .text("zip", c.zipcode.clone())
        .text("telnocc", c.phone_cc.clone())
        .text("telno", c.phone.clone())
        .text("langpref", c.lang_pref.clone())
        .text("customerstatus", c.status.as_str())
        .id("creationdt", c.created)
        .money("totalreceipts", c.total_receipts)
        .text("salescontactid", "0")
        .put("salespersonshash", MapReply::default().build())
        .flag("ispasswdexpired", false)
        .flag("twofactorauth_enabled", false)
        .flag("twofactorsmsauth_enabled", false)
        .flag("twofactorgoogleauth_enabled", false)
        .put("isDominicanTaxConfiguredByParent", Reply::Bool(false))
        .text("pin", c.pin.clone());
    let x = &c.extras;
    for (key, value) in [
        ("address2", &x.address2),
        ("address3", &x.address3),
        ("alttelnocc", &x.alt_phone_cc),
        ("alttelno", &x.alt_phone),
        ("faxnocc", &x.fax_cc),
        ("faxno", &x.fax),
        // A customer without a mobile number shows the phone as the
        // mobile, as the real service does.
        (
            "mobilenocc",
            if x.mobile.is_empty() {
                &c.phone_cc
            } else {
                &x.mobile_cc
            },
        ),
        (
            "mobileno",
            if x.mobile.is_empty() {
                &c.phone
            } else {
                &x.mobile
            },
        ),
        ("vatid", &x.vat_id),
        ("smsconsent", &x.sms_consent),
        ("acceptpolicy", &x.accept_policy),
        ("marketingemailconsent", &x.marketing_consent),
    ] {
        if !value.is_empty() {
            map.text(key, value.clone());
        }
    }
    map.build()
}

async fn details(call: Call, asked: Details) -> Result<Reply, ApiError> {
    let username = asked.username.0;
    let reseller_id = call.reseller_id;
    let customer = call
        .state
        .store
        .read(move |tx| {
            tx.customer_by_username(reseller_id, &username)?
                .ok_or_else(|| RuleError::CustomerNotFound(username.clone()).into())
        })
        .await?;
    Ok(details_map(&customer))
}

async fn details_by_id(call: Call, asked: DetailsById) -> Result<Reply, ApiError> {
    let customer_id = asked.customer_id;
    let reseller_id = call.reseller_id;
    let customer = call
        .state
        .store
        .read(move |tx| customer_of(tx, reseller_id, customer_id))
        .await?;
    Ok(details_map(&customer))
}

async fn search(call: Call, asked: Search) -> Result<Reply, ApiError> {
    super::own_reseller(asked.reseller_id, call.reseller_id)?;
    let query = CustomerQuery {
        reseller_id: call.reseller_id,
        customer_ids: asked.customer_id,
        usernames: asked.username.into_iter().map(|u| u.0).collect(),
        name: asked.name,
        company: asked.company,
        city: asked.city,
        state: asked.state,
        created_from: asked.creation_date_start.map(|t| t.0),
        created_to: asked.creation_date_end.map(|t| t.0),
        receipts_from: asked.total_receipt_start,
        receipts_to: asked.total_receipt_end,
        statuses: asked.status,
        page: asked.page.of_store(),
    };
    let found = call
        .state
        .store
        .read(move |tx| Ok(tx.search_customers(&query)?))
        .await?;
    Ok(search_page(&found, |c| {
        let mut map = MapReply::with_capacity(12);
        for (key, value) in [
            ("customer.customerid", c.id.to_string()),
            ("customer.username", c.username.clone()),
            ("customer.resellerid", c.reseller_id.to_string()),
            ("customer.name", c.name.clone()),
            ("customer.company", c.company.clone()),
            ("customer.city", c.city.clone()),
            ("customer.country", c.country.clone()),
            ("customer.telnocc", c.phone_cc.clone()),
            ("customer.telno", c.phone.clone()),
            ("customer.customerstatus", c.status.as_str().to_string()),
            ("customer.totalreceipts", c.total_receipts.to_string()),
            ("customer.websitecount", "0".to_string()),
        ] {
            map.text(key, value);
        }
        map
    }))
}

/// Changes the fields given; the others stay as they are (docs/API.md).
async fn modify(call: Call, asked: Modify) -> Result<Reply, ApiError> {
    let change = CustomerChange {
        username: asked.username.map(|u| u.0),
        password_hash: asked
            .passwd
            .map(|password| hash_password(&password.0))
            .transpose()?,
        name: asked.name,
        company: asked.company,
        address1: asked.address_line_1,
        city: asked.city,
        state: asked.state,
        country: asked.country.map(|c| c.0),
        zipcode: asked.zipcode,
        phone_cc: asked.phone_cc.map(|d| d.0),
        phone: asked.phone.map(|d| d.0),
        lang_pref: asked.lang_pref,
        extras: extras_change(asked.extras),
    };
    let (reseller_id, customer_id) = (call.reseller_id, asked.customer_id);
    call.state
        .store
        .write(move |tx| accounts::modify_customer(tx, reseller_id, customer_id, &change))
        .await?;
    Ok(Reply::Bool(true))
}

/// The digest a customer's one-time code is kept as (it names the customer).
fn otp_digest(customer_id: CustomerId, code: &str) -> String {
    digest(&format!("otp:{}:{code}", customer_id.0))
}

/// A random six-digit code, sent to the customer's phone: in the sandbox,
/// a text message in the outbox (docs/API.md). Answers `true`.
async fn generate_otp(call: Call, asked: GenerateOtp) -> Result<Reply, ApiError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    let code = format!("{:06}", u32::from_le_bytes(bytes) % 1_000_000);
    let (reseller_id, customer_id, now) = (call.reseller_id, asked.customer_id, call.now);
    let kept = otp_digest(customer_id, &code);
    call.state
        .store
        .write(move |tx| accounts::issue_otp(tx, reseller_id, customer_id, &kept, &code, now))
        .await?;
    Ok(Reply::Bool(true))
}

async fn verify_otp(call: Call, asked: VerifyOtp) -> Result<Reply, ApiError> {
    let (reseller_id, customer_id, now) = (call.reseller_id, asked.customer_id, call.now);
    if asked.kind.is_some_and(|k| k.0 == "gauth") {
        call.state
            .store
            .read(move |tx| accounts::live_customer(tx, reseller_id, customer_id))
            .await?;
        return Err(RuleError::NoAuthenticatorApp(customer_id).into());
    }
    let kept = otp_digest(customer_id, &asked.otp.0);
    let used = digest(&format!("otp-used:{kept}"));
    call.state
        .store
        .write(move |tx| accounts::verify_otp(tx, reseller_id, customer_id, &kept, &used, now))
        .await?;
    Ok(Reply::Bool(true))
}
