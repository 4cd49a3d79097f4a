//! One TCP connection: finds the auth key from the first packet (unknown →
//! transport error -404), then decrypts packets, unpacks containers and
//! gzip, acknowledges, answers pings and salt requests, announces
//! `new_session_created`, runs RPC calls through the dispatcher and sends
//! their `rpc_result`s; also pushes updates the world queues for it.
//! Server msg_ids are ≡ 1 (mod 4) for answers and ≡ 3 for pushed updates.

use std::io::Write;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use flate2::{write::GzEncoder, Compression};
use grammers_tl_types::{self as tl, Cursor, Deserializable, Identifiable, Serializable};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::state::{now_secs, random_i64, Connection, Outbound};
use super::wire::{self, AuthKey, WireError};
use super::{dispatch, Shared};

const CONTAINER: u32 = 0x73f1_f8dc;
const GZIP_PACKED: u32 = 0x3072_cfa1;
const RPC_RESULT: u32 = 0xf35c_6d01;
/// Results at least this long go out gzip-packed, as Telegram's do.
const GZIP_FROM: usize = 512;
/// The one server salt; it never expires (see `future_salts`).
const SALT: i64 = 0x5a17_5a17_5a17_5a17;

/// One message to send: body and whether it is content-related (odd seq_no).
struct Out {
    body: Vec<u8>,
    content: bool,
}

struct Session {
    key: AuthKey,
    session_id: Option<i64>,
    last_msg_id: i64,
    seq: i32,
}

impl Session {
    fn next_msg_id(&mut self, rem: i64) -> i64 {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let mut id = ((now.as_secs() as i64) << 32 | (i64::from(now.subsec_nanos()) << 2)) & !3 | rem;
        if id <= self.last_msg_id {
            id = (self.last_msg_id & !3) + 4 + rem;
        }
        self.last_msg_id = id;
        id
    }

    fn next_seq(&mut self, content: bool) -> i32 {
        if content {
            self.seq += 1;
            self.seq * 2 - 1
        } else {
            self.seq * 2
        }
    }

    /// Encrypts messages (one, or a container of several) as one packet.
    fn seal(&mut self, msgs: Vec<Out>, rem: i64) -> Vec<u8> {
        let mut framed = Vec::new();
        let count = msgs.len();
        for m in msgs {
            let (id, seq) = (self.next_msg_id(rem), self.next_seq(m.content));
            id.serialize(&mut framed);
            seq.serialize(&mut framed);
            (m.body.len() as i32).serialize(&mut framed);
            framed.extend_from_slice(&m.body);
        }
        let mut plain = Vec::with_capacity(framed.len() + 48);
        SALT.serialize(&mut plain);
        self.session_id.unwrap_or(0).serialize(&mut plain);
        if count == 1 {
            plain.extend_from_slice(&framed);
        } else {
            let (id, seq) = (self.next_msg_id(rem), self.next_seq(false));
            id.serialize(&mut plain);
            seq.serialize(&mut plain);
            ((framed.len() + 8) as i32).serialize(&mut plain);
            CONTAINER.serialize(&mut plain);
            (count as i32).serialize(&mut plain);
            plain.extend_from_slice(&framed);
        }
        wire::encrypt_for_client(&self.key, plain)
    }
}

fn gunzip(packed: &[u8]) -> Option<Vec<u8>> {
    let mut out = flate2::write::GzDecoder::new(Vec::new());
    out.write_all(packed).ok()?;
    out.finish().ok()
}

fn rpc_result(req_msg_id: i64, answer: Result<Vec<u8>, super::objects::RpcErr>) -> Vec<u8> {
    let result = match answer {
        Ok(bytes) if bytes.len() >= GZIP_FROM => {
            let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
            match gz.write_all(&bytes).and_then(|_| gz.finish()) {
                Ok(packed) => {
                    let mut b = GZIP_PACKED.to_le_bytes().to_vec();
                    packed.serialize(&mut b);
                    b
                }
                Err(_) => bytes,
            }
        }
        Ok(bytes) => bytes,
        Err(e) => tl::enums::RpcError::from(tl::types::RpcError { error_code: e.code, error_message: e.name }).to_bytes(),
    };
    let mut body = RPC_RESULT.to_le_bytes().to_vec();
    req_msg_id.serialize(&mut body);
    body.extend_from_slice(&result);
    body
}

