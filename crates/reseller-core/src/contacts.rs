//! Domain contacts: a customer's registrant, admin, tech and billing
//! parties. Adding one, deleting one no domain uses, and the refusal of
//! `modify` that the real service gives since 2016.

use crate::error::{Result, RuleError};
use crate::ids::{ContactId, CustomerId, ResellerId};
use crate::model::{Contact, ContactStatus};
use crate::orders::customer_of;
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

/// Deletes a contact: it stays, `Deleted`. (Refused while a domain uses it,
/// once domains exist.)
pub fn delete_contact(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    contact_id: ContactId,
) -> Result<Contact> {
    let mut contact = contact_of(tx, reseller_id, contact_id)?;
    if contact.status == ContactStatus::Deleted {
        return Err(RuleError::ContactDeleted(contact_id).into());
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
