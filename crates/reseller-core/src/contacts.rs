//! Domain contacts: a customer's registrant, admin, tech and billing
//! parties. Adding one, deleting one no domain uses, and the refusal of
//! `modify` that the real service gives since 2016.

use crate::error::{Result, RuleError};
use crate::ids::{ContactId, CustomerId, ResellerId};
use crate::model::{Contact, ContactStatus, Customer, DefaultContacts};
use crate::orders::customer_of;
use crate::time::Epoch;
use crate::tx::{ReadTx, WriteTx};

/// The kinds of contact the real service takes (`type`).
pub const KINDS: [&str; 18] = [
    "Contact",
    "AtContact",
    "BrContact",
    "CaContact",
    "ClContact",
    "CnContact",
    "CoContact",
    "CoopContact",
    "DeContact",
    "EsContact",
    "EuContact",
    "FrContact",
    "MxContact",
    "NlContact",
    "NycContact",
    "RuContact",
    "UkContact",
    "UkServiceContact",
];

/// Adds a contact for a customer of this reseller; answers its id.
pub fn add_contact(tx: &mut dyn WriteTx, contact: &Contact) -> Result<ContactId> {
    customer_of(tx, contact.reseller_id, contact.customer_id)?;
    Ok(tx.insert_contact(contact)?)
}

/// The contact, if it belongs to a customer of this reseller.
pub fn contact_of(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    contact_id: ContactId,
) -> Result<Contact> {
    let contact = tx
        .contact(contact_id)?
        .ok_or(RuleError::NoEntity(contact_id.0))?;
    if contact.reseller_id != reseller_id {
        return Err(RuleError::NotAllowed.into());
    }
    Ok(contact)
}

/// Deletes a contact no live domain uses: it stays, `Deleted`.
pub fn delete_contact(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    contact_id: ContactId,
) -> Result<Contact> {
    // A contact that is not there is not the caller's (the real text).
    if tx.contact(contact_id)?.is_none() {
        return Err(RuleError::NotAllowed.into());
    }
    let mut contact = contact_of(tx, reseller_id, contact_id)?;
    if contact.status == ContactStatus::Deleted {
        return Err(RuleError::ContactDeleted(contact_id).into());
    }
    let mut using = Vec::new();
    for order_id in tx.live_orders_of(contact.customer_id)? {
        let uses = tx
            .order(order_id)?
            .and_then(|o| o.attrs.domain)
            .is_some_and(|d| {
                let proposed = d.irtp.map(|change| change.proposed);
                [d.registrant, d.admin, d.tech, d.billing, proposed].contains(&Some(contact_id))
            });
        if uses {
            using.push(order_id.to_string());
        }
    }
    if !using.is_empty() {
        return Err(RuleError::ContactInUse {
            contact_id,
            orders: using.join(", "),
        }
        .into());
    }
    contact.status = ContactStatus::Deleted;
    tx.update_contact(&contact)?;
    Ok(contact)
}

/// The customer whose contacts a search or a default asks for.
pub fn contacts_customer(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
) -> Result<()> {
    customer_of(tx, reseller_id, customer_id).map(|_| ())
}

/// A customer's default contacts of `kind`: those set, else one contact made
/// from the customer's own details and set for all four roles.
pub fn default_contacts(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    kind: &str,
    now: Epoch,
) -> Result<DefaultContacts> {
    let customer = customer_of(tx, reseller_id, customer_id)?;
    if let Some(defaults) = tx.default_contacts(customer_id, kind)? {
        return Ok(defaults);
    }
    let id = tx.insert_contact(&from_customer(&customer, kind, now))?;
    let defaults = DefaultContacts {
        customer_id,
        kind: kind.to_string(),
        registrant: id,
        admin: id,
        tech: id,
        billing: id,
    };
    tx.set_default_contacts(&defaults)?;
    Ok(defaults)
}

/// A contact of `kind` with the customer's own details.
fn from_customer(customer: &Customer, kind: &str, now: Epoch) -> Contact {
    Contact {
        id: ContactId(0),
        reseller_id: customer.reseller_id,
        customer_id: customer.id,
        kind: kind.to_string(),
        name: customer.name.clone(),
        company: customer.company.clone(),
        email: customer.username.clone(),
        address1: customer.address1.clone(),
        address2: customer.extras.address2.clone(),
        address3: customer.extras.address3.clone(),
        city: customer.city.clone(),
        state: customer.state.clone(),
        country: customer.country.clone(),
        zip: customer.zipcode.clone(),
        phone_cc: customer.phone_cc.clone(),
        phone: customer.phone.clone(),
        fax_cc: customer.extras.fax_cc.clone(),
        fax: customer.extras.fax.clone(),
        attributes: Vec::new(),
        status: ContactStatus::Active,
        created: now,
    }
}

/// Sets a customer's default contacts of a kind: each must be an Active
/// contact of that customer and of that kind.
pub fn set_default_contacts(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    defaults: &DefaultContacts,
) -> Result<()> {
    customer_of(tx, reseller_id, defaults.customer_id)?;
    for (role, id) in [
        ("reg-contact-id", defaults.registrant),
        ("admin-contact-id", defaults.admin),
        ("tech-contact-id", defaults.tech),
        ("billing-contact-id", defaults.billing),
    ] {
        let contact = contact_of(tx, reseller_id, id)?;
        if contact.customer_id != defaults.customer_id
            || contact.status != ContactStatus::Active
            || contact.kind != defaults.kind
        {
            return Err(RuleError::UnfitContact {
                role,
                contact_id: id,
                kind: defaults.kind.clone(),
            }
            .into());
        }
    }
    Ok(tx.set_default_contacts(defaults)?)
}

/// The eligibility criteria `validate-registrant` checks: those of the
/// TLDs sold here (.ca, .eu, .us).
pub const ELIGIBILITY_CRITERIA: [&str; 3] = ["CPR", "EUROPEAN_COUNTRY", "APP_PREF_NEXUS"];

/// The countries whose residents may register .eu: the European Union's
/// and the European Economic Area's.
pub const EU_EEA: [&str; 30] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
];

/// Whether the contact meets the criterion (one of
/// [`ELIGIBILITY_CRITERIA`]): a .ca `CPR` given, a country of the EU or
/// EEA, the .us nexus (`purpose` and `category`) given.
pub fn meets(contact: &Contact, criterion: &str) -> bool {
    let given = |name: &str| {
        contact
            .attributes
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(name) && !v.trim().is_empty())
    };
    match criterion {
        "CPR" => given("CPR"),
        "EUROPEAN_COUNTRY" => EU_EEA.contains(&contact.country.to_ascii_uppercase().as_str()),
        "APP_PREF_NEXUS" => given("purpose") && given("category"),
        _ => false,
    }
}

/// Adds a .coop sponsor for a customer of this reseller; one of the same
/// name and company is the one kept already. Answers its id.
pub fn add_sponsor(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    sponsor: &crate::model::Sponsor,
) -> Result<i64> {
    let mut customer = crate::accounts::live_customer(tx, reseller_id, customer_id)?;
    let sponsors = &mut customer.extras.sponsors;
    if let Some(kept) = sponsors
        .iter()
        .find(|s| s.name == sponsor.name && s.company == sponsor.company)
    {
        return Ok(kept.id);
    }
    let id = sponsors.iter().map(|s| s.id).max().unwrap_or(0) + 1;
    sponsors.push(crate::model::Sponsor {
        id,
        ..sponsor.clone()
    });
    tx.update_customer(&customer)?;
    Ok(id)
}
