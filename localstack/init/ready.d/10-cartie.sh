#!/usr/bin/env bash
# LocalStack init hook: creates Cartie's table and queues when the container
# is ready. The Rust bootstrap (`cartie bootstrap`, also run by `cartie dev`)
# creates the same resources idempotently; this hook only saves a step for
# people who start LocalStack first. Keep in step with
# libs/store/src/bootstrap.rs.
set -euo pipefail
TABLE="${CARTIE_TABLE:-cartie}"
PREFIX="${CARTIE_QUEUE_PREFIX:-cartie}"

awslocal dynamodb describe-table --table-name "$TABLE" >/dev/null 2>&1 || awslocal dynamodb create-table \
  --table-name "$TABLE" --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=PK,AttributeType=S AttributeName=SK,AttributeType=S \
      AttributeName=GSI1PK,AttributeType=S AttributeName=GSI1SK,AttributeType=S \
      AttributeName=GSI2PK,AttributeType=S AttributeName=GSI2SK,AttributeType=S \
  --key-schema AttributeName=PK,KeyType=HASH AttributeName=SK,KeyType=RANGE \
  --global-secondary-indexes 'IndexName=GSI1,KeySchema=[{AttributeName=GSI1PK,KeyType=HASH},{AttributeName=GSI1SK,KeyType=RANGE}],Projection={ProjectionType=ALL}' \
      'IndexName=GSI2,KeySchema=[{AttributeName=GSI2PK,KeyType=HASH},{AttributeName=GSI2SK,KeyType=RANGE}],Projection={ProjectionType=ALL}' >/dev/null
awslocal dynamodb update-time-to-live --table-name "$TABLE" \
  --time-to-live-specification Enabled=true,AttributeName=expires_at >/dev/null 2>&1 || true

queue() { # name fifo
  local attrs=() dlq="$PREFIX-$1-dlq" main="$PREFIX-$1"
  if [ "$2" = fifo ]; then dlq="$dlq.fifo"; main="$main.fifo"; attrs=(FifoQueue=true); fi
  local dlq_url dlq_arn
  dlq_url=$(awslocal sqs create-queue --queue-name "$dlq" ${attrs:+--attributes "${attrs[@]}"} --query QueueUrl --output text)
  dlq_arn=$(awslocal sqs get-queue-attributes --queue-url "$dlq_url" --attribute-names QueueArn --query Attributes.QueueArn --output text)
  awslocal sqs create-queue --queue-name "$main" --attributes \
    "{\"VisibilityTimeout\":\"60\",\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"$dlq_arn\\\",\\\"maxReceiveCount\\\":\\\"5\\\"}\"$([ "$2" = fifo ] && echo ',"FifoQueue":"true"')}" >/dev/null
}
queue jobs standard
queue updates fifo
echo "cartie: table $TABLE and queues ready"
