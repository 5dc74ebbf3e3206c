//! Sub-resellers. A reseller signs resellers up under it; each has its own
//! customers, key and price list, and pays its parent for what it sells
//! (`costs`). The parent sees and manages the accounts of the resellers it
//! signed up (details, search, funds, debit notes) and nothing of any
//! other reseller's: every lookup here goes through [`sub_reseller_of`].

use crate::catalogue::Price;
use crate::error::{Result, RuleError};
use crate::ids::{CustomerId, ResellerId};
use crate::model::{Account, Reseller, ResellerProfile, Token, TokenKind};
use crate::money::Money;
use crate::time::Epoch;
use crate::tx::{Found, Page, ReadTx, SearchTx, TransferKind, WriteTx};

/// A sub-reseller's demo selling price: its cost (its parent's selling
/// price) marked up as the demo list marks up the platform's price, whose
/// cost is 70% of its selling price. Rounded up to a thousandth.
pub fn demo_selling(cost: Money) -> Money {
    Money((cost.0 * 10 + 6) / 7)
}

/// The price row a sub-reseller gets from its parent's: it pays the
/// parent's selling price, and sells at [`demo_selling`] of it.
pub fn price_from_parent(parent: &Price) -> Price {
    Price {
        cost: parent.selling,
        selling: demo_selling(parent.selling),
        ..*parent
    }
}

/// A reseller signed up by another (`resellers/signup`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSubReseller {
    pub parent: ResellerId,
    pub username: String,
    /// Its password's hash, made at the edge.
    pub password_hash: String,
    pub name: String,
    pub profile: ResellerProfile,
    pub now: Epoch,
}

/// Signs a reseller up under `new.parent`, with the parent's price list as
/// its costs ([`price_from_parent`]) and no funds. It has no API key until
/// an administrator issues one. Usernames are unique across resellers.
pub fn sign_up(tx: &mut dyn WriteTx, new: &NewSubReseller) -> Result<ResellerId> {
    let parent = tx
        .reseller(new.parent)?
        .filter(|r| r.active)
        .ok_or(RuleError::NotAllowed)?;
    if tx.reseller_by_username(&new.username)?.is_some() {
        return Err(RuleError::ResellerUsernameTaken(new.username.clone()).into());
    }
    let reseller = Reseller {
        id: ResellerId(0),
        name: new.name.clone(),
        api_key_hash: String::new(),
        allowed_ips: Vec::new(),
        active: true,
        created: new.now,
        parent: Some(parent.id),
        username: new.username.clone(),
        password_hash: new.password_hash.clone(),
        profile: new.profile.clone(),
    };
    let id = tx.insert_reseller(&reseller)?;
    for price in tx.prices(parent.id)? {
        tx.insert_price(id, &price_from_parent(&price))?;
    }
    Ok(id)
}

/// The reseller at the top of `id`'s line: itself if it has no parent,
/// else the parent of its parents (whose clock the line sees, if a tenant).
pub fn top_of(tx: &mut dyn ReadTx, id: ResellerId) -> crate::tx::StoreResult<ResellerId> {
    let mut top = id;
    let mut parent = tx.reseller(id)?.and_then(|r| r.parent);
    while let Some(above) = parent.filter(|p| *p != top) {
        top = above;
        parent = tx.reseller(above)?.and_then(|r| r.parent);
    }
    Ok(top)
}

/// A reseller `parent` signed up; any other id, or none, is refused alike,
/// so that no reseller learns of another's sub-resellers.
pub fn sub_reseller_of(
    tx: &mut dyn ReadTx,
    parent: ResellerId,
    reseller_id: ResellerId,
) -> Result<Reseller> {
    tx.reseller(reseller_id)?
        .filter(|r| r.parent == Some(parent))
        .ok_or_else(|| RuleError::UnknownSubReseller(reseller_id).into())
}

/// The reseller a call about `asked` is about: the caller itself when none
/// is named or it names itself, else one of the caller's sub-resellers.
pub fn viewed(
    tx: &mut dyn ReadTx,
    caller: ResellerId,
    asked: Option<ResellerId>,
) -> Result<ResellerId> {
    match asked {
        None => Ok(caller),
        Some(id) if id == caller => Ok(caller),
        Some(id) => Ok(sub_reseller_of(tx, caller, id)?.id),
    }
}

/// Suspends (`active` false) or reactivates one of the parent's
/// sub-resellers. A suspended reseller's key signs nothing in, and no
/// action of its own or of a reseller below it is charged while it is.
pub fn set_active(
    tx: &mut dyn WriteTx,
    parent: ResellerId,
    reseller_id: ResellerId,
    active: bool,
) -> Result<Reseller> {
    let mut reseller = sub_reseller_of(tx, parent, reseller_id)?;
    reseller.active = active;
    tx.update_reseller(&reseller)?;
    Ok(reseller)
}

