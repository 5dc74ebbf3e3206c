//! `dns/*`: DNS hosting of a domain order: activation, records of each
//! type (add, update, delete), the SOA, and the search of a zone's records.

use super::Page;
use super::domains::HostName;
use crate::field::Count;
use crate::{Allowed, Field, Kind, ParamError};
use reseller_core::dns::RecordType;
use reseller_core::{DomainName, OrderId};

/// A record's host, relative to the zone: `@` or empty for the apex, else
/// labels of letters, digits, hyphens and underscores (`www`, `mail.eu`,
/// `_dmarc`), the first of which may be `*`. Kept lower-case, the apex as
/// empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordHost(pub String);

/// Whether `label` is one a host may have: 1 to 63 letters, digits,
/// hyphens and underscores, no hyphen at either end.
fn host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

impl Field for RecordHost {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let host = value.trim().to_ascii_lowercase();
        if host.is_empty() || host == "@" {
            return Ok(RecordHost(String::new()));
        }
        let fits = host.len() <= 190
            && host
                .split('.')
                .enumerate()
                .all(|(i, label)| (i == 0 && label == "*") || host_label(label));
        if fits {
            Ok(RecordHost(host))
        } else {
            Err(ParamError::invalid(name, value, Allowed::RecordHost))
        }
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// An SRV record's host: `_service._proto`, then any host below the apex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SrvHost(pub String);

impl Field for SrvHost {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let refused = || ParamError::invalid(name, value, Allowed::SrvHost);
        let host = RecordHost::parse(name, value).map_err(|_| refused())?.0;
        let mut labels = host.split('.');
        let service = labels.next().unwrap_or_default();
        let proto = labels.next().unwrap_or_default();
        let named = service.len() > 1 && service.starts_with('_') && !service[1..].contains('_');
        if named && ["_tcp", "_udp", "_tls", "_sctp"].contains(&proto) {
            Ok(SrvHost(host))
        } else {
            Err(refused())
        }
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// An A record's value: an IPv4 address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv4Value(pub std::net::Ipv4Addr);

impl Field for Ipv4Value {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        value
            .parse()
            .map(Ipv4Value)
            .map_err(|_| ParamError::invalid(name, value, Allowed::Ipv4Address))
    }
    fn encode(&self) -> String {
        self.0.to_string()
    }
}

/// An AAAA record's value: an IPv6 address, kept in its shortest form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv6Value(pub std::net::Ipv6Addr);

impl Field for Ipv6Value {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        value
            .parse()
            .map(Ipv6Value)
            .map_err(|_| ParamError::invalid(name, value, Allowed::Ipv6Address))
    }
    fn encode(&self) -> String {
        self.0.to_string()
    }
}

/// A TXT record's value: 1 to 1024 characters, none a control character
/// (the DNS server splits it into strings of 255 bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxtValue(pub String);

