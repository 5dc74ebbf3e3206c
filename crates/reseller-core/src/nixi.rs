//! NIXI verification of .in, third-level .in and .bharat domains: the
//! registry asks the registrant to confirm their email address and to pass
//! eKYC, and holds a domain whose registrant has not done both within a
//! week. Registration and a registrant change start a round; the mail the
//! round sends carries a link (signed by the server) whose opening verifies
//! the email and submits the eKYC, which the eKYC partner confirms an hour
//! later. Statuses are read from the clock, so moving time moves them.

use crate::error::{Result, RuleError};
use crate::ids::{OrderId, ResellerId};
use crate::links::{LinkKind, Links};
use crate::model::{Mail, Order, OrderStatus};
use crate::time::Epoch;
use crate::tx::WriteTx;
use crate::{domains, orders};
use serde::{Deserialize, Serialize};

/// A round unverified this long puts the domain on hold.
pub const DUE_SECONDS: i64 = 7 * 86_400;
/// How long the eKYC partner takes to confirm a submitted eKYC.
pub const PARTNER_CONFIRMATION_SECONDS: i64 = 3_600;
/// The least time between two resends of one domain's verification mail
/// (the round's first mail does not count: a fresh domain may resend).
pub const RESEND_GAP_SECONDS: i64 = 300;
/// A link stays valid this long after the mail that carries it.
pub const LINK_SECONDS: i64 = DUE_SECONDS;

/// One round of verification of the current registrant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nixi {
    /// When the round began: registration or the registrant's change.
    pub started: Epoch,
    /// When the last verification mail was sent.
    pub last_sent: Epoch,
    /// When the registrant's mail was last resent, in this round.
    #[serde(default)]
    pub last_resent: Option<Epoch>,
    /// When the link was opened: the email is verified and eKYC submitted.
    pub verified: Option<Epoch>,
    /// The hold of this round has been looked at (`hold_due`): the
    /// registrant was told, or had verified in time.
    #[serde(default)]
    pub hold_checked: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailStatus {
    Pending,
    Verified,
}

impl EmailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailStatus::Pending => "Pending",
            EmailStatus::Verified => "Verified",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EkycStatus {
    Pending,
    PendingPartnerConfirmation,
    Verified,
}

impl EkycStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EkycStatus::Pending => "Pending",
            EkycStatus::PendingPartnerConfirmation => "Pending Partner Confirmation",
            EkycStatus::Verified => "Verified",
        }
    }
}

impl Nixi {
    pub fn start(now: Epoch) -> Nixi {
        Nixi {
            started: now,
            last_sent: now,
            last_resent: None,
            verified: None,
            hold_checked: false,
        }
    }

    /// When this round's hold falls due, if it may still come: the first
    /// second past the week, for a round not verified and not looked at.
    pub fn hold_due(&self) -> Option<Epoch> {
        (self.verified.is_none() && !self.hold_checked).then_some(self.started + DUE_SECONDS + 1)
    }

    pub fn email_status(&self) -> EmailStatus {
        match self.verified {
            Some(_) => EmailStatus::Verified,
            None => EmailStatus::Pending,
        }
    }

    pub fn ekyc_status(&self, now: Epoch) -> EkycStatus {
        match self.verified {
            None => EkycStatus::Pending,
            Some(at) if now < at + PARTNER_CONFIRMATION_SECONDS => {
                EkycStatus::PendingPartnerConfirmation
            }
            Some(_) => EkycStatus::Verified,
        }
    }

    /// Held by the registry: a week has passed without both verifications.
    pub fn on_hold(&self, now: Epoch) -> bool {
        self.ekyc_status(now) != EkycStatus::Verified && now > self.started + DUE_SECONDS
    }

    /// The expiry of the link the last mail carried; a link of an earlier
    /// round expires before this round began and is refused.
    pub fn link_expires(&self) -> Epoch {
        self.last_sent + LINK_SECONDS
    }
}

/// Keeps the verification mail of `order`'s current round, with `link`.
pub fn send_mail(tx: &mut dyn WriteTx, order: &Order, link: &str, now: Epoch) -> Result<()> {
    let body = format!(
        "The .IN registry (NIXI) asks the registrant of {} to verify this email address \
         and to complete eKYC within 7 days, or the domain is put on hold. Open this link \
         to do both: {link}",
        order.description
    );
    let subject = format!("Verify the registrant of {}", order.description);
    mail_registrant(tx, order, "nixi-verification", subject, body, now)
}

/// Keeps a mail to the registrant contact of `order`.
fn mail_registrant(
    tx: &mut dyn WriteTx,
    order: &Order,
    kind: &str,
    subject: String,
    body: String,
    now: Epoch,
) -> Result<()> {
    let registrant = order.attrs.domain.as_ref().and_then(|d| d.registrant);
    let recipient = domains::contact_email(tx, registrant, "registrant")?;
    tx.insert_mail(&Mail::about_order(
        order, recipient, kind, subject, body, now,
    ))?;
    Ok(())
}

