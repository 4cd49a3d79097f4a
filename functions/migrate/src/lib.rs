//! `migrate`: brings a table up to the code's schema version and makes sure
//! the platform superadmin exists. The deploy runs it once after every
//! `sam deploy` (see README); the local runtime runs it at start.
//! Idempotent: a second run changes nothing.

use cartie_apikit::auth::hash_password;
use cartie_domain::validate;
use cartie_store::{team::Login, util, Aws, Store};

#[derive(Debug, serde::Serialize)]
pub struct Report {
    pub applied: Vec<u32>,
    pub ledger_version: u32,
    pub superadmin: String,
}

/// Reads `CARTIE_SUPERADMIN_EMAIL`, and the password from Secrets Manager
/// (`CARTIE_SUPERADMIN_PASSWORD_SECRET_ID`; on a developer's machine the
/// variable `CARTIE_SUPERADMIN_PASSWORD`).
pub async fn superadmin_from_env(aws: &Aws) -> Result<(String, String), String> {
    let password = match cartie_platform::secret(aws, "CARTIE_SUPERADMIN_PASSWORD", "the superadmin's password").await {
        Ok(p) => Some(p),
        Err(e) if std::env::var("CARTIE_SUPERADMIN_PASSWORD_SECRET_ID").is_ok() => return Err(e),
        Err(_) => None,
    };
    superadmin_from(std::env::var("CARTIE_SUPERADMIN_EMAIL").ok(), password)
}

/// Checks the superadmin settings. There is no default password: without
/// them this fails and says which variable to set.
pub fn superadmin_from(email: Option<String>, password: Option<String>) -> Result<(String, String), String> {
    let email = email
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| "CARTIE_SUPERADMIN_EMAIL is not set: the platform needs a superadmin e-mail (there is no default account)".to_string())?;
    let password = password
        .filter(|p| !p.is_empty())
        .ok_or_else(|| "CARTIE_SUPERADMIN_PASSWORD is not set: choose one of at least 10 characters (there is no default password)".to_string())?;
    let email = validate::email("CARTIE_SUPERADMIN_EMAIL", &email).map_err(|e| e.to_string())?;
    validate::new_password("CARTIE_SUPERADMIN_PASSWORD", &password).map_err(|e| e.to_string())?;
    Ok((email, password))
}

/// Creates the superadmin login if the e-mail has none; an existing account
/// (and its password) is left alone.
pub async fn ensure_superadmin(store: &Store, email: &str, password: &str) -> Result<String, String> {
    if let Some(existing) = store.login(email).await.map_err(|e| e.to_string())? {
        return if existing.superadmin {
            Ok(format!("{email} exists"))
        } else {
            Err(format!("{email} already belongs to a workspace member; pick another superadmin e-mail"))
        };
    }
    let login = Login {
        email: email.into(),
        name: "Platform admin".into(),
        password_hash: hash_password(password).map_err(|e| e.message)?,
        workspace_id: None,
        superadmin: true,
        created_at_ms: util::now_ms(),
        language: None,
        password_changed_at_ms: None,
    };
    store.create_login(&login).await.map_err(|e| e.to_string())?;
    Ok(format!("{email} created"))
}

pub async fn run(store: &Store, aws: &Aws) -> Result<Report, String> {
    let (email, password) = superadmin_from_env(aws).await?;
    let applied = cartie_migrations::run_pending(store, cartie_migrations::MIGRATIONS).await.map_err(|e| e.to_string())?;
    let superadmin = ensure_superadmin(store, &email, &password).await?;
    let ledger_version = store.ledger().await.map_err(|e| e.to_string())?.version;
    Ok(Report { applied, ledger_version, superadmin })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superadmin_needs_both_settings_and_no_default() {
        let err = superadmin_from(None, Some("long enough pw".into())).unwrap_err();
        assert!(err.contains("CARTIE_SUPERADMIN_EMAIL is not set"), "{err}");
        let err = superadmin_from(Some("root@cartie.io".into()), None).unwrap_err();
        assert!(err.contains("CARTIE_SUPERADMIN_PASSWORD is not set"), "{err}");
        let err = superadmin_from(Some("root@cartie.io".into()), Some("short".into())).unwrap_err();
        assert!(err.contains("at least 10"), "{err}");
        assert_eq!(
            superadmin_from(Some(" Root@Cartie.io ".into()), Some("long enough pw".into())).unwrap(),
            ("root@cartie.io".to_string(), "long enough pw".to_string())
        );
    }
}
