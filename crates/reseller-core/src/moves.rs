//! `products/move`: every order a customer has for a name goes to another
//! customer of the same reseller, with what it holds (zone, mailboxes,
//! certificate). A domain keeps its contacts' details, copied to the new
//! customer (`oldcontact`, the vendor's only choice since its IRTP
//! changes), or takes the new customer's default contacts (`default`).
//! Invoices and actions already made stay with the customer they were for.

use crate::contacts::default_contacts;
use crate::error::{Result, RuleError};
use crate::ids::{ContactId, CustomerId, ResellerId};
use crate::model::{Contact, Order};
use crate::orders::customer_of;
use crate::time::Epoch;
use crate::tx::WriteTx;
use serde::{Deserialize, Serialize};

/// What a moved domain's contacts become (`default-contact`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MovedContacts {
    /// Its contacts' details, copied to the new customer.
    OldContact,
    /// The new customer's default contacts of the registrant's kind.
    Default,
}

impl MovedContacts {
    pub const ALL: [MovedContacts; 2] = [MovedContacts::OldContact, MovedContacts::Default];

    pub fn as_str(self) -> &'static str {
        match self {
            MovedContacts::OldContact => "oldcontact",
            MovedContacts::Default => "default",
        }
    }
}

/// A move asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub reseller_id: ResellerId,
    pub name: String,
    pub from: CustomerId,
    pub to: CustomerId,
    pub contacts: MovedContacts,
    pub now: Epoch,
}

/// Moves the orders; answers them as moved, oldest first.
pub fn move_orders(tx: &mut dyn WriteTx, asked: &Move) -> Result<Vec<Order>> {
    if asked.from == asked.to {
        return Err(RuleError::MoveToSameCustomer(asked.to).into());
    }
    customer_of(tx, asked.reseller_id, asked.from)?;
    customer_of(tx, asked.reseller_id, asked.to)?;
    // The customer is the reseller's, so its live orders are too; oldest
    // first, as the store lists them.
    let mut moving = Vec::new();
    for order_id in tx.live_orders_of(asked.from)? {
        if let Some(order) = tx.order(order_id)?.filter(|o| o.description == asked.name) {
            moving.push(order);
        }
    }
    if moving.is_empty() {
        return Err(RuleError::NothingToMove {
            customer_id: asked.from,
            name: asked.name.clone(),
        }
        .into());
    }
    for order in &mut moving {
        order.customer_id = asked.to;
        if let Some(domain) = order.attrs.domain.as_mut() {
            let registrant = domain.registrant;
            let roles = [
                &mut domain.registrant,
                &mut domain.admin,
                &mut domain.tech,
                &mut domain.billing,
            ];
            match asked.contacts {
                MovedContacts::OldContact => {
                    let mut copies: Vec<(ContactId, ContactId)> = Vec::new();
                    for role in roles {
                        let Some(id) = *role else { continue };
                        let copy = match copies.iter().find(|(old, _)| *old == id) {
                            Some((_, copy)) => *copy,
                            None => {
                                let copy = copy_contact(tx, id, asked.to, asked.now)?;
                                copies.push((id, copy));
                                copy
                            }
                        };
                        *role = Some(copy);
                    }
                }
                MovedContacts::Default => {
                    let kind = match registrant {
                        Some(id) => tx.contact(id)?.map(|c| c.kind),
                        None => None,
                    }
                    .unwrap_or_else(|| "Contact".to_string());
                    let defaults =
                        default_contacts(tx, asked.reseller_id, asked.to, &kind, asked.now)?;
                    let new = [
                        defaults.registrant,
                        defaults.admin,
                        defaults.tech,
                        defaults.billing,
                    ];
                    for (role, id) in roles.into_iter().zip(new) {
                        if role.is_some() {
                            *role = Some(id);
                        }
                    }
                }
            }
        }
        tx.update_order(order)?;
    }
    Ok(moving)
}

/// A copy of a contact for another customer of the reseller.
fn copy_contact(
    tx: &mut dyn WriteTx,
    id: ContactId,
    to: CustomerId,
    now: Epoch,
) -> Result<ContactId> {
    let contact = tx
        .contact(id)?
        .ok_or_else(|| crate::error::StoreError::fault(format!("contact {id} vanished")))?;
    Ok(tx.insert_contact(&Contact {
        customer_id: to,
        created: now,
        ..contact
    })?)
}
