//! Creates the table, queues and file bucket when they are missing; safe to
//! run any number of times. Used by the local runtime and tests (moto,
//! LocalStack); on AWS, `template.yaml` creates the same resources.

use crate::{config::Settings, keys, Aws, StoreError};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_sqs::types::QueueAttributeName;

/// The queues Cartie uses. Each has a dead-letter queue named `{name}-dlq`.
pub struct QueueSpec {
    /// Name without the prefix, e.g. `jobs` -> `cartie-jobs`.
    pub name: &'static str,
    pub fifo: bool,
    pub visibility_timeout_secs: u32,
    pub max_receive_count: u32,
}

pub const QUEUES: &[QueueSpec] = &[
    // Background work off the request path (one message = one job).
    QueueSpec { name: "jobs", fifo: false, visibility_timeout_secs: 60, max_receive_count: 5 },
    // Telegram updates, FIFO with one group per bot+chat to keep a chat's order.
    QueueSpec { name: "updates", fifo: true, visibility_timeout_secs: 60, max_receive_count: 5 },
    // Campaign chunks, FIFO with one group per bot: one sender per bot at a
    // time. A chunk waiting out quiet hours or a long `retry_after` is
    // postponed (received again), hence the higher receive count.
    QueueSpec { name: "campaigns", fifo: true, visibility_timeout_secs: 120, max_receive_count: 30 },
];

pub fn queue_name(prefix: &str, spec: &QueueSpec) -> String {
    if spec.fifo {
        format!("{prefix}-{}.fifo", spec.name)
    } else {
        format!("{prefix}-{}", spec.name)
    }
}

pub fn dlq_name(prefix: &str, spec: &QueueSpec) -> String {
    if spec.fifo {
        format!("{prefix}-{}-dlq.fifo", spec.name)
    } else {
        format!("{prefix}-{}-dlq", spec.name)
    }
}

pub async fn run(aws: &Aws, settings: &Settings) -> Result<(), StoreError> {
    create_table(aws, &settings.table).await?;
    for spec in QUEUES {
        create_queue(aws, &settings.queue_prefix, spec).await?;
    }
    create_bucket(aws, &settings.files_bucket).await
}

/// The file store's bucket: private, with the lifecycle rules
/// `template.yaml` gives it (objects tagged `expiry=1d` / `expiry=7d` go
/// after a day / a week; unfinished multipart uploads after a day).
async fn create_bucket(aws: &Aws, bucket: &str) -> Result<(), StoreError> {
    use aws_sdk_s3::types::{
        AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, BucketLocationConstraint, CreateBucketConfiguration, ExpirationStatus,
        LifecycleExpiration, LifecycleRule, LifecycleRuleFilter, PublicAccessBlockConfiguration, Tag,
    };
    let mut create = aws.s3.create_bucket().bucket(bucket);
    let region = aws.s3.config().region().map(|r| r.to_string()).unwrap_or_default();
    if !region.is_empty() && region != "us-east-1" {
        create = create
            .create_bucket_configuration(CreateBucketConfiguration::builder().location_constraint(BucketLocationConstraint::from(region.as_str())).build());
    }
    if let Err(e) = create.send().await {
        let mine = e.as_service_error().is_some_and(|s| s.is_bucket_already_owned_by_you());
        if !mine {
            return Err(StoreError::aws(e));
        }
    }
    let block = PublicAccessBlockConfiguration::builder()
        .block_public_acls(true)
        .block_public_policy(true)
        .ignore_public_acls(true)
        .restrict_public_buckets(true)
        .build();
    aws.s3.put_public_access_block().bucket(bucket).public_access_block_configuration(block).send().await.map_err(StoreError::aws)?;
    let expire = |id: &str, value: &str, days: i32| -> Result<LifecycleRule, StoreError> {
        let tag = Tag::builder().key("expiry").value(value).build().map_err(StoreError::aws)?;
        LifecycleRule::builder()
            .id(id)
            .status(ExpirationStatus::Enabled)
            .filter(LifecycleRuleFilter::builder().tag(tag).build())
            .expiration(LifecycleExpiration::builder().days(days).build())
            .build()
            .map_err(StoreError::aws)
    };
    let unfinished = LifecycleRule::builder()
        .id("unfinished-multipart-uploads")
        .status(ExpirationStatus::Enabled)
        .filter(LifecycleRuleFilter::builder().prefix("").build())
        .abort_incomplete_multipart_upload(AbortIncompleteMultipartUpload::builder().days_after_initiation(1).build())
        .build()
        .map_err(StoreError::aws)?;
    let rules = BucketLifecycleConfiguration::builder()
        .rules(expire("abandoned-uploads", "1d", 1)?)
        .rules(expire("attachments-and-exports", "7d", 7)?)
        .rules(unfinished)
        .build()
        .map_err(StoreError::aws)?;
    aws.s3.put_bucket_lifecycle_configuration().bucket(bucket).lifecycle_configuration(rules).send().await.map_err(StoreError::aws)?;
    Ok(())
}

/// Lets browsers on `origins` (the web app) PUT uploads to and GET files
/// from the bucket directly (CORS, with the preflight). On AWS,
/// `template.yaml` sets the same rule with the deployment's public URL.
pub async fn allow_origins(aws: &Aws, settings: &Settings, origins: &[String]) -> Result<(), StoreError> {
    use aws_sdk_s3::types::{CorsConfiguration, CorsRule};
    let rule = CorsRule::builder()
        .set_allowed_origins(Some(origins.to_vec()))
        .allowed_methods("PUT")
        .allowed_methods("GET")
        .allowed_methods("HEAD")
        .allowed_headers("content-type")
        .allowed_headers("x-amz-tagging")
        .expose_headers("ETag")
        .max_age_seconds(3000)
        .build()
        .map_err(StoreError::aws)?;
    let cors = CorsConfiguration::builder().cors_rules(rule).build().map_err(StoreError::aws)?;
    aws.s3.put_bucket_cors().bucket(&settings.files_bucket).cors_configuration(cors).send().await.map_err(StoreError::aws)?;
    Ok(())
}

