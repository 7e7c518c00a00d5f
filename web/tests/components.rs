//! The playground's components mounted in headless Chromium (`wasm-bindgen-test`), below the
//! end-to-end tests in `tests/e2e/`: what each component renders for an engine result, and what
//! it reports back.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leasekit_web::analysis::{Analysis, DiagnosticView};
use leasekit_web::components::{DiagnosticList, Editor};
use leasekit_web::examples::DEFAULT_EXAMPLE;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn undeclared_endpoint_sdl() -> String {
    DEFAULT_EXAMPLE
        .source
        .replace("ip: myendpoint", "ip: nope")
        .replace("endpoints:\n  myendpoint:\n    kind: ip\n", "")
}

/// A fresh element in the page's body to mount into.
fn container() -> web_sys::HtmlElement {
    let element = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&element).expect("append");
    element.unchecked_into()
}

fn find(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector).expect("selector").unwrap_or_else(|| panic!("no {selector}")).unchecked_into()
}

#[wasm_bindgen_test]
async fn a_diagnostic_shows_its_position_and_reports_a_click() {
    let analysis = Arc::new(Analysis::of(&undeclared_endpoint_sdl()));
    let expected = analysis.diagnostics[0].clone();
    let selected = RwSignal::new(None::<DiagnosticView>);
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <DiagnosticList
                analysis=Signal::stored(analysis.clone())
                on_select=Callback::new(move |diagnostic| selected.set(Some(diagnostic)))
            />
        }
    });

    let item = find(&root, "[data-testid=diagnostic]");
    assert_eq!(item.get_attribute("data-code").as_deref(), Some("unknown-endpoint"));
    assert_eq!(item.get_attribute("data-severity").as_deref(), Some("error"));
    assert_eq!(
        find(&item, "[data-testid=diagnostic-position]").text_content(),
        Some(format!("line {}, column {}", expected.line, expected.column))
    );
    assert!(root.query_selector("[data-testid=diagnostic-reference]").expect("selector").is_some());
    assert_eq!(
        find(&item, "[data-testid=diagnostic-hint] code").text_content().as_deref(),
        Some("endpoints: {nope: {kind: ip}}")
    );

    item.click();
    tick().await;
    assert_eq!(selected.get_untracked(), Some(expected));
}

#[wasm_bindgen_test]
async fn no_diagnostics_says_so() {
    let analysis = Arc::new(Analysis::of(DEFAULT_EXAMPLE.source));
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! { <DiagnosticList analysis=Signal::stored(analysis.clone()) on_select=Callback::new(|_| {}) /> }
    });
    assert!(root.query_selector("[data-testid=no-diagnostics]").expect("selector").is_some());
    assert!(root.query_selector("[data-testid=diagnostic]").expect("selector").is_none());
}

#[wasm_bindgen_test]
async fn the_gutter_follows_the_text_and_marks_error_lines() {
    let source = RwSignal::new("a\nb".to_owned());
    let analysis = Arc::new(Analysis::of(&undeclared_endpoint_sdl()));
    let error_line = analysis.diagnostics[0].line;
    let edits = RwSignal::new(Vec::<String>::new());
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Editor
                text=Signal::stored("a\nb".to_owned())
                source=source
                analysis=Signal::stored(analysis.clone())
                on_edit=Callback::new(move |text| edits.update(|edits| edits.push(text)))
                node_ref=NodeRef::new()
            />
        }
    });
    let numbers = find(&root, "[data-testid=gutter] .line-numbers");
    assert_eq!(numbers.text_content().as_deref(), Some("1\n2"));
    source.set("a\nb\nc\n".to_owned());
    tick().await;
    assert_eq!(numbers.text_content().as_deref(), Some("1\n2\n3\n4"));

    let mark = find(&root, "[data-testid=gutter-mark]");
    assert_eq!(mark.get_attribute("data-line"), Some(error_line.to_string()));
    assert_eq!(mark.get_attribute("data-severity").as_deref(), Some("error"));

    let editor: web_sys::HtmlTextAreaElement = find(&root, "[data-testid=editor]").unchecked_into();
    assert_eq!(editor.value(), "a\nb");
    editor.set_value("a\nb!");
    editor.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
    assert_eq!(edits.get_untracked(), ["a\nb!"]);
}

// --- the deploy app ------------------------------------------------------------------------