/// What `resellers/modify-details` changes: only the fields that are `Some`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileChange {
    pub username: Option<String>,
    pub lang_pref: Option<String>,
    pub address1: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zipcode: Option<String>,
    pub phone_cc: Option<String>,
    pub phone: Option<String>,
    pub brand_name: Option<String>,
    pub website_url: Option<String>,
    pub tax_ids: Vec<(String, String)>,
    pub extras: crate::accounts::ExtrasChange,
}

/// Changes what is given of a sub-reseller's details; a username another
/// reseller has is refused.
pub fn modify(
    tx: &mut dyn WriteTx,
    parent: ResellerId,
    reseller_id: ResellerId,
    change: &ProfileChange,
) -> Result<()> {
    let mut reseller = sub_reseller_of(tx, parent, reseller_id)?;
    if let Some(username) = &change.username {
        let taken = tx
            .reseller_by_username(username)?
            .is_some_and(|other| other.id != reseller.id);
        if taken {
            return Err(RuleError::ResellerUsernameTaken(username.clone()).into());
        }
        reseller.username.clone_from(username);
    }
    let profile = &mut reseller.profile;
    for (field, given) in [
        (&mut profile.lang_pref, &change.lang_pref),
        (&mut profile.address1, &change.address1),
        (&mut profile.city, &change.city),
        (&mut profile.state, &change.state),
        (&mut profile.zipcode, &change.zipcode),
        (&mut profile.phone_cc, &change.phone_cc),
        (&mut profile.phone, &change.phone),
        (&mut profile.brand_name, &change.brand_name),
        (&mut profile.website_url, &change.website_url),
    ] {
        if let Some(value) = given {
            field.clone_from(value);
        }
    }
    for (name, value) in &change.tax_ids {
        profile.tax_ids.insert(name.clone(), value.clone());
    }
    change.extras.apply(&mut profile.extras);
    Ok(tx.update_reseller(&reseller)?)
}

/// Funds a parent adds to a sub-reseller's account
/// (`billing/add-reseller-fund`), once per `transaction-key` of the parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResellerReceipt {
    pub parent: ResellerId,
    pub reseller_id: ResellerId,
    pub amount: Money,
    pub transaction_key: String,
    pub description: String,
    /// Whether the amount counts in the sub-reseller's total receipts.
    pub counts_as_receipt: bool,
    /// A receipt or a credit note.
    pub kind: TransferKind,
    pub now: Epoch,
}

/// The receipts table names a customer; a sub-reseller's receipt names
/// none.
pub const NO_CUSTOMER: CustomerId = CustomerId(0);

/// Adds funds to a sub-reseller's account; answers its balance after.
pub fn add_funds(tx: &mut dyn WriteTx, receipt: &ResellerReceipt) -> Result<Money> {
    if receipt.amount <= Money::ZERO {
        return Err(RuleError::AmountNotPositive(receipt.amount).into());
    }
    let mut reseller = sub_reseller_of(tx, receipt.parent, receipt.reseller_id)?;
    let account = Account::Reseller(reseller.id);
    let taken = crate::accounts::Receipt {
        reseller_id: receipt.parent,
        customer_id: NO_CUSTOMER,
        amount: receipt.amount,
        transaction_key: receipt.transaction_key.clone(),
        description: receipt.description.clone(),
        counts_as_receipt: receipt.counts_as_receipt,
        kind: receipt.kind,
        now: receipt.now,
    };
    crate::accounts::take_funds(tx, &taken, account)?;
    if receipt.counts_as_receipt {
        reseller.profile.total_receipts += receipt.amount.0;
        tx.update_reseller(&reseller)?;
    }
    Ok(tx.balance(account)?)
}

/// Charges a sub-reseller's funds at once (`billing/add-reseller-debit-note`):
/// the amount moves to its parent's earnings. Funds that do not cover it
/// refuse it. Answers the sub-reseller's balance after.
pub fn add_debit_note(
    tx: &mut dyn WriteTx,
    parent: ResellerId,
    reseller_id: ResellerId,
    amount: Money,
    description: &str,
    now: Epoch,
) -> Result<Money> {
    if amount <= Money::ZERO {
        return Err(RuleError::AmountNotPositive(amount).into());
    }
    let reseller = sub_reseller_of(tx, parent, reseller_id)?;
    let account = Account::Reseller(reseller.id);
    let available = tx.balance(account)?;
    if available < amount {
        return Err(RuleError::ResellerFunds {
            needed: amount,
            available,
        }
        .into());
    }
    tx.transfer(
        account,
        Account::Earnings(parent),
        amount,
        TransferKind::DebitNote,
        &format!("Debit note: {description}"),
        now,
    )?;
    Ok(tx.balance(account)?)
}

