//! `actions/*`: what was done to the reseller's orders, newest first.

use crate::ActionRecord;
use crate::customers::core_id;
use crate::{Client, CustomerId, Page, Result};
use reseller_api::calls::actions as calls;
use reseller_core::OrderId;

/// What an action search asks: a page; filters left empty match all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionSearch {
    pub records: u32,
    pub page: u32,
    pub order_ids: Vec<i64>,
    pub customer_ids: Vec<CustomerId>,
    /// `Add`, `Renew`, `Delete`, ...
    pub action_types: Vec<String>,
    /// `Success`, `Failed`, `PendingExecution`, ...
    pub action_statuses: Vec<String>,
}

impl Default for ActionSearch {
    fn default() -> ActionSearch {
        ActionSearch {
            records: 10,
            page: 1,
            order_ids: Vec::new(),
            customer_ids: Vec::new(),
            action_types: Vec::new(),
            action_statuses: Vec::new(),
        }
    }
}

/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// use reseller_client::ActionSearch;
/// let renewals = client
///     .actions()
///     .search_current(&ActionSearch {
///         order_ids: vec![7],
///         action_types: vec!["Renew".into()],
///         ..ActionSearch::default()
///     })
///     .await?;
/// println!("{} renewals", renewals.total);
/// # Ok(())
/// # }
/// ```
pub struct Actions<'c> {
    pub(crate) client: &'c Client,
}

impl Actions<'_> {
    /// `actions/search-current`: every action.
    pub async fn search_current(&self, search: &ActionSearch) -> Result<Page<ActionRecord>> {
        let asked = calls::SearchCurrent {
            of: of(search),
            action_status: words("action-status", &search.action_statuses)?,
            action_type: words("action-type", &search.action_types)?,
        };
        Page::from_reply(
            &self.client.call(&asked).await?,
            crate::read::<ActionRecord>,
        )
    }

    /// `actions/search-archived`: the actions that are over.
    pub async fn search_archived(&self, search: &ActionSearch) -> Result<Page<ActionRecord>> {
        let asked = calls::SearchArchived {
            of: of(search),
            action_status: words("action-status", &search.action_statuses)?,
            action_type: words("action-type", &search.action_types)?,
        };
        Page::from_reply(
            &self.client.call(&asked).await?,
            crate::read::<ActionRecord>,
        )
    }
}

/// Whose actions a search asks for, on which page.
fn of(search: &ActionSearch) -> calls::ActionsOf {
    calls::ActionsOf {
        page: crate::orders::page(search.records, search.page),
        eaq_id: Vec::new(),
        order_id: search.order_ids.iter().map(|id| OrderId(*id)).collect(),
        customer_id: search.customer_ids.iter().map(|id| core_id(*id)).collect(),
    }
}

/// Words given as text, each refused here as the server would refuse it.
fn words<T: reseller_api::Field>(name: &'static str, given: &[String]) -> Result<Vec<T>> {
    given.iter().map(|word| crate::wire(name, word)).collect()
}
