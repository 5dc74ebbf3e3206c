//! Customers: signup, details (by username and by id), search, modify.
//! Reply keys follow the recorded replies in `shared/recorded/customers`.

use super::{PAGE, search_page};
use crate::routes::{Call, Kind, Param, Routes, Shape, optional, repeated, required};
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError, Params};
use reseller_core::accounts;
use reseller_core::model::{Customer, CustomerExtras, CustomerStatus, Token, TokenKind};
use reseller_core::orders::customer_of;
use reseller_core::tx::CustomerQuery;
use reseller_core::{CustomerId, RuleError};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub fn routes(r: &mut Routes) {
    let customer = [required("customer-id", Kind::Id)];
    r.post("customers/signup", |c| Box::pin(signup(c)))
        .takes(&signup_params())
        .answers(Shape::Int)
        .post("customers/v2/signup", |c| Box::pin(signup(c)))
        .takes(&signup_params())
        .answers(Shape::Int)
        .get("customers/details", |c| Box::pin(details(c)))
        .takes(&[required("username", Kind::Email)])
        .answers(Shape::Fields(DETAILS))
        .get("customers/details-by-id", |c| Box::pin(details_by_id(c)))
        .takes(&customer)
        .answers(Shape::Fields(DETAILS))
        .get("customers/search", |c| Box::pin(search(c)))
        .takes(PAGE)
        .takes(&[
            repeated("customer-id", Kind::Id),
            optional("reseller-id", Kind::Id),
            repeated("username", Kind::Email),
            optional("name", Kind::Text),
            optional("company", Kind::Text),
            optional("city", Kind::Text),
            optional("state", Kind::Text),
            repeated(
                "status",
                Kind::OneOf(|| CustomerStatus::ALL.iter().map(|s| s.as_str()).collect()),
            ),
            optional("creation-date-start", Kind::Time),
            optional("creation-date-end", Kind::Time),
            optional("total-receipt-start", Kind::Money),
            optional("total-receipt-end", Kind::Money),
        ])
        .answers(Shape::Search)
        .post("customers/modify", |c| Box::pin(modify(c)))
        .takes(&customer)
        .takes(&[
            optional("username", Kind::Email),
            optional("passwd", Kind::Text),
            optional("name", Kind::Text),
            optional("company", Kind::Text),
            optional("address-line-1", Kind::Text),
            optional("city", Kind::Text),
            optional("state", Kind::Text),
            optional("country", Kind::Country),
            optional("zipcode", Kind::Text),
            optional("phone-cc", PHONE_CC),
            optional("phone", PHONE),
            optional("lang-pref", Kind::Text),
        ])
        .takes(&EXTRAS)
        .answers(Shape::Bool)
        .post("customers/delete", |c| Box::pin(delete(c)))
        .takes(&customer)
        .answers(Shape::Bool)
        .post("customers/change-password", |c| {
            Box::pin(change_password(c))
        })
        .takes(&customer)
        .takes(&[required("new-passwd", Kind::Text)])
        .answers(Shape::Bool)
        .get_or_post("customers/generate-token", |c| Box::pin(generate_token(c)))
        .takes(&[
            required("username", Kind::Email),
            required("passwd", Kind::Text),
            required("ip", Kind::Ip),
        ])
        .answers(Shape::Text)
        .get_or_post("customers/authenticate-token", |c| {
            Box::pin(authenticate_token(c))
        })
        .takes(&[required("token", Kind::Text)])
        .answers(Shape::Fields(DETAILS))
        .get_or_post("customers/generate-login-token", |c| {
            Box::pin(generate_login_token(c))
        })
        .takes(&customer)
        .takes(&[required("ip", Kind::Ip)])
        .answers(Shape::Text)
        .get_or_post("customers/forgot-password", |c| {
            Box::pin(forgot_password(c))
        })
        .takes(&[required("username", Kind::Email)])
        .answers(Shape::Bool);
}

/// The keys every customer's details reply has.
const DETAILS: &[&str] = &["customerid", "username", "resellerid"];

const PHONE_CC: Kind = Kind::Digits { min: 1, max: 3 };
const PHONE: Kind = Kind::Digits { min: 4, max: 12 };

