//! The route table: every API call by its path below `/api/` (without the
//! `.json`/`.xml` suffix), with its HTTP method and handler. Each category
//! module lists its own routes; spellings the seeds print are aliases here.

use crate::AppState;
use crate::wire::reply::Reply;
use crate::wire::{ApiError, Params};
use axum::http::Method;
use reseller_core::ResellerId;
pub use reseller_api::{Kind, Param, Shape, Verb};
use reseller_api::{Call as ApiCall, declaration};
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

/// A parameter the call cannot do without.
pub const fn required(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        required: true,
        repeated: false,
        numbered: false,
    }
}

/// A parameter that may be left out.
pub const fn optional(name: &'static str, kind: Kind) -> Param {
    Param {
        required: false,
        ..required(name, kind)
    }
}

/// A parameter given once per value, none or more times.
pub const fn repeated(name: &'static str, kind: Kind) -> Param {
    Param {
        repeated: true,
        ..optional(name, kind)
    }
}

/// A parameter given once per value, at least once.
pub const fn one_or_more(name: &'static str, kind: Kind) -> Param {
    Param {
        required: true,
        ..repeated(name, kind)
    }
}

/// A parameter given as `name1`, `name2`, ... numbered without gaps.
pub const fn numbered(name: &'static str, kind: Kind) -> Param {
    Param {
        numbered: true,
        ..optional(name, kind)
    }
}

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
    /// Declared with `answers`; every route has one (tested).
    pub reply: Option<Shape>,
}

impl Route {
    pub fn method_name(&self) -> &'static str {
        match self.verb {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::GetOrPost => "GET or POST",
        }
    }

    /// The methods as an `Allow` header lists them.
    pub fn allow_header(&self) -> &'static str {
        match self.verb {
            Verb::Get => "GET, HEAD",
            Verb::Post => "POST",
            Verb::GetOrPost => "GET, HEAD, POST",
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
    last: Option<String>,
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

    /// Registers a call at its own path: its parameters, method and reply
    /// come from its type, and its handler receives it parsed.
    pub fn call<C, F, Fut>(&mut self, handler: F) -> &mut Self
    where
        C: ApiCall + Send + 'static,
        F: Fn(Call, C) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Reply, ApiError>> + Send + 'static,
    {
        assert!(!C::PATH.starts_with("*/"), "{} is a product's call", C::PATH);
        self.call_at(C::PATH, handler)
    }

    /// Registers a call at another path: a spelling the vendor also
    /// prints, or a product's call below one of its prefixes (`*/add` at
    /// `backup/us/add`).
    pub fn call_at<C, F, Fut>(&mut self, path: &str, handler: F) -> &mut Self
    where
        C: ApiCall + Send + 'static,
        F: Fn(Call, C) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Reply, ApiError>> + Send + 'static,
    {
        if let Some(name) = C::PATH.strip_prefix('*') {
            assert!(path.ends_with(name), "{path} is not {}", C::PATH);
        }
        let handler = Arc::new(handler);
        let route = Route {
            verb: C::VERB,
            handler: Arc::new(move |call: Call| -> Answer {
                match C::parse(&call.params) {
                    Ok(request) => Box::pin(handler(call, request)),
                    Err(refused) => Box::pin(std::future::ready(Err(refused.into()))),
                }
            }),
            params: declaration::<C>().into(),
            reply: Some(C::REPLY),
        };
        self.insert(path, route)
    }

    fn add(&mut self, path: &str, verb: Verb, handler: Handler) -> &mut Self {
        let route = Route {
            verb,
            handler,
            params: Arc::new([]),
            reply: None,
        };
        self.insert(path, route)
    }

    fn insert(&mut self, path: &str, route: Route) -> &mut Self {
        let previous = self.table.insert(path.to_string(), route);
        assert!(previous.is_none(), "route {path} is defined twice");
        self.last = Some(path.to_string());
        self
    }

    fn last(&mut self) -> &mut Route {
        let path = self.last.as_ref().expect("a route added before");
        self.table.get_mut(path).expect("the route added last")
    }

    /// Declares parameters of the route added last; called again, adds more.
    pub fn takes(&mut self, params: &[Param]) -> &mut Self {
        let route = self.last();
        let mut all = route.params.to_vec();
        for param in params {
            assert!(
                !all.iter().any(|p| p.name == param.name),
                "parameter {} declared twice",
                param.name
            );
            all.push(*param);
        }
        route.params = all.into();
        self
    }

    /// Declares the reply of the route added last.
    pub fn answers(&mut self, shape: Shape) -> &mut Self {
        self.last().reply = Some(shape);
        self
    }
}

pub fn table() -> RouteTable {
    let mut table = RouteTable::new();
    let mut routes = Routes {
        table: &mut table,
        last: None,
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_declares_its_reply_and_no_parameter_twice() {
        for (path, route) in table() {
            assert!(route.reply.is_some(), "{path} declares no reply");
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
