//! Lambda entry point: builds the shared clients once (init), then serves.
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use cartie_platform::Services;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    cartie_platform::init_tracing();
    let svc = Services::from_env().await?;
    let svc = &svc;
    run(service_fn(move |event: LambdaEvent<SqsEvent>| async move { Ok::<SqsBatchResponse, Error>(worker_campaigns::handler(svc, event.payload).await) })).await
}