impl Session {
    /// Handles one client message (recursing into containers and gzip).
    fn handle(&mut self, shared: &Shared, msg_id: i64, seq_no: i32, body: Vec<u8>, out: &mut Vec<Out>, acks: &mut Vec<i64>) {
        if seq_no % 2 == 1 && !acks.contains(&msg_id) {
            acks.push(msg_id);
        }
        let mut cur = Cursor::from_slice(&body);
        let Ok(id) = u32::deserialize(&mut cur) else {
            return;
        };
        match id {
            CONTAINER => {
                let Ok(count) = i32::deserialize(&mut cur) else {
                    return;
                };
                for _ in 0..count.clamp(0, 1024) {
                    let (Ok(inner_id), Ok(inner_seq), Ok(len)) = (i64::deserialize(&mut cur), i32::deserialize(&mut cur), i32::deserialize(&mut cur)) else {
                        return;
                    };
                    let mut inner = vec![0u8; usize::try_from(len).unwrap_or(0).min(body.len())];
                    if cur.read_exact(&mut inner).is_err() {
                        return;
                    }
                    self.handle(shared, inner_id, inner_seq, inner, out, acks);
                }
            }
            GZIP_PACKED => {
                if let Some(inner) = Vec::<u8>::deserialize(&mut cur).ok().and_then(|p| gunzip(&p)) {
                    self.handle(shared, msg_id, seq_no, inner, out, acks);
                }
            }
            tl::types::MsgsAck::CONSTRUCTOR_ID => {}
            tl::functions::Ping::CONSTRUCTOR_ID | tl::functions::PingDelayDisconnect::CONSTRUCTOR_ID => {
                if let Ok(ping_id) = i64::deserialize(&mut cur) {
                    let pong = tl::enums::Pong::from(tl::types::Pong { msg_id, ping_id });
                    out.push(Out { body: pong.to_bytes(), content: true });
                }
            }
            tl::functions::GetFutureSalts::CONSTRUCTOR_ID => {
                // Two salts: the current one for ever, and a "future" one that
                // never becomes current, so grammers never asks again.
                let now = now_secs();
                let salts = tl::enums::FutureSalts::from(tl::types::FutureSalts {
                    req_msg_id: msg_id,
                    now,
                    salts: tl::RawVec(vec![
                        tl::types::FutureSalt { valid_since: i32::MAX - 3600, valid_until: i32::MAX, salt: SALT },
                        tl::types::FutureSalt { valid_since: now - 60, valid_until: i32::MAX - 3600, salt: SALT },
                    ]),
                });
                out.push(Out { body: salts.to_bytes(), content: true });
            }
            _ => {
                let answer = dispatch::dispatch(&mut shared.world(), self.key.id, body);
                out.push(Out { body: rpc_result(msg_id, answer), content: true });
            }
        }
    }

    /// Decrypts a packet and returns the packet answering it (if any).
    fn on_packet(&mut self, shared: &Shared, packet: &[u8]) -> Result<Option<Vec<u8>>, WireError> {
        let plain = wire::decrypt_from_client(&self.key, packet)?;
        let mut cur = Cursor::from_slice(&plain);
        let mut field = || i64::deserialize(&mut cur).map_err(|_| WireError::BadPacket);
        let (_salt, session_id, msg_id) = (field()?, field()?, field()?);
        let header = plain.get(24..32).ok_or(WireError::BadPacket)?;
        let seq_no = i32::from_le_bytes([header[0], header[1], header[2], header[3]]);
        let len = usize::try_from(i32::from_le_bytes([header[4], header[5], header[6], header[7]])).map_err(|_| WireError::BadPacket)?;
        let body = plain.get(32..32 + len).ok_or(WireError::BadPacket)?.to_vec();
        let mut out = Vec::new();
        if self.session_id != Some(session_id) {
            self.session_id = Some(session_id);
            let created = tl::enums::NewSession::from(tl::types::NewSessionCreated { first_msg_id: msg_id, unique_id: random_i64(), server_salt: SALT });
            out.push(Out { body: created.to_bytes(), content: true });
        }
        let mut acks = Vec::new();
        self.handle(shared, msg_id, seq_no, body, &mut out, &mut acks);
        if !acks.is_empty() {
            let ack = tl::enums::MsgsAck::from(tl::types::MsgsAck { msg_ids: acks });
            out.push(Out { body: ack.to_bytes(), content: false });
        }
        Ok(Some(self.seal(out, 1)))
    }
}

