//! The form builder mounted in headless Chromium (`wasm-bindgen-test`): form edits become
//! minimal YAML edits, an IP endpoint with a UDP port builds and shows in the IP plan, and a
//! YAML edit re-renders the form. Elements are found the way the end-to-end tests find them:
//! by legend and label text.
#![cfg(target_arch = "wasm32")]

use leasekit_web::builder::Builder;
use leasekit_web::examples::DEFAULT_EXAMPLE;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page's body to mount into.
fn container() -> web_sys::HtmlElement {
    let element = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&element).expect("append");
    element.unchecked_into()
}

/// Mounts a builder on `text`; returns the root, the text signal and every `on_change` text.
fn mount(text: &str) -> (web_sys::HtmlElement, RwSignal<String>, RwSignal<Vec<String>>) {
    let source = RwSignal::new(text.to_owned());
    let changes = RwSignal::new(Vec::<String>::new());
    let root = container();
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Builder
                source=source
                on_change=Callback::new(move |text: String| {
                    changes.update(|c| c.push(text.clone()));
                    source.set(text);
                })
            />
        }
    });
    // The tests run to the end of the page's life; keep the view mounted.
    std::mem::forget(mounted);
    (root, source, changes)
}

fn all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
}

/// The `<fieldset>` whose legend reads `legend`.
fn fieldset(root: &web_sys::Element, legend: &str) -> web_sys::Element {
    all(root, "fieldset")
        .into_iter()
        .find(|f| {
            f.query_selector(":scope > legend")
                .ok()
                .flatten()
                .and_then(|l| l.text_content())
                .is_some_and(|t| t.trim() == legend)
        })
        .unwrap_or_else(|| panic!("no fieldset {legend}"))
}

/// The control labelled `label` inside `within` (the first, in document order).
fn labelled(within: &web_sys::Element, label: &str) -> web_sys::Element {
    let label_element = all(within, "label")
        .into_iter()
        .find(|l| l.text_content().is_some_and(|t| t.trim() == label))
        .unwrap_or_else(|| panic!("no label {label}"));
    let id = label_element.get_attribute("for").expect("label has for");
    document().get_element_by_id(&id).unwrap_or_else(|| panic!("no control #{id}"))
}

fn button(within: &web_sys::Element, name: &str) -> web_sys::HtmlElement {
    all(within, "button")
        .into_iter()
        .find(|b| {
            b.get_attribute("aria-label").as_deref() == Some(name)
                || (b.get_attribute("aria-label").is_none() && b.text_content().is_some_and(|t| t.trim() == name))
        })
        .unwrap_or_else(|| panic!("no button {name}"))
        .unchecked_into()
}

fn value(element: &web_sys::Element) -> String {
    js_sys::Reflect::get(element, &JsValue::from_str("value")).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// Sets the control's value and fires a bubbling `change` (what a user's blur does).
fn change(element: &web_sys::Element, text: &str) {
    js_sys::Reflect::set(element, &JsValue::from_str("value"), &JsValue::from_str(text)).expect("set value");
    fire(element, "change");
}

fn fire(element: &web_sys::Element, event: &str) {
    let dispatch = js_sys::Function::new_with_args("el, type", "el.dispatchEvent(new Event(type, {bubbles: true}))");
    dispatch.call2(&JsValue::NULL, element, &JsValue::from_str(event)).expect("dispatch");
}

/// Waits (a bounded number of scheduler turns) until `done` holds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..50 {
        if done() {
            return;
        }
        tick().await;
    }
    panic!("timed out waiting for {what}");
}

