//! Where the table, queues and file bucket are, read once from the
//! environment, and the AWS SDK clients.
//!
//! The same binaries talk to moto, LocalStack or AWS: only `AWS_ENDPOINT_URL`
//! changes (the SDK reads it itself).

use aws_config::BehaviorVersion;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Settings {
    /// DynamoDB table name (`CARTIE_TABLE`, default `cartie`).
    pub table: String,
    /// Prefix of every queue name (`CARTIE_QUEUE_PREFIX`, default `cartie`).
    pub queue_prefix: String,
    /// The file store's S3 bucket (`CARTIE_FILES_BUCKET`, default `cartie-files`).
    pub files_bucket: String,
}

impl Settings {
    pub fn from_env() -> Settings {
        Settings {
            table: std::env::var("CARTIE_TABLE").unwrap_or_else(|_| "cartie".into()),
            queue_prefix: std::env::var("CARTIE_QUEUE_PREFIX").unwrap_or_else(|_| "cartie".into()),
            files_bucket: std::env::var("CARTIE_FILES_BUCKET").unwrap_or_else(|_| "cartie-files".into()),
        }
    }
}

/// The AWS SDK clients, built once per process (Lambda init) and shared.
#[derive(Clone)]
pub struct Aws {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub s3: aws_sdk_s3::Client,
    /// Read once at init (the JWT and data keys), never per request.
    pub secrets: aws_sdk_secretsmanager::Client,
    /// Set when the process counts its calls (tests, benchmarks).
    pub calls: Option<CallCounter>,
}

impl Aws {
    pub async fn from_env() -> Aws {
        Aws::from_env_counting(None).await
    }

    /// Clients that count every call they make in `calls`.
    pub async fn from_env_counting(calls: Option<CallCounter>) -> Aws {
        let conf = aws_config::defaults(BehaviorVersion::latest()).load().await;
        let mut ddb = aws_sdk_dynamodb::config::Builder::from(&conf);
        let mut sqs = aws_sdk_sqs::config::Builder::from(&conf);
        let mut secrets = aws_sdk_secretsmanager::config::Builder::from(&conf);
        // A local endpoint (moto, LocalStack) is one host: buckets go in the
        // path. AWS itself takes the bucket in the host name.
        let mut s3 = aws_sdk_s3::config::Builder::from(&conf)
            .force_path_style(conf.endpoint_url().is_some())
            // Checksums only where S3 demands them: presigned uploads from
            // browsers carry none, and moto needs none.
            .request_checksum_calculation(aws_sdk_s3::config::RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(aws_sdk_s3::config::ResponseChecksumValidation::WhenRequired);
        if let Some(c) = &calls {
            ddb = ddb.interceptor(c.clone());
            sqs = sqs.interceptor(c.clone());
            s3 = s3.interceptor(c.clone());
            secrets = secrets.interceptor(c.clone());
        }
        Aws {
            dynamodb: aws_sdk_dynamodb::Client::from_conf(ddb.build()),
            sqs: aws_sdk_sqs::Client::from_conf(sqs.build()),
            s3: aws_sdk_s3::Client::from_conf(s3.build()),
            secrets: aws_sdk_secretsmanager::Client::from_conf(secrets.build()),
            calls,
        }
    }
}

/// Counts SDK operations by name (`DynamoDB.PutItem`, `SQS.SendMessage`,
/// `S3.GetObject`), so tests can assert how many requests a page or an
/// update costs. An SDK interceptor: it sees every call, whoever makes it.
/// A presigned URL is signed like a call but never sent: not counted.
#[derive(Clone, Default, Debug)]
pub struct CallCounter(Arc<Mutex<BTreeMap<String, u64>>>);

impl CallCounter {
    /// Calls so far, by operation.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Calls since `before` (a [`snapshot`](Self::snapshot)), by operation,
    /// leaving out the operations named in `except` (e.g. the queue polling
    /// Lambda itself does).
    pub fn since(&self, before: &BTreeMap<String, u64>, except: &[&str]) -> BTreeMap<String, u64> {
        self.snapshot()
            .into_iter()
            .filter(|(op, _)| !except.iter().any(|e| op.ends_with(e)))
            .filter_map(|(op, n)| {
                let d = n - before.get(&op).copied().unwrap_or(0);
                (d > 0).then_some((op, d))
            })
            .collect()
    }

    pub fn reset(&self) {
        if let Ok(mut m) = self.0.lock() {
            m.clear();
        }
    }
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "CallCounter"
    }

    fn read_after_signing(&self, ctx: &BeforeTransmitInterceptorContextRef<'_>, _rc: &RuntimeComponents, cfg: &mut ConfigBag) -> Result<(), BoxError> {
        let presigned = ctx.request().uri().contains("X-Amz-Signature=");
        let first_attempt = cfg.load::<RequestAttempts>().is_none_or(|a| a.attempts() <= 1);
        if presigned || !first_attempt {
            return Ok(());
        }
        if let (Some(m), Ok(mut map)) = (cfg.load::<Metadata>(), self.0.lock()) {
            *map.entry(format!("{}.{}", m.service(), m.name())).or_default() += 1;
        }
        Ok(())
    }
}
