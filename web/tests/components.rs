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
