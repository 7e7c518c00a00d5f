//! Provider JWTs (AEP-64): the bearer tokens a tenant shows a provider's gateway.
//!
//! A token is `b64url(header).b64url(payload).b64url(signature)`. The header names one of the
//! two algorithms providers accept; the payload holds the claims (issuer, validity window,
//! `version: "v1"` and the `leases` access). Header and payload are written with sorted keys,
//! as the official TypeScript SDK writes them, so our tokens equal its tokens for the same
//! claims. The signature is a Cosmos secp256k1 signature (64 bytes, RFC 6979, low-S) of:
//!
//! - `ES256K`: the signing input `header.payload` itself;
//! - `ES256KADR36`: the ADR-36 amino sign doc wrapping the signing input — exactly what a
//!   wallet's `signArbitrary(chainId, iss, signingInput)` signs, so a browser wallet can sign
//!   a token without exposing its key.
//!
//! [`verify`] is the provider's side: signature against the issuer's public key, then the
//! claims against the Akash schema and the clock (`exp` > now ≥ `nbf`, no leeway).

use leasekit_sdl::json::Json;

use crate::address;
use crate::encoding::{base64_encode, base64url_decode, base64url_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::key::{self, Signer};

/// The signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    /// Signature over the signing input.
    Es256k,
    /// Signature over the ADR-36 sign doc of the signing input (browser wallets).
    Es256kAdr36,
}

impl Alg {
    /// The header's `alg`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::Es256k => "ES256K",
            Alg::Es256kAdr36 => "ES256KADR36",
        }
    }

    /// Parses `ES256K` / `ES256KADR36`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "ES256K" => Ok(Alg::Es256k),
            "ES256KADR36" => Ok(Alg::Es256kAdr36),
            other => Err(Error::new(
                ErrorCode::InvalidToken,
                format!("algorithm '{other}' is not accepted by providers: use ES256K or ES256KADR36"),
            )),
        }
    }
}

/// The actions a token can grant.
pub const SCOPES: [&str; 10] = [
    "send-manifest",
    "get-manifest",
    "logs",
    "shell",
    "events",
    "status",
    "restart",
    "hostname-migrate",
    "ip-migrate",
    "attestation",
];

/// One deployment (optionally one group or order of it) in a granular permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentPermission {
    /// Deployment sequence (> 0).
    pub dseq: u64,
    /// Group sequence.
    pub gseq: Option<u64>,
    /// Order sequence (needs `gseq`).
    pub oseq: Option<u64>,
    /// Allowed actions.
    pub scope: Vec<String>,
    /// Services (non-empty, unique).
    pub services: Vec<String>,
}

/// Access at one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderAccess {
    /// Everything.
    Full,
    /// Listed actions on all leases there.
    Scoped(Vec<String>),
    /// Listed deployments.
    Granular(Vec<DeploymentPermission>),
}

/// A provider's entry in granular access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    /// Provider address.
    pub provider: String,
    /// What is allowed there.
    pub access: ProviderAccess,
}

/// The `leases` claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leases {
    /// Every action on every lease of the issuer, at any provider.
    Full,
    /// The listed actions on every lease, at any provider.
    Scoped(Vec<String>),
    /// Per provider.
    Granular(Vec<Permission>),
}

/// A token's claims, valid by the Akash JWT schema (times are not checked here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// The tenant's address.
    pub iss: String,
    /// Issued at (Unix seconds).
    pub iat: u64,
    /// Not before.
    pub nbf: u64,
    /// Expires at (the token is invalid from this second on).
    pub exp: u64,
    /// Optional unique id.
    pub jti: Option<String>,
    /// What the token grants.
    pub leases: Leases,
}

/// Seconds `iat`/`nbf` are back-dated by [`Claims::starting_at`], so that a provider whose
/// clock runs a little behind does not see a token from the future (providers have no leeway).
pub const CLOCK_SKEW_SECONDS: u64 = 60;

fn claims_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidClaims, message)
}

fn object<'a>(value: &'a Json, at: &str, allowed: &[&str]) -> Result<&'a [(String, Json)]> {
    let Json::Map(fields) = value else {
        return Err(claims_error(format!("{at} must be an object")));
    };
    for (key, _) in fields {
        if !allowed.contains(&key.as_str()) {
            return Err(claims_error(format!("{at} has the unknown field '{key}'")));
        }
    }
    Ok(fields)
}

