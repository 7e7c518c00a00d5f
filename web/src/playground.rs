//! The playground: the YAML editor, its diagnostics and outputs — the Build view, and on its own
//! the embeddable `?embed=1` page.
//!
//! - Typing updates `source` at once (the gutter's line count follows it) and schedules a check
//!   [`CHECK_DELAY`] after the last keystroke. The builder's edits take the same path, and also
//!   write the textarea (it is not focused then, so there is no caret to fight).
//! - A check runs the engine, replaces the [`Analysis`] that the diagnostics, gutter marks and
//!   output panes read, then saves the text: into the URL fragment while the Build view is shown
//!   (so the address bar is always a share link) and into `localStorage` (so a visit without a
//!   link resumes where the last one stopped). On load, a link's fragment wins.
//! - Nothing typed waits on the timer when the page may go away: leaving the Build view, the tab
//!   going hidden (`visibilitychange`) and `pagehide` run the pending check and save at once.
//! - Loading an example or a link also sets `editor_text`, the only signal that writes into the
//!   `<textarea>`: writing the value back on every keystroke would fight the caret.

use std::sync::Arc;
use std::time::Duration;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use crate::analysis::{Analysis, DiagnosticView, Location, Selection};
use crate::browser;
use crate::components::{DiagnosticList, Editor, OutputPanel};
use crate::examples::{self, DEFAULT_EXAMPLE, EXAMPLES};
use crate::share;

/// Quiet time after the last keystroke before the SDL is checked. Checking takes well under a
/// millisecond for a typical SDL, but re-rendering the results on every key is wasted work and
/// makes diagnostics flicker while a word is half typed.
pub const CHECK_DELAY: Duration = Duration::from_millis(150);

/// The text to start with, and why it is not the one asked for, if it is not.
pub struct Initial {
    /// The SDL.
    pub text: String,
    /// Why a link's text was not loaded.
    pub notice: Option<String>,
}

/// The SDL to start with: a share link's, else (outside embeds) the saved one, else the default
/// example.
#[must_use]
pub fn initial_text(embed: bool) -> Initial {
    let default = || DEFAULT_EXAMPLE.source.to_owned();
    let stored = || (!embed).then(browser::stored_source).flatten().unwrap_or_else(default);
    match share::source_from_fragment(&browser::fragment()) {
        Some(Ok(text)) => Initial { text, notice: None },
        Some(Err(_)) => Initial {
            text: stored(),
            notice: Some("The link's SDL could not be decoded (is it complete?), so it was not loaded.".to_owned()),
        },
        None => Initial { text: stored(), notice: None },
    }
}

/// The SDL text shared by the views: `source` is the current text, `editor_text` what was last
/// written into the textarea from outside it.
#[derive(Clone, Copy)]
pub struct SdlText {
    /// The current text.
    pub source: RwSignal<String>,
    /// Text pushed into the textarea (load, example, link, builder).
    pub editor_text: RwSignal<String>,
    /// Counts [`SdlText::replace`]: the playground checks the text again on each.
    replaced: RwSignal<u64>,
}

impl SdlText {
    /// Both signals holding `text`.
    #[must_use]
    pub fn new(text: String) -> Self {
        Self { source: RwSignal::new(text.clone()), editor_text: RwSignal::new(text), replaced: RwSignal::new(0) }
    }

    /// Replaces the text from outside the Build view (an injected env var, a fix in the review):
    /// saved at once, written into the editor, and checked again, so Build never shows the
    /// results of an older text.
    pub fn replace(self, text: String) {
        browser::store_source(&text);
        self.editor_text.set(text.clone());
        self.source.set(text);
        self.replaced.update(|n| *n += 1);
    }
}

