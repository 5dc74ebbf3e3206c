//! Domain contacts (`contacts/...`): add, details, search, delete, and the
//! refusal of `modify` the real service gives since the 2016 transfer
//! policy. Keys follow `shared/recorded/contacts/details.json` and
//! `shared/DOMAINS.md`.

use super::{PAGE, PLATFORM_KEY};
use crate::routes::{Call, Kind, Param, Routes, Shape, numbered, optional, repeated, required};
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError, Params};
use reseller_core::contacts::{self, KINDS};
use reseller_core::model::{Contact, ContactStatus, DefaultContacts};
use reseller_core::tx::ContactQuery;
use reseller_core::{ContactId, RuleError};

pub fn routes(r: &mut Routes) {
    let contact = [required("contact-id", Kind::Id)];
    let customer = required("customer-id", Kind::Id);
    let defaults = [
        required("reg-contact-id", Kind::Id),
        required("admin-contact-id", Kind::Id),
        required("tech-contact-id", Kind::Id),
        required("billing-contact-id", Kind::Id),
    ];
    r.post("contacts/add", |c| Box::pin(add(c)))
        .takes(&[customer, required("type", Kind::OneOf(|| KINDS.to_vec()))])
        .takes(&FIELDS)
        .takes(&[
            numbered("attr-name", Kind::Text),
            numbered("attr-value", Kind::Text),
        ])
        .answers(Shape::Int)
        .get("contacts/details", |c| Box::pin(details(c)))
        .takes(&contact)
        .answers(Shape::Fields(&["contactid", "name", "type"]))
        .get("contacts/search", |c| Box::pin(search(c)))
        .takes(&[customer])
        .takes(PAGE)
        .takes(&[
            repeated("contact-id", Kind::Id),
            repeated(
                "status",
                Kind::OneOf(|| ContactStatus::ALL.iter().map(|s| s.as_str()).collect()),
            ),
            optional("name", Kind::Text),
            optional("company", Kind::Text),
            optional("email", Kind::Text),
            repeated("type", Kind::OneOf(|| KINDS.to_vec())),
        ])
        .answers(Shape::ListedSearch)
        .post("contacts/delete", |c| Box::pin(delete(c)))
        .takes(&contact)
        .answers(Shape::Action)
        // Deprecated by the vendor: it takes what it took, to refuse it
        // with the vendor's own text.
        .post("contacts/modify", |c| Box::pin(modify(c)))
        .takes(&contact)
        .takes(&FIELDS.map(|p| Param {
            required: false,
            ..p
        }))
        .answers(Shape::Action)
        .post("contacts/default", |c| Box::pin(default(c)))
        .takes(&[customer, repeated("type", Kind::OneOf(|| KINDS.to_vec()))])
        .answers(Shape::Keyed)
        .post("contacts/modDefault", |c| Box::pin(mod_default(c)))
        .takes(&[customer, required("type", Kind::OneOf(|| KINDS.to_vec()))])
        .takes(&defaults)
        .answers(Shape::Bool)
        .get("contacts/dotca/registrantagreement", |c| {
            Box::pin(ca_registrant_agreement(c))
        })
        .answers(Shape::Fields(&["version", "agreement"]));
}

/// A contact's own details, as `contacts/add` takes them.
const FIELDS: [Param; 14] = [
    required("name", Kind::Text),
    required("company", Kind::Text),
    required("email", Kind::Email),
    required("address-line-1", Kind::TextUpTo(64)),
    optional("address-line-2", Kind::TextUpTo(64)),
    optional("address-line-3", Kind::TextUpTo(64)),
    required("city", Kind::TextUpTo(64)),
    optional("state", Kind::TextUpTo(64)),
    required("country", Kind::Country),
    required("zipcode", Kind::TextUpTo(16)),
    required("phone-cc", Kind::Digits { min: 1, max: 3 }),
    required("phone", Kind::Digits { min: 4, max: 12 }),
    optional("fax-cc", Kind::Digits { min: 1, max: 3 }),
    optional("fax", Kind::Digits { min: 4, max: 12 }),
];

