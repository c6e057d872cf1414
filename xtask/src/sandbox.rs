//! Runs op-sandbox as a child process and learns its URL from the line it prints.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;

use anyhow::{bail, Context, Result};

use crate::tools::Tools;

const LISTENING: &str = "op-sandbox listening on ";

/// A running sandbox; killed when dropped, so no exit path leaves it behind.
pub struct Sandbox {
    child: Child,
    pub url: String,
}

impl Sandbox {
    /// `cargo run --release -p op-sandbox -- <args>`; returns once the server listens.
    /// Its output is passed through, also after that.
    pub fn start<I, S>(tools: &Tools, args: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        // `cargo run` replaces itself with the server (exec on Unix), so the child's PID is
        // the server's and killing it leaves nothing behind.
        let mut child = tools
            .command("cargo")
            .args(["run", "--release", "--package", "op-sandbox", "--"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .context("starting `cargo run -p op-sandbox`")?;
        let stdout = child.stdout.take().context("sandbox stdout was not piped")?;
        let (url_tx, url_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("{line}");
                if let Some(url) = line.strip_prefix(LISTENING) {
                    // The receiver is gone only if the caller already gave up; keep forwarding.
                    let _ = url_tx.send(url.trim().to_owned());
                }
            }
        });
        let mut sandbox = Self { child, url: String::new() };
        match url_rx.recv() {
            Ok(url) => sandbox.url = url,
            Err(_) => {
                let status = sandbox.child.wait().context("waiting for op-sandbox")?;
                bail!("op-sandbox exited ({status}) without printing `{LISTENING}<url>`");
            }
        }
        Ok(sandbox)
    }

    /// Blocks until the server exits (Ctrl-C reaches it too: same process group).
    pub fn wait(mut self) -> Result<()> {
        let status = self.child.wait().context("waiting for op-sandbox")?;
        if !status.success() {
            bail!("op-sandbox exited: {status}");
        }
        Ok(())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Both fail only when the process is already gone, which is what we want anyway.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