/// Serves one client until it disconnects or a hook drops it.
pub(crate) async fn serve(shared: Arc<Shared>, stream: TcpStream) {
    let (mut rd, mut wr) = stream.into_split();
    // Reading runs in its own task: a half-read frame must survive pushes.
    let (frames_tx, mut frames) = mpsc::channel::<Result<Vec<u8>, WireError>>(16);
    let reader = tokio::spawn(async move {
        let mut seq = 0;
        loop {
            let frame = wire::read_frame(&mut rd, seq).await;
            seq += 1;
            let stop = !matches!(frame, Ok(Some(_)));
            let sent = match frame {
                Ok(Some(f)) => frames_tx.send(Ok(f)).await,
                Ok(None) => break,
                Err(e) => frames_tx.send(Err(e)).await,
            };
            if stop || sent.is_err() {
                break;
            }
        }
    });
    let Some(Ok(first)) = frames.recv().await else {
        reader.abort();
        return;
    };
    let key = wire::packet_key_id(&first).and_then(|id| shared.world().keys.get(&id).map(|k| k.key.clone()));
    let Some(key) = key else {
        // Unknown (or no) auth key: Telegram's -404, then grammers tries DH.
        let _ = wr.write_all(&wire::transport_error(wire::UNKNOWN_AUTH_KEY)).await;
        reader.abort();
        return;
    };
    let (tx, mut pushes) = mpsc::unbounded_channel();
    let conn_id = {
        let mut world = shared.world();
        world.next_connection += 1;
        let id = world.next_connection;
        world.connections.insert(id, Connection { key_id: key.id, tx });
        id
    };
    let mut session = Session { key, session_id: None, last_msg_id: 0, seq: 0 };
    let mut send_seq = 0;
    let mut next = Some(Ok(first));
    loop {
        let packet = match next.take() {
            Some(Ok(frame)) => session.on_packet(&shared, &frame),
            Some(Err(e)) => Err(e),
            None => tokio::select! {
                frame = frames.recv() => match frame {
                    Some(f) => { next = Some(f); continue; }
                    None => break,
                },
                push = pushes.recv() => match push {
                    Some(Outbound::Updates(body)) if session.session_id.is_some() => Ok(Some(session.seal(vec![Out { body, content: true }], 3))),
                    Some(Outbound::Updates(_)) => continue,
                    Some(Outbound::Close) | None => break,
                },
            },
        };
        match packet {
            Ok(Some(bytes)) => {
                if wr.write_all(&wire::frame(send_seq, &bytes)).await.is_err() {
                    break;
                }
                send_seq += 1;
            }
            Ok(None) => {}
            Err(e) => {
                tracing::debug!(error = %e, "mtproto connection closed");
                break;
            }
        }
    }
    reader.abort();
    shared.world().connections.remove(&conn_id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_msg_ids_grow_and_keep_their_remainder() {
        let mut s = Session { key: AuthKey::new([1; 256]), session_id: Some(5), last_msg_id: 0, seq: 0 };
        let ids: Vec<i64> = (0..50).map(|i| s.next_msg_id(if i % 2 == 0 { 1 } else { 3 })).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids.iter().enumerate().all(|(i, id)| id % 4 == if i % 2 == 0 { 1 } else { 3 }));
        assert_eq!((s.next_seq(true), s.next_seq(false), s.next_seq(true)), (1, 2, 3));
    }
}
