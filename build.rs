//! The split release build (`cargo xtask build`, feature `split`) cuts the linked wasm at its
//! `#[wasm_split]` points after linking; the splitter needs the linker's relocations for that.
//! A link argument of the binary only, so no dependency is rebuilt for it.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let split = std::env::var_os("CARGO_FEATURE_SPLIT").is_some();
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    if split && wasm {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
}
