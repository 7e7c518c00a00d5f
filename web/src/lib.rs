//! Leasekit: build an Akash SDL with a leased IP, sign the order with your own wallet, and watch
//! the leased IP come up — a static Leptos app, everything in the browser.
//!
//! One page with three views, each addressed by the URL fragment ([`routes`]): switching views
//! never reloads the page, so nothing in memory — the SDL being typed, a dev key, a deploy in
//! progress — is lost on the way.
//!
//! - **Build** — the [`playground`]: the form builder, the YAML editor, the diagnostics and the
//!   outputs of `leasekit-sdl` (manifest, GroupSpecs, version hash, IP plan). Alone it is the
//!   embeddable `?embed=1` page.
//! - **Deploy** — the [`deploy`] wizard over `leasekit-deploy`: the order in words and the exact
//!   message JSON before anything is signed, then create → bids → accept → manifest → live, each
//!   checkpoint saved so a reload resumes without paying twice.
//! - **Deployments** — the owner's deployments, each lease's [`lease`] IP card and its actions.
//!
//! # The deploy half loads lazily
//!
//! A first visit (and `?embed=1`) downloads the Build view alone. Deploy, Deployments and the
//! [`network`] and [`wallet`] panels are the [`half`] module: with the `split` feature it is a
//! separate Wasm chunk, fetched by the running app the first time one of those views opens, and
//! its state is owned by the app's root, so it survives every view switch. Nothing here
//! re-implements a core rule: [`analysis`] converts the SDL engine's results for the page, and
//! the deploy flow, the order summary, the IP card and the `provider-services` commands all come
//! from `leasekit-deploy`; this crate converts, calls and renders.

pub mod analysis;
mod browser;
pub mod builder;
pub mod components;
pub mod deploy;
pub mod deployments;
pub mod examples;
pub mod half;
pub mod lease;
pub mod network;
pub mod playground;
pub mod routes;
pub mod share;
pub mod wallet;

use std::rc::Rc;
use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;

use half::{DeployHalf, HalfInputs};
use playground::{Playground, SdlText};
use routes::{Route, View};

/// How long a notice ("Share link copied…") stays on screen.
const NOTICE_TIME: Duration = Duration::from_secs(4);

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

/// Mounts the app.
pub fn start() {
    leptos::mount::mount_to_body(|| view! { <App /> });
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
                <a
                    class="view-tab"
                    href=Route::of(item).fragment()
                    data-view=item.key()
                    aria-current=move || (current() == item).then_some("page")
                    on:click=move |event: ev::MouseEvent| {
                        // A modified click (new tab, new window) keeps the link's own meaning.
                        if !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.button() != 0) {
                            event.prevent_default();
                            pick(item);
                        }
                    }
                >
                    {item.title()}
                </a>
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

/// The `?embed=1` page: the playground alone.
fn embed_page(sdl: SdlText, notice: Notice) -> AnyView {
    let open_in_playground = move || browser::playground_link(&share::fragment_for(&sdl.source.get()));
    view! {
        <div class="app embed" data-testid="app">
            <Playground sdl=sdl embed=true visible=Signal::from(true) announce=notice.callback() />
            {notice.line()}
            <a class="open-full" href=open_in_playground target="_blank" rel="noopener">
                "Open in the Leasekit playground ↗"
            </a>
        </div>
    }
    .into_any()
}

/// Where the deploy half stands.
#[derive(Clone)]
enum HalfState {
    /// Not asked for yet.
    Idle,
    /// Being fetched and built.
    Loading,
    /// Ready.
    Ready(Rc<DeployHalf>),
    /// The fetch failed; a retry starts it again.
    Failed(String),
}

/// The whole page: the embeddable playground for `?embed=1`, else the app with its views.
#[component]
pub fn App() -> impl IntoView {
    let embed = browser::is_embed();
    let initial = playground::initial_text(embed);
    let sdl = SdlText::new(initial.text);
    let notice = Notice::new();
    if let Some(message) = initial.notice {
        notice.announce(message);
    }
    if embed {
        return embed_page(sdl, notice);
    }

    let route = RwSignal::new(Route::parse(&browser::fragment()).unwrap_or(Route::BUILD));
    // Back, Forward and a fragment typed into the address bar move the app, never reload it.
    let follow_location = move || {
        if let Some(next) = Route::parse(&browser::fragment())
            && next != route.get_untracked()
        {
            route.set(next);
        }
    };
    let _ = window_event_listener(ev::popstate, move |_| follow_location());
    let _ = window_event_listener(ev::hashchange, move |_| follow_location());
    let pick = move |item: View| {
        let next = Route::of(item);
        if next == route.get_untracked() {
            return;
        }
        browser::push_fragment(&next.fragment());
        route.set(next);
    };

    let half = RwSignal::new_local(HalfState::Idle);
    let root = StoredValue::new(Owner::current());
    let load_half = move || {
        if matches!(half.get_untracked(), HalfState::Loading | HalfState::Ready(_)) {
            return;
        }
        let Some(owner) = root.get_value() else { return };
        half.set(HalfState::Loading);
        let inputs = HalfInputs { sdl, notice, route, owner };
        leptos::task::spawn_local(async move {
            half.set(match half::load(inputs).await {
                Ok(loaded) => HalfState::Ready(Rc::new(loaded)),
                Err(error) => HalfState::Failed(format!(
                    "Could not start the deploy tools: {error}. Check the connection and retry."
                )),
            });
        });
    };
    Effect::new(move |_| {
        if route.with(|r| r.view.needs_deploy_half()) {
            load_half();
        }
    });

    let view_now = move || route.with(|r| r.view);
    let build_visible = Signal::derive(move || view_now() == View::Build);
    let connection = move || match half.get() {
        HalfState::Ready(loaded) => (loaded.connection)(),
        _ => view! { <p class="connection-later">"Network and wallet: in the Deploy view"</p> }.into_any(),
    };
    let half_view = move |item: View| match half.get() {
        HalfState::Ready(loaded) if item == View::Deploy => (loaded.deploy)(),
        HalfState::Ready(loaded) => (loaded.deployments)(),
        HalfState::Idle | HalfState::Loading => {
            view! { <p class="hint" role="status" data-testid="half-loading">"Loading the deploy tools…"</p> }
                .into_any()
        }
        HalfState::Failed(message) => view! {
            <div class="alert" role="alert">
                <p>{message}</p>
                <button type="button" class="button primary" on:click=move |_| load_half()>"Retry"</button>
            </div>
        }
        .into_any(),
    };

    view! {
        <div class="app" data-testid="app" data-view=move || view_now().key()>
            <header class="page-header" data-testid="page-header">
                {header_start(view_now, pick)}
                <div class="connection">{connection}</div>
            </header>
            <div class="view build-view" hidden=move || !build_visible.get()>
                <Playground sdl=sdl embed=false visible=build_visible announce=notice.callback() />
            </div>
            {move || {
                (view_now() == View::Deploy)
                    .then(|| view! { <main class="view page-view">{half_view(View::Deploy)}</main> })
            }}
            {move || {
                (view_now() == View::Deployments)
                    .then(|| view! { <main class="view page-view">{half_view(View::Deployments)}</main> })
            }}
            {notice.line()}
        </div>
    }
    .into_any()
}
