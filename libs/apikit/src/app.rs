//! What an HTTP function needs, built once per Lambda instance: the
//! platform's [`Services`] plus the key that signs login tokens.

use crate::auth::TokenKey;
pub use cartie_platform::{BuildInfo, Services};

#[derive(Clone)]
pub struct App {
    pub services: Services,
    pub tokens: TokenKey,
}

impl std::ops::Deref for App {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.services
    }
}

impl App {
    pub fn new(services: Services, jwt_secret: &[u8]) -> Result<App, String> {
        crate::routes::check()?;
        Ok(App { services, tokens: TokenKey::new(jwt_secret)? })
    }

    /// [`Services::from_env`] plus `CARTIE_JWT_SECRET` (required, ≥ 32 bytes).
    pub async fn from_env() -> Result<App, String> {
        let secret =
            std::env::var("CARTIE_JWT_SECRET").map_err(|_| "CARTIE_JWT_SECRET is not set: it signs login tokens and must be at least 32 bytes".to_string())?;
        App::new(Services::from_env().await?, secret.as_bytes())
    }
}
