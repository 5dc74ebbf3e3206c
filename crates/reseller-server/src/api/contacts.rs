//! Domain contacts (`contacts/...`): add, details, search, delete, and the
//! refusal of `modify` the real service gives since the 2016 transfer
//! policy. Keys follow `shared/recorded/contacts/details.json` and
//! `shared/DOMAINS.md`.

use super::PLATFORM_KEY;
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::contacts::*;
use reseller_core::contacts;
use reseller_core::model::{Contact, ContactStatus, DefaultContacts};
use reseller_core::tx::ContactQuery;
use reseller_core::{ContactId, RuleError};

pub fn routes(r: &mut Routes) {
    r.call::<Add, _, _>(add)
        .call::<AddSponsor, _, _>(add_sponsor)
        .call::<CoopSponsors, _, _>(|c, r: CoopSponsors| sponsors(c, r.customer_id))
        .call::<Sponsors, _, _>(|c, r: Sponsors| sponsors(c, r.customer_id))
        .call::<Details, _, _>(details)
        .call::<Search, _, _>(search)
        .call::<Delete, _, _>(delete)
        .call::<Modify, _, _>(|_, _: Modify| async {
            Err(RuleError::ContactModifyDeprecated.into())
        })
        .call::<SetDetails, _, _>(|_, _: SetDetails| async {
            Err(RuleError::ContactSetDetailsDeprecated.into())
        })
        .call::<ValidateRegistrant, _, _>(validate_registrant)
        .call::<Defaults, _, _>(default)
        .call::<ModDefault, _, _>(mod_default)
        .call::<CaRegistrantAgreement, _, _>(ca_registrant_agreement);
}

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
async fn ca_registrant_agreement(
    _call: Call,
    _asked: CaRegistrantAgreement,
) -> Result<Reply, ApiError> {
    let mut map = MapReply::with_capacity(2);
    map.text("version", CA_AGREEMENT_VERSION)
        .text("agreement", CA_AGREEMENT);
    Ok(map.build())
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
async fn default(call: Call, asked: Defaults) -> Result<Reply, ApiError> {
    let customer_id = asked.customer_id;
    let mut wanted: Vec<&str> = asked.kind.iter().map(|kind| kind.0).collect();
    if wanted.is_empty() {
        wanted.push("Contact");
    }
    let (reseller_id, now) = (call.reseller_id, call.now);
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
async fn mod_default(call: Call, asked: ModDefault) -> Result<Reply, ApiError> {
    let defaults = DefaultContacts {
        customer_id: asked.customer_id,
        kind: asked.kind.0.to_string(),
        registrant: asked.registrant,
        admin: asked.admin,
        tech: asked.tech,
        billing: asked.billing,
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

/// Adds a contact; answers its id, bare.
async fn add(call: Call, asked: Add) -> Result<Reply, ApiError> {
    let text = |given: Option<reseller_api::Short<64>>| given.map(|t| t.0).unwrap_or_default();
    let contact = Contact {
        id: ContactId(0),
        reseller_id: call.reseller_id,
        customer_id: asked.customer_id,
        kind: asked.kind.0.to_string(),
        name: asked.name,
        company: asked.company,
        email: asked.email.0,
        address1: asked.address_line_1.0,
        address2: text(asked.address_line_2),
        address3: text(asked.address_line_3),
        city: asked.city.0,
        state: text(asked.state),
        country: asked.country.0,
        zip: asked.zipcode.0,
        phone_cc: asked.phone_cc.0,
        phone: asked.phone.0,
        fax_cc: asked.fax_cc.map(|d| d.0).unwrap_or_default(),
        fax: asked.fax.map(|d| d.0).unwrap_or_default(),
        attributes: asked.attributes.0,
        status: ContactStatus::Active,
        created: call.now,
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

async fn details(call: Call, asked: Details) -> Result<Reply, ApiError> {
    let contact_id = asked.contact_id;
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
async fn search(call: Call, asked: Search) -> Result<Reply, ApiError> {
    let customer_id = asked.customer_id;
    let query = ContactQuery {
        reseller_id: call.reseller_id,
        customer_ids: vec![customer_id],
        contact_ids: asked.contact_id,
        statuses: asked.status,
        name: asked.name,
        company: asked.company,
        email: asked.email,
        kinds: asked.kind.iter().map(|kind| kind.0.to_string()).collect(),
        page: asked.page.of_store(),
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
async fn delete(call: Call, asked: Delete) -> Result<Reply, ApiError> {
    let contact_id = asked.contact_id;
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

/// Whether each contact (of this reseller's customers) meets each
/// criterion asked.
async fn validate_registrant(call: Call, asked: ValidateRegistrant) -> Result<Reply, ApiError> {
    if asked.contact_id.is_empty() {
        return Err(ApiError::MissingParam("contact-id"));
    }
    if asked.eligibility_criteria.is_empty() {
        return Err(ApiError::MissingParam("eligibility-criteria"));
    }
    let reseller_id = call.reseller_id;
    let ids = asked.contact_id.clone();
    let found = call
        .state
        .store
        .read(move |tx| {
            ids.iter()
                .map(|id| reseller_core::contacts::contact_of(tx, reseller_id, *id))
                .collect::<reseller_core::Result<Vec<_>>>()
        })
        .await?;
    let mut all = MapReply::with_capacity(found.len());
    for contact in found {
        let mut checks = MapReply::with_capacity(asked.eligibility_criteria.len());
        for criterion in &asked.eligibility_criteria {
            checks.flag(
                criterion.0,
                reseller_core::contacts::meets(&contact, criterion.0),
            );
        }
        all.put(contact.id.0.to_string(), checks.build());
    }
    Ok(all.build())
}

/// Adds a .coop sponsor of a customer; answers its id.
async fn add_sponsor(call: Call, asked: AddSponsor) -> Result<Reply, ApiError> {
    let sponsor = reseller_core::model::Sponsor {
        id: 0,
        name: asked.name,
        company: asked.company,
        email: asked.email.0,
        address1: asked.address_line_1.0,
        address2: asked.address_line_2.map(|a| a.0).unwrap_or_default(),
        address3: asked.address_line_3.map(|a| a.0).unwrap_or_default(),
        city: asked.city.0,
        state: asked.state.map(|s| s.0).unwrap_or_default(),
        country: asked.country.0,
        zipcode: asked.zipcode.0,
        phone_cc: asked.phone_cc.0,
        phone: asked.phone.0,
        fax_cc: asked.fax_cc.map(|f| f.0).unwrap_or_default(),
        fax: asked.fax.map(|f| f.0).unwrap_or_default(),
    };
    let (reseller_id, customer_id) = (call.reseller_id, asked.customer_id);
    let id = call
        .state
        .store
        .write(move |tx| contacts::add_sponsor(tx, reseller_id, customer_id, &sponsor))
        .await?;
    Ok(Reply::Int(id))
}

/// A customer's .coop sponsors, by id: `{"<id>": {"company", "name",
/// "emailaddr", "country"}}`.
async fn sponsors(call: Call, customer_id: reseller_core::CustomerId) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    let customer = call
        .state
        .store
        .read(move |tx| reseller_core::accounts::live_customer(tx, reseller_id, customer_id))
        .await?;
    let mut map = MapReply::with_capacity(customer.extras.sponsors.len());
    for sponsor in &customer.extras.sponsors {
        let mut entry = MapReply::with_capacity(4);
        entry
            .text("company", sponsor.company.clone())
            .text("name", sponsor.name.clone())
            .text("emailaddr", sponsor.email.clone())
            .text("country", sponsor.country.clone());
        map.put(sponsor.id.to_string(), entry.build());
    }
    Ok(map.build())
}
