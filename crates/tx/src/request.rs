//! JSON requests and responses: the one description of the orders API that the `leasekit`
//! CLI and the `leasekit/orders` npm entry share, so both check inputs the same way and
//! give the same errors.
//!
//! Conventions: keys are camelCase; bytes are standard base64 strings; 64-bit integers may be
//! JSON numbers or decimal strings (the chain's REST writes them as strings); a coin is
//! `"500000uact"` or `{"denom", "amount"}`. A failure is `{code, message}` (see
//! [`ErrorCode`]); an SDL with errors adds `diagnostics` (leasekit-sdl's report).
//!
//! | Function | Request | Response |
//! |---|---|---|
//! | [`encode_message`] | `{"createDeployment": {sdl, owner, dseq, deposit, depositSources?, chainVersion?}}`, or `updateDeployment` {sdl, owner, dseq}, `closeDeployment` {owner, dseq}, `createLease` / `closeLease` {owner, dseq, gseq, oseq, provider, bseq}, `accountDeposit` {signer, owner, dseq, amount, sources?}, `mintAct` {owner, amount}, or `{typeUrl, value}` as is | `{typeUrl, value, json}` (`json`: [`crate::json::message_json`]) |
//! | [`sign_tx`] | `{mnemonic, accountIndex?, chainId, accountNumber, sequence, messages, fee: {amount: [coin], gasLimit, payer?, granter?}, memo?, timeoutHeight?}` | `{txBytes, txHash}` |
//! | [`sign_tx_with`] | as `sign_tx` without the mnemonic, plus a [`Signer`] | `{txBytes, txHash}` |
//! | [`make_sign_doc`] | as `sign_tx` with `publicKey` instead of the mnemonic | `{bodyBytes, authInfoBytes, chainId, accountNumber}` |
//! | [`assemble_tx`] | `{bodyBytes, authInfoBytes, signature}` | `{txBytes, txHash}` |
//! | [`account`] | `{mnemonic, accountIndex?}` | `{address, publicKey}` |
//! | [`create_jwt`] | `{mnemonic, accountIndex?, alg?, now?, lifetime?, claims?: {iat, nbf, exp, jti?, leases}, leases?}` | `{token}` |
//! | [`create_jwt_with`] | as `create_jwt` without the mnemonic, plus a [`Signer`] | `{token}` |
//! | [`jwt_signing_input`] | `{iss, alg?, now?, lifetime?, claims?, leases?}` | `{signingInput, signDoc?}` |
//! | [`assemble_jwt`] | `{signingInput, signature}` | `{token}` |
//! | [`verify_jwt`] | `{token, publicKey, now}` | `{alg, claims}` |

use leasekit_sdl::PositionEncoding;
use leasekit_sdl::json::Json;
use zeroize::Zeroize;

use crate::encoding::{base64_decode, base64_encode};
use crate::error::{Error, ErrorCode};
use crate::jwt::{self, Alg, Claims};
use crate::key::{self, MnemonicSigner, Signer};
use crate::msgs::{self, BidId, ChainVersion, Coin, CreateDeployment, Deposit, DepositSource};
use crate::proto::{Any, TypeUrl};
use crate::tx::{self, Draft, Fee};

/// A failed request: `{code, message, diagnostics?}`.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The error.
    pub error: Error,
    /// For [`ErrorCode::InvalidSdl`]: the SDL's diagnostics as leasekit-sdl reports them.
    pub diagnostics: Option<Json>,
}

impl Failure {
    /// `{code, message, diagnostics?}`.
    #[must_use]
    pub fn to_json(&self) -> Json {
        let mut fields = vec![
            ("code", Json::Str(self.error.code.as_str().to_owned())),
            ("message", Json::Str(self.error.message.clone())),
        ];
        if let Some(d) = &self.diagnostics {
            fields.push(("diagnostics", d.clone()));
        }
        Json::Obj(fields)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure { error, diagnostics: None }
    }
}

/// A request's result.
pub type Response = Result<Json, Failure>;

struct Fields<'a> {
    fields: &'a [(String, Json)],
    at: String,
}

fn fields<'a>(value: &'a Json, at: &str) -> Result<Fields<'a>, Error> {
    match value {
        Json::Map(fields) => Ok(Fields { fields, at: at.to_owned() }),
        _ => Err(Error::input(format!("{} must be an object", if at.is_empty() { "the request" } else { at }))),
    }
}