fn field<'a>(fields: &'a [(String, Json)], key: &str) -> Option<&'a Json> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn number(fields: &[(String, Json)], key: &str, at: &str) -> Result<Option<u64>> {
    match field(fields, key) {
        None => Ok(None),
        Some(Json::Num(n)) => Ok(Some(*n)),
        Some(_) => Err(claims_error(format!("{at}{key} must be a non-negative integer"))),
    }
}

fn text<'a>(fields: &'a [(String, Json)], key: &str, at: &str) -> Result<Option<&'a str>> {
    match field(fields, key) {
        None => Ok(None),
        Some(Json::Str(s)) => Ok(Some(s)),
        Some(_) => Err(claims_error(format!("{at}{key} must be a string"))),
    }
}

fn strings(fields: &[(String, Json)], key: &str, at: &str) -> Result<Option<Vec<String>>> {
    let Some(value) = field(fields, key) else { return Ok(None) };
    let items = value.as_array().ok_or_else(|| claims_error(format!("{at}{key} must be a list")))?;
    if items.is_empty() {
        return Err(claims_error(format!("{at}{key} must not be empty")));
    }
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let s = item.as_str().ok_or_else(|| claims_error(format!("{at}{key} must list strings")))?;
        if out.iter().any(|o| o == s) {
            return Err(claims_error(format!("{at}{key} lists '{s}' twice")));
        }
        out.push(s.to_owned());
    }
    Ok(Some(out))
}

fn scope(fields: &[(String, Json)], at: &str) -> Result<Option<Vec<String>>> {
    let list = strings(fields, "scope", at)?;
    if let Some(bad) = list.iter().flatten().find(|s| !SCOPES.contains(&s.as_str())) {
        return Err(claims_error(format!("{at}scope: '{bad}' is not an action (use one of {})", SCOPES.join(", "))));
    }
    Ok(list)
}

fn access<'a>(fields: &'a [(String, Json)], at: &str) -> Result<&'a str> {
    match text(fields, "access", at)? {
        Some(a @ ("full" | "scoped" | "granular")) => Ok(a),
        Some(other) => Err(claims_error(format!("{at}access '{other}' is not full, scoped or granular"))),
        None => Err(claims_error(format!("{at}access is missing"))),
    }
}

fn deployment(value: &Json, at: &str) -> Result<DeploymentPermission> {
    let f = object(value, at, &["dseq", "gseq", "oseq", "scope", "services"])?;
    let at = format!("{at}.");
    let dseq = number(f, "dseq", &at)?.ok_or_else(|| claims_error(format!("{at}dseq is missing")))?;
    if dseq == 0 {
        return Err(claims_error(format!("{at}dseq must be above 0")));
    }
    let gseq = number(f, "gseq", &at)?;
    let oseq = number(f, "oseq", &at)?;
    if oseq.is_some() && gseq.is_none() {
        return Err(claims_error(format!("{at}oseq needs gseq")));
    }
    let scope = scope(f, &at)?.ok_or_else(|| claims_error(format!("{at}scope is missing")))?;
    let services = strings(f, "services", &at)?.ok_or_else(|| claims_error(format!("{at}services is missing")))?;
    if services.iter().any(String::is_empty) {
        return Err(claims_error(format!("{at}services lists an empty name")));
    }
    Ok(DeploymentPermission { dseq, gseq, oseq, scope, services })
}

fn permission(value: &Json, at: &str) -> Result<Permission> {
    let f = object(value, at, &["provider", "access", "scope", "deployments"])?;
    let at = format!("{at}.");
    let provider = text(f, "provider", &at)?.ok_or_else(|| claims_error(format!("{at}provider is missing")))?;
    address::parse(provider, &format!("{at}provider")).map_err(|e| claims_error(e.message))?;
    let scope = scope(f, &at)?;
    let has_deployments = field(f, "deployments").is_some();
    let access = match access(f, &at)? {
        "full" => {
            if scope.is_some() || has_deployments {
                return Err(claims_error(format!("{at}full access takes neither scope nor deployments")));
            }
            ProviderAccess::Full
        }
        "scoped" => {
            if has_deployments {
                return Err(claims_error(format!("{at}scoped access takes no deployments")));
            }
            ProviderAccess::Scoped(scope.ok_or_else(|| claims_error(format!("{at}scoped access needs scope")))?)
        }
        _ => {
            if scope.is_some() {
                return Err(claims_error(format!("{at}granular access takes no scope (put it in each deployment)")));
            }
            let list = field(f, "deployments")
                .ok_or_else(|| claims_error(format!("{at}granular access needs deployments")))?
                .as_array()
                .ok_or_else(|| claims_error(format!("{at}deployments must be a list")))?;
            if list.is_empty() {
                return Err(claims_error(format!("{at}deployments must not be empty")));
            }
            let mut out = Vec::new();
            for (i, d) in list.iter().enumerate() {
                out.push(deployment(d, &format!("{at}deployments[{i}]"))?);
            }
            ProviderAccess::Granular(out)
        }
    };
    Ok(Permission { provider: provider.to_owned(), access })
}

