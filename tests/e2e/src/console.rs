//! Helpers that know the console's screens: the results table, form fields, the address.

use anyhow::Result;
use serde_json::Value;

use crate::{Element, Harness};

impl Harness {
    /// Chat ids of the result rows, once the table is not loading (`None` while it is).
    pub async fn rows_now(&self) -> Result<Option<Vec<String>>> {
        let rows = self
            .eval(
                "const t = document.querySelector('table.opc-table');
                 if (!t || t.getAttribute('aria-busy') !== 'false') return null;
                 return Array.from(t.querySelectorAll('tr.opc-row')).map(r => r.dataset.chatId);",
                vec![],
            )
            .await?;
        Ok(rows.as_array().map(|rows| rows.iter().filter_map(|r| r.as_str().map(str::to_string)).collect()))
    }

    /// Waits until the settled rows satisfy `check`, and returns them.
    pub async fn wait_rows(&self, what: &str, check: impl Fn(&[String]) -> bool) -> Result<Vec<String>> {
        self.wait_until(what, || async { Ok(self.rows_now().await?.filter(|rows| check(rows))) }).await
    }

    /// Sets a field's value as typing would (an `input` event follows).
    pub async fn set_value(&self, field: &Element, value: &str) -> Result<()> {
        self.eval(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::to_value(field)?, value.into()],
        )
        .await
        .map(drop)
    }

    /// Sets the field with accessible name `label` (e.g. "Nickname", "Start date").
    pub async fn fill(&self, label: &str, value: &str) -> Result<()> {
        let field = self.by_label(label).await?;
        self.set_value(&field, value).await
    }

    /// The current value of the field named `label`.
    pub async fn field_value(&self, label: &str) -> Result<String> {
        Ok(self.by_label(label).await?.prop("value").await?.unwrap_or_default())
    }

    /// A query parameter of the page's address.
    pub async fn query_param(&self, name: &str) -> Result<Option<String>> {
        let url = self.client().current_url().await?;
        Ok(url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned()))
    }

    /// `data-chat-id` (or `aria-label`) of the focused element, through open shadow roots.
    pub async fn focused(&self) -> Result<Value> {
        self.eval(
            "let a = document.activeElement;
             while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
             return a ? (a.dataset.chatId || a.getAttribute('aria-label') || a.tagName) : null;",
            vec![],
        )
        .await
    }
}