/// What a sign-up takes.
fn signup_params() -> Vec<Param> {
    let mut params = vec![
        required("username", Kind::Email),
        required("passwd", Kind::Text),
        required("name", Kind::Text),
        required("company", Kind::Text),
        required("address-line-1", Kind::Text),
        required("city", Kind::Text),
        required("state", Kind::Text),
        required("country", Kind::Country),
        required("zipcode", Kind::Text),
        required("phone-cc", PHONE_CC),
        required("phone", PHONE),
        optional("lang-pref", Kind::Text),
        optional("vat-id", Kind::Text),
        optional("sms-consent", Kind::Flag),
        optional("accept-policy", Kind::Flag),
        optional("marketing-email-consent", Kind::Flag),
    ];
    params.extend(EXTRAS);
    params
}

/// The optional details a sign-up and a modify take alike (`ExtrasGiven`).
const EXTRAS: [Param; 9] = [
    optional("address-line-2", Kind::Text),
    optional("address-line-3", Kind::Text),
    optional("other-state", Kind::Text),
    optional("alt-phone-cc", PHONE_CC),
    optional("alt-phone", PHONE),
    optional("fax-cc", PHONE_CC),
    optional("fax", PHONE),
    optional("mobile-cc", PHONE_CC),
    optional("mobile", PHONE),
];

/// How long a customer token signs in, in seconds.
pub const TOKEN_TTL: i64 = 30 * 60;

