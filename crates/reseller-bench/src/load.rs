//! The load generator: a fixed number of keep-alive HTTP/1.1 connections,
//! each sending its next request as soon as the last is answered, for a fixed
//! time. Bounded in connections and duration, loopback targets only, so it
//! always stops by itself and never leaves this machine.

use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const MAX_CONNECTIONS: usize = 1024;
pub const MAX_DURATION: Duration = Duration::from_secs(120);

/// Builds the request a connection sends next: (method, path and query).
pub type Requests = Arc<dyn Fn(usize, u64) -> (Method, String) + Send + Sync>;

#[derive(Clone)]
pub struct Load {
    pub target: SocketAddr,
    pub connections: usize,
    pub duration: Duration,
    /// Time at the start whose requests are sent but not counted.
    pub warmup: Duration,
    pub requests: Requests,
}

#[derive(Debug, Clone)]
pub struct Figures {
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    /// Latencies in microseconds.
    pub latencies: Histogram<u64>,
    /// The first failed reply, to say what went wrong.
    pub first_error: Option<String>,
}

impl Figures {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    pub fn p50_ms(&self) -> f64 {
        self.latencies.value_at_quantile(0.50) as f64 / 1000.0
    }

    pub fn p99_ms(&self) -> f64 {
        self.latencies.value_at_quantile(0.99) as f64 / 1000.0
    }

    pub fn max_ms(&self) -> f64 {
        self.latencies.max() as f64 / 1000.0
    }

    /// Adds another measurement of the same load (a later round).
    pub fn merge(&mut self, other: &Figures) -> Result<(), String> {
        self.requests += other.requests;
        self.errors += other.errors;
        self.seconds += other.seconds;
        self.latencies
            .add(&other.latencies)
            .map_err(|e| e.to_string())?;
        if self.first_error.is_none() {
            self.first_error.clone_from(&other.first_error);
        }
        Ok(())
    }
}

struct Tally {
    histogram: Histogram<u64>,
    requests: u64,
    errors: u64,
    first_error: Option<String>,
}

pub async fn run(load: Load) -> Result<Figures, String> {
    if !load.target.ip().is_loopback() {
        return Err(format!("{} is not a loopback address", load.target));
    }
    if load.connections == 0 || load.connections > MAX_CONNECTIONS {
        return Err(format!("connections must be 1 to {MAX_CONNECTIONS}"));
    }
    if load.duration > MAX_DURATION || load.duration.is_zero() {
        return Err(format!(
            "duration must be more than 0 and at most {MAX_DURATION:?}"
        ));
    }
    let started = Instant::now();
    let counting_from = started + load.warmup;
    let deadline = counting_from + load.duration;
    let mut tasks = Vec::with_capacity(load.connections);
    for connection in 0..load.connections {
        let load = load.clone();
        tasks.push(tokio::spawn(async move {
            drive(load, connection, counting_from, deadline).await
        }));
    }
    let mut total = Tally {
        histogram: Histogram::new(3).expect("a histogram"),
        requests: 0,
        errors: 0,
        first_error: None,
    };
    for task in tasks {
        let tally = task.await.map_err(|e| e.to_string())??;
        total
            .histogram
            .add(&tally.histogram)
            .map_err(|e| e.to_string())?;
        total.requests += tally.requests;
        total.errors += tally.errors;
        total.first_error = total.first_error.or(tally.first_error);
    }
    Ok(Figures {
        requests: total.requests,
        errors: total.errors,
        seconds: load.duration.as_secs_f64(),
        latencies: total.histogram,
        first_error: total.first_error,
    })
}

async fn drive(
    load: Load,
    connection: usize,
    counting_from: Instant,
    deadline: Instant,
) -> Result<Tally, String> {
    let stream = tokio::net::TcpStream::connect(load.target)
        .await
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let host = load.target.to_string();
    let mut tally = Tally {
        histogram: Histogram::new(3).expect("a histogram"),
        requests: 0,
        errors: 0,
        first_error: None,
    };
    let mut sequence = 0u64;
    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        let (method, path) = (load.requests)(connection, sequence);
        sequence += 1;
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, &host)
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        let sent = Instant::now();
        let outcome = match sender.send_request(request).await {
            Ok(response) => {
                let status = response.status();
                match response.into_body().collect().await {
                    Ok(body) => {
                        let body = body.to_bytes();
                        let failed =
                            !status.is_success() || body.starts_with(b"{\"status\":\"ERROR\"");
                        failed.then(|| format!("{status}: {}", String::from_utf8_lossy(&body)))
                    }
                    Err(e) => Some(e.to_string()),
                }
            }
            Err(e) => Some(e.to_string()),
        };
        let elapsed = sent.elapsed();
        if sent >= counting_from {
            tally.requests += 1;
            tally
                .histogram
                .record(elapsed.as_micros() as u64)
                .map_err(|e| e.to_string())?;
            if let Some(error) = outcome {
                tally.errors += 1;
                tally.first_error.get_or_insert(error);
            }
        } else if let Some(error) = outcome {
            tally.errors += 1;
            tally.first_error.get_or_insert(error);
        }
        if sender.ready().await.is_err() {
            return Err("the server closed the connection".to_string());
        }
    }
    Ok(tally)
}