impl<'a> Fields<'a> {
    fn name(&self, key: &str) -> String {
        if self.at.is_empty() { key.to_owned() } else { format!("{}.{key}", self.at) }
    }

    fn get(&self, key: &str) -> Option<&'a Json> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| !matches!(v, Json::Null))
    }

    fn require(&self, key: &str) -> Result<&'a Json, Error> {
        self.get(key).ok_or_else(|| Error::input(format!("{} is missing", self.name(key))))
    }

    fn str(&self, key: &str) -> Result<&'a str, Error> {
        self.require(key)?.as_str().ok_or_else(|| Error::input(format!("{} must be a string", self.name(key))))
    }

    fn opt_str(&self, key: &str) -> Result<Option<&'a str>, Error> {
        self.get(key).map(|_| self.str(key)).transpose()
    }

    fn u64(&self, key: &str) -> Result<u64, Error> {
        let bad =
            || Error::input(format!("{} must be a whole number (a JSON number or decimal string)", self.name(key)));
        match self.require(key)? {
            Json::Num(n) => Ok(*n),
            Json::Str(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().map_err(|_| bad()),
            _ => Err(bad()),
        }
    }

    fn opt_u64(&self, key: &str) -> Result<Option<u64>, Error> {
        self.get(key).map(|_| self.u64(key)).transpose()
    }

    fn u32(&self, key: &str) -> Result<u32, Error> {
        u32::try_from(self.u64(key)?).map_err(|_| Error::input(format!("{} is too large", self.name(key))))
    }

    fn bytes(&self, key: &str) -> Result<Vec<u8>, Error> {
        base64_decode(self.str(key)?).ok_or_else(|| Error::input(format!("{} must be base64", self.name(key))))
    }

    fn coin(&self, key: &str) -> Result<Coin, Error> {
        coin(self.require(key)?, &self.name(key))
    }

    fn sources(&self, key: &str) -> Result<Vec<DepositSource>, Error> {
        match self.get(key) {
            None => Ok(vec![DepositSource::Balance]),
            Some(Json::Arr(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .ok_or_else(|| Error::input(format!("{} must list strings", self.name(key))))
                        .and_then(DepositSource::parse)
                })
                .collect(),
            Some(_) => Err(Error::input(format!("{} must be a list such as [\"balance\"]", self.name(key)))),
        }
    }

    fn object(&self, key: &str) -> Result<Fields<'a>, Error> {
        fields(self.require(key)?, &self.name(key))
    }
}

fn coin(value: &Json, at: &str) -> Result<Coin, Error> {
    match value {
        Json::Str(s) => Coin::parse(s),
        Json::Map(_) => {
            let f = fields(value, at)?;
            let amount = match f.require("amount")? {
                Json::Num(n) => n.to_string(),
                Json::Str(s) => s.clone(),
                _ => return Err(Error::input(format!("{at}.amount must be a whole number"))),
            };
            Coin::new(f.str("denom")?, &amount)
        }
        _ => Err(Error::input(format!("{at} must be a coin such as \"500000uact\" or {{\"denom\", \"amount\"}}"))),
    }
}

/// A JSON value whose strings (keys too) are zeroized on drop: requests can carry a mnemonic.
/// (A caller holding the request text zeroizes that itself; the CLI and the Wasm do.)
pub struct Scrubbed(pub Json);

impl std::ops::Deref for Scrubbed {
    type Target = Json;

    fn deref(&self) -> &Json {
        &self.0
    }
}

impl Drop for Scrubbed {
    fn drop(&mut self) {
        fn scrub(value: &mut Json) {
            match value {
                Json::Str(s) => s.zeroize(),
                Json::Arr(items) => items.iter_mut().for_each(scrub),
                Json::Obj(fields) => fields.iter_mut().for_each(|(_, v)| scrub(v)),
                Json::Map(fields) => fields.iter_mut().for_each(|(k, v)| {
                    k.zeroize();
                    scrub(v);
                }),
                Json::Null | Json::Bool(_) | Json::Num(_) => {}
            }
        }
        scrub(&mut self.0);
    }
}

fn parse_request(text: &str) -> Result<Scrubbed, Error> {
    Json::parse(text).map(Scrubbed).map_err(|e| Error::input(format!("the request is not JSON: {e}")))
}

fn message_json(any: &Any) -> Json {
    Json::Obj(vec![
        ("typeUrl", Json::Str(any.type_url.clone())),
        ("value", Json::Str(base64_encode(&any.value))),
        ("json", crate::json::message_json(any)),
    ])
}

