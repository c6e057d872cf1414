//! op-sandbox, in-process, on a runtime of its own.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use op_sandbox::Options;
use tokio::runtime::Runtime;

/// The sandbox serving the app and the Op API. It runs on its own runtime so that it keeps
/// answering whatever the test's runtime flavour is or does; dropping it stops the server.
pub struct Server {
    pub addr: SocketAddr,
    runtime: Option<Runtime>,
}

impl Server {
    pub async fn start(options: Options) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("op-sandbox")
            .enable_all()
            .build()
            .context("creating the sandbox runtime")?;
        // A JoinHandle can be awaited from another runtime: the test's.
        let (addr, _server) = runtime
            .spawn(op_sandbox::start(options))
            .await
            .context("the sandbox start task failed")?
            .context("starting op-sandbox")?;
        Ok(Self { addr, runtime: Some(runtime) })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Not a plain drop: dropping a runtime inside the test's async context panics.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
