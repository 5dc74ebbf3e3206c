//! `sslcert/*`: an SSL certificate order's request and certificate, typed.
//! Every call is also sent as is with `Client::call` and the types of
//! `reseller_api::calls::ssl`; the standard order calls go through
//! `client.orders("sslcert")`.

use crate::{Client, Result, text_of};
use reseller_api::calls::ssl as calls;
use reseller_core::OrderId;
pub use reseller_core::certificates::Method as Verification;
use serde_json::Value;

/// The SSL calls.
pub struct Ssl<'c> {
    pub(crate) client: &'c Client,
}

/// A certificate order's request and certificate, as `get-cert-details`
/// shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateDetails {
    /// `NotEnrolled`, `Pending`, `Issued` or `Revoked`.
    pub status: String,
    pub names: Vec<String>,
    /// The TXT record that validates it by DNS: its host and value.
    pub dns_auth: Option<(String, String)>,
    /// The CNAME record that validates it (`cname`): its host and target.
    pub cname: Option<(String, String)>,
    /// The file that validates it (`http`): its URL and content.
    pub file: Option<(String, String)>,
    /// The certificate in PEM, once issued.
    pub certificate: Option<String>,
}

fn optional(reply: &Value, key: &str) -> Option<String> {
    text_of(reply, key).ok()
}

impl Ssl<'_> {
    /// `sslcert/enroll`: answers the certificate's status (`Issued` at
    /// once when the domain is validated already).
    pub async fn enroll(
        &self,
        order_id: i64,
        csr: &str,
        verification: Verification,
        approver: Option<&str>,
    ) -> Result<String> {
        let reply = self
            .client
            .call(&calls::Enroll {
                order_id: OrderId(order_id),
                csr: calls::Csr(csr.to_string()),
                verification_method: verification,
                verification_email: approver
                    .map(|e| crate::wire("verification-email", e))
                    .transpose()?,
                dba: None,
                address: None,
                zip: None,
                country_of_incorporation: None,
                app_rep_email: None,
            })
            .await?;
        text_of(&reply, "certstatus")
    }

    /// `sslcert/check-status`: looks for the validation again; answers the status.
    pub async fn check_status(&self, order_id: i64) -> Result<String> {
        let reply = self
            .client
            .call(&calls::CheckStatus {
                order_id: OrderId(order_id),
            })
            .await?;
        text_of(&reply, "certstatus")
    }

    /// `sslcert/get-cert-details`.
    pub async fn details(&self, order_id: i64) -> Result<CertificateDetails> {
        let reply = self
            .client
            .call(&calls::CertDetails {
                order_id: OrderId(order_id),
            })
            .await?;
        Ok(CertificateDetails {
            status: text_of(&reply, "certstatus")?,
            names: optional(&reply, "names")
                .map(|n| n.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            dns_auth: optional(&reply, "dnsauthhost").zip(optional(&reply, "dnsauthvalue")),
            cname: optional(&reply, "cnamehost").zip(optional(&reply, "cnamevalue")),
            file: optional(&reply, "fileurl").zip(optional(&reply, "filecontent")),
            certificate: optional(&reply, "certificate"),
        })
    }

    /// `sslcert/cancel`: the issued certificate is revoked.
    pub async fn cancel(&self, order_id: i64) -> Result<()> {
        self.client
            .call(&calls::Cancel {
                order_id: OrderId(order_id),
            })
            .await?;
        Ok(())
    }
}
