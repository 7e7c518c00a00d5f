//! Mutations of real SDL documents: `cargo xtask fuzz` seeds the corpus with the conformance
//! inputs, and the line-level mutator keeps mutants YAML-shaped so that they reach decoding,
//! validation and manifest building.
#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};

fuzz_target!(|data: &[u8]| leasekit_sdl_fuzz::check(data));

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    leasekit_sdl_fuzz::mutate(data, size, max_size, seed).unwrap_or_else(|| fuzzer_mutate(data, size, max_size))
});