use leasekit_client::provider::{LeaseStatus, LeaseStatusState, LeasedIp, ServiceStatus};
use leasekit_deploy::lease::IpCard;
use leasekit_deploy::state::{DeployState, Step};
use leasekit_deploy::wallet::{KeyWallet, Wallet as _};
use leasekit_tx::msgs::BidId;
use leasekit_web::deploy::{DeployCtl, DeployView, STATE_KEY};
use leasekit_web::lease::IpCardView;
use leasekit_web::network::{Config, NetworkState};
use leasekit_web::playground::SdlText;
use leasekit_web::wallet::{DEV_KEY_STORAGE, WalletPanel, WalletState};

/// BIP-39's all-zero-entropy test phrase (a published test vector, not a secret).
const TEST_MNEMONIC: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

/// A web service with TCP 80 and UDP 27015 on one leased IP (written for these tests).
const IP_UDP_SDL: &str = r#"version: "2.0"
services:
  web:
    image: nginx:1.27
    expose:
      - port: 80
        as: 80
        to:
          - global: true
            ip: public
      - port: 27015
        as: 27015
        proto: udp
        to:
          - global: true
            ip: public
profiles:
  compute:
    web:
      resources:
        cpu:
          units: 0.5
        memory:
          size: 512Mi
        storage:
          size: 1Gi
  placement:
    dcloud:
      pricing:
        web:
          denom: uact
          amount: 1000
deployment:
  web:
    dcloud:
      profile: web
      count: 1
endpoints:
  public:
    kind: ip
"#;

fn storage() -> web_sys::Storage {
    window().local_storage().expect("storage").expect("localStorage")
}

fn all_text(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.text_content().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The button whose text is `name`.
fn button(root: &web_sys::HtmlElement, name: &str) -> web_sys::HtmlElement {
    let list = root.query_selector_all("button").expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .find(|node| node.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button {name}"))
        .unchecked_into()
}

/// The form control inside the `<label>` whose text starts with `name`.
fn labelled(root: &web_sys::HtmlElement, name: &str) -> web_sys::HtmlElement {
    let list = root.query_selector_all("label").expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.unchecked_into::<web_sys::HtmlElement>())
        .find(|label| label.text_content().unwrap_or_default().trim().starts_with(name))
        .and_then(|label| label.query_selector("input, textarea, select").expect("selector"))
        .unwrap_or_else(|| panic!("no field labelled {name}"))
        .unchecked_into()
}

fn type_into(field: &web_sys::HtmlElement, text: &str) {
    let _ = js_sys::Reflect::set(field, &"value".into(), &text.into());
    field.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
}

/// Lets timers and promises run for `ms` (between polls of a condition, never as the check).
async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Polls `done` until it holds, for at most ten seconds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        pause(20).await;
    }
    panic!("timed out waiting for {what}");
}

