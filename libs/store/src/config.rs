//! Where the table and queues are, read once from the environment.
//!
//! The same binaries talk to moto, LocalStack or AWS: only `AWS_ENDPOINT_URL`
//! changes (the SDK reads it itself).

use aws_config::BehaviorVersion;

#[derive(Clone, Debug)]
pub struct Settings {
    /// DynamoDB table name (`CARTIE_TABLE`, default `cartie`).
    pub table: String,
    /// Prefix of every queue name (`CARTIE_QUEUE_PREFIX`, default `cartie`).
    pub queue_prefix: String,
}

impl Settings {
    pub fn from_env() -> Settings {
        Settings {
            table: std::env::var("CARTIE_TABLE").unwrap_or_else(|_| "cartie".into()),
            queue_prefix: std::env::var("CARTIE_QUEUE_PREFIX").unwrap_or_else(|_| "cartie".into()),
        }
    }
}

/// The AWS SDK clients, built once per process (Lambda init) and shared.
#[derive(Clone)]
pub struct Aws {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
}

impl Aws {
    pub async fn from_env() -> Aws {
        let conf = aws_config::defaults(BehaviorVersion::latest()).load().await;
        Aws { dynamodb: aws_sdk_dynamodb::Client::new(&conf), sqs: aws_sdk_sqs::Client::new(&conf) }
    }
}