#[wasm_bindgen_test]
async fn editing_the_image_changes_only_that_yaml_line() {
    let original = DEFAULT_EXAMPLE.source.to_owned();
    let (root, source, changes) = mount(&original);
    let web = fieldset(&root, "Service web");
    let image = labelled(&web, "Image");
    until("the image in the form", || value(&image) == "akashnetwork/hello-akash-world:1.0.0").await;

    change(&image, "nginx:1.27");
    until("the change", || !changes.get_untracked().is_empty()).await;
    let text = source.get_untracked();
    let (old, new): (Vec<_>, Vec<_>) = (original.lines().collect(), text.lines().collect());
    assert_eq!(old.len(), new.len());
    let differing: Vec<_> = old.iter().zip(&new).filter(|(a, b)| a != b).collect();
    assert_eq!(differing, [(&"    image: akashnetwork/hello-akash-world:1.0.0", &"    image: nginx:1.27")]);
    assert_eq!(changes.get_untracked().len(), 1);
}

#[wasm_bindgen_test]
async fn a_udp_port_on_a_new_ip_endpoint_builds_and_shows_in_the_ip_plan() {
    let (root, source, _changes) = mount("");
    button(&root, "New SDL").click();
    until("the template", || source.get_untracked().contains("services:")).await;
    until("the service fieldset", || {
        all(&root, "legend").iter().any(|l| l.text_content().as_deref() == Some("Service web"))
    })
    .await;
    let template = source.get_untracked();
    assert!(leasekit_sdl::build(&template).diagnostics.all().is_empty(), "{template}");

    let name = labelled(&root, "New endpoint name");
    js_sys::Reflect::set(&name, &JsValue::from_str("value"), &JsValue::from_str("myip")).expect("set");
    fire(&name, "input");
    button(&root, "Add endpoint").click();
    until("the endpoint", || source.get_untracked().contains("myip:")).await;

    let web = fieldset(&root, "Service web");
    let first = fieldset(&web, "Port 1");
    until("the endpoint option", || all(&first, "option").iter().any(|o| value(o) == "myip")).await;
    change(&labelled(&first, "IP endpoint"), "myip");
    until("the first binding", || source.get_untracked().contains("ip: myip")).await;

    button(&web, "Add port").click();
    until("the second port", || all(&web, "legend").iter().any(|l| l.text_content().as_deref() == Some("Port 2")))
        .await;
    let second = fieldset(&web, "Port 2");
    change(&labelled(&second, "Port"), "27015");
    until("the port", || source.get_untracked().contains("port: 27015")).await;
    change(&labelled(&second, "As"), "27015");
    until("as", || source.get_untracked().contains("as: 27015")).await;
    change(&labelled(&second, "Protocol"), "UDP");
    until("the protocol", || source.get_untracked().contains("proto: UDP")).await;
    change(&labelled(&second, "IP endpoint"), "myip");
    until("the second binding", || source.get_untracked().matches("ip: myip").count() == 2).await;

    let text = source.get_untracked();
    let build = leasekit_sdl::build(&text);
    let output = build.output.unwrap_or_else(|| panic!("{text}\n{:?}", build.diagnostics.all()));
    let exposes = &output.manifest.groups[0].services[0].expose;
    assert!(exposes.iter().any(|e| e.port == 27015 && e.proto.as_str() == "UDP" && e.ip == "myip"), "{exposes:?}");

    let plan =
        || all(&root, "[data-testid=builder-plan-line]").iter().filter_map(|l| l.text_content()).collect::<Vec<_>>();
    until("the IP plan", || plan().len() == 2).await;
    let lines = plan();
    assert!(lines.iter().any(|l| l.contains("80/TCP")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("27015/UDP")), "{lines:?}");
    let matrix = root.query_selector("table[aria-label='Port × endpoint matrix']").expect("selector").expect("matrix");
    assert_eq!(all(&matrix, "td[data-state=on]").len(), 2);
}

