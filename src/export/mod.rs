//! `Export CSV`: every row matching the submitted filters, uncapped.
//!
//! - [`csv`]: the encoding (BOM, RFC 4180 quoting, formula guard), pure.
//! - [`walk`]: which page is next, which rows are new, when it is over, pure.
//! - [`controller`]: fetches the pages one at a time with retries, pauses on failure,
//!   saves; the state the panel shows.
//! - [`download`]: Blob parts and the download link.
//! - [`name`]: the file's name: filters, range, partial count; safe on every OS.
//! - [`panel`]: progress, pause and result below the filter form.

mod controller;
pub mod csv;
mod download;
mod name;
mod panel;
mod walk;

pub use controller::{use_export, Export};
pub use panel::ExportPanel;

use crate::api::ApiError;
use crate::i18n::Locale;
use download::SaveStep;

/// Why an export stopped before its file was saved.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportError {
    /// A page failed on every try (or with an error that trying again cannot fix).
    Page(ApiError),
    /// The browser would not make the file.
    Save(SaveStep),
}

impl ExportError {
    /// A short sentence for the operator in their language.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            Self::Page(error) => error.message(locale),
            Self::Save(step) => {
                let step = match step {
                    SaveStep::Blob => "Blob",
                    SaveStep::ObjectUrl => "URL.createObjectURL",
                    SaveStep::Link => "<a download>",
                };
                locale.catalog().export_save_failed(step)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_speak_both_languages() {
        let page = ExportError::Page(ApiError::Http { status: 502, summary: "502 Bad Gateway".into() });
        assert_eq!(page.message(Locale::En), "Server error (HTTP 502): 502 Bad Gateway");
        assert_eq!(page.message(Locale::ZhCn), "服务器错误（HTTP 502）：502 Bad Gateway");
        let save = ExportError::Save(SaveStep::Blob);
        assert_eq!(save.message(Locale::En), "The browser could not create the file (Blob).");
        assert_eq!(save.message(Locale::ZhCn), "浏览器无法生成文件（Blob）。");
    }
}
