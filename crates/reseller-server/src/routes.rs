//! The route table: every API call by its path below `/api/` (without the
//! `.json`/`.xml` suffix), with its HTTP method and handler. Each category
//! module lists its own routes; spellings the seeds print are aliases here.

use crate::AppState;
use crate::wire::reply::Reply;
use crate::wire::{ApiError, Params};
use axum::http::Method;
use reseller_core::ResellerId;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// One authenticated API call.
pub struct Call {
    pub state: AppState,
    pub reseller_id: ResellerId,
    pub params: Params,
}

pub type Answer = Pin<Box<dyn Future<Output = Result<Reply, ApiError>> + Send>>;
/// A call's handler; it may capture what it serves (a product's spec).
pub type Handler = Arc<dyn Fn(Call) -> Answer + Send + Sync>;

#[derive(Clone, Copy)]
pub enum Verb {
    /// Reads; `HEAD` is answered wherever `GET` is.
    Get,
    /// Everything that creates, changes or deletes.
    Post,
    /// Calls the vendor's clients send both ways (the customer token calls).
    GetOrPost,
}

#[derive(Clone)]
pub struct Route {
    pub verb: Verb,
    pub handler: Handler,
}

impl Route {
    pub fn method_name(&self) -> &'static str {
        match self.verb {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::GetOrPost => "GET or POST",
        }
    }

    pub fn allows(&self, method: &Method) -> bool {
        let read = *method == Method::GET || *method == Method::HEAD;
        match self.verb {
            Verb::Get => read,
            Verb::Post => *method == Method::POST,
            Verb::GetOrPost => read || *method == Method::POST,
        }
    }
}

pub type RouteTable = HashMap<String, Route>;

/// Adds routes to a table.
pub struct Routes<'t> {
    table: &'t mut RouteTable,
}

impl Routes<'_> {
    pub fn get(
        &mut self,
        path: &str,
        handler: impl Fn(Call) -> Answer + Send + Sync + 'static,
    ) -> &mut Self {
        self.add(path, Verb::Get, Arc::new(handler))
    }

    pub fn post(
        &mut self,
        path: &str,
        handler: impl Fn(Call) -> Answer + Send + Sync + 'static,
    ) -> &mut Self {
        self.add(path, Verb::Post, Arc::new(handler))
    }

    pub fn get_or_post(
        &mut self,
        path: &str,
        handler: impl Fn(Call) -> Answer + Send + Sync + 'static,
    ) -> &mut Self {
        self.add(path, Verb::GetOrPost, Arc::new(handler))
    }

    fn add(&mut self, path: &str, verb: Verb, handler: Handler) -> &mut Self {
        let previous = self.table.insert(path.to_string(), Route { verb, handler });
        assert!(previous.is_none(), "route {path} is defined twice");
        self
    }
}

pub fn table() -> RouteTable {
    let mut table = RouteTable::new();
    let mut routes = Routes { table: &mut table };
    crate::api::customers::routes(&mut routes);
    crate::api::billing::routes(&mut routes);
    crate::api::actions::routes(&mut routes);
    crate::api::products::routes(&mut routes);
    crate::api::standard::routes(&mut routes);
    crate::api::backup::routes(&mut routes);
    crate::api::email::routes(&mut routes);
    crate::api::managed::routes(&mut routes);
    crate::api::orders::routes(&mut routes);
    crate::api::contacts::routes(&mut routes);
    crate::api::domains::routes(&mut routes);
    crate::api::resellers::routes(&mut routes);
    table
}
