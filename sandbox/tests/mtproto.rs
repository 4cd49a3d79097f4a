//! The real `grammers-client` 0.11 against the sandbox's fake MTProto
//! server over TCP: login (code, 2FA), flood waits, pushed private messages
//! and channel posts, sending text and files, catching up after a restart,
//! revoked sessions and unknown auth keys.

use std::io::Cursor;
use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
use std::sync::Arc;
use std::time::{Duration, Instant};

use grammers_client::media::Media;
use grammers_client::message::InputMessage;
use grammers_client::sender::{ConnectionParams, NoRetries, SenderPool, UpdatesConfiguration};
use grammers_client::session::storages::MemorySession;
use grammers_client::session::types::{DcOption, PeerId, PeerRef};
use grammers_client::session::Session;
use grammers_client::update::Update;
use grammers_client::{tl, Client, InvocationError, SignInError};
use tg_sandbox::mtproto::{MtprotoServer, NewAccount, Revocation, SentMediaKind, DC_ID};
use tg_sandbox::Sandbox;

const API_ID: i32 = 1;
const API_HASH: &str = "sandbox";
const WAIT: Duration = Duration::from_secs(20);

async fn fake() -> (Sandbox, MtprotoServer, SocketAddr) {
    let sb = Sandbox::new();
    let server = sb.mtproto().clone();
    let addr = server.serve(([127, 0, 0, 1], 0).into()).await.expect("bind the fake");
    (sb, server, addr)
}

fn account(server: &MtprotoServer, phone: &str, password: Option<&str>) -> i64 {
    server
        .add_account(NewAccount {
            phone: phone.into(),
            first_name: "Dealer".into(),
            code: "12345".into(),
            password: password.map(str::to_string),
            hint: password.map(|_| "the usual".to_string()),
        })
        .expect("add account")
        .id
}

/// A grammers session whose home DC is the fake, holding `auth_key`.
async fn session(addr: SocketAddr, auth_key: [u8; 256]) -> Arc<MemorySession> {
    let SocketAddr::V4(v4) = addr else { panic!("the fake listens on IPv4") };
    let session = Arc::new(MemorySession::default());
    let ipv6 = SocketAddrV6::new(v4.ip().to_ipv6_mapped(), v4.port(), 0, 0);
    let option = DcOption { id: DC_ID, ipv4: SocketAddrV4::new(*v4.ip(), v4.port()), ipv6, auth_key: Some(auth_key) };
    session.set_dc_option(&option).await.expect("store dc option");
    session.set_home_dc_id(DC_ID).await.expect("home dc");
    session
}

struct Running {
    client: Client,
    pool: tokio::task::JoinHandle<()>,
    updates: Option<tokio::sync::mpsc::Receiver<grammers_client::session::updates::UpdatesLike>>,
}

fn connect(session: Arc<MemorySession>, retries: bool) -> Running {
    let params = if retries { ConnectionParams::default() } else { ConnectionParams { retry_policy: Box::new(NoRetries), ..Default::default() } };
    let SenderPool { runner, updates, handle } = SenderPool::with_configuration(session, API_ID, params);
    let client = Client::new(handle);
    Running { client, pool: tokio::spawn(runner.run()), updates: Some(updates) }
}

impl Running {
    async fn stop(self) {
        self.client.disconnect();
        let _ = tokio::time::timeout(WAIT, self.pool).await;
    }
}

/// Logs in with the code through grammers' own login calls.
async fn log_in(addr: SocketAddr, server: &MtprotoServer, phone: &str) -> (Running, Arc<MemorySession>) {
    let session = session(addr, server.new_auth_key()).await;
    let run = connect(session.clone(), true);
    let token = run.client.request_login_code(phone, API_HASH).await.expect("send code");
    run.client.sign_in(&token, "12345").await.expect("sign in");
    (run, session)
}

async fn next_message(stream: &mut grammers_client::client::UpdateStream) -> grammers_client::update::Message {
    loop {
        let update = tokio::time::timeout(WAIT, stream.next()).await.expect("an update in time").expect("update stream");
        if let Update::NewMessage(m) = update {
            return m;
        }
    }
}

fn png() -> Vec<u8> {
    tg_sandbox::sample_png(64, 48)
}

async fn download(client: &Client, media: &Media) -> Vec<u8> {
    let Media::Photo(photo) = media else { panic!("expected a photo, got {media:?}") };
    let mut dl = client.iter_download(photo);
    let mut bytes = Vec::new();
    while let Some(chunk) = dl.next().await.expect("upload.getFile") {
        bytes.extend(chunk);
    }
    bytes
}

