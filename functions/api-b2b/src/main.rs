//! Lambda entry point: builds the shared clients once (init), then serves.
use cartie_apikit::App;
use lambda_http::{run, service_fn, Error, Request};

#[tokio::main]
async fn main() -> Result<(), Error> {
    cartie_apikit::init_tracing();
    let app = App::from_env().await?;
    let app = &app;
    run(service_fn(move |req: Request| async move { Ok::<_, Error>(api_b2b::handler(app, req).await) })).await
}
