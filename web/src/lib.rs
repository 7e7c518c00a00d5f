//! The Leasekit web app: the SDL playground.
//!
//! Everything runs in the browser: the editor text goes straight into `leasekit-sdl` (the same
//! Rust engine the CLI and the npm package use), compiled into this app's Wasm. Nothing here
//! re-implements engine logic; [`analysis`] only converts its results into what the page shows.
//!
//! # Data flow
//!
//! - Typing updates `source` at once (the gutter's line count follows it) and schedules a check
//!   [`CHECK_DELAY`] after the last keystroke.
//! - A check runs the engine, replaces the [`Analysis`](analysis::Analysis) that the
//!   diagnostics, gutter marks and output panes read, then saves the text: into the URL
//!   fragment (so the address bar is always a share link) and into `localStorage` (so a visit
//!   without a link resumes where the last one stopped). On load, a link's fragment wins.
//! - Loading an example or a link also sets `editor_text`, the only signal that writes into the
//!   `<textarea>`: writing the value back on every keystroke would fight the caret.
//!
//! `?embed=1` shows only the editor and the results, for an iframe in the docs; it neither
//! reads nor writes `localStorage`, so an embedded example never replaces the reader's own text.

pub mod analysis;
pub mod builder;
mod browser;
pub mod components;
pub mod examples;
pub mod share;

use std::sync::Arc;
use std::time::Duration;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use analysis::{Analysis, DiagnosticView, Location, Selection};
use components::{DiagnosticList, Editor, OutputPanel};
use examples::{DEFAULT_EXAMPLE, EXAMPLES};

/// Quiet time after the last keystroke before the SDL is checked. Checking takes well under a
/// millisecond for a typical SDL, but re-rendering the results on every key is wasted work and
/// makes diagnostics flicker while a word is half typed.
pub const CHECK_DELAY: Duration = Duration::from_millis(150);

/// How long a notice ("Share link copied…") stays on screen.
const NOTICE_TIME: Duration = Duration::from_secs(4);

/// The text to start with, and why it is not the one asked for, if it is not.
struct Initial {
    text: String,
    notice: Option<String>,
}

