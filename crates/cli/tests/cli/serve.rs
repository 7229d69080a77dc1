//! `fika serve` as an operator runs it: Ctrl-C (SIGINT) or SIGTERM stops it gracefully on
//! both backends: a request in flight is answered, the process exits 0 without a panic.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Database;

/// A running `fika serve` on a free port.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(db: &Database, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fika"))
            .args(["--db", &db.url, "serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env_remove("FIKA_DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("fika is serving on http://")
            .unwrap_or_else(|| panic!("{line:?}"))
            .to_owned();
        Server { child, addr }
    }

    /// Sends a signal (`INT`, `TERM`) to the server.
    pub fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args(["-s", name, &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -s {name}");
    }

    /// Waits for the server to exit (at most `within`); its exit status and error output.
    pub fn wait(mut self, within: Duration) -> (Option<i32>, String) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut err = String::new();
                self.child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                return (status.code(), err);
            }
            if start.elapsed() > within {
                let _ = self.child.kill();
                panic!("fika serve did not stop within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// One HTTP/1.1 exchange on a fresh connection; the whole answer as text.
pub fn http(addr: &str, request: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

fn stops_gracefully(db: &Database, signal: &str) {
    let server = Server::start(db, &[]);
    // A request that reaches the database, so that the pool holds a connection.
    let page = http(
        &server.addr,
        "GET /login HTTP/1.1\r\nHost: fika\r\nConnection: close\r\n\r\n",
    );
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let answer = http(
        &server.addr,
        "POST /login HTTP/1.1\r\nHost: fika\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 15\r\n\r\nlogin=a&csrf=b\n",
    );
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    // A request in flight when the signal comes: its body is still on the way.
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    slow.write_all(b"POST /login HTTP/1.1\r\nHost: fika\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 15\r\n\r\nlogin=a")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.signal(signal);
    std::thread::sleep(Duration::from_millis(300));
    slow.write_all(b"&csrf=b\n").unwrap();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 403"), "in flight: {answer:?}");
    // No new connection is served any more.
    std::thread::sleep(Duration::from_millis(300));
    let (code, err) = server.wait(Duration::from_secs(20));
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn serve_on_sqlite_stops_gracefully_on_sigint_and_sigterm() {
    for signal in ["INT", "TERM"] {
        stops_gracefully(&Database::sqlite(), signal);
    }
}

#[test]
fn serve_on_postgres_stops_gracefully_on_sigint_and_sigterm() {
    for signal in ["INT", "TERM"] {
        let Some(db) =
            Database::postgres("serve_on_postgres_stops_gracefully_on_sigint_and_sigterm")
        else {
            return;
        };
        stops_gracefully(&db, signal);
    }
}

/// `fika serve --metrics-addr`: the metrics on their own address (and only there), the
/// health checks on the app's; a second line on standard output says where the metrics are.
#[test]
fn serve_with_a_metrics_address_serves_metrics_apart() {
    let db = Database::sqlite();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fika"))
        .args(["--db", &db.url, "serve", "--addr", "127.0.0.1:0"])
        .args(["--metrics-addr", "127.0.0.1:0"])
        .env_remove("FIKA_DATABASE_URL")
        .env_remove("FIKA_METRICS_ADDR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).unwrap();
    out.read_line(&mut second).unwrap();
    let addr = first
        .trim()
        .strip_prefix("fika is serving on http://")
        .unwrap_or_else(|| panic!("{first:?}"))
        .to_owned();
    let metrics = second
        .trim()
        .strip_prefix("fika metrics are on http://")
        .and_then(|s| s.strip_suffix("/metrics"))
        .unwrap_or_else(|| panic!("{second:?}"))
        .to_owned();
    let server = Server { child, addr };
    let get = |at: &str, path: &str| {
        http(
            at,
            &format!("GET {path} HTTP/1.1\r\nHost: fika\r\nConnection: close\r\n\r\n"),
        )
    };
    let health = get(&server.addr, "/healthz");
    assert!(
        health.starts_with("HTTP/1.1 200") && health.ends_with("\r\n\r\nok"),
        "{health}"
    );
    let ready = get(&server.addr, "/readyz");
    assert!(
        ready.starts_with("HTTP/1.1 200") && ready.ends_with("ready"),
        "{ready}"
    );
    assert!(get(&server.addr, "/metrics").starts_with("HTTP/1.1 404"));
    let scrape = get(&metrics, "/metrics");
    assert!(scrape.starts_with("HTTP/1.1 200"), "{scrape}");
    for line in [
        "fika_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"2xx\"} 1",
        "fika_http_requests_total{route=\"/readyz\",method=\"GET\",status=\"2xx\"} 1",
        "fika_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"4xx\"} 1",
        "fika_db_connections_max_idle{backend=\"sqlite\"} 32",
    ] {
        assert!(
            scrape.lines().any(|l| l == line),
            "no {line:?} in\n{scrape}"
        );
    }
    server.signal("TERM");
    let (code, err) = server.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{err}");
}

/// Without `--metrics-addr` there are no metrics, and one line on standard output.
#[test]
fn serve_without_a_metrics_address_has_none() {
    let db = Database::sqlite();
    let server = Server::start(&db, &[]);
    let answer = http(
        &server.addr,
        "GET /metrics HTTP/1.1\r\nHost: fika\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    server.signal("TERM");
    let (code, err) = server.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{err}");
}
