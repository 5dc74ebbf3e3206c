//! `reseller sandbox`: drives a running server's control plane
//! (`/_reseller/`) from the command line, printing its JSON answers.

use anyhow::Context;
use clap::{Args, Subcommand};

#[derive(Args)]
pub struct Sandbox {
    /// The server, as clients reach it.
    #[arg(long, env = "RESELLER_URL", default_value = "http://127.0.0.1:8080")]
    url: String,
    /// The token that opens the control plane (printed by `serve`).
    #[arg(long, env = "RESELLER_ADMIN_TOKEN", hide_env_values = true)]
    token: String,
    #[command(subcommand)]
    command: SandboxCommand,
}

#[derive(Subcommand)]
enum SandboxCommand {
    /// The time every API call sees.
    Clock,
    /// Move the clock forward for every instance.
    Advance {
        #[arg(long, conflicts_with = "seconds", required_unless_present = "seconds")]
        days: Option<i64>,
        #[arg(long)]
        seconds: Option<i64>,
    },
    /// The mails the platform sent, newest first.
    Outbox {
        #[arg(long)]
        order_id: Option<i64>,
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Back to a fresh demo state (the demo reseller and its key kept).
    Reset,
    /// Keep the data and the clock under a name (replacing one of that name).
    Snapshot { name: String },
    /// Put the data and the clock back as a snapshot kept them.
    Restore { name: String },
    /// The snapshots kept.
    Snapshots,
    /// The fault rules; `--set FILE` replaces them with a JSON list, `--clear` removes them.
    Faults {
        #[arg(long, conflicts_with = "clear")]
        set: Option<std::path::PathBuf>,
        #[arg(long)]
        clear: bool,
    },
    /// How a reseller's paid actions are provisioned; `--set instant|realistic` changes it.
    Provisioning {
        #[arg(long, default_value_t = 1)]
        reseller: i64,
        #[arg(long)]
        set: Option<String>,
    },
    /// The newest API requests this instance answered, secrets hidden.
    Requests {
        #[arg(long)]
        limit: Option<u32>,
    },
    /// A test's own tenant: a funded reseller with its key, its own clock,
    /// snapshots and reset.
    #[command(subcommand)]
    Tenant(TenantCommand),
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Make a tenant; prints its id (its auth-userid) and its key.
    Create {
        /// Opening funds in USD (the demo reseller's by default).
        #[arg(long)]
        funds: Option<String>,
        /// Give it a clock of its own.
        #[arg(long)]
        clock: bool,
    },
    /// A tenant: its funds and its clock.
    Show { id: i64 },
    /// Remove a tenant and all it holds.
    Delete { id: i64 },
    /// The time a tenant's calls see.
    Clock { id: i64 },
    /// Give a tenant a clock of its own, where the global clock stands.
    AttachClock { id: i64 },
    /// Move a tenant's own clock forward and run its jobs due by then.
    Advance {
        id: i64,
        #[arg(long, conflicts_with = "seconds", required_unless_present = "seconds")]
        days: Option<i64>,
        #[arg(long)]
        seconds: Option<i64>,
    },
    /// A tenant back to what it had when made (its key and snapshots kept).
    Reset { id: i64 },
    /// Keep a tenant's state and clock under a name.
    Snapshot { id: i64, name: String },
    /// Put a tenant's state and clock back as a snapshot kept them.
    Restore { id: i64, name: String },
    /// A tenant's snapshots.
    Snapshots { id: i64 },
}

/// The body of an advance: days or seconds.
fn advance_body(days: Option<i64>, seconds: Option<i64>) -> String {
    match (days, seconds) {
        (Some(days), _) => serde_json::json!({ "days": days }),
        (None, seconds) => serde_json::json!({ "seconds": seconds }),
    }
    .to_string()
}

pub async fn run(sandbox: Sandbox) -> anyhow::Result<()> {
    let base = format!("{}/_reseller", sandbox.url.trim_end_matches('/'));
    let client = reqwest::Client::new();
    let request = match sandbox.command {
        SandboxCommand::Clock => client.get(format!("{base}/clock")),
        SandboxCommand::Advance { days, seconds } => client
            .post(format!("{base}/clock/advance"))
            .body(advance_body(days, seconds)),
        SandboxCommand::Outbox { order_id, limit } => {
            let mut query = Vec::new();
            if let Some(id) = order_id {
                query.push(format!("order-id={id}"));
            }
            if let Some(limit) = limit {
                query.push(format!("limit={limit}"));
            }
            client.get(format!("{base}/outbox?{}", query.join("&")))
        }
        SandboxCommand::Reset => client.post(format!("{base}/reset")),
        SandboxCommand::Snapshot { name } => client.post(format!("{base}/snapshots/{name}")),
        SandboxCommand::Restore { name } => client.post(format!("{base}/snapshots/{name}/restore")),
        SandboxCommand::Snapshots => client.get(format!("{base}/snapshots")),
        SandboxCommand::Faults { set, clear } => match (set, clear) {
            (Some(file), _) => {
                let rules = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                client.post(format!("{base}/faults")).body(rules)
            }
            (None, true) => client.delete(format!("{base}/faults")),
            (None, false) => client.get(format!("{base}/faults")),
        },
        SandboxCommand::Provisioning { reseller, set } => match set {
            Some(mode) => client
                .post(format!("{base}/provisioning"))
                .body(serde_json::json!({ "reseller": reseller, "mode": mode }).to_string()),
            None => client.get(format!("{base}/provisioning?reseller={reseller}")),
        },
        SandboxCommand::Requests { limit } => {
            let limit = limit.map(|n| format!("?limit={n}")).unwrap_or_default();
            client.get(format!("{base}/requests{limit}"))
        }
        SandboxCommand::Tenant(command) => {
            let tenants = format!("{base}/tenants");
            match command {
                TenantCommand::Create { funds, clock } => {
                    let mut body = serde_json::json!({ "clock": clock });
                    if let Some(funds) = funds {
                        body["funds"] = serde_json::json!(funds);
                    }
                    client.post(tenants).body(body.to_string())
                }
                TenantCommand::Show { id } => client.get(format!("{tenants}/{id}")),
                TenantCommand::Delete { id } => client.delete(format!("{tenants}/{id}")),
                TenantCommand::Clock { id } => client.get(format!("{tenants}/{id}/clock")),
                TenantCommand::AttachClock { id } => client.post(format!("{tenants}/{id}/clock")),
                TenantCommand::Advance { id, days, seconds } => client
                    .post(format!("{tenants}/{id}/clock/advance"))
                    .body(advance_body(days, seconds)),
                TenantCommand::Reset { id } => client.post(format!("{tenants}/{id}/reset")),
                TenantCommand::Snapshot { id, name } => {
                    client.post(format!("{tenants}/{id}/snapshots/{name}"))
                }
                TenantCommand::Restore { id, name } => {
                    client.post(format!("{tenants}/{id}/snapshots/{name}/restore"))
                }
                TenantCommand::Snapshots { id } => client.get(format!("{tenants}/{id}/snapshots")),
            }
        }
    };
    let response = request
        .bearer_auth(&sandbox.token)
        .send()
        .await
        .with_context(|| format!("cannot reach {}", sandbox.url))?;
    let status = response.status();
    let text = response.text().await?;
    let shown = serde_json::from_str::<serde_json::Value>(&text)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or(text);
    if status.is_success() {
        println!("{shown}");
        Ok(())
    } else {
        Err(anyhow::anyhow!("{status}: {shown}"))
    }
}
