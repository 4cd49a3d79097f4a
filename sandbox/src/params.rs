//! Bot API request parameters, whatever way they arrive (JSON body,
//! urlencoded body, query string or multipart/form-data), and the
//! Telegram-shaped error answer.

use std::collections::HashMap;

use axum::{
    body::Body,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use bytes::Bytes;
use serde_json::{json, Map, Value};

/// The largest request body read at all (a 50 MB document plus the rest).
pub(crate) const MAX_BODY: usize = 64 * 1024 * 1024;

/// An error answer in Telegram's shape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiErr {
    pub code: u16,
    pub description: String,
    pub retry_after: Option<u64>,
}

impl ApiErr {
    pub fn new(code: u16, description: impl Into<String>) -> Self {
        ApiErr { code, description: description.into(), retry_after: None }
    }
    /// 400 `Bad Request: {what}`.
    pub fn bad(what: impl AsRef<str>) -> Self {
        Self::new(400, format!("Bad Request: {}", what.as_ref()))
    }
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized")
    }
    pub fn not_found() -> Self {
        Self::new(404, "Not Found")
    }
    pub fn too_large() -> Self {
        Self::new(413, "Request Entity Too Large")
    }
    pub fn blocked() -> Self {
        Self::new(403, "Forbidden: bot was blocked by the user")
    }
    pub fn chat_not_found() -> Self {
        Self::bad("chat not found")
    }
    pub fn retry_after(secs: u64) -> Self {
        let secs = secs.max(1);
        ApiErr { code: 429, description: format!("Too Many Requests: retry after {secs}"), retry_after: Some(secs) }
    }
    pub fn body(&self) -> Value {
        let mut v = json!({"ok": false, "error_code": self.code, "description": self.description});
        if let (Some(s), Some(o)) = (self.retry_after, v.as_object_mut()) {
            o.insert("parameters".into(), json!({ "retry_after": s }));
        }
        v
    }
}

impl IntoResponse for ApiErr {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::BAD_REQUEST);
        (status, Json(self.body())).into_response()
    }
}

/// `{"ok":true,"result":...}`.
pub(crate) fn ok(result: Value) -> Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

/// A file part of a multipart request.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub bytes: Bytes,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Params {
    pub fields: HashMap<String, Value>,
    pub files: HashMap<String, Upload>,
}

impl Params {
    /// Reads every parameter of a request. Body-level failures are
    /// Telegram-shaped (413 for an oversized body, 400 for bad JSON).
    pub async fn read(headers: &HeaderMap, query: Option<&str>, body: Body) -> Result<Params, ApiErr> {
        let mut p = Params::default();
        if let Some(q) = query {
            for (k, v) in form_urlencoded::parse(q.as_bytes()) {
                p.fields.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
        let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| ApiErr::too_large())?;
        let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        if bytes.is_empty() {
            return Ok(p);
        }
        if ctype.starts_with("multipart/form-data") {
            let raw_ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let boundary = multer::parse_boundary(raw_ctype).map_err(|_| ApiErr::bad("can't parse multipart/form-data: no boundary"))?;
            let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
            let mut mp = multer::Multipart::new(stream, boundary);
            loop {
                let field = match mp.next_field().await {
                    Ok(Some(f)) => f,
                    Ok(None) => break,
                    Err(e) => return Err(ApiErr::bad(format!("can't parse multipart/form-data: {e}"))),
                };
                let name = field.name().unwrap_or("").to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let content_type = field.content_type().map(|m| m.to_string());
                let data = field.bytes().await.map_err(|e| ApiErr::bad(format!("can't parse multipart/form-data: {e}")))?;
                if name.is_empty() {
                    continue;
                }
                if file_name.is_some() {
                    let file_name = file_name.filter(|n| !n.is_empty());
                    p.files.insert(name, Upload { bytes: data, file_name, content_type });
                } else {
                    let text = String::from_utf8_lossy(&data).into_owned();
                    p.fields.insert(name, Value::String(text));
                }
            }
        } else if ctype.starts_with("application/x-www-form-urlencoded") {
            for (k, v) in form_urlencoded::parse(&bytes) {
                p.fields.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        } else {
            // JSON is what teloxide and most clients send; also the guess
            // for a body without a content type.
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(m)) => {
                    for (k, v) in m {
                        if !v.is_null() {
                            p.fields.insert(k, v);
                        }
                    }
                }
                Ok(_) => return Err(ApiErr::bad("the request body must be a JSON object")),
                Err(e) if ctype.starts_with("application/json") || ctype.is_empty() => return Err(ApiErr::bad(format!("can't parse JSON: {e}"))),
                Err(_) => return Err(ApiErr::bad(format!("unsupported content type {ctype:?}"))),
            }
        }
        Ok(p)
    }

    /// A scalar as text (numbers and booleans too).
    pub fn str(&self, name: &str) -> Option<String> {
        match self.fields.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn i64(&self, name: &str) -> Result<Option<i64>, ApiErr> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| ApiErr::bad(format!("invalid {name} specified"))),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| ApiErr::bad(format!("invalid {name} specified"))),
            Some(_) => Err(ApiErr::bad(format!("invalid {name} specified"))),
        }
    }

    pub fn u32(&self, name: &str) -> Result<Option<u32>, ApiErr> {
        match self.i64(name)? {
            None => Ok(None),
            Some(n) => u32::try_from(n).map(Some).map_err(|_| ApiErr::bad(format!("invalid {name} specified"))),
        }
    }

    pub fn bool(&self, name: &str) -> bool {
        match self.fields.get(name) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => matches!(s.as_str(), "true" | "True" | "1"),
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            _ => false,
        }
    }

    /// A JSON-valued parameter: sent as JSON itself, or as JSON text (form,
    /// query and multipart requests carry objects serialized).
    pub fn json(&self, name: &str) -> Result<Option<Value>, ApiErr> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => serde_json::from_str::<Value>(s).map(Some).map_err(|_| ApiErr::bad(format!("can't parse {name} JSON object"))),
            Some(v) => Ok(Some(v.clone())),
        }
    }

    /// Fails as Telegram does when `chat_id` is missing or empty.
    pub fn chat_id_given(&self) -> Result<(), ApiErr> {
        match self.fields.get("chat_id") {
            None | Some(Value::Null) => Err(ApiErr::bad("chat_id is empty")),
            Some(Value::String(s)) if s.trim().is_empty() => Err(ApiErr::bad("chat_id is empty")),
            Some(_) => Ok(()),
        }
    }

    /// The `chat_id` parameter: an integer, or a string naming one. A
    /// `@username` is looked up nowhere and so is "chat not found".
    pub fn chat_id(&self) -> Result<i64, ApiErr> {
        match self.fields.get("chat_id") {
            None | Some(Value::Null) => Err(ApiErr::bad("chat_id is empty")),
            Some(Value::Number(n)) => n.as_i64().ok_or_else(ApiErr::chat_not_found),
            Some(Value::String(s)) if s.trim().is_empty() => Err(ApiErr::bad("chat_id is empty")),
            Some(Value::String(s)) => s.trim().parse::<i64>().map_err(|_| ApiErr::chat_not_found()),
            Some(_) => Err(ApiErr::bad("invalid chat_id specified")),
        }
    }
}

/// Removes `null`s from an object, recursively (teloxide never sends them,
/// other clients might).
pub(crate) fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let m: Map<String, Value> = m.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, strip_nulls(v))).collect();
            Value::Object(m)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}
