//! The SDL editor: a plain `<textarea>` with a line-number gutter and line highlights.
//!
//! The gutter and the highlight layer sit outside the textarea's scrolling, so they follow it
//! with a `translateY` of its `scrollTop`. Line numbers are one text node and the marks are
//! absolutely positioned from their line number, which keeps the DOM small for a
//! 3000-line SDL: typing changes the numbers only when the line count changes.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;

use crate::analysis::{Analysis, LineMark, line_count};

/// The editor with its gutter.
#[component]
pub fn Editor(
    /// Text written into the textarea: the initial text, examples and share links. Typing does
    /// not go through it.
    #[prop(into)]
    text: Signal<String>,
    /// The current text, for the line count.
    #[prop(into)]
    source: Signal<String>,
    /// The last check, for the marks.
    #[prop(into)]
    analysis: Signal<Arc<Analysis>>,
    /// Called with the new text on every edit.
    on_edit: Callback<String>,
    /// The textarea, for selecting a diagnostic's span.
    node_ref: NodeRef<html::Textarea>,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0);
    let lines = Memo::new(move |_| source.with(|text| line_count(text)));
    let numbers = Memo::new(move |_| {
        let mut numbers = String::new();
        for n in 1..=lines.get() {
            if n > 1 {
                numbers.push('\n');
            }
            numbers.push_str(&n.to_string());
        }
        numbers
    });
    let follow_scroll = move || format!("translateY({}px)", -scroll_top.get());
    let marks = move || analysis.with(|analysis| analysis.marks.clone());

    view! {
        <div class="editor">
            <div class="gutter" aria-hidden="true" data-testid="gutter">
                <div class="scroller" style:transform=follow_scroll>
                    <For each=marks key=|mark| *mark let:mark>
                        <GutterMark mark=mark />
                    </For>
                    <div class="line-numbers">{numbers}</div>
                </div>
            </div>
            <div class="editor-body">
                <div class="line-highlights" aria-hidden="true">
                    <div class="scroller" style:transform=follow_scroll>
                        <For each=marks key=|mark| *mark let:mark>
                            <div
                                class=format!("line-highlight {}", mark.severity.as_str())
                                style=format!("--line: {}", mark.line - 1)
                            ></div>
                        </For>
                    </div>
                </div>
                <textarea
                    node_ref=node_ref
                    class="code"
                    data-testid="editor"
                    aria-label="SDL editor"
                    aria-describedby="editor-help"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    prop:value=move || text.get()
                    on:input=move |event| on_edit.run(event_target_value(&event))
                    on:scroll=move |_| {
                        if let Some(element) = node_ref.get_untracked() {
                            scroll_top.set(element.scroll_top());
                        }
                    }
                ></textarea>
                <p id="editor-help" class="visually-hidden">
                    "Tab moves focus out of the editor. Problems are listed after it; activate one to select it here."
                </p>
            </div>
        </div>
    }
}

#[component]
fn GutterMark(mark: LineMark) -> impl IntoView {
    let severity = mark.severity.as_str();
    view! {
        <div
            class=format!("gutter-mark {severity}")
            style=format!("--line: {}", mark.line - 1)
            data-testid="gutter-mark"
            data-line=mark.line
            data-severity=severity
        ></div>
    }
}
