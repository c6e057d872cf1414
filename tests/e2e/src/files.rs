//! Downloaded files: waiting for one to be complete, and reading CSV.

use std::path::Path;

use anyhow::Result;

use crate::Harness;

impl Harness {
    /// Waits for `name` to be completely downloaded into `dir` (see
    /// [`HarnessBuilder::download_dir`](crate::HarnessBuilder::download_dir)) and returns its text.
    pub async fn downloaded(&self, dir: &Path, name: &str) -> Result<String> {
        let path = dir.join(name);
        let partial = dir.join(format!("{name}.crdownload"));
        self.wait_until(&format!("{name} to be downloaded"), || async {
            Ok((path.is_file() && !partial.exists()).then(|| std::fs::read_to_string(&path)).transpose()?)
        })
        .await
    }
}

/// RFC 4180 records (quoted cells may hold commas, quotes and line breaks; CRLF or LF).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut cell, mut quoted, mut chars) = (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut cell)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            _ => cell.push(c),
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_cells_and_line_ends() {
        let text = "a,\"b,\"\"c\"\"\",\"d\r\ne\"\r\n,x\n";
        assert_eq!(parse_csv(text), [vec!["a", "b,\"c\"", "d\r\ne"], vec!["", "x"]]);
    }
}