/// The version of the .ca registrant agreement a `CaContact` accepts
/// (`AgreementVersion`), and our summary of it.
const CA_AGREEMENT_VERSION: &str = "2.0";
/// An HTML page, as the vendor serves the registry's agreement.
const CA_AGREEMENT: &str = "<html><body><h1>.ca Registrant Agreement</h1><p>The registrant of a .ca \
    domain name agrees to the Canadian Internet Registration Authority's registrant agreement: \
    they meet its Canadian presence requirements for the CPR category they give, keep their \
    contact details accurate, and accept its dispute resolution policy.</p><p>(Emulated: the \
    registry's own text is not reproduced.)</p></body></html>";

/// The .ca registrant agreement: `{"version","agreement"}`.
async fn ca_registrant_agreement(_call: Call) -> Result<Reply, ApiError> {
    let mut map = MapReply::with_capacity(2);
    map.text("version", CA_AGREEMENT_VERSION)
        .text("agreement", CA_AGREEMENT);
    Ok(map.build())
}

/// The kinds a call names (`type`, repeated): each one of [`KINDS`].
fn kinds(p: &Params) -> Result<Vec<&'static str>, ApiError> {
    p.all_of("type", &KINDS, |k| k)
}

/// A contact in the dotted keys searches and defaults show.
fn dotted(c: &Contact) -> MapReply {
    let mut map = MapReply::with_capacity(18);
    map.id("entity.entityid", c.id)
        .text("contact.name", c.name.clone())
        .text("contact.company", c.company.clone())
        .text("contact.type", c.kind.clone())
        .text("contact.emailaddr", c.email.clone())
        .text("contact.telnocc", c.phone_cc.clone())
        .text("contact.telno", c.phone.clone())
        .text("contact.address1", c.address1.clone())
        .text("contact.address2", c.address2.clone())
        .text("contact.address3", c.address3.clone())
        .text("contact.city", c.city.clone())
        .text("contact.state", c.state.clone())
        .text("contact.country", c.country.clone())
        .text("contact.zip", c.zip.clone())
        .text("entity.currentstatus", c.status.as_str())
        .id("contact.creationdt", c.created)
        .id("contact.timestamp", c.created)
        .id("entity.customerid", c.customer_id);
    map
}

/// The customer's default contacts of each `type` (default `Contact`),
/// made from the customer's details where none are set:
/// `{"Contact":{"registrant","admin","tech","billing","type","registrantContactDetails",...}}`.
async fn default(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let customer_id = p.required_id("customer-id")?;
    let mut wanted = kinds(p)?;
    if wanted.is_empty() {
        wanted.push("Contact");
    }
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let found = call
        .state
        .store
        .write(move |tx| {
            let mut found = Vec::with_capacity(wanted.len());
            for kind in &wanted {
                let defaults = contacts::default_contacts(tx, reseller_id, customer_id, kind, now)?;
                let mut roles = Vec::with_capacity(4);
                for id in [
                    defaults.registrant,
                    defaults.admin,
                    defaults.tech,
                    defaults.billing,
                ] {
                    roles.push(contacts::contact_of(tx, reseller_id, id)?);
                }
                found.push((defaults, roles));
            }
            Ok(found)
        })
        .await?;
    let mut map = MapReply::with_capacity(found.len());
    for (defaults, roles) in found {
        let mut entry = MapReply::with_capacity(9);
        entry
            .id("registrant", defaults.registrant)
            .id("admin", defaults.admin)
            .id("tech", defaults.tech)
            .id("billing", defaults.billing)
            .text("type", defaults.kind.clone());
        for (key, contact) in [
            "registrantContactDetails",
            "adminContactDetails",
            "techContactDetails",
            "billingContactDetails",
        ]
        .into_iter()
        .zip(&roles)
        {
            entry.put(key, dotted(contact).build());
        }
        map.put(defaults.kind, entry.build());
    }
    Ok(map.build())
}

/// Sets a customer's default contacts of one `type`; answers `true`.
async fn mod_default(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let kind = match kinds(p)?.as_slice() {
        [kind] => *kind,
        [] => return Err(ApiError::MissingParam("type")),
        _ => return Err(ApiError::RepeatedParam("type")),
    };
    let defaults = DefaultContacts {
        customer_id: p.required_id("customer-id")?,
        kind: kind.to_string(),
        registrant: p.required_id("reg-contact-id")?,
        admin: p.required_id("admin-contact-id")?,
        tech: p.required_id("tech-contact-id")?,
        billing: p.required_id("billing-contact-id")?,
    };
    let reseller_id = call.reseller_id;
    call.state
        .store
        .write(move |tx| contacts::set_default_contacts(tx, reseller_id, &defaults))
        .await?;
    Ok(Reply::Bool(true))
}

