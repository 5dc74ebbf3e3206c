//! What the sandbox does to API calls as they pass: the faults a tester
//! injects (an error in the API's envelope, latency, or a connection
//! dropped unanswered), the journal of recent requests with their secrets
//! redacted, and the counts `/metrics` shows. All are kept per instance,
//! in memory; the control plane (`control`) sets and reads them.

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Requests the journal keeps, newest last.
pub const JOURNAL_SIZE: usize = 1_000;
/// Characters of a reply the journal keeps.
pub const EXCERPT_CHARS: usize = 300;
/// Calls whose replies carry a secret (a token, a new password): the
/// journal keeps none of their reply.
pub const SECRET_REPLIES: [&str; 6] = [
    "customers/generate-token",
    "customers/generate-login-token",
    "customers/temp-password",
    "mail/user/reset-password",
    "resellers/generate-token",
    "resellers/temp-password",
];
/// Parameters whose values never leave the server.
use reseller_api::SECRETS as SECRET_PARAMS;

/// One fault rule: what it matches and what it does, as the control
/// plane takes and shows it in JSON (serde, refusing unknown fields).
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// A call path such as `domains/register`, where `*` stands for any
    /// run of characters (`domains/*`).
    pub call: String,
    /// Only this reseller's calls (`auth-userid`), if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reseller: Option<u64>,
    /// The chance, 0 to 1, that a matching call is hit.
    #[serde(default = "always")]
    pub probability: f64,
    /// How many more calls it hits; None for no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Answer this status (400 to 599) with `message` in the API's envelope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Wait this long first (at most a minute).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub latency_ms: u64,
    /// Close the connection without an answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drop: bool,
}

fn always() -> f64 {
    1.0
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What a request meets.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Hit {
    pub latency_ms: u64,
    pub status: Option<(u16, String)>,
    pub drop: bool,
}

/// A recorded request.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub time: i64,
    pub method: axum::http::Method,
    pub call: String,
    /// As sent (query string and form body, form-encoded), secrets
    /// replaced by `***` (`redacted`).
    pub params: String,
    pub status: u16,
    pub reply: String,
    pub duration_ms: f64,
}

/// Upper bounds of the latency histogram, in seconds.
pub const LATENCY_BOUNDS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
struct Recorded {
    journal: VecDeque<Entry>,
    /// Requests kept in the journal since the start (or the last reset).
    journaled: u64,
    /// Requests by call, then by status.
    requests: std::collections::BTreeMap<String, std::collections::BTreeMap<u16, u64>>,
    /// Requests by latency bucket (not cumulative); the last is above every bound.
    latency: [u64; LATENCY_BOUNDS.len() + 1],
    latency_sum: f64,
}

#[derive(Default)]
pub struct Sandbox {
    faults: Mutex<Vec<FaultRule>>,
    /// Whether any rule is set: the common case costs one load.
    armed: AtomicBool,
    recorded: Mutex<Recorded>,
    jobs_run: std::sync::atomic::AtomicU64,
}

/// Whether `call` matches `pattern`, where `*` stands for any run of characters.
pub fn glob_matches(pattern: &str, call: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = call.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A number from 0 (inclusive) to 1 (exclusive), from the system's randomness.
fn roll() -> f64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        return 0.0;
    }
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// The parameters a request sent, form-encoded in one string as they came
/// (query, then body), with the secret ones' values replaced by `***`. A
/// key is read decoded, so an encoded `api%2Dkey` is hidden too.
pub fn redacted(query: &str, body: &str) -> String {
    let mut out = String::with_capacity(query.len() + body.len() + 1);
    let pairs = query.split('&').chain(body.split('&'));
    for pair in pairs.filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('&');
        }
        let key = form_urlencoded::parse(pair.as_bytes())
            .next()
            .map(|(key, _)| key)
            .unwrap_or_default();
        if !crate::wire::params::name_like(&key) {
            // No parameter's name: it may hold anything, a secret too.
            out.push_str("***");
            continue;
        }
        match pair.split_once('=') {
            Some((raw, _)) if SECRET_PARAMS.contains(&key.as_ref()) => {
                out.push_str(raw);
                out.push_str("=***");
            }
            _ => out.push_str(pair),
        }
    }
    out
}

impl Sandbox {
    /// Counts jobs the clock ran.
    pub fn count_jobs(&self, n: u64) {
        self.jobs_run.fetch_add(n, Ordering::Relaxed);
    }

    /// Forgets every rule and every recorded request (a reset).
    pub fn clear(&self) {
        self.set_faults(Vec::new());
        let mut recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
        recorded.journal.clear();
    }

    /// Replaces the rules.
    pub fn set_faults(&self, rules: Vec<FaultRule>) {
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        self.armed.store(!rules.is_empty(), Ordering::Relaxed);
        *faults = rules;
    }