#[wasm_bindgen_test]
async fn an_endpoint_created_inline_is_declared_and_used_in_one_edit() {
    let (root, source, changes) = mount(&leasekit_sdl_edit::form::new_sdl_template());
    let port = fieldset(&fieldset(&root, "Service web"), "Port 1");
    until("the form", || value(&labelled(&port, "Port")) == "80").await;
    change(&labelled(&port, "IP endpoint"), "+new");
    until("the name field", || {
        all(&port, "label").iter().any(|l| l.text_content().as_deref() == Some("Name for the new endpoint"))
    })
    .await;
    let name = labelled(&port, "Name for the new endpoint");
    js_sys::Reflect::set(&name, &JsValue::from_str("value"), &JsValue::from_str("web-ip")).expect("set");
    fire(&name, "input");
    button(&port, "Create endpoint").click();
    until("the edit", || !changes.get_untracked().is_empty()).await;
    assert_eq!(changes.get_untracked().len(), 1);
    let text = source.get_untracked();
    assert!(
        text.contains("            ip: web-ip\n") && text.ends_with("endpoints:\n  web-ip:\n    kind: ip\n"),
        "{text}"
    );
    assert!(leasekit_sdl::build(&text).output.is_some(), "{text}");
    until("the select", || value(&labelled(&port, "IP endpoint")) == "web-ip").await;
}

/// The right edge of the element's box on the page (`getBoundingClientRect().right`).
fn right(element: &web_sys::Element) -> f64 {
    let rect = js_sys::Function::new_with_args("el", "return el.getBoundingClientRect().right")
        .call1(&JsValue::NULL, element)
        .expect("rect");
    rect.as_f64().expect("number")
}

/// At 360 px nothing is wider than the builder: the matrix scrolls inside its own box.
#[wasm_bindgen_test]
async fn the_builder_fits_360_px() {
    let text = DEFAULT_EXAMPLE.source.replace(
        "endpoints:\n",
        "endpoints:\n  a-rather-long-endpoint-name:\n    kind: ip\n  another-long-endpoint-name:\n    kind: ip\n",
    );
    let (root, _source, _changes) = mount(&text);
    root.style().set_property("width", "360px").expect("width");
    let builder = root.query_selector("[data-testid=builder]").expect("selector").expect("builder");
    until("the form", || all(&root, "table th code").len() == 3).await;
    let (scroll, client) = (builder.scroll_width(), builder.client_width());
    assert!(client <= 360 && scroll <= client, "scroll width {scroll} > client width {client}");
    // The matrix itself is wider than the screen here: its box scrolls, the page does not.
    let table = root.query_selector("table").expect("selector").expect("table");
    assert!(table.scroll_width() > 360, "matrix {} px wide", table.scroll_width());
    for field in all(&builder, "input, select, textarea, button") {
        assert!(
            right(&field) <= right(&root) + 0.5 || field.closest(".builder-matrix-wrap").ok().flatten().is_some(),
            "{:?} sticks out",
            field.outer_html()
        );
    }
}

#[wasm_bindgen_test]
async fn editing_the_yaml_re_renders_the_form() {
    let (root, source, changes) = mount(DEFAULT_EXAMPLE.source);
    let image = labelled(&fieldset(&root, "Service web"), "Image");
    let edited = DEFAULT_EXAMPLE
        .source
        .replace("akashnetwork/hello-akash-world:1.0.0", "nginx:1.27")
        .replace("services:\n", "services:\n  api:\n    image: api:2\n");
    source.set(edited);
    until("the new image", || value(&image) == "nginx:1.27").await;
    until("the new service", || {
        all(&root, "legend").iter().any(|l| l.text_content().as_deref() == Some("Service api"))
    })
    .await;
    assert_eq!(value(&labelled(&fieldset(&root, "Service api"), "Image")), "api:2");
    // Nothing was written back: only the form changed.
    assert!(changes.get_untracked().is_empty());

    // YAML that is not YAML leaves the form empty and says why.
    source.set("services: [".to_owned());
    until("the alert", || {
        root.query_selector("[role=alert]").ok().flatten().and_then(|a| a.text_content()).is_some_and(|t| !t.is_empty())
    })
    .await;
}
