//! The sandbox's control plane (`/_reseller/`) as far as a test needs it
//! to run beside others: a tenant of its own (a funded reseller with its
//! key), its own clock, its own snapshots and reset. Opened by the admin
//! token, never by an API key; the real service has no such thing.

use crate::{Client, Error, Result};
use reseller_api::Amount;
use reseller_core::ResellerId;
use serde_json::{Value, json};
use std::time::Duration;

/// A client of a server's control plane.
#[derive(Clone)]
pub struct Sandbox {
    http: reqwest::Client,
    base: String,
    admin_token: String,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base", &self.base)
            .field("admin_token", &"***")
            .finish()
    }
}

/// What a new tenant gets: opening funds (the demo reseller's when None)
/// and whether it has a clock of its own.
#[derive(Clone, Debug, Default)]
pub struct NewTenant {
    pub funds: Option<Amount>,
    pub clock: bool,
}

/// A tenant: its reseller id (its `auth-userid`) and its key, which only
/// the reply that made it shows.
#[derive(Clone)]
pub struct Tenant {
    pub id: ResellerId,
    pub api_key: String,
    base: String,
}

impl std::fmt::Debug for Tenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tenant")
            .field("id", &self.id)
            .field("api_key", &"***")
            .finish()
    }
}

impl Tenant {
    /// A client of the API signed in as the tenant.
    pub fn client(&self) -> Client {
        Client::new(&self.base, &self.id.0.to_string(), &self.api_key)
    }
}

/// The time a tenant's calls see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TenantClock {
    /// Seconds since the epoch.
    pub now: i64,
    /// Seconds ahead of real time.
    pub offset_seconds: i64,
    /// Whether it is the tenant's own clock (else the global one).
    pub own: bool,
    /// Jobs an advance ran (0 for a clock only read).
    pub jobs_run: u64,
}

impl Sandbox {
    /// The control plane of the server at `base_url`.
    pub fn new(base_url: &str, admin_token: &str) -> Sandbox {
        crate::install_tls();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(600))
            .build()
            .unwrap_or_default();
        Sandbox {
            http,
            base: base_url.trim_end_matches('/').to_string(),
            admin_token: admin_token.to_string(),
        }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value> {
        let mut request = self
            .http
            .request(method, format!("{}/_reseller/{path}", self.base))
            .bearer_auth(&self.admin_token);
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        let body: Value = serde_json::from_str(&text).map_err(|_| Error::Reply {
            status,
            detail: text.clone(),
        })?;
        match status {
            200 => Ok(body),
            _ => Err(Error::Api {
                status,
                message: body["error"].as_str().unwrap_or(&text).to_string(),
            }),
        }
    }

    /// A tenant of its own (`POST /_reseller/tenants`).
    pub async fn create_tenant(&self, new: &NewTenant) -> Result<Tenant> {
        let mut body = json!({ "clock": new.clock });
        if let Some(funds) = new.funds {
            body["funds"] = json!(funds.to_string());
        }
        let made = self
            .send(reqwest::Method::POST, "tenants", Some(body))
            .await?;
        let wrong = || Error::Reply {
            status: 200,
            detail: made.to_string(),
        };
        Ok(Tenant {
            id: ResellerId(made["id"].as_i64().ok_or_else(wrong)?),
            api_key: made["api-key"].as_str().ok_or_else(wrong)?.to_string(),
            base: self.base.clone(),
        })
    }

    /// Removes a tenant and all it holds (`DELETE /_reseller/tenants/<id>`).
    pub async fn delete_tenant(&self, tenant: ResellerId) -> Result<()> {
        self.send(
            reqwest::Method::DELETE,
            &format!("tenants/{}", tenant.0),
            None,
        )
        .await
        .map(|_| ())
    }

    /// The time a tenant's calls see.
    pub async fn tenant_clock(&self, tenant: ResellerId) -> Result<TenantClock> {
        let clock = self
            .send(
                reqwest::Method::GET,
                &format!("tenants/{}/clock", tenant.0),
                None,
            )
            .await?;
        read_clock(&clock)
    }

    /// Gives a tenant a clock of its own (where the global clock stands).
    pub async fn attach_clock(&self, tenant: ResellerId) -> Result<TenantClock> {
        let clock = self
            .send(
                reqwest::Method::POST,
                &format!("tenants/{}/clock", tenant.0),
                None,
            )
            .await?;
        read_clock(&clock)
    }

    /// Moves a tenant's own clock forward by `seconds` and runs its jobs
    /// due by then; answers once they have run.
    pub async fn advance_tenant(&self, tenant: ResellerId, seconds: i64) -> Result<TenantClock> {
        let clock = self
            .send(
                reqwest::Method::POST,
                &format!("tenants/{}/clock/advance", tenant.0),
                Some(json!({ "seconds": seconds })),
            )
            .await?;
        read_clock(&clock)
    }

    /// A tenant back to what it had when made (its key kept).
    pub async fn reset_tenant(&self, tenant: ResellerId) -> Result<()> {
        self.send(
            reqwest::Method::POST,
            &format!("tenants/{}/reset", tenant.0),
            None,
        )
        .await
        .map(|_| ())
    }

    /// Keeps a tenant's state and clock under `name`.
    pub async fn snapshot_tenant(&self, tenant: ResellerId, name: &str) -> Result<()> {
        self.send(
            reqwest::Method::POST,
            &format!("tenants/{}/snapshots/{name}", tenant.0),
            None,
        )
        .await
        .map(|_| ())
    }

    /// Puts a tenant's state and clock back as its snapshot `name` kept them.
    pub async fn restore_tenant(&self, tenant: ResellerId, name: &str) -> Result<TenantClock> {
        let clock = self
            .send(
                reqwest::Method::POST,
                &format!("tenants/{}/snapshots/{name}/restore", tenant.0),
                None,
            )
            .await?;
        read_clock(&clock)
    }
}

fn read_clock(clock: &Value) -> Result<TenantClock> {
    let wrong = || Error::Reply {
        status: 200,
        detail: clock.to_string(),
    };
    Ok(TenantClock {
        now: clock["now"].as_i64().ok_or_else(wrong)?,
        offset_seconds: clock["offset_seconds"].as_i64().ok_or_else(wrong)?,
        own: clock["own"].as_bool().unwrap_or(false),
        jobs_run: clock["jobs_run"].as_u64().unwrap_or(0),
    })
}
