//! `cargo xtask …`: the one task runner for setting up, building, demoing and testing Op Console.

mod bench;
mod build;
mod entry;
mod sandbox;
mod tools;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use sandbox::Sandbox;
use tools::{run, Tools};

#[derive(Parser)]
#[command(about = "Op Console task runner", disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install the pinned tools (versions from Trunk.toml) unless already present.
    Setup {
        /// Also install Chromium and chromedriver for the browser tests.
        #[arg(long)]
        browser: bool,
    },
    /// Release build with trunk, then print the wasm/JS/CSS sizes (raw, gzip, brotli).
    /// `dist` is the same build, meant for a CDN sub-path via --public-url.
    #[command(visible_alias = "dist")]
    Build(BuildArgs),
    /// Release build, then serve it with op-sandbox and demo data until Ctrl-C.
    Demo {
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// op-sandbox on :8080 plus `trunk serve` (debug build, proxies /op/v2/ to the sandbox).
    Dev,
    /// Setup, native tests, wasm browser tests, release build, end-to-end browser tests.
    Test(TestArgs),
    /// Release build, then load time, page flips, drawer, memory and transfer size in headless
    /// Chromium against a release op-sandbox; prints figures with targets, writes target/bench.json.
    Bench(bench::BenchArgs),
    /// Print the versions of the tools on the PATH that xtask gives them.
    Versions,
}

#[derive(Args)]
struct BuildArgs {
    /// URL path under which the app's assets are served, e.g. /console/.
    #[arg(long, default_value = "/")]
    public_url: String,
    /// Output directory.
    #[arg(long, default_value = "dist")]
    out: PathBuf,
}

#[derive(Args)]
struct TestArgs {
    /// Skip the wasm-bindgen tests in headless Chromium.
    #[arg(long)]
    skip_wasm: bool,
    /// Skip the end-to-end tests (the release build still runs).
    #[arg(long)]
    skip_e2e: bool,
    /// Passed to the end-to-end test binaries, e.g. `-- smoke --nocapture`.
    #[arg(last = true)]
    e2e_args: Vec<String>,
}

fn main() -> ExitCode {
    match dispatch(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The cause chain, without a backtrace: the failing step is what matters here.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    // xtask lives one level below the workspace root. `cargo run` (the `cargo xtask` alias)
    // sets CARGO_MANIFEST_DIR at run time too: that one names the checkout being worked in,
    // while the compile-time value names wherever this binary was built, which differs when
    // several checkouts (git worktrees) share one target directory.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from);
    let manifest_dir = manifest_dir.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf());
    let root = manifest_dir.parent().context("xtask has no parent directory")?;
    let tools = Tools::new(root)?;
    match cli.command {
        Command::Setup { browser } => tools.setup(browser),
        Command::Build(args) => {
            tools.setup(false)?;
            build::release(&tools, &std::path::absolute(&args.out)?, &args.public_url)
        }
        Command::Demo { port } => demo(&tools, port),
        Command::Dev => dev(&tools),
        Command::Test(args) => test(&tools, &args),
        Command::Bench(args) => bench::run(&tools, &args),
        Command::Versions => {
            tools.print_versions();
            Ok(())
        }
    }
}

fn demo(tools: &Tools, port: u16) -> Result<()> {
    tools.setup(false)?;
    let dist = tools.root.join("dist");
    build::release(tools, &dist, "/")?;
    // A token in the app's config.json lets the page work without the sign-in panel.
    let config = tools.root.join("target/demo-config.json");
    std::fs::create_dir_all(tools.root.join("target"))?;
    std::fs::write(&config, r#"{"token": "demo-token"}"#).with_context(|| format!("writing {}", config.display()))?;
    let port = port.to_string();
    let portal = tools.root.join("examples/portal");
    let flags = [
        ("--dist", dist.as_os_str()),
        ("--port", port.as_ref()),
        ("--token", "demo-token".as_ref()),
        ("--app-config", config.as_os_str()),
        ("--portal", portal.as_os_str()),
    ];
    let sandbox = Sandbox::start(tools, flags.into_iter().flat_map(|(flag, value)| [OsStr::new(flag), value]))?;
    println!(
        "\n    Op Console demo: {url}/\n    Embedded in an example admin portal: {url}/portal/\n    (Ctrl-C stops it)\n",
        url = sandbox.url.trim_end_matches('/')
    );
    sandbox.wait()
}

fn dev(tools: &Tools) -> Result<()> {
    tools.setup(false)?;
    // Port 8080 is the [[proxy]] backend in Trunk.toml. The guard kills the sandbox when
    // trunk ends; on Ctrl-C both get the signal (same process group).
    let _sandbox = Sandbox::start(tools, ["--port", "8080"])?;
    // Its own dist: a debug build in dist/ could be shipped or measured by mistake (gotcha 5).
    run(tools.command("trunk").args(["serve", "--dist", "target/dev-dist"]))
}

fn test(tools: &Tools, args: &TestArgs) -> Result<()> {
    let dist = tools.root.join("dist");
    let mut stages = Stages::default();
    stages.run("setup", || tools.setup(true))?;
    stages.run("native tests", || run(tools.command("cargo").args(["test", "--workspace", "--exclude", "op-e2e"])))?;
    if !args.skip_wasm {
        stages.run("wasm browser tests", || {
            // The API client's browser tests talk to a real sandbox; its address is baked
            // into the test build (`option_env!`), as a wasm test cannot read the environment.
            let sandbox = Sandbox::start(tools, ["--port", "0"])?;
            run(tools
                .command("cargo")
                .args(["test", "--package", "op-console", "--target", "wasm32-unknown-unknown"])
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
                // The runner's 20 s default is for the whole run; the memory test alone
                // flips ninety pages against the sandbox.
                .env("WASM_BINDGEN_TEST_TIMEOUT", "300")
                .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                .env("OPC_SANDBOX_URL", &sandbox.url))
        })?;
    }
    // Always built: the release build is what ships, and the e2e tests load it.
    stages.run("release build", || build::release(tools, &dist, "/"))?;
    if !args.skip_e2e {
        // The same app under a sub-path, for the CDN tests (tests/e2e/tests/cdn.rs). Cargo's
        // output is reused: this costs wasm-bindgen and wasm-opt only.
        let cdn = tools.root.join("target/dist-cdn");
        stages.run("CDN build", || build::release(tools, &cdn, "/cdn/x/"))?;
        stages.run("end-to-end tests", || {
            run(tools
                .command("cargo")
                .args(["test", "--package", "op-e2e", "--", "--test-threads=2"])
                .args(&args.e2e_args)
                .env("OPC_DIST", &dist)
                .env("OPC_CDN_DIST", &cdn))
        })?;
    }
    stages.summary();
    Ok(())
}

/// Numbered, timed stage headers, and a timing summary at the end.
#[derive(Default)]
struct Stages {
    done: Vec<(&'static str, f64)>,
}

impl Stages {
    fn run(&mut self, name: &'static str, stage: impl FnOnce() -> Result<()>) -> Result<()> {
        println!("\n==> {name}");
        let started = Instant::now();
        let result = stage();
        let seconds = started.elapsed().as_secs_f64();
        result.with_context(|| format!("stage `{name}` failed after {seconds:.1} s"))?;
        println!("<== {name}: ok in {seconds:.1} s");
        self.done.push((name, seconds));
        Ok(())
    }

    fn summary(&self) {
        println!("\nall stages passed:");
        for (name, seconds) in &self.done {
            println!("  {name:<20} {seconds:>7.1} s");
        }
    }
}
