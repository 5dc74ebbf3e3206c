//! The OpenAPI 3.1 description of the API, served at `/openapi.json` and
//! browsable at `/openapi`. It is generated from what the server itself
//! runs on: the route table's methods, declared parameters and reply
//! shapes (`routes`), and the control plane's list of endpoints
//! (`control::ENDPOINTS`), so it cannot drift from the wire. Nothing here
//! is written per call.

use crate::control::{ENDPOINTS, Endpoint};
use crate::routes::{Kind, Param, RouteTable, Shape, Verb};
use reseller_api::replies::{ActionReceipt, Reply};
use serde_json::{Map, Value, json};

/// The description of every call in `table` and of the control plane.
pub fn document(table: &RouteTable) -> Value {
    let mut paths = Map::new();
    let mut calls: Vec<_> = table.iter().collect();
    calls.sort_by(|a, b| a.0.cmp(b.0));
    for (call, route) in calls {
        let operation = |method: &str| {
            let mut op = json!({
                "operationId": format!("{method}_{}", call.replace(['/', '-'], "_")),
                "tags": [call.split('/').next().unwrap_or(call)],
                "summary": format!("/api/{call}"),
                "parameters": route.params.iter().flat_map(parameters).collect::<Vec<_>>(),
                "responses": responses(route.reply, route.reply_schema.clone()),
            });
            if method == "post" {
                op["description"] = json!(
                    "The parameters may also be sent as a form-encoded body \
                     (application/x-www-form-urlencoded)."
                );
            }
            op
        };
        let mut item = Map::new();
        if matches!(route.verb, Verb::Get | Verb::GetOrPost) {
            item.insert("get".into(), operation("get"));
        }
        // Reads are answered by POST too (`Route::allows`).
        item.insert("post".into(), operation("post"));
        paths.insert(format!("/api/{call}.json"), Value::Object(item));
    }
    for endpoint in &ENDPOINTS {
        let item = paths
            .entry(format!("/_reseller{}", endpoint.path))
            .or_insert_with(|| json!({}));
        item[endpoint.method] = control_operation(endpoint);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "reseller",
            "version": env!("CARGO_PKG_VERSION"),
            "description": DESCRIPTION,
        },
        "servers": [{ "url": "/" }],
        "security": [{ "auth-userid": [], "api-key": [] }],
        "tags": tags(&paths),
        "paths": paths,
        "components": {
            "securitySchemes": {
                "auth-userid": { "type": "apiKey", "in": "query", "name": "auth-userid",
                    "description": "The reseller's id." },
                "api-key": { "type": "apiKey", "in": "query", "name": "api-key",
                    "description": "The reseller's API key." },
                "admin-token": { "type": "http", "scheme": "bearer",
                    "description": "The control plane's admin token (`--admin-token`)." },
            },
            "schemas": {
                "Error": {
                    "description": "The API's error envelope: HTTP 500 for every business \
                        error, as the real service answers; 404, 405, 400, 408 and 413 \
                        for calls and bodies the wire cannot take.",
                    "type": "object",
                    "required": ["status", "message"],
                    "properties": {
                        "status": { "const": "ERROR" },
                        "message": { "type": "string" },
                    },
                    "additionalProperties": false,
                },
                "Action": action_schema(),
                "Search": {
                    "description": "A page of records: `recsonpage`, `recsindb`, then each \
                        record under `\"1\"`, `\"2\"`, ...",
                    "type": "object",
                    "required": ["recsonpage", "recsindb"],
                    "properties": text_properties(&["recsonpage", "recsindb"]),
                    "additionalProperties": { "type": "object" },
                },
                "ControlError": {
                    "type": "object",
                    "required": ["error"],
                    "properties": { "error": { "type": "string" } },
                },
            },
        },
    })
}

const DESCRIPTION: &str = "The LogicBoxes reseller HTTP API as this server serves it. Every \
call below `/api/` is shown in JSON (`.json`); the same path ending `.xml` answers the \
same in the vendor's XML. Credentials (`auth-userid`, `api-key`) go with every call, as \
query or form parameters. Repeated parameters repeat the key (`order-id=1&order-id=2`). \
A parameter a call does not list is refused. Business errors answer HTTP 500 in the \
error envelope, as the real service does. Below `/_reseller/` is the sandbox control \
plane (JSON in and out, a bearer admin token).";