async fn create_table(aws: &Aws, table: &str) -> Result<(), StoreError> {
    let exists = aws.dynamodb.describe_table().table_name(table).send().await;
    if exists.is_err() {
        let attr = |n: &str| AttributeDefinition::builder().attribute_name(n).attribute_type(ScalarAttributeType::S).build();
        let key = |n: &str, t: KeyType| KeySchemaElement::builder().attribute_name(n).key_type(t).build();
        let created = aws
            .dynamodb
            .create_table()
            .table_name(table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attr("PK").map_err(StoreError::aws)?)
            .attribute_definitions(attr("SK").map_err(StoreError::aws)?)
            .attribute_definitions(attr("GSI1PK").map_err(StoreError::aws)?)
            .attribute_definitions(attr("GSI1SK").map_err(StoreError::aws)?)
            .attribute_definitions(attr("GSI2PK").map_err(StoreError::aws)?)
            .attribute_definitions(attr("GSI2SK").map_err(StoreError::aws)?)
            .key_schema(key("PK", KeyType::Hash).map_err(StoreError::aws)?)
            .key_schema(key("SK", KeyType::Range).map_err(StoreError::aws)?)
            .global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name("GSI1")
                    .key_schema(key("GSI1PK", KeyType::Hash).map_err(StoreError::aws)?)
                    .key_schema(key("GSI1SK", KeyType::Range).map_err(StoreError::aws)?)
                    .projection(Projection::builder().projection_type(ProjectionType::All).build())
                    .build()
                    .map_err(StoreError::aws)?,
            )
            .global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name("GSI2")
                    .key_schema(key("GSI2PK", KeyType::Hash).map_err(StoreError::aws)?)
                    .key_schema(key("GSI2SK", KeyType::Range).map_err(StoreError::aws)?)
                    .projection(Projection::builder().projection_type(ProjectionType::All).build())
                    .build()
                    .map_err(StoreError::aws)?,
            )
            .send()
            .await;
        if let Err(e) = created {
            // Two processes bootstrapping at once: the loser sees "in use".
            let in_use = e.as_service_error().is_some_and(|s| s.is_resource_in_use_exception());
            if !in_use {
                return Err(StoreError::aws(e));
            }
        }
        tracing::info!(table, "created table");
    }
    aws.dynamodb
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(TimeToLiveSpecification::builder().attribute_name(keys::TTL_ATTRIBUTE).enabled(true).build().map_err(StoreError::aws)?)
        .send()
        .await
        .map(|_| ())
        .or_else(|e| {
            // Already enabled is fine (AWS answers ValidationException for that).
            let msg = StoreError::aws(e).to_string();
            if msg.contains("already enabled") || msg.contains("TimeToLive is already") {
                Ok(())
            } else {
                Err(StoreError::aws_msg(msg))
            }
        })
}

async fn create_queue(aws: &Aws, prefix: &str, spec: &QueueSpec) -> Result<(), StoreError> {
    let mut dlq = aws.sqs.create_queue().queue_name(dlq_name(prefix, spec));
    if spec.fifo {
        dlq = dlq.attributes(QueueAttributeName::FifoQueue, "true");
    }
    let dlq_url = dlq.send().await.map_err(StoreError::aws)?.queue_url.unwrap_or_default();
    let dlq_arn = aws
        .sqs
        .get_queue_attributes()
        .queue_url(&dlq_url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(StoreError::aws)?
        .attributes
        .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
        .unwrap_or_default();
    let redrive = serde_json::json!({ "deadLetterTargetArn": dlq_arn, "maxReceiveCount": spec.max_receive_count.to_string() });
    let mut q = aws
        .sqs
        .create_queue()
        .queue_name(queue_name(prefix, spec))
        .attributes(QueueAttributeName::VisibilityTimeout, spec.visibility_timeout_secs.to_string())
        .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string());
    if spec.fifo {
        q = q.attributes(QueueAttributeName::FifoQueue, "true").attributes(QueueAttributeName::ContentBasedDeduplication, "false");
    }
    q.send().await.map_err(StoreError::aws)?;
    Ok(())
}

/// The names of the two secrets a local deployment keeps in its Secrets
/// Manager (moto): the data key and the login-token key.
pub fn secret_names(prefix: &str) -> (String, String) {
    (format!("{prefix}-data-key"), format!("{prefix}-jwt-secret"))
}

/// Creates the local deployment's secrets with random values when they are
/// missing (on AWS, `template.yaml` generates them). Returns their ids.
pub async fn secrets(aws: &Aws, settings: &Settings) -> Result<(String, String), StoreError> {
    let (data_key, jwt) = secret_names(&settings.queue_prefix);
    for name in [&data_key, &jwt] {
        let exists = aws.secrets.describe_secret().secret_id(name).send().await.is_ok();
        if !exists {
            let value = crate::util::random_token();
            aws.secrets.create_secret().name(name).secret_string(value).send().await.map_err(StoreError::aws)?;
            tracing::info!(name, "created a local secret");
        }
    }
    Ok((data_key, jwt))
}