#[tokio::test]
async fn logs_in_with_a_code_after_a_wrong_and_an_expired_one() {
    let (_sb, server, addr) = fake().await;
    let me = account(&server, "+380501112233", None);
    let session = session(addr, server.new_auth_key()).await;
    let run = connect(session, true);
    assert!(!run.client.is_authorized().await.unwrap(), "a fresh key is not signed in");

    // Expired: the code was valid for no time at all.
    server.set_code_ttl("+380501112233", Duration::ZERO).unwrap();
    let sent = run
        .client
        .invoke(&tl::functions::auth::SendCode {
            phone_number: "+380501112233".into(),
            api_id: API_ID,
            api_hash: API_HASH.into(),
            settings: tl::types::CodeSettings {
                allow_flashcall: false,
                current_number: false,
                allow_app_hash: false,
                allow_missed_call: false,
                allow_firebase: false,
                logout_tokens: None,
                token: None,
                app_sandbox: None,
                unknown_number: false,
            }
            .into(),
        })
        .await
        .unwrap();
    let tl::enums::auth::SentCode::Code(sent) = sent else { panic!("a code was sent") };
    let expired = run
        .client
        .invoke(&tl::functions::auth::SignIn {
            phone_number: "+380501112233".into(),
            phone_code_hash: sent.phone_code_hash,
            phone_code: Some("12345".into()),
            email_verification: None,
        })
        .await
        .unwrap_err();
    assert!(expired.is("PHONE_CODE_EXPIRED"), "{expired}");

    server.set_code_ttl("+380501112233", Duration::from_secs(60)).unwrap();
    let token = run.client.request_login_code("+380501112233", API_HASH).await.unwrap();
    assert!(matches!(run.client.sign_in(&token, "54321").await, Err(SignInError::InvalidCode)));
    let user = run.client.sign_in(&token, "12345").await.expect("the right code signs in");
    assert_eq!(user.id(), PeerId::user_unchecked(me));
    assert!(run.client.is_authorized().await.unwrap());
    assert_eq!(run.client.get_me().await.unwrap().id(), PeerId::user_unchecked(me));
    run.stop().await;
}

#[tokio::test]
async fn logs_in_with_two_factor_after_a_wrong_password() {
    let (_sb, server, addr) = fake().await;
    let me = account(&server, "+380502223344", Some("correct horse"));
    let session = session(addr, server.new_auth_key()).await;
    let run = connect(session, true);
    let token = run.client.request_login_code("+380502223344", API_HASH).await.unwrap();
    let Err(SignInError::PasswordRequired(password)) = run.client.sign_in(&token, "12345").await else { panic!("2FA accounts need the password") };
    assert_eq!(password.hint(), Some("the usual"));
    let started = Instant::now();
    let Err(SignInError::InvalidPassword(password)) = run.client.check_password(password, "wrong horse").await else {
        panic!("a wrong password must be refused")
    };
    let user = run.client.check_password(password, "correct horse").await.expect("the right password signs in");
    assert_eq!(user.id(), PeerId::user_unchecked(me));
    eprintln!("two SRP checks took {:?}", started.elapsed());
    run.stop().await;
}

#[tokio::test]
async fn a_flood_wait_surfaces_with_its_duration() {
    let (_sb, server, addr) = fake().await;
    account(&server, "+380503334455", None);
    let (run, _) = log_in(addr, &server, "+380503334455").await;
    // Longer than grammers' default auto-sleep threshold (60 s), so it is
    // handed to the caller, as a host would see a long wait.
    server.flood_wait_next(Some("users.getUsers"), 600);
    let err = run.client.get_me().await.unwrap_err();
    let InvocationError::Rpc(rpc) = &err else { panic!("an RPC error, got {err}") };
    assert_eq!((rpc.code, rpc.name.as_str(), rpc.value), (420, "FLOOD_WAIT", Some(600)));
    run.client.get_me().await.expect("the wait applied to one call only");

    // "Any method": the next call, whatever it is.
    let run2 = connect(session(addr, server.signed_in_auth_key("+380503334455").unwrap()).await, false);
    server.flood_wait_next(None, 7);
    let err = run2.client.invoke(&tl::functions::updates::GetState {}).await.unwrap_err();
    assert!(matches!(&err, InvocationError::Rpc(r) if r.code == 420 && r.value == Some(7)), "{err}");
    run.stop().await;
    run2.stop().await;
}

