//! Leasekit: build an Akash SDL with a leased IP, sign the order with your own wallet, and watch
//! the leased IP come up — a static Leptos app, everything in the browser.
//!
//! Three views, the current one kept in `localStorage`:
//!
//! - **Build** — the [`playground`]: helper B's form builder, the YAML editor, the diagnostics
//!   and the outputs of `leasekit-sdl` (manifest, GroupSpecs, version hash, IP plan). Alone it is
//!   the embeddable `?embed=1` page.
//! - **Deploy** — the [`deploy`] wizard over `leasekit-deploy`: the order in words and the exact
//!   message JSON before anything is signed, then create → bids → accept → manifest → live, each
//!   checkpoint saved so a reload resumes without paying twice.
//! - **Deployments** — the owner's deployments, each lease's [`lease`] IP card and its actions.
//!
//! The [`network`] and [`wallet`] bars sit in the header of every view.
//!
//! # Two bundles
//!
//! The crate builds twice. Without the default `deploy` feature it is the Build view alone
//! (`assets/playground.js`): what `?embed=1` and a first visit load, within the first-load
//! budget. With it, the whole app (`assets/app.js`). `index.html` picks the bundle from the
//! saved view; in the Build-only bundle the Deploy and Deployments buttons save the view and
//! reload the page into the whole app. Everything a view needs survives that reload — the SDL,
//! the network settings and any deploy in progress are in `localStorage` — except a dev key
//! held only in memory, which the Build-only bundle cannot hold in the first place. Nothing here
//! re-implements a core rule: [`analysis`] converts the SDL engine's results for the page, and
//! the deploy flow, the order summary, the IP card and the `provider-services` commands all come
//! from `leasekit-deploy`; this crate converts, calls and renders.

pub mod analysis;
mod browser;
pub mod builder;
pub mod components;
#[cfg(feature = "deploy")]
pub mod deploy;
#[cfg(feature = "deploy")]
pub mod deployments;
pub mod examples;
#[cfg(feature = "deploy")]
pub mod lease;
#[cfg(feature = "deploy")]
pub mod network;
pub mod playground;
pub mod share;
#[cfg(feature = "deploy")]
pub mod wallet;

use std::time::Duration;

use leptos::prelude::*;

#[cfg(feature = "deploy")]
use deploy::{DeployCtl, DeployView};
#[cfg(feature = "deploy")]
use deployments::DeploymentsView;
#[cfg(feature = "deploy")]
use network::{NetworkPanel, NetworkState};
use playground::{Playground, SdlText};
#[cfg(feature = "deploy")]
use wallet::{WalletPanel, WalletState};

/// How long a notice ("Share link copied…") stays on screen.
const NOTICE_TIME: Duration = Duration::from_secs(4);

/// Where the current view is kept.
const VIEW_KEY: &str = "leasekit.view";

/// The app's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Builder, editor, diagnostics and outputs.
    Build,
    /// The deploy wizard.
    Deploy,
    /// The owner's deployments and their leases.
    Deployments,
}

impl View {
    /// All views, in the order of the nav.
    pub const ALL: [View; 3] = [View::Build, View::Deploy, View::Deployments];

    /// The nav button's name.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            View::Build => "Build",
            View::Deploy => "Deploy",
            View::Deployments => "Deployments",
        }
    }

    #[cfg(feature = "deploy")]
    fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|view| view.title() == text)
    }
}

/// A message line shared by the views.
#[derive(Clone, Copy)]
pub struct Notice {
    text: RwSignal<Option<String>>,
}

impl Notice {
    fn new() -> Self {
        Self { text: RwSignal::new(None) }
    }

    /// Shows `message` for a few seconds.
    pub fn announce(self, message: String) {
        let text = self.text;
        text.set(Some(message.clone()));
        let _ = set_timeout_with_handle(
            move || {
                // A newer message keeps its own full time on screen.
                if text.get_untracked().as_ref() == Some(&message) {
                    text.set(None);
                }
            },
            NOTICE_TIME,
        );
    }

    /// The status line showing the notice.
    fn line(self) -> impl IntoView {
        let text = self.text;
        view! {
            <p class="notice" role="status" aria-live="polite" data-testid="notice">
                {move || text.get()}
            </p>
        }
    }

    /// [`Self::announce`] as a callback.
    #[must_use]
    pub fn callback(self) -> Callback<String> {
        Callback::new(move |message| self.announce(message))
    }
}

/// Mounts the app: embeds at once, the full app once `./config.json` has been read (a
/// same-origin fetch of a few bytes), so its first render already shows the configured network.
pub fn start() {
    #[cfg(feature = "deploy")]
    if !browser::is_embed() {
        // Leptos' own executor is set up by the mount, which has not happened yet.
        wasm_bindgen_futures::spawn_local(async {
            let config = network::fetch_config().await;
            leptos::mount::mount_to_body(move || view! { <App config=config /> });
        });
        return;
    }
    leptos::mount::mount_to_body(|| view! { <App /> });
}