fn sdl_output(f: &Fields<'_>) -> Result<leasekit_sdl::Output, Failure> {
    let source = f.str("sdl")?;
    let build = leasekit_sdl::build(source);
    match build.output {
        Some(output) => Ok(output),
        None => {
            let first = build.diagnostics.reference_error().or_else(|| build.diagnostics.errors().next());
            let index = leasekit_sdl::LineIndex::new(source);
            let message = match first {
                Some(d) => {
                    let (start, _) = d.locate(&index);
                    format!(
                        "the SDL has errors; the first, at line {} column {}: {}",
                        start.line, start.column_utf8, d.message
                    )
                }
                None => "the SDL has errors".to_owned(),
            };
            Err(Failure {
                error: Error::new(ErrorCode::InvalidSdl, message),
                diagnostics: Some(build.diagnostics.to_json(source, PositionEncoding::Utf16)),
            })
        }
    }
}

fn bid_id(f: &Fields<'_>) -> Result<BidId, Error> {
    Ok(BidId {
        owner: f.str("owner")?.to_owned(),
        dseq: f.u64("dseq")?,
        gseq: f.u32("gseq")?,
        oseq: f.u32("oseq")?,
        provider: f.str("provider")?.to_owned(),
        bseq: f.u32("bseq")?,
    })
}

/// One message from its high-level description, or `{typeUrl, value}` passed through.
fn message(value: &Json, at: &str) -> Result<Any, Failure> {
    let f = fields(value, at)?;
    if f.get("typeUrl").is_some() {
        let type_url = f.str("typeUrl")?;
        if !type_url.starts_with('/') {
            return Err(Error::input(format!("{} '{type_url}' must start with '/'", f.name("typeUrl"))).into());
        }
        return Ok(Any { type_url: type_url.to_owned(), value: f.bytes("value")? });
    }
    let [(kind, body)] = f.fields else {
        return Err(Error::input(format!(
            "{} must be {{typeUrl, value}} or one of createDeployment, updateDeployment, closeDeployment, createLease, closeLease, accountDeposit, mintAct",
            if at.is_empty() { "the message" } else { at }
        ))
        .into());
    };
    let b = fields(body, &f.name(kind))?;
    Ok(match kind.as_str() {
        "createDeployment" => {
            let output = sdl_output(&b)?;
            let chain_version = b.opt_str("chainVersion")?.map(ChainVersion::parse).transpose()?;
            let deposit = Deposit { amount: b.coin("deposit")?, sources: b.sources("depositSources")? };
            let params = CreateDeployment { owner: b.str("owner")?, dseq: b.u64("dseq")?, deposit, chain_version };
            msgs::create_deployment(&output, &params)?.to_any()
        }
        "updateDeployment" => {
            let output = sdl_output(&b)?;
            msgs::update_deployment(&output, b.str("owner")?, b.u64("dseq")?)?.to_any()
        }
        "closeDeployment" => msgs::close_deployment(b.str("owner")?, b.u64("dseq")?)?.to_any(),
        "createLease" => msgs::create_lease(&bid_id(&b)?)?.to_any(),
        "closeLease" => msgs::close_lease(&bid_id(&b)?)?.to_any(),
        "accountDeposit" => {
            let deposit = Deposit { amount: b.coin("amount")?, sources: b.sources("sources")? };
            msgs::deposit_deployment(b.str("signer")?, b.str("owner")?, b.u64("dseq")?, &deposit)?.to_any()
        }
        "mintAct" => msgs::mint_act(b.str("owner")?, &b.coin("amount")?)?.to_any(),
        other => return Err(Error::input(format!("unknown message kind '{other}'")).into()),
    })
}

/// Encodes one message: `{typeUrl, value, json}`, `json` being the message as a review screen
/// shows it before signing ([`crate::json::message_json`] of the same bytes).
pub fn encode_message(request: &str) -> Response {
    let value = parse_request(request)?;
    Ok(message_json(&message(&value, "")?))
}

fn signer(f: &Fields<'_>) -> Result<MnemonicSigner, Error> {
    let index = f.opt_u64("accountIndex")?.unwrap_or(0);
    let index = u32::try_from(index)
        .ok()
        .filter(|i| *i < 0x8000_0000)
        .ok_or_else(|| Error::input("accountIndex must be below 2^31"))?;
    MnemonicSigner::from_mnemonic(f.str("mnemonic")?, index)
}

