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

    /// [`Services::from_env`] plus the key that signs login tokens, read
    /// from Secrets Manager (`CARTIE_JWT_SECRET_SECRET_ID`) at init.
    pub async fn from_env() -> Result<App, String> {
        let services = Services::from_env().await?;
        let secret = cartie_platform::secret(&services.aws, "CARTIE_JWT_SECRET", "it signs login tokens and must be at least 32 bytes").await?;
        App::new(services, secret.as_bytes())
    }
}
