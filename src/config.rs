//! Runtime configuration (DESIGN §4): defaults < `config.json` < embed options.
//!
//! Every layer is a JSON object read key by key, so an error can name the key that is
//! wrong and what was expected. Unknown keys are errors too: a misspelt `apibase` that
//! silently did nothing would be far harder to find.

use chrono::FixedOffset;
use serde_json::{Map, Value};
use thiserror::Error;

use crate::i18n::Locale;
use crate::time::parse_offset;

/// Where the console keeps its view state in the page address (DESIGN §4, §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlSync {
    Query,
    Hash,
    None,
}

/// The sign recipes a `config.json` can name (`sign`); `api::sign` computes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SignRecipe {
    #[default]
    None,
    Static(String),
    Md5 { template: String, secret: String, uppercase: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub api_base: String,
    pub api_version: String,
    pub client: String,
    pub version: Option<String>,
    /// Development only; hosts pass tokens through the embed options.
    pub token: Option<String>,
    pub sign: SignRecipe,
    pub locale: Locale,
    pub time_zone: FixedOffset,
    pub timeout_ms: u32,
    pub page_sizes: Vec<u32>,
    pub default_page_size: u32,
    pub default_range_days: u32,
    pub map_url: String,
    pub url_sync: UrlSync,
    pub url_prefix: String,
    pub auth_error_codes: Vec<i64>,
    /// The results-over-time chart above the table (`chart/`); `false` ships it off.
    pub chart: bool,
    /// How many days before the open conversation the drawer looks for the customer's
    /// other conversations; 0 turns that section off.
    pub history_days: u32,
    /// Seconds between asks for new conversations while page 1 of a range with today is
    /// shown; 0 turns live updates off.
    pub refresh_seconds: u32,
}

pub const DEFAULT_MAP_URL: &str = "https://uri.amap.com/marker?position={lng},{lat}&name={address}";
/// The longest look back for a customer's other conversations (ten years).
pub const MAX_HISTORY_DAYS: u32 = 3650;
/// The server caps pages at 500 rows; larger sizes would be silently cut.
pub const MAX_PAGE_SIZE: u32 = 500;

impl Default for Config {
    fn default() -> Self {
        Self {
            api_base: "/op/v2".into(),
            api_version: "01".into(),
            client: String::new(),
            version: None,
            token: None,
            sign: SignRecipe::None,
            locale: Locale::ZhCn,
            time_zone: FixedOffset::east_opt(8 * 3600).unwrap_or(FixedOffset::east_opt(0).expect("UTC")),
            timeout_ms: 15_000,
            page_sizes: vec![10, 20, 50, 100],
            default_page_size: 20,
            default_range_days: 30,
            map_url: DEFAULT_MAP_URL.into(),
            url_sync: UrlSync::Query,
            url_prefix: String::new(),
            auth_error_codes: vec![401, 403],
            chart: true,
            history_days: 365,
            refresh_seconds: 30,
        }
    }
}

/// A configuration value the console cannot use. `origin` says which layer it came
/// from (`config.json`, an attribute, mount options).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{origin}: `{key}` {problem}")]
pub struct ConfigError {
    pub origin: String,
    pub key: String,
    pub problem: String,
}

impl ConfigError {
    pub fn new(source: &str, key: &str, problem: impl Into<String>) -> Self {
        Self { origin: source.into(), key: key.into(), problem: problem.into() }
    }

    pub fn message(&self, locale: Locale) -> String {
        locale.catalog().config_error(&self.origin, &self.key, &self.problem)
    }
}

impl Config {
    /// This configuration with the keys of `layer` applied on top. `source` names the
    /// layer in errors. The result is validated as a whole (e.g. the default page size
    /// must be one of the page sizes).
    pub fn merged(&self, layer: &Value, source: &str) -> Result<Config, ConfigError> {
        let Value::Object(fields) = layer else {
            return Err(ConfigError::new(source, "(root)", "must be a JSON object"));
        };
        let mut next = self.clone();
        for (key, value) in fields {
            next.apply(key, value, source)?;
        }
        next.validate(source)?;
        Ok(next)
    }

