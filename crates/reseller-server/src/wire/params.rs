//! Request parameters: merged from the query string and a form body, keys
//! repeated for arrays (`order-id=1&order-id=2`, also `order-id[0]=1`).
//! A call's type reads its fields from here (`reseller_api::Params::parse`);
//! the wire layer first refuses whatever the call does not declare.

use super::error::ApiError;
use crate::routes::Param;
use reseller_api::Source;
use reseller_api::params::key_is;
use std::sync::Arc;

/// Whether a key could be a parameter's name: letters, digits, `-`, `_`,
/// and the brackets of array forms, at most 64 of them.
pub fn name_like(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'[' | b']'))
}

#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
    /// What the call declares it takes, once the wire layer has checked
    /// the parameters against it.
    declared: Option<Arc<[Param]>>,
}

/// The credentials every call takes.
const CREDENTIALS: [&str; 2] = ["auth-userid", "api-key"];

impl Source for Params {
    fn values(&self, name: &str) -> Vec<&str> {
        self.check_declared(name);
        self.pairs.as_slice().values(name)
    }
}

impl Params {
    pub fn parse(query: &str, body: &[u8]) -> Params {
        let pairs = form_urlencoded::parse(query.as_bytes())
            .chain(form_urlencoded::parse(body))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Params {
            pairs,
            declared: None,
        }
    }

    /// Refuses any parameter the call does not declare (beyond the
    /// credentials), so that a filter it does not know is never silently
    /// ignored; then holds the declaration, against which every read is
    /// checked in debug builds.
    pub fn declare(&mut self, declared: Arc<[Param]>) -> Result<(), ApiError> {
        let known = |key: &str| {
            CREDENTIALS.iter().any(|name| key_is(key, name))
                || declared.iter().any(|param| param.names(key))
        };
        if let Some((key, _)) = self.pairs.iter().find(|(key, _)| !known(key)) {
            let names: Vec<String> = declared.iter().map(Param::shown).collect();
            return Err(ApiError::UnsupportedParam {
                // A key that is no name (a JSON text sent as a form, say)
                // may hold anything, a secret too: it is not echoed.
                name: if name_like(key) {
                    key.to_string()
                } else {
                    "(not a parameter name)".to_string()
                },
                allowed: if names.is_empty() {
                    "none beyond auth-userid and api-key".to_string()
                } else {
                    names.join(", ")
                },
            });
        }
        self.declared = Some(declared);
        Ok(())
    }

    /// Every read names a declared parameter: a call's type that read one
    /// it does not declare could never be given it, as the wire layer
    /// refuses it. The whole test suite runs with this check.
    fn check_declared(&self, name: &str) {
        if let Some(declared) = &self.declared {
            debug_assert!(
                CREDENTIALS.contains(&name) || declared.iter().any(|p| p.names(name)),
                "parameter {name} is read but not declared"
            );
        }
    }

    /// The single value of a credential, if given and not empty.
    pub fn credential(&self, name: &'static str) -> Result<Option<&str>, ApiError> {
        Ok(reseller_api::single_value(name, &self.values(name))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reseller_api::Kind;

    #[test]
    fn query_and_body_merge_and_keys_repeat() {
        let p = Params::parse("order-id=1&months=3", b"order-id=2&order-id%5B0%5D=3");
        assert_eq!(p.values("order-id"), ["1", "2", "3"]);
        assert_eq!(p.values("months"), ["3"]);
    }

    #[test]
    fn an_undeclared_parameter_is_refused_by_name_with_what_the_call_takes() {
        let mut p = Params::parse("auth-userid=1&api-key=k&order-id=1&order_id=2", b"");
        let refused = p
            .declare(Arc::new([Param::required("order-id", Kind::Id)]))
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Unsupported parameter: order_id. This call takes order-id"
        );
    }
}