/// The SHA-256 of a text, hex: how tokens are kept.
fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `password` is the one `stored` (`salt$digest`) was made from,
/// compared in constant time.
fn password_matches(stored: &str, password: &str) -> bool {
    let Some((salt, expected)) = stored.split_once('$') else {
        return false;
    };
    let given = digest(&format!("{salt}:{password}"));
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

/// A new token, as the real service shows them: a random UUID.
fn new_token() -> Result<String, ApiError> {
    let hex = reseller_store::random_hex(16).map_err(ApiError::internal)?;
    Ok(format!(
        "{}-{}-4{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

async fn delete(call: Call) -> Result<Reply, ApiError> {
    let customer_id = call.params.required_id("customer-id")?;
    let reseller_id = call.reseller_id;
    call.state
        .store
        .write(move |tx| accounts::delete_customer(tx, reseller_id, customer_id))
        .await?;
    Ok(Reply::Bool(true))
}

async fn change_password(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let customer_id = p.required_id("customer-id")?;
    let hash = hash_password(password_named(p.required("new-passwd")?, "new-passwd")?)?;
    let reseller_id = call.reseller_id;
    call.state
        .store
        .write(move |tx| accounts::change_password(tx, reseller_id, customer_id, &hash))
        .await?;
    Ok(Reply::Bool(true))
}

/// Signs a customer in with its username and password; answers a token
/// that `authenticate-token` turns into the customer's details.
async fn generate_token(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let username = username(p)?;
    let password = p.required("passwd")?.to_string();
    // The address the customer signs in from.
    p.required_ip("ip")?;
    let reseller_id = call.reseller_id;
    let lookup = username.clone();
    let customer = call
        .state
        .store
        .read(move |tx| {
            tx.customer_by_username(reseller_id, &lookup)?
                .ok_or_else(|| RuleError::CustomerNotFound(lookup.clone()).into())
        })
        .await?;
    if !password_matches(&customer.password_hash, &password) {
        return Err(RuleError::WrongPassword.into());
    }
    issue(&call, customer.id, TokenKind::Session).await
}

/// A token the reseller hands its customer to sign in without a password.
async fn generate_login_token(call: Call) -> Result<Reply, ApiError> {
    let customer_id = call.params.required_id("customer-id")?;
    call.params.required_ip("ip")?;
    issue(&call, customer_id, TokenKind::Login).await
}

async fn issue(call: &Call, customer_id: CustomerId, kind: TokenKind) -> Result<Reply, ApiError> {
    let text = new_token()?;
    let now = call.state.clock.now();
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
async fn authenticate_token(call: Call) -> Result<Reply, ApiError> {
    let token = call.params.required("token")?.trim_matches('"');
    let wanted = digest(token);
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
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
async fn forgot_password(call: Call) -> Result<Reply, ApiError> {
    let username = username(&call.params)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
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

/// A salted SHA-256 of a control-panel password: `salt$digest`.
fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = reseller_store::random_hex(16).map_err(ApiError::internal)?;
    let digest: String = Sha256::digest(format!("{salt}:{password}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(format!("{salt}${digest}"))
}

fn username(params: &Params) -> Result<String, ApiError> {
    Ok(params.email_address("username", 64)?.to_ascii_lowercase())
}

fn password(value: &str) -> Result<&str, ApiError> {
    password_named(value, "passwd")
}

/// A new password: 8 to 64 characters with a letter and a digit; never echoed.
fn password_named<'v>(value: &'v str, name: &'static str) -> Result<&'v str, ApiError> {
    let length = value.chars().count();
    if !(8..=64).contains(&length)
        || !value.chars().any(|c| c.is_ascii_digit())
        || !value.chars().any(char::is_alphabetic)
    {
        return Err(ApiError::invalid(name, "(hidden)", Allowed::Password));
    }
    Ok(value)
}

fn given<T>(value: Option<T>, name: &'static str) -> Result<T, ApiError> {
    value.ok_or(ApiError::MissingParam(name))
}

fn text(params: &Params, name: &'static str) -> Result<Option<String>, ApiError> {
    Ok(params.optional(name)?.map(str::to_string))
}

/// A new customer's support PIN: four random digits.
fn new_pin() -> Result<String, ApiError> {
    let random = reseller_store::random_hex(4).map_err(ApiError::internal)?;
    let n = u32::from_str_radix(&random, 16).map_err(ApiError::internal)?;
    Ok((1000 + n % 9000).to_string())
}

/// The optional fields signup and modify take, as given.
struct ExtrasGiven {
    address2: Option<String>,
    address3: Option<String>,
    other_state: Option<String>,
    alt_phone_cc: Option<String>,
    alt_phone: Option<String>,
    fax_cc: Option<String>,
    fax: Option<String>,
    mobile_cc: Option<String>,
    mobile: Option<String>,
}

impl ExtrasGiven {
    fn parse(p: &Params) -> Result<ExtrasGiven, ApiError> {
        Ok(ExtrasGiven {
            address2: text(p, "address-line-2")?,
            address3: text(p, "address-line-3")?,
            other_state: text(p, "other-state")?,
            alt_phone_cc: p.optional_digits("alt-phone-cc", 1, 3)?,
            alt_phone: p.optional_digits("alt-phone", 4, 12)?,
            fax_cc: p.optional_digits("fax-cc", 1, 3)?,
            fax: p.optional_digits("fax", 4, 12)?,
            mobile_cc: p.optional_digits("mobile-cc", 1, 3)?,
            mobile: p.optional_digits("mobile", 4, 12)?,
        })
    }

    /// Sets what was given and leaves the rest.
    fn apply(&self, extras: &mut CustomerExtras) {
        for (field, given) in [
            (&mut extras.address2, &self.address2),
            (&mut extras.address3, &self.address3),
            (&mut extras.other_state, &self.other_state),
            (&mut extras.alt_phone_cc, &self.alt_phone_cc),
            (&mut extras.alt_phone, &self.alt_phone),
            (&mut extras.fax_cc, &self.fax_cc),
            (&mut extras.fax, &self.fax),
            (&mut extras.mobile_cc, &self.mobile_cc),
            (&mut extras.mobile, &self.mobile),
        ] {
            if let Some(value) = given {
                field.clone_from(value);
            }
        }
    }
}

async fn signup(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let username = username(p)?;
    let password_hash = hash_password(password(p.required("passwd")?)?)?;
    let mut extras = CustomerExtras::default();
    ExtrasGiven::parse(p)?.apply(&mut extras);
    extras.vat_id = text(p, "vat-id")?.unwrap_or_default();
    for (field, name) in [
        (&mut extras.sms_consent, "sms-consent"),
        (&mut extras.accept_policy, "accept-policy"),
        (&mut extras.marketing_consent, "marketing-email-consent"),
    ] {
        if let Some(answer) = p.optional_flag(name)? {
            *field = answer.to_string();
        }
    }
    let customer = Customer {
        id: CustomerId(0),
        reseller_id: call.reseller_id,
        username,
        name: p.required("name")?.to_string(),
        company: p.required("company")?.to_string(),
        address1: p.required("address-line-1")?.to_string(),
        city: p.required("city")?.to_string(),
        state: p.required("state")?.to_string(),
        country: given(p.optional_country("country")?, "country")?,
        zipcode: p.required("zipcode")?.to_string(),
        phone_cc: given(p.optional_digits("phone-cc", 1, 3)?, "phone-cc")?,
        phone: given(p.optional_digits("phone", 4, 12)?, "phone")?,
        lang_pref: p.optional("lang-pref")?.unwrap_or("en").to_string(),
        password_hash,
        status: CustomerStatus::Active,
        created: call.state.clock.now(),
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
        ("mobilenocc", &x.mobile_cc),
        ("mobileno", &x.mobile),
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

async fn details(call: Call) -> Result<Reply, ApiError> {
    let username = call.params.required("username")?.to_ascii_lowercase();
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

async fn details_by_id(call: Call) -> Result<Reply, ApiError> {
    let customer_id = call.params.required_id("customer-id")?;
    let reseller_id = call.reseller_id;
    let customer = call
        .state
        .store
        .read(move |tx| customer_of(tx, reseller_id, customer_id))
        .await?;
    Ok(details_map(&customer))
}

async fn search(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    p.own_reseller(call.reseller_id)?;
    let statuses = p.all_of("status", &CustomerStatus::ALL, CustomerStatus::as_str)?;
    let query = CustomerQuery {
        reseller_id: call.reseller_id,
        customer_ids: p.ids("customer-id")?,
        usernames: p
            .all("username")
            .into_iter()
            .map(str::to_ascii_lowercase)
            .collect(),
        name: text(p, "name")?,
        company: text(p, "company")?,
        city: text(p, "city")?,
        state: text(p, "state")?,
        created_from: p.optional_time("creation-date-start")?,
        created_to: p.optional_time("creation-date-end")?,
        receipts_from: p.optional_money("total-receipt-start")?,
        receipts_to: p.optional_money("total-receipt-end")?,
        statuses,
        page: p.page()?,
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
async fn modify(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let customer_id = p.required_id("customer-id")?;
    let username = match p.optional("username")? {
        Some(_) => Some(username(p)?),
        None => None,
    };
    let password_hash = match p.optional("passwd")? {
        Some(value) => Some(hash_password(password(value)?)?),
        None => None,
    };
    let name = text(p, "name")?;
    let company = text(p, "company")?;
    let address1 = text(p, "address-line-1")?;
    let city = text(p, "city")?;
    let state = text(p, "state")?;
    let country = p.optional_country("country")?;
    let zipcode = text(p, "zipcode")?;
    let phone_cc = p.optional_digits("phone-cc", 1, 3)?;
    let phone = p.optional_digits("phone", 4, 12)?;
    let lang_pref = text(p, "lang-pref")?;
    let extras = ExtrasGiven::parse(p)?;
    let reseller_id = call.reseller_id;
    call.state
        .store
        .write(move |tx| {
            let mut c = customer_of(tx, reseller_id, customer_id)?;
            if let Some(username) = &username {
                if *username != c.username
                    && tx.customer_by_username(reseller_id, username)?.is_some()
                {
                    return Err(RuleError::UsernameTaken(username.clone()).into());
                }
                c.username = username.clone();
            }
            let set = |field: &mut String, value: &Option<String>| {
                if let Some(value) = value {
                    field.clone_from(value);
                }
            };
            set(&mut c.password_hash, &password_hash);
            set(&mut c.name, &name);
            set(&mut c.company, &company);
            set(&mut c.address1, &address1);
            set(&mut c.city, &city);
            set(&mut c.state, &state);
            set(&mut c.country, &country);
            set(&mut c.zipcode, &zipcode);
            set(&mut c.phone_cc, &phone_cc);
            set(&mut c.phone, &phone);
            set(&mut c.lang_pref, &lang_pref);
            extras.apply(&mut c.extras);
            tx.update_customer(&c)?;
            Ok(())
        })
        .await?;
    Ok(Reply::Bool(true))
}
