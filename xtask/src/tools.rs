//! The pinned tool versions (read from Trunk.toml, the one place they live), their
//! idempotent installation, and the PATH that every spawned tool gets.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, ensure, Context, Result};

/// Debian's chromium and chromedriver packages install here; the e2e harness and
/// wasm-bindgen-test-runner use these paths.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// npm `axe-core`, the accessibility checker the e2e tests inject (tests/e2e/src/a11y.rs
/// reads `<tools dir>/node_modules/axe-core/axe.min.js`). Not a trunk tool, so pinned here.
pub const AXE_CORE: &str = "4.14.1";

/// Tool versions pinned in Trunk.toml.
#[derive(Debug, PartialEq)]
pub struct Versions {
    /// Top-level `trunk-version`.
    pub trunk: String,
    /// `[tools] wasm_bindgen`; must equal Cargo.lock's wasm-bindgen.
    pub wasm_bindgen: String,
    /// The number in `[tools] wasm_opt = "version_N"`, which is also the npm `binaryen` major.
    pub wasm_opt: String,
    /// Top-level `twiggy-version` (trunk ignores the key): the size profiler of `cargo xtask size`.
    pub twiggy: String,
}

impl Versions {
    pub fn parse(trunk_toml: &str) -> Result<Self> {
        let table: toml::Table = toml::from_str(trunk_toml).context("Trunk.toml is not valid TOML")?;
        let string = |value: Option<&toml::Value>, key: &str| -> Result<String> {
            value
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
                .with_context(|| format!("Trunk.toml lacks the string key `{key}`"))
        };
        let tools = table.get("tools").and_then(toml::Value::as_table);
        let wasm_opt = string(tools.and_then(|t| t.get("wasm_opt")), "[tools] wasm_opt")?;
        Ok(Self {
            trunk: string(table.get("trunk-version"), "trunk-version")?,
            wasm_bindgen: string(tools.and_then(|t| t.get("wasm_bindgen")), "[tools] wasm_bindgen")?,
            wasm_opt: wasm_opt
                .strip_prefix("version_")
                .with_context(|| format!("Trunk.toml: [tools] wasm_opt = {wasm_opt:?} should look like \"version_132\""))?
                .to_owned(),
            twiggy: string(table.get("twiggy-version"), "twiggy-version")?,
        })
    }
}

/// The versions of `package` recorded in a Cargo.lock.
fn locked_versions(cargo_lock: &str, package: &str) -> Result<Vec<String>> {
    let lock: toml::Table = toml::from_str(cargo_lock).context("Cargo.lock is not valid TOML")?;
    let packages = lock.get("package").and_then(toml::Value::as_array).map(Vec::as_slice).unwrap_or_default();
    Ok(packages
        .iter()
        .filter(|p| p.get("name").and_then(toml::Value::as_str) == Some(package))
        .filter_map(|p| p.get("version").and_then(toml::Value::as_str).map(str::to_owned))
        .collect())
}

/// The version word of a `--version` line: `trunk 0.21.14` → `0.21.14`,
/// `wasm-opt version 132 (version_132)` → `132`.
fn version_word(output: &str) -> Option<&str> {
    output.split_whitespace().skip(1).find(|word| word.starts_with(|c: char| c.is_ascii_digit()))
}

/// Where the tools live and the environment to run them with.
pub struct Tools {
    pub root: PathBuf,
    pub versions: Versions,
    tools_dir: PathBuf,
    cargo_bin: PathBuf,
    path: OsString,
}

impl Tools {
    pub fn new(root: &Path) -> Result<Self> {
        let trunk_toml = root.join("Trunk.toml");
        let text = std::fs::read_to_string(&trunk_toml).with_context(|| format!("reading {}", trunk_toml.display()))?;
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let tools_dir = match (std::env::var_os("OPC_TOOLS_DIR"), &home) {
            (Some(dir), _) => PathBuf::from(dir),
            (None, Some(home)) => home.join(".cache/op-console/tools"),
            (None, None) => bail!("neither OPC_TOOLS_DIR nor HOME is set: no place for the npm tools"),
        };
        let cargo_bin = match (std::env::var_os("CARGO_HOME"), &home) {
            (Some(cargo_home), _) => PathBuf::from(cargo_home).join("bin"),
            (None, Some(home)) => home.join(".cargo/bin"),
            (None, None) => bail!("neither CARGO_HOME nor HOME is set: cannot tell where `cargo install` puts tools"),
        };
        let mut dirs = vec![tools_dir.join("node_modules/.bin"), cargo_bin.clone()];
        dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let path = std::env::join_paths(dirs).context("a PATH entry contains ':'")?;
        Ok(Self { root: root.to_owned(), versions: Versions::parse(&text)?, tools_dir, cargo_bin, path })
    }

    /// Cargo's target directory (where `cargo build` puts the wasm).
    pub fn target_dir(&self) -> Result<PathBuf> {
        let output = self
            .command("cargo")
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .output()
            .context("running cargo metadata")?;
        ensure!(output.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).context("cargo metadata printed no JSON")?;
        metadata["target_directory"].as_str().map(PathBuf::from).context("cargo metadata names no target_directory")
    }

