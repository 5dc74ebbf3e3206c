//! `reseller api PATH KEY=VALUE ...`: any call of the API, on this server or
//! the real service, through `reseller-client`, printing the reply's JSON.
//! The method comes from the server's route table; a call it does not
//! serve needs `--method`.

use anyhow::Context;
use clap::{Args, ValueEnum};
use reseller_client::Error;

#[derive(Args)]
pub struct Api {
    /// The call, as in its URL after `/api/` and without `.json`: `customers/details-by-id`.
    path: String,
    /// Parameters, each `key=value`; a key may repeat (`ns=a ns=b`).
    params: Vec<String>,
    #[command(flatten)]
    account: crate::account::Account,
    /// The HTTP method, for a call this server does not serve.
    #[arg(long, value_enum)]
    method: Option<Method>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Method {
    Get,
    Post,
}

pub async fn run(api: Api) -> anyhow::Result<()> {
    let path = api
        .path
        .trim_start_matches('/')
        .trim_start_matches("api/")
        .trim_end_matches(".json")
        .to_string();
    let mut params = Vec::with_capacity(api.params.len());
    for param in &api.params {
        let (key, value) = param
            .split_once('=')
            .with_context(|| format!("{param:?} is not key=value"))?;
        params.push((key, value));
    }
    let served = reseller_server::routes::table()
        .get(&path)
        .map(|route| match route.verb {
            reseller_server::routes::Verb::Post => Method::Post,
            _ => Method::Get,
        });
    let method = api.method.or(served).ok_or_else(|| {
        anyhow::anyhow!(
            "{path} is not a call this server serves: give --method get or --method post"
        )
    })?;
    let client = api.account.client()?;
    let reply = match method {
        Method::Get => client.get(&path, &params).await,
        Method::Post => client.post(&path, &params).await,
    };
    match reply {
        Ok(reply) => {
            println!("{}", serde_json::to_string_pretty(&reply)?);
            Ok(())
        }
        Err(error) => Err(said(error)),
    }
}

/// An error of the client, as the command line says it.
/// A client's error as the command line says it: a refusal with its
/// status, anything else as it is.
pub fn said(error: Error) -> anyhow::Error {
    match error {
        Error::Api { status, message } => anyhow::anyhow!("refused (HTTP {status}): {message}"),
        error => error.into(),
    }
}