#[tokio::test]
async fn private_messages_arrive_and_replies_reach_the_fake() {
    let (_sb, server, addr) = fake().await;
    account(&server, "+380504445566", None);
    let buyer = server.add_user("Taras", Some("taras_buys"));
    let (mut run, _) = log_in(addr, &server, "+380504445566").await;
    let mut stream = run.client.stream_updates(run.updates.take().unwrap(), UpdatesConfiguration::default()).await.unwrap();

    server.deliver_message("+380504445566", buyer.id, "Is the Octavia still for sale?", None).unwrap();
    let msg = next_message(&mut stream).await;
    assert_eq!(msg.text(), "Is the Octavia still for sale?");
    assert!(!msg.outgoing());
    assert_eq!(msg.sender_id(), Some(PeerId::user_unchecked(buyer.id)));

    server.deliver_message("+380504445566", buyer.id, "here it is", Some(png())).unwrap();
    let with_photo = next_message(&mut stream).await;
    assert_eq!(with_photo.text(), "here it is");
    let media = with_photo.media().expect("a photo");
    assert_eq!(download(&run.client, &media).await, png());

    // Replies: text, a photo, and a document big enough for saveBigFilePart.
    let peer: PeerRef = msg.peer().unwrap().to_ref().await.unwrap().unwrap();
    run.client.send_message(peer, "Yes, come by at 10").await.expect("send text");
    let photo = run.client.upload_stream(&mut Cursor::new(png()), png().len(), "car.png".into()).await.unwrap();
    run.client.send_message(peer, InputMessage::new().text("Front view").photo(photo)).await.expect("send photo");
    let big: Vec<u8> = (0..10 * 1024 * 1024 + 4096).map(|i| (i % 251) as u8).collect();
    let started = Instant::now();
    let doc = run.client.upload_stream(&mut Cursor::new(&big), big.len(), "service-book.pdf".into()).await.unwrap();
    run.client.send_message(peer, InputMessage::new().text("Service book").document(doc)).await.expect("send document");
    eprintln!("10 MiB document upload took {:?}", started.elapsed());

    let sent = server.sent_messages("+380504445566").unwrap();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|s| s.to_user_id == buyer.id));
    assert_eq!((sent[0].text.as_str(), sent[0].media.is_none()), ("Yes, come by at 10", true));
    let photo = sent[1].media.as_ref().expect("the photo");
    assert_eq!((sent[1].text.as_str(), photo.kind, &photo.bytes), ("Front view", SentMediaKind::Photo, &png()));
    let doc = sent[2].media.as_ref().expect("the document");
    assert_eq!((doc.kind, doc.file_name.as_deref(), doc.bytes.len()), (SentMediaKind::Document, Some("service-book.pdf"), big.len()));
    assert!(doc.bytes == big, "the document arrives byte for byte");
    run.stop().await;
}

#[tokio::test]
async fn channel_posts_arrive_and_followed_channels_are_listed() {
    let (_sb, server, addr) = fake().await;
    account(&server, "+380505556677", None);
    let cars = server.add_channel("Cars of Kyiv", Some("kyiv_cars"));
    let other = server.add_channel("Not followed", None);
    server.follow_channel("+380505556677", cars.id).unwrap();
    let (mut run, _) = log_in(addr, &server, "+380505556677").await;

    let mut dialogs = run.client.iter_dialogs();
    let mut names = Vec::new();
    while let Some(d) = dialogs.next().await.unwrap() {
        names.push(d.peer().name().unwrap_or_default().to_string());
    }
    assert_eq!(names, ["Cars of Kyiv"]);

    let mut stream = run.client.stream_updates(run.updates.take().unwrap(), UpdatesConfiguration::default()).await.unwrap();
    server.post_to_channel(other.id, "not for us", vec![]).unwrap();
    server.post_to_channel(cars.id, "Skoda Octavia 2019, 1.6 TDI, 12 500 $", vec![png(), png()]).unwrap();
    let first = next_message(&mut stream).await;
    let second = next_message(&mut stream).await;
    for m in [&first, &second] {
        assert_eq!(m.peer_id(), PeerId::channel_unchecked(cars.id));
        assert!(m.grouped_id().is_some() && m.grouped_id() == first.grouped_id());
        assert_eq!(download(&run.client, &m.media().expect("album photo")).await, png());
    }
    assert_eq!(first.text(), "Skoda Octavia 2019, 1.6 TDI, 12 500 $");
    run.stop().await;
}

