//! The exact message as JSON: what a review screen shows before the tenant signs.
//!
//! The form is the one `@akashnetwork/chain-sdk`'s generated `Msg*.toJSON` gives for the same
//! bytes (1.0.0-alpha.25, the types Akash Console signs with), with the type URL added as
//! `"@type"` the way proto3 JSON writes an `Any`; the npm package's tests decode our bytes with
//! chain-sdk and compare. That is proto3's JSON mapping, except where chain-sdk departs from it
//! (names, durations); in full:
//!
//! - keys are the proto field names (`signed_by`, `sequence_number`, `bid_id`,
//!   `coins_to_burn`), not lowerCamelCase;
//! - fields holding their default value (0, `""`, empty bytes or list, enum 0) are left out;
//!   a message field is written when present, even if empty (`"signed_by": {}`);
//! - 64-bit integers are decimal strings, 32-bit ones numbers; bytes are standard base64 — so
//!   a `ResourceValue` reads `{"val": "NTAw"}` for `"500"`;
//! - enums are their names (`"balance"`, `"LEASED_IP"`, `"lease_closed_owner"`); a value the
//!   schema does not name is written as its number (chain-sdk writes `"UNRECOGNIZED"`);
//! - a `DecCoin` amount is the decimal the wire's 18-decimal atomics stand for (`"10000"`,
//!   `"0.5"`), as chain-sdk's `LegacyDec` patch decodes it;
//! - `google.protobuf.Duration` (MsgCreateDeployment's `reclamation`, v2.1 chains, newer than
//!   that chain-sdk) is `{"seconds": "86400", "nanos": n}` as chain-sdk's generated Duration
//!   writes it, not proto3's `"86400s"`.
//!
//! Not the reference: `akash tx … --generate-only`, which prints gogoproto's JSON of the same
//! message (defaults kept, Go's own text for decimals and resource values — REST shows a price
//! as `"10000.000000000000000000"`, chain.md §1.3); it is not run in these tests.
//!
//! The JSON is decoded from the bytes that get signed, not from the inputs they were built
//! from, and it is shown only when it covers every byte: a message whose bytes do not
//! re-encode to themselves (unknown fields, another encoder's choices) and a type this module
//! does not know appear as `{"@type", "value": base64}`.

use leasekit_sdl::json::Json;
use prost::Message;

use crate::encoding::base64_encode;
use crate::proto::{self, Any, TypeUrl};

/// A protobuf message's JSON (without `@type`).
pub trait ProtoJson {
    /// The JSON object, fields in proto order.
    fn to_json(&self) -> Json;
}

/// `{"@type": typeUrl, ...fields}` of a message, or `{"@type", "value"}` (base64) when the
/// bytes are not one of the messages of [`proto`] or would not re-encode to themselves.
#[must_use]
pub fn message_json(any: &Any) -> Json {
    let decoded = match any.type_url.as_str() {
        proto::MsgCreateDeployment::TYPE_URL => decode::<proto::MsgCreateDeployment>(&any.value),
        proto::MsgUpdateDeployment::TYPE_URL => decode::<proto::MsgUpdateDeployment>(&any.value),
        proto::MsgCloseDeployment::TYPE_URL => decode::<proto::MsgCloseDeployment>(&any.value),
        proto::MsgCloseGroup::TYPE_URL => decode::<proto::MsgCloseGroup>(&any.value),
        proto::MsgCreateLease::TYPE_URL => decode::<proto::MsgCreateLease>(&any.value),
        proto::MsgCloseLease::TYPE_URL => decode::<proto::MsgCloseLease>(&any.value),
        proto::MsgAccountDeposit::TYPE_URL => decode::<proto::MsgAccountDeposit>(&any.value),
        proto::MsgMintAct::TYPE_URL => decode::<proto::MsgMintAct>(&any.value),
        _ => None,
    };
    match decoded {
        Some(json) => with_type(&any.type_url, json),
        None => {
            Json::Obj(vec![("@type", Json::Str(any.type_url.clone())), ("value", Json::Str(base64_encode(&any.value)))])
        }
    }
}

