//! The release build (`trunk build --release`) and the size report of what it wrote.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::tools::{run, Tools};

/// Builds the release app into `out` with every asset URL under `public_url`, then prints sizes.
/// trunk builds it with the feature `split` (page, style sheet, icon, the linked wasm);
/// then the wasm is split into its first-results part and the lazy chunks (`split`).
pub fn release(tools: &Tools, out: &Path, public_url: &str) -> Result<()> {
    println!("trunk build --release --features split → {} (public URL {public_url})", out.display());
    run(tools
        .command("trunk")
        .args(["build", "--release", "--features", "split", "--dist"])
        .arg(out)
        .args(["--public-url", public_url]))?;
    let linked = tools.target_dir()?.join("wasm32-unknown-unknown/release/op-console.wasm");
    let split = crate::split::split(tools, &linked, out, public_url)?;
    crate::entry::finish(out, public_url, &split)?;
    print_sizes(out)
}

/// Raw, gzip and brotli sizes of the wasm, JS and CSS in `dir`: what a browser downloads.
fn print_sizes(dir: &Path) -> Result<()> {
    let mut files = Vec::new();
    collect_assets(dir, &mut files)?;
    files.sort();
    let names: Vec<String> = files.iter().map(|f| f.strip_prefix(dir).unwrap_or(f).display().to_string()).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0).max("asset".len());
    println!("{:<width$} {:>10} {:>10} {:>10}", "asset", "raw", "gzip", "brotli");
    let mut total = [0; 3];
    for (file, name) in files.iter().zip(&names) {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let sizes = [bytes.len(), gzip_len(&bytes)?, brotli_len(&bytes)?];
        println!("{name:<width$} {:>10} {:>10} {:>10}", kb(sizes[0]), kb(sizes[1]), kb(sizes[2]));
        total.iter_mut().zip(sizes).for_each(|(t, s)| *t += s);
    }
    println!("{:<width$} {:>10} {:>10} {:>10}", "total", kb(total[0]), kb(total[1]), kb(total[2]));
    Ok(())
}

/// `name.br` and `name.gz` next to each text and wasm file of `dir`, which op-sandbox serves
/// to browsers that accept them, as a CDN serves its static precompression.
pub fn write_compressed_twins(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            write_compressed_twins(&path)?;
            continue;
        }
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css" | "html" | "svg" | "json")) {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        for (suffix, packed) in [("br", brotli(&bytes)?), ("gz", gzip(&bytes)?)] {
            let mut twin = path.clone().into_os_string();
            twin.push(".");
            twin.push(suffix);
            std::fs::write(&twin, packed).with_context(|| format!("writing {}", Path::new(&twin).display()))?;
        }
    }
    Ok(())
}

fn collect_assets(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_assets(&path, files)?;
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css")) {
            files.push(path);
        }
    }
    Ok(())
}

pub fn gzip_len(bytes: &[u8]) -> Result<usize> {
    Ok(gzip(bytes)?.len())
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

pub fn brotli_len(bytes: &[u8]) -> Result<usize> {
    Ok(brotli(bytes)?.len())
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    // Quality 11 (the maximum) and a 4 MiB window: what static precompression for a CDN uses.
    let mut encoder = brotli::CompressorWriter::new(Vec::new(), 4096, 11, 22);
    encoder.write_all(bytes)?;
    Ok(encoder.into_inner())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_shrinks_repetitive_input() {
        let text = "opc-".repeat(1000).into_bytes();
        assert!(gzip_len(&text).unwrap() < 200);
        assert!(brotli_len(&text).unwrap() < gzip_len(&text).unwrap());
    }
}
