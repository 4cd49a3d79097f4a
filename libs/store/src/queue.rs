//! Sending to Cartie's SQS queues by their short name (`jobs`, `updates`).

use crate::{bootstrap, config::Settings, Aws, StoreError};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::RwLock;

#[derive(Clone)]
pub struct Queues {
    pub sqs: aws_sdk_sqs::Client,
    prefix: String,
    urls: Arc<RwLock<HashMap<&'static str, String>>>,
}

impl Queues {
    pub fn new(aws: &Aws, settings: &Settings) -> Queues {
        Queues { sqs: aws.sqs.clone(), prefix: settings.queue_prefix.clone(), urls: Arc::default() }
    }

    /// Full SQS name of a queue: `jobs` -> `cartie-jobs`.
    pub fn name(&self, short: &str) -> Result<String, StoreError> {
        let spec = spec(short)?;
        Ok(bootstrap::queue_name(&self.prefix, spec))
    }

    /// The queue's URL, looked up once and cached.
    pub async fn url(&self, short: &'static str) -> Result<String, StoreError> {
        if let Some(u) = self.urls.read().await.get(short) {
            return Ok(u.clone());
        }
        let url = self
            .sqs
            .get_queue_url()
            .queue_name(self.name(short)?)
            .send()
            .await
            .map_err(StoreError::aws)?
            .queue_url
            .ok_or_else(|| StoreError::aws_msg(format!("queue {short} has no URL")))?;
        self.urls.write().await.insert(short, url.clone());
        Ok(url)
    }

    /// The dead-letter queue's URL.
    pub async fn dlq_url(&self, short: &'static str) -> Result<String, StoreError> {
        let name = bootstrap::dlq_name(&self.prefix, spec(short)?);
        self.sqs
            .get_queue_url()
            .queue_name(name)
            .send()
            .await
            .map_err(StoreError::aws)?
            .queue_url
            .ok_or_else(|| StoreError::aws_msg(format!("dlq of {short} has no URL")))
    }

    /// Sends a JSON message to a standard queue.
    pub async fn send<T: serde::Serialize>(&self, short: &'static str, message: &T) -> Result<(), StoreError> {
        self.send_delayed(short, message, 0).await
    }

    /// Sends a JSON message that becomes visible after `delay_secs` (SQS
    /// allows at most 900; longer waits are re-sent by the consumer).
    pub async fn send_delayed<T: serde::Serialize>(&self, short: &'static str, message: &T, delay_secs: u32) -> Result<(), StoreError> {
        let body = serde_json::to_string(message).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.sqs
            .send_message()
            .queue_url(self.url(short).await?)
            .message_body(body)
            .delay_seconds(delay_secs.min(900) as i32)
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// Sends a JSON message to a FIFO queue: `group` keeps order within it,
    /// `dedup_id` makes a repeated send within 5 minutes a no-op.
    pub async fn send_fifo<T: serde::Serialize>(&self, short: &'static str, group: &str, dedup_id: &str, message: &T) -> Result<(), StoreError> {
        let body = serde_json::to_string(message).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.sqs
            .send_message()
            .queue_url(self.url(short).await?)
            .message_body(body)
            .message_group_id(group)
            .message_deduplication_id(dedup_id)
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }
}

impl Queues {
    /// Keeps a received message hidden for `secs` more (capped at 12 hours,
    /// SQS's limit), so it is redelivered then, keeping its place in a FIFO
    /// group: how a worker waits out Telegram's `retry_after` without
    /// sleeping.
    pub async fn postpone(&self, short: &'static str, receipt_handle: &str, secs: u32) -> Result<(), StoreError> {
        self.sqs
            .change_message_visibility()
            .queue_url(self.url(short).await?)
            .receipt_handle(receipt_handle)
            .visibility_timeout(secs.min(12 * 3600) as i32)
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// Puts a message nobody can ever process (it does not parse, or a
    /// permanent refusal) on the queue's dead-letter queue, where an
    /// operator sees it, instead of retrying it until it gets there.
    pub async fn to_dead_letters(&self, short: &'static str, body: &str, group: Option<&str>) -> Result<(), StoreError> {
        let name = bootstrap::dlq_name(&self.prefix, spec(short)?);
        let url = self.sqs.get_queue_url().queue_name(name).send().await.map_err(StoreError::aws)?.queue_url.unwrap_or_default();
        let mut send = self.sqs.send_message().queue_url(url).message_body(body);
        if spec(short)?.fifo {
            send = send.message_group_id(group.unwrap_or("dead")).message_deduplication_id(crate::util::sha256_hex(body));
        }
        send.send().await.map_err(StoreError::aws)?;
        Ok(())
    }
}

fn spec(short: &str) -> Result<&'static bootstrap::QueueSpec, StoreError> {
    bootstrap::QUEUES.iter().find(|q| q.name == short).ok_or_else(|| StoreError::aws_msg(format!("unknown queue {short}")))
}
