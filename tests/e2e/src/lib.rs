//! End-to-end harness: the release build of Op Console, served by op-sandbox in-process,
//! driven in headless Chromium through chromedriver.
//!
//! It builds nothing: `OPC_DIST` (default `<workspace>/dist`) must hold a release build
//! (`cargo xtask build`; `cargo xtask test` does both). A test looks like:
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! // Signed in with a token, so the app opens on the search page (not the sign-in panel).
//! let h = op_e2e::Harness::signed_in().await?;
//! h.goto("/?nick=bob").await?;
//! h.by_role("button", "搜索").await?.click().await?;
//! h.wait_for("tr[data-chat-id]").await?;
//! h.assert_no_console_errors().await?;
//! # Ok(()) }
//! ```
//!
//! Everything (browser session, chromedriver, Chromium, server) stops when the harness is
//! dropped, also when the test panics.

mod a11y;
mod browser;
mod console;
mod control;
mod files;
mod keyboard;
mod server;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::Client;
use serde_json::Value;

pub use browser::ConsoleError;
pub use control::english_config;
pub use files::{all_api_rows, api_rows, expected_record, expected_record_in, parse_csv, records_of};
pub use fantoccini::elements::Element;
pub use fantoccini::key::Key;
pub use fantoccini::Locator;
pub use op_sandbox::Options as SandboxOptions;
pub use op_sandbox::Scenario;

const ROLES_JS: &str = include_str!("roles.js");

/// The operator token of a [`HarnessBuilder::signed_in`] harness.
pub const E2E_TOKEN: &str = "e2e-token";

/// A served app and a browser session. Fields drop in order: browser first, server last.
pub struct Harness {
    browser: browser::Browser,
    // None when the builder was pointed at a server of the caller's ([`HarnessBuilder::external`]).
    _server: Option<server::Server>,
    base_url: String,
    // The file served as /config.json, if the test gave one; deleted with the harness.
    _app_config: Option<tempfile::NamedTempFile>,
    /// How long `wait_*` and `by_*` helpers poll before failing (default 15 s: the machines
    /// are small and busy).
    pub timeout: Duration,
}

impl Harness {
    /// The sandbox with its default options and the dist's own `config.json`.
    pub async fn start() -> Result<Self> {
        Self::builder().start().await
    }

    /// Like [`Harness::start`], but signed in: see [`HarnessBuilder::signed_in`].
    pub async fn signed_in() -> Result<Self> {
        Self::builder().signed_in().start().await
    }

    /// For a sandbox with other options or an app config of the test's own.
    pub fn builder() -> HarnessBuilder {
        let options = SandboxOptions { port: 0, ..SandboxOptions::default() };
        HarnessBuilder { options, app_config: None, signed_in: false, external: None, chrome_args: Vec::new(), chrome_prefs: Default::default() }
    }

