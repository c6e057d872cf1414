//! Token and sign checks (DESIGN §3): the sign is the MD5 hex of a configured template
//! whose placeholders are replaced by the request's values.

use md5::{Digest, Md5};

use crate::error::ApiError;
use crate::requests::QueryParams;

/// What a request must carry, from `--token`, `--sign-template` and `--sign-secret`.
#[derive(Debug, Default)]
pub struct Auth {
    token: Option<String>,
    sign: Option<SignRecipe>,
}

#[derive(Debug)]
pub struct SignRecipe {
    template: String,
    secret: String,
}

/// The request values a sign template can refer to.
#[derive(Debug)]
pub struct SignInput<'a> {
    pub api_version: &'a str,
    pub client: &'a str,
    pub version: &'a str,
    pub token: &'a str,
    pub path: &'a str,
    pub body: &'a str,
}

impl SignRecipe {
    pub fn new(template: String, secret: String) -> Self {
        SignRecipe { template, secret }
    }

    /// Lower-case MD5 hex of the filled template.
    pub fn sign(&self, input: &SignInput) -> String {
        let text = fill(&self.template, |name| match name {
            "apiVersion" => Some(input.api_version),
            "client" => Some(input.client),
            "version" => Some(input.version),
            "token" => Some(input.token),
            "path" => Some(input.path),
            "body" => Some(input.body),
            "secret" => Some(&self.secret),
            _ => None,
        });
        format!("{:x}", Md5::digest(text.as_bytes()))
    }
}

impl Auth {
    pub fn new(token: Option<String>, sign: Option<SignRecipe>) -> Self {
        Auth { token, sign }
    }

    /// The token every request must carry, if one is required.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Checks the token first (401), then the sign (403). `body` is the exact request body.
    pub fn check(&self, query: &QueryParams, path: &str, body: &str) -> Result<(), ApiError> {
        let value = |name| query.get(name).unwrap_or("");
        if let Some(token) = &self.token {
            if value("token") != token {
                return Err(ApiError::BadToken);
            }
        }
        if let Some(recipe) = &self.sign {
            let input = SignInput {
                api_version: value("apiVersion"),
                client: value("client"),
                version: value("version"),
                token: value("token"),
                path,
                body,
            };
            if !value("sign").eq_ignore_ascii_case(&recipe.sign(&input)) {
                return Err(ApiError::BadSign);
            }
        }
        Ok(())
    }
}

/// Replaces `{name}` placeholders in one pass, so that a body that happens to contain
/// `{secret}` is hashed as sent rather than expanded.
fn fill<'a>(template: &str, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let tail = &rest[open..];
        let replaced = tail.find('}').and_then(|close| lookup(&tail[1..close]).map(|value| (close, value)));
        match replaced {
            Some((close, value)) => {
                filled.push_str(value);
                rest = &tail[close + 1..];
            }
            None => {
                filled.push('{');
                rest = &tail[1..];
            }
        }
    }
    filled.push_str(rest);
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "{apiVersion}|{client}|{version}|{token}|{path}|{body}|{secret}";
    const BODY: &str = r#"{"chatId":"u0001d6ddfcbef27e45aeaee5bf7db6ac83b5","isMsg":false}"#;

    /// Computed independently:
    /// python3 -c "import hashlib;print(hashlib.md5('01|b2736195b38346639463ee889d6b8ff4||o0001403351be22c648efa24c20e842fd7351|/op/v2/getChatInfo|{\"chatId\":\"u0001d6ddfcbef27e45aeaee5bf7db6ac83b5\",\"isMsg\":false}|s3cr3t'.encode()).hexdigest())"
    const EXPECTED: &str = "cccfcb6040c9f852743ac22051f4e00e";

    fn query(sign: &str) -> QueryParams {
        QueryParams::parse(Some(&format!(
            "apiVersion=01&client=b2736195b38346639463ee889d6b8ff4&token=o0001403351be22c648efa24c20e842fd7351&sign={sign}"
        )))
    }

    fn auth() -> Auth {
        Auth::new(None, Some(SignRecipe::new(TEMPLATE.to_owned(), "s3cr3t".to_owned())))
    }

    #[test]
    fn sign_matches_the_fixed_vector() {
        let input = SignInput {
            api_version: "01",
            client: "b2736195b38346639463ee889d6b8ff4",
            version: "",
            token: "o0001403351be22c648efa24c20e842fd7351",
            path: "/op/v2/getChatInfo",
            body: BODY,
        };
        assert_eq!(SignRecipe::new(TEMPLATE.to_owned(), "s3cr3t".to_owned()).sign(&input), EXPECTED);
    }

    #[test]
    fn sign_is_checked_case_insensitively() {
        let path = "/op/v2/getChatInfo";
        assert_eq!(auth().check(&query(EXPECTED), path, BODY), Ok(()));
        assert_eq!(auth().check(&query(&EXPECTED.to_uppercase()), path, BODY), Ok(()));
        assert_eq!(auth().check(&query("00000000000000000000000000000000"), path, BODY), Err(ApiError::BadSign));
        // The body and the path are part of what is signed.
        assert_eq!(auth().check(&query(EXPECTED), path, &BODY.replace("false", "true")), Err(ApiError::BadSign));
        assert_eq!(auth().check(&query(EXPECTED), "/op/v2/chatSearchs", BODY), Err(ApiError::BadSign));
        assert_eq!(auth().check(&QueryParams::parse(None), path, BODY), Err(ApiError::BadSign));
    }

    #[test]
    fn token_is_checked_before_the_sign() {
        let auth = Auth::new(Some("t1".to_owned()), None);
        assert_eq!(auth.check(&QueryParams::parse(Some("token=t1")), "/", ""), Ok(()));
        assert_eq!(auth.check(&QueryParams::parse(Some("token=t2")), "/", ""), Err(ApiError::BadToken));
        assert_eq!(auth.check(&QueryParams::parse(None), "/", ""), Err(ApiError::BadToken));
        assert_eq!(Auth::default().check(&QueryParams::parse(None), "/", ""), Ok(()));
    }

    #[test]
    fn placeholders_are_filled_once() {
        let lookup = |name: &str| match name {
            "body" => Some("{secret}"),
            "secret" => Some("S"),
            _ => None,
        };
        assert_eq!(fill("{body}:{secret}:{unknown}:{", lookup), "{secret}:S:{unknown}:{");
    }
}
