//! `resellers/details`: the calling reseller's own account.

use crate::{Client, Result, int_of, text_of};

/// A reseller as `resellers/details` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reseller {
    pub id: i64,
    pub parent_id: i64,
    pub name: String,
    pub company: String,
    pub status: String,
}

/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// let me = client.resellers().details().await?;
/// println!("{} ({})", me.company, me.status);
/// # Ok(())
/// # }
/// ```
pub struct Resellers<'c> {
    pub(crate) client: &'c Client,
}

impl Resellers<'_> {
    /// `resellers/details` of the caller.
    pub async fn details(&self) -> Result<Reseller> {
        let reply = self
            .client
            .call(&reseller_api::calls::resellers::Details { reseller_id: None })
            .await?;
        Ok(Reseller {
            id: int_of(&reply, "resellerid")?,
            parent_id: int_of(&reply, "parentid")?,
            name: text_of(&reply, "name")?,
            company: text_of(&reply, "company")?,
            status: text_of(&reply, "resellerstatus")?,
        })
    }
}