/// One tag per category, in the order of the paths.
fn tags(paths: &Map<String, Value>) -> Vec<Value> {
    let mut tags: Vec<String> = Vec::new();
    for item in paths.values() {
        for op in item.as_object().into_iter().flat_map(|m| m.values()) {
            if let Some(tag) = op["tags"][0].as_str()
                && !tags.iter().any(|t| t == tag)
            {
                tags.push(tag.to_string());
            }
        }
    }
    tags.into_iter()
        .map(|name| json!({ "name": name }))
        .collect()
}

/// The action map, as the reply type that reads it describes it.
fn action_schema() -> Value {
    let mut schema = <ActionReceipt as Reply>::schema();
    schema["description"] = json!("The action map every add, renew, delete and modify answers.");
    schema
}

fn text_properties(keys: &[&str]) -> Value {
    keys.iter()
        .map(|key| (key.to_string(), json!({ "type": "string" })))
        .collect::<Map<_, _>>()
        .into()
}

/// The query parameters of one declared parameter: one, or for a
/// numbered one its first two (`attr-name1`, `attr-name2`).
fn parameters(param: &Param) -> Vec<Value> {
    let one = |name: String, required: bool| {
        let schema = if param.repeated {
            let mut array = json!({ "type": "array", "items": schema(&param.kind) });
            if required {
                array["minItems"] = json!(1);
            }
            array
        } else {
            schema(&param.kind)
        };
        let mut value = json!({
            "name": name,
            "in": "query",
            "required": required,
            "schema": schema,
        });
        if !required {
            // An empty value counts as not given (`wire::Params`).
            value["allowEmptyValue"] = json!(true);
        }
        if param.repeated {
            value["style"] = json!("form");
            value["explode"] = json!(true);
            value["description"] = json!("Repeated: the key once per value.");
        }
        if param.numbered {
            value["description"] = json!(format!(
                "Numbered from 1 without gaps: {0}1, {0}2, ... (up to 20).",
                param.name
            ));
        }
        value
    };
    if param.numbered {
        (1..=2)
            .map(|n| one(format!("{}{n}", param.name), false))
            .collect()
    } else {
        vec![one(param.name.to_string(), param.required)]
    }
}

/// Text without control characters, as `wire::Params` takes it.
const PRINTABLE: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";

