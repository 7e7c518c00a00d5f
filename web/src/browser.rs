//! The browser APIs the app uses beyond the DOM. Each one fails soft: storage can be
//! disabled, the clipboard needs a secure context, and the playground must keep working without
//! either.

use leptos::prelude::window;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Every `localStorage` key the app writes, in one place: what a visit leaves behind is listed
/// here, and two features cannot share a key by accident. No key holds a secret in clear (the
/// dev key is stored only encrypted, see `wallet::vault`).
pub mod keys {
    /// The last edited SDL.
    pub const SDL: &str = "leasekit.playground.sdl";
    /// The deploy wizard's state (`leasekit-deploy`'s `DeployState` JSON, no secrets).
    pub const DEPLOY_STATE: &str = "leasekit.deploy";
    /// The deposit field.
    pub const DEPOSIT: &str = "leasekit.deposit";
    /// The bids table's "Only IP-capable providers".
    pub const ONLY_IP_BIDS: &str = "leasekit.bids.onlyIp";
    /// The chosen network.
    pub const NETWORK: &str = "leasekit.network";
    /// The injected wallet used last (`keplr` or `leap`), reconnected on load.
    pub const INJECTED_WALLET: &str = "leasekit.wallet";
    /// The encrypted dev key.
    pub const DEV_KEY: &str = "leasekit.devkey";

    /// A URL the tenant typed for `network` (`what`: `rest` or `proxy`).
    #[must_use]
    pub fn network_url(network: &str, what: &str) -> String {
        format!("leasekit.network.{network}.{what}")
    }

    /// The SDL of deployment `dseq` on `network`, for its card and env injection.
    #[must_use]
    pub fn deployment_sdl(network: &str, dseq: u64) -> String {
        format!("leasekit.sdl.{network}.{dseq}")
    }
}

/// Whether the page was opened as `?embed=1` (for an iframe in the docs).
#[must_use]
pub fn is_embed() -> bool {
    let search = window().location().search().unwrap_or_default();
    search.trim_start_matches('?').split('&').any(|pair| pair == "embed=1" || pair == "embed=true")
}

/// The location fragment, with its `#` (empty when there is none).
#[must_use]
pub fn fragment() -> String {
    window().location().hash().unwrap_or_default()
}

/// Points the address bar at `fragment` without a navigation or a new history entry, so that
/// the address bar is always a share link of the current text.
pub fn replace_fragment(fragment: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(fragment));
    }
}

/// Points the address bar at `fragment` as a new history entry (a view switch: Back returns to
/// the view before). No navigation, no `hashchange`.
pub fn push_fragment(fragment: &str) {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(fragment));
    }
}

/// This page's address with `fragment` in place of the current one.
#[must_use]
pub fn link_with_fragment(fragment: &str) -> String {
    let location = window().location();
    let base = location.href().unwrap_or_default();
    let without_fragment = base.split('#').next().unwrap_or_default();
    format!("{without_fragment}{fragment}")
}

/// The full playground (without `?embed=1`) showing the text in `fragment`.
#[must_use]
pub fn playground_link(fragment: &str) -> String {
    let location = window().location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}{fragment}")
}

/// The text saved by [`store_source`], if storage works and holds one.
#[must_use]
pub fn stored_source() -> Option<String> {
    local_storage()?.get_item(keys::SDL).ok().flatten()
}

/// Saves the text for the next visit; a full or disabled storage is not worth an error.
pub fn store_source(source: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(keys::SDL, source);
    }
}

/// A value saved under `key` (the app's keys start with `leasekit.`), if storage works.
#[must_use]
pub fn load(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Saves `value` under `key`; failing soft like [`store_source`].
pub fn save(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Removes `key`.
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    // Reading `localStorage` itself throws when storage is disabled, hence the `Result`.
    window().local_storage().ok().flatten()
}

/// A millisecond clock for measuring how long a check takes.
#[must_use]
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |performance| performance.now())
}

/// Copies `text` to the clipboard. Fails outside a secure context (no `navigator.clipboard`)
/// or when the browser refuses.
pub async fn copy_text(text: &str) -> Result<(), ()> {
    let navigator = window().navigator();
    // `navigator.clipboard` is undefined on plain http:// pages other than localhost; calling a
    // method on it would throw, and web-sys does not check.
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).map_err(|_| ())?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(());
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(|_| ())
}

/// The line height of `element` in CSS pixels, to turn line numbers into scroll offsets.
#[must_use]
pub fn line_height_px(element: &web_sys::Element) -> Option<f64> {
    let style = window().get_computed_style(element).ok().flatten()?;
    style.get_property_value("line-height").ok()?.strip_suffix("px")?.parse().ok()
}