/// `{"@type": M::TYPE_URL, ...fields}` of a message in hand.
#[must_use]
pub fn typed<M: TypeUrl + ProtoJson>(message: &M) -> Json {
    with_type(M::TYPE_URL, message.to_json())
}

/// The message's JSON if the bytes decode and re-encode to themselves (so nothing in them is
/// left out of the JSON).
fn decode<M: Message + Default + ProtoJson>(bytes: &[u8]) -> Option<Json> {
    let message = M::decode(bytes).ok()?;
    (message.encode_to_vec() == bytes).then(|| message.to_json())
}

fn with_type(type_url: &str, json: Json) -> Json {
    let mut fields = vec![("@type", Json::Str(type_url.to_owned()))];
    if let Json::Obj(rest) = json {
        fields.extend(rest);
    }
    Json::Obj(fields)
}

/// An object's fields, each added only when it is not the proto3 default.
#[derive(Default)]
struct Fields(Vec<(&'static str, Json)>);

impl Fields {
    fn str(mut self, key: &'static str, value: &str) -> Self {
        if !value.is_empty() {
            self.0.push((key, Json::Str(value.to_owned())));
        }
        self
    }

    /// A 64-bit integer: a decimal string.
    fn u64(mut self, key: &'static str, value: u64) -> Self {
        if value != 0 {
            self.0.push((key, Json::Str(value.to_string())));
        }
        self
    }

    fn i64(mut self, key: &'static str, value: i64) -> Self {
        if value != 0 {
            self.0.push((key, Json::Str(value.to_string())));
        }
        self
    }

    /// A 32-bit integer: a number (a negative one, which these messages never hold, as text:
    /// [`Json`] has no negative numbers).
    fn i32(mut self, key: &'static str, value: i32) -> Self {
        if value != 0 {
            self.0.push((key, u64::try_from(value).map_or_else(|_| Json::Str(value.to_string()), Json::Num)));
        }
        self
    }

    fn u32(mut self, key: &'static str, value: u32) -> Self {
        if value != 0 {
            self.0.push((key, Json::Num(u64::from(value))));
        }
        self
    }

    fn bytes(mut self, key: &'static str, value: &[u8]) -> Self {
        if !value.is_empty() {
            self.0.push((key, Json::Str(base64_encode(value))));
        }
        self
    }

    fn enumeration(mut self, key: &'static str, value: i32, name: fn(i32) -> Option<&'static str>) -> Self {
        if value != 0 {
            self.0.push((key, enum_json(value, name)));
        }
        self
    }

    fn message<M: ProtoJson>(mut self, key: &'static str, value: Option<&M>) -> Self {
        if let Some(m) = value {
            self.0.push((key, m.to_json()));
        }
        self
    }

    fn messages<M: ProtoJson>(mut self, key: &'static str, list: &[M]) -> Self {
        if !list.is_empty() {
            self.0.push((key, Json::Arr(list.iter().map(ProtoJson::to_json).collect())));
        }
        self
    }

    fn strings(mut self, key: &'static str, list: &[String]) -> Self {
        if !list.is_empty() {
            self.0.push((key, Json::Arr(list.iter().map(|s| Json::Str(s.clone())).collect())));
        }
        self
    }

    fn done(self) -> Json {
        Json::Obj(self.0)
    }
}

/// The enum value's name, or its number when the schema has none.
fn enum_json(value: i32, name: fn(i32) -> Option<&'static str>) -> Json {
    match name(value) {
        Some(n) => Json::Str(n.to_owned()),
        None => u64::try_from(value).map_or_else(|_| Json::Str(value.to_string()), Json::Num),
    }
}

/// `akash.base.deposit.v1.Source`.
fn source_name(value: i32) -> Option<&'static str> {
    Some(match value {
        0 => "invalid",
        1 => "balance",
        2 => "grant",
        _ => return None,
    })
}

/// `akash.base.resources.v1beta4.Endpoint.Kind`.
fn endpoint_kind_name(value: i32) -> Option<&'static str> {
    Some(match value {
        0 => "SHARED_HTTP",
        1 => "RANDOM_PORT",
        2 => "LEASED_IP",
        _ => return None,
    })
}