/// The saved view, or Build.
#[cfg(feature = "deploy")]
fn saved_view() -> View {
    browser::load(VIEW_KEY).as_deref().and_then(View::parse).unwrap_or(View::Build)
}

/// The header's brand and the views nav; `pick` runs when a view button is pressed.
fn header_start(
    current: impl Fn() -> View + Copy + Send + Sync + 'static,
    pick: impl Fn(View) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let nav = View::ALL
        .into_iter()
        .map(|item| {
            view! {
                <button
                    type="button"
                    class="view-tab"
                    aria-current=move || (current() == item).then_some("page")
                    on:click=move |_| pick(item)
                >
                    {item.title()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="brand">
            <span class="logo" aria-hidden="true">
                "◆"
            </span>
            <h1>"Leasekit " <span class="subtitle">"deploy on a leased IP"</span></h1>
        </div>
        <nav class="views" aria-label="Views">
            {nav}
        </nav>
    }
}

/// The SDL to start with and the notice line (announcing why a link's SDL was not loaded), or
/// for `?embed=1` the whole page.
fn page_start() -> Result<(SdlText, Notice), AnyView> {
    let embed = browser::is_embed();
    let initial = playground::initial_text(embed);
    let sdl = SdlText::new(initial.text);
    let notice = Notice::new();
    if let Some(message) = initial.notice {
        notice.announce(message);
    }
    if embed { Err(embed_page(sdl, notice)) } else { Ok((sdl, notice)) }
}

/// The `?embed=1` page: the playground alone.
fn embed_page(sdl: SdlText, notice: Notice) -> AnyView {
    let open_in_playground = move || browser::playground_link(&share::fragment_for(&sdl.source.get()));
    view! {
        <div class="app embed" data-testid="app">
            <Playground sdl=sdl embed=true announce=notice.callback() />
            {notice.line()}
            <a class="open-full" href=open_in_playground target="_blank" rel="noopener">
                "Open in the Leasekit playground ↗"
            </a>
        </div>
    }
    .into_any()
}

/// The Build-only bundle's page: the views nav reloads into the whole app for Deploy and
/// Deployments (index.html loads `app.js` for them).
#[cfg(not(feature = "deploy"))]
#[component]
pub fn App() -> impl IntoView {
    let (sdl, notice) = match page_start() {
        Ok(started) => started,
        Err(embed) => return embed,
    };
    let pick = move |item: View| {
        if item != View::Build {
            browser::save(VIEW_KEY, item.title());
            browser::reload();
        }
    };
    view! {
        <div class="app" data-testid="app" data-view="Build">
            <header class="page-header" data-testid="page-header">
                {header_start(|| View::Build, pick)}
                <p class="connection connection-later">"Network and wallet: in the Deploy view"</p>
            </header>
            <div class="view build-view">
                <Playground sdl=sdl embed=false announce=notice.callback() />
            </div>
            {notice.line()}
        </div>
    }
    .into_any()
}

/// The whole page: the embeddable playground for `?embed=1`, else the app with its views.
#[cfg(feature = "deploy")]
#[component]
pub fn App(
    /// What `./config.json` said (nothing: the presets).
    #[prop(optional)]
    config: network::Config,
) -> impl IntoView {
    let (sdl, notice) = match page_start() {
        Ok(started) => started,
        Err(embed) => return embed,
    };

    let network = NetworkState::new(config);
    let wallet = WalletState::new();
    let deploy = DeployCtl::new(network, wallet, sdl);
    let view = RwSignal::new(saved_view());
    Effect::new(move |_| browser::save(VIEW_KEY, view.get().title()));

    view! {
        <div class="app" data-testid="app" data-view=move || view.get().title()>
            <header class="page-header" data-testid="page-header">
                {header_start(move || view.get(), move |item| view.set(item))}
                <div class="connection">
                    <NetworkPanel state=network />
                    <WalletPanel state=wallet network=network />
                </div>
            </header>
            <div class="view build-view" hidden=move || view.get() != View::Build>
                <Playground sdl=sdl embed=false announce=notice.callback() />
            </div>
            {move || {
                (view.get() == View::Deploy)
                    .then(|| view! { <main class="view page-view"><DeployView ctl=deploy on_notice=notice.callback() /></main> })
            }}
            {move || {
                (view.get() == View::Deployments)
                    .then(|| {
                        view! {
                            <main class="view page-view">
                                <DeploymentsView network=network wallet=wallet ctl=deploy on_notice=notice.callback() />
                            </main>
                        }
                    })
            }}
            {notice.line()}
        </div>
    }
    .into_any()
}