fn draft(f: &Fields<'_>) -> Result<Draft, Failure> {
    let list =
        f.require("messages")?.as_array().ok_or_else(|| Error::input("messages must be a list of {typeUrl, value}"))?;
    let mut messages = Vec::with_capacity(list.len());
    for (i, m) in list.iter().enumerate() {
        messages.push(message(m, &format!("messages[{i}]"))?);
    }
    let fee = f.object("fee")?;
    let amount = match fee.get("amount") {
        None => Vec::new(),
        Some(Json::Arr(items)) => {
            items.iter().enumerate().map(|(i, c)| coin(c, &format!("fee.amount[{i}]"))).collect::<Result<_, _>>()?
        }
        Some(_) => return Err(Error::input("fee.amount must be a list of coins").into()),
    };
    Ok(Draft {
        messages,
        memo: f.opt_str("memo")?.unwrap_or_default().to_owned(),
        fee: Fee {
            amount,
            gas_limit: fee.u64("gasLimit")?,
            payer: fee.opt_str("payer")?.unwrap_or_default().to_owned(),
            granter: fee.opt_str("granter")?.unwrap_or_default().to_owned(),
        },
        timeout_height: f.opt_u64("timeoutHeight")?.unwrap_or(0),
    })
}

fn signed_json(signed: &tx::SignedTx) -> Json {
    Json::Obj(vec![
        ("txBytes", Json::Str(base64_encode(&signed.tx_bytes))),
        ("txHash", Json::Str(signed.tx_hash.clone())),
    ])
}

/// Signs a transaction with a mnemonic key: `{txBytes, txHash}`.
pub fn sign_tx(request: &str) -> Response {
    let value = parse_request(request)?;
    let f = fields(&value, "")?;
    let signer = signer(&f)?;
    sign_tx_fields(&f, &signer)
}

/// Signs a transaction (a [`sign_tx`] request without the mnemonic) with a key held by the
/// caller, so that the mnemonic is derived once rather than per transaction.
pub fn sign_tx_with(request: &str, signer: &dyn Signer) -> Response {
    let value = parse_request(request)?;
    sign_tx_fields(&fields(&value, "")?, signer)
}

fn sign_tx_fields(f: &Fields<'_>, signer: &dyn Signer) -> Response {
    let draft = draft(f)?;
    let signed = tx::sign(&draft, f.str("chainId")?, f.u64("accountNumber")?, f.u64("sequence")?, signer)?;
    Ok(signed_json(&signed))
}

/// The SignDoc for a wallet: `{bodyBytes, authInfoBytes, chainId, accountNumber}` (the
/// account number as a decimal string).
pub fn make_sign_doc(request: &str) -> Response {
    let value = parse_request(request)?;
    let f = fields(&value, "")?;
    let draft = draft(&f)?;
    let public_key = key::parse_public_key(&f.bytes("publicKey")?)?;
    let account = tx::Account {
        chain_id: f.str("chainId")?,
        account_number: f.u64("accountNumber")?,
        sequence: f.u64("sequence")?,
        public_key,
    };
    let doc = tx::sign_doc(&draft, &account)?;
    Ok(Json::Obj(vec![
        ("bodyBytes", Json::Str(base64_encode(&doc.body_bytes))),
        ("authInfoBytes", Json::Str(base64_encode(&doc.auth_info_bytes))),
        ("chainId", Json::Str(doc.chain_id)),
        ("accountNumber", Json::Str(doc.account_number.to_string())),
    ]))
}

/// A TxRaw from a wallet's signed bytes: `{txBytes, txHash}`.
pub fn assemble_tx(request: &str) -> Response {
    let value = parse_request(request)?;
    let f = fields(&value, "")?;
    let signed = tx::assemble(f.bytes("bodyBytes")?, f.bytes("authInfoBytes")?, &f.bytes("signature")?)?;
    Ok(signed_json(&signed))
}

/// The account of a mnemonic: `{address, publicKey}`.
pub fn account(request: &str) -> Response {
    let value = parse_request(request)?;
    let f = fields(&value, "")?;
    let signer = signer(&f)?;
    Ok(Json::Obj(vec![
        ("address", Json::Str(signer.address())),
        ("publicKey", Json::Str(base64_encode(&signer.public_key()))),
    ]))
}

fn alg(f: &Fields<'_>) -> Result<Alg, Error> {
    f.opt_str("alg")?.map_or(Ok(Alg::Es256kAdr36), Alg::parse)
}

