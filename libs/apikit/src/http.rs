//! Reading requests and writing JSON responses.

use crate::ApiError;
use http::StatusCode;
use lambda_http::{Body, Request, RequestExt, Response};
use serde::{de::DeserializeOwned, Serialize};

/// Parses a JSON body. A wrong type or a missing field answers 422 naming
/// the field (`owner_email`, `items[2].price`); a body that is not JSON at
/// all answers 400.
pub fn parse_json<T: DeserializeOwned>(req: &Request) -> Result<T, ApiError> {
    parse_json_bytes(req.body().as_ref())
}

/// [`parse_json`] on raw bytes.
pub fn parse_json_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("the request needs a JSON body").field("body"));
    }
    // Every body of this API is an object; serde would also accept an array
    // for a struct and then blame "[0]", which helps nobody.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        let valid_json = serde_json::from_slice::<serde_json::Value>(bytes).is_ok();
        return Err(if valid_json {
            ApiError::invalid("body", "must be a JSON object")
        } else {
            ApiError::bad_request("the body is not valid JSON").field("body")
        });
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => de.end().map(|_| v).map_err(|_| ApiError::bad_request("the body has trailing data after the JSON value").field("body")),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(ApiError::bad_request(format!("the body is not valid JSON: {inner}")).field("body"));
            }
            let field = if path == "." { missing_field(&inner.to_string()).unwrap_or_else(|| "body".into()) } else { path };
            let msg = inner.to_string();
            // serde's text ends with " at line 1 column 20"; the field says where.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            Err(ApiError::invalid(field, msg))
        }
    }
}

/// serde reports a missing field at the parent's path; pull out its name.
fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_string())
}

pub fn json<T: Serialize>(value: &T) -> Result<Response<Body>, ApiError> {
    json_status(StatusCode::OK, value)
}

pub fn json_status<T: Serialize>(status: StatusCode, value: &T) -> Result<Response<Body>, ApiError> {
    let body = serde_json::to_string(value).map_err(|e| ApiError::internal(e.to_string()))?;
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("cache-control", "no-store")
        .body(Body::Text(body))
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// A JSON answer with an `ETag` (a hash of the body); answers 304 with no
/// body when the client's `If-None-Match` names it: cheap polling for lists
/// the app refreshes every few seconds.
pub fn json_etag<T: Serialize>(req: &Request, value: &T) -> Result<Response<Body>, ApiError> {
    let body = serde_json::to_string(value).map_err(|e| ApiError::internal(e.to_string()))?;
    let etag = format!("\"{}\"", &cartie_store::util::sha256_hex(&body)[..32]);
    let matches = req.headers().get("if-none-match").and_then(|v| v.to_str().ok()) == Some(etag.as_str());
    let b = Response::builder().header("etag", &etag).header("cache-control", "no-cache");
    let res = if matches {
        b.status(StatusCode::NOT_MODIFIED).body(Body::Empty)
    } else {
        b.status(StatusCode::OK).header("content-type", "application/json").body(Body::Text(body))
    };
    res.map_err(|e| ApiError::internal(e.to_string()))
}

pub fn no_content() -> Result<Response<Body>, ApiError> {
    Response::builder().status(StatusCode::NO_CONTENT).body(Body::Empty).map_err(|e| ApiError::internal(e.to_string()))
}

/// The caller's address as the platform saw it: API Gateway's `sourceIp`,
/// or the socket address the local runtime puts in [`ClientIp`]. Never a
/// header a client can set.
pub fn client_ip(req: &Request) -> Option<String> {
    if let Some(ip) = req.extensions().get::<ClientIp>() {
        return Some(ip.0.clone());
    }
    match req.request_context_ref() {
        Some(lambda_http::request::RequestContext::ApiGatewayV2(ctx)) => ctx.http.source_ip.clone(),
        _ => None,
    }
}

/// Set by the local runtime: the peer address of the TCP connection.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

/// The request's raw query string (`a=1&b=2`, still encoded). Lambda's
/// API Gateway event carries it in the URI; if a platform hands over only
/// the decoded pairs, they are encoded back.
pub fn raw_query(req: &Request) -> String {
    if let Some(q) = req.uri().query() {
        return q.to_string();
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    if let Some(params) = req.query_string_parameters_ref() {
        for (k, v) in params.iter() {
            out.append_pair(k, v);
        }
    }
    out.finish()
}

/// Decodes a query string into the operation's query struct. Unknown
/// parameters are ignored (cache busters); a value of the wrong type
/// answers 422 naming the parameter.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let field = if field == "." { "query".to_string() } else { field };
        ApiError::invalid(field, e.into_inner().to_string())
    })
}

/// A field that may be absent (leave it), `null` (clear it) or a value:
/// `#[serde(default, deserialize_with = "present")]` on an
/// `Option<Option<T>>`.
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// Query fields: an empty value means "not given" (`?year_min=` from a
/// cleared filter), text is trimmed, and a number that does not parse
/// says so.
pub mod query {
    use serde::{de::Error, Deserialize, Deserializer};

    /// Trimmed text; empty is `None`.
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        Ok(s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
    }

    /// A whole number; empty is `None`.
    pub fn number<'de, D: Deserializer<'de>, T: std::str::FromStr>(d: D) -> Result<Option<T>, D::Error> {
        match text(d)? {
            None => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|_| D::Error::custom("must be a whole number")),
        }
    }
}
