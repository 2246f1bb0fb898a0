//! Shared by `serve` and `browser`: runs the real `dossier serve --port 0` on a temporary
//! copy of a fixture briefing, reads the port it prints, and talks raw HTTP/1.1 to it (so
//! that paths such as `/../x` reach the server exactly as written).

use crate::support::{copy_dir, fixtures};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the first build may take before the test gives up.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running `dossier serve` on a fixture copy; killed on drop.
pub struct Server {
    child: Child,
    pub port: u16,
    /// The URL path the site is served at (`/` or `/repo/`).
    pub base: String,
    pub root: PathBuf,
    /// Everything the server printed, stdout and stderr.
    pub log: Arc<Mutex<String>>,
    /// What it printed on stderr alone, in order.
    pub stderr: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

/// A response as the raw client read it.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Server {
    /// Copies `tests/fixtures/NAME` and serves it with `args` added to `serve --port 0`.
    pub fn start(fixture: &str, args: &[&str]) -> Server {
        Server::start_with_env(fixture, args, &[])
    }

    /// [`Server::start`] with extra environment variables.
    pub fn start_with_env(fixture: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join(fixture);
        copy_dir(&fixtures().join(fixture), &root);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("serve")
            .arg(&root)
            .args(["--port", "0"])
            .args(args)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dossier serve");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        pump(
            child.stdout.take().expect("stdout piped"),
            vec![log.clone()],
            Some(tx),
        );
        pump(
            child.stderr.take().expect("stderr piped"),
            vec![log.clone(), stderr.clone()],
            None,
        );
        let line = rx.recv_timeout(START_TIMEOUT).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!(
                "no `Serving` line within {START_TIMEOUT:?}:\n{}",
                log.lock().expect("log")
            )
        });
        let (port, base) = parse_serving(&line);
        Server {
            child,
            port,
            base,
            root,
            log,
            stderr,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `url` below the base path: `site_url("people/")`.
    pub fn site_url(&self, rel: &str) -> String {
        self.url(&format!("{}{rel}", self.base))
    }

    pub fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }

    /// What the server printed on stderr so far, with the port and the rebuild log's clock
    /// (`[12:34:56.789]`) made stable for snapshots.
    pub fn stderr(&self) -> String {
        let text = self.stderr.lock().expect("log").clone();
        without_clock(&text).replace(&format!(":{}/", self.port), ":[PORT]/")
    }

    /// Polls stderr until it contains `text`, for at most `timeout`.
    pub fn wait_stderr(&self, timeout: Duration, text: &str) -> String {
        let started = Instant::now();
        loop {
            let now = self.stderr();
            if now.contains(text) {
                return now;
            }
            assert!(
                started.elapsed() < timeout,
                "timed out waiting for `{text}` on stderr\nserver log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// GET `raw_path`, sent byte for byte.
    pub fn get(&self, raw_path: &str) -> Response {
        get(self.port, raw_path)
    }

    /// `METHOD raw_path` with an empty body, sent byte for byte.
    pub fn request(&self, method: &str, raw_path: &str) -> Response {
        request(self.port, method, raw_path).unwrap_or_else(|e| panic!("{method} {raw_path}: {e}"))
    }

    /// The server's view of the last build: `/__dossier/status` as JSON.
    pub fn status(&self) -> serde_json::Value {
        let r = self.get("/__dossier/status");
        assert_eq!(r.status, 200, "status endpoint");
        serde_json::from_slice(&r.body).expect("status is JSON")
    }

    /// Polls the status until `ready` holds, for at most `timeout`.
    pub fn wait_status(
        &self,
        timeout: Duration,
        what: &str,
        ready: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let status = self.status();
            if ready(&status) {
                return status;
            }
            assert!(
                started.elapsed() < timeout,
                "timed out waiting for {what}; last status {status}\nserver log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Replaces the one occurrence of `from` in a file of the briefing.
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "`{from}` once in {rel}");
        std::fs::write(self.path(rel), text.replacen(from, to, 1)).expect("write fixture file");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `[HH:MM:SS.mmm]` at the start of a line made `[TIME]`.
fn without_clock(text: &str) -> String {
    let stamp = |l: &str| {
        let b = l.as_bytes();
        b.len() >= 14
            && b[0] == b'['
            && b[13] == b']'
            && b[1..13].iter().enumerate().all(|(i, c)| {
                if [2, 5].contains(&i) {
                    *c == b':'
                } else if i == 8 {
                    *c == b'.'
                } else {
                    c.is_ascii_digit()
                }
            })
    };
    text.lines()
        .map(|l| {
            if stamp(l) {
                format!("[TIME]{}", &l[14..])
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect()
}

/// Copies lines from a pipe into each of `logs`, sending the `Serving` line once.
fn pump(
    pipe: impl Read + Send + 'static,
    logs: Vec<Arc<Mutex<String>>>,
    mut tx: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if line.starts_with("Serving ")
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(line.clone());
            }
            for log in &logs {
                if let Ok(mut log) = log.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        }
    });
}

/// `Serving TITLE at http://127.0.0.1:PORT/BASE (Ctrl-C to stop)` to (PORT, /BASE).
fn parse_serving(line: &str) -> (u16, String) {
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in `{line}`"));
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').expect("URL has a path"));
    let port = host
        .rsplit(':')
        .next()
        .expect("port")
        .parse()
        .expect("numeric port");
    (port, path.to_string())
}

/// A minimal HTTP/1.1 GET over a fresh connection.
pub fn get(port: u16, raw_path: &str) -> Response {
    request(port, "GET", raw_path).unwrap_or_else(|e| panic!("GET {raw_path}: {e}"))
}

/// A minimal HTTP/1.1 request with an empty body over a fresh connection, read to its end;
/// `Err` says what went wrong, so that threads of a load test can count failures.
pub fn request(port: u16, method: &str, raw_path: &str) -> Result<Response, String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("cannot connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(|e| format!("cannot set a timeout: {e}"))?;
    let request = format!(
        "{method} {raw_path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("cannot send: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("cannot read the response: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no header end in {} bytes", raw.len()))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status line in `{head}`"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    if headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        return Err("the test client does not decode chunked bodies".into());
    }
    Ok(Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}