impl Field for TxtValue {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        if value.is_empty() || value.len() > 1024 {
            return Err(ParamError::invalid(name, value, Allowed::TxtValue));
        }
        if value.chars().any(char::is_control) {
            return Err(ParamError::invalid(
                name,
                value,
                Allowed::NoControlCharacters,
            ));
        }
        Ok(TxtValue(value.to_string()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A record's TTL in seconds.
pub type Ttl = Count<{ reseller_core::dns::MIN_TTL }, { reseller_core::dns::MAX_TTL }>;
/// An MX or SRV priority, an SRV weight or port.
pub type Short16 = Count<0, 65_535>;

crate::call! {
    /// `dns/activate`: starts the zone of a domain order.
    POST "dns/activate" => Fields(&["status", "zoneid"]);
    pub struct Activate {
        required order_id: OrderId = "order-id",
    }
}

/// The three calls of a record type whose value is one field: add, update
/// and delete.
macro_rules! record_calls {
    ($value:ty, $add:ident = $add_path:literal, $update:ident = $update_path:literal,
     $delete:ident = $delete_path:literal) => {
        crate::call! {
            #[doc = concat!("`", $add_path, "`.")]
            POST $add_path => Fields(&["status", "msg"]);
            pub struct $add {
                required domain_name: DomainName = "domain-name",
                optional host: RecordHost = "host",
                required value: $value = "value",
                optional ttl: Ttl = "ttl",
            }
        }
        crate::call! {
            #[doc = concat!("`", $update_path, "`.")]
            POST $update_path => Fields(&["status", "msg"]);
            pub struct $update {
                required domain_name: DomainName = "domain-name",
                optional host: RecordHost = "host",
                required current_value: $value = "current-value",
                required new_value: $value = "new-value",
                optional ttl: Ttl = "ttl",
            }
        }
        crate::call! {
            #[doc = concat!("`", $delete_path, "`.")]
            POST $delete_path => Fields(&["status", "msg"]);
            pub struct $delete {
                required domain_name: DomainName = "domain-name",
                optional host: RecordHost = "host",
                required value: $value = "value",
            }
        }
    };
}

record_calls!(
    Ipv4Value,
    AddIpv4 = "dns/manage/add-ipv4-record",
    UpdateIpv4 = "dns/manage/update-ipv4-record",
    DeleteIpv4 = "dns/manage/delete-ipv4-record"
);
record_calls!(
    Ipv6Value,
    AddIpv6 = "dns/manage/add-ipv6-record",
    UpdateIpv6 = "dns/manage/update-ipv6-record",
    DeleteIpv6 = "dns/manage/delete-ipv6-record"
);
record_calls!(
    HostName,
    AddCname = "dns/manage/add-cname-record",
    UpdateCname = "dns/manage/update-cname-record",
    DeleteCname = "dns/manage/delete-cname-record"
);
record_calls!(
    HostName,
    AddNs = "dns/manage/add-ns-record",
    UpdateNs = "dns/manage/update-ns-record",
    DeleteNs = "dns/manage/delete-ns-record"
);
record_calls!(
    TxtValue,
    AddTxt = "dns/manage/add-txt-record",
    UpdateTxt = "dns/manage/update-txt-record",
    DeleteTxt = "dns/manage/delete-txt-record"
);

crate::call! {
    /// `dns/manage/add-mx-record`: `priority` 10 unless given.
    POST "dns/manage/add-mx-record" => Fields(&["status", "msg"]);
    pub struct AddMx {
        required domain_name: DomainName = "domain-name",
        optional host: RecordHost = "host",
        required value: HostName = "value",
        optional ttl: Ttl = "ttl",
        optional priority: Short16 = "priority",
    }
}

crate::call! {
    /// `dns/manage/update-mx-record`.
    POST "dns/manage/update-mx-record" => Fields(&["status", "msg"]);
    pub struct UpdateMx {
        required domain_name: DomainName = "domain-name",
        optional host: RecordHost = "host",
        required current_value: HostName = "current-value",
        required new_value: HostName = "new-value",
        optional ttl: Ttl = "ttl",
        optional priority: Short16 = "priority",
    }
}

crate::call! {
    /// `dns/manage/delete-mx-record`.
    POST "dns/manage/delete-mx-record" => Fields(&["status", "msg"]);
    pub struct DeleteMx {
        required domain_name: DomainName = "domain-name",
        optional host: RecordHost = "host",
        required value: HostName = "value",
    }
}

crate::call! {
    /// `dns/manage/add-srv-record`: its host is `_service._proto[.name]`.
    POST "dns/manage/add-srv-record" => Fields(&["status", "msg"]);
    pub struct AddSrv {
        required domain_name: DomainName = "domain-name",
        required host: SrvHost = "host",
        required value: HostName = "value",
        optional ttl: Ttl = "ttl",
        required priority: Short16 = "priority",
        required port: Short16 = "port",
        required weight: Short16 = "weight",
    }
}

crate::call! {
    /// `dns/manage/update-srv-record`.
    POST "dns/manage/update-srv-record" => Fields(&["status", "msg"]);
    pub struct UpdateSrv {
        required domain_name: DomainName = "domain-name",
        required host: SrvHost = "host",
        required current_value: HostName = "current-value",
        required new_value: HostName = "new-value",
        optional ttl: Ttl = "ttl",
        optional priority: Short16 = "priority",
        optional port: Short16 = "port",
        optional weight: Short16 = "weight",
    }
}

crate::call! {
    /// `dns/manage/delete-srv-record`: `port` and `weight` as clients send
    /// them; the host and value name the record.
    POST "dns/manage/delete-srv-record" => Fields(&["status", "msg"]);
    pub struct DeleteSrv {
        required domain_name: DomainName = "domain-name",
        required host: SrvHost = "host",
        required value: HostName = "value",
        optional port: Short16 = "port",
        optional weight: Short16 = "weight",
    }
}

crate::call! {
    /// `dns/manage/update-soa-record`.
    POST "dns/manage/update-soa-record" => Fields(&["status", "msg"]);
    pub struct UpdateSoa {
        required domain_name: DomainName = "domain-name",
        required responsible_person: Mailbox = "responsible-person",
        required refresh: Count<3_600, 86_400> = "refresh",
        required retry: Count<600, 86_400> = "retry",
        required expire: Count<86_400, 2_592_000> = "expire",
        required ttl: Ttl = "ttl",
    }
}

/// The SOA's responsible person: an email address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox(pub String);

impl Field for Mailbox {
    const KIND: Kind = Kind::Email;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        crate::calls::customers::email(name, value, 128).map(Mailbox)
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A record type as `search-records` and `delete-record` name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeOfRecord(pub RecordType);

fn record_type_names() -> Vec<&'static str> {
    RecordType::ALL.iter().map(|t| t.name()).collect()
}

impl Field for TypeOfRecord {
    const KIND: Kind = Kind::OneOf(record_type_names);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        RecordType::from_name(value)
            .map(TypeOfRecord)
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::OneOf(&record_type_names())))
    }
    fn encode(&self) -> String {
        self.0.name().to_string()
    }
}

crate::call! {
    /// `dns/manage/search-records`: a page of a zone's records of a type.
    GET "dns/manage/search-records" => Search;
    pub struct SearchRecords {
        required domain_name: DomainName = "domain-name",
        required record_type: TypeOfRecord = "type",
        optional host: RecordHost = "host",
        optional value: String = "value",
        group page: Page,
    }
}

crate::call! {
    /// `dns/manage/delete-record`: the records of a host with a value, of
    /// the type given or of any.
    POST "dns/manage/delete-record" => Fields(&["status", "msg"]);
    pub struct DeleteRecord {
        required domain_name: DomainName = "domain-name",
        optional host: RecordHost = "host",
        required value: String = "value",
        optional record_type: TypeOfRecord = "type",
    }
}
