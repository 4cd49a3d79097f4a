//! One RPC call in, one serialized result (or RPC error) out: unwraps
//! `invokeWithLayer` / `initConnection`, applies scripted faults (flood
//! waits, revoked sessions), checks the key is signed in where a method
//! needs it, then decodes the function by its constructor id and hands it to
//! its handler.

use grammers_tl_types::{self as tl, Cursor, Deserializable, Identifiable, RemoteCall, Serializable};

use super::objects::{Answer, RpcErr};
use super::state::{KeyLogin, World};
use super::{auth, messages, objects, updates};

/// The rest of a buffer, undecoded: the `query` inside a wrapper call.
struct Query(Vec<u8>);

impl Deserializable for Query {
    fn deserialize(buf: &mut Cursor) -> tl::deserialize::Result<Self> {
        let mut rest = Vec::new();
        buf.read_to_end(&mut rest)?;
        Ok(Query(rest))
    }
}

fn constructor(body: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(body.get(..4)?.try_into().ok()?))
}

/// Strips connection wrappers down to the call itself.
fn unwrap_call(mut body: Vec<u8>) -> Answer<Vec<u8>> {
    loop {
        let inner = match constructor(&body) {
            Some(tl::functions::InvokeWithLayer::<Query>::CONSTRUCTOR_ID) => decode::<tl::functions::InvokeWithLayer<Query>>(&body)?.query,
            Some(tl::functions::InitConnection::<Query>::CONSTRUCTOR_ID) => decode::<tl::functions::InitConnection<Query>>(&body)?.query,
            Some(tl::functions::InvokeWithoutUpdates::<Query>::CONSTRUCTOR_ID) => decode::<tl::functions::InvokeWithoutUpdates<Query>>(&body)?.query,
            _ => return Ok(body),
        };
        body = inner.0;
    }
}

fn decode<F: Deserializable>(body: &[u8]) -> Answer<F> {
    let mut cursor = Cursor::from_slice(body.get(4..).unwrap_or_default());
    F::deserialize(&mut cursor).map_err(|_| RpcErr::bad("INPUT_REQUEST_INVALID"))
}

/// Decodes `F`, runs `handler` and serializes what it returns.
fn call<F, H>(body: &[u8], handler: H) -> Answer<Vec<u8>>
where
    F: RemoteCall + Deserializable,
    F::Return: Serializable,
    H: FnOnce(F) -> Answer<F::Return>,
{
    Ok(handler(decode::<F>(body)?)?.to_bytes())
}

/// Methods a key may call before it is signed in.
fn open_to_anyone(id: u32) -> bool {
    use tl::functions::{account, auth, help};
    [
        help::GetConfig::CONSTRUCTOR_ID,
        help::GetNearestDc::CONSTRUCTOR_ID,
        auth::SendCode::CONSTRUCTOR_ID,
        auth::SignIn::CONSTRUCTOR_ID,
        auth::CheckPassword::CONSTRUCTOR_ID,
        account::GetPassword::CONSTRUCTOR_ID,
        auth::LogOut::CONSTRUCTOR_ID,
    ]
    .contains(&id)
}

/// Runs one call for the connection using auth key `key_id`.
pub(crate) fn dispatch(world: &mut World, key_id: [u8; 8], body: Vec<u8>) -> Answer<Vec<u8>> {
    let body = unwrap_call(body)?;
    let id = constructor(&body).ok_or_else(|| RpcErr::bad("INPUT_REQUEST_INVALID"))?;
    let method = tl::name_for_id(id);
    // Connection setup (getConfig) is never the "next call" a fault is for.
    let setup = id == tl::functions::help::GetConfig::CONSTRUCTOR_ID;
    if let Some(seconds) = world.take_flood(method, setup) {
        return Err(RpcErr::new(420, format!("FLOOD_WAIT_{seconds}")));
    }
    let login = world.login_of(&key_id);
    if let KeyLogin::Revoked(r) = login {
        if !open_to_anyone(id) {
            // Telegram answers once with the reason, then the key is simply
            // not signed in.
            world.set_login(&key_id, KeyLogin::Fresh);
            return Err(RpcErr::new(401, r.error_name()));
        }
    }
    let me = match login {
        KeyLogin::LoggedIn(user_id) => Some(user_id),
        _ if open_to_anyone(id) => None,
        _ => return Err(RpcErr::new(401, "AUTH_KEY_UNREGISTERED")),
    };
    let me_or_401 = || me.ok_or_else(|| RpcErr::new(401, "AUTH_KEY_UNREGISTERED"));
    use tl::functions as f;
    match id {
        f::help::GetConfig::CONSTRUCTOR_ID => call(&body, |_: f::help::GetConfig| Ok(objects::config(world))),
        f::help::GetNearestDc::CONSTRUCTOR_ID => {
            call(&body, |_: f::help::GetNearestDc| Ok(tl::types::NearestDc { country: "UA".into(), this_dc: super::DC_ID, nearest_dc: super::DC_ID }.into()))
        }
        f::auth::SendCode::CONSTRUCTOR_ID => call(&body, |r| auth::send_code(world, r)),
        f::auth::SignIn::CONSTRUCTOR_ID => call(&body, |r| auth::sign_in(world, key_id, r)),
        f::account::GetPassword::CONSTRUCTOR_ID => call(&body, |_: f::account::GetPassword| auth::get_password(world, key_id)),
        f::auth::CheckPassword::CONSTRUCTOR_ID => call(&body, |r| auth::check_password(world, key_id, r)),
        f::auth::LogOut::CONSTRUCTOR_ID => call(&body, |_: f::auth::LogOut| Ok(auth::log_out(world, key_id))),
        f::users::GetUsers::CONSTRUCTOR_ID => call(&body, |r: f::users::GetUsers| messages::get_users(world, me_or_401()?, &r.id)),
        f::updates::GetState::CONSTRUCTOR_ID => call(&body, |_: f::updates::GetState| updates::get_state(world, me_or_401()?)),
        f::updates::GetDifference::CONSTRUCTOR_ID => call(&body, |r| updates::get_difference(world, me_or_401()?, r)),
        f::updates::GetChannelDifference::CONSTRUCTOR_ID => call(&body, |r| updates::get_channel_difference(world, me_or_401()?, r)),
        f::messages::SendMessage::CONSTRUCTOR_ID => call(&body, |r| messages::send_message(world, me_or_401()?, r)),
        f::messages::SendMedia::CONSTRUCTOR_ID => call(&body, |r| messages::send_media(world, key_id, me_or_401()?, r)),
        f::messages::GetDialogs::CONSTRUCTOR_ID => call(&body, |_: f::messages::GetDialogs| messages::get_dialogs(world, me_or_401()?)),
        f::upload::SaveFilePart::CONSTRUCTOR_ID => {
            call(&body, |r: f::upload::SaveFilePart| messages::save_part(world, key_id, r.file_id, r.file_part, None, r.bytes))
        }
        f::upload::SaveBigFilePart::CONSTRUCTOR_ID => {
            call(&body, |r: f::upload::SaveBigFilePart| messages::save_part(world, key_id, r.file_id, r.file_part, Some(r.file_total_parts), r.bytes))
        }
        f::upload::GetFile::CONSTRUCTOR_ID => call(&body, |r| messages::get_file(world, r)),
        _ => Err(RpcErr::bad(&format!("INPUT_METHOD_INVALID_{id}"))),
    }
}
