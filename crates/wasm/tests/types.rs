//! The TypeScript declarations are generated from `leasekit_wasm::types`; this proves those
//! types describe exactly the JSON the package returns: every report of every fixture SDL
//! round-trips through them (unknown fields rejected, nothing lost, `null` vs absent kept).

#![cfg(not(target_arch = "wasm32"))]

use leasekit_sdl::PositionEncoding;
use leasekit_wasm::types::{BuildResult, Diagnostic};

mod common;
use common::{round_trip, sdl_files};

#[test]
fn every_result_fits_the_declared_types() {
    let files = sdl_files();
    assert!(files.len() > 100, "fixtures found: {}", files.len());
    let (mut ok, mut err, mut fixes) = (0, 0, 0);
    for file in &files {
        let source = std::fs::read_to_string(file).expect("read");
        let what = file.display().to_string();
        let result = leasekit_sdl::build(&source);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let json = result.to_js_json(&source, encoding).to_go_compact();
            match round_trip::<BuildResult>(&json, &what) {
                BuildResult::Ok(b) => {
                    assert!(b.ok && result.output.is_some(), "{what}");
                    ok += 1;
                }
                BuildResult::Err(b) => {
                    assert!(!b.ok && result.output.is_none(), "{what}");
                    err += 1;
                }
            }
            let check = result.diagnostics.to_json(&source, encoding).to_go_compact();
            fixes += round_trip::<Vec<Diagnostic>>(&check, &what).iter().map(|d| d.fixes.len()).sum::<usize>();
        }
    }
    assert!(ok > 0 && err > 0, "both result shapes were exercised ({ok} ok, {err} err)");
    assert!(fixes > 0, "no diagnostic with a fix was exercised");
}

#[test]
fn every_code_is_in_the_declared_union() {
    for code in leasekit_sdl::Code::ALL {
        assert!(leasekit_sdl::Code::TYPESCRIPT.contains(&format!("\"{}\"", code.as_str())), "{code:?}");
    }
}
