use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use cartie_store::{Aws, Settings, Store};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    cartie_apikit::init_tracing();
    let store = Store::new(&Aws::from_env().await, &Settings::from_env());
    let store = &store;
    run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<SqsBatchResponse, Error>(worker_jobs::handler(store, event.payload).await)
    }))
    .await
}
