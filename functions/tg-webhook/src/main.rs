//! Lambda entry point: builds the shared clients once (init), then serves.
use cartie_apikit::App;
use lambda_http::{run, service_fn, Error, Request};

// One thread: an instance serves one delivery at a time, and a
// multi-threaded runtime's idle workers would spend CPU looking for work.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    cartie_apikit::init_tracing();
    let app = App::from_env().await?;
    let app = &app;
    run(service_fn(move |req: Request| async move { Ok::<_, Error>(tg_webhook::handler(app, req).await) })).await
}