/// Default token lifetime: 15 minutes, as the Go client uses.
pub const DEFAULT_JWT_LIFETIME: u64 = 15 * 60;

/// Claims from `claims` (complete, `iss` optional) or from `now`, `lifetime` and `leases`
/// (default full access).
fn claims(f: &Fields<'_>, iss: &str) -> Result<Claims, Error> {
    if let Some(given) = f.get("claims") {
        let Json::Map(entries) = given else {
            return Err(Error::input("claims must be an object"));
        };
        let mut entries = entries.clone();
        match entries.iter().find(|(k, _)| k == "iss") {
            Some((_, Json::Str(s))) if s != iss => {
                return Err(Error::new(
                    ErrorCode::InvalidClaims,
                    format!("claims.iss is {s} but the key belongs to {iss}"),
                ));
            }
            Some(_) => {}
            None => entries.push(("iss".to_owned(), Json::Str(iss.to_owned()))),
        }
        if !entries.iter().any(|(k, _)| k == "version") {
            entries.push(("version".to_owned(), Json::Str("v1".to_owned())));
        }
        return Claims::from_json(&Json::Map(entries));
    }
    let now = f.u64("now")?;
    let lifetime = f.opt_u64("lifetime")?.unwrap_or(DEFAULT_JWT_LIFETIME);
    let leases = match f.get("leases") {
        None => jwt::Leases::Full,
        Some(l) => {
            let probe = Json::Map(vec![
                ("iss".to_owned(), Json::Str(iss.to_owned())),
                ("iat".to_owned(), Json::Num(0)),
                ("nbf".to_owned(), Json::Num(0)),
                ("exp".to_owned(), Json::Num(1)),
                ("version".to_owned(), Json::Str("v1".to_owned())),
                ("leases".to_owned(), l.clone()),
            ]);
            Claims::from_json(&probe)?.leases
        }
    };
    Ok(Claims::starting_at(iss, now, lifetime, leases))
}

/// A provider JWT signed with a mnemonic key: `{token}`.
pub fn create_jwt(request: &str) -> Response {
    let value = parse_request(request)?;
    let f = fields(&value, "")?;
    let signer = signer(&f)?;
    create_jwt_fields(&f, &signer)
}

/// A provider JWT (a [`create_jwt`] request without the mnemonic) signed with a key held by
/// the caller.
pub fn create_jwt_with(request: &str, signer: &dyn Signer) -> Response {
    let value = parse_request(request)?;
    create_jwt_fields(&fields(&value, "")?, signer)
}

fn create_jwt_fields(f: &Fields<'_>, signer: &dyn Signer) -> Response {
    let claims = claims(f, &signer.address())?;
    let token = jwt::create(alg(f)?, &claims, signer)?;
    Ok(Json::Obj(vec![("token", Json::Str(token))]))
}

/// What a wallet signs for a JWT: `{signingInput, signDoc?}`; for ES256KADR36 pass
/// `signingInput` to `signArbitrary(chainId, iss, signingInput)` (`signDoc` is what that signs).
pub fn jwt_signing_input(request: &str) -> Response {
    let value = parse_request(request)?;
    let f = fields(&value, "")?;
    let iss = f.str("iss")?;
    crate::address::parse(iss, "iss")?;
    let claims = claims(&f, iss)?;
    let alg = alg(&f)?;
    let input = jwt::signing_input(alg, &claims);
    let mut out = vec![("signingInput", Json::Str(input.clone()))];
    if alg == Alg::Es256kAdr36 {
        out.push(("signDoc", Json::Str(jwt::adr36_sign_doc(iss, input.as_bytes()))));
    }
    Ok(Json::Obj(out))
}

/// A token from a signing input and a wallet's signature: `{token}`.
pub fn assemble_jwt(request: &str) -> Response {
    let value = parse_request(request)?;
    let f = fields(&value, "")?;
    let token = jwt::assemble(f.str("signingInput")?, &f.bytes("signature")?)?;
    Ok(Json::Obj(vec![("token", Json::Str(token))]))
}

/// Verifies a token as a provider does: `{alg, claims}`.
pub fn verify_jwt(request: &str) -> Response {
    let value = parse_request(request)?;
    let f = fields(&value, "")?;
    let (alg, claims) = jwt::verify(f.str("token")?, &f.bytes("publicKey")?, f.u64("now")?)?;
    Ok(Json::Obj(vec![("alg", Json::Str(alg.as_str().to_owned())), ("claims", claims.to_json())]))
}