/// The JSON schema of a value of `kind`.
pub fn schema(kind: &Kind) -> Value {
    match kind {
        Kind::Text => json!({ "type": "string", "maxLength": 255, "pattern": PRINTABLE }),
        Kind::TextUpTo(n) => json!({ "type": "string", "maxLength": n, "pattern": PRINTABLE }),
        Kind::Id => json!({ "type": "integer", "minimum": 1, "maximum": i64::MAX }),
        Kind::IdOrNone => json!({ "anyOf": [
            { "type": "integer", "minimum": 1, "maximum": i64::MAX },
            { "const": -1 },
        ] }),
        Kind::Count { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Kind::Money => json!({
            "type": "string",
            "pattern": "^(0|[1-9][0-9]{0,8})(\\.[0-9]{1,3})?$",
            "description": "An amount with at most three decimals.",
        }),
        Kind::Flag => json!({
            "type": "string",
            "pattern": "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)$",
            "description": "true or false, in any case; or 1 or 0.",
        }),
        Kind::Time => json!({
            "type": "integer",
            "minimum": 0,
            "maximum": 253_402_300_799_i64,
            "description": "Seconds since the epoch.",
        }),
        Kind::Email => json!({ "type": "string", "format": "email", "maxLength": 64 }),
        Kind::Country => json!({ "type": "string", "pattern": "^[A-Za-z]{2}$" }),
        Kind::Digits { min, max } => {
            json!({ "type": "string", "pattern": format!("^[0-9]{{{min},{max}}}$") })
        }
        Kind::Ip => json!({ "type": "string", "anyOf": [
            { "format": "ipv4" },
            { "format": "ipv6" },
        ] }),
        Kind::OneOf(words) => json!({ "type": "string", "enum": words() }),
    }
}

/// What a call answers: its reply, or the error envelope.
fn responses(shape: Shape, typed: Option<Value>) -> Value {
    let json_of = |schema: Value| json!({ "application/json": { "schema": schema } });
    let (description, content) = match (shape, typed) {
        (Shape::Fields(_), Some(schema)) => ("The fields the reply type reads.", json_of(schema)),
        (shape, _) => responses_of(shape, json_of),
    };
    json!({
        "200": { "description": description, "content": content },
        "default": {
            "description": "The error envelope.",
            "content": json_of(json!({ "$ref": "#/components/schemas/Error" })),
        },
    })
}

/// A reply described by its shape alone.
fn responses_of(shape: Shape, json_of: impl Fn(Value) -> Value) -> (&'static str, Value) {
    match shape {
        Shape::Action => (
            "The action map.",
            json_of(json!({ "$ref": "#/components/schemas/Action" })),
        ),
        Shape::Search => (
            "A page of records.",
            json_of(json!({ "$ref": "#/components/schemas/Search" })),
        ),
        Shape::ListedSearch => (
            "A page of records, listed under `result`.",
            json_of(json!({
                "type": "object",
                "required": ["recsonpage", "recsindb", "result"],
                "properties": {
                    "recsonpage": { "type": "string" },
                    "recsindb": { "type": "string" },
                    "result": { "type": "array", "items": { "type": "object" } },
                },
            })),
        ),
        Shape::Fields(keys) => (
            "A map of named fields.",
            json_of(json!({ "type": "object", "required": keys })),
        ),
        Shape::Keyed => (
            "A map keyed by what was asked.",
            json_of(json!({ "type": "object" })),
        ),
        Shape::Int => ("A bare number.", json_of(json!({ "type": "integer" }))),
        Shape::Text => ("A bare string.", json_of(json!({ "type": "string" }))),
        Shape::Bool => ("A bare boolean.", json_of(json!({ "type": "boolean" }))),
        Shape::List => ("A bare list.", json_of(json!({ "type": "array" }))),
        Shape::Word => (
            "A bare word, outside JSON's grammar, as the vendor answers.",
            json!({ "text/plain": { "schema": { "type": "string", "enum": ["Success"] } } }),
        ),
    }
}

fn control_operation(endpoint: &Endpoint) -> Value {
    let mut parameters: Vec<Value> = endpoint.query.iter().flat_map(parameters).collect();
    if endpoint.path.contains("{id}") {
        parameters.push(json!({
            "name": "id",
            "in": "path",
            "required": true,
            "schema": { "type": "integer", "minimum": 1 },
        }));
    }
    if endpoint.path.contains("{name}") {
        parameters.push(json!({
            "name": "name",
            "in": "path",
            "required": true,
            "schema": { "type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$" },
        }));
    }
    let mut op = json!({
        "operationId": format!(
            "control_{}_{}",
            endpoint.method,
            endpoint.path.trim_start_matches('/').replace(['/', '{', '}'], "_")
        ),
        "tags": ["_reseller"],
        "summary": endpoint.summary,
        "security": [{ "admin-token": [] }],
        "parameters": parameters,
        "responses": {
            "200": {
                "description": "Done.",
                "content": { endpoint.media: { "schema": endpoint.reply() } },
            },
            "default": {
                "description": "Refused.",
                "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/ControlError" },
                } },
            },
        },
    });
    if let Some(body) = endpoint.body() {
        let mut content = json!({ "schema": body });
        if let Some(example) = endpoint.example {
            content["example"] = serde_json::from_str(example).expect("the example is JSON");
        }
        op["requestBody"] = json!({
            "required": true,
            "content": { "application/json": content },
        });
    }
    op
}

/// `GET /openapi`: the description, browsable, from assets in the binary.
pub const PAGE: &str = include_str!("openapi.html");
/// The page's style and script, served beside it so that it runs nothing
/// inline (its Content-Security-Policy allows none).
pub const STYLE: &str = include_str!("openapi.css");
pub const SCRIPT: &str = include_str!("openapi.js");
