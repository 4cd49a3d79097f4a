//! Health, version and schema drift: a table whose migration ledger is
//! behind the code is reported by `/api/health/deep`, not crash-looped on.

use cartie_e2e::{Method, Stack, StatusCode};

#[tokio::test]
async fn deep_health_is_ok_on_a_migrated_table() {
    let s = Stack::new().await;
    let a = s.call(Method::GET, "/api/health/deep", None, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["status"], "ok");
    let names: Vec<&str> = a.body["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["dynamodb", "sqs", "migrations"]);
    assert_eq!(s.call(Method::GET, "/api/health", None, None).await.body["status"], "ok");
}

#[tokio::test]
async fn deep_health_names_schema_drift_and_recovers_after_migrating() {
    let s = Stack::bare().await;
    let a = s.call(Method::GET, "/api/health/deep", None, None).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.body);
    let failing: Vec<&serde_json::Value> = a.body["checks"].as_array().unwrap().iter().filter(|c| c["ok"] == false).collect();
    assert_eq!(failing.len(), 1, "{}", a.body);
    assert_eq!(failing[0]["name"], "migrations");
    assert!(failing[0]["detail"].as_str().unwrap().contains("run the migrations"), "{}", a.body);

    cartie_migrations::run_pending(&s.app.store, cartie_migrations::MIGRATIONS).await.unwrap();
    assert_eq!(s.call(Method::GET, "/api/health/deep", None, None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn deep_health_names_a_missing_table() {
    let s = Stack::new().await;
    let mut app = s.app.clone();
    app.services.settings.table = "no-such-table".into();
    app.services.store.table = "no-such-table".into();
    let router = cartie::router(app, None);
    use tower::ServiceExt;
    let res = router.oneshot(http::Request::get("/api/health/deep").body(axum::body::Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = serde_json::from_slice(&axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap()).unwrap();
    let ddb = body["checks"].as_array().unwrap().iter().find(|c| c["name"] == "dynamodb").unwrap().clone();
    assert_eq!(ddb["ok"], false, "{body}");
}

#[tokio::test]
async fn version_says_what_is_deployed() {
    let s = Stack::new().await;
    let a = s.call(Method::GET, "/api/version", None, None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["schema_version"], cartie_migrations::LATEST);
    assert!(!a.body["git_sha"].as_str().unwrap().is_empty());
    assert!(a.body["build_time"].as_str().unwrap().starts_with("20"));
}

#[tokio::test]
async fn migrations_run_twice_are_a_no_op_and_races_are_safe() {
    let s = Stack::bare().await;
    let store = &s.app.store;
    let (a, b) = tokio::join!(
        cartie_migrations::run_pending(store, cartie_migrations::MIGRATIONS),
        cartie_migrations::run_pending(store, cartie_migrations::MIGRATIONS)
    );
    let mut applied: Vec<u32> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    applied.sort();
    assert_eq!(applied, (1..=cartie_migrations::LATEST).collect::<Vec<_>>(), "each migration recorded exactly once");
    let again = cartie_migrations::run_pending(store, cartie_migrations::MIGRATIONS).await.unwrap();
    assert!(again.is_empty());
    let ledger = store.ledger().await.unwrap();
    assert_eq!(ledger.version, cartie_migrations::LATEST);
    assert_eq!(ledger.applied.len(), cartie_migrations::LATEST as usize);
}

/// A later migration that writes data: re-running after a crash between its
/// work and the ledger write must not duplicate anything.
#[tokio::test]
async fn a_data_migration_is_idempotent() {
    use cartie_migrations::{Migration, MigrationFuture};
    fn count_up(store: &cartie_store::Store) -> MigrationFuture<'_> {
        Box::pin(async move {
            // Idempotent by construction: a put of a fixed key.
            store.beat("migration-test", "written by v2").await
        })
    }
    let list = [Migration { version: 1, name: "baseline", run: cartie_migrations::MIGRATIONS[0].run }, Migration { version: 2, name: "write", run: count_up }];
    let s = Stack::bare().await;
    assert_eq!(cartie_migrations::run_pending(&s.app.store, &list).await.unwrap(), vec![1, 2]);
    // Simulate "work done, ledger not written": the migration runs again safely.
    count_up(&s.app.store).await.unwrap();
    assert!(cartie_migrations::run_pending(&s.app.store, &list).await.unwrap().is_empty());
    let beats = s.app.store.heartbeats().await.unwrap();
    assert_eq!(beats.iter().filter(|b| b.name == "migration-test").count(), 1);
}
