//! `sslcert/*`: an SSL certificate order's own calls, beyond the standard
//! ones: the request (a CSR), its validation and the certificate issued.

use crate::field::Short;
use reseller_core::OrderId;
use reseller_core::certificates::Method;

crate::words!(Method);

/// A CSR in PEM, lines and all, at most 16 KiB: read and checked by the
/// server (its signature, key and names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Csr(pub String);

impl crate::Field for Csr {
    const KIND: crate::Kind = crate::Kind::Text;
    const BLOCK: bool = true;
    fn parse(_: &'static str, value: &str) -> Result<Self, crate::ParamError> {
        Ok(Csr(value.to_string()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

crate::call! {
    /// `sslcert/enroll`: the request for the order's certificate. The
    /// organisation's fields an OV certificate takes are kept out: the
    /// sandbox issues domain-validated certificates only (docs/API.md).
    POST "sslcert/enroll" => Fields(&["status", "orderid", "verificationmethod"]);
    pub struct Enroll {
        required order_id: OrderId = "order-id",
        required csr: Csr = "csr",
        required verification_method: Method = "verification-method",
        optional verification_email: crate::calls::mail::Address = "verification-email",
        optional dba: Short<255> = "dba",
        optional address: Short<255> = "address",
        optional zip: Short<32> = "zip",
        optional country_of_incorporation: Short<64> = "country-of-incorporation",
        optional app_rep_email: crate::calls::mail::Address = "app-rep-email",
    }
}

crate::call! {
    /// `sslcert/check-status`: looks for the validation again, and issues
    /// the certificate once it is there.
    GET "sslcert/check-status" => Fields(&["orderid", "certstatus"]);
    pub struct CheckStatus {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `sslcert/get-cert-details`: the request, how to validate it, and the
    /// certificate in PEM once issued.
    GET "sslcert/get-cert-details" => Fields(&["orderid", "certstatus", "domainname"]);
    pub struct CertDetails {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `sslcert/validate-csr`: whether a CSR would be taken for the order.
    /// The vendor's page says GET; digicatech sends it by POST (a CSR is
    /// long for a query): both are taken.
    GET_OR_POST "sslcert/validate-csr" => Fields(&["status", "names"]);
    pub struct ValidateCsr {
        required order_id: OrderId = "order-id",
        required csr: Csr = "csr",
        optional domainname: reseller_core::DomainName = "domainname",
    }
}

crate::call! {
    /// `sslcert/reissue`: a new request for an issued certificate's order,
    /// validated again; the old certificate is revoked.
    POST "sslcert/reissue" => Fields(&["status", "orderid", "verificationmethod"]);
    pub struct Reissue {
        required order_id: OrderId = "order-id",
        required csr: Csr = "csr",
        required verification_method: Method = "verification-method",
        optional verification_email: crate::calls::mail::Address = "verification-email",
        optional address: Short<255> = "address",
        optional zip: Short<32> = "zip",
    }
}

crate::call! {
    /// `sslcert/cancel`: the issued certificate is revoked.
    POST "sslcert/cancel" => Fields(&["status", "orderid", "certstatus"]);
    pub struct Cancel {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `sslcert/change-verification-email`: a new approver for a request
    /// validated by email, mailed a new link.
    POST "sslcert/change-verification-email" => Fields(&["status", "orderid", "certstatus"]);
    pub struct ChangeVerificationEmail {
        required order_id: OrderId = "order-id",
        required new_verification_email: crate::calls::mail::Address = "new-verification-email",
    }
}

crate::call! {
    /// `sslcert/change-verification-method`: how a pending request is
    /// validated, with the approver when by email.
    POST "sslcert/change-verification-method" => Fields(&["status", "orderid", "certstatus"]);
    pub struct ChangeVerificationMethod {
        required order_id: OrderId = "order-id",
        required verification_method: Method = "verification-method",
        optional verification_email: crate::calls::mail::Address = "verification-email",
    }
}
