//! `cargo run -p op-sandbox -- [flags]`: prints `op-sandbox listening on http://ADDR` once
//! it accepts requests (tools wait for that line), then serves until Ctrl-C.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use op_sandbox::Options;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let options = Options::parse();
    match run(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("op-sandbox: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> std::io::Result<()> {
    // Build the data first, so that the announced server answers at once.
    let app = op_sandbox::app(options.clone())?;
    let listener = TcpListener::bind((options.host.as_str(), options.port)).await?;
    let address = listener.local_addr()?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "op-sandbox listening on http://{address}")?;
    stdout.flush()?;
    tracing::info!(chats = options.chats, seed = options.seed, scenario = ?options.scenario, "ready");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // If the signal handler cannot be installed, serve until killed instead.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
}