/// The hold job (`lifecycle`): a domain whose round is still unverified
/// a week on is on hold (its status reads so from the clock); its
/// registrant is told once. Answers the outcome.
pub fn hold(tx: &mut dyn WriteTx, order: &mut Order, now: Epoch) -> Result<String> {
    let Some(round) = order.attrs.domain.as_mut().and_then(|d| d.nixi.as_mut()) else {
        return Ok("no verification round".to_string());
    };
    round.hold_checked = true;
    if !round.on_hold(now) {
        return Ok("verified in time".to_string());
    }
    let subject = format!("{} is on hold", order.description);
    let body = format!(
        "The .IN registry (NIXI) has put {} on hold: its registrant did not verify their email          address and complete eKYC within 7 days. It stays on hold until they do: open the          verification link again, or ask for a fresh one.",
        order.description
    );
    mail_registrant(tx, order, "nixi-hold", subject, body, now)?;
    Ok("on hold".to_string())
}

/// The round of a domain of this reseller, refused as the seed says for
/// domains not Active and for the other cases `resend` documents.
fn round_of(order: &Order) -> Result<Nixi> {
    if matches!(
        order.status,
        OrderStatus::InActive | OrderStatus::Deleted | OrderStatus::Archived
    ) {
        return Err(RuleError::NixiInactive.into());
    }
    order
        .attrs
        .domain
        .as_ref()
        .and_then(|d| d.nixi.clone())
        .ok_or_else(|| RuleError::NixiNotApplicable(order.description.clone()).into())
}

/// Mails the registrant a fresh verification link, at most once in
/// `RESEND_GAP_SECONDS`.
pub fn resend(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    now: Epoch,
) -> Result<()> {
    let mut order = orders::order_of_product(tx, reseller_id, order_id, domains::PRODUCTS)?;
    let mut round = round_of(&order)?;
    match round.ekyc_status(now) {
        EkycStatus::PendingPartnerConfirmation => return Err(RuleError::NixiInProcessing.into()),
        EkycStatus::Verified => return Err(RuleError::NixiVerified(order.description).into()),
        EkycStatus::Pending => {}
    }
    if let Some(resent) = round.last_resent {
        let wait = resent + RESEND_GAP_SECONDS - now;
        if wait > 0 {
            return Err(RuleError::NixiTooSoon { seconds: wait }.into());
        }
    }
    round.last_sent = now;
    round.last_resent = Some(now);
    if let Some(domain) = order.attrs.domain.as_mut() {
        domain.nixi = Some(round.clone());
    }
    tx.update_order(&order)?;
    let link = links.link(LinkKind::NixiVerification, &order, round.link_expires());
    send_mail(tx, &order, &link, now)
}

/// What opening a verification link did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opened {
    Verified(Order),
    AlreadyVerified(Order),
}

/// Opens the link of `order_id` that expires at `link_expires`: verifies
/// the email and submits the eKYC, once, for the round that sent it.
pub fn open_link(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    link_expires: Epoch,
    now: Epoch,
) -> Result<Opened> {
    let mut order = orders::order_of_product(tx, reseller_id, order_id, domains::PRODUCTS)?;
    let mut round = round_of(&order)?;
    if link_expires < round.started + LINK_SECONDS || link_expires > round.link_expires() {
        return Err(RuleError::VerificationLinkStale.into());
    }
    if round.verified.is_some() {
        return Ok(Opened::AlreadyVerified(order));
    }
    round.verified = Some(now);
    if let Some(domain) = order.attrs.domain.as_mut() {
        domain.nixi = Some(round);
    }
    tx.update_order(&order)?;
    Ok(Opened::Verified(order))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_moves_with_the_clock() {
        let mut round = Nixi::start(1_000);
        assert_eq!(round.email_status(), EmailStatus::Pending);
        assert_eq!(round.ekyc_status(1_000), EkycStatus::Pending);
        assert!(!round.on_hold(1_000 + DUE_SECONDS));
        assert!(round.on_hold(1_001 + DUE_SECONDS));
        round.verified = Some(2_000);
        assert_eq!(round.email_status(), EmailStatus::Verified);
        assert_eq!(
            round.ekyc_status(2_000 + PARTNER_CONFIRMATION_SECONDS - 1),
            EkycStatus::PendingPartnerConfirmation
        );
        assert_eq!(
            round.ekyc_status(2_000 + PARTNER_CONFIRMATION_SECONDS),
            EkycStatus::Verified
        );
        assert!(!round.on_hold(2_000 + DUE_SECONDS * 2));
    }
}
