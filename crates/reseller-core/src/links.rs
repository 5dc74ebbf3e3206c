//! The signed links that the platform's mails carry: a registrant's NIXI
//! or ICANN verification, the two approvals of a registrant change, a
//! transfer's approval. A rule that starts one of these mails it itself,
//! in the same transaction; the link it carries is signed by the server,
//! which holds the deployment's key and public URL, through this port.

use crate::error::Result;
use crate::model::Order;
use crate::time::Epoch;
use crate::tx::WriteTx;
use crate::{irtp, nixi, raa};

/// What a link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    NixiVerification,
    RaaVerification,
    IrtpLosing,
    IrtpGaining,
    TransferApproval,
    /// The approval of an SSL certificate request by email.
    SslApproval,
}

/// Signs links: the server implements it.
pub trait Links {
    /// A link that opens `kind` for `order` until `expires`.
    fn link(&self, kind: LinkKind, order: &Order, expires: Epoch) -> String;
}

/// Keeps the mails of the verification rounds and the registrant change
/// `order` has started since `before` (None for a new or newly transferred
/// domain), each with its signed link.
pub fn mail_started(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    order: &Order,
    before: Option<&Order>,
    now: Epoch,
) -> Result<()> {
    let domain = |o: &Order| o.attrs.domain.clone().unwrap_or_default();
    let (after, before) = (domain(order), before.map(domain).unwrap_or_default());
    if let Some(round) = after
        .nixi
        .as_ref()
        .filter(|r| before.nixi.as_ref() != Some(r))
    {
        let link = links.link(LinkKind::NixiVerification, order, round.link_expires());
        nixi::send_mail(tx, order, &link, now)?;
    }
    if let Some(round) = after
        .raa
        .as_ref()
        .filter(|r| before.raa.as_ref() != Some(r))
    {
        let link = links.link(LinkKind::RaaVerification, order, round.link_expires());
        raa::send_mail(tx, order, &link, now)?;
    }
    if let Some(change) = after
        .irtp
        .as_ref()
        .filter(|c| before.irtp.as_ref() != Some(c))
    {
        for (side, kind) in [
            (irtp::Side::Losing, LinkKind::IrtpLosing),
            (irtp::Side::Gaining, LinkKind::IrtpGaining),
        ] {
            let link = links.link(kind, order, change.expires());
            irtp::send_mail(tx, order, side, &link, now)?;
        }
    }
    Ok(())
}
