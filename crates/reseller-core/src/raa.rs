//! ICANN's registrant verification (the 2013 RAA): the registrant of a new
//! domain must confirm their email address within 15 days, or the domain
//! is suspended until they do. The vendor applies it to the ccTLDs it sells
//! too (WWW-LogicBoxes' tests expect a .ca domain `Pending` or
//! `Verified`), except those NIXI verifies its own way (.in, .bharat).
//! Registration, a transfer in and a registrant change start a round; its
//! mail carries a link (signed by the server) that verifies. The status is
//! read from the clock, so moving time moves it.

use crate::error::{Result, RuleError};
use crate::ids::{OrderId, ResellerId};
use crate::links::{LinkKind, Links};
use crate::model::{Mail, Order, OrderStatus};
use crate::time::Epoch;
use crate::tlds::TldSpec;
use crate::tx::WriteTx;
use crate::{domains, orders};
use serde::{Deserialize, Serialize};

/// A round unverified this long suspends the domain.
pub const DUE_SECONDS: i64 = 15 * 86_400;
/// A link stays valid this long after the mail that carries it.
pub const LINK_SECONDS: i64 = DUE_SECONDS;

/// Whether names under `tld` need their registrant verified this way.
pub fn applies(tld: &TldSpec) -> bool {
    !tld.nixi
}

/// One round of verification of the registrant's email address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Raa {
    pub started: Epoch,
    /// When the last verification mail was sent: only its link verifies.
    pub last_sent: Epoch,
    pub verified: Option<Epoch>,
}

impl Raa {
    pub fn start(now: Epoch) -> Raa {
        Raa {
            started: now,
            last_sent: now,
            verified: None,
        }
    }

    /// `raaVerificationStatus`: `Verified`, `Pending`, or `Suspended` once
    /// 15 days have passed unverified (the recorded vocabulary).
    pub fn status(&self, now: Epoch) -> &'static str {
        match self.verified {
            Some(_) => "Verified",
            None if now > self.started + DUE_SECONDS => "Suspended",
            None => "Pending",
        }
    }

    pub fn link_expires(&self) -> Epoch {
        self.last_sent + LINK_SECONDS
    }
}

/// Keeps the verification mail of `order`'s round, with `link`.
pub fn send_mail(tx: &mut dyn WriteTx, order: &Order, link: &str, now: Epoch) -> Result<()> {
    let registrant = order.attrs.domain.as_ref().and_then(|d| d.registrant);
    let recipient = domains::contact_email(tx, registrant, "registrant")?;
    let body = format!(
        "ICANN asks the registrant of {} to confirm this email address within 15 days, \
         or the domain is suspended. Open this link to confirm it: {link}",
        order.description
    );
    let subject = format!("Verify your email address for {}", order.description);
    let mail = Mail::about_order(order, recipient, "raa-verification", subject, body, now);
    tx.insert_mail(&mail)?;
    Ok(())
}

/// Mails a fresh verification link to the registrant of a domain of this
/// reseller who is not verified yet; answers false when there is nothing
/// to verify (verified already, or not a generic TLD).
pub fn resend(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    now: Epoch,
) -> Result<bool> {
    let mut order = orders::order_of_product(tx, reseller_id, order_id, domains::PRODUCTS)?;
    if matches!(order.status, OrderStatus::Deleted | OrderStatus::Archived) {
        return Err(RuleError::OrderClosed {
            order_id,
            status: order.status.as_str(),
        }
        .into());
    }
    let Some(mut round) = order.attrs.domain.as_ref().and_then(|d| d.raa.clone()) else {
        return Ok(false);
    };
    if round.verified.is_some() {
        return Ok(false);
    }
    round.last_sent = now;
    if let Some(domain) = order.attrs.domain.as_mut() {
        domain.raa = Some(round.clone());
    }
    tx.update_order(&order)?;
    let link = links.link(LinkKind::RaaVerification, &order, round.link_expires());
    send_mail(tx, &order, &link, now)?;
    Ok(true)
}

/// Opens the link of `order_id` that expires at `link_expires`: the
/// registrant's email is verified. Answers the order, and whether it was
/// verified before.
pub fn open_link(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    link_expires: Epoch,
    now: Epoch,
) -> Result<(Order, bool)> {
    let mut order = orders::order_of_product(tx, reseller_id, order_id, domains::PRODUCTS)?;
    let round = order.attrs.domain.as_ref().and_then(|d| d.raa.clone());
    let Some(mut round) = round.filter(|r| r.link_expires() == link_expires) else {
        return Err(RuleError::VerificationLinkStale.into());
    };
    if round.verified.is_some() {
        return Ok((order, true));
    }
    round.verified = Some(now);
    if let Some(domain) = order.attrs.domain.as_mut() {
        domain.raa = Some(round);
    }
    tx.update_order(&order)?;
    Ok((order, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_is_suspended_after_15_days_unverified() {
        let mut round = Raa::start(1_000);
        assert_eq!(round.status(1_000 + DUE_SECONDS), "Pending");
        assert_eq!(round.status(1_001 + DUE_SECONDS), "Suspended");
        round.verified = Some(2_000);
        assert_eq!(round.status(1_001 + DUE_SECONDS), "Verified");
        let spec = |tld| crate::tlds::tld_spec(tld).unwrap();
        assert!(applies(spec("com")) && applies(spec("ca")) && !applies(spec("co.in")));
    }
}