#[tokio::test]
async fn a_new_client_with_the_saved_session_catches_up_once() {
    let (_sb, server, addr) = fake().await;
    let phone = "+380506667788";
    account(&server, phone, None);
    let buyer = server.add_user("Oksana", None);
    let cars = server.add_channel("Used cars", None);
    server.follow_channel(phone, cars.id).unwrap();
    let (mut run, session) = log_in(addr, &server, phone).await;
    let mut stream = run.client.stream_updates(run.updates.take().unwrap(), UpdatesConfiguration::default()).await.unwrap();
    server.deliver_message(phone, buyer.id, "seen live 1", None).unwrap();
    server.post_to_channel(cars.id, "seen live post", vec![]).unwrap();
    let mut live = vec![next_message(&mut stream).await.text().to_string(), next_message(&mut stream).await.text().to_string()];
    live.sort();
    assert_eq!(live, ["seen live 1", "seen live post"]);
    stream.sync_update_state().await.unwrap();
    drop(stream);
    run.stop().await;

    // While no client is connected.
    for text in ["missed 1", "missed 2", "missed 3"] {
        server.deliver_message(phone, buyer.id, text, None).unwrap();
    }
    server.post_to_channel(cars.id, "missed post", vec![]).unwrap();

    let mut run = connect(session, true);
    let mut stream = run.client.stream_updates(run.updates.take().unwrap(), UpdatesConfiguration { catch_up: true }).await.unwrap();
    let mut got = Vec::new();
    for _ in 0..4 {
        got.push(next_message(&mut stream).await.text().to_string());
    }
    // A dropped connection in between: what arrives meanwhile comes once.
    server.drop_connections();
    server.deliver_message(phone, buyer.id, "after the drop", None).unwrap();
    got.push(next_message(&mut stream).await.text().to_string());
    // Nothing more may come (no duplicates).
    let extra = tokio::time::timeout(Duration::from_secs(2), stream.next()).await;
    assert!(!matches!(extra, Ok(Ok(Update::NewMessage(_)))), "no message arrives twice");
    got.sort();
    assert_eq!(got, ["after the drop", "missed 1", "missed 2", "missed 3", "missed post"]);
    run.stop().await;
}

#[tokio::test]
async fn a_revoked_session_reads_as_needing_login() {
    let (_sb, server, addr) = fake().await;
    account(&server, "+380507778899", None);
    let (run, _) = log_in(addr, &server, "+380507778899").await;
    assert_eq!(server.revoke_sessions("+380507778899", Revocation::SessionRevoked).unwrap(), 1);
    let err = run.client.get_me().await.unwrap_err();
    assert!(matches!(&err, InvocationError::Rpc(r) if r.code == 401 && r.name == "SESSION_REVOKED"), "{err}");
    let err = run.client.get_me().await.unwrap_err();
    assert!(err.is("AUTH_KEY_UNREGISTERED"), "{err}");
    assert!(!run.client.is_authorized().await.unwrap());
    run.stop().await;
}

#[tokio::test]
async fn an_unknown_auth_key_gets_transport_error_404() {
    let (_sb, server, addr) = fake().await;
    account(&server, "+380508889900", None);
    let run = connect(session(addr, [7u8; 256]).await, true);
    let err = run.client.get_me().await.unwrap_err();
    // grammers falls back to a fresh DH key exchange, which the fake refuses too.
    assert!(matches!(&err, InvocationError::Transport(_)), "{err}");
    assert!(err.to_string().contains("-404"), "{err}");
    assert_eq!(server.connection_count(), 0);
    run.stop().await;
}

#[tokio::test]
async fn http_hooks_drive_the_same_server() {
    let (sb, server, addr) = fake().await;
    let http = sb.clone().serve(([127, 0, 0, 1], 0).into()).await.unwrap();
    let base = format!("http://{http}/sandbox/api/mtproto");
    let web = reqwest::Client::new();
    let created =
        web.post(format!("{base}/accounts")).json(&serde_json::json!({"phone": "+380509990011", "first_name": "Ihor", "code": "777"})).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let buyer: serde_json::Value =
        web.post(format!("{base}/users")).json(&serde_json::json!({"first_name": "Petro"})).send().await.unwrap().json().await.unwrap();
    let key: serde_json::Value = web.post(format!("{base}/accounts/380509990011/auth_key")).send().await.unwrap().json().await.unwrap();
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD.decode(key["auth_key"].as_str().unwrap()).unwrap();
    let mut run = connect(session(addr, bytes.try_into().unwrap()).await, true);
    let mut stream = run.client.stream_updates(run.updates.take().unwrap(), UpdatesConfiguration::default()).await.unwrap();
    run.client.get_me().await.unwrap();
    let sent = web
        .post(format!("{base}/accounts/380509990011/messages"))
        .json(&serde_json::json!({"from_user_id": buyer["id"], "text": "via http"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
    assert_eq!(next_message(&mut stream).await.text(), "via http");
    let missing = web.post(format!("{base}/accounts/1234567/messages")).json(&serde_json::json!({"from_user_id": 1, "text": "x"})).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(server.connection_count(), 1);
    run.stop().await;
}