fn leases(value: &Json) -> Result<Leases> {
    let f = object(value, "leases", &["access", "scope", "permissions"])?;
    let scope = scope(f, "leases.")?;
    let has_permissions = field(f, "permissions").is_some();
    match access(f, "leases.")? {
        "full" => {
            if scope.is_some() || has_permissions {
                return Err(claims_error("leases: full access takes neither scope nor permissions"));
            }
            Ok(Leases::Full)
        }
        "scoped" => {
            if has_permissions {
                return Err(claims_error("leases: scoped access takes no permissions"));
            }
            Ok(Leases::Scoped(scope.ok_or_else(|| claims_error("leases: scoped access needs scope"))?))
        }
        _ => {
            if scope.is_some() {
                return Err(claims_error("leases: granular access takes no scope (put it in each permission)"));
            }
            let list = field(f, "permissions")
                .ok_or_else(|| claims_error("leases: granular access needs permissions"))?
                .as_array()
                .ok_or_else(|| claims_error("leases.permissions must be a list"))?;
            if list.is_empty() {
                return Err(claims_error("leases.permissions must not be empty"));
            }
            let mut out: Vec<Permission> = Vec::new();
            for (i, p) in list.iter().enumerate() {
                let p = permission(p, &format!("leases.permissions[{i}]"))?;
                if out.iter().any(|o| o.provider == p.provider) {
                    return Err(claims_error(format!("leases.permissions lists provider {} twice", p.provider)));
                }
                out.push(p);
            }
            Ok(Leases::Granular(out))
        }
    }
}

fn scope_json(list: &[String]) -> Json {
    Json::Arr(list.iter().map(|s| Json::Str(s.clone())).collect())
}

impl Claims {
    /// Claims valid from `now` (back-dated by [`CLOCK_SKEW_SECONDS`]) for `lifetime` seconds.
    #[must_use]
    pub fn starting_at(iss: &str, now: u64, lifetime: u64, leases: Leases) -> Claims {
        let start = now.saturating_sub(CLOCK_SKEW_SECONDS);
        Claims { iss: iss.to_owned(), iat: start, nbf: start, exp: now.saturating_add(lifetime), jti: None, leases }
    }

    /// Reads and checks claims against the Akash JWT schema and the provider's rules.
    pub fn from_json(value: &Json) -> Result<Claims> {
        let f = object(value, "the claims", &["iss", "iat", "nbf", "exp", "jti", "version", "leases"])?;
        let iss = text(f, "iss", "")?.ok_or_else(|| claims_error("iss (the tenant's address) is missing"))?;
        address::parse(iss, "iss").map_err(|e| claims_error(e.message))?;
        let time = |key: &str| number(f, key, "")?.ok_or_else(|| claims_error(format!("{key} is missing")));
        let (iat, nbf, exp) = (time("iat")?, time("nbf")?, time("exp")?);
        let jti = text(f, "jti", "")?;
        if jti == Some("") {
            return Err(claims_error("jti must not be empty"));
        }
        match text(f, "version", "")? {
            Some("v1") => {}
            Some(other) => return Err(claims_error(format!("version '{other}' is unknown: it must be \"v1\""))),
            None => return Err(claims_error("version is missing: it must be \"v1\"")),
        }
        let leases = leases(field(f, "leases").ok_or_else(|| claims_error("leases is missing"))?)?;
        Ok(Claims { iss: iss.to_owned(), iat, nbf, exp, jti: jti.map(str::to_owned), leases })
    }

    /// Parses claims from JSON text.
    pub fn parse(text: &str) -> Result<Claims> {
        let value = Json::parse(text).map_err(|e| claims_error(format!("the claims are not JSON: {e}")))?;
        Claims::from_json(&value)
    }