/// Keeps a token of a reseller's own (`generate-token`), or a temporary
/// password of one of the caller's sub-resellers (`temp-password`).
pub fn issue_token(tx: &mut dyn WriteTx, caller: ResellerId, token: &Token) -> Result<()> {
    let reseller = viewed(tx, caller, Some(token.reseller_id))?;
    let kind_fits = match token.kind {
        TokenKind::ResellerSession => reseller == caller,
        TokenKind::ResellerTempPassword => reseller != caller,
        _ => false,
    };
    if !kind_fits || token.customer_id != NO_CUSTOMER {
        return Err(RuleError::NotAllowed.into());
    }
    Ok(tx.insert_token(token)?)
}

/// The reseller a session token signs in, if it has not expired and is
/// the caller's own or one of its sub-resellers'.
pub fn by_token(
    tx: &mut dyn ReadTx,
    caller: ResellerId,
    digest: &str,
    now: Epoch,
) -> Result<Reseller> {
    let token = tx
        .token(digest)?
        .filter(|t| t.kind == TokenKind::ResellerSession && t.expires >= now)
        .ok_or(RuleError::InvalidToken)?;
    let id = viewed(tx, caller, Some(token.reseller_id)).map_err(|_| RuleError::InvalidToken)?;
    tx.reseller(id)?
        .filter(|r| r.active)
        .ok_or_else(|| RuleError::InvalidToken.into())
}

/// What `resellers/search` filters on; every field given must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubResellerQuery {
    pub parent: ResellerId,
    pub ids: Vec<ResellerId>,
    pub username: Option<String>,
    /// Parts of the name and company; city and state whole, any case.
    pub name: Option<String>,
    pub company: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    /// `Active` or `Suspended`.
    pub statuses: Vec<&'static str>,
    pub created_from: Option<Epoch>,
    pub created_to: Option<Epoch>,
    pub receipts_from: Option<Money>,
    pub receipts_to: Option<Money>,
    pub page: Page,
}

/// A reseller's status as the vendor names it.
pub fn status(reseller: &Reseller) -> &'static str {
    if reseller.active {
        "Active"
    } else {
        "Suspended"
    }
}

/// The parent's sub-resellers that match, oldest first, a page of them.
pub fn search(tx: &mut dyn SearchTx, q: &SubResellerQuery) -> Result<Found<Reseller>> {
    let contains = |text: &str, part: &Option<String>| {
        part.as_ref()
            .is_none_or(|p| text.to_lowercase().contains(&p.to_lowercase()))
    };
    let same = |text: &str, whole: &Option<String>| {
        whole.as_ref().is_none_or(|w| text.eq_ignore_ascii_case(w))
    };
    let matching: Vec<Reseller> = tx
        .sub_resellers(q.parent)?
        .into_iter()
        .filter(|r| q.ids.is_empty() || q.ids.contains(&r.id))
        .filter(|r| q.username.as_ref().is_none_or(|u| &r.username == u))
        .filter(|r| contains(&r.name, &q.name) && contains(&r.profile.company, &q.company))
        .filter(|r| same(&r.profile.city, &q.city) && same(&r.profile.state, &q.state))
        .filter(|r| q.statuses.is_empty() || q.statuses.contains(&status(r)))
        .filter(|r| q.created_from.is_none_or(|t| r.created >= t))
        .filter(|r| q.created_to.is_none_or(|t| r.created <= t))
        .filter(|r| {
            let receipts = Money(r.profile.total_receipts);
            q.receipts_from.is_none_or(|m| receipts >= m)
                && q.receipts_to.is_none_or(|m| receipts <= m)
        })
        .collect();
    let total = matching.len() as u64;
    let records = matching
        .into_iter()
        .skip(usize::try_from(q.page.offset()).unwrap_or(usize::MAX))
        .take(q.page.records as usize)
        .collect();
    Ok(Found { total, records })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::PriceAction;
    use crate::ids::PlanId;

    #[test]
    fn a_sub_reseller_pays_its_parents_selling_price_and_sells_above_it() {
        let parent = Price {
            plan_id: PlanId(1),
            action: PriceAction::Add,
            months: 12,
            selling: Money(10_000),
            cost: Money(7_000),
        };
        let sub = price_from_parent(&parent);
        assert_eq!(sub.cost, Money(10_000));
        assert_eq!(sub.selling, Money(14_286));
        assert_eq!(
            (sub.plan_id, sub.action, sub.months),
            (PlanId(1), PriceAction::Add, 12)
        );
        assert_eq!(demo_selling(Money(7)), Money(10));
        assert_eq!(demo_selling(Money::ZERO), Money::ZERO);
    }
}
