//! The HTTP server around the app: connection limits, timeouts and graceful shutdown.
//!
//! - At most `max_connections` connections are open at once; past that the server stops
//!   accepting until one closes (new ones wait in the listen queue).
//! - A connection must send a complete request head within `header_read_timeout` of opening
//!   or of the previous answer, else it is closed: this bounds both slow headers and idle
//!   kept-alive connections (hyper's timer runs whenever the connection waits for a head).
//! - A request (its body included) must be answered within `request_timeout`, else it is
//!   answered 503 and its connection closed.
//! - On Ctrl-C or SIGTERM the server stops accepting, lets requests in flight finish for up
//!   to `shutdown_grace`, closes idle connections, and returns; the caller then drops the
//!   store (closing its pooled connections) outside the async runtime.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::AppState;

/// How long and how many: every field has a default fit for a server behind a proxy.
#[derive(Debug, Clone)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub request_timeout: Duration,
    pub max_connections: usize,
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 1024,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Serves the app on `listener` until `shutdown` resolves, then shuts down gracefully.
pub async fn serve_on(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = state.config.limits.clone();
    serve_router(listener, crate::app(state), &limits, shutdown).await
}

/// Serves `router` on `listener` within `limits` until `shutdown` resolves (the app, and the
/// metrics on their own address).
pub(crate) async fn serve_router(
    listener: TcpListener,
    router: axum::Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = connections.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                // Out of file descriptors or a connection reset before it was accepted:
                // wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let request_timeout = limits.request_timeout;
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            let router = router.clone();
            async move {
                let answer = router.oneshot(req.map(Body::new));
                match tokio::time::timeout(request_timeout, answer).await {
                    Ok(r) => r,
                    Err(_) => Ok::<_, Infallible>(too_slow()),
                }
            }
        });
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    // Requests in flight finish; idle connections close at once.
    let _ = tokio::time::timeout(limits.shutdown_grace, graceful.shutdown()).await;
    Ok(())
}

fn too_slow() -> Response<Body> {
    let mut r = Response::new(Body::from(
        "The request took too long. Try again. / Begäran tog för lång tid. Försök igen.",
    ));
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    r.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    r
}