    /// The claims as JSON (keys are sorted when written).
    #[must_use]
    pub fn to_json(&self) -> Json {
        let leases = match &self.leases {
            Leases::Full => Json::Obj(vec![("access", Json::Str("full".to_owned()))]),
            Leases::Scoped(scope) => {
                Json::Obj(vec![("access", Json::Str("scoped".to_owned())), ("scope", scope_json(scope))])
            }
            Leases::Granular(permissions) => Json::Obj(vec![
                ("access", Json::Str("granular".to_owned())),
                ("permissions", Json::Arr(permissions.iter().map(permission_json).collect())),
            ]),
        };
        let mut fields = vec![
            ("iss", Json::Str(self.iss.clone())),
            ("iat", Json::Num(self.iat)),
            ("nbf", Json::Num(self.nbf)),
            ("exp", Json::Num(self.exp)),
        ];
        if let Some(jti) = &self.jti {
            fields.push(("jti", Json::Str(jti.clone())));
        }
        fields.push(("version", Json::Str("v1".to_owned())));
        fields.push(("leases", leases));
        Json::Obj(fields)
    }

    /// Checks the validity window at `now` (Unix seconds), as golang-jwt does with no leeway.
    pub fn check_time(&self, now: u64) -> Result<()> {
        if now >= self.exp {
            return Err(claims_error(format!("the token expired at {} (now {now})", self.exp)));
        }
        if now < self.nbf {
            return Err(claims_error(format!("the token is not valid before {} (now {now})", self.nbf)));
        }
        Ok(())
    }

    /// Whether the claims allow `action` on lease `dseq/gseq/oseq` at `provider`.
    #[must_use]
    pub fn allows(&self, provider: &str, action: &str, dseq: u64, gseq: Option<u64>, oseq: Option<u64>) -> bool {
        let listed = |scope: &[String]| scope.iter().any(|s| s == action);
        match &self.leases {
            Leases::Full => true,
            Leases::Scoped(scope) => listed(scope),
            Leases::Granular(permissions) => {
                permissions.iter().filter(|p| p.provider == provider).any(|p| match &p.access {
                    ProviderAccess::Full => true,
                    ProviderAccess::Scoped(scope) => listed(scope),
                    ProviderAccess::Granular(deployments) => deployments.iter().any(|d| {
                        d.dseq == dseq
                            && d.gseq.is_none_or(|g| Some(g) == gseq)
                            && d.oseq.is_none_or(|o| Some(o) == oseq)
                            && listed(&d.scope)
                    }),
                })
            }
        }
    }
}

fn permission_json(p: &Permission) -> Json {
    let mut fields = vec![("provider", Json::Str(p.provider.clone()))];
    match &p.access {
        ProviderAccess::Full => fields.push(("access", Json::Str("full".to_owned()))),
        ProviderAccess::Scoped(scope) => {
            fields.push(("access", Json::Str("scoped".to_owned())));
            fields.push(("scope", scope_json(scope)));
        }
        ProviderAccess::Granular(deployments) => {
            fields.push(("access", Json::Str("granular".to_owned())));
            let list = deployments
                .iter()
                .map(|d| {
                    let mut f = vec![("dseq", Json::Num(d.dseq))];
                    if let Some(g) = d.gseq {
                        f.push(("gseq", Json::Num(g)));
                    }
                    if let Some(o) = d.oseq {
                        f.push(("oseq", Json::Num(o)));
                    }
                    f.push(("scope", scope_json(&d.scope)));
                    f.push(("services", scope_json(&d.services)));
                    Json::Obj(f)
                })
                .collect();
            fields.push(("deployments", Json::Arr(list)));
        }
    }
    Json::Obj(fields)
}

