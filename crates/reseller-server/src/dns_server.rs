//! The authoritative DNS listener, in the same binary as the API: it
//! answers, over UDP and TCP, for every zone hosted here (`dns/activate`),
//! from the store at each query, so a change through the API is answered
//! by the next query and every instance on one database answers alike.
//! hickory-server speaks the protocol; this module only decides the answer.

use hickory_server::net::runtime::Time;
use hickory_server::proto::op::{Metadata, ResponseCode};
use hickory_server::proto::rr::rdata::{A, AAAA, CNAME, MX, NS, SOA, SRV, TXT};
use hickory_server::proto::rr::{Name, RData, Record, RecordType};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo, Server};
use hickory_server::zone_handler::MessageResponseBuilder;
use reseller_core::dns::{self, Zone};
use reseller_store::Store;
use std::net::SocketAddr;
use std::time::Duration;

/// The platform's name servers: every hosted zone's NS and SOA name them.
pub const NAME_SERVERS: [&str; 2] = crate::api::domains::DEFAULT_NAME_SERVERS;

/// Where the DNS listener listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8053";

/// Binds `address` over UDP and TCP and answers there until the runtime
/// stops. Answers the address bound (a port of 0 picks one free over both).
pub async fn listen(address: &str, store: Store) -> std::io::Result<SocketAddr> {
    let (udp, tcp) = bind_both(address).await?;
    let bound = udp.local_addr()?;
    let mut server = Server::new(Answerer { store });
    server.register_socket(udp);
    server.register_listener(tcp, Duration::from_secs(5), 65_535);
    tokio::spawn(async move {
        if let Err(error) = server.block_until_done().await {
            tracing::error!(%error, "the DNS listener stopped");
        }
    });
    Ok(bound)
}

