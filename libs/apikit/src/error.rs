//! One error shape for every route:
//! `{ "error": { "code": "validation", "message": "...", "field": "email" } }`.

use cartie_domain::{team::TeamRefusal, FieldError};
use cartie_store::StoreError;
use http::StatusCode;
use lambda_http::{Body, Response};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Seconds, for 429 answers.
    pub retry_after: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None, retry_after: None }
    }
    pub fn field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", message).field(field)
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn unauthenticated(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    pub fn into_response(self) -> Response<Body> {
        let body = serde_json::json!({
            "error": { "code": self.code, "message": self.message, "field": self.field }
        });
        // Built by hand, not with a builder that can fail: an error answer
        // must never fall back to an empty 200.
        let mut res = Response::new(Body::Text(body.to_string()));
        *res.status_mut() = self.status;
        res.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
        res.headers_mut().insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
        if let Some(s) = self.retry_after {
            res.headers_mut().insert(http::header::RETRY_AFTER, http::HeaderValue::from(s.max(0)));
        }
        res
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> ApiError {
        ApiError::invalid(e.field, e.message)
    }
}

impl From<TeamRefusal> for ApiError {
    fn from(r: TeamRefusal) -> ApiError {
        match r {
            TeamRefusal::Forbidden(m) => ApiError::forbidden(m),
            TeamRefusal::Conflict(m) => ApiError::conflict(m),
            TeamRefusal::Invalid(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Conflict(m) => ApiError::conflict(m),
            StoreError::NotFound => ApiError::not_found("not found"),
            StoreError::Invalid(field) => ApiError::invalid(field.clone(), format!("this {field} is not valid here")),
            StoreError::Contended(m) => {
                let mut e = ApiError::unavailable(m);
                e.retry_after = Some(1);
                e
            }
            other => {
                // Details go to the log, not to the caller.
                tracing::error!(error = %other, "storage failure");
                ApiError::internal("storage is unavailable; try again")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_keeps_its_status_and_json_shape() {
        for e in [ApiError::not_found("gone"), ApiError::internal("x"), ApiError::invalid("email", "bad")] {
            let status = e.status;
            let res = e.into_response();
            assert_eq!(res.status(), status);
            let body: serde_json::Value = serde_json::from_slice(res.body().as_ref()).unwrap();
            assert!(body["error"]["code"].is_string(), "{body}");
        }
        let mut limited = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "slow down");
        limited.retry_after = Some(30);
        assert_eq!(limited.into_response().headers()["retry-after"], "30");
    }
}
