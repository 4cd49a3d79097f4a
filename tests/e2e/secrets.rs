//! Functions read their keys from Secrets Manager once at init: the
//! function configuration holds only the secrets' ids. Here the keys live in
//! moto's Secrets Manager, and the app built from the environment the way a
//! Lambda is seals and signs with exactly those keys.

use cartie_apikit::auth::{Claims, TokenKey};
use cartie_apikit::App;
use cartie_store::sealed::DataKey;
use cartie_store::{util, Aws};

#[tokio::test]
async fn keys_are_read_from_secrets_manager_at_init() {
    assert!(std::env::var("AWS_ENDPOINT_URL").unwrap_or_default().contains("127.0.0.1"), "needs the local moto");
    let aws = Aws::from_env().await;
    let suffix = util::new_id().to_lowercase();
    let (data_key, jwt) = (util::random_token(), util::random_token());
    let data_id = aws.secrets.create_secret().name(format!("t-{suffix}-data-key")).secret_string(&data_key).send().await.unwrap().arn.unwrap();
    let jwt_id = aws.secrets.create_secret().name(format!("t-{suffix}-jwt")).secret_string(&jwt).send().await.unwrap().arn.unwrap();
    // This test runs in its own process (nextest), so its environment is its own.
    std::env::remove_var("CARTIE_DATA_KEY");
    std::env::remove_var("CARTIE_JWT_SECRET");
    std::env::set_var("CARTIE_DATA_KEY_SECRET_ID", &data_id);
    std::env::set_var("CARTIE_JWT_SECRET_SECRET_ID", &jwt_id);
    let app = App::from_env().await.expect("the app starts from secret ids alone");

    let sealed = app.data_key.seal("123456:bot-token");
    assert_eq!(DataKey::from_secret(&data_key).unwrap().open(&sealed).unwrap(), "123456:bot-token");
    let token = app.tokens.sign(&Claims { sub: "a@b.test".into(), ws: None, iat: 1, exp: i64::MAX / 2 });
    assert!(TokenKey::new(jwt.as_bytes()).unwrap().verify(&token, 2).is_ok());

    // An id that names no secret stops the start with a clear reason.
    std::env::set_var("CARTIE_JWT_SECRET_SECRET_ID", "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing");
    let err = App::from_env().await.err().expect("refused");
    assert!(err.contains("cannot read the secret"), "{err}");
}