/// `entitytypeid` of a contact, as recorded.
const CONTACT_ENTITY_TYPE: i64 = 66;

/// A required text of at most `max` characters.
fn text_up_to(p: &Params, name: &'static str, max: usize) -> Result<String, ApiError> {
    let value = p.required(name)?;
    checked_length(name, value, max)
}

fn optional_up_to(p: &Params, name: &'static str, max: usize) -> Result<String, ApiError> {
    match p.optional(name)? {
        Some(value) => checked_length(name, value, max),
        None => Ok(String::new()),
    }
}

fn checked_length(name: &'static str, value: &str, max: usize) -> Result<String, ApiError> {
    if value.chars().count() > max {
        return Err(ApiError::invalid(name, value, Allowed::TextUpTo(max)));
    }
    Ok(value.to_string())
}

/// `attr-name1`/`attr-value1`, `attr-name2`/..., numbered from 1 without gaps.
fn attributes(p: &Params) -> Result<Vec<(String, String)>, ApiError> {
    let mut found = Vec::new();
    for n in 1.. {
        let (name_key, value_key) = (format!("attr-name{n}"), format!("attr-value{n}"));
        let (Some(name), value) = (p.get_raw(&name_key), p.get_raw(&value_key)) else {
            break;
        };
        let value = value.ok_or(ApiError::MissingParam("attr-valueN"))?;
        found.push((name.to_string(), value.to_string()));
        if n > 20 {
            break;
        }
    }
    Ok(found)
}

/// Adds a contact; answers its id, bare.
async fn add(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let kind = p.required("type")?;
    if !KINDS.contains(&kind) {
        return Err(ApiError::invalid("type", kind, Allowed::OneOf(&KINDS)));
    }
    let contact = Contact {
        id: ContactId(0),
        reseller_id: call.reseller_id,
        customer_id: p.required_id("customer-id")?,
        kind: kind.to_string(),
        name: text_up_to(p, "name", 255)?,
        company: text_up_to(p, "company", 255)?,
        email: p.email_address("email", 255)?,
        address1: text_up_to(p, "address-line-1", 64)?,
        address2: optional_up_to(p, "address-line-2", 64)?,
        address3: optional_up_to(p, "address-line-3", 64)?,
        city: text_up_to(p, "city", 64)?,
        state: optional_up_to(p, "state", 64)?,
        country: p
            .optional_country("country")?
            .ok_or(ApiError::MissingParam("country"))?,
        zip: text_up_to(p, "zipcode", 16)?,
        phone_cc: p
            .optional_digits("phone-cc", 1, 3)?
            .ok_or(ApiError::MissingParam("phone-cc"))?,
        phone: p
            .optional_digits("phone", 4, 12)?
            .ok_or(ApiError::MissingParam("phone"))?,
        fax_cc: p.optional_digits("fax-cc", 1, 3)?.unwrap_or_default(),
        fax: p.optional_digits("fax", 4, 12)?.unwrap_or_default(),
        attributes: attributes(p)?,
        status: ContactStatus::Active,
        created: call.state.clock.now(),
    };
    let id = call
        .state
        .store
        .write(move |tx| contacts::add_contact(tx, &contact))
        .await?;
    Ok(Reply::Int(id.0))
}

/// The details as recorded; the optional lines and fax only when given.
/// The registries a contact carries the attributes of (`contacttype`):
/// `domus` with .us nexus, `dotca` for a `CaContact`.
fn registries_of(c: &Contact) -> Vec<Reply> {
    let has = |name: &str| c.attributes.iter().any(|(n, _)| n == name);
    let mut keys = Vec::new();
    if has("purpose") && has("category") {
        keys.push(Reply::Text("domus".into()));
    }
    if c.kind == "CaContact" {
        keys.push(Reply::Text("dotca".into()));
    }
    keys
}

