//! Leased IPs on Akash, before money is spent: how many IPv4 addresses an SDL's orders need,
//! which ports land on which address, and what a provider will really do with them.
//!
//! # Pipeline
//!
//! 1. [`plan`] takes an SDL through `leasekit_sdl::build` (invalid SDL: its diagnostics) and
//!    reads the validated model: per IP endpoint its Go sequence number and bindings (service,
//!    container port, effective external port = `as` else `port`, protocol) in manifest order,
//!    which is the order the provider declares them in; per placement group the IPs a bidder
//!    must have free (distinct LEASED_IP sequence numbers, provider.md §4.6); collisions under
//!    the provider's key (endpoint, protocol, effective external port) that Go's SDL check,
//!    which compares the raw `as` and `proto` text, lets through; and warnings (80/TCP on an IP
//!    is also ingress, TCP+UDP on one port share a NodePort, over-long Service names).
//! 2. [`Provider`] simulates one provider (§4, §8): a MetalLB pool scanned in numeric address
//!    order, one declaration (the `ProviderLeasedIP` CRD) per (owner, [`sharing_key`], protocol,
//!    effective external port) with its lease, target service and port, and the address of
//!    its LoadBalancer Service. Deploy and update run `doDeploy` (§4.2): declare without
//!    overwriting (a declaration held by another lease is withheld and reported), keep this
//!    lease's, purge whole endpoints the lease no longer uses. Close frees, migrate re-declares
//!    with overwrite (§2.4, §4.5), bid applies the inventory rule, status renders the REST
//!    lease-status `ips` object (§2.2).
//! 3. [`simulate`] runs a JSON scenario against a fresh provider and returns one JSON result
//!    per step.
//!
//! The crate is pure: no IO, clock, randomness or globals; it builds for `wasm32-unknown-unknown`.
//!
//! # Intended behaviour, quirks and `faithful`
//!
//! By default the simulator models what the provider means to do and reports, as a warning in
//! the step's result, each upstream quirk (provider.md §6) that would change what the tenant
//! sees. With `"faithful": true` it reproduces these instead:
//!
//! - **Q1** an update that drops an endpoint purges *every* declaration on the provider, of all
//!   tenants (default: only that lease's declarations of the dropped endpoint);
//! - **Q2** migrate re-declares every IP expose of the destination, not only the named endpoints;
//! - **Q3** an update never refreshes an existing declaration's target service/port (default:
//!   refreshed in place, address kept);
//! - **Q5** a reservation for an endpoint with several ports never confirms, so its IPs stay
//!   counted as reserved (default: confirmed once deployed);
//! - **Q8** MetalLB first-fit: a port added later takes the first fitting address, possibly a
//!   lower free one (default: the address it had, else one its endpoint already uses, else
//!   first fit).
//!
//! Always modelled as upstream does, with a warning: **Q4** (a removed port of a still-used
//! endpoint stays declared) and **Q7** (a pending address makes lease status fail with 500).
//! Not modelled: Q6 (the IP operator's protocol-less state key), the reservation poll timing,
//! `avoidBuggyIPs`. Of the manifest cross-validation (§2.3) only the part that matters here is
//! checked: an update must keep the order's number of endpoints of each kind, so a port can be
//! added to an IP only in place of another IP expose.
//!
//! # Scenario format
//!
//! ```json
//! {"pool": ["203.0.113.10", "203.0.113.11"], "ipSupport": true, "faithful": false,
//!  "steps": [{"op": "deploy", "owner": "akash1...", "dseq": 1, "gseq": 1, "oseq": 1, "sdl": "..."}]}
//! ```
//!
//! `ipSupport` (default true) says whether the provider runs an IP operator; `faithful`
//! (default false) is explained above. `gseq` and `oseq` default to 1; `gseq` picks the SDL's
//! placement group in GroupSpec (name) order. Ops and their fields:
//!
//! - `bid`: `owner`, `dseq`, `gseq`, `oseq`, `sdl` — the inventory check; result `bid`
//!   (bool), `ipsNeeded`, `available`, or `error.message` with the provider's inventory error.
//!   A successful bid reserves its IPs until the lease is deployed or closed.
//! - `deploy` / `update` (the same `doDeploy`): `owner`, `dseq`, `gseq`, `oseq`, `sdl` —
//!   result lists `declared`, `kept`, `withheld` (with `heldBy`), `purged`, `assigned`
//!   (pending Services that got a freed address), or `error` (422 when an update changes the
//!   order's endpoint counts; the lease is then left as it was).
//! - `close`: `owner`, `dseq`, `gseq`, `oseq` — result `released`, `assigned`.
//! - `migrate`: `owner`, `endpoints` (names), `destination` `{"dseq", "gseq"}` — result
//!   `transferred`, `declared`, `moved` (with `from`, `previousIp`), or `error` with the
//!   provider's HTTP status and text.
//! - `status`: `owner`, `dseq`, `gseq`, `oseq` — result `ips`: the lease-status object
//!   (`null` when not computed, `{}` when empty), or `error` (404, or 500 while pending).
//!
//! Every result also has `step`, `op`, `warnings` (where the op can warn), `inUse` (addresses
//! MetalLB counts as used) and `addresses` (address → declarations on it). A malformed step
//! gives `error.message` and changes nothing.

mod json;
mod plan;
mod scenario;
mod sim;

use sha2::{Digest, Sha256};

pub use json::{J, JsonExt};
pub use plan::{Binding, Conflict, GroupNeed, IpEndpoint, Plan, Warning, ips_needed, plan, plan_js_json, plan_output};
pub use scenario::{simulate, simulate_steps};
pub use sim::{DeclKey, Declaration, IpExpose, LeaseId, Provider, Report, SimError, ip_exposes, parse_ipv4};

/// The name an endpoint has inside its sharing key: itself when it is `[a-z0-9-]+`, else
/// lowercase unpadded base32hex of the first 15 bytes of its SHA-256 (a Kubernetes label
/// value must not carry `_` or capitals).
#[must_use]
pub fn effective_name(name: &str) -> String {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return name.to_owned();
    }
    let digest = Sha256::digest(name.as_bytes());
    base32hex_lower(&digest[..15])
}

/// `<owner>-ip-<effective name>`: MetalLB's sharing key, the same for every deployment of the
/// owner on the provider, which is why endpoint names collide across deployments.
#[must_use]
pub fn sharing_key(owner: &str, endpoint: &str) -> String {
    format!("{owner}-ip-{}", effective_name(endpoint))
}

fn base32hex_lower(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharing_keys_match_the_provider_test() {
        assert_eq!(sharing_key("o", "foobar"), "o-ip-foobar");
        assert_eq!(sharing_key("o", "meYOU"), "o-ip-ps9pn7rkocct7m9ivtovuktb");
        assert_eq!(sharing_key("o", "me_you"), "o-ip-dkp6evv330kmn93vqlo61ska");
        assert_eq!(sharing_key("o", "Foo"), "o-ip-3ivcedvocfi94b7ecf62tevq");
    }

    #[test]
    fn base32hex_pads_nothing() {
        assert_eq!(base32hex_lower(b"f"), "co");
        assert_eq!(base32hex_lower(b"foobar"), "cpnmuoj1e8");
    }
}