    pub fn faults(&self) -> Vec<FaultRule> {
        self.faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The fault a call meets: the first rule that matches it, has hits
    /// left and wins its roll; that rule spends one of its hits.
    pub fn hit(&self, call: &str, reseller: Option<i64>) -> Option<Hit> {
        if !self.armed.load(Ordering::Relaxed) {
            return None;
        }
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        for rule in faults.iter_mut() {
            let matches = glob_matches(&rule.call, call)
                && rule.reseller.is_none_or(|r| Some(r as i64) == reseller)
                && rule.count != Some(0);
            if !matches || (rule.probability < 1.0 && roll() >= rule.probability) {
                continue;
            }
            if let Some(count) = rule.count.as_mut() {
                *count -= 1;
            }
            return Some(Hit {
                latency_ms: rule.latency_ms,
                status: rule.answer(),
                drop: rule.drop,
            });
        }
        None
    }

    /// Keeps a request in the journal and counts it; `label` is the call
    /// the metrics count it under (`unknown` for a path that is no call).
    pub fn record(&self, entry: Entry, label: &str) {
        let seconds = entry.duration_ms / 1000.0;
        let bucket = LATENCY_BOUNDS
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(LATENCY_BOUNDS.len());
        let oldest = {
            let mut recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
            // The call's name is copied only the first time it is counted.
            match recorded.requests.get_mut(label) {
                Some(statuses) => *statuses.entry(entry.status).or_insert(0) += 1,
                None => {
                    let statuses = std::collections::BTreeMap::from([(entry.status, 1)]);
                    recorded.requests.insert(label.to_string(), statuses);
                }
            }
            recorded.latency[bucket] += 1;
            recorded.latency_sum += seconds;
            let oldest = (recorded.journal.len() == JOURNAL_SIZE)
                .then(|| recorded.journal.pop_front())
                .flatten();
            recorded.journal.push_back(entry);
            recorded.journaled += 1;
            oldest
        };
        // Freed outside the lock.
        drop(oldest);
    }

    /// The newest `limit` requests, newest first.
    pub fn journal(&self, limit: usize) -> Vec<Entry> {
        let recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
        recorded.journal.iter().rev().take(limit).cloned().collect()
    }

    /// The requests kept after the first `seen` (oldest first, those the
    /// journal still holds), and how many have been kept in all: what a
    /// live view asks every so often.
    pub fn journal_since(&self, seen: u64) -> (u64, Vec<Entry>) {
        let recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
        let newer = recorded.journaled.saturating_sub(seen) as usize;
        let skip = recorded.journal.len().saturating_sub(newer);
        (
            recorded.journaled,
            recorded.journal.iter().skip(skip).cloned().collect(),
        )
    }

    /// The counts in the Prometheus text format.
    pub fn metrics(&self) -> String {
        use std::fmt::Write;
        let (requests, latency, sum) = {
            let recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
            (
                recorded.requests.clone(),
                recorded.latency,
                recorded.latency_sum,
            )
        };
        let mut out = String::new();
        out.push_str("# HELP reseller_requests_total API requests answered, by call and status.\n");
        out.push_str("# TYPE reseller_requests_total counter\n");
        for (call, statuses) in &requests {
            for (status, n) in statuses {
                let _ = writeln!(
                    out,
                    "reseller_requests_total{{call=\"{call}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP reseller_request_duration_seconds Time to answer an API request.\n");
        out.push_str("# TYPE reseller_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (bound, n) in LATENCY_BOUNDS.iter().zip(latency) {
            cumulative += n;
            let _ = writeln!(
                out,
                "reseller_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        cumulative += latency[LATENCY_BOUNDS.len()];
        let _ = writeln!(
            out,
            "reseller_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let _ = writeln!(out, "reseller_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "reseller_request_duration_seconds_count {cumulative}");
        let (groups, grouped) = reseller_store::write_groups::snapshot();
        out.push_str(
            "# HELP reseller_write_group_size Write requests each group commit carried.\n",
        );
        out.push_str("# TYPE reseller_write_group_size histogram\n");
        let mut cumulative = 0;
        for (bound, n) in reseller_store::write_groups::BOUNDS.iter().zip(groups) {
            cumulative += n;
            let _ = writeln!(
                out,
                "reseller_write_group_size_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "reseller_write_group_size_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let _ = writeln!(out, "reseller_write_group_size_sum {grouped}");
        let _ = writeln!(out, "reseller_write_group_size_count {cumulative}");
        out.push_str("# HELP reseller_jobs_run_total Jobs the clock's advances ran here.\n");
        out.push_str("# TYPE reseller_jobs_run_total counter\n");
        let _ = writeln!(
            out,
            "reseller_jobs_run_total {}",
            self.jobs_run.load(Ordering::Relaxed)
        );
        out
    }
}

impl FaultRule {
    /// A rule from its JSON object, checked, or why not.
    pub fn parse(value: Value) -> Result<FaultRule, String> {
        let mut rule: FaultRule = serde_json::from_value(value).map_err(|e| e.to_string())?;
        if rule.call.is_empty() {
            return Err(
                "Invalid call: it must be a call path such as domains/register or domains/*".into(),
            );
        }
        if rule.latency_ms > 60_000 {
            return Err(format!(
                "Invalid latency_ms: {}. It must be at most 60000",
                rule.latency_ms
            ));
        }
        if !(0.0..=1.0).contains(&rule.probability) {
            return Err(format!(
                "Invalid probability: {}. It must be from 0 to 1",
                rule.probability
            ));
        }
        match (rule.status, &rule.message) {
            (Some(status), _) if !(400..=599).contains(&status) => {
                return Err(format!(
                    "Invalid status: {status}. It must be from 400 to 599"
                ));
            }
            (Some(_), None) => rule.message = Some("Simulated fault".into()),
            (None, Some(_)) => return Err("A message needs its status".into()),
            _ => {}
        }
        if rule.status.is_none() && rule.latency_ms == 0 && !rule.drop {
            return Err("A rule needs an effect: status (with message), latency_ms or drop".into());
        }
        if rule.drop && rule.status.is_some() {
            return Err("A dropped call has no status: give drop or status, not both".into());
        }
        Ok(rule)
    }

    /// The status and message a hit answers, if any.
    pub fn answer(&self) -> Option<(u16, String)> {
        self.status
            .map(|status| (status, self.message.clone().unwrap_or_default()))
    }
}

impl Entry {
    pub fn to_json(&self) -> Value {
        let params: serde_json::Map<String, Value> = form_urlencoded::parse(self.params.as_bytes())
            .map(|(k, v)| (k.into_owned(), json!(v)))
            .collect();
        json!({
            "time": self.time,
            "method": self.method.as_str(),
            "call": self.call,
            "params": params,
            "status": self.status,
            "reply": self.reply,
            "duration_ms": self.duration_ms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_stands_for_any_run_of_characters() {
        assert!(glob_matches("domains/*", "domains/register"));
        assert!(glob_matches(
            "domains/*",
            "domains/nixi/verification/resend"
        ));
        assert!(glob_matches("*", "backup/us/add"));
        assert!(glob_matches("backup/*/add", "backup/us/add"));
        assert!(glob_matches("backup/us/add", "backup/us/add"));
        assert!(!glob_matches("backup/us/add", "backup/us/adds"));
        assert!(!glob_matches("domains/*", "contacts/add"));
        assert!(!glob_matches("*/add", "backup/us/renew"));
        assert!(glob_matches("a*a", "aa"));
        assert!(!glob_matches("a*a", "a"));
    }

    #[test]
    fn secrets_are_hidden_in_the_journal() {
        let params = redacted("auth-userid=1&api-key=k&passwd=p", "name=x+y&auth-code=c");
        assert_eq!(
            params,
            "auth-userid=1&api-key=***&passwd=***&name=x+y&auth-code=***"
        );
        // An encoded key is a key all the same.
        assert_eq!(redacted("api%2Dkey=k&a=1", ""), "api%2Dkey=***&a=1");
        assert_eq!(redacted("", ""), "");
    }

    #[test]
    fn a_rule_spends_its_count_and_the_first_match_wins() {
        let sandbox = Sandbox::default();
        let rule = |call: &str, count, status: u16| FaultRule {
            call: call.into(),
            reseller: None,
            probability: 1.0,
            count,
            status: Some(status),
            message: Some("x".into()),
            latency_ms: 0,
            drop: false,
        };
        sandbox.set_faults(vec![rule("backup/*", Some(1), 500), rule("*", None, 503)]);
        assert_eq!(
            sandbox
                .hit("backup/us/add", None)
                .unwrap()
                .status
                .unwrap()
                .0,
            500
        );
        assert_eq!(
            sandbox
                .hit("backup/us/add", None)
                .unwrap()
                .status
                .unwrap()
                .0,
            503
        );
        assert!(FaultRule::parse(json!({"call": "x"})).is_err());
        assert!(FaultRule::parse(json!({"call": "x", "status": 200})).is_err());
        assert!(FaultRule::parse(json!({"call": "x", "drop": true, "status": 500})).is_err());
        assert!(FaultRule::parse(json!({"call": "x", "probability": 2})).is_err());
        assert!(FaultRule::parse(json!({"call": "x", "colour": 2})).is_err());
        let slow = FaultRule::parse(json!({"call": "x", "latency_ms": 5})).unwrap();
        assert_eq!(
            serde_json::to_value(&slow).unwrap(),
            json!({"call": "x", "probability": 1.0, "latency_ms": 5})
        );
    }
}
