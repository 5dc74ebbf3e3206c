//! Which server and account a command calls: flags and the environment
//! first, then a profile of the configuration file
//! (`~/.config/reseller/config.toml`):
//!
//! ```toml
//! [profiles.default]
//! url = "http://127.0.0.1:8080"
//! auth-userid = "1"
//! # api-key = "..."   # better kept in RESELLER_API_KEY
//! ```
//!
//! The api-key is never printed, in a reply, an error or a table.

use anyhow::Context;
use clap::Args;
use reseller_client::Client;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Args)]
pub struct Account {
    /// The profile of the configuration file to use.
    #[arg(
        long,
        env = "RESELLER_PROFILE",
        default_value = "default",
        global = true
    )]
    profile: String,
    /// The configuration file (default: ~/.config/reseller/config.toml).
    #[arg(long, env = "RESELLER_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// The server, as clients reach it (the real hosts: https://httpapi.com,
    /// https://test.httpapi.com; default: the profile's, else
    /// http://127.0.0.1:8080).
    #[arg(long, env = "RESELLER_URL", global = true)]
    url: Option<String>,
    /// The reseller's id (default: the profile's).
    #[arg(long, env = "RESELLER_AUTH_USERID", global = true)]
    auth_userid: Option<String>,
    /// The reseller's API key (default: the profile's). Best kept in the
    /// environment, out of the shell's history. Never printed.
    #[arg(long, env = "RESELLER_API_KEY", hide_env_values = true, global = true)]
    api_key: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default)]
    profiles: HashMap<String, Profile>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Profile {
    url: Option<String>,
    auth_userid: Option<String>,
    api_key: Option<String>,
}

fn default_config() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(base.join("reseller").join("config.toml"))
}

impl Account {
    /// The profile named, from the configuration file. A missing file is
    /// an empty one, unless it was named; a profile other than `default`
    /// must be there.
    fn profile(&self) -> anyhow::Result<(Profile, String)> {
        let path = self.config.clone().or_else(default_config);
        let shown = path
            .as_ref()
            .map_or("the configuration file".to_string(), |p| {
                p.display().to_string()
            });
        let config = match &path {
            Some(path) if path.exists() => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {shown}"))?;
                toml::from_str::<Config>(&text).with_context(|| shown.clone())?
            }
            _ if self.config.is_some() => anyhow::bail!("no configuration file {shown}"),
            _ => Config::default(),
        };
        match config.profiles.get(&self.profile) {
            Some(profile) => Ok((profile.clone(), shown)),
            None if self.profile == "default" => Ok((Profile::default(), shown)),
            None => Err(anyhow::anyhow!("no profile {} in {shown}", self.profile)),
        }
    }

    /// A client of the account the flags, the environment and the profile
    /// name, in that order.
    pub fn client(&self) -> anyhow::Result<Client> {
        let (profile, shown) = self.profile()?;
        let url = self
            .url
            .clone()
            .or(profile.url)
            .unwrap_or_else(|| "http://127.0.0.1:8080".to_string());
        let missing = |what: &str, flag: &str, env: &str| {
            anyhow::anyhow!(
                "no {what}: give {flag}, {env}, or {what} in profile {} of {shown}",
                self.profile
            )
        };
        let auth_userid = self
            .auth_userid
            .clone()
            .or(profile.auth_userid)
            .ok_or_else(|| missing("auth-userid", "--auth-userid", "RESELLER_AUTH_USERID"))?;
        let api_key = self
            .api_key
            .clone()
            .or(profile.api_key)
            .ok_or_else(|| missing("api-key", "--api-key", "RESELLER_API_KEY"))?;
        Ok(Client::new(&url, &auth_userid, &api_key))
    }
}
