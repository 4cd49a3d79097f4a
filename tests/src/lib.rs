//! A fresh Cartie on the local AWS endpoint for each test: its own table and
//! queues (random names, so tests run in parallel), the real handlers behind
//! the real router, called in-process. Needs moto (or LocalStack) at
//! `AWS_ENDPOINT_URL`; `scripts/test.sh` starts it. Without it, tests fail
//! loudly rather than skip.

pub mod fuzz;
pub mod seed;

use axum::body::Body;
use cartie_apikit::{App, Services};
use cartie_store::sealed::DataKey;
use cartie_store::{bootstrap, team::Login, team::Workspace, util, Aws, CallCounter, Settings};
use serde_json::{json, Value};
use tower::ServiceExt;

pub use http::{Method, StatusCode};

pub struct Stack {
    pub app: App,
    router: axum::Router,
    /// The Telegram sandbox this stack's bots live in.
    pub telegram: tg_sandbox::Sandbox,
    /// The sandbox's HTTP address (its hooks, `/sandbox/api/...`).
    pub sandbox_url: String,
    /// Where the app listens (Telegram's webhooks arrive here).
    pub url: String,
    /// Every DynamoDB and SQS call the app makes, by operation.
    pub calls: CallCounter,
}

/// Operations Lambda's own event source mapping makes (the local runtime's
/// poller stands in for it), left out when counting what Cartie costs.
pub const POLLING: &[&str] = &["ReceiveMessage", "DeleteMessage", "DeleteMessageBatch", "GetQueueUrl"];

pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub headers: http::HeaderMap,
    /// The body's bytes as they came (for answers that are files).
    pub raw: Vec<u8>,
}

impl Answer {
    /// The `field` of an error answer.
    pub fn field(&self) -> Option<&str> {
        self.body["error"]["field"].as_str()
    }
    pub fn code(&self) -> Option<&str> {
        self.body["error"]["code"].as_str()
    }
}

pub const JWT_SECRET: &[u8] = b"test-secret-test-secret-test-secret!";

impl Stack {
    /// Table and queues created, migrations applied.
    pub async fn new() -> Stack {
        let stack = Stack::bare().await;
        cartie_migrations::run_pending(&stack.app.store, cartie_migrations::MIGRATIONS).await.expect("migrations");
        stack
    }

