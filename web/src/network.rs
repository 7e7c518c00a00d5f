//! The network picker: devnet, sandbox or mainnet, each with its chain REST and proxy URL
//! editable and kept in `localStorage`.
//!
//! Defaults come from `leasekit-deploy`'s presets, overridden for the network `./config.json`
//! names by that file's URLs, overridden by what the tenant typed. `web/static/config.json`
//! ships `{"network": "devnet"}` (the presets); `cargo xtask serve` replaces it with its
//! devnet's URLs, and a host deploying the app edits it.

use leasekit_client::browser::BrowserTransport;
use leasekit_client::{HttpRequest, Transport as _};
use leasekit_deploy::network::{NETWORK_NAMES, Network};
use leptos::prelude::*;

use crate::browser;
use crate::browser::keys;

/// What `./config.json` said: the network it names, or why it could not be read.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The configured network, with its URLs.
    pub network: Option<Network>,
    /// Why the file could not be used, when it exists but is broken or unreachable.
    pub error: Option<String>,
}

/// Fetches `./config.json` (before the app mounts, so the first render already shows the
/// configured network). A missing file is no error: the presets apply.
pub async fn fetch_config() -> Config {
    let response = match BrowserTransport::new().send(HttpRequest::new("GET", "./config.json")).await {
        Ok(response) => response,
        Err(e) => return Config { network: None, error: Some(format!("./config.json could not be fetched: {e}")) },
    };
    match response.status {
        200 => match Network::from_config_json(&response.text()) {
            Ok(network) => Config { network: Some(network), error: None },
            Err(message) => Config { network: None, error: Some(format!("./config.json: {message}")) },
        },
        404 => Config::default(),
        status => Config { network: None, error: Some(format!("./config.json answered HTTP {status}")) },
    }
}

/// The network state shared by the views.
#[derive(Clone, Copy)]
pub struct NetworkState {
    /// The network in use, with the tenant's URLs.
    pub current: RwSignal<Network>,
    config: StoredValue<Option<Network>>,
    /// Why `./config.json` could not be used.
    pub config_error: RwSignal<Option<String>>,
}

impl NetworkState {
    /// The saved choice, else the configured network, else devnet.
    #[must_use]
    pub fn new(config: Config) -> Self {
        let configured = config.network.as_ref().map(|n| n.name.clone());
        let state = Self {
            current: RwSignal::new(devnet_fallback()),
            config: StoredValue::new(config.network),
            config_error: RwSignal::new(config.error),
        };
        let saved = browser::load(keys::NETWORK).filter(|n| NETWORK_NAMES.contains(&n.as_str()));
        let name = saved.or(configured).unwrap_or_else(|| "devnet".to_owned());
        state.current.set(state.settings(&name));
        state
    }

    /// Network `name` as the tenant has it: preset, then config.json, then saved URLs.
    #[must_use]
    pub fn settings(&self, name: &str) -> Network {
        let mut network = match self.config.get_value() {
            Some(config) if config.name == name => config,
            _ => Network::preset(name).unwrap_or_else(devnet_fallback),
        };
        if let Some(rest) = browser::load(&keys::network_url(name, "rest")) {
            network.chain_rest = rest;
        }
        if let Some(proxy) = browser::load(&keys::network_url(name, "proxy")) {
            network.proxy = proxy;
        }
        network
    }

    /// Switches to network `name` and remembers the choice.
    pub fn choose(&self, name: &str) {
        browser::save(keys::NETWORK, name);
        self.current.set(self.settings(name));
    }

    /// Sets the current network's chain REST URL (`rest`) or proxy URL (`proxy`) and saves it.
    pub fn set_url(&self, what: &'static str, value: String) {
        let name = self.current.with_untracked(|n| n.name.clone());
        let value = value.trim().trim_end_matches('/').to_owned();
        browser::save(&keys::network_url(&name, what), &value);
        self.current.update(|network| match what {
            "rest" => network.chain_rest = value,
            _ => network.proxy = value,
        });
    }
}

fn devnet_fallback() -> Network {
    Network::presets().into_iter().next().unwrap_or_else(|| Network {
        name: "devnet".to_owned(),
        chain_id: None,
        chain_rest: String::new(),
        rest_endpoints: Vec::new(),
        proxy: String::new(),
        fee_denom: "uakt".to_owned(),
        gas_price: "0.025".to_owned(),
        gas_adjustment_percent: 150,
        fallback_gas: 800_000,
        block_time_ms: 1_000,
    })
}

/// The network select and its two URLs.
#[component]
pub fn NetworkPanel(
    /// The shared network state.
    state: NetworkState,
) -> impl IntoView {
    let current = state.current;
    let options = NETWORK_NAMES
        .iter()
        .map(|name| view! { <option value=*name selected=move || current.with(|n| n.name == *name)>{*name}</option> })
        .collect_view();
    view! {
        <div class="network-panel">
            <label class="field">
                <span>"Network"</span>
                <select
                    aria-label="Network"
                    prop:value=move || current.with(|n| n.name.clone())
                    on:change=move |event| state.choose(&event_target_value(&event))
                >
                    {options}
                </select>
            </label>
            <label class="field wide">
                <span>"Chain REST URL"</span>
                <input
                    type="url"
                    spellcheck="false"
                    list="chain-rest-endpoints"
                    prop:value=move || current.with(|n| n.chain_rest.clone())
                    on:change=move |event| state.set_url("rest", event_target_value(&event))
                />
                // The network's well-known public endpoints, offered as the field's choices.
                <datalist id="chain-rest-endpoints">
                    {move || current.with(|n| n.rest_endpoints.iter().map(|url| view! { <option value=url.clone()></option> }).collect_view())}
                </datalist>
            </label>
            <label class="field wide">
                <span>"Proxy URL"</span>
                <input
                    type="url"
                    spellcheck="false"
                    placeholder="https://your-leasekit-proxy.example"
                    prop:value=move || current.with(|n| n.proxy.clone())
                    on:change=move |event| state.set_url("proxy", event_target_value(&event))
                />
            </label>
            <p class="hint network-summary" data-testid="network-summary">{move || current.with(Network::summary)}</p>
            {move || {
                current.with(|n| n.proxy.is_empty()).then(|| {
                    let origin = window().location().origin().unwrap_or_default();
                    let command = current.with(|n| n.proxy_command(&origin));
                    view! {
                        <p class="hint">
                            "Providers are reached through a Leasekit proxy, which checks each provider's certificate \
                             against the chain. Run one and enter its URL above: "
                            <code>{command}</code>
                        </p>
                    }
                })
            }}
            {move || {
                state.config_error.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })
            }}
        </div>
    }
}
