//! The examples menu. The texts live in `web/examples/*.yaml` so they can be checked with the
//! CLI too (`leasekit sdl check web/examples/*.yaml`); a test here keeps them error- and
//! warning-free.

/// One entry of the examples menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Stable identifier, used as the `<option>` value and in tests.
    pub id: &'static str,
    /// What the menu shows.
    pub title: &'static str,
    /// The SDL text.
    pub source: &'static str,
}

/// Every example, the default first.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "ip-lease-hello-world",
        title: "Hello world on a leased IP (AEP-17)",
        source: include_str!("../examples/ip-lease-hello-world.yaml"),
    },
    Example {
        id: "udp-game-server",
        title: "UDP game server on a leased IP",
        source: include_str!("../examples/udp-game-server.yaml"),
    },
    Example {
        id: "shared-ip-two-services",
        title: "Two services sharing one IP",
        source: include_str!("../examples/shared-ip-two-services.yaml"),
    },
    Example {
        id: "database-persistent-volume",
        title: "Database with a persistent volume (SDL 2.1)",
        source: include_str!("../examples/database-persistent-volume.yaml"),
    },
];

/// What a first visit shows.
pub const DEFAULT_EXAMPLE: Example = EXAMPLES[0];

/// The example with this id.
#[must_use]
pub fn by_id(id: &str) -> Option<Example> {
    EXAMPLES.iter().copied().find(|example| example.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_build_without_diagnostics() {
        for example in EXAMPLES {
            let build = leasekit_sdl::build(example.source);
            assert!(build.diagnostics.all().is_empty(), "{}: {:?}", example.id, build.diagnostics.all());
            assert!(build.output.is_some(), "{}", example.id);
        }
    }

    #[test]
    fn every_example_leases_an_ip() {
        for example in EXAMPLES {
            assert!(example.source.contains("kind: ip"), "{}", example.id);
        }
    }

    #[test]
    fn ids_are_unique_and_found() {
        for example in EXAMPLES {
            assert_eq!(by_id(example.id), Some(*example));
        }
        assert_eq!(by_id("nope"), None);
    }
}
