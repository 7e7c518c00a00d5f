//! The Leasekit web app (placeholder until the playground lands).

fn main() {}