/// One port over UDP and TCP. A port of 0 lets the system pick the UDP
/// port, which another program may hold over TCP: then another is picked.
async fn bind_both(
    address: &str,
) -> std::io::Result<(tokio::net::UdpSocket, tokio::net::TcpListener)> {
    let picked = address.ends_with(":0");
    let mut tries = 0;
    loop {
        let udp = tokio::net::UdpSocket::bind(address).await?;
        match tokio::net::TcpListener::bind(udp.local_addr()?).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(error) if picked && error.kind() == std::io::ErrorKind::AddrInUse && tries < 20 => {
                tries += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Answers queries from the zones in the store.
struct Answerer {
    store: Store,
}

/// What a query finds in a zone.
struct Answer {
    code: ResponseCode,
    authoritative: bool,
    answers: Vec<Record>,
    authorities: Vec<Record>,
}

#[async_trait::async_trait]
impl RequestHandler for Answerer {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        let answer = match request.request_info() {
            Ok(info) => {
                let name = Name::from(info.query.name());
                let kind = info.query.query_type();
                self.answer(name, kind).await
            }
            Err(_) => Answer::code(ResponseCode::FormErr),
        };
        let mut metadata = Metadata::response_from_request(&request.metadata);
        metadata.authoritative = answer.authoritative;
        metadata.recursion_available = false;
        metadata.response_code = answer.code;
        let response = MessageResponseBuilder::new(&request.queries, None).build(
            metadata,
            answer.answers.iter(),
            answer.authorities.iter(),
            std::iter::empty(),
            std::iter::empty(),
        );
        match response_handle.send_response(response).await {
            Ok(info) => info,
            Err(error) => {
                tracing::warn!(%error, "a DNS answer could not be sent");
                let mut failed = Metadata::response_from_request(&request.metadata);
                failed.response_code = ResponseCode::ServFail;
                ResponseInfo::from(hickory_server::proto::op::Header {
                    metadata: failed,
                    counts: Default::default(),
                })
            }
        }
    }
}

impl Answer {
    fn code(code: ResponseCode) -> Answer {
        Answer {
            code,
            authoritative: false,
            answers: Vec::new(),
            authorities: Vec::new(),
        }
    }
}

impl Answerer {
    async fn answer(&self, name: Name, kind: RecordType) -> Answer {
        let asked = name.to_ascii().trim_end_matches('.').to_ascii_lowercase();
        let lookup = asked.clone();
        let found = self.store.read(move |tx| dns::zone_for(tx, &lookup)).await;
        match found {
            Ok(Some((apex, zone))) => answer_from(&zone, &apex, &asked, name, kind),
            // Not a zone of ours: an authoritative server refuses.
            Ok(None) => Answer::code(ResponseCode::Refused),
            Err(error) => {
                tracing::error!(%error, "a DNS query could not read its zone");
                Answer::code(ResponseCode::ServFail)
            }
        }
    }
}

/// An absolute name from text, or the root if it is not one.
fn absolute(text: &str) -> Name {
    let mut name = Name::from_ascii(text).unwrap_or_else(|_| Name::root());
    name.set_fqdn(true);
    name
}

/// The name of a host of a zone (`""` is the apex).
fn host_name(host: &str, apex: &str) -> String {
    if host.is_empty() {
        apex.to_string()
    } else {
        format!("{host}.{apex}")
    }
}

fn soa_record(zone: &Zone, apex: &str) -> Record {
    let rname = zone.soa.responsible_person.replacen('@', ".", 1);
    let soa = SOA::new(
        absolute(NAME_SERVERS[0]),
        absolute(&rname),
        zone.serial,
        i32::try_from(zone.soa.refresh).unwrap_or(i32::MAX),
        i32::try_from(zone.soa.retry).unwrap_or(i32::MAX),
        i32::try_from(zone.soa.expire).unwrap_or(i32::MAX),
        zone.soa.ttl,
    );
    Record::from_rdata(absolute(apex), zone.soa.ttl, RData::SOA(soa))
}

/// The zone's records as DNS records: the apex's SOA and the platform's
/// NS first, then the customer's.
fn records_of(zone: &Zone, apex: &str) -> Vec<(String, Record)> {
    let mut all = vec![(String::new(), soa_record(zone, apex))];
    for server in NAME_SERVERS {
        let ns = RData::NS(NS(absolute(server)));
        all.push((
            String::new(),
            Record::from_rdata(absolute(apex), zone.soa.ttl, ns),
        ));
    }
    for record in &zone.records {
        let owner = absolute(&host_name(&record.host, apex));
        let target = || absolute(&record.value);
        let data = match record.kind {
            dns::RecordType::A => record.value.parse().ok().map(|ip| RData::A(A(ip))),
            dns::RecordType::Aaaa => record.value.parse().ok().map(|ip| RData::AAAA(AAAA(ip))),
            dns::RecordType::Cname => Some(RData::CNAME(CNAME(target()))),
            dns::RecordType::Ns => Some(RData::NS(NS(target()))),
            dns::RecordType::Mx => {
                Some(RData::MX(MX::new(record.priority.unwrap_or(10), target())))
            }
            dns::RecordType::Txt => Some(RData::TXT(TXT::new(txt_strings(&record.value)))),
            dns::RecordType::Srv => Some(RData::SRV(SRV::new(
                record.priority.unwrap_or(0),
                record.weight.unwrap_or(0),
                record.port.unwrap_or(0),
                target(),
            ))),
        };
        if let Some(data) = data {
            all.push((
                record.host.clone(),
                Record::from_rdata(owner, record.ttl, data),
            ));
        }
    }
    all
}

/// A TXT value as DNS strings: at most 255 bytes each, split on characters.
fn txt_strings(value: &str) -> Vec<String> {
    let mut strings = vec![String::new()];
    for c in value.chars() {
        let last = strings.last_mut().expect("one string at least");
        if last.len() + c.len_utf8() > 255 {
            strings.push(c.to_string());
        } else {
            last.push(c);
        }
    }
    strings
}

/// The answer of a zone to a query for `asked` (lower-case, no final dot),
/// as an authoritative server gives it: the records of the name and type;
/// a CNAME in place of any other type; a referral below a delegation; no
/// records with the SOA where the name exists without that type (or only
/// has names below it); NXDOMAIN with the SOA where it does not exist. A
/// wildcard (`*`) host answers for names with no records of their own.
fn answer_from(zone: &Zone, apex: &str, asked: &str, name: Name, kind: RecordType) -> Answer {
    let relative = asked
        .strip_suffix(apex)
        .map(|rest| rest.trim_end_matches('.').to_string())
        .unwrap_or_default();
    let all = records_of(zone, apex);
    let soa = vec![soa_record(zone, apex)];

    // A delegation above the name (not the apex itself) refers the asker on.
    let mut above = relative.as_str();
    while let Some((_, parent)) = above.split_once('.') {
        above = parent;
        let delegation: Vec<Record> = all
            .iter()
            .filter(|(host, r)| host == above && r.record_type() == RecordType::NS)
            .map(|(_, r)| r.clone())
            .collect();
        if !delegation.is_empty() {
            return Answer {
                code: ResponseCode::NoError,
                authoritative: false,
                answers: Vec::new(),
                authorities: delegation,
            };
        }
    }
    let delegated_here = !relative.is_empty()
        && all
            .iter()
            .any(|(host, r)| *host == relative && r.record_type() == RecordType::NS);

    let own: Vec<&Record> = all
        .iter()
        .filter(|(host, _)| *host == relative)
        .map(|(_, r)| r)
        .collect();
    let wildcard_host = match relative.split_once('.') {
        Some((_, parent)) => format!("*.{parent}"),
        None if !relative.is_empty() => "*".to_string(),
        None => String::new(),
    };
    let below = |host: &str| {
        host.ends_with(&format!(".{relative}")) || (relative.is_empty() && !host.is_empty())
    };
    let exists_below = all.iter().any(|(host, _)| below(host));
    let matched: Vec<Record> = if own.is_empty() && !exists_below && !wildcard_host.is_empty() {
        // The wildcard's records, owned by the name asked.
        all.iter()
            .filter(|(host, _)| *host == wildcard_host)
            .map(|(_, r)| {
                let mut record = r.clone();
                record.name = name.clone();
                record
            })
            .collect()
    } else {
        own.into_iter().cloned().collect()
    };
    if matched.is_empty() {
        let code = if exists_below {
            ResponseCode::NoError
        } else {
            ResponseCode::NXDomain
        };
        return Answer {
            code,
            authoritative: true,
            answers: Vec::new(),
            authorities: soa,
        };
    }
    if delegated_here && kind != RecordType::NS {
        return Answer {
            code: ResponseCode::NoError,
            authoritative: false,
            answers: Vec::new(),
            authorities: matched
                .into_iter()
                .filter(|r| r.record_type() == RecordType::NS)
                .collect(),
        };
    }
    let of_type: Vec<Record> = matched
        .iter()
        .filter(|r| kind == RecordType::ANY || r.record_type() == kind)
        .cloned()
        .collect();
    let answers = if of_type.is_empty() {
        matched
            .into_iter()
            .filter(|r| r.record_type() == RecordType::CNAME)
            .collect()
    } else {
        of_type
    };
    let authorities = if answers.is_empty() { soa } else { Vec::new() };
    Answer {
        code: ResponseCode::NoError,
        authoritative: true,
        answers,
        authorities,
    }
}
