//! Rendering replies: every handler answers a `serde_json::Value`, which is
//! sent as JSON or, for `.xml` paths, as the Java-style map serialisation
//! the real service uses (`<hashtable><entry><string>key</string>...`).

use super::error::ApiError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::escape::escape;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

pub fn render(format: Format, status: u16, body: &Value) -> Response {
    let (content_type, bytes) = match format {
        Format::Json => (
            "application/json; charset=utf-8",
            body.to_string().into_bytes(),
        ),
        Format::Xml => ("application/xml; charset=utf-8", to_xml(body).into_bytes()),
    };
    let mut response = bytes.into_response();
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The API's error envelope.
pub fn render_error(format: Format, error: &ApiError) -> Response {
    let mut response = render(
        format,
        error.status(),
        &json!({"status": "ERROR", "message": error.to_string()}),
    );
    if let ApiError::WrongMethod { allowed, .. } = error {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allowed));
    }
    response
}

pub fn to_xml(value: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    write_xml(value, &mut out);
    out
}

fn write_xml(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push_str("<hashtable>");
            for (key, value) in map {
                out.push_str("<entry><string>");
                out.push_str(&escape(key.as_str()));
                out.push_str("</string>");
                write_xml(value, out);
                out.push_str("</entry>");
            }
            out.push_str("</hashtable>");
        }
        Value::Array(items) => {
            out.push_str("<vector>");
            for item in items {
                write_xml(item, out);
            }
            out.push_str("</vector>");
        }
        Value::String(text) => {
            out.push_str("<string>");
            out.push_str(&escape(text.as_str()));
            out.push_str("</string>");
        }
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            out.push_str(&format!("<int>{n}</int>"));
        }
        Value::Number(n) => out.push_str(&format!("<double>{n}</double>")),
        Value::Bool(b) => out.push_str(&format!("<boolean>{b}</boolean>")),
        Value::Null => out.push_str("<null/>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_become_nested_hashtables_with_escaped_text() {
        let xml = to_xml(&json!({"a": "x<y", "n": 1, "m": {"b": true}}));
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hashtable><entry><string>a</string><string>x&lt;y</string></entry><entry><string>n</string><int>1</int></entry><entry><string>m</string><hashtable><entry><string>b</string><boolean>true</boolean></entry></hashtable></entry></hashtable>"
        );
    }

    #[test]
    fn bare_values_stay_bare() {
        assert!(to_xml(&json!(42)).ends_with("<int>42</int>"));
        assert!(to_xml(&json!(true)).ends_with("<boolean>true</boolean>"));
    }
}
