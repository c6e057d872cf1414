//! `cargo xtask …`: the one task runner for setting up, building, demoing and testing Op Console.

mod bench;
mod budget;
mod build;
mod entry;
mod sandbox;
mod size;
mod split;
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
    /// Release build (trunk, then the wasm split into its first-results part and lazy chunks),
    /// then print the wasm/JS/CSS sizes (raw, gzip, brotli) and check them against
    /// size-budget.toml, as `test` does.
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
    /// Setup, native tests, wasm browser tests, release build, size budget (size-budget.toml),
    /// end-to-end browser tests.
    Test(TestArgs),
    /// Release build, then load time (also on emulated Fast/Slow 4G), page flips, drawer, memory
    /// and transfer size in headless Chromium against a release op-sandbox; prints figures with
    /// targets, writes target/bench.json (`--only network`: target/bench-network.json).
    Bench(bench::BenchArgs),
    /// What the release wasm is made of: builds it with names kept (profile `size-analysis`),
    /// then prints the largest items, bytes per crate and the data section's contents (twiggy,
    /// installed on first use). The shipped build is unchanged.
    Size(size::SizeArgs),
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
            let out = std::path::absolute(&args.out)?;
            build::release(&tools, &out, &args.public_url)?;
            // The same check as `cargo xtask test`'s, so that growth shows where it happens.
            budget::enforce(&tools.root, &out)
        }
        Command::Demo { port } => demo(&tools, port),
        Command::Dev => dev(&tools),
        Command::Test(args) => test(&tools, &args),
        Command::Bench(args) => bench::run(&tools, &args),
        Command::Size(args) => size::run_size(&tools, &args),
        Command::Versions => {
            tools.print_versions();
            Ok(())
        }
    }
}

/// The token of the sandbox that `demo` serves (the example portal hands out the same).
const DEMO_TOKEN: &str = "demo-token";
/// The token of the sandbox behind `dev`.
const DEV_TOKEN: &str = "dev-token";
/// Where `dev` runs the sandbox: the `[[proxy]]` backends in Trunk.toml point here.
const DEV_SANDBOX: &str = "http://127.0.0.1:8080";

/// The app's `config.json` for a local sandbox that wants `token`, so the page opens on the
/// search screen rather than the sign-in panel.
fn local_config(token: &str) -> String {
    serde_json::json!({ "token": token }).to_string()
}

/// Writes [`local_config`] to `target/<name>` and returns the path. Never the repository's
/// `config.json`: that one ships with every build, and a token in it would too.
fn write_local_config(tools: &Tools, name: &str, token: &str) -> Result<PathBuf> {
    let dir = tools.root.join("target");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, local_config(token)).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

fn demo(tools: &Tools, port: u16) -> Result<()> {
    tools.setup(false)?;
    let dist = tools.root.join("dist");
    build::release(tools, &dist, "/")?;
    let config = write_local_config(tools, "demo-config.json", DEMO_TOKEN)?;
    let port = port.to_string();
    let portal = tools.root.join("examples/portal");
    let flags = [
        ("--dist", dist.as_os_str()),
        ("--port", port.as_ref()),
        ("--token", DEMO_TOKEN.as_ref()),
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
    // The sandbox serves the development config.json too; trunk serve forwards the page's
    // request for it there (below), so the repository's own config.json stays `{}`.
    let config = write_local_config(tools, "dev-config.json", DEV_TOKEN)?;
    // Port 8080 is the [[proxy]] backend in Trunk.toml. The guard kills the sandbox when
    // trunk ends; on Ctrl-C both get the signal (same process group).
    let flags = [("--port", "8080".as_ref()), ("--token", DEV_TOKEN.as_ref()), ("--app-config", config.as_os_str())];
    let _sandbox = Sandbox::start(tools, flags.into_iter().flat_map(|(flag, value)| [OsStr::new(flag), value]))?;
    println!(
        "\n    Op Console (debug build, signed in with the sandbox's token {DEV_TOKEN:?}): http://127.0.0.1:8081/\n"
    );
    // Its own dist: a debug build in dist/ could be shipped or measured by mistake (gotcha 5).
    run(tools
        .command("trunk")
        .args(["serve", "--dist", "target/dev-dist", "--proxy-backend"])
        .arg(format!("{DEV_SANDBOX}/config.json")))
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
    stages.run("size budget", || budget::enforce(&tools.root, &dist))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_configs_carry_the_sandbox_token_and_nothing_else() {
        let config: serde_json::Value = serde_json::from_str(&local_config(DEV_TOKEN)).expect("JSON");
        assert_eq!(config, serde_json::json!({ "token": "dev-token" }));
        let config: serde_json::Value = serde_json::from_str(&local_config(DEMO_TOKEN)).expect("JSON");
        assert_eq!(config, serde_json::json!({ "token": "demo-token" }));
    }

    #[test]
    fn the_shipped_config_json_has_no_token() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
        let shipped: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join("config.json")).expect("config.json")).expect("JSON");
        assert!(shipped.get("token").is_none(), "config.json ships with every build: {shipped}");
    }

    #[test]
    fn trunk_serve_forwards_the_api_and_the_sandbox_hint_to_the_dev_sandbox() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
        let trunk: toml::Table = toml::from_str(&std::fs::read_to_string(root.join("Trunk.toml")).expect("Trunk.toml")).expect("TOML");
        let backends: Vec<&str> = trunk["proxy"]
            .as_array()
            .expect("[[proxy]]")
            .iter()
            .filter_map(|proxy| proxy.get("backend").and_then(toml::Value::as_str))
            .collect();
        assert_eq!(backends, [format!("{DEV_SANDBOX}/op/v2/"), format!("{DEV_SANDBOX}/__sandbox/hint")]);
    }
}