    /// Table and queues created, no migrations run.
    pub async fn bare() -> Stack {
        let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_default();
        assert!(
            endpoint.contains("127.0.0.1") || endpoint.contains("localhost"),
            "AWS_ENDPOINT_URL must point at a local moto/LocalStack (scripts/test.sh starts one); got {endpoint:?}"
        );
        let suffix = util::new_id().to_lowercase();
        let settings = Settings { table: format!("t-{suffix}"), queue_prefix: format!("t-{suffix}"), files_bucket: format!("t-{suffix}") };
        let calls = CallCounter::default();
        let aws = Aws::from_env_counting(Some(calls.clone())).await;
        bootstrap::run(&aws, &settings).await.expect("bootstrap");
        let sandbox = tg_sandbox::Sandbox::new();
        let tg_addr = sandbox.clone().serve(([127, 0, 0, 1], 0).into()).await.expect("sandbox");
        let telegram = cartie_telegram::Telegram::new(Some(&format!("http://{tg_addr}/"))).expect("telegram");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let data_key = DataKey::from_bytes(&util::random_bytes::<32>()).expect("key");
        let mut services = Services::new(aws, settings, data_key, telegram, Some(url.clone()));
        // Test pages for the parser are served on 127.0.0.1 exactly; every
        // other private address (127.0.0.2, ::1, 10/8, metadata) stays refused.
        services.parser_allow_hosts = vec![std::net::IpAddr::from([127, 0, 0, 1])];
        let app = App::new(services, JWT_SECRET).expect("app");
        let router = cartie::router(app.clone(), None);
        let served = router.clone().into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, served).await });
        Stack { app, router, telegram: sandbox, url, calls, sandbox_url: format!("http://{tg_addr}") }
    }

    /// An MTProto host over this stack's services, talking to the
    /// sandbox's fake MTProto server (started on first use), with leases
    /// of `lease_ms`; its loops are running.
    pub async fn mtproto_host(&self, host_id: &str, lease_ms: i64) -> std::sync::Arc<mtproto_host::Host> {
        if self.telegram.mtproto().addr().is_none() {
            self.telegram.mtproto().serve(([127, 0, 0, 1], 0).into()).await.expect("fake MTProto server");
        }
        let cfg = mtproto_host::HostConfig::local(host_id, &format!("{}/sandbox/api/mtproto", self.sandbox_url), lease_ms);
        let host = mtproto_host::Host::new(self.app.services.clone(), cfg);
        host.start();
        host
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut req = http::Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => Body::from(v.to_string()),
            None => Body::empty(),
        };
        self.send(req.header("content-type", "application/json").body(body).expect("request")).await
    }

    pub async fn send(&self, req: http::Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.expect("router is infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
        let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into())) };
        Answer { status, body, headers, raw: bytes.to_vec() }
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Answer {
        self.call(Method::POST, "/api/auth/login", None, Some(json!({ "email": email, "password": password }))).await
    }

    /// A workspace with an owner; returns (workspace id, owner token).
    pub async fn workspace(&self, name: &str, owner_email: &str) -> (String, String) {
        let slug = format!("{}-{}", name.to_lowercase().replace(' ', "-"), &util::new_id()[20..].to_lowercase());
        let w = Workspace { id: util::new_id(), name: name.into(), slug, owners: 1, created_at_ms: util::now_ms(), time_zone: Some("Europe/Kyiv".into()) };
        let owner = Login {
            email: owner_email.into(),
            name: format!("{name} Owner"),
            password_hash: cartie_apikit::auth::hash_password("owner password 1").expect("hash"),
            workspace_id: Some(w.id.clone()),
            superadmin: false,
            created_at_ms: util::now_ms(),
            language: None,
            password_changed_at_ms: None,
        };
        self.app.store.create_workspace_with_owner(&w, &owner).await.expect("workspace");
        let a = self.login(owner_email, "owner password 1").await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        (w.id, a.body["token"].as_str().expect("token").to_string())
    }

    /// A fresh token for an owner made by [`Stack::workspace`], for tests
    /// that move the clock past a token's 12 hours.
    pub async fn fresh_token(&self, owner_email: &str) -> String {
        let a = self.login(owner_email, "owner password 1").await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a.body["token"].as_str().expect("token").to_string()
    }

    /// Invites `email` with `role` as `by_token`, accepts, returns their token.
    pub async fn member(&self, by_token: &str, email: &str, role: &str) -> String {
        let inv = self.call(Method::POST, "/api/team/invites", Some(by_token), Some(json!({ "email": email, "role": role }))).await;
        assert_eq!(inv.status, StatusCode::CREATED, "{}", inv.body);
        let link = inv.body["link_path"].as_str().expect("link").to_string();
        let token = link.trim_start_matches("/invite/");
        let acc = self.call(Method::POST, &format!("/api/invites/{token}/accept"), None, Some(json!({ "name": email, "password": "member password 1" }))).await;
        assert_eq!(acc.status, StatusCode::CREATED, "{}", acc.body);
        acc.body["token"].as_str().expect("token").to_string()
    }

    /// The superadmin's token.
    pub async fn superadmin(&self) -> String {
        migrate::ensure_superadmin(&self.app.store, "root@cartie.test", "root password 1").await.expect("superadmin");
        let a = self.login("root@cartie.test", "root password 1").await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a.body["token"].as_str().expect("token").to_string()
    }

    /// A sandbox bot connected to the workspace of `owner` through the API.
    pub async fn connect_bot(&self, owner: &str, username: &str) -> tg_sandbox::BotInfo {
        let bot = self.telegram.create_bot(username, username);
        let a = self.call(Method::POST, "/api/bots", Some(owner), Some(json!({ "token": bot.token }))).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        bot
    }

    /// Runs the updates worker until the queue is empty, as Lambda would.
    pub async fn drain_updates(&self) -> usize {
        let mut total = 0;
        let mut empty = 0;
        while empty < 2 {
            let n = cartie::poll_once(&self.app, cartie::Worker::Updates, 0).await.expect("poll");
            total += n;
            empty = if n == 0 { empty + 1 } else { 0 };
        }
        total
    }

    /// Runs the updates worker, alongside whatever is sending, until it has
    /// processed `n` messages (as a Lambda consumer keeps the queue short).
    pub async fn consume_updates(&self, n: usize, timeout: std::time::Duration) -> usize {
        let deadline = std::time::Instant::now() + timeout;
        let mut total = 0;
        while total < n && std::time::Instant::now() < deadline {
            total += cartie::poll_once(&self.app, cartie::Worker::Updates, 1).await.expect("poll");
        }
        total
    }

    /// Runs the campaign sender until its queue is empty.
    pub async fn drain_campaigns(&self) -> usize {
        let mut total = 0;
        let mut empty = 0;
        while empty < 2 {
            let n = cartie::poll_once(&self.app, cartie::Worker::Campaigns, 0).await.expect("poll");
            total += n;
            empty = if n == 0 { empty + 1 } else { 0 };
        }
        total
    }

    /// Runs the campaign sender until its queue is empty, killing its first
    /// `kills` runs, each at a random instant (within `max_ms` of its
    /// start: mid-send and between a send and its record too). A killed sender's
    /// message comes back at once, as Lambda's would after its timeout.
    /// Returns the kills made.
    pub async fn drain_campaigns_killing(&self, kills: usize, seed: u64, max_ms: u64) -> usize {
        self.drain_campaigns_killing_some(kills, 100, seed, max_ms).await
    }

    /// As [`Stack::drain_campaigns_killing`], each run killed with a chance
    /// of `percent` (so the kills spread over a long campaign).
    pub async fn drain_campaigns_killing_some(&self, kills: usize, percent: u64, seed: u64, max_ms: u64) -> usize {
        let mut rng = fuzz::Rng::new(seed);
        let url = self.app.queues.url("campaigns").await.expect("queue");
        let sqs = &self.app.aws.sqs;
        let (mut killed, mut empty) = (0, 0);
        while empty < 2 {
            let out = sqs
                .receive_message()
                .queue_url(&url)
                .max_number_of_messages(1)
                .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::MessageGroupId)
                .send()
                .await
                .expect("receive");
            let messages = out.messages.unwrap_or_default();
            let Some(m) = messages.first() else {
                empty += 1;
                continue;
            };
            empty = 0;
            let receipt = m.receipt_handle.clone().unwrap_or_default();
            let event = cartie::sqs_event(&messages);
            let run = cartie::handle(&self.app, cartie::Worker::Campaigns, event);
            let failed = if killed < kills && rng.chance(percent) {
                let budget = std::time::Duration::from_millis(20 + rng.below(max_ms as usize) as u64);
                match tokio::time::timeout(budget, run).await {
                    Ok(r) => !r.batch_item_failures.is_empty(),
                    Err(_) => {
                        killed += 1;
                        true
                    }
                }
            } else {
                !run.await.batch_item_failures.is_empty()
            };
            if failed {
                sqs.change_message_visibility().queue_url(&url).receipt_handle(&receipt).visibility_timeout(0).send().await.expect("visible again");
            } else {
                sqs.delete_message().queue_url(&url).receipt_handle(&receipt).send().await.expect("delete");
            }
        }
        killed
    }

    /// Runs the jobs worker until its queue is empty.
    pub async fn drain_jobs(&self) -> usize {
        let mut total = 0;
        let mut empty = 0;
        while empty < 2 {
            let n = cartie::poll_once(&self.app, cartie::Worker::Jobs, 0).await.expect("poll");
            total += n;
            empty = if n == 0 { empty + 1 } else { 0 };
        }
        total
    }

    /// Runs the scheduled work due at `at_ms`, as EventBridge's tick would
    /// then: the clock is set to that instant (and stays there), the
    /// scheduler moves what is due, and the jobs worker runs it.
    pub async fn run_due_at(&self, at_ms: i64) -> usize {
        cartie_store::clock::freeze_at(at_ms);
        // EventBridge ticks every minute; a tick catches up at most two
        // hours, so a jump of a day takes several ticks here.
        let target = cartie_store::due::minute(at_ms);
        for _ in 0..200 {
            scheduler::tick(&self.app.store, &self.app.queues).await.expect("scheduler tick");
            if self.app.store.scheduler_cursor().await.expect("cursor").is_some_and(|c| c >= target) {
                break;
            }
        }
        self.drain_jobs().await
    }

    /// POSTs a raw update to the bot's webhook with its secret, as Telegram.
    pub async fn deliver(&self, bot_id: i64, update: &Value) -> Answer {
        let secret = self.telegram.webhook(bot_id).and_then(|w| w.secret_token).expect("the bot has a webhook");
        let req = http::Request::post(format!("/tg/{bot_id}")).header("x-telegram-bot-api-secret-token", secret).header("content-type", "application/json");
        self.send(req.body(Body::from(update.to_string())).expect("request")).await
    }

    /// Uploads `bytes` the way the web app does: declare the upload, PUT
    /// the bytes to the presigned URL (straight to the bucket, not through
    /// the app), complete it. Returns the completion's answer (a FileView
    /// when ready, an error otherwise).
    pub async fn upload(&self, token: &str, purpose: &str, name: &str, content_type: &str, bytes: &[u8]) -> Answer {
        let started = self.start_upload(token, purpose, name, content_type, bytes.len()).await;
        assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
        let status = put_upload(&started.body, bytes.to_vec()).await;
        assert!(status.is_success(), "the presigned PUT answered {status}");
        let id = started.body["file"]["id"].as_str().expect("file id");
        self.call(Method::POST, &format!("/api/files/{id}/complete"), Some(token), None).await
    }

    /// `POST /api/files`.
    pub async fn start_upload(&self, token: &str, purpose: &str, name: &str, content_type: &str, size: usize) -> Answer {
        let body = json!({ "purpose": purpose, "file_name": name, "content_type": content_type, "size": size });
        self.call(Method::POST, "/api/files", Some(token), Some(body)).await
    }

    /// Every raw item in the table (for tests that look under the API).
    pub async fn raw_items(&self) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
        let out = self.app.aws.dynamodb.scan().table_name(&self.app.settings.table).send().await.expect("scan");
        out.items.unwrap_or_default()
    }
}

/// PUTs `bytes` to the presigned target of a `POST /api/files` answer,
/// with the headers it names, as a browser would.
pub async fn put_upload(started: &Value, bytes: Vec<u8>) -> StatusCode {
    let target = &started["upload"];
    assert_eq!(target["method"], "PUT");
    let mut req = reqwest::Client::new().put(target["url"].as_str().expect("upload url"));
    for (k, v) in target["headers"].as_object().expect("headers") {
        req = req.header(k, v.as_str().unwrap_or_default());
    }
    let res = req.body(bytes).send().await.expect("the bucket answers");
    StatusCode::from_u16(res.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY)
}

/// GETs a presigned link (or any URL) and returns its status and bytes.
pub async fn fetch(url: &str) -> (StatusCode, Vec<u8>) {
    let res = reqwest::get(url).await.expect("the link answers");
    let status = StatusCode::from_u16(res.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    (status, res.bytes().await.map(|b| b.to_vec()).unwrap_or_default())
}