/// `akash.escrow.id.v1.Scope`.
fn scope_name(value: i32) -> Option<&'static str> {
    Some(match value {
        0 => "invalid",
        1 => "deployment",
        2 => "bid",
        _ => return None,
    })
}

/// `akash.market.v1.LeaseClosedReason`.
fn lease_closed_reason_name(value: i32) -> Option<&'static str> {
    Some(match value {
        0 => "lease_closed_invalid",
        1 => "lease_closed_owner",
        10_000 => "lease_closed_reason_unstable",
        10_001 => "lease_closed_reason_decommission",
        10_002 => "lease_closed_reason_unspecified",
        10_003 => "lease_closed_reason_manifest_timeout",
        20_000 => "lease_closed_reason_insufficient_funds",
        _ => return None,
    })
}

/// A `LegacyDec`'s wire atomics (the value × 10^18 as digits, optionally signed) as the
/// decimal they stand for, without trailing zeros: `"10000000000000000000000"` → `"10000"`,
/// `"500000000000000000"` → `"0.5"`. Text that is not digits is shown as it is.
fn legacy_dec(atomics: &str) -> String {
    const PRECISION: usize = 18;
    let (sign, digits) = atomics.strip_prefix('-').map_or(("", atomics), |d| ("-", d));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return atomics.to_owned();
    }
    let padded = format!("{digits:0>width$}", width = PRECISION + 1);
    let (whole, fraction) = padded.split_at(padded.len() - PRECISION);
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole}.{fraction}") }
}

impl ProtoJson for proto::Coin {
    fn to_json(&self) -> Json {
        Fields::default().str("denom", &self.denom).str("amount", &self.amount).done()
    }
}

impl ProtoJson for proto::DecCoin {
    fn to_json(&self) -> Json {
        Fields::default().str("denom", &self.denom).str("amount", &legacy_dec(&self.amount)).done()
    }
}

impl ProtoJson for proto::Duration {
    fn to_json(&self) -> Json {
        Fields::default().i64("seconds", self.seconds).i32("nanos", self.nanos).done()
    }
}

impl ProtoJson for proto::DeploymentId {
    fn to_json(&self) -> Json {
        Fields::default().str("owner", &self.owner).u64("dseq", self.dseq).done()
    }
}

impl ProtoJson for proto::GroupId {
    fn to_json(&self) -> Json {
        Fields::default().str("owner", &self.owner).u64("dseq", self.dseq).u32("gseq", self.gseq).done()
    }
}

impl ProtoJson for proto::BidId {
    fn to_json(&self) -> Json {
        Fields::default()
            .str("owner", &self.owner)
            .u64("dseq", self.dseq)
            .u32("gseq", self.gseq)
            .u32("oseq", self.oseq)
            .str("provider", &self.provider)
            .u32("bseq", self.bseq)
            .done()
    }
}

impl ProtoJson for proto::DeploymentReclamation {
    fn to_json(&self) -> Json {
        Fields::default().message("min_window", self.min_window.as_ref()).done()
    }
}

impl ProtoJson for proto::Attribute {
    fn to_json(&self) -> Json {
        Fields::default().str("key", &self.key).str("value", &self.value).done()
    }
}

impl ProtoJson for proto::SignedBy {
    fn to_json(&self) -> Json {
        Fields::default().strings("all_of", &self.all_of).strings("any_of", &self.any_of).done()
    }
}

impl ProtoJson for proto::PlacementRequirements {
    fn to_json(&self) -> Json {
        Fields::default().message("signed_by", self.signed_by.as_ref()).messages("attributes", &self.attributes).done()
    }
}