    /// A command run from the workspace root with the tools' PATH.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        // With RUST_BACKTRACE=1 in the environment, every anyhow error a test returns would
        // carry dozens of async-runtime frames; panics keep their backtraces.
        if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
            command.env("RUST_LIB_BACKTRACE", "0");
        }
        command
    }

    /// The version word that `program --version` prints, if the program runs at all.
    fn installed_version(&self, program: impl AsRef<OsStr>) -> Option<String> {
        let output = self.command(program).arg("--version").stderr(Stdio::null()).output().ok()?;
        let text = String::from_utf8_lossy(&output.stdout);
        output.status.success().then(|| version_word(&text).map(str::to_owned)).flatten()
    }

    /// Whether `program --version` runs and succeeds.
    fn runs(&self, program: &str) -> bool {
        let status = self.command(program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
        status.is_ok_and(|s| s.success())
    }

    /// Installs whatever is missing or at the wrong version; does nothing when all is in place.
    /// `browser`: also make sure Chromium and chromedriver are there (for the browser tests).
    pub fn setup(&self, browser: bool) -> Result<()> {
        self.check_lockfile()?;
        self.rust_target()?;
        self.cargo_tool("trunk", &["trunk"], &self.versions.trunk, &["--locked"], "10–15 min")?;
        // wasm-bindgen-cli is not installed with --locked: its lock file asks for a webpki-roots
        // release the registry does not have (TOOLCHAIN.md, gotcha 3).
        let bindgen = ["wasm-bindgen", "wasm-bindgen-test-runner"];
        self.cargo_tool("wasm-bindgen-cli", &bindgen, &self.versions.wasm_bindgen, &[], "≈ 4 min")?;
        self.wasm_opt()?;
        if browser {
            self.browser()?;
            self.axe_core()?;
        }
        Ok(())
    }

    /// twiggy, for `cargo xtask size` only: `setup` (and so CI) does not pay for it.
    pub fn twiggy(&self) -> Result<()> {
        self.cargo_tool("twiggy", &["twiggy"], &self.versions.twiggy, &["--locked"], "≈ 3 min")
    }

    /// npm `axe-core` at [`AXE_CORE`] into the tools dir, unless its package.json says so already.
    fn axe_core(&self) -> Result<()> {
        let manifest = self.tools_dir.join("node_modules/axe-core/package.json");
        let installed = std::fs::read_to_string(&manifest).ok().and_then(|text| {
            let (_, rest) = text.split_once("\"version\"")?;
            Some(rest.split('"').nth(1)?.to_owned())
        });
        if installed.as_deref() == Some(AXE_CORE) {
            println!("✓ axe-core {AXE_CORE} (npm, {})", self.tools_dir.display());
            return Ok(());
        }
        self.npm_install("axe-core", AXE_CORE)
    }

    /// `npm install --prefix <tools dir> name@version`, installing npm itself first if needed.
    fn npm_install(&self, name: &str, version: &str) -> Result<()> {
        if !self.runs("npm") {
            self.apt_install(&["nodejs", "npm"], &format!("npm (node ≥ 18) to install {name}"))?;
        }
        println!("installing npm {name}@{version} into {}…", self.tools_dir.display());
        std::fs::create_dir_all(&self.tools_dir).with_context(|| format!("creating {}", self.tools_dir.display()))?;
        run(self
            .command("npm")
            .args(["install", "--no-audit", "--no-fund", "--save-exact", "--prefix"])
            .arg(&self.tools_dir)
            .arg(format!("{name}@{version}")))
    }

    /// trunk refuses (offline) or silently mis-builds when the CLI and the crate differ.
    fn check_lockfile(&self) -> Result<()> {
        let path = self.root.join("Cargo.lock");
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let locked = locked_versions(&text, "wasm-bindgen")?;
        ensure!(
            locked == [self.versions.wasm_bindgen.as_str()],
            "Cargo.lock has wasm-bindgen {locked:?} but Trunk.toml pins [tools] wasm_bindgen = {:?}; \
             they must be equal (change both, and the `=` pin in Cargo.toml)",
            self.versions.wasm_bindgen
        );
        Ok(())
    }

    fn rust_target(&self) -> Result<()> {
        const TARGET: &str = "wasm32-unknown-unknown";
        let output = self
            .command("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .context("running `rustup target list --installed` (is rustup installed?)")?;
        ensure!(output.status.success(), "`rustup target list --installed` failed");
        if String::from_utf8_lossy(&output.stdout).lines().any(|line| line.trim() == TARGET) {
            println!("✓ rust target {TARGET}");
            return Ok(());
        }
        println!("adding rust target {TARGET}…");
        run(self.command("rustup").args(["target", "add", TARGET]))
    }

    /// `cargo install`s `krate` at `version` unless every one of its `binaries` reports it.
    fn cargo_tool(&self, krate: &str, binaries: &[&str], version: &str, flags: &[&str], eta: &str) -> Result<()> {
        let found: Vec<_> = binaries.iter().map(|b| self.installed_version(b)).collect();
        if found.iter().all(|v| v.as_deref() == Some(version)) {
            println!("✓ {krate} {version}");
            return Ok(());
        }
        let found = found.into_iter().flatten().next().unwrap_or_else(|| "none".into());
        println!("installing {krate} {version} (found: {found}; ≈ {eta} on 2 cores)…");
        run(self.command("cargo").arg("install").args(flags).args([krate, "--version", version]))?;
        for binary in binaries {
            let now = self.installed_version(binary);
            ensure!(
                now.as_deref() == Some(version),
                "after installing {krate} {version}, `{binary} --version` reports {now:?}; is {} on PATH?",
                self.cargo_bin.display()
            );
        }
        Ok(())
    }

    /// npm's binaryen, because Debian's wasm-opt 108 silently breaks the release build
    /// (TOOLCHAIN.md, gotcha 1).
    fn wasm_opt(&self) -> Result<()> {
        let binary = self.tools_dir.join("node_modules/.bin/wasm-opt");
        let version = &self.versions.wasm_opt;
        if self.installed_version(&binary).as_deref() == Some(version.as_str()) {
            println!("✓ wasm-opt {version} (npm binaryen, {})", self.tools_dir.display());
            return Ok(());
        }
        self.npm_install("binaryen", version)?;
        let now = self.installed_version(&binary);
        ensure!(now.as_deref() == Some(version.as_str()), "after npm install, `{} --version` reports {now:?}", binary.display());
        Ok(())
    }

    fn browser(&self) -> Result<()> {
        let missing: Vec<_> = [CHROMIUM, CHROMEDRIVER].into_iter().filter(|p| !Path::new(p).exists()).collect();
        if missing.is_empty() {
            let version = self.installed_version(CHROMEDRIVER).unwrap_or_else(|| "?".into());
            println!("✓ chromium + chromedriver {version}");
            return Ok(());
        }
        self.apt_install(&["chromium", "chromium-driver", "brotli"], &format!("the browser ({} missing)", missing.join(", ")))
    }

    /// Installs Debian packages when running as root; otherwise says exactly what to install.
    fn apt_install(&self, packages: &[&str], why: &str) -> Result<()> {
        let uid = self.command("id").arg("-u").output().context("running `id -u`")?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            bail!("{why} is needed: run `sudo apt-get update && sudo apt-get install -y {}`", packages.join(" "));
        }
        println!("installing {} with apt-get for {why}…", packages.join(" "));
        run(self.command("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive"))?;
        run(self.command("apt-get").args(["install", "-y"]).args(packages).env("DEBIAN_FRONTEND", "noninteractive"))
    }

    /// One line per tool, for CI logs.
    pub fn print_versions(&self) {
        let wasm_opt = self.tools_dir.join("node_modules/.bin/wasm-opt");
        let programs = [OsStr::new("trunk"), "wasm-bindgen".as_ref(), wasm_opt.as_os_str(), CHROMEDRIVER.as_ref()];
        for program in programs {
            let name = Path::new(program).file_name().unwrap_or(program).to_string_lossy();
            let version = self.installed_version(program).unwrap_or_else(|| "not installed".into());
            println!("{name:<14} {version}");
        }
    }
}