/// The editor, the builder (outside embeds) and the results.
#[component]
pub fn Playground(
    /// The shared SDL text.
    sdl: SdlText,
    /// `?embed=1`: no localStorage, no builder.
    embed: bool,
    /// Whether the Build view is the one shown: only then does the address bar carry the share
    /// link (the other views have their own address).
    visible: Signal<bool>,
    /// Shows a message in the page's notice line.
    announce: Callback<String>,
) -> impl IntoView {
    let SdlText { source, editor_text, replaced } = sdl;
    let analysis = RwSignal::new(Arc::new(Analysis::of(&source.get_untracked())));
    let check_ms = RwSignal::new(None::<f64>);
    let pending_check = StoredValue::new(None::<TimeoutHandle>);
    let textarea = NodeRef::<html::Textarea>::new();

    let save = move |text: &str| {
        if visible.get_untracked() {
            browser::replace_fragment(&share::fragment_for(text));
        }
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
    // The builder's edits: the same path as typing, plus the textarea.
    let on_builder_change = Callback::new(move |text: String| {
        editor_text.set(text.clone());
        on_edit.run(text);
    });

    let load = move |text: String| {
        editor_text.set(text.clone());
        source.set(text);
        check_now();
    };
    // Text replaced from another view is checked too.
    Effect::new(move |first: Option<()>| {
        replaced.track();
        if first.is_some() {
            check_now();
        }
    });

    // Pending edits are saved before anything can lose them; the text itself is a signal the
    // other views read directly, so a view switch never sees an older one.
    let flush = move || {
        if pending_check.get_value().is_some() {
            check_now();
        }
    };
    Effect::new(move |was_visible: Option<bool>| {
        let shown = visible.get();
        if shown {
            // Back in Build: the address bar becomes the share link of the current text.
            browser::replace_fragment(&share::fragment_for(&source.get_untracked()));
        } else if was_visible == Some(true) {
            flush();
        }
        shown
    });
    let _ = window_event_listener_untyped("pagehide", move |_| flush());
    // Fired at the document; it bubbles to the window.
    let _ = window_event_listener_untyped("visibilitychange", move |_| flush());

    // A share link pasted into this tab's address bar changes only the fragment: no reload.
    let _ = window_event_listener(ev::hashchange, move |_| {
        if let Some(Ok(text)) = share::source_from_fragment(&browser::fragment())
            && text != source.get_untracked()
        {
            load(text);
        }
    });

    // A fix is the engine's edit applied to the text it checked; typed since then, it waits for
    // the next check rather than overwrite what was typed.
    let on_fix = Callback::new(move |fixed: String| {
        if pending_check.get_value().is_none() {
            load(fixed);
            announce.run("Fix applied.".to_owned());
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
            announce.run(message.to_owned());
        });
    };

    let on_example = move |event: ev::Event| {
        let menu = event_target::<web_sys::HtmlSelectElement>(&event);
        if let Some(example) = examples::by_id(&menu.value()) {
            load(example.source.to_owned());
            announce.run(format!("Loaded the example “{}”.", example.title));
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

    let toolbar = (!embed).then(|| {
        view! {
            <div class="build-toolbar">
                <p class="tagline">
                    "Build an Akash SDL with a leased IP: form and YAML stay in step, and the checks, manifest, GroupSpecs and version hash are byte for byte what Akash’s Go reference computes."
                </p>
                <div class="header-actions">
                    <label class="select-label">
                        <span class="visually-hidden">"Load an example"</span>
                        <select data-testid="examples" aria-label="Load an example" on:change=on_example prop:value="">
                            <option value="" disabled=true selected=true>
                                "Examples…"
                            </option>
                            {EXAMPLES
                                .iter()
                                .map(|example| view! { <option value=example.id>{example.title}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <button
                        type="button"
                        class="button"
                        data-testid="share"
                        aria-label="Copy share link"
                        on:click=copy_share_link
                    >
                        "Copy share link"
                    </button>
                </div>
            </div>
        }
    });
    let builder = (!embed).then(|| {
        view! {
            <section class="panel builder-panel" aria-label="SDL builder">
                {builder_view(source.into(), on_builder_change)}
            </section>
        }
    });

    view! {
        {toolbar}
        <main class="workspace" class:with-builder=!embed>
            {builder}
            <section class="panel editor-panel" aria-labelledby="editor-heading">
                <div class="panel-header">
                    <h2 id="editor-heading">"deploy.yaml"</h2>
                    <p class="status" data-testid="status" data-state=move || status().0 aria-live="polite">
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
                <DiagnosticList analysis=analysis.read_only() on_select=on_select on_fix=on_fix />
                <OutputPanel analysis=analysis.read_only() on_notice=announce on_locate=on_locate />
            </div>
        </main>
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

/// The form builder (`web/src/builder`), fed from and feeding the editor.
fn builder_view(source: Signal<String>, on_change: Callback<String>) -> impl IntoView {
    view! { <crate::builder::Builder source=source on_change=on_change /> }
}