impl ProtoJson for proto::ResourceValue {
    fn to_json(&self) -> Json {
        Fields::default().bytes("val", &self.val).done()
    }
}

impl ProtoJson for proto::Cpu {
    fn to_json(&self) -> Json {
        Fields::default().message("units", self.units.as_ref()).messages("attributes", &self.attributes).done()
    }
}

impl ProtoJson for proto::Memory {
    fn to_json(&self) -> Json {
        Fields::default().message("quantity", self.quantity.as_ref()).messages("attributes", &self.attributes).done()
    }
}

impl ProtoJson for proto::Storage {
    fn to_json(&self) -> Json {
        Fields::default()
            .str("name", &self.name)
            .message("quantity", self.quantity.as_ref())
            .messages("attributes", &self.attributes)
            .done()
    }
}

impl ProtoJson for proto::Gpu {
    fn to_json(&self) -> Json {
        Fields::default().message("units", self.units.as_ref()).messages("attributes", &self.attributes).done()
    }
}

impl ProtoJson for proto::Endpoint {
    fn to_json(&self) -> Json {
        Fields::default()
            .enumeration("kind", self.kind, endpoint_kind_name)
            .u32("sequence_number", self.sequence_number)
            .done()
    }
}

impl ProtoJson for proto::Resources {
    fn to_json(&self) -> Json {
        Fields::default()
            .u32("id", self.id)
            .message("cpu", self.cpu.as_ref())
            .message("memory", self.memory.as_ref())
            .messages("storage", &self.storage)
            .message("gpu", self.gpu.as_ref())
            .messages("endpoints", &self.endpoints)
            .done()
    }
}

impl ProtoJson for proto::ResourceUnit {
    fn to_json(&self) -> Json {
        Fields::default()
            .message("resource", self.resource.as_ref())
            .u32("count", self.count)
            .message("price", self.price.as_ref())
            .done()
    }
}

impl ProtoJson for proto::GroupSpec {
    fn to_json(&self) -> Json {
        Fields::default()
            .str("name", &self.name)
            .message("requirements", self.requirements.as_ref())
            .messages("resources", &self.resources)
            .done()
    }
}

impl ProtoJson for proto::Deposit {
    fn to_json(&self) -> Json {
        let mut fields = Fields::default().message("amount", self.amount.as_ref());
        if !self.sources.is_empty() {
            let sources = self.sources.iter().map(|s| enum_json(*s, source_name)).collect();
            fields.0.push(("sources", Json::Arr(sources)));
        }
        fields.done()
    }
}

impl ProtoJson for proto::MsgCreateDeployment {
    fn to_json(&self) -> Json {
        Fields::default()
            .message("id", self.id.as_ref())
            .messages("groups", &self.groups)
            .bytes("hash", &self.hash)
            .message("deposit", self.deposit.as_ref())
            .message("reclamation", self.reclamation.as_ref())
            .done()
    }
}

impl ProtoJson for proto::MsgUpdateDeployment {
    fn to_json(&self) -> Json {
        Fields::default().message("id", self.id.as_ref()).bytes("hash", &self.hash).done()
    }
}

impl ProtoJson for proto::MsgCloseDeployment {
    fn to_json(&self) -> Json {
        Fields::default().message("id", self.id.as_ref()).done()
    }
}

impl ProtoJson for proto::MsgCloseGroup {
    fn to_json(&self) -> Json {
        Fields::default().message("id", self.id.as_ref()).done()
    }
}

impl ProtoJson for proto::MsgCreateLease {
    fn to_json(&self) -> Json {
        Fields::default().message("bid_id", self.bid_id.as_ref()).done()
    }
}

impl ProtoJson for proto::MsgCloseLease {
    fn to_json(&self) -> Json {
        Fields::default()
            .message("id", self.id.as_ref())
            .enumeration("reason", self.reason, lease_closed_reason_name)
            .done()
    }
}

impl ProtoJson for proto::EscrowAccount {
    fn to_json(&self) -> Json {
        Fields::default().enumeration("scope", self.scope, scope_name).str("xid", &self.xid).done()
    }
}