/// `b64url(header).b64url(payload)` for a payload given as JSON text (not checked).
#[must_use]
pub fn signing_input_of_payload(alg: Alg, payload_json: &str) -> String {
    let header = format!(r#"{{"alg":"{}","typ":"JWT"}}"#, alg.as_str());
    format!("{}.{}", base64url_encode(header.as_bytes()), base64url_encode(payload_json.as_bytes()))
}

/// The signing input of checked claims: sorted-key compact JSON, as the TypeScript SDK writes.
#[must_use]
pub fn signing_input(alg: Alg, claims: &Claims) -> String {
    signing_input_of_payload(alg, &claims.to_json().to_go_sorted_compact())
}

/// The ADR-36 amino sign doc of `data` by `signer` (sorted keys, compact): what
/// `signArbitrary` signs.
#[must_use]
pub fn adr36_sign_doc(signer: &str, data: &[u8]) -> String {
    format!(
        r#"{{"account_number":"0","chain_id":"","fee":{{"amount":[],"gas":"0"}},"memo":"","msgs":[{{"type":"sign/MsgSignData","value":{{"data":"{}","signer":"{}"}}}}],"sequence":"0"}}"#,
        base64_encode(data),
        signer
    )
}

/// The bytes whose SHA-256 is signed, for a signer address.
#[must_use]
pub fn message_to_sign(alg: Alg, signing_input: &str, signer_address: &str) -> Vec<u8> {
    match alg {
        Alg::Es256k => signing_input.as_bytes().to_vec(),
        Alg::Es256kAdr36 => adr36_sign_doc(signer_address, signing_input.as_bytes()).into_bytes(),
    }
}

/// Appends a 64-byte signature (from a wallet, say) to a signing input.
pub fn assemble(signing_input: &str, signature: &[u8]) -> Result<String> {
    if signature.len() != 64 {
        return Err(Error::new(
            ErrorCode::InvalidSignature,
            format!("a JWT signature is 64 bytes (r‖s); got {}", signature.len()),
        ));
    }
    Ok(format!("{signing_input}.{}", base64url_encode(signature)))
}

/// Signs any signing input (no claim checks: for tests of what providers refuse).
pub fn sign_input(alg: Alg, signing_input: &str, signer: &dyn Signer) -> Result<String> {
    let signature = signer.sign(&message_to_sign(alg, signing_input, &signer.address()))?;
    assemble(signing_input, &signature)
}

/// A token for checked claims, signed here. The issuer must be the signer.
pub fn create(alg: Alg, claims: &Claims, signer: &dyn Signer) -> Result<String> {
    let address = signer.address();
    if claims.iss != address {
        return Err(claims_error(format!("iss is {} but the key belongs to {address}", claims.iss)));
    }
    if claims.exp <= claims.nbf {
        return Err(claims_error("exp must be after nbf: the token would never be valid"));
    }
    sign_input(alg, &signing_input(alg, claims), signer)
}

/// A token split into its parts; the signature is not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The algorithm named in the header.
    pub alg: Alg,
    /// The payload's JSON text.
    pub payload: String,
    /// `header.payload` as received.
    pub signing_input: String,
    /// The 64-byte signature.
    pub signature: Vec<u8>,
}

/// Splits and decodes a token, checking its header.
pub fn decode(token: &str) -> Result<Decoded> {
    let bad = |why: &str| Error::new(ErrorCode::InvalidToken, format!("the token is malformed: {why}"));
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad("a JWT has three dot-separated parts"));
    };
    let header = base64url_decode(h).ok_or_else(|| bad("the header is not base64url"))?;
    let header = String::from_utf8(header).map_err(|_| bad("the header is not UTF-8"))?;
    let header = Json::parse(&header).map_err(|e| bad(&format!("the header is not JSON ({e})")))?;
    let alg = header.get("alg").and_then(Json::as_str).ok_or_else(|| bad("the header has no alg"))?;
    let alg = Alg::parse(alg)?;
    let payload = base64url_decode(p).ok_or_else(|| bad("the payload is not base64url"))?;
    let payload = String::from_utf8(payload).map_err(|_| bad("the payload is not UTF-8"))?;
    let signature = base64url_decode(s).ok_or_else(|| bad("the signature is not base64url"))?;
    if signature.len() != 64 {
        return Err(Error::new(
            ErrorCode::InvalidToken,
            format!("the signature is {} bytes; ES256K signatures are 64 (r‖s, not DER)", signature.len()),
        ));
    }
    Ok(Decoded { alg, payload, signing_input: format!("{h}.{p}"), signature })
}

/// Checks a token's signature against a public key; the claims are not checked.
pub fn verify_signature(token: &str, public_key: &[u8]) -> Result<Decoded> {
    let decoded = decode(token)?;
    let key = key::parse_public_key(public_key)?;
    let message = message_to_sign(decoded.alg, &decoded.signing_input, &address::from_public_key(&key));
    key::verify(&key, &message, &decoded.signature).map_err(|e| {
        Error::new(ErrorCode::InvalidToken, format!("the token's signature does not verify: {}", e.message))
    })?;
    Ok(decoded)
}

/// A provider's check: the signature by the issuer's key, the claims by the schema, and the
/// validity window at `now`.
pub fn verify(token: &str, public_key: &[u8], now: u64) -> Result<(Alg, Claims)> {
    let decoded = verify_signature(token, public_key)?;
    let claims = Claims::parse(&decoded.payload)?;
    let key = key::parse_public_key(public_key)?;
    let signer = address::from_public_key(&key);
    if claims.iss != signer {
        return Err(claims_error(format!("the token was issued by {} but signed by {signer}", claims.iss)));
    }
    claims.check_time(now)?;
    Ok((decoded.alg, claims))
}
