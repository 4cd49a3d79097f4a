use cartie_store::{Aws, Settings, Store};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    cartie_platform::init_tracing();
    let aws = Aws::from_env().await;
    let store = Store::new(&aws, &Settings::from_env());
    let (store, aws) = (&store, &aws);
    run(service_fn(move |_event: LambdaEvent<serde_json::Value>| async move {
        let report = migrate::run(store, aws).await.map_err(Error::from)?;
        tracing::info!(?report, "migrations done");
        Ok::<_, Error>(serde_json::to_value(&report)?)
    }))
    .await
}
