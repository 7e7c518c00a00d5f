//! Arbitrary bytes: mostly exercises the YAML layer and its limits, from an empty corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| leasekit_sdl_fuzz::check(data));
