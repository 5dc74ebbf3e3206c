//! The route table: every API call by its path below `/api/` (without the
//! `.json`/`.xml` suffix), with its HTTP method and handler. Each category
//! module lists its own routes; spellings the seeds print are aliases here.

use crate::AppState;
use crate::wire::reply::Reply;
use crate::wire::{ApiError, Params};
use axum::http::Method;
use reseller_api::{Call as ApiCall, declaration};
pub use reseller_api::{Kind, Param, Shape, Verb};
use reseller_core::ResellerId;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What a handler is given beside its parsed request.
pub struct Call {
    pub state: AppState,
    pub reseller_id: ResellerId,
    /// The time the call sees: its tenant's clock, or the global one.
    pub now: i64,
}

pub type Answer = Pin<Box<dyn Future<Output = Result<Reply, ApiError>> + Send>>;
/// A route's handler: it parses the request's parameters into the call's
/// type, then runs what was registered with it.
pub type Handler = Arc<dyn Fn(Call, &Params) -> Answer + Send + Sync>;

/// Whether a reply has the shape its call declares.
pub fn fits(shape: Shape, reply: &Reply) -> bool {
    match (shape, reply) {
        (Shape::Action, Reply::Map(fields)) => ["entityid", "actiontype", "eaqid"]
            .iter()
            .all(|key| fields.iter().any(|(k, _)| k == key)),
        (Shape::Search, Reply::Map(fields)) => fields.iter().any(|(k, _)| k == "recsindb"),
        (Shape::ListedSearch, Reply::Map(fields)) => fields
            .iter()
            .any(|(k, v)| k == "result" && matches!(v, Reply::List(_))),
        (Shape::Fields(keys), Reply::Map(fields)) => {
            keys.iter().all(|key| fields.iter().any(|(k, _)| k == key))
        }
        (Shape::Keyed, Reply::Map(_)) => true,
        (Shape::Int, Reply::Int(_)) => true,
        (Shape::Text, Reply::Text(_) | Reply::Id(_)) => true,
        (Shape::Bool, Reply::Bool(_)) => true,
        (Shape::List, Reply::List(_)) => true,
        (Shape::Word, Reply::Word(_)) => true,
        _ => false,
    }
}

#[derive(Clone)]
pub struct Route {
    pub verb: Verb,
    pub handler: Handler,
    /// What the call takes; anything else is refused before the handler runs.
    pub params: Arc<[Param]>,
    pub reply: Shape,
    /// Its reply's schema, where a reply type reads it.
    pub reply_schema: Option<serde_json::Value>,
}

impl Route {
    /// A read is answered by GET and, as the vendor's clients send reads
    /// that way too, by POST; a change only by POST.
    pub fn method_name(&self) -> &'static str {
        match self.verb {
            Verb::Get | Verb::GetOrPost => "GET or POST",
            Verb::Post => "POST",
        }
    }

    /// The methods as an `Allow` header lists them.
    pub fn allow_header(&self) -> &'static str {
        match self.verb {
            Verb::Get | Verb::GetOrPost => "GET, HEAD, POST",
            Verb::Post => "POST",
        }
    }

    pub fn allows(&self, method: &Method) -> bool {
        let read = *method == Method::GET || *method == Method::HEAD;
        match self.verb {
            Verb::Get | Verb::GetOrPost => read || *method == Method::POST,
            Verb::Post => *method == Method::POST,
        }
    }
}

pub type RouteTable = HashMap<String, Route>;

/// Adds routes to a table.
pub struct Routes<'t> {
    table: &'t mut RouteTable,
}

impl Routes<'_> {
    /// Registers a call at its own path: its parameters, method and reply
    /// come from its type, and its handler receives it parsed.
    pub fn call<C, F, Fut>(&mut self, handler: F) -> &mut Self
    where
        C: ApiCall + Send + 'static,
        F: Fn(Call, C) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Reply, ApiError>> + Send + 'static,
    {
        assert!(
            !C::PATH.starts_with("*/"),
            "{} is a product's call",
            C::PATH
        );
        self.call_at(C::PATH, handler)
    }

    /// Registers a call at another path: a product's call below one of its
    /// prefixes (`*/add` at `backup/us/add`), or a spelling the vendor also
    /// prints.
    pub fn call_at<C, F, Fut>(&mut self, path: &str, handler: F) -> &mut Self
    where
        C: ApiCall + Send + 'static,
        F: Fn(Call, C) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Reply, ApiError>> + Send + 'static,
    {
        if let Some(name) = C::PATH.strip_prefix('*') {
            assert!(path.ends_with(name), "{path} is not {}", C::PATH);
        }
        let route = Route {
            verb: C::VERB,
            handler: Arc::new(move |call: Call, params: &Params| -> Answer {
                match C::parse(params) {
                    Ok(request) => Box::pin(handler(call, request)),
                    Err(refused) => Box::pin(std::future::ready(Err(refused.into()))),
                }
            }),
            params: declaration::<C>().into(),
            reply: C::REPLY,
            reply_schema: C::reply_schema(),
        };
        let previous = self.table.insert(path.to_string(), route);
        assert!(previous.is_none(), "route {path} is defined twice");
        self
    }
}

pub fn table() -> RouteTable {
    let mut table = RouteTable::new();
    let mut routes = Routes { table: &mut table };
    crate::api::customers::routes(&mut routes);
    crate::api::billing::routes(&mut routes);
    crate::api::commons::routes(&mut routes);
    crate::api::pg::routes(&mut routes);
    crate::api::preorders::routes(&mut routes);
    crate::api::actions::routes(&mut routes);
    crate::api::products::routes(&mut routes);
    crate::api::standard::routes(&mut routes);
    crate::api::backup::routes(&mut routes);
    crate::api::email::routes(&mut routes);
    crate::api::managed::routes(&mut routes);
    crate::api::orders::routes(&mut routes);
    crate::api::contacts::routes(&mut routes);
    crate::api::domains::routes(&mut routes);
    crate::api::dns::routes(&mut routes);
    crate::api::forwarding::routes(&mut routes);
    crate::api::mail::routes(&mut routes);
    crate::api::hosting::routes(&mut routes);
    crate::api::ssl::routes(&mut routes);
    crate::api::resellers::routes(&mut routes);
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_route_declares_a_parameter_twice() {
        for (path, route) in table() {
            for (i, param) in route.params.iter().enumerate() {
                assert!(
                    !route.params[i + 1..].iter().any(|p| p.name == param.name),
                    "{path} declares {} twice",
                    param.name
                );
            }
        }
    }
}
