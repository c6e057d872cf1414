//! URL checks for anything the server sends that ends up in `src` or `href`.
//! Only `http(s)` (and `data:image/` for pictures) pass; everything else — including
//! `javascript:` and `data:text/html` — is dropped before it reaches the DOM.

/// An image URL that is safe and worth loading, or `None` for the initial-letter avatar.
/// `page_is_https` rejects `http:` pictures that the browser would block as mixed content.
pub fn image_url(url: &str, page_is_https: bool) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("data:image/") {
        return Some(url.to_string());
    }
    let rest = if let Some(rest) = lower.strip_prefix("https://") {
        rest
    } else if let Some(rest) = lower.strip_prefix("http://") {
        if page_is_https {
            return None;
        }
        rest
    } else {
        return None;
    };
    let path_start = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..path_start];
    let path = rest[path_start..].split(['?', '#']).next().unwrap_or("");
    // The seeds' CDN answers some avatars with a bare `/?attname=…` (no file) or with
    // another URL pasted into the path (`/http://wx.qlogo.cn/…`): both are broken images.
    let broken = host.is_empty() || path.is_empty() || path == "/" || path.contains("http:") || path.contains("https:");
    (!broken && !url.chars().any(char::is_whitespace)).then(|| url.to_string())
}

/// A link target that is `http(s)`, or `None`.
pub fn link_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let has_host = |rest: &str| rest.chars().next().is_some_and(|c| c != '/');
    let ok = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).is_some_and(has_host);
    ok.then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_OK: &str = "http://7xkq6j.com1.z0.glb.clouddn.com/f35fe1ecaec540869c9b764ac6f2783d.png?attname=&imageView2/1/w/200/h/200&e=1608806094&token=1pd5YXbBmYR7QQqodYuItP927L99-O4qNLAynsmp:CjZtq77D6q4ZOTsG0l6WEeCrKT4=";
    const SEED_NESTED: &str = "http://7xkq6j.com1.z0.glb.clouddn.com/http://wx.qlogo.cn/mmopen/ajNVdqHZLLB8ne5CJnAp00Ob5Udibd6fWlWa4hI37L8rYjgVb7uN526c1GPibIgMngt9a3XDf0nnMc3T3P9uJy3w/0?attname=&imageView2/1/w/200/h/200";
    const SEED_EMPTY: &str = "http://7xkq6j.com1.z0.glb.clouddn.com/?attname=&imageView2/1/w/200/h/200&e=1608806094";

    #[test]
    fn seed_avatars() {
        assert_eq!(image_url(SEED_OK, false).as_deref(), Some(SEED_OK));
        assert_eq!(image_url(SEED_OK, true), None, "http picture on an https page");
        assert_eq!(image_url(SEED_NESTED, false), None);
        assert_eq!(image_url(SEED_EMPTY, false), None);
    }

    #[test]
    fn hostile_and_odd_urls() {
        for bad in [
            "javascript:window.__pwned=1",
            " JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "//evil.example/x.png",
            "",
            "https://",
            "https:///x.png",
            "http://a.b/x y.png",
            "ftp://a.b/x.png",
        ] {
            assert_eq!(image_url(bad, false), None, "{bad}");
        }
        assert!(image_url("data:image/png;base64,iVBORw0KGgo=", true).is_some());
        assert!(image_url("https://cdn.example/a.png", true).is_some());
    }

    #[test]
    fn links() {
        assert!(link_url("https://uri.amap.com/marker?position=1,2").is_some());
        assert!(link_url("http://x.example").is_some());
        for bad in ["javascript:alert(1)", "data:text/html,x", "//x.example", "https:///x", "mailto:a@b"] {
            assert_eq!(link_url(bad), None, "{bad}");
        }
    }
}