fn initial_text(embed: bool) -> Initial {
    let default = || DEFAULT_EXAMPLE.source.to_owned();
    match share::source_from_fragment(&browser::fragment()) {
        Some(Ok(text)) => Initial { text, notice: None },
        Some(Err(_)) => Initial {
            text: (!embed).then(browser::stored_source).flatten().unwrap_or_else(default),
            notice: Some("The link's SDL could not be decoded (is it complete?), so it was not loaded.".to_owned()),
        },
        None => Initial { text: (!embed).then(browser::stored_source).flatten().unwrap_or_else(default), notice: None },
    }
}

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    let embed = browser::is_embed();
    let initial = initial_text(embed);
    let source = RwSignal::new(initial.text.clone());
    let editor_text = RwSignal::new(initial.text);
    let analysis = RwSignal::new(Arc::new(Analysis::of(&source.get_untracked())));
    let check_ms = RwSignal::new(None::<f64>);
    let notice = RwSignal::new(None::<String>);
    let announce = move |message: String| {
        notice.set(Some(message.clone()));
        let _ = set_timeout_with_handle(
            move || {
                // A newer message keeps its own full time on screen.
                if notice.get_untracked().as_ref() == Some(&message) {
                    notice.set(None);
                }
            },
            NOTICE_TIME,
        );
    };
    if let Some(message) = initial.notice {
        announce(message);
    }
    let pending_check = StoredValue::new(None::<TimeoutHandle>);
    let textarea = NodeRef::<html::Textarea>::new();

    let save = move |text: &str| {
        browser::replace_fragment(&share::fragment_for(text));
        if !embed {
            browser::store_source(text);
        }
    };
    save(&source.get_untracked());

    let check_now = move || {
        if let Some(handle) = pending_check.get_value() {
            handle.clear();
        }
        pending_check.set_value(None);
        let text = source.get_untracked();
        let started = browser::now_ms();
        let result = Analysis::of(&text);
        check_ms.set(Some(browser::now_ms() - started));
        analysis.set(Arc::new(result));
        save(&text);
    };

    let on_edit = Callback::new(move |text: String| {
        source.set(text);
        if let Some(handle) = pending_check.get_value() {
            handle.clear();
        }
        pending_check.set_value(set_timeout_with_handle(check_now, CHECK_DELAY).ok());
    });

    let load = move |text: String| {
        editor_text.set(text.clone());
        source.set(text);
        check_now();
    };

    // A share link pasted into this tab's address bar changes only the fragment: no reload.
    let _ = window_event_listener(ev::hashchange, move |_| {
        if let Some(Ok(text)) = share::source_from_fragment(&browser::fragment())
            && text != source.get_untracked()
        {
            load(text);
        }
    });

    let on_select = Callback::new(move |diagnostic: DiagnosticView| {
        if let Some(element) = textarea.get_untracked() {
            select_in_editor(&element, diagnostic.selection, diagnostic.line);
        }
    });
    let on_locate = Callback::new(move |location: Location| {
        if let Some(element) = textarea.get_untracked() {
            select_in_editor(&element, location.selection, location.line);
        }
    });

    let copy_share_link = move |_| {
        let link = browser::link_with_fragment(&share::fragment_for(&source.get_untracked()));
        leptos::task::spawn_local(async move {
            let message = match browser::copy_text(&link).await {
                Ok(()) => "Share link copied to the clipboard.",
                Err(()) => "Could not use the clipboard; the address bar holds the share link.",
            };
            announce(message.to_owned());
        });
    };

    let on_example = move |event: ev::Event| {
        let menu = event_target::<web_sys::HtmlSelectElement>(&event);
        if let Some(example) = examples::by_id(&menu.value()) {
            load(example.source.to_owned());
            announce(format!("Loaded the example “{}”.", example.title));
        }
        // Back to "Examples…": after an edit, a menu still naming the example would be wrong.
        menu.set_value("");
    };

    let status = move || {
        let analysis = analysis.get();
        let problems = analysis.problem_summary();
        let state = if analysis.error_count > 0 {
            "invalid"
        } else if analysis.warning_count > 0 {
            "warnings"
        } else {
            "valid"
        };
        (state, problems)
    };

    let open_in_playground = move || browser::playground_link(&share::fragment_for(&source.get()));

    view! {
        <div class="app" class:embed=embed data-testid="app">
            {(!embed)
                .then(|| {
                    view! {
                        <header class="page-header" data-testid="page-header">
                            <div class="brand">
                                <span class="logo" aria-hidden="true">
                                    "◆"
                                </span>
                                <div>
                                    <h1>"Leasekit " <span class="subtitle">"SDL playground"</span></h1>
                                    <p class="tagline">
                                        "Check an Akash SDL with a leased IP and get the manifest, the GroupSpecs and the version hash — byte for byte what Akash’s Go reference computes. Everything runs in your browser."
                                    </p>
                                </div>
                            </div>
                            <div class="header-actions">
                                <label class="select-label">
                                    <span class="visually-hidden">"Load an example"</span>
                                    <select
                                        data-testid="examples"
                                        aria-label="Load an example"
                                        on:change=on_example
                                        prop:value=""
                                    >
                                        <option value="" disabled=true selected=true>
                                            "Examples…"
                                        </option>
                                        {EXAMPLES
                                            .iter()
                                            .map(|example| {
                                                view! { <option value=example.id>{example.title}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                                <button
                                    type="button"
                                    class="button primary"
                                    data-testid="share"
                                    aria-label="Copy share link"
                                    on:click=copy_share_link
                                >
                                    "Copy share link"
                                </button>
                            </div>
                        </header>
                    }
                })}
            <main class="workspace">
                <section class="panel editor-panel" aria-labelledby="editor-heading">
                    <div class="panel-header">
                        <h2 id="editor-heading">"deploy.yaml"</h2>
                        <p
                            class="status"
                            data-testid="status"
                            data-state=move || status().0
                            aria-live="polite"
                        >
                            <span class="status-dot" aria-hidden="true"></span>
                            {move || status().1}
                            {move || {
                                check_ms
                                    .get()
                                    .map(|ms| {
                                        view! {
                                            <span class="status-time" data-testid="check-time">
                                                {format!(" · checked in {ms:.1} ms")}
                                            </span>
                                        }
                                    })
                            }}
                        </p>
                    </div>
                    <Editor
                        text=editor_text.read_only()
                        source=source.read_only()
                        analysis=analysis.read_only()
                        on_edit=on_edit
                        node_ref=textarea
                    />
                </section>
                <div class="results">
                    <DiagnosticList analysis=analysis.read_only() on_select=on_select />
                    <OutputPanel analysis=analysis.read_only() on_notice=Callback::new(announce) on_locate=on_locate />
                </div>
            </main>
            <p class="notice" role="status" aria-live="polite" data-testid="notice">
                {move || notice.get()}
            </p>
            {embed
                .then(|| {
                    view! {
                        <a class="open-full" href=open_in_playground target="_blank" rel="noopener">
                            "Open in the Leasekit playground ↗"
                        </a>
                    }
                })}
        </div>
    }
}

/// Focuses the editor on a span (a diagnostic's, an IP binding's): selects it and scrolls its
/// line into view.
fn select_in_editor(element: &web_sys::HtmlTextAreaElement, selection: Selection, line: u32) {
    let _ = element.focus();
    let _ = element.set_selection_range(selection.start, selection.end);
    // Chromium scrolls a focused textarea to its caret, but not every browser does.
    let Some(line_height) = browser::line_height_px(element) else { return };
    let line_top = f64::from(line.saturating_sub(1)) * line_height;
    let view_top = f64::from(element.scroll_top());
    let view_height = f64::from(element.client_height());
    if line_top < view_top || line_top + line_height > view_top + view_height {
        // A third of the way down leaves context above the line without hiding what follows.
        element.set_scroll_top((line_top - view_height / 3.0).max(0.0) as i32);
    }
}
