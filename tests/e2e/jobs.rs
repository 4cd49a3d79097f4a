//! The jobs queue as Lambda's event source mapping drives it: a good
//! message is processed and deleted, a bad one is reported as a batch item
//! failure, retried, and lands in the dead-letter queue — without the good
//! ones being redone.

use aws_sdk_sqs::types::QueueAttributeName;
use cartie_e2e::Stack;
use std::time::Duration;

#[tokio::test]
async fn good_jobs_run_once_and_poison_jobs_reach_the_dlq() {
    let s = Stack::new().await;
    let sqs = &s.app.aws.sqs;
    let url = s.app.queues.url("jobs").await.unwrap();
    // A short visibility timeout so the retries happen within the test.
    sqs.set_queue_attributes().queue_url(&url).attributes(QueueAttributeName::VisibilityTimeout, "1").send().await.unwrap();

    scheduler::tick(&s.app.store, &s.app.queues).await.unwrap();
    sqs.send_message().queue_url(&url).message_body("{\"kind\":\"no_such_job\"}").send().await.unwrap();

    let received = cartie::poll_once(&s.app, cartie::Worker::Jobs, 1).await.unwrap();
    assert_eq!(received, 2);
    let beats = s.app.store.heartbeats().await.unwrap();
    assert!(beats.iter().any(|b| b.name == "jobs-worker"), "the heartbeat job ran");
    assert!(beats.iter().any(|b| b.name == "scheduler"));

    // Redeliver the poison message until SQS gives up on it (maxReceiveCount 5).
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let n = cartie::poll_once(&s.app, cartie::Worker::Jobs, 0).await.unwrap();
        if n == 0 && dlq_depth(&s).await == 1 {
            break;
        }
        assert!(n <= 1, "only the poison message comes back, got {n}");
    }
    assert_eq!(dlq_depth(&s).await, 1, "the poison message is in the DLQ");
}

async fn dlq_depth(s: &Stack) -> usize {
    let dlq = s.app.queues.dlq_url("jobs").await.unwrap();
    let out = s.app.aws.sqs.receive_message().queue_url(&dlq).max_number_of_messages(10).visibility_timeout(0).send().await.unwrap();
    out.messages.unwrap_or_default().len()
}

/// The same for the FIFO updates queue: a message the worker cannot use is
/// retried and then parked in the DLQ, and the chat behind it is not stuck.
#[tokio::test]
async fn poison_updates_reach_the_dlq_and_other_chats_flow() {
    let s = Stack::new().await;
    let sqs = &s.app.aws.sqs;
    let url = s.app.queues.url("updates").await.unwrap();
    sqs.set_queue_attributes().queue_url(&url).attributes(QueueAttributeName::VisibilityTimeout, "1").send().await.unwrap();
    s.app.queues.send_fifo("updates", "1:1", "poison-1", &serde_json::json!({"not": "an update"})).await.unwrap();
    let (_ws, owner) = s.workspace("Poison Motors", "owner@poison.test").await;
    let bot = s.connect_bot(&owner, "PoisonBot").await;
    let buyer = tg_sandbox::UserRef { id: 5, first_name: "Zoe".into(), ..Default::default() };
    s.telegram.user_sends(bot.id, tg_sandbox::UserMessage::text(buyer, "still works")).await.unwrap();
    for _ in 0..12 {
        cartie::poll_once(&s.app, cartie::Worker::Updates, 0).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let dlq = s.app.queues.dlq_url("updates").await.unwrap();
    let parked = sqs.receive_message().queue_url(&dlq).max_number_of_messages(10).send().await.unwrap().messages.unwrap_or_default();
    assert_eq!(parked.len(), 1, "the poison message is parked");
    assert_eq!(parked[0].body.as_deref(), Some("{\"not\":\"an update\"}"));
    let list = s.get("/api/inbox/conversations", &owner).await;
    assert_eq!(list.body["items"][0]["preview"], "still works");
}
