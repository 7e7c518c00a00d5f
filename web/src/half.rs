//! The deploy half of the app: the network and wallet panels, the Deploy wizard and the
//! Deployments view — signing, the chain and provider clients, the deploy flow. More than the
//! Build view itself, and a reader of the playground never needs it, so with the `split` feature
//! it is a Wasm chunk of its own that the running app fetches the first time a view needs it
//! (wasm-split, through Leptos' re-export of `wasm_split_helpers`; `cargo xtask dist` splits the
//! module before wasm-bindgen). Without the feature (native builds, the component tests) it is
//! an ordinary call, so every caller looks the same either way.
//!
//! The half's state (network, wallet, the wizard) is created under the app's root owner, not
//! under the view that first asked for it: leaving the view must not dispose a deploy in
//! progress. The half hands back only boxed view functions, so the main module holds no code of
//! it — only calls through their vtables, which wasm-split resolves to the chunk.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::Notice;
use crate::playground::SdlText;
use crate::routes::Route;

/// What the main module gives the half.
pub struct HalfInputs {
    /// The SDL shared with the Build view (the wizard deploys exactly this text).
    pub sdl: SdlText,
    /// The page's notice line.
    pub notice: Notice,
    /// The current route (the Deployments view reads the dseq it points at).
    pub route: RwSignal<Route>,
    /// The app's root owner: the half's state lives as long as the page.
    pub owner: Owner,
}

/// The loaded half: a view function per place it renders.
pub struct DeployHalf {
    /// The network and wallet panels of the header.
    pub connection: Box<dyn Fn() -> AnyView>,
    /// The Deploy view.
    pub deploy: Box<dyn Fn() -> AnyView>,
    /// The Deployments view.
    pub deployments: Box<dyn Fn() -> AnyView>,
}

/// The half's chunk could not be fetched or instantiated (offline, or a redeploy replaced the
/// files). Nothing is cached: the next [`load`] tries again.
#[derive(Debug, Clone)]
pub struct HalfLoadError;

impl std::fmt::Display for HalfLoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the deploy part of the app could not be downloaded")
    }
}

impl From<leptos::wasm_split::SplitLoaderError> for HalfLoadError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Self
    }
}

/// The half's future: reads `./config.json`, then builds the state and views.
type Starting = Pin<Box<dyn Future<Output = DeployHalf>>>;

/// Loads the half (fetching its chunk the first time) and builds it.
pub async fn load(inputs: HalfInputs) -> Result<DeployHalf, HalfLoadError> {
    Ok(start(inputs).await?.await)
}

// `fallible`: a failed fetch is an `Err` the page shows with a retry, where the infallible form
// (Leptos' `#[lazy]`) would trap and kill the whole module.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(deploy_half, fallible, wasm_split_path = ::leptos::wasm_split)]
fn start(inputs: HalfInputs) -> Result<Starting, HalfLoadError> {
    Ok(Box::pin(build(inputs)))
}

#[cfg(not(feature = "split"))]
async fn start(inputs: HalfInputs) -> Result<Starting, HalfLoadError> {
    Ok(Box::pin(build(inputs)))
}

async fn build(inputs: HalfInputs) -> DeployHalf {
    use crate::deploy::{DeployCtl, DeployView};
    use crate::deployments::DeploymentsView;
    use crate::network::{NetworkPanel, NetworkState};
    use crate::wallet::{WalletPanel, WalletState};

    let HalfInputs { sdl, notice, route, owner } = inputs;
    let config = crate::network::fetch_config().await;
    owner.with(|| {
        let network = NetworkState::new(config);
        let wallet = WalletState::new();
        let ctl = DeployCtl::new(network, wallet, sdl);
        let on_notice = notice.callback();
        DeployHalf {
            connection: Box::new(move || {
                view! {
                    <NetworkPanel state=network />
                    <WalletPanel state=wallet network=network />
                }
                .into_any()
            }),
            deploy: Box::new(move || view! { <DeployView ctl=ctl on_notice=on_notice /> }.into_any()),
            deployments: Box::new(move || {
                let selected = Signal::derive(move || route.with(|r| r.dseq));
                view! { <DeploymentsView network=network wallet=wallet ctl=ctl selected=selected on_notice=on_notice /> }
                    .into_any()
            }),
        }
    })
}
