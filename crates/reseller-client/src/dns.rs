//! `dns/*`: a domain's hosted zone, typed. Every call is also sent as is
//! with `Client::call` and the types of `reseller_api::calls::dns`.

use crate::orders::{Page, page};
use crate::{Client, Result, int_of, text_of};
use reseller_api::calls::dns as calls;
use reseller_api::calls::domains::HostName;
use reseller_core::OrderId;
pub use reseller_core::dns::RecordType;
use serde_json::Value;

/// The DNS calls.
pub struct Dns<'c> {
    pub(crate) client: &'c Client,
}

/// A record of a zone as the client adds it and reads it back: `host` `@`
/// (or empty) for the domain itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsRecord {
    pub kind: RecordType,
    pub host: String,
    pub value: String,
    /// Seconds; the server's default (14400) when none is given.
    pub ttl: Option<u32>,
    /// MX and SRV.
    pub priority: Option<u16>,
    /// SRV.
    pub port: Option<u16>,
    pub weight: Option<u16>,
}

impl DnsRecord {
    /// A record of a type whose value is all it needs (A, AAAA, CNAME, NS, TXT, MX).
    pub fn new(kind: RecordType, host: &str, value: &str) -> DnsRecord {
        DnsRecord {
            kind,
            host: host.to_string(),
            value: value.to_string(),
            ttl: None,
            priority: None,
            port: None,
            weight: None,
        }
    }
}

fn short(name: &'static str, value: Option<u16>) -> Result<Option<calls::Short16>> {
    value.map(|v| crate::wire(name, &v.to_string())).transpose()
}

impl Dns<'_> {
    /// `dns/activate`: starts the zone of a domain order; answers its zone id.
    pub async fn activate(&self, order_id: i64) -> Result<i64> {
        let reply = self
            .client
            .call(&calls::Activate {
                order_id: OrderId(order_id),
            })
            .await?;
        int_of(&reply, "zoneid")
    }

    /// `dns/manage/add-<type>-record`.
    pub async fn add(&self, domain: &str, record: &DnsRecord) -> Result<()> {
        let name = crate::wire("domain-name", domain)?;
        let host: Option<calls::RecordHost> = Some(crate::wire("host", &record.host)?);
        let ttl: Option<calls::Ttl> = record
            .ttl
            .map(|t| crate::wire("ttl", &t.to_string()))
            .transpose()?;
        let value = record.value.as_str();
        match record.kind {
            RecordType::A => {
                let value = crate::wire("value", value)?;
                self.client
                    .call(&calls::AddIpv4 {
                        domain_name: name,
                        host,
                        value,
                        ttl,
                    })
                    .await?
            }
            RecordType::Aaaa => {
                let value = crate::wire("value", value)?;
                self.client
                    .call(&calls::AddIpv6 {
                        domain_name: name,
                        host,
                        value,
                        ttl,
                    })
                    .await?
            }
            RecordType::Cname => {
                let value: HostName = crate::wire("value", value)?;
                self.client
                    .call(&calls::AddCname {
                        domain_name: name,
                        host,
                        value,
                        ttl,
                    })
                    .await?
            }
            RecordType::Ns => {
                let value: HostName = crate::wire("value", value)?;
                self.client
                    .call(&calls::AddNs {
                        domain_name: name,
                        host,
                        value,
                        ttl,
                    })
                    .await?
            }
            RecordType::Txt => {
                let value = crate::wire("value", value)?;
                self.client
                    .call(&calls::AddTxt {
                        domain_name: name,
                        host,
                        value,
                        ttl,
                    })
                    .await?
            }
            RecordType::Mx => {
                let value: HostName = crate::wire("value", value)?;
                let priority = short("priority", record.priority)?;
                self.client
                    .call(&calls::AddMx {
                        domain_name: name,
                        host,
                        value,
                        ttl,
                        priority,
                    })
                    .await?
            }
            RecordType::Srv => {
                let required = |name: &'static str, v: Option<u16>| {
                    short(name, v)?.ok_or_else(|| crate::Error::Reply {
                        status: 0,
                        detail: format!("an SRV record needs its {name}"),
                    })
                };
                self.client
                    .call(&calls::AddSrv {
                        domain_name: name,
                        host: crate::wire("host", &record.host)?,
                        value: crate::wire("value", value)?,
                        ttl,
                        priority: required("priority", record.priority)?,
                        port: required("port", record.port)?,
                        weight: required("weight", record.weight)?,
                    })
                    .await?
            }
        };
        Ok(())
    }

    /// `dns/manage/delete-record`: the records of `host` with `value`, of
    /// `kind` or of any type.
    pub async fn delete(
        &self,
        domain: &str,
        kind: Option<RecordType>,
        host: &str,
        value: &str,
    ) -> Result<()> {
        self.client
            .call(&calls::DeleteRecord {
                domain_name: crate::wire("domain-name", domain)?,
                host: Some(crate::wire("host", host)?),
                value: value.to_string(),
                record_type: kind.map(calls::TypeOfRecord),
            })
            .await?;
        Ok(())
    }

    /// `dns/manage/search-records`: a page of the zone's records of a type.
    pub async fn records(
        &self,
        domain: &str,
        kind: RecordType,
        records: u32,
        number: u32,
    ) -> Result<Page<DnsRecord>> {
        let asked = calls::SearchRecords {
            domain_name: crate::wire("domain-name", domain)?,
            record_type: calls::TypeOfRecord(kind),
            host: None,
            value: None,
            page: page(records, number),
        };
        let reply = self.client.call(&asked).await?;
        Page::from_reply(&reply, record_of)
    }
}

fn record_of(entry: &Value) -> Result<DnsRecord> {
    let number = |key: &str| -> Result<Option<u16>> {
        match entry.get(key) {
            Some(_) => Ok(Some(int_of(entry, key)? as u16)),
            None => Ok(None),
        }
    };
    let kind_name = text_of(entry, "type")?;
    Ok(DnsRecord {
        kind: RecordType::from_name(&kind_name).ok_or_else(|| crate::Error::Reply {
            status: 200,
            detail: format!("an unknown record type: {kind_name}"),
        })?,
        host: text_of(entry, "host")?,
        value: text_of(entry, "value")?,
        ttl: Some(int_of(entry, "timetolive")? as u32),
        priority: number("priority")?,
        port: number("port")?,
        weight: number("weight")?,
    })
}
