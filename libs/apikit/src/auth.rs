//! Tokens, passwords and the per-route check.
//!
//! Access tokens are HS256 JWTs carrying only who (`sub` = e-mail) and which
//! workspace (`ws`). The role is read from the member item on every request,
//! so demoting or removing someone takes effect at once, not at expiry.

use crate::http::{client_ip, raw_query};
use crate::ops::Operation;
use crate::routes::{lookup, Access, Lookup, Route};
use crate::{ApiError, App};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use cartie_domain::Role;
use lambda_http::Request;
use serde::{Deserialize, Serialize};

/// How long a login lasts: a working day and a bit.
pub const TOKEN_TTL_SECS: i64 = 12 * 3600;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ws: Option<String>,
    pub iat: i64,
    pub exp: i64,
}

/// Signs and checks tokens with one secret (`CARTIE_JWT_SECRET`), through
/// the `jsonwebtoken` crate: HS256 only, never `none`, never a key or an
/// algorithm the token names itself.
#[derive(Clone)]
pub struct TokenKey {
    encoding: jsonwebtoken::EncodingKey,
    decoding: jsonwebtoken::DecodingKey,
}

impl TokenKey {
    pub fn new(secret: &[u8]) -> Result<TokenKey, String> {
        if secret.len() < 32 {
            return Err("CARTIE_JWT_SECRET must be at least 32 bytes".into());
        }
        let encoding = jsonwebtoken::EncodingKey::from_secret(secret).map_err(|e| e.to_string())?;
        let decoding = jsonwebtoken::DecodingKey::from_secret(secret).map_err(|e| e.to_string())?;
        Ok(TokenKey { encoding, decoding })
    }

    pub fn sign(&self, claims: &Claims) -> String {
        // HS256 over a serialisable struct cannot fail.
        jsonwebtoken::encode(&jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256), claims, &self.encoding).unwrap_or_default()
    }

    /// Checks signature (constant time), algorithm and expiry against
    /// `now_secs` (the platform clock, so tests can move it).
    pub fn verify(&self, token: &str, now_secs: i64) -> Result<Claims, &'static str> {
        use jsonwebtoken::errors::ErrorKind;
        let mut rules = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        rules.validate_exp = false; // checked below against our clock
        rules.required_spec_claims = ["exp", "sub"].iter().map(|s| s.to_string()).collect();
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &rules).map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => "bad token signature",
            ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => "unsupported token algorithm",
            _ => "malformed token",
        })?;
        if data.claims.exp <= now_secs {
            return Err("token expired; log in again");
        }
        Ok(data.claims)
    }
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::encode_b64(&cartie_store::util::random_bytes::<16>()).map_err(|e| ApiError::internal(e.to_string()))?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| ApiError::internal(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a random password, verified against when the e-mail is unknown
/// so that a wrong e-mail takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&cartie_store::util::random_token()).unwrap_or_default())
}

/// Who is calling, as established from a verified token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub workspace_id: Option<String>,
}

/// A request that passed the route table's checks, with its operation
/// decoded.
pub struct Ctx<O> {
    pub op: O,
    pub route: &'static Route,
    pub caller: Option<Caller>,
    pub ip: Option<String>,
}

impl<O> Ctx<O> {
    /// The caller; present on every non-public route.
    pub fn caller(&self) -> Result<&Caller, ApiError> {
        self.caller.as_ref().ok_or_else(|| ApiError::unauthenticated("log in first"))
    }

    /// The caller's workspace id; present on every `Access::Workspace` route.
    pub fn ws(&self) -> Result<&str, ApiError> {
        self.caller()?.workspace_id.as_deref().ok_or_else(|| ApiError::forbidden("this needs a workspace"))
    }
}

