//! wasm-split needs the linker's relocations to find what the deploy half's chunk may take out
//! of the main module; `cargo leptos --split` passes the same flag. Only for the binary (the
//! library and the tests link as usual), only for wasm32, and as a link argument rather than
//! RUSTFLAGS, which would rebuild every dependency.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32")
        && std::env::var_os("CARGO_FEATURE_SPLIT").is_some()
    {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