    /// Parses a `config.json` text on top of the defaults.
    pub fn from_json_text(text: &str, source: &str) -> Result<Config, ConfigError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| ConfigError::new(source, "(file)", format!("is not valid JSON: {e}")))?;
        Config::default().merged(&value, source)
    }

    fn apply(&mut self, key: &str, value: &Value, source: &str) -> Result<(), ConfigError> {
        let err = |problem: &str| ConfigError::new(source, key, problem);
        let text = || value.as_str().map(str::to_string).ok_or_else(|| err("must be a string"));
        let number = |min: u64, max: u64| {
            value
                .as_u64()
                .filter(|n| (min..=max).contains(n))
                .map(|n| n as u32)
                .ok_or_else(|| err(&format!("must be a whole number from {min} to {max}")))
        };
        match key {
            "apiBase" => {
                let base = text()?;
                if base.trim().is_empty() {
                    return Err(err("must not be empty"));
                }
                self.api_base = base;
            }
            "apiVersion" => self.api_version = text()?,
            "client" => self.client = text()?,
            "version" => self.version = optional_text(value).ok_or_else(|| err("must be a string or null"))?,
            "token" => self.token = optional_text(value).ok_or_else(|| err("must be a string or null"))?,
            "sign" => self.sign = parse_sign(value).map_err(|p| ConfigError::new(source, &format!("sign{}", p.0), p.1))?,
            "locale" => {
                self.locale = value.as_str().and_then(Locale::parse).ok_or_else(|| err(&format!("must be {}", Locale::choices())))?
            }
            "timeZone" => {
                self.time_zone = value.as_str().and_then(parse_offset).ok_or_else(|| err("must be an offset such as \"+08:00\""))?
            }
            "timeoutMs" => self.timeout_ms = number(100, 600_000)?,
            "pageSizes" => {
                let sizes: Option<Vec<u32>> = value.as_array().map(|items| {
                    items
                        .iter()
                        .map(|v| v.as_u64().filter(|n| (1..=u64::from(MAX_PAGE_SIZE)).contains(n)).map(|n| n as u32))
                        .collect::<Option<Vec<u32>>>()
                        .unwrap_or_default()
                });
                match sizes {
                    Some(sizes) if !sizes.is_empty() => self.page_sizes = sizes,
                    _ => return Err(err(&format!("must be a non-empty list of whole numbers from 1 to {MAX_PAGE_SIZE}"))),
                }
            }
            "defaultPageSize" => self.default_page_size = number(1, u64::from(MAX_PAGE_SIZE))?,
            "defaultRangeDays" => self.default_range_days = number(1, 3660)?,
            "mapUrl" => {
                let url = text()?;
                if !is_http_url(&url) {
                    return Err(err("must start with http:// or https://"));
                }
                self.map_url = url;
            }
            "urlSync" => {
                self.url_sync = match value.as_str() {
                    Some("query") => UrlSync::Query,
                    Some("hash") => UrlSync::Hash,
                    Some("none") => UrlSync::None,
                    _ => return Err(err("must be \"query\", \"hash\" or \"none\"")),
                }
            }
            "urlPrefix" => {
                let prefix = text()?;
                if !prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.') {
                    return Err(err("may contain only letters, digits, '_', '-' and '.'"));
                }
                self.url_prefix = prefix;
            }
            "authErrorCodes" => {
                self.auth_error_codes = value
                    .as_array()
                    .and_then(|items| items.iter().map(Value::as_i64).collect::<Option<Vec<i64>>>())
                    .ok_or_else(|| err("must be a list of whole numbers"))?
            }
            // A boolean in config.json and mount options; the `chart` attribute's text.
            "chart" => {
                self.chart = match value {
                    Value::Bool(on) => *on,
                    Value::String(text) if text.trim() == "true" => true,
                    Value::String(text) if text.trim() == "false" => false,
                    _ => return Err(err("must be true or false")),
                }
            }
            "historyDays" => self.history_days = number(0, u64::from(MAX_HISTORY_DAYS))?,
            // A day at most: beyond that, live updates are better turned off (0).
            "refreshSeconds" => self.refresh_seconds = number(0, 86_400)?,
            _ => return Err(err("is not a known setting")),
        }
        Ok(())
    }

    fn validate(&self, source: &str) -> Result<(), ConfigError> {
        if !self.page_sizes.contains(&self.default_page_size) {
            return Err(ConfigError::new(
                source,
                "defaultPageSize",
                format!("must be one of pageSizes {:?}", self.page_sizes),
            ));
        }
        Ok(())
    }
}

