//! chromedriver as a child process, and the headless Chromium session it drives.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// Debian's packages; `OPC_CHROMEDRIVER` and `OPC_CHROMIUM` point the harness at another
/// pair (say an older Chromium unpacked elsewhere, to check the suite against it).
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// `variable` from the environment, else `default`.
fn program(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_owned())
}

const CHROME_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
    // Tests never reach the outside: fail other hosts at once instead of waiting for DNS.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
];

/// A headless Chromium session driven by its own chromedriver.
pub struct Browser {
    pub client: Client,
    // Held for its Drop, which runs after `client`'s: ends the session and the processes.
    _driver: Driver,
}

impl Browser {
    /// `extra_args`: Chromium switches besides the standard headless ones; `prefs`:
    /// Chromium preferences (e.g. the download directory), a JSON object.
    pub async fn start(extra_args: &[String], prefs: &serde_json::Value) -> Result<Self> {
        let (chromedriver, chromium) = (program("OPC_CHROMEDRIVER", CHROMEDRIVER), program("OPC_CHROMIUM", CHROMIUM));
        for path in [&chromedriver, &chromium] {
            if !std::path::Path::new(path).exists() {
                bail!("{path} is missing: run `cargo xtask setup --browser` (Debian packages chromium, chromium-driver)");
            }
        }
        let mut driver = Driver::spawn(&chromedriver)?;
        wait_ready(driver.port).await?;
        let mut args: Vec<String> = CHROME_ARGS.iter().map(|a| a.to_string()).collect();
        args.extend(extra_args.iter().cloned());
        args.push(format!("--user-data-dir={}", driver.profile.path().display()));
        let capabilities: Capabilities = serde_json::from_value(json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args, "prefs": prefs },
            "goog:loggingPrefs": { "browser": "ALL" },
        }))?;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .with_context(|| format!("creating a WebDriver session (see {})", driver.log_path().display()))?;
        driver.session = Some(client.session_id().await?.context("chromedriver returned no session id")?);
        Ok(Self { client, _driver: driver })
    }

    /// Browser console entries of level SEVERE since the previous call (chromedriver hands
    /// each entry out once), through its `se/log` endpoint.
    pub async fn severe_log(&self) -> Result<Vec<ConsoleError>> {
        let entries = self.client.issue_cmd(BrowserLog).await.context("reading the browser log (POST se/log)")?;
        let entries = entries.as_array().context("the browser log is not a JSON array")?;
        Ok(entries
            .iter()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| ConsoleError {
                source: entry["source"].as_str().unwrap_or_default().to_owned(),
                message: entry["message"].as_str().unwrap_or_default().to_owned(),
            })
            .collect())
    }
}

/// The chromedriver process, in its own process group with Chromium below it. Dropping it
/// ends the WebDriver session (which quits Chromium) and then kills the whole group, so no
/// browser outlives a test, even a failed one (TOOLCHAIN.md, gotcha 9).
struct Driver {
    child: Child,
    port: u16,
    session: Option<String>,
    profile: tempfile::TempDir,
}

impl Driver {
    fn spawn(chromedriver: &str) -> Result<Self> {
        let profile = tempfile::Builder::new().prefix("op-e2e-chromium-").tempdir().context("creating a Chromium profile dir")?;
        let port = free_port()?;
        // chromedriver and Chromium write into a log file, never into the test's output pipe,
        // which an orphaned browser would otherwise keep open.
        let log = File::create(profile.path().join("chromedriver.log")).context("creating chromedriver.log")?;
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {chromedriver}"))?;
        Ok(Self { child, port, session: None, profile })
    }

    fn log_path(&self) -> std::path::PathBuf {
        self.profile.path().join("chromedriver.log")
    }
}

impl Drop for Driver {
    /// Plain blocking HTTP: this may run while the test's async runtime is being torn down.
    fn drop(&mut self) {
        if let Some(session) = &self.session {
            // If this fails, chromedriver is gone or stuck; the group kill below covers both.
            let _ = http(self.port, "DELETE", &format!("/session/{session}"));
        }
        // A negative PID names the process group, which chromedriver leads (process_group(0)).
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.child.id())]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser console entry of level SEVERE: a `console.error`, an uncaught exception, or a
/// failed resource load (`source` is then "network").
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleError {
    pub source: String,
    pub message: String,
}

impl ConsoleError {
    /// A failed load of a URL that does not start with `origin` (`http://host:port/`);
    /// Chromium puts the URL first in the message.
    pub fn is_failed_load_outside(&self, origin: &str) -> bool {
        self.source == "network" && !self.message.starts_with(origin)
    }
}

impl std::fmt::Display for ConsoleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.source, self.message)
    }
}

/// A Chrome DevTools Protocol command through chromedriver's `goog/cdp/execute` endpoint.
#[derive(Debug)]
pub struct Cdp {
    pub method: String,
    pub params: serde_json::Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.method, "params": self.params }).to_string()))
    }
}

/// chromedriver's Selenium log endpoint; the W3C protocol has no log command.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

async fn wait_ready(port: u16) -> Result<()> {
    let started = Instant::now();
    loop {
        match http(port, "GET", "/status") {
            Ok(body) if body.contains("\"ready\":true") || body.contains("\"ready\": true") => return Ok(()),
            result if started.elapsed() > Duration::from_secs(20) => {
                bail!("chromedriver on port {port} not ready after 20 s: {result:?}")
            }
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// A minimal HTTP/1.1 request to chromedriver on localhost, returning the response body.
/// chromedriver keeps connections open despite `Connection: close`, so the body is read by
/// its Content-Length.
fn http(port: u16, method: &str, path: &str) -> std::io::Result<String> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")?;
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}
