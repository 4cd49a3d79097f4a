//! Login: `auth.sendCode` → `auth.signIn` (right, wrong or expired code;
//! `SESSION_PASSWORD_NEEDED` when 2FA is on) → `account.getPassword` →
//! `auth.checkPassword` (SRP), and `auth.logOut`. Moves the auth key between
//! fresh, awaiting password and signed in.

use std::time::Instant;

use grammers_tl_types as tl;

use super::objects::{self, Answer, RpcErr};
use super::srp;
use super::state::{random_bytes, random_i64, KeyLogin, World};

pub(crate) fn send_code(world: &mut World, req: tl::functions::auth::SendCode) -> Answer<tl::enums::auth::SentCode> {
    let user_id = world.account_by_phone(&req.phone_number).ok_or_else(|| RpcErr::bad("PHONE_NUMBER_INVALID"))?;
    let acc = world.accounts.get_mut(&user_id).ok_or_else(RpcErr::internal)?;
    let hash = format!("{:016x}", random_i64());
    acc.codes_sent.insert(hash.clone(), Instant::now());
    Ok(tl::types::auth::SentCode {
        r#type: tl::types::auth::SentCodeTypeApp { length: acc.code.chars().count() as i32 }.into(),
        phone_code_hash: hash,
        next_type: None,
        timeout: None,
    }
    .into())
}

pub(crate) fn sign_in(world: &mut World, key_id: [u8; 8], req: tl::functions::auth::SignIn) -> Answer<tl::enums::auth::Authorization> {
    let user_id = world.account_by_phone(&req.phone_number).ok_or_else(|| RpcErr::bad("PHONE_NUMBER_INVALID"))?;
    let acc = world.accounts.get_mut(&user_id).ok_or_else(RpcErr::internal)?;
    let code = req.phone_code.ok_or_else(|| RpcErr::bad("PHONE_CODE_EMPTY"))?;
    // An unknown hash is a code from an older sendCode: Telegram says expired.
    let sent_at = acc.codes_sent.get(&req.phone_code_hash).ok_or_else(|| RpcErr::bad("PHONE_CODE_EXPIRED"))?;
    if sent_at.elapsed() >= acc.code_ttl {
        return Err(RpcErr::bad("PHONE_CODE_EXPIRED"));
    }
    if code != acc.code {
        return Err(RpcErr::bad("PHONE_CODE_INVALID"));
    }
    acc.codes_sent.remove(&req.phone_code_hash);
    if acc.two_factor.is_some() {
        world.set_login(&key_id, KeyLogin::AwaitingPassword(user_id));
        return Err(RpcErr::new(401, "SESSION_PASSWORD_NEEDED"));
    }
    authorize(world, key_id, user_id)
}

fn authorize(world: &mut World, key_id: [u8; 8], user_id: i64) -> Answer<tl::enums::auth::Authorization> {
    world.set_login(&key_id, KeyLogin::LoggedIn(user_id));
    let me = world.users.get(&user_id).ok_or_else(RpcErr::internal)?;
    Ok(tl::types::auth::Authorization {
        setup_password_required: false,
        otherwise_relogin_days: None,
        tmp_sessions: None,
        future_auth_token: None,
        user: objects::user(me, true)?,
    }
    .into())
}

/// The account a password step is for: awaiting one after the code, or signed in.
fn password_account(world: &World, key_id: [u8; 8]) -> Answer<i64> {
    match world.login_of(&key_id) {
        KeyLogin::AwaitingPassword(id) | KeyLogin::LoggedIn(id) => Ok(id),
        KeyLogin::Revoked(r) => Err(RpcErr::new(401, r.error_name())),
        KeyLogin::Fresh => Err(RpcErr::new(401, "AUTH_KEY_UNREGISTERED")),
    }
}

fn algo(salt1: &[u8], salt2: &[u8]) -> tl::enums::PasswordKdfAlgo {
    tl::types::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow {
        salt1: salt1.to_vec(),
        salt2: salt2.to_vec(),
        g: srp::G as i32,
        p: srp::prime_bytes(),
    }
    .into()
}

pub(crate) fn get_password(world: &mut World, key_id: [u8; 8]) -> Answer<tl::enums::account::Password> {
    let user_id = password_account(world, key_id)?;
    let acc = world.accounts.get_mut(&user_id).ok_or_else(RpcErr::internal)?;
    let new_algo = algo(&random_bytes::<8>(), &random_bytes::<16>());
    let new_secure_algo = tl::types::SecurePasswordKdfAlgoPbkdf2Hmacsha512iter100000 { salt: random_bytes::<8>().to_vec() }.into();
    let secure_random = random_bytes::<256>().to_vec();
    let Some(tf) = &acc.two_factor else {
        return Ok(tl::types::account::Password {
            has_recovery: false,
            has_secure_values: false,
            has_password: false,
            current_algo: None,
            srp_b: None,
            srp_id: None,
            hint: None,
            email_unconfirmed_pattern: None,
            new_algo,
            new_secure_algo,
            secure_random,
            pending_reset_date: None,
            login_email_pattern: None,
        }
        .into());
    };
    let (b, big_b) = srp::server_b(tf);
    let srp_id = random_i64();
    let answer = tl::types::account::Password {
        has_recovery: false,
        has_secure_values: false,
        has_password: true,
        current_algo: Some(algo(&tf.salt1, &tf.salt2)),
        srp_b: Some(big_b.clone()),
        srp_id: Some(srp_id),
        hint: tf.hint.clone(),
        email_unconfirmed_pattern: None,
        new_algo,
        new_secure_algo,
        secure_random,
        pending_reset_date: None,
        login_email_pattern: None,
    };
    acc.srp = Some(super::state::SrpExchange { id: srp_id, b, big_b });
    Ok(answer.into())
}

pub(crate) fn check_password(world: &mut World, key_id: [u8; 8], req: tl::functions::auth::CheckPassword) -> Answer<tl::enums::auth::Authorization> {
    let user_id = password_account(world, key_id)?;
    let tl::enums::InputCheckPasswordSrp::Srp(input) = req.password else {
        return Err(RpcErr::bad("PASSWORD_HASH_INVALID"));
    };
    let acc = world.accounts.get(&user_id).ok_or_else(RpcErr::internal)?;
    let (Some(tf), Some(exchange)) = (&acc.two_factor, &acc.srp) else {
        return Err(RpcErr::bad("SRP_ID_INVALID"));
    };
    if exchange.id != input.srp_id {
        return Err(RpcErr::bad("SRP_ID_INVALID"));
    }
    // The exchange stays valid after a wrong try: grammers retries with it.
    if !srp::check(tf, &exchange.b, &exchange.big_b, &input.a, &input.m1) {
        return Err(RpcErr::bad("PASSWORD_HASH_INVALID"));
    }
    authorize(world, key_id, user_id)
}

pub(crate) fn log_out(world: &mut World, key_id: [u8; 8]) -> tl::enums::auth::LoggedOut {
    world.set_login(&key_id, KeyLogin::Fresh);
    tl::types::auth::LoggedOut { future_auth_token: None }.into()
}
