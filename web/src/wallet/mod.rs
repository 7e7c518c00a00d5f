//! Who signs: Keplr or Leap through their injected API ([`injected`]), or a dev key — a
//! mnemonic turned into a `leasekit-deploy` [`KeyWallet`] held only in Wasm memory, optionally
//! kept in `localStorage` encrypted with a passphrase ([`vault`]). Never stored or logged in
//! clear: the mnemonic field is emptied once the key is in use.
//!
//! [`AppWallet`] puts both behind `leasekit-deploy`'s [`Wallet`] trait, so the deploy flow does
//! not know which it has.

pub mod injected;
pub mod vault;

use std::sync::Arc;

use leasekit_client::browser::BrowserTransport;
use leasekit_deploy::wallet::{DirectSigned, KeyWallet, Wallet, WalletError};
use leasekit_tx::MnemonicSigner;
use leasekit_tx::tx::SignDoc;
use leptos::prelude::*;
use zeroize::Zeroizing;

use crate::browser;
use crate::network::NetworkState;
use injected::{Injected, Kind};
use vault::Sealed;

/// Where the encrypted dev key is kept.
pub const DEV_KEY_STORAGE: &str = browser::keys::DEV_KEY;
/// A connected wallet.
#[derive(Clone)]
pub enum AppWallet {
    /// Keplr or Leap.
    Injected(Arc<Injected>),
    /// A key in memory.
    Key(Arc<KeyWallet>),
}

impl std::fmt::Debug for AppWallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} wallet {}", self.kind(), self.address())
    }
}

impl AppWallet {
    /// "Keplr", "Leap" or "Dev key".
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            AppWallet::Injected(w) => w.kind.title(),
            AppWallet::Key(_) => "Dev key",
        }
    }
}

impl Wallet for AppWallet {
    fn address(&self) -> String {
        match self {
            AppWallet::Injected(w) => w.address.clone(),
            AppWallet::Key(w) => w.address(),
        }
    }

    fn public_key(&self) -> Vec<u8> {
        match self {
            AppWallet::Injected(w) => w.public_key.clone(),
            AppWallet::Key(w) => w.public_key(),
        }
    }

    async fn sign_direct(&self, doc: &SignDoc) -> Result<DirectSigned, WalletError> {
        match self {
            AppWallet::Injected(w) => w.sign_direct(doc).await,
            AppWallet::Key(w) => w.sign_direct(doc).await,
        }
    }

    async fn sign_arbitrary(&self, data: &str) -> Result<Vec<u8>, WalletError> {
        match self {
            AppWallet::Injected(w) => w.sign_arbitrary(data).await,
            AppWallet::Key(w) => w.sign_arbitrary(data).await,
        }
    }
}

/// The wallet state shared by the views.
#[derive(Clone, Copy)]
pub struct WalletState {
    /// The connected wallet.
    pub wallet: RwSignal<Option<AppWallet>>,
    /// The last failure, for the panel.
    pub error: RwSignal<Option<String>>,
    /// A connection is in progress.
    pub busy: RwSignal<bool>,
    /// The wallet used last is being reconnected by itself (after a reload): the panel says so
    /// instead of offering buttons that would only start a second connection.
    pub reconnecting: RwSignal<Option<Kind>>,
    reconnect_tried: StoredValue<bool>,
}

impl WalletState {
    /// Nothing connected.
    #[must_use]
    pub fn new() -> Self {
        Self {
            wallet: RwSignal::new(None),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            reconnecting: RwSignal::new(None),
            reconnect_tried: StoredValue::new(false),
        }
    }

    /// The connected account's address.
    #[must_use]
    pub fn address(&self) -> Option<String> {
        self.wallet.with(|w| w.as_ref().map(Wallet::address))
    }

    /// Connects Keplr or Leap to the current network (suggesting the devnet chain first).
    pub fn connect(self, kind: Kind, network: NetworkState) {
        self.busy.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let result = connect_injected(kind, network).await;
            self.busy.set(false);
            self.reconnecting.set(None);
            match result {
                Ok(wallet) => {
                    browser::save(browser::keys::INJECTED_WALLET, if kind == Kind::Leap { "leap" } else { "keplr" });
                    self.wallet.set(Some(AppWallet::Injected(Arc::new(wallet))));
                }
                Err(message) => self.error.set(Some(message)),
            }
        });
    }

    /// Reconnects the browser wallet used last time, once per page.
    pub fn reconnect(self, network: NetworkState) {
        if self.reconnect_tried.get_value() || self.wallet.with_untracked(Option::is_some) {
            return;
        }
        self.reconnect_tried.set_value(true);
        let kind = match browser::load(browser::keys::INJECTED_WALLET).as_deref() {
            Some("keplr") => Kind::Keplr,
            Some("leap") => Kind::Leap,
            _ => return,
        };
        if kind.present() {
            self.reconnecting.set(Some(kind));
            self.connect(kind, network);
        }
    }

    /// Uses a dev key.
    pub fn use_key(self, key: KeyWallet) {
        browser::remove(browser::keys::INJECTED_WALLET);
        self.error.set(None);
        self.wallet.set(Some(AppWallet::Key(Arc::new(key))));
    }

    /// Forgets the connected wallet (a dev key's secret is zeroized when its last copy drops).
    pub fn disconnect(self) {
        browser::remove(browser::keys::INJECTED_WALLET);
        self.wallet.set(None);
    }
}