/// Runs a command to completion with inherited stdio; a non-zero exit is an error naming it.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("starting {}", describe(command)))?;
    ensure!(status.success(), "{} failed ({status})", describe(command));
    Ok(())
}

/// `program arg arg…` for messages.
pub fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pinned_versions() {
        let toml = "trunk-version = \"0.21.14\"\ntwiggy-version = \"0.8.0\"\n[build]\noffline = true\n[tools]\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_132\"\n";
        let expected = Versions { trunk: "0.21.14".into(), wasm_bindgen: "0.2.130".into(), wasm_opt: "132".into(), twiggy: "0.8.0".into() };
        assert_eq!(Versions::parse(toml).unwrap(), expected);
    }

    #[test]
    fn missing_pin_is_named() {
        let error = Versions::parse("[tools]\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_132\"\n").unwrap_err();
        assert!(error.to_string().contains("trunk-version"), "{error}");
    }

    #[test]
    fn the_workspace_pins_agree_with_its_lock_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let versions = Versions::parse(&std::fs::read_to_string(root.join("Trunk.toml")).unwrap()).unwrap();
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        assert_eq!(locked_versions(&lock, "wasm-bindgen").unwrap(), [versions.wasm_bindgen]);
    }

    #[test]
    fn version_words() {
        assert_eq!(version_word("trunk 0.21.14\n"), Some("0.21.14"));
        assert_eq!(version_word("wasm-bindgen 0.2.130"), Some("0.2.130"));
        assert_eq!(version_word("wasm-opt version 132 (version_132)"), Some("132"));
        assert_eq!(version_word("ChromeDriver 156.0.1 (abc)"), Some("156.0.1"));
        assert_eq!(version_word("garbage"), None);
    }
}