pub(crate) fn details_map(c: &Contact) -> MapReply {
    let mut map = MapReply::with_capacity(30);
    map.id("contactid", c.id)
        .id("entityid", c.id)
        .text("name", c.name.clone())
        .text("company", c.company.clone())
        .text("emailaddr", c.email.clone())
        .text("address1", c.address1.clone())
        .text("city", c.city.clone())
        .text("country", c.country.clone())
        .text("zip", c.zip.clone())
        .text("telnocc", c.phone_cc.clone())
        .text("telno", c.phone.clone())
        .text("type", c.kind.clone())
        .id("customerid", c.customer_id)
        .text("currentstatus", c.status.as_str())
        .text("contactstatus", c.status.as_str())
        .text("description", "DomainContact")
        .text("classkey", "domcontact")
        .text(
            "classname",
            "com.logicboxes.foundation.sfnb.order.domcontact.DomContact",
        )
        .id("entitytypeid", CONTACT_ENTITY_TYPE)
        .text("parentkey", format!("{PLATFORM_KEY}_{}", c.reseller_id))
        .id("eaqid", 0)
        .id("actioncompleted", 0)
        .put("jumpConditions", Reply::List(Vec::new()))
        .put("contacttype", Reply::List(registries_of(c)));
    // Registry attributes under the keys details show them by.
    for (name, value) in &c.attributes {
        let key = match name.as_str() {
            "purpose" => "ApplicationPurpose",
            "category" => "NexusCategory",
            "CPR" => "CPR",
            _ => continue,
        };
        map.text(key, value.clone());
    }
    // Empty optional fields are left out, as the real service does: a
    // client reads a present key as a value given.
    for (key, value) in [
        ("state", &c.state),
        ("address2", &c.address2),
        ("address3", &c.address3),
        ("faxnocc", &c.fax_cc),
        ("faxno", &c.fax),
    ] {
        if !value.is_empty() {
            map.text(key, value.clone());
        }
    }
    map
}

async fn details(call: Call) -> Result<Reply, ApiError> {
    let contact_id = call.params.required_id("contact-id")?;
    let reseller_id = call.reseller_id;
    let contact = call
        .state
        .store
        .read(move |tx| contacts::contact_of(tx, reseller_id, contact_id))
        .await?;
    Ok(details_map(&contact).build())
}

/// A page of contacts as `{"recsonpage","recsindb","result":[...]}`: a
/// list, unlike the numbered keys of other searches.
async fn search(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let customer_id = p.required_id("customer-id")?;
    let query = ContactQuery {
        reseller_id: call.reseller_id,
        customer_ids: vec![customer_id],
        contact_ids: p.ids("contact-id")?,
        statuses: p.all_of("status", &ContactStatus::ALL, ContactStatus::as_str)?,
        name: p.optional("name")?.map(str::to_string),
        company: p.optional("company")?.map(str::to_string),
        email: p.optional("email")?.map(str::to_string),
        kinds: p
            .all_of("type", &KINDS, |k| k)?
            .into_iter()
            .map(str::to_string)
            .collect(),
        page: p.page()?,
    };
    let reseller_id = call.reseller_id;
    let found = call
        .state
        .store
        .read(move |tx| {
            contacts::contacts_customer(tx, reseller_id, customer_id)?;
            Ok(tx.search_contacts(&query)?)
        })
        .await?;
    let records = found.records.iter().map(|c| dotted(c).build()).collect();
    let mut map = MapReply::with_capacity(3);
    map.id("recsonpage", found.records.len() as i64)
        .id("recsindb", found.total as i64)
        .put("result", Reply::List(records));
    Ok(map.build())
}

/// Deletes at once; answers an action map. A contact is no order, so no
/// action is kept: `eaqid` is `0`, as details show when nothing is under way.
async fn delete(call: Call) -> Result<Reply, ApiError> {
    let contact_id = call.params.required_id("contact-id")?;
    let reseller_id = call.reseller_id;
    let contact = call
        .state
        .store
        .write(move |tx| contacts::delete_contact(tx, reseller_id, contact_id))
        .await?;
    let mut map = MapReply::with_capacity(9);
    map.id("entityid", contact.id)
        .text("description", contact.name.clone())
        .text("actiontype", "DelContact")
        .text(
            "actiontypedesc",
            format!("Deletion of contact {}", contact.name),
        )
        .id("eaqid", 0)
        .text("actionstatus", "Success")
        .text("actionstatusdesc", "Contact deleted successfully")
        .text("status", "Success");
    Ok(map.build())
}

async fn modify(_call: Call) -> Result<Reply, ApiError> {
    Err(RuleError::ContactModifyDeprecated.into())
}