impl Default for WalletState {
    fn default() -> Self {
        Self::new()
    }
}

/// The chain id of the current network (`leasekit-deploy`'s lookup, over the browser's fetch).
pub async fn chain_id(network: &leasekit_deploy::network::Network) -> Result<String, String> {
    network.chain_id(BrowserTransport::new()).await
}

async fn connect_injected(kind: Kind, network: NetworkState) -> Result<Injected, String> {
    let network = network.current.get_untracked();
    let chain_id = chain_id(&network).await?;
    // Wallets know mainnet and the sandbox; a local devnet must be described to them first.
    let suggest = (network.name == "devnet").then(|| injected::chain_info(&network, &chain_id));
    Injected::connect(kind, &chain_id, suggest).await.map_err(|e| e.message)
}

/// Which form the dev-key part of the panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyForm {
    Closed,
    New,
    Unlock,
}

/// The wallet buttons, the dev-key forms and, when connected, the address.
#[component]
pub fn WalletPanel(
    /// The shared wallet state.
    state: WalletState,
    /// The network to connect to.
    network: NetworkState,
) -> impl IntoView {
    state.reconnect(network);
    let stored = RwSignal::new(browser::load(DEV_KEY_STORAGE));
    let form = RwSignal::new(if stored.get_untracked().is_some() { KeyForm::Unlock } else { KeyForm::Closed });
    let mnemonic = RwSignal::new(String::new());
    let passphrase = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let key_error = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);

    let generate = move |_| match vault::random_bytes::<32>() {
        Ok(entropy) => {
            let phrase = MnemonicSigner::generate_mnemonic(&entropy);
            mnemonic.set(phrase.to_string());
        }
        Err(message) => key_error.set(Some(message)),
    };
    let use_key = move |_| {
        let phrase = Zeroizing::new(mnemonic.get_untracked());
        let key = match KeyWallet::from_mnemonic(&phrase, 0) {
            Ok(key) => key,
            Err(e) => return key_error.set(Some(e.message)),
        };
        let pass = Zeroizing::new(passphrase.get_untracked());
        if remember.get_untracked() && pass.is_empty() {
            return key_error.set(Some("Choose a passphrase to encrypt the key with.".to_owned()));
        }
        key_error.set(None);
        mnemonic.set(String::new());
        passphrase.set(String::new());
        if !remember.get_untracked() {
            form.set(KeyForm::Closed);
            return state.use_key(key);
        }
        working.set(true);
        leptos::task::spawn_local(async move {
            let sealed = vault::seal(&pass, phrase.as_bytes(), &key.address()).await;
            working.set(false);
            match sealed {
                Ok(sealed) => {
                    let json = sealed.to_json();
                    browser::save(DEV_KEY_STORAGE, &json);
                    stored.set(Some(json));
                    form.set(KeyForm::Closed);
                    state.use_key(key);
                }
                Err(message) => key_error.set(Some(message)),
            }
        });
    };
    let unlock = move |_| {
        let Some(json) = stored.get_untracked() else { return };
        let pass = Zeroizing::new(passphrase.get_untracked());
        working.set(true);
        key_error.set(None);
        leptos::task::spawn_local(async move {
            let result = async {
                let sealed = Sealed::from_json(&json)?;
                let plain = vault::open(&pass, &sealed).await?;
                let phrase = std::str::from_utf8(&plain).map_err(|_| "the stored key is damaged".to_owned())?;
                KeyWallet::from_mnemonic(phrase, 0).map_err(|e| e.message)
            }
            .await;
            working.set(false);
            match result {
                Ok(key) => {
                    passphrase.set(String::new());
                    form.set(KeyForm::Closed);
                    state.use_key(key);
                }
                Err(message) => key_error.set(Some(message)),
            }
        });
    };
    let forget = move |_| {
        browser::remove(DEV_KEY_STORAGE);
        stored.set(None);
        passphrase.set(String::new());
        key_error.set(None);
        form.set(KeyForm::New);
    };

    let connected = move || {
        state.wallet.get().map(|wallet| {
            let address = wallet.address();
            view! {
                <p class="wallet-connected">
                    <span class="wallet-kind">{wallet.kind()}</span>
                    <code class="address" data-testid="wallet-address">
                        {address}
                    </code>
                    <button type="button" class="button" on:click=move |_| state.disconnect()>
                        "Disconnect"
                    </button>
                </p>
            }
        })
    };
    let new_key_form = move || {
        view! {
            <form class="key-form" on:submit=|event| event.prevent_default()>
                <label class="field wide">
                    <span>"Mnemonic"</span>
                    <textarea
                        rows="2"
                        spellcheck="false"
                        autocomplete="off"
                        prop:value=move || mnemonic.get()
                        on:input=move |event| mnemonic.set(event_target_value(&event))
                    ></textarea>
                </label>
                <button type="button" class="button" on:click=generate>
                    "Generate"
                </button>
                <label class="field">
                    <span>"Passphrase"</span>
                    <input
                        type="password"
                        autocomplete="new-password"
                        prop:value=move || passphrase.get()
                        on:input=move |event| passphrase.set(event_target_value(&event))
                    />
                </label>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || remember.get()
                        on:change=move |event| remember.set(event_target_checked(&event))
                    />
                    "Remember on this device (encrypted)"
                </label>
                <button type="button" class="button primary" disabled=move || working.get() on:click=use_key>
                    "Use this key"
                </button>
                <p class="hint">
                    "For test networks. The key stays in this page’s memory; with “Remember”, only its encrypted form is stored."
                </p>
            </form>
        }
    };
    let unlock_form = move || {
        let address = stored.with(|s| s.as_deref().and_then(|s| Sealed::from_json(s).ok()).map(|s| s.address));
        view! {
            <form class="key-form" on:submit=|event| event.prevent_default()>
                <p class="hint">
                    "A dev key is stored on this device, encrypted"
                    {address.map(|a| view! { " (" <code>{a}</code> ")" })}
                    "."
                </p>
                <label class="field">
                    <span>"Passphrase"</span>
                    <input
                        type="password"
                        autocomplete="current-password"
                        prop:value=move || passphrase.get()
                        on:input=move |event| passphrase.set(event_target_value(&event))
                        on:keydown=move |event| {
                            if event.key() == "Enter" {
                                unlock(());
                            }
                        }
                    />
                </label>
                <button type="button" class="button primary" disabled=move || working.get() on:click=move |_| unlock(())>
                    "Unlock"
                </button>
                <button type="button" class="button" on:click=forget>
                    "Forget key"
                </button>
            </form>
        }
    };
    let disconnected = move || {
        view! {
            <div class="wallet-buttons">
                <button type="button" class="button" disabled=move || state.busy.get() on:click=move |_| state.connect(Kind::Keplr, network)>
                    "Connect Keplr"
                </button>
                <button type="button" class="button" disabled=move || state.busy.get() on:click=move |_| state.connect(Kind::Leap, network)>
                    "Connect Leap"
                </button>
                <button
                    type="button"
                    class="button"
                    aria-expanded=move || (form.get() != KeyForm::Closed).to_string()
                    on:click=move |_| {
                        form.set(if stored.with_untracked(Option::is_some) { KeyForm::Unlock } else { KeyForm::New })
                    }
                >
                    "Use a dev key"
                </button>
            </div>
            {move || match form.get() {
                KeyForm::Closed => ().into_any(),
                KeyForm::New => new_key_form().into_any(),
                KeyForm::Unlock => unlock_form().into_any(),
            }}
        }
    };

    view! {
        <div class="wallet-panel">
            {move || match (state.wallet.with(Option::is_some), state.reconnecting.get()) {
                (true, _) => connected().into_any(),
                (false, Some(kind)) => view! {
                    <p class="hint" role="status" data-testid="wallet-reconnecting">
                        {format!("Reconnecting to {}…", kind.title())}
                    </p>
                }
                .into_any(),
                (false, None) => disconnected().into_any(),
            }}
            {move || state.busy.get().then(|| view! { <p class="hint" role="status">"Waiting for the wallet…"</p> })}
            {move || {
                state
                    .error
                    .get()
                    .or_else(|| key_error.get())
                    .map(|message| view! { <p class="field-error" role="alert">{message}</p> })
            }}
        </div>
    }
}
