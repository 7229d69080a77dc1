//! Health checks for a proxy or an orchestrator: `GET /healthz` (the process answers) and
//! `GET /readyz` (the database answers, with every migration this fika knows applied).
//!
//! Both are outside the session layer: no cookie is read or set, no session or audit row is
//! written, no CSRF applies; they say nothing about anyone. `/healthz` touches nothing but
//! the process, so a database outage does not make every server look dead (restarting them
//! would not help); `/readyz` is what takes a server out of a load balancer's rotation.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

/// How long `/readyz` waits for the database before it says the database did not answer.
const READY_WITHIN: Duration = Duration::from_secs(2);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn healthz() -> Response {
    text(StatusCode::OK, "ok".into())
}

async fn readyz(State(st): State<AppState>) -> Response {
    let checked = tokio::time::timeout(READY_WITHIN, st.db(|s| s.schema_state())).await;
    let list = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let unavailable = |why: String| text(StatusCode::SERVICE_UNAVAILABLE, why);
    match checked {
        Ok(Ok(Ok(state))) if state.is_current() => text(StatusCode::OK, "ready".into()),
        Ok(Ok(Ok(state))) if !state.missing.is_empty() => unavailable(format!(
            "not ready: migrations not applied: {}",
            list(&state.missing)
        )),
        Ok(Ok(Ok(state))) => unavailable(format!(
            "not ready: the database has migrations this fika does not know (a newer fika migrated it): {}",
            list(&state.unknown)
        )),
        Ok(_) => unavailable("not ready: the database does not answer".into()),
        Err(_) => unavailable(format!(
            "not ready: the database did not answer within {} s",
            READY_WITHIN.as_secs()
        )),
    }
}