/// Each row of `table` as its cells' texts joined by spaces (what a reader sees on one line).
fn rows(root: &web_sys::HtmlElement, table: &str) -> Vec<String> {
    let list = root.query_selector_all(&format!("{table} tbody tr")).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|row| {
            let row: web_sys::Element = row.unchecked_into();
            let cells = row.query_selector_all("td").expect("selector");
            (0..cells.length())
                .filter_map(|i| cells.item(i))
                .map(|cell| cell.text_content().unwrap_or_default().trim().to_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn has(root: &web_sys::HtmlElement, selector: &str) -> bool {
    root.query_selector(selector).expect("selector").is_some()
}

#[wasm_bindgen_test]
async fn the_review_shows_the_order_and_the_exact_message_before_signing() {
    storage().remove_item(STATE_KEY).expect("clear");
    storage().remove_item("leasekit.deposit").expect("clear");
    let key = KeyWallet::from_mnemonic(TEST_MNEMONIC, 0).expect("test mnemonic");
    let owner = key.address();
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        let network = NetworkState::new(Config::default());
        let wallet = WalletState::new();
        wallet.use_key(KeyWallet::from_mnemonic(TEST_MNEMONIC, 0).expect("test mnemonic"));
        let ctl = DeployCtl::new(network, wallet, SdlText::new(IP_UDP_SDL.to_owned()));
        view! { <DeployView ctl=ctl on_notice=Callback::new(|_| {}) /> }
    });
    // Property bindings (an input's value) are applied by render effects.
    tick().await;
    assert_eq!(find(&root, "#review-heading").text_content().as_deref(), Some("Review the order"));
    let deposit: web_sys::HtmlInputElement = labelled(&root, "Deposit").unchecked_into();
    assert_eq!(deposit.value(), "500000uact");
    let lines = all_text(&root, ".order-lines li");
    // From the SDL above: one service with its image, one IP endpoint carrying both ports.
    assert!(lines.iter().any(|l| l.contains("web") && l.contains("nginx:1.27")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("IPs to lease: 1 address")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("27015") && l.contains("UDP")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("Price:") && l.contains("1000")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("Deposit: 0.5 ACT (500000uact;")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("Fee:")), "{lines:?}");

    assert_eq!(find(&root, "details.message-json summary").text_content().as_deref(), Some("Message JSON"));
    let json = find(&root, "[data-testid=message-json]").text_content().unwrap_or_default();
    // chain.md: the create message's type URL; the owner is the signing account; the version
    // hash is base64 of the 32 bytes the SDL engine computes.
    assert!(json.contains("/akash.deployment.v1beta4.MsgCreateDeployment"), "{json}");
    assert!(json.contains(&owner), "{json}");
    let version = leasekit_sdl::build(IP_UDP_SDL).output.expect("valid SDL").version;
    assert!(json.contains(&leasekit_tx::encoding::base64_encode(&version)), "{json}");
    // The readable form beside it: the same hash in hex, the deposit in ACT.
    let readable = find(&root, "[data-testid=message-json-readable]").text_content().unwrap_or_default();
    assert!(readable.contains(&leasekit_tx::encoding::hex_lower(&version)), "{readable}");
    assert!(readable.contains("0.5 ACT (500000uact)"), "{readable}");
    // Nothing is signed yet: every step is pending, the sign button waits for a click.
    assert_eq!(all_text(&root, "[data-step][data-state=pending]").len(), 5);
    assert!(!button(&root, "Sign and create deployment").unchecked_ref::<web_sys::HtmlButtonElement>().disabled());

    // A deposit edit shows at once.
    let _ = js_sys::Reflect::set(&deposit, &"value".into(), &"600000uact".into());
    deposit.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    until("the new deposit in the order", || {
        all_text(&root, ".order-lines li").iter().any(|l| l.starts_with("Deposit: 0.6 ACT (600000uact;"))
    })
    .await;
    storage().remove_item("leasekit.deposit").expect("clear");
}

#[wasm_bindgen_test]
async fn the_dev_key_is_stored_encrypted_and_unlocks_only_with_its_passphrase() {
    storage().remove_item(DEV_KEY_STORAGE).expect("clear");
    let expected = KeyWallet::from_mnemonic(TEST_MNEMONIC, 0).expect("test mnemonic").address();
    let passphrase = "correct horse battery staple";
    let root = container();
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        let network = NetworkState::new(Config::default());
        view! { <WalletPanel state=WalletState::new() network=network /> }
    });
    button(&root, "Use a dev key").click();
    tick().await;
    type_into(&labelled(&root, "Mnemonic"), TEST_MNEMONIC);
    type_into(&labelled(&root, "Passphrase"), passphrase);
    let remember: web_sys::HtmlInputElement = labelled(&root, "Remember on this device").unchecked_into();
    remember.set_checked(true);
    remember.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    button(&root, "Use this key").click();
    until("the address", || has(&root, "[data-testid=wallet-address]")).await;
    assert_eq!(find(&root, "[data-testid=wallet-address]").text_content(), Some(expected.clone()));

    // Stored: ciphertext, salt and IV only — no word of the phrase, not the passphrase.
    let everything: String = (0..storage().length().expect("length"))
        .filter_map(|i| storage().key(i).ok().flatten())
        .map(|k| format!("{k}={}", storage().get_item(&k).ok().flatten().unwrap_or_default()))
        .collect();
    assert!(!everything.contains("abandon") && !everything.contains("about"), "{everything}");
    assert!(!everything.contains(passphrase));
    let stored = storage().get_item(DEV_KEY_STORAGE).expect("read").expect("stored key");
    for field in ["\"ciphertext\"", "\"salt\"", "\"iv\"", "\"iterations\":600000"] {
        assert!(stored.contains(field), "{stored}");
    }
    drop(mounted);

    // A fresh page: locked, a wrong passphrase is refused, the right one gives the same key.
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        let network = NetworkState::new(Config::default());
        view! { <WalletPanel state=WalletState::new() network=network /> }
    });
    assert!(!has(&root, "[data-testid=wallet-address]"));
    type_into(&labelled(&root, "Passphrase"), "wrong passphrase");
    button(&root, "Unlock").click();
    until("the refusal", || has(&root, "[role=alert]")).await;
    assert!(find(&root, "[role=alert]").text_content().unwrap_or_default().contains("Wrong passphrase"));
    assert!(!has(&root, "[data-testid=wallet-address]"));
    type_into(&labelled(&root, "Passphrase"), passphrase);
    button(&root, "Unlock").click();
    until("the unlocked address", || has(&root, "[data-testid=wallet-address]")).await;
    assert_eq!(find(&root, "[data-testid=wallet-address]").text_content(), Some(expected));
    storage().remove_item(DEV_KEY_STORAGE).expect("clear");
}

