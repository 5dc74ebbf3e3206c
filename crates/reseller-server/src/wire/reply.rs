//! Reply bodies and their rendering. Handlers build a [`Reply`], a small
//! tree in insertion order with static keys, and the wire renders it as
//! JSON or, for `.xml` paths, as the Java-style map serialisation the real
//! service uses (`<hashtable><entry><string>key</string>...`). One tree,
//! two renderings, so both formats always carry the same data.

use super::error::ApiError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::escape::escape;
use reseller_core::Money;
use std::borrow::Cow;
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Map(Vec<(Cow<'static, str>, Reply)>),
    List(Vec<Reply>),
    /// A string.
    Text(Cow<'static, str>),
    /// A whole number shown as a string, as the API shows most numbers (`"42"`).
    Id(i64),
    /// A real JSON number (bare ids, a few counts).
    Int(i64),
    /// Money as a real JSON number, as a few keys show it
    /// (`currentOrderPrice`): `12.5`, `0.0`; written from thousandths.
    Number(Money),
    Bool(bool),
    Null,
    /// A bare word outside JSON's grammar, as a few calls answer
    /// (`Success`, shared/DOMAINS.md); XML shows it as a string.
    Word(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// Builds a map reply key by key, in the order the keys are added.
#[derive(Debug, Default)]
pub struct MapReply(Vec<(Cow<'static, str>, Reply)>);

impl MapReply {
    pub fn with_capacity(n: usize) -> MapReply {
        MapReply(Vec::with_capacity(n))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn put(&mut self, key: impl Into<Cow<'static, str>>, value: Reply) -> &mut Self {
        self.0.push((key.into(), value));
        self
    }

    /// Puts `value` in place of the key's value, or adds the key.
    pub fn replace(&mut self, key: &'static str, value: Reply) -> &mut Self {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, old)) => *old = value,
            None => self.0.push((key.into(), value)),
        }
        self
    }

    pub fn text(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) -> &mut Self {
        self.put(key, Reply::Text(value.into()))
    }

    /// A whole number shown as a string: an id of any kind, or a count.
    pub fn id(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<i64>) -> &mut Self {
        self.put(key, Reply::Id(value.into()))
    }

    /// Money as the API shows it: a string with three decimals.
    pub fn money(&mut self, key: impl Into<Cow<'static, str>>, value: Money) -> &mut Self {
        self.text(key, value.to_string())
    }

    /// A boolean as the API shows most of them: the string `true` or `false`.
    pub fn flag(&mut self, key: impl Into<Cow<'static, str>>, value: bool) -> &mut Self {
        self.text(key, if value { "true" } else { "false" })
    }

    pub fn build(self) -> Reply {
        Reply::Map(self.0)
    }
}

impl From<MapReply> for Reply {
    fn from(map: MapReply) -> Reply {
        map.build()
    }
}

/// For replies written with `serde_json::json!`: strings stay strings,
/// integers become real numbers.
impl From<serde_json::Value> for Reply {
    fn from(value: serde_json::Value) -> Reply {
        match value {
            serde_json::Value::Null => Reply::Null,
            serde_json::Value::Bool(b) => Reply::Bool(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(int) => Reply::Int(int),
                None => Money::parse(&n.to_string())
                    .map(Reply::Number)
                    .unwrap_or_else(|_| Reply::Text(n.to_string().into())),
            },
            serde_json::Value::String(s) => Reply::Text(s.into()),
            serde_json::Value::Array(items) => {
                Reply::List(items.into_iter().map(Reply::from).collect())
            }
            serde_json::Value::Object(map) => Reply::Map(
                map.into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Reply::from(v)))
                    .collect(),
            ),
        }
    }
}

impl Reply {
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Reply::Map(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_string(key, out);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
            Reply::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Reply::Text(text) => json_string(text, out),
            Reply::Id(n) => {
                let _ = write!(out, "\"{n}\"");
            }
            Reply::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Reply::Number(money) => out.push_str(&decimal(*money)),
            Reply::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Reply::Null => out.push_str("null"),
            Reply::Word(word) => out.push_str(word),
        }
    }

    pub fn to_xml(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        self.write_xml(&mut out);
        out
    }

    fn write_xml(&self, out: &mut String) {
        match self {
            Reply::Map(entries) => {
                out.push_str("<hashtable>");
                for (key, value) in entries {
                    out.push_str("<entry><string>");
                    out.push_str(&escape(key.as_ref()));
                    out.push_str("</string>");
                    value.write_xml(out);
                    out.push_str("</entry>");
                }
                out.push_str("</hashtable>");
            }
            Reply::List(items) => {
                out.push_str("<vector>");
                for item in items {
                    item.write_xml(out);
                }
                out.push_str("</vector>");
            }
            Reply::Text(text) => {
                out.push_str("<string>");
                out.push_str(&escape(text.as_ref()));
                out.push_str("</string>");
            }
            Reply::Id(n) => {
                let _ = write!(out, "<string>{n}</string>");
            }
            Reply::Int(n) => {
                let _ = write!(out, "<int>{n}</int>");
            }
            Reply::Number(money) => {
                let _ = write!(out, "<double>{}</double>", decimal(*money));
            }
            Reply::Bool(b) => {
                let _ = write!(out, "<boolean>{b}</boolean>");
            }
            Reply::Null => out.push_str("<null/>"),
            Reply::Word(word) => {
                out.push_str("<string>");
                out.push_str(&escape(*word));
                out.push_str("</string>");
            }
        }
    }
}

/// Money as the shortest decimal with at least one fractional digit, as a
/// JSON reader writes the number back: `12.5`, `0.0`, `1234.567`.
fn decimal(money: Money) -> String {
    let text = money.to_string();
    let trimmed = text.trim_end_matches('0');
    if trimmed.ends_with('.') {
        format!("{trimmed}0")
    } else {
        trimmed.to_string()
    }
}

/// A JSON string literal with the escapes JSON requires.
fn json_string(text: &str, out: &mut String) {
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escaped);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

pub fn render(format: Format, status: u16, body: &Reply) -> Response {
    rendered(format, status, body, 0).0
}

/// The response, and the first `excerpt` characters of its body.
pub fn rendered(format: Format, status: u16, body: &Reply, excerpt: usize) -> (Response, String) {
    let (content_type, text) = match format {
        // A bare word is no JSON; it says so.
        Format::Json if matches!(body, Reply::Word(_)) => {
            ("text/plain; charset=utf-8", body.to_json())
        }
        Format::Json => ("application/json; charset=utf-8", body.to_json()),
        Format::Xml => ("application/xml; charset=utf-8", body.to_xml()),
    };
    // The first `excerpt` characters, cut at a character's boundary.
    let end = text
        .char_indices()
        .nth(excerpt)
        .map_or(text.len(), |(at, _)| at);
    let excerpt = text[..end].to_string();
    let mut response = text.into_response();
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    (response, excerpt)
}

/// The API's error envelope.
pub fn render_error(format: Format, error: &ApiError) -> Response {
    rendered_error(format, error, 0).0
}

/// The error envelope, and the first `excerpt` characters of its body.
pub fn rendered_error(format: Format, error: &ApiError, excerpt: usize) -> (Response, String) {
    let mut envelope = MapReply::with_capacity(2);
    envelope
        .text("status", "ERROR")
        .text("message", error.to_string());
    let (mut response, excerpt) = rendered(format, error.status(), &envelope.build(), excerpt);
    if let ApiError::WrongMethod { allow_header, .. } = error {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow_header));
    }
    (response, excerpt)
}

/// A refusal of the `mail/*` family in its own dialect, answered with
/// HTTP 200 as that family answers: `{"response": {"status": "FAILURE",
/// "message", "errorCode"}}`.
pub fn rendered_mail_error(format: Format, error: &ApiError, excerpt: usize) -> (Response, String) {
    let mut inner = MapReply::with_capacity(3);
    inner
        .text("status", "FAILURE")
        .text("message", error.to_string())
        .text("errorCode", error.mail_error_code());
    let mut envelope = MapReply::with_capacity(1);
    envelope.put("response", inner.build());
    rendered(format, 200, &envelope.build(), excerpt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_become_nested_hashtables_with_escaped_text() {
        let xml = Reply::from(json!({"a": "x<y", "n": 1, "m": {"b": true}})).to_xml();
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hashtable><entry><string>a</string><string>x&lt;y</string></entry><entry><string>n</string><int>1</int></entry><entry><string>m</string><hashtable><entry><string>b</string><boolean>true</boolean></entry></hashtable></entry></hashtable>"
        );
    }

    #[test]
    fn bare_values_stay_bare() {
        assert!(Reply::Int(42).to_xml().ends_with("<int>42</int>"));
        assert!(
            Reply::Bool(true)
                .to_xml()
                .ends_with("<boolean>true</boolean>")
        );
        assert_eq!(Reply::Int(42).to_json(), "42");
    }

    #[test]
    fn money_as_a_number_is_written_as_a_json_reader_writes_it_back() {
        for (money, text) in [
            (Money(0), "0.0"),
            (Money(12_500), "12.5"),
            (Money(1_234_567), "1234.567"),
            (Money(-250), "-0.25"),
        ] {
            assert_eq!(Reply::Number(money).to_json(), text);
            let parsed: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(parsed.to_string(), text);
            assert_eq!(Reply::from(parsed), Reply::Number(money));
        }
    }

    #[test]
    fn json_is_what_serde_json_reads_back() {
        let mut map = MapReply::default();
        map.text("quote\"back\\slash", "line\nbreak\u{1}tab\t é")
            .id("id", -7)
            .flag("flag", true)
            .put("list", Reply::List(vec![Reply::Int(1), Reply::Null]));
        let text = map.build().to_json();
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed,
            json!({"quote\"back\\slash": "line\nbreak\u{1}tab\t é", "id": "-7", "flag": "true", "list": [1, null]})
        );
    }

    #[test]
    fn json_values_keep_their_order_and_types() {
        let reply = Reply::from(json!({"b": "1", "a": 2}));
        assert_eq!(reply.to_json(), r#"{"b":"1","a":2}"#);
    }
}
