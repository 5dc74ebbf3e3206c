//! `domainforward/*`: a domain's web address forwarded to another URL.

use crate::{Allowed, Field, Kind, ParamError};
use reseller_core::{DomainName, OrderId};

/// A destination: an `http` or `https` URL with a host, at most 2048
/// characters, no spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForwardUrl(pub String);

impl Field for ForwardUrl {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let rest = value
            .strip_prefix("http://")
            .or_else(|| value.strip_prefix("https://"));
        let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
        let fits = value.len() <= 2048
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
            && host.is_some_and(|h| !h.is_empty());
        if fits {
            Ok(ForwardUrl(value.to_string()))
        } else {
            Err(ParamError::invalid(name, value, Allowed::ForwardUrl))
        }
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A sub-domain's prefix: labels under the domain (`blog`, `eu.shop`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubDomainPrefix(pub String);

impl Field for SubDomainPrefix {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let host = super::dns::RecordHost::parse(name, value)
            .map_err(|_| ParamError::invalid(name, value, Allowed::SubDomainPrefix))?;
        if host.0.is_empty() || host.0.split('.').any(|l| l == "*") {
            return Err(ParamError::invalid(name, value, Allowed::SubDomainPrefix));
        }
        Ok(SubDomainPrefix(host.0))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// The masking page's `<meta>` tags: nothing but `<meta ...>` elements
/// (no other markup), at most 2048 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaTags(pub String);

impl Field for MetaTags {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let only_meta = value.split_inclusive('>').all(|piece| {
            let piece = piece.trim();
            piece.is_empty()
                || (piece.len() > 6
                    && piece[..6].eq_ignore_ascii_case("<meta ")
                    && piece.ends_with('>')
                    && piece.matches('<').count() == 1)
        });
        if value.len() <= 2048 && only_meta && !value.chars().any(char::is_control) {
            Ok(MetaTags(value.to_string()))
        } else {
            Err(ParamError::invalid(name, value, Allowed::MetaTags))
        }
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

crate::call! {
    /// `domainforward/activate`: starts forwarding of a domain order.
    POST "domainforward/activate" => Fields(&["status"]);
    pub struct Activate {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `domainforward/manage`: sets the domain's forwarding, or a
    /// sub-domain's with `sub-domain-prefix`.
    POST "domainforward/manage" => Fields(&["status"]);
    pub struct Manage {
        required order_id: OrderId = "order-id",
        optional sub_domain_prefix: SubDomainPrefix = "sub-domain-prefix",
        optional forward_to: ForwardUrl = "forward-to",
        optional url_masking: bool = "url-masking",
        optional meta_tags: MetaTags = "meta-tags",
        optional noframes: crate::field::Short<1024> = "noframes",
        optional sub_domain_forwarding: bool = "sub-domain-forwarding",
        optional path_forwarding: bool = "path-forwarding",
    }
}

crate::call! {
    /// `domainforward/details`.
    GET "domainforward/details" => Fields(&["domainname", "forward", "urlmasking"]);
    pub struct Details {
        required order_id: OrderId = "order-id",
        optional include_subdomain: bool = "include-subdomain",
    }
}

crate::call! {
    /// `domainforward/dns-records`: what to point at the forwarding service.
    GET "domainforward/dns-records" => List;
    pub struct DnsRecords {
        required domain_name: DomainName = "domain-name",
    }
}

crate::call! {
    /// `domainforward/delete`: a bare `true`.
    POST "domainforward/delete" => Bool;
    pub struct Delete {
        required domain_name: DomainName = "domain-name",
    }
}

crate::call! {
    /// `domainforward/sub-domain-record/delete`: a bare `true`.
    POST "domainforward/sub-domain-record/delete" => Bool;
    pub struct DeleteSubDomain {
        required order_id: OrderId = "order-id",
        required sub_domain_prefix: SubDomainPrefix = "sub-domain-prefix",
    }
}