fn lease_id() -> BidId {
    BidId {
        owner: "akash1tenant".to_owned(),
        dseq: 7,
        gseq: 1,
        oseq: 1,
        provider: "akash1provider".to_owned(),
        bseq: 1,
    }
}

#[wasm_bindgen_test]
async fn the_ip_card_shows_tcp_and_udp_ports_and_the_waiting_state() {
    let manifest = leasekit_sdl::build(IP_UDP_SDL).output.expect("valid SDL").manifest;
    let ip = |port, external_port, protocol: &str| LeasedIp {
        port,
        external_port,
        protocol: protocol.to_owned(),
        ip: "203.0.113.10".to_owned(),
    };
    let status = LeaseStatus {
        services: [(
            "web".to_owned(),
            ServiceStatus { available: 1, total: 1, uris: vec!["web.example".to_owned()], ..ServiceStatus::default() },
        )]
        .into_iter()
        .collect(),
        forwarded_ports: None,
        ips: Some([("web".to_owned(), vec![ip(80, 80, "TCP"), ip(27015, 27015, "UDP")])].into_iter().collect()),
    };
    let ready = IpCard::from_status(&lease_id(), &LeaseStatusState::Ready(status), Some(&manifest));
    let waiting = IpCard::from_status(&lease_id(), &LeaseStatusState::IpPending, Some(&manifest));
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <div class="ready">
                <IpCardView card=ready.clone() on_notice=Callback::new(|_| {}) />
            </div>
            <div class="waiting">
                <IpCardView card=waiting.clone() on_notice=Callback::new(|_| {}) />
            </div>
        }
    });
    let ready = find(&root, ".ready [data-testid=ip-card]");
    assert_eq!(all_text(&ready, "[data-testid=leased-ip]"), ["203.0.113.10"]);
    assert_eq!(find(&ready, "table").get_attribute("aria-label").as_deref(), Some("Port map"));
    assert_eq!(
        rows(&ready, "table"),
        ["203.0.113.10 80 → 80 TCP web public", "203.0.113.10 27015 → 27015 UDP web public"]
    );
    assert!(all_text(&ready, "button").contains(&"Copy IP".to_owned()));
    assert!(all_text(&ready, ".services").concat().contains("web.example"));
    assert!(!ready.text_content().unwrap_or_default().contains("Waiting for IP"));

    let waiting = find(&root, ".waiting [data-testid=ip-card]");
    assert!(waiting.text_content().unwrap_or_default().contains("Waiting for IP"));
    assert!(all_text(&waiting, "[data-testid=leased-ip]").is_empty());
    // The ports the SDL asks for, without an address yet.
    assert_eq!(rows(&waiting, "table"), ["waiting 80 → 80 TCP web public", "waiting 27015 → 27015 UDP web public"]);
}

#[wasm_bindgen_test]
async fn a_saved_deploy_state_brings_the_deploy_view_back_at_its_step() {
    let mut state = DeployState::new("devnet", "akash1tenant", IP_UDP_SDL, "500000uact");
    state.dseq = Some(42);
    state.step = Step::Bidding { dseq: 42 };
    storage().set_item(STATE_KEY, &state.to_json()).expect("save");
    let mount = || {
        let root = container();
        let handle = leptos::mount::mount_to(root.clone(), move || {
            let network = NetworkState::new(Config::default());
            let ctl = DeployCtl::new(network, WalletState::new(), SdlText::new(String::new()));
            view! { <DeployView ctl=ctl on_notice=Callback::new(|_| {}) /> }
        });
        (root, handle)
    };
    let states = |root: &web_sys::HtmlElement| {
        let list = root.query_selector_all("ol[aria-label='Deploy progress'] li").expect("selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| {
                let e: web_sys::Element = n.unchecked_into();
                (e.get_attribute("data-step").unwrap_or_default(), e.get_attribute("data-state").unwrap_or_default())
            })
            .collect::<Vec<_>>()
    };
    let expected: Vec<(String, String)> =
        [("create", "done"), ("bids", "active"), ("accept", "pending"), ("manifest", "pending"), ("live", "pending")]
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
    let (root, first) = mount();
    assert_eq!(states(&root), expected);
    // Past the review: no second "Sign and create deployment" is offered.
    assert!(!has(&root, "#review-heading"));
    drop(first);
    let (root, _second) = mount();
    assert_eq!(states(&root), expected);
    storage().remove_item(STATE_KEY).expect("clear");
}