impl ProtoJson for proto::MsgAccountDeposit {
    fn to_json(&self) -> Json {
        Fields::default()
            .str("signer", &self.signer)
            .message("id", self.id.as_ref())
            .message("deposit", self.deposit.as_ref())
            .done()
    }
}

impl ProtoJson for proto::MsgMintAct {
    fn to_json(&self) -> Json {
        Fields::default()
            .str("owner", &self.owner)
            .str("to", &self.to)
            .message("coins_to_burn", self.coins_to_burn.as_ref())
            .done()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex_decode;
    use crate::msgs;

    /// chain.md §6.1.
    const ADDRESS: &str = "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh";

    fn any(type_url: &str, hex: &str) -> Any {
        Any { type_url: type_url.to_owned(), value: hex_decode(hex).expect("hex") }
    }

    fn text(any: &Any) -> String {
        message_json(any).to_go_compact()
    }

    /// chain.md §6.2's MsgCreateDeployment (built there with chain-sdk), written out by hand
    /// from the inputs §6.2 lists, in the form chain-sdk's `toJSON` gives: ResourceValues as
    /// base64 of their digits (`NTAw` = "500", `NTM2ODcwOTEy` = "536870912", `MA==` = "0"),
    /// the price's atomics as 10000, the SHARED_HTTP endpoint as `{}`.
    #[test]
    fn chain_md_create_deployment() {
        let value = "0a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d126e0a0664636c6f756412020a001a600a3b080112070a050a033530301a0d0a0b0a0935333638373039313222160a0764656661756c74120b0a093533363837303931322a050a030a0130320010011a1f0a0475616374121731303030303030303030303030303030303030303030301a200c6b37393460325b05639f1757a005ed627117c8d2f197b9541edd87942d0a5022120a0e0a047561637412063530303030302801";
        let expected = concat!(
            r#"{"@type":"/akash.deployment.v1beta4.MsgCreateDeployment","#,
            r#""id":{"owner":"akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh","dseq":"1000000"},"#,
            r#""groups":[{"name":"dcloud","requirements":{"signed_by":{}},"resources":[{"resource":{"id":1,"#,
            r#""cpu":{"units":{"val":"NTAw"}},"memory":{"quantity":{"val":"NTM2ODcwOTEy"}},"#,
            r#""storage":[{"name":"default","quantity":{"val":"NTM2ODcwOTEy"}}],"gpu":{"units":{"val":"MA=="}},"#,
            r#""endpoints":[{}]},"count":1,"price":{"denom":"uact","amount":"10000"}}]}],"#,
            r#""hash":"DGs3OTRgMlsFY58XV6AF7WJxF8jS8Ze5VB7dh5QtClA=","#,
            r#""deposit":{"amount":{"denom":"uact","amount":"500000"},"sources":["balance"]}}"#,
        );
        assert_eq!(text(&any("/akash.deployment.v1beta4.MsgCreateDeployment", value)), expected);
    }

    /// chain.md §6.3: bseq 0 is a default, so it is left out.
    #[test]
    fn chain_md_lease_and_close() {
        let lease = "0a640a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d180120012a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d68";
        assert_eq!(
            text(&any("/akash.market.v1beta5.MsgCreateLease", lease)),
            format!(
                r#"{{"@type":"/akash.market.v1beta5.MsgCreateLease","bid_id":{{"owner":"{ADDRESS}","dseq":"1000000","gseq":1,"oseq":1,"provider":"{ADDRESS}"}}}}"#
            )
        );
        let close =
            "0a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d";
        assert_eq!(
            text(&any("/akash.deployment.v1beta4.MsgCloseDeployment", close)),
            format!(
                r#"{{"@type":"/akash.deployment.v1beta4.MsgCloseDeployment","id":{{"owner":"{ADDRESS}","dseq":"1000000"}}}}"#
            )
        );
    }

    #[test]
    fn other_messages() {
        let bid = msgs::BidId {
            owner: ADDRESS.to_owned(),
            dseq: u64::MAX,
            gseq: 2,
            oseq: 3,
            provider: ADDRESS.to_owned(),
            bseq: 4,
        };
        assert_eq!(
            message_json(&msgs::close_lease(&bid).expect("lease").to_any()).to_go_compact(),
            format!(
                r#"{{"@type":"/akash.market.v1beta5.MsgCloseLease","id":{{"owner":"{ADDRESS}","dseq":"18446744073709551615","gseq":2,"oseq":3,"provider":"{ADDRESS}","bseq":4}},"reason":"lease_closed_owner"}}"#
            )
        );
        let deposit = msgs::Deposit {
            amount: msgs::Coin::parse("5000uakt").expect("coin"),
            sources: vec![msgs::DepositSource::Grant, msgs::DepositSource::Balance],
        };
        let top_up = msgs::deposit_deployment(ADDRESS, ADDRESS, 7, &deposit).expect("deposit");
        assert_eq!(
            typed(&top_up).to_go_compact(),
            format!(
                r#"{{"@type":"/akash.escrow.v1.MsgAccountDeposit","signer":"{ADDRESS}","id":{{"scope":"deployment","xid":"{ADDRESS}/7"}},"deposit":{{"amount":{{"denom":"uakt","amount":"5000"}},"sources":["grant","balance"]}}}}"#
            )
        );
        assert_eq!(message_json(&top_up.to_any()), typed(&top_up));
        let mint = msgs::mint_act(ADDRESS, &msgs::Coin::parse("12uakt").expect("coin")).expect("mint");
        assert_eq!(
            message_json(&mint.to_any()).to_go_compact(),
            format!(
                r#"{{"@type":"/akash.bme.v1.MsgMintACT","owner":"{ADDRESS}","to":"{ADDRESS}","coins_to_burn":{{"denom":"uakt","amount":"12"}}}}"#
            )
        );
        let update = proto::MsgUpdateDeployment {
            id: Some(proto::DeploymentId { owner: ADDRESS.to_owned(), dseq: 1 }),
            hash: vec![0x0a, 0x0b],
        };
        assert_eq!(
            message_json(&update.to_any()).to_go_compact(),
            format!(
                r#"{{"@type":"/akash.deployment.v1beta4.MsgUpdateDeployment","id":{{"owner":"{ADDRESS}","dseq":"1"}},"hash":"Cgs="}}"#
            )
        );
        let group = proto::MsgCloseGroup { id: Some(proto::GroupId { owner: ADDRESS.to_owned(), dseq: 5, gseq: 1 }) };
        assert_eq!(
            message_json(&group.to_any()).to_go_compact(),
            format!(
                r#"{{"@type":"/akash.deployment.v1beta4.MsgCloseGroup","id":{{"owner":"{ADDRESS}","dseq":"5","gseq":1}}}}"#
            )
        );
    }

    #[test]
    fn reclamation_and_enums_without_names() {
        let message = proto::MsgCreateDeployment {
            reclamation: Some(proto::DeploymentReclamation {
                min_window: Some(proto::Duration { seconds: 86_400, nanos: 0 }),
            }),
            ..proto::MsgCreateDeployment::default()
        };
        assert_eq!(
            message_json(&message.to_any()).to_go_compact(),
            r#"{"@type":"/akash.deployment.v1beta4.MsgCreateDeployment","reclamation":{"min_window":{"seconds":"86400"}}}"#
        );
        let lease = proto::MsgCloseLease { id: None, reason: 7 };
        assert_eq!(
            message_json(&lease.to_any()).to_go_compact(),
            r#"{"@type":"/akash.market.v1beta5.MsgCloseLease","reason":7}"#
        );
        let endpoint = proto::Endpoint { kind: -3, sequence_number: 0 };
        assert_eq!(endpoint.to_json().to_go_compact(), r#"{"kind":"-3"}"#);
        let deposit = proto::Deposit { amount: None, sources: vec![0, 9] };
        assert_eq!(deposit.to_json().to_go_compact(), r#"{"sources":["invalid",9]}"#);
    }

    #[test]
    fn legacy_dec_atomics() {
        let cases = [
            ("10000000000000000000000", "10000"),
            ("500000000000000000", "0.5"),
            ("1", "0.000000000000000001"),
            ("0", "0"),
            ("000000000000000000010", "0.00000000000000001"),
            ("1234567890123456789012", "1234.567890123456789012"),
            ("-1500000000000000000", "-1.5"),
            ("1.5", "1.5"),
            ("-", "-"),
        ];
        for (atomics, decimal) in cases {
            assert_eq!(legacy_dec(atomics), decimal, "{atomics}");
        }
    }

    /// `encode_message` answers `{typeUrl, value, json}`, `json` decoded from `value`.
    #[test]
    fn encode_message_answers_with_the_json() {
        let request = format!(r#"{{"closeDeployment": {{"owner": "{ADDRESS}", "dseq": "1000000"}}}}"#);
        let answer = crate::request::encode_message(&request).expect("encoded");
        assert_eq!(
            answer.to_go_compact(),
            format!(
                r#"{{"typeUrl":"/akash.deployment.v1beta4.MsgCloseDeployment","value":"CjIKLGFrYXNoMXF1ZmEzeHpyZjM0cXZ3eWVqa2h2bmM0cHNmNDlmZnRhdzBhc21oEMCEPQ==","json":{{"@type":"/akash.deployment.v1beta4.MsgCloseDeployment","id":{{"owner":"{ADDRESS}","dseq":"1000000"}}}}}}"#
            )
        );
        // A message passed through as `{typeUrl, value}` gets its JSON too.
        let request = r#"{"typeUrl": "/x.y.MsgZ", "value": "AAE="}"#;
        let answer = crate::request::encode_message(request).expect("encoded");
        assert_eq!(
            answer.get("json").map(Json::to_go_compact).as_deref(),
            Some(r#"{"@type":"/x.y.MsgZ","value":"AAE="}"#)
        );
    }

    /// Anything the JSON could not show in full is shown as its bytes.
    #[test]
    fn raw_when_not_fully_understood() {
        let raw = |type_url: &str, value: Vec<u8>| {
            Json::Obj(vec![("@type", Json::Str(type_url.to_owned())), ("value", Json::Str(base64_encode(&value)))])
        };
        // An unknown type.
        let unknown = Any { type_url: "/cosmos.bank.v1beta1.MsgSend".to_owned(), value: vec![0x0a, 0x01, 0x61] };
        assert_eq!(message_json(&unknown), raw(&unknown.type_url, unknown.value.clone()));
        // Bytes that do not decode.
        let close = "/akash.deployment.v1beta4.MsgCloseDeployment";
        assert_eq!(message_json(&any(close, "0aff")), raw(close, vec![0x0a, 0xff]));
        // A field the schema here lacks (field 9 = 1) would be hidden by the JSON.
        let extra = "0a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d4801";
        assert_eq!(message_json(&any(close, extra)), raw(close, hex_decode(extra).expect("hex")));
        // Go's packed `sources` (`2a 01 01`): decodes, but the JSON is shown only for bytes it
        // re-encodes to exactly.
        let deposit = "/akash.escrow.v1.MsgAccountDeposit";
        let packed = "1a0e0a090a0475616b741201312a0101";
        assert_eq!(message_json(&any(deposit, packed)), raw(deposit, hex_decode(packed).expect("hex")));
        let unpacked = "1a0f0a090a0475616b7412013128012801";
        assert_eq!(
            text(&any(deposit, unpacked)),
            r#"{"@type":"/akash.escrow.v1.MsgAccountDeposit","deposit":{"amount":{"denom":"uakt","amount":"1"},"sources":["balance","balance"]}}"#
        );
        // An empty message of a known type.
        assert_eq!(text(&any(close, "")), format!(r#"{{"@type":"{close}"}}"#));
    }
}