    /// The fantoccini client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.browser.client
    }

    /// `http://127.0.0.1:PORT` of the sandbox, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The absolute URL of `path` (e.g. `/?nick=bob`) on the sandbox.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base_url(), path.trim_start_matches('/'))
    }

    /// Navigates to `path` on the sandbox and waits for the page's `load` event.
    pub async fn goto(&self, path: &str) -> Result<()> {
        let url = self.url(path);
        self.client().goto(&url).await.with_context(|| format!("navigating to {url}"))
    }

    /// Switches the theme with the header's select (named `label` in the page's language:
    /// "Theme", "主题") and waits until it applies and colour transitions are over.
    pub async fn set_theme(&self, label: &str, theme: &str) -> Result<()> {
        self.by_role("combobox", label).await?.select_by_value(theme).await?;
        self.wait_until(&format!("the {theme} theme"), || async {
            let on = self.eval("return !!document.querySelector('[data-theme=' + arguments[0] + ']')", vec![theme.into()]).await?;
            Ok((on == serde_json::json!(true)).then_some(()))
        })
        .await?;
        // Let colour transitions finish before colours are measured.
        tokio::time::sleep(Duration::from_millis(400)).await;
        Ok(())
    }

    /// Polls `probe` until it returns `Some`, for at most `self.timeout`. `what` names the
    /// awaited state in the error, together with the last probe error and the page's URL.
    pub async fn wait_until<T, F, Fut>(&self, what: &str, mut probe: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>>>,
    {
        let started = Instant::now();
        loop {
            let last = match probe().await {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => None,
                Err(error) => Some(error),
            };
            if started.elapsed() > self.timeout {
                let last = last.map(|e| format!("\nlast error: {e:#}")).unwrap_or_default();
                bail!("timed out after {:?} waiting for {what}{last}\n{}", self.timeout, self.page_report().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page's URL, the start of its text and its console errors: what a timed-out wait
    /// needs to be understood. Best effort: a part that cannot be read is left out.
    async fn page_report(&self) -> String {
        let url = self.client().current_url().await.map(|u| u.to_string()).unwrap_or_default();
        let text = self.eval("return document.body ? document.body.innerText : ''", vec![]).await;
        let text: String = text.ok().and_then(|t| t.as_str().map(str::to_owned)).unwrap_or_default();
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(300).collect();
        let (own, foreign) = self.split_console_errors().await.unwrap_or_default();
        let own: String = own.iter().map(|e| format!("\n  {e}")).collect();
        format!("page: {url}\npage text: {text:?}\nconsole errors (besides {foreign} failed loads from other origins):{own}")
    }

    /// Waits until an element matching the CSS selector exists and is displayed.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.wait_until(&format!("a visible `{css}`"), || async {
            for element in self.client().find_all(Locator::Css(css)).await? {
                if element.is_displayed().await? {
                    return Ok(Some(element));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Waits until no displayed element matches the CSS selector.
    pub async fn wait_gone(&self, css: &str) -> Result<()> {
        self.wait_until(&format!("no visible `{css}`"), || async {
            for element in self.client().find_all(Locator::Css(css)).await? {
                if element.is_displayed().await? {
                    return Ok(None);
                }
            }
            Ok(Some(()))
        })
        .await
    }

    /// The visible text of the first visible element matching `css` (waits for it).
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// All visible elements with ARIA `role` (explicit or implicit: `button`, `textbox`,
    /// `combobox`, `table`, `row`, `columnheader`, `dialog`, `form`, …) and accessible name
    /// `name` (aria-labelledby, aria-label, `<label>`, or the text content of buttons, links,
    /// headings, cells and rows; exact match after collapsing whitespace); `None` = any name.
    /// Looks into open shadow roots too. Does not wait. See `roles.js`.
    pub async fn all_by_role(&self, role: &str, name: Option<&str>) -> Result<Vec<Element>> {
        self.find_named(Some(role), name).await
    }

    /// Waits for the first visible element with `role` and accessible name `name`.
    pub async fn by_role(&self, role: &str, name: &str) -> Result<Element> {
        self.wait_until(&format!("role `{role}` named {name:?}"), || async {
            Ok(self.find_named(Some(role), Some(name)).await?.into_iter().next())
        })
        .await
    }

    /// Waits for the first visible element of any role with accessible name `name`; for
    /// elements without a role, such as `<input type="date">` labelled "Start date".
    pub async fn by_label(&self, name: &str) -> Result<Element> {
        self.wait_until(&format!("an element named {name:?}"), || async {
            Ok(self.find_named(None, Some(name)).await?.into_iter().next())
        })
        .await
    }

    async fn find_named(&self, role: Option<&str>, name: Option<&str>) -> Result<Vec<Element>> {
        let found = self.client().execute(ROLES_JS, vec![role.into(), name.into()]).await?;
        let found = found.as_array().context("roles.js did not return an array")?;
        found.iter().map(|value| element_from_json(self.client(), value)).collect()
    }

    /// Types `keys` into whatever has focus, as a person would (key actions: nothing is
    /// focused first, see `keyboard.rs`); special keys via [`Key`], which derefs to `&str`:
    /// `h.press(&Key::Escape).await?`, `h.press(&(Key::Control + "a")).await?`.
    pub async fn press(&self, keys: &str) -> Result<()> {
        self.client().perform_actions(keyboard::actions(keys)).await.with_context(|| format!("typing {keys:?}"))
    }

    /// Runs a synchronous script in the page (`arguments[i]` are `args`) and returns its value.
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client().execute(script, args).await.with_context(|| format!("running script {script:?}"))
    }

    /// Browser console errors (`console.error`, uncaught exceptions, failed resource loads)
    /// logged since the previous call.
    pub async fn console_errors(&self) -> Result<Vec<ConsoleError>> {
        self.browser.severe_log().await
    }

    /// The console errors since the previous call, less failed loads from other origins
    /// (counted): the sample data's avatar URLs point at hosts that test machines cannot
    /// reach, and the app does not control them.
    async fn split_console_errors(&self) -> Result<(Vec<ConsoleError>, usize)> {
        let own_origin = format!("{}/", self.base_url());
        let (foreign, own): (Vec<_>, Vec<_>) =
            self.console_errors().await?.into_iter().partition(|e| e.is_failed_load_outside(&own_origin));
        Ok((own, foreign.len()))
    }

    /// Fails with the list of console errors logged since the previous check, if any;
    /// failed loads from other origins do not count.
    pub async fn assert_no_console_errors(&self) -> Result<()> {
        let (errors, _) = self.split_console_errors().await?;
        if !errors.is_empty() {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            bail!("{} console error(s):\n  {}", errors.len(), list.join("\n  "));
        }
        Ok(())
    }

    /// Saves a PNG of the viewport to `path`, creating its parent directories.
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let png = self.client().screenshot().await.context("taking a screenshot")?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }
}

/// Sets up a [`Harness`]:
///
/// ```no_run
/// # async fn example() -> anyhow::Result<()> {
/// let h = op_e2e::Harness::builder()
///     .sandbox(|o| {
///         o.token = Some("t0k".into());
///         o.latency_ms = 300;
///     })
///     .app_config(serde_json::json!({ "locale": "en", "token": "t0k" }))
///     .start()
///     .await?;
/// # Ok(()) }
/// ```
pub struct HarnessBuilder {
    options: SandboxOptions,
    app_config: Option<Value>,
    signed_in: bool,
    external: Option<String>,
    chrome_args: Vec<String>,
    chrome_prefs: serde_json::Map<String, Value>,
}

impl HarnessBuilder {
    /// Changes the sandbox options (token, chats, scenario, latency, fail rate, mount, csp,
    /// …). The port is 0 (a free one); `dist` defaults to [`dist_dir`].
    pub fn sandbox(mut self, configure: impl FnOnce(&mut SandboxOptions)) -> Self {
        configure(&mut self.options);
        self
    }

    /// Serves `config` (a JSON object) as the app's `config.json` instead of the dist's own.
    pub fn app_config(mut self, config: Value) -> Self {
        self.app_config = Some(config);
        self
    }

    /// The sandbox accepts only [`E2E_TOKEN`], and the app config carries it, so the app
    /// opens on the search page instead of the sign-in panel.
    pub fn signed_in(mut self) -> Self {
        self.signed_in = true;
        self
    }

    /// Drives a server that is already running at `base_url` (`http://host:port`, e.g. a
    /// release op-sandbox started by the benchmark) instead of starting one in-process; the
    /// sandbox and app-config settings of this builder are then ignored.
    pub fn external(mut self, base_url: &str) -> Self {
        self.external = Some(base_url.trim_end_matches('/').to_owned());
        self
    }

    /// An extra Chromium command-line switch, e.g. `--enable-precise-memory-info`.
    pub fn chrome_arg(mut self, arg: &str) -> Self {
        self.chrome_args.push(arg.to_owned());
        self
    }

    /// Downloads go to `dir` without a prompt, also the second and later ones of a page
    /// (which Chromium otherwise holds back for a permission nobody can give headless).
    pub fn download_dir(mut self, dir: &Path) -> Self {
        self.chrome_prefs.insert("download.default_directory".into(), dir.display().to_string().into());
        self.chrome_prefs.insert("download.prompt_for_download".into(), false.into());
        self.chrome_prefs.insert("profile.default_content_setting_values.automatic_downloads".into(), 1.into());
        self
    }

    pub async fn start(mut self) -> Result<Harness> {
        let prefs = Value::Object(std::mem::take(&mut self.chrome_prefs));
        if let Some(base_url) = self.external {
            let browser = browser::Browser::start(&self.chrome_args, &prefs).await?;
            return Ok(Harness { browser, _server: None, base_url, _app_config: None, timeout: Duration::from_secs(15) });
        }
        if self.options.dist.is_none() {
            self.options.dist = Some(dist_dir()?);
        }
        if self.signed_in {
            self.options.token = Some(E2E_TOKEN.to_owned());
            let config = self.app_config.get_or_insert_with(|| Value::Object(Default::default()));
            let config = config.as_object_mut().context("the app config must be a JSON object")?;
            config.insert("token".to_owned(), E2E_TOKEN.into());
        }
        let app_config = match &self.app_config {
            Some(config) => {
                let mut file = tempfile::Builder::new().prefix("op-e2e-config-").suffix(".json").tempfile()?;
                serde_json::to_writer(&mut file, config).context("writing the app config")?;
                self.options.app_config = Some(file.path().to_owned());
                Some(file)
            }
            None => None,
        };
        let server = server::Server::start(self.options).await?;
        let browser = browser::Browser::start(&self.chrome_args, &prefs).await?;
        let base_url = format!("http://{}", server.addr);
        Ok(Harness { browser, _server: Some(server), base_url, _app_config: app_config, timeout: Duration::from_secs(15) })
    }
}

/// The built app: `OPC_DIST`, or the workspace's `dist/`.
pub fn dist_dir() -> Result<PathBuf> {
    let dir = match std::env::var_os("OPC_DIST") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist"),
    };
    if !dir.join("index.html").is_file() {
        bail!(
            "no built app in {}: run `cargo xtask build` first (or `cargo xtask test`), or point OPC_DIST at a trunk dist directory",
            dir.display()
        );
    }
    Ok(dir)
}

/// A DOM element returned by a script, which WebDriver serialises as a reference object.
fn element_from_json(client: &Client, value: &Value) -> Result<Element> {
    const KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
    let id = value[KEY].as_str().with_context(|| format!("not an element reference: {value}"))?;
    Ok(Element::from_element_id(client.clone(), id.to_owned().into()))
}