/// Finds the request's route, checks it belongs to the function of `O`,
/// enforces its access rule, then decodes the operation (path, query,
/// body). Every function calls this first, so no route can forget an auth
/// check, and nobody learns anything about a body before the check.
pub async fn authorize<O: Operation>(app: &App, req: &Request) -> Result<Ctx<O>, ApiError> {
    let (route, params) = match lookup(req.method(), req.uri().path()) {
        Lookup::Found(r, p) if r.function() == O::FUNCTION => (r, p),
        Lookup::MethodNotAllowed => {
            return Err(ApiError::new(http::StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this path does not take that method"))
        }
        _ => return Err(ApiError::not_found("no such route")),
    };
    let ip = client_ip(req);
    let caller = match route.access {
        Access::Public => None,
        access => Some(caller(app, req, access).await?),
    };
    let op = O::build(route.op, &params, &raw_query(req), req.body().as_ref())?
        .ok_or_else(|| ApiError::internal(format!("{:?} is not an operation of {}", route.op, O::FUNCTION.name())))?;
    Ok(Ctx { op, route, caller, ip })
}

/// A token issued before the password last changed is over: changing a
/// password ends every other session. (Tokens carry whole seconds, so one
/// issued in the same second as the change still passes.)
fn refuse_if_password_changed(claims: &Claims, changed_at_ms: Option<i64>) -> Result<(), ApiError> {
    match changed_at_ms {
        Some(t) if claims.iat < t.div_euclid(1000) => {
            Err(ApiError::new(http::StatusCode::UNAUTHORIZED, "session_ended", "your password was changed: log in again"))
        }
        _ => Ok(()),
    }
}

/// Who the bearer token belongs to, checked against the route's rule.
async fn caller(app: &App, req: &Request, access: Access) -> Result<Caller, ApiError> {
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .ok_or_else(|| ApiError::unauthenticated("this route needs a token: Authorization: Bearer <token>"))?;
    let claims =
        app.tokens.verify(token.trim(), cartie_store::util::now_secs()).map_err(|why| ApiError::new(http::StatusCode::UNAUTHORIZED, "invalid_token", why))?;
    let caller = match &claims.ws {
        Some(ws) => {
            let m = app
                .store
                .member(ws, &claims.sub)
                .await?
                .ok_or_else(|| ApiError::new(http::StatusCode::UNAUTHORIZED, "invalid_token", "you are no longer a member of this workspace"))?;
            refuse_if_password_changed(&claims, m.password_changed_at_ms)?;
            Caller { email: m.email, name: m.name, role: m.role, workspace_id: Some(ws.clone()) }
        }
        None => {
            let l = app
                .store
                .login(&claims.sub)
                .await?
                .filter(|l| l.superadmin)
                .ok_or_else(|| ApiError::new(http::StatusCode::UNAUTHORIZED, "invalid_token", "this account no longer exists"))?;
            refuse_if_password_changed(&claims, l.password_changed_at_ms)?;
            Caller { email: l.email, name: l.name, role: Role::Superadmin, workspace_id: None }
        }
    };
    match access {
        Access::Public | Access::Authenticated => {}
        Access::Superadmin if caller.role != Role::Superadmin => return Err(ApiError::forbidden("only the platform superadmin may do this")),
        Access::Superadmin => {}
        Access::Workspace(min) => {
            if caller.workspace_id.is_none() {
                return Err(ApiError::forbidden("this needs a workspace; the superadmin has none"));
            }
            if !caller.role.at_least(min) {
                return Err(ApiError::forbidden(format!("this needs the {min} role or higher; you are {}", caller.role)));
            }
        }
    }
    tracing::debug!(email = %caller.email, workspace = ?caller.workspace_id, "authorized");
    Ok(caller)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use base64::Engine;

    fn key() -> TokenKey {
        TokenKey::new(&[7u8; 32]).unwrap()
    }

    #[test]
    fn tokens_round_trip_and_expire() {
        let c = Claims { sub: "ann@dealer.com".into(), ws: Some("W1".into()), iat: 100, exp: 200 };
        let t = key().sign(&c);
        assert_eq!(key().verify(&t, 150).unwrap(), c);
        assert_eq!(key().verify(&t, 200), Err("token expired; log in again"));
    }

    #[test]
    fn forged_tokens_fail() {
        let c = Claims { sub: "ann@dealer.com".into(), ws: None, iat: 100, exp: 200 };
        let t = key().sign(&c);
        let other = TokenKey::new(&[8u8; 32]).unwrap();
        assert!(other.verify(&t, 150).is_err());
        // Swap in a payload claiming another user, keep the signature.
        let parts: Vec<&str> = t.split('.').collect();
        let evil = B64.encode(br#"{"sub":"boss@dealer.com","iat":100,"exp":200}"#);
        assert!(key().verify(&format!("{}.{}.{}", parts[0], evil, parts[2]), 150).is_err());
        // alg=none with no signature.
        let none = B64.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(key().verify(&format!("{none}.{}.", parts[1]), 150).is_err());
        assert!(key().verify("garbage", 150).is_err());
        assert!(TokenKey::new(b"short").is_err());
    }

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
