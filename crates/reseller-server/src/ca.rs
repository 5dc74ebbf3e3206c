//! The sandbox certificate authority: a root made once per deployment and
//! kept in the database (`meta`), so every instance signs alike and a
//! restart keeps it; it issues real certificates for the CSRs of SSL
//! orders, which `openssl verify` accepts against its root
//! (`GET /_reseller/ca`). rcgen makes and signs; x509-parser reads CSRs.

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams,
    CertificateSigningRequestParams, DnType, DnValue, IsCa, Issuer, KeyIdMethod, KeyPair,
    KeyUsagePurpose, RevocationReason, RevokedCertParams, SanType, SerialNumber,
};
use reseller_store::Store;

/// Where the root's key and certificate are kept, in PEM one after the other.
const KEPT_AS: &str = "sandbox-ca";

/// A CSR as read: its names and the PEM it came as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The common name first (if any), then the other DNS names.
    pub names: Vec<String>,
    pub pem: String,
}

/// Why a CSR is refused, in words for `Invalid csr: ...`.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

/// Reads and checks a CSR: PEM, its signature, its key (RSA of at least
/// 2048 bits or EC of at least 256), and at least one DNS name.
pub fn read_request(pem: &str) -> Result<Request, Refused> {
    let der = pem::parse(pem.trim())
        .map_err(|_| Refused("it is no signed PKCS#10 request in PEM".to_string()))?;
    use x509_parser::prelude::FromDer;
    let (_, csr) =
        x509_parser::certification_request::X509CertificationRequest::from_der(der.contents())
            .map_err(|e| Refused(format!("it does not parse ({e})")))?;
    let key = csr
        .certification_request_info
        .subject_pki
        .parsed()
        .map_err(|e| Refused(format!("its key does not parse ({e})")))?;
    let strong = match &key {
        x509_parser::public_key::PublicKey::RSA(rsa) => rsa.key_size() >= 2048,
        x509_parser::public_key::PublicKey::EC(ec) => ec.key_size() >= 256,
        _ => false,
    };
    if !strong {
        return Err(Refused(
            "its key must be RSA of at least 2048 bits or EC of at least 256".to_string(),
        ));
    }
    // Its signature, checked once its key is known to be one we take.
    let parsed = CertificateSigningRequestParams::from_pem(pem.trim())
        .map_err(|e| Refused(format!("it is no signed PKCS#10 request in PEM ({e})")))?;
    let mut names = Vec::new();
    if let Some(cn) = parsed.params.distinguished_name.get(&DnType::CommonName) {
        let text = match cn {
            DnValue::Utf8String(s) => s.clone(),
            DnValue::PrintableString(s) => s.as_str().to_string(),
            DnValue::Ia5String(s) => s.as_str().to_string(),
            _ => String::new(),
        };
        if !text.is_empty() {
            names.push(text.to_ascii_lowercase());
        }
    }
    for san in &parsed.params.subject_alt_names {
        if let SanType::DnsName(name) = san {
            let name = name.as_str().to_ascii_lowercase();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    if names.is_empty() {
        return Err(Refused("it names no domain".to_string()));
    }
    Ok(Request {
        names,
        pem: pem.trim().to_string(),
    })
}

/// The root: its key and certificate in PEM.
pub struct Authority {
    key_pem: String,
    pub cert_pem: String,
}

fn make_root() -> Result<String, rcgen::Error> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(DnType::CommonName, "Reseller Sandbox Root CA");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "reseller sandbox");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2100, 1, 1);
    let cert = params.self_signed(&key)?;
    Ok(format!("{}{}", key.serialize_pem(), cert.pem()))
}

impl Authority {
    /// The deployment's root, made and kept on first use (each instance
    /// loads it once, at start).
    pub async fn load(store: &Store) -> Result<Authority, String> {
        let fresh = make_root().map_err(|e| e.to_string())?;
        let kept = store
            .kept_or(KEPT_AS, fresh)
            .await
            .map_err(|e| e.to_string())?;
        let split = kept
            .find("-----BEGIN CERTIFICATE-----")
            .ok_or("the kept root has no certificate")?;
        Ok(Authority {
            key_pem: kept[..split].to_string(),
            cert_pem: kept[split..].to_string(),
        })
    }

    /// A certificate for the request's key and names, valid from `from` to
    /// `until` (days, as `(year, month, day)`), with a random serial;
    /// answers its PEM and serial in hex.
    pub fn issue(
        &self,
        request: &Request,
        from: (i64, u32, u32),
        until: (i64, u32, u32),
    ) -> Result<(String, String), String> {
        let mut csr =
            CertificateSigningRequestParams::from_pem(&request.pem).map_err(|e| e.to_string())?;
        let day = |(y, m, d): (i64, u32, u32)| rcgen::date_time_ymd(y as i32, m as u8, d as u8);
        csr.params.not_before = day(from);
        csr.params.not_after = day(until);
        csr.params.subject_alt_names = request
            .names
            .iter()
            .map(|n| {
                n.clone()
                    .try_into()
                    .map(SanType::DnsName)
                    .map_err(|e: rcgen::Error| e.to_string())
            })
            .collect::<Result<_, _>>()?;
        let mut serial = [0u8; 16];
        getrandom::fill(&mut serial).map_err(|e| e.to_string())?;
        serial[0] &= 0x7f;
        csr.params.serial_number = Some(SerialNumber::from_slice(&serial));
        csr.params.is_ca = IsCa::ExplicitNoCa;
        csr.params.use_authority_key_identifier_extension = true;
        let key = KeyPair::from_pem(&self.key_pem).map_err(|e| e.to_string())?;
        let issuer = Issuer::from_ca_cert_pem(&self.cert_pem, key).map_err(|e| e.to_string())?;
        let cert = csr.signed_by(&issuer).map_err(|e| e.to_string())?;
        let hex: String = serial.iter().map(|b| format!("{b:02x}")).collect();
        Ok((cert.pem(), hex))
    }
}

/// A serial number written in hex, as `Certificate::serial` keeps it.
fn serial_of(hex: &str) -> Result<SerialNumber, String> {
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|e| format!("serial {hex}: {e}"))?;
    Ok(SerialNumber::from_slice(&bytes))
}

impl Authority {
    /// The CRL of the certificates `revoked` (each serial in hex and when),
    /// signed now and due again in a day, in PEM.
    pub fn crl(
        &self,
        revoked: &[reseller_core::certificates::Revoked],
        now: i64,
    ) -> Result<String, String> {
        let at = |epoch: i64| {
            time::OffsetDateTime::from_unix_timestamp(epoch).map_err(|e| e.to_string())
        };
        let revoked_certs = revoked
            .iter()
            .map(|r| {
                Ok(RevokedCertParams {
                    serial_number: serial_of(&r.serial)?,
                    revocation_time: at(r.at)?,
                    reason_code: Some(RevocationReason::CessationOfOperation),
                    invalidity_date: None,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let params = CertificateRevocationListParams {
            this_update: at(now)?,
            next_update: at(now + 86_400)?,
            crl_number: SerialNumber::from(now.max(1) as u64),
            issuing_distribution_point: None,
            revoked_certs,
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let key = KeyPair::from_pem(&self.key_pem).map_err(|e| e.to_string())?;
        let issuer = Issuer::from_ca_cert_pem(&self.cert_pem, key).map_err(|e| e.to_string())?;
        let crl = params.signed_by(&issuer).map_err(|e| e.to_string())?;
        crl.pem().map_err(|e| e.to_string())
    }
}
