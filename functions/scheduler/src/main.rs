use cartie_store::{Aws, Queues, Settings, Store};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    cartie_apikit::init_tracing();
    let (aws, settings) = (Aws::from_env().await, Settings::from_env());
    let (store, queues) = (Store::new(&aws, &settings), Queues::new(&aws, &settings));
    let (store, queues) = (&store, &queues);
    run(service_fn(move |_event: LambdaEvent<serde_json::Value>| async move { scheduler::tick(store, queues).await.map_err(Error::from) })).await
}
