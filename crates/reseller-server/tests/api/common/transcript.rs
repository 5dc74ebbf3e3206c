//! A [`Caller`] that writes down every call of the walk and its reply, in
//! one format, with what changes from run to run (times, signed links)
//! replaced by a marker: the text the snapshot and backend tests compare.

use super::TestApp;
use super::every_call::{Caller, every_call};
use std::fmt::Write;

pub struct Transcript<'a> {
    app: &'a TestApp,
    /// `json` or `xml`.
    format: &'static str,
    pub text: String,
}

impl<'a> Transcript<'a> {
    /// The walk over every call on `app`, written down in `format`.
    pub async fn of_every_call(app: &'a TestApp, format: &'static str) -> String {
        let mut transcript = Transcript {
            app,
            format,
            text: String::new(),
        };
        every_call(&mut transcript).await;
        transcript.text
    }

    fn record(
        &mut self,
        method: &str,
        call: &str,
        params: &[(&str, &str)],
        status: u16,
        body: &str,
    ) {
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| {
                without_times(&without_tokens(&without_random_values(&format!("{k}={v}"))))
            })
            .collect();
        let _ = writeln!(
            self.text,
            "{method} {call}.{} {}\n{status}\n{}\n",
            self.format,
            query.join("&"),
            // Tokens first: a UUID may hold a run of ten digits.
            without_pins(&without_links(&without_times(&without_tokens(
                &without_random_values(body)
            ))))
        );
    }
}

/// The text with every Unix time of this era (ten digits from 1000000000)
/// replaced by `[time]`; ids, amounts and counts never have ten digits here.
pub fn without_times(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() == 10 && !digits.starts_with('0') {
            out.push_str("[time]");
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

/// The text with every link cut after its path's first two segments (say
/// `/console/backup`): the rest names the server's port and is signed
/// over the time.
pub fn without_links(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("http://") {
        out.push_str(&rest[..start]);
        let link = &rest[start..];
        let end = link.find(['"', '<']).unwrap_or(link.len());
        let path: Vec<&str> = link[..end]
            .trim_start_matches("http://")
            .split('/')
            .skip(1)
            .take(2)
            .collect();
        out.push_str(&format!("http://[server]/{}/[signed]", path.join("/")));
        rest = &link[end..];
    }
    out.push_str(rest);
    out
}

/// The text with every customer's random support PIN replaced by `[pin]`.
pub fn without_pins(text: &str) -> String {
    let mut out = text.to_string();
    for marker in ["\"pin\":\"", "<string>pin</string><string>"] {
        let mut from = 0;
        while let Some(at) = out[from..].find(marker) {
            let start = from + at + marker.len();
            let end = start
                + out[start..]
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(0);
            out.replace_range(start..end, "[pin]");
            from = start;
        }
    }
    out
}

/// The text with the values made at random or from the time that no other
/// mask covers: PEM blocks (a CSR sent, a certificate answered) by `[pem]`,
/// certificate serials (32 hex digits) by `[serial]`, license keys (five
/// groups of four upper-case hex digits) by `[license-key]`, the `mail/*`
/// family's times (`2026-12-05 18:00:00.000 GMT`) by `[time]`, the
/// passwords a reset makes (`Rp`, 16 hex digits, `9`) by `[password]` and
/// a one-time code sent back (`otp=` and six digits) by `otp=[otp]`.
pub fn without_random_values(text: &str) -> String {
    let time = |s: &[u8]| {
        const SHAPE: &[u8] = b"dddd-dd-dd dd:dd:dd.ddd GMT";
        s.len() >= SHAPE.len()
            && SHAPE.iter().zip(s).all(|(want, b)| match want {
                b'd' => b.is_ascii_digit(),
                other => other == b,
            })
    };
    let password = |s: &[u8]| {
        s.len() >= 19
            && s.starts_with(b"Rp")
            && s[2..18]
                .iter()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            && s[18] == b'9'
    };
    // A one-time code the walk sends back (`verify-otp`), made at random.
    let one_time_code = |s: &[u8]| {
        s.len() >= 10 && s.starts_with(b"otp=") && s[4..10].iter().all(u8::is_ascii_digit)
    };
    let license_key = |s: &[u8]| {
        s.len() >= 24
            && s[..24].iter().enumerate().all(|(i, b)| match i % 5 {
                4 => *b == b'-',
                _ => b.is_ascii_digit() || (b'A'..=b'F').contains(b),
            })
    };
    // PEM blocks (a CSR sent, a certificate answered) hold fresh keys.
    let mut text = text.to_string();
    while let Some(start) = text.find("-----BEGIN ") {
        let Some(end) = text[start..].find("-----END ") else {
            break;
        };
        let end = start + end;
        let Some(close) = text[end + 9..].find("-----") else {
            break;
        };
        text.replace_range(start..end + 9 + close + 5, "[pem]");
    }
    let text = text.as_str();
    // A certificate's serial: 32 lower-case hex digits, made at random.
    let serial = |s: &[u8]| {
        s.len() >= 32
            && s[..32]
                .iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            && s.get(32).is_none_or(|b| !b.is_ascii_hexdigit())
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if serial(&bytes[i..]) && (i == 0 || !bytes[i - 1].is_ascii_hexdigit()) {
            out.push_str("[serial]");
            i += 32;
        } else if license_key(&bytes[i..]) {
            out.push_str("[license-key]");
            i += 24;
        } else if time(&bytes[i..]) {
            out.push_str("[time]");
            i += 27;
        } else if password(&bytes[i..]) {
            out.push_str("[password]");
            i += 19;
        } else if one_time_code(&bytes[i..]) {
            out.push_str("otp=[otp]");
            i += 10;
        } else {
            let c = text[i..].chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The text with every random token (a UUID) replaced by `[token]`, in the
/// reply and in what the walk sends back.
pub fn without_tokens(text: &str) -> String {
    let shape = |s: &[u8]| {
        s.len() >= 36
            && s[..36].iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            })
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if shape(&bytes[i..]) {
            out.push_str("[token]");
            i += 36;
        } else {
            let c = text[i..].chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The text of `key` in a reply of either format.
fn value_of(format: &str, body: &str, key: &str) -> String {
    if format == "json" {
        let value: serde_json::Value = serde_json::from_str(body).expect("a JSON reply");
        return match &value[key] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
    }
    let marker = format!("<entry><string>{key}</string><string>");
    let after = body
        .split(&marker)
        .nth(1)
        .unwrap_or_else(|| panic!("no {key} in {body}"));
    after.split('<').next().unwrap().to_string()
}

impl Caller for Transcript<'_> {
    fn app(&self) -> &TestApp {
        self.app
    }

    async fn read(&mut self, call: &str, params: &[(&str, &str)]) {
        let reply = self
            .app
            .get(&format!("{call}.{}", self.format), params)
            .await;
        self.record("GET", call, params, reply.status, &reply.text);
    }

    async fn write(&mut self, call: &str, params: &[(&str, &str)], key: Option<&str>) -> String {
        let reply = self
            .app
            .post(&format!("{call}.{}", self.format), params)
            .await;
        self.record("POST", call, params, reply.status, &reply.text);
        assert_eq!(reply.status, 200, "{call}: {}", reply.text);
        match key {
            Some(key) => value_of(self.format, &reply.text, key),
            None => reply.text,
        }
    }

    async fn signed_link(&mut self, call: &str, params: &[(&str, &str)]) {
        self.read(call, params).await;
    }
}
