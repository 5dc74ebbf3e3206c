//! `actions/*`: the searches of actions, current and archived.

use super::Page;
use crate::{Allowed, Field, Kind, ParamError};
use reseller_core::catalogue::action_kinds;
use reseller_core::model::{ActionKind, ActionStatus};
use reseller_core::{ActionId, CustomerId, OrderId};

/// The statuses an archived action may have.
pub const FINISHED: [ActionStatus; 2] = [ActionStatus::Success, ActionStatus::Failed];

fn statuses() -> Vec<&'static str> {
    ActionStatus::ALL.iter().map(|s| s.as_str()).collect()
}

fn finished() -> Vec<&'static str> {
    FINISHED.iter().map(|s| s.as_str()).collect()
}

fn kinds() -> Vec<&'static str> {
    action_kinds().iter().map(|k| k.as_str()).collect()
}

/// Reads one of `allowed`, by its wire text.
fn one_of<T: Copy>(
    name: &'static str,
    value: &str,
    allowed: &[T],
    text: fn(T) -> &'static str,
) -> Result<T, ParamError> {
    allowed
        .iter()
        .copied()
        .find(|v| text(*v) == value)
        .ok_or_else(|| {
            let texts: Vec<&str> = allowed.iter().map(|v| text(*v)).collect();
            ParamError::invalid(name, value, Allowed::OneOf(&texts))
        })
}

impl Field for ActionStatus {
    const KIND: Kind = Kind::OneOf(statuses);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        one_of(name, value, &ActionStatus::ALL, ActionStatus::as_str)
    }
    fn encode(&self) -> String {
        self.as_str().to_string()
    }
}

/// The status of an action that has ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finished(pub ActionStatus);

impl Field for Finished {
    const KIND: Kind = Kind::OneOf(finished);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        one_of(name, value, &FINISHED, ActionStatus::as_str).map(Finished)
    }
    fn encode(&self) -> String {
        self.0.as_str().to_string()
    }
}

/// A kind of action some product of the catalogue creates.
impl Field for ActionKind {
    const KIND: Kind = Kind::OneOf(kinds);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        one_of(name, value, &action_kinds(), ActionKind::as_str)
    }
    fn encode(&self) -> String {
        self.as_str().to_string()
    }
}

crate::params! {
    /// A page of actions and whose they are, which both searches take.
    pub struct ActionsOf {
        group page: Page,
        repeated eaq_id: ActionId = "eaq-id",
        repeated order_id: OrderId = "order-id",
        repeated customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `actions/search-current`: actions of any status.
    GET "actions/search-current" => Search;
    pub struct SearchCurrent {
        group of: ActionsOf,
        repeated action_status: ActionStatus = "action-status",
        repeated action_type: ActionKind = "action-type",
    }
}

crate::call! {
    /// `actions/search-archived`: actions that have ended.
    GET "actions/search-archived" => Search;
    pub struct SearchArchived {
        group of: ActionsOf,
        repeated action_status: Finished = "action-status",
        repeated action_type: ActionKind = "action-type",
    }
}