pub fn is_http_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn optional_text(value: &Value) -> Option<Option<String>> {
    match value {
        Value::Null => Some(None),
        Value::String(s) if s.is_empty() => Some(None),
        Value::String(s) => Some(Some(s.clone())),
        _ => None,
    }
}

/// Reads the `sign` object; errors carry the sub-key (e.g. `.secret`) and the problem.
fn parse_sign(value: &Value) -> Result<SignRecipe, (String, String)> {
    let fields: &Map<String, Value> = value.as_object().ok_or((String::new(), "must be an object with a \"mode\"".into()))?;
    let text = |key: &str| -> Result<String, (String, String)> {
        fields
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or((format!(".{key}"), "must be a string".into()))
    };
    let known: &[&str] = match fields.get("mode").and_then(Value::as_str) {
        Some("none") => &["mode"],
        Some("static") => &["mode", "value"],
        Some("md5") => &["mode", "template", "secret", "uppercase"],
        _ => return Err((".mode".into(), "must be \"none\", \"static\" or \"md5\"".into())),
    };
    if let Some(unknown) = fields.keys().find(|k| !known.contains(&k.as_str())) {
        return Err((format!(".{unknown}"), "is not a known setting for this mode".into()));
    }
    Ok(match fields.get("mode").and_then(Value::as_str) {
        Some("static") => SignRecipe::Static(text("value")?),
        Some("md5") => SignRecipe::Md5 {
            template: text("template")?,
            secret: fields.get("secret").map_or(Ok(String::new()), |_| text("secret"))?,
            uppercase: match fields.get("uppercase") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err((".uppercase".into(), "must be true or false".into())),
            },
        },
        _ => SignRecipe::None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn load(value: Value) -> Result<Config, ConfigError> {
        Config::default().merged(&value, "config.json")
    }

    #[test]
    fn empty_file_is_the_defaults() {
        assert_eq!(load(json!({})), Ok(Config::default()));
        let d = Config::default();
        assert_eq!(d.api_base, "/op/v2");
        assert_eq!(d.time_zone.local_minus_utc(), 8 * 3600);
        assert_eq!(d.page_sizes, vec![10, 20, 50, 100]);
    }

    #[test]
    fn every_key_is_read() {
        let c = load(json!({
            "apiBase": "https://op.example.com/op/v2", "apiVersion": "02", "client": "c1", "version": "2.0",
            "token": "t", "sign": {"mode": "md5", "template": "{body}{secret}", "secret": "s", "uppercase": true},
            "locale": "en", "timeZone": "-05:00", "timeoutMs": 5000, "pageSizes": [25, 50], "defaultPageSize": 25,
            "defaultRangeDays": 7, "mapUrl": "https://maps.example/?q={lat},{lng}", "urlSync": "hash",
            "urlPrefix": "op_", "authErrorCodes": [401, 1001], "chart": false, "historyDays": 0, "refreshSeconds": 0
        }))
        .expect("valid");
        assert_eq!(c.api_version, "02");
        assert_eq!(c.version.as_deref(), Some("2.0"));
        assert_eq!(c.sign, SignRecipe::Md5 { template: "{body}{secret}".into(), secret: "s".into(), uppercase: true });
        assert_eq!(c.locale, Locale::En);
        assert_eq!(c.time_zone.local_minus_utc(), -5 * 3600);
        assert_eq!((c.timeout_ms, c.default_page_size, c.default_range_days), (5000, 25, 7));
        assert_eq!(c.url_sync, UrlSync::Hash);
        assert_eq!(c.url_prefix, "op_");
        assert_eq!(c.auth_error_codes, vec![401, 1001]);
        assert!(!c.chart);
        assert!(Config::default().chart, "the chart is on unless shipped off");
        assert!(!load(json!({"chart": "false"})).expect("attribute text").chart);
        assert_eq!(c.history_days, 0, "0 turns the customer's other conversations off");
        assert_eq!(Config::default().history_days, 365);
        assert_eq!((c.refresh_seconds, Config::default().refresh_seconds), (0, 30));
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            (json!({"apibase": "/x"}), "apibase"),
            (json!({"apiBase": ""}), "apiBase"),
            (json!({"timeoutMs": "fast"}), "timeoutMs"),
            (json!({"timeoutMs": 0}), "timeoutMs"),
            (json!({"pageSizes": []}), "pageSizes"),
            (json!({"pageSizes": [10, 100000]}), "pageSizes"),
            (json!({"defaultPageSize": 30}), "defaultPageSize"),
            (json!({"locale": "fr"}), "locale"),
            (json!({"timeZone": "Asia/Shanghai"}), "timeZone"),
            (json!({"mapUrl": "javascript:alert(1)"}), "mapUrl"),
            (json!({"urlSync": "path"}), "urlSync"),
            (json!({"urlPrefix": "a&b"}), "urlPrefix"),
            (json!({"sign": {"mode": "sha1"}}), "sign.mode"),
            (json!({"sign": {"mode": "md5"}}), "sign.template"),
            (json!({"sign": {"mode": "static", "value": "x", "secret": "y"}}), "sign.secret"),
            (json!({"authErrorCodes": "401"}), "authErrorCodes"),
            (json!({"chart": "off"}), "chart"),
            (json!({"historyDays": 3651}), "historyDays"),
            (json!({"historyDays": -1}), "historyDays"),
            (json!({"refreshSeconds": -1}), "refreshSeconds"),
            (json!({"refreshSeconds": "30"}), "refreshSeconds"),
        ];
        for (input, key) in cases {
            let error = load(input.clone()).expect_err(&input.to_string());
            assert_eq!(error.key, key, "{input}");
            assert!(error.message(Locale::En).contains(&format!("`{key}`")));
        }
        let locale = load(json!({"locale": "fr"})).expect_err("fr");
        assert_eq!(locale.problem, "must be \"zh-CN\", \"zh-TW\" or \"en\"", "the error lists every language");
        assert_eq!(locale.message(Locale::ZhTw), "設定錯誤（config.json）：`locale` must be \"zh-CN\", \"zh-TW\" or \"en\"");
        for (tag, locale) in [("zh-TW", Locale::ZhTw), ("zh-Hant", Locale::ZhTw), ("zh-HK", Locale::ZhTw), ("zh-CN", Locale::ZhCn), ("en", Locale::En)] {
            assert_eq!(load(json!({ "locale": tag })).map(|c| c.locale), Ok(locale), "{tag}");
        }
        assert_eq!(load(json!([1])).map_err(|e| e.key), Err("(root)".into()));
        assert_eq!(Config::from_json_text("{nope", "config.json").map_err(|e| e.key), Err("(file)".into()));
    }

    #[test]
    fn layers_merge_in_order() {
        let file = Config::from_json_text(r#"{"client": "from-file", "locale": "en"}"#, "config.json").expect("valid");
        let embedded = file.merged(&json!({"client": "from-host"}), "mount options").expect("valid");
        assert_eq!(embedded.client, "from-host");
        assert_eq!(embedded.locale, Locale::En, "keys the host did not set stay as the file had them");
    }
}
