//! The form builder: the SDL as a form, two-way with the YAML.
//!
//! The form is read from the text on every change ([`Form::read`], lenient: any YAML mapping
//! opens, invalid SDL included), and every form change becomes a [`FormEdit`] (two for an
//! endpoint created inline) that [`apply`] turns into the smallest YAML edits, all applied to
//! one parse of the text; the new text goes to `on_change`, which feeds the editor, and comes
//! back as `source`. The builder keeps no state of its own besides what is being typed, so
//! YAML and form cannot drift apart. The matrix runs the engine on every change of `source`
//! (not debounced: well under a millisecond for a typical SDL).
//!
//! Inputs apply on `change` (blur or Enter), not on every key: a half-typed port would
//! otherwise be written into the YAML and checked. Lists are keyed by service name and expose
//! index, and values are bound as properties, so a re-render after an edit keeps the focus.
//!
//! No SDL rule is decided here: collisions, the IP plan and what is wrong come from
//! `leasekit-sdl` and `leasekit-ipalloc` ([`matrix`]).

pub mod matrix;

use std::sync::atomic::{AtomicUsize, Ordering};

use leasekit_sdl_edit::Document;
use leasekit_sdl_edit::form::{ExposeField, ExposeForm, Form, FormEdit, ServiceForm, Step, apply, new_sdl_template};
use leptos::prelude::*;

use matrix::{Cell, MatrixView};

/// The builder's styles, scoped under `.builder`.
const CSS: &str = include_str!("builder.css");

/// The IP endpoint select's value for "+ New endpoint…".
const NEW_ENDPOINT: &str = "+new";

/// A prefix for element ids that is unique in the page (labels point at inputs by id).
fn unique_id(what: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("builder-{what}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Lines of a textarea, blank ones dropped.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

/// Hosts separated by spaces, commas or line breaks.
fn hosts(text: &str) -> Vec<String> {
    text.split([' ', ',', '\n', '\t']).filter(|h| !h.is_empty()).map(str::to_owned).collect()
}

/// The form builder for `source`; every edit calls `on_change` with the new text.
#[component]
pub fn Builder(
    /// The SDL text.
    #[prop(into)]
    source: Signal<String>,
    /// Called with the edited text after each form change.
    on_change: Callback<String>,
) -> impl IntoView {
    let parsed = Memo::new(move |_| source.with(|text| Form::parse(text).map_err(|e| e.to_string())));
    let form = Memo::new(move |_| parsed.with(|p| p.clone().unwrap_or_default()));
    let matrix = Memo::new(move |_| source.with(|text| form.with(|f| MatrixView::of(text, f))));
    let problem = RwSignal::new(None::<String>);

    // A list of changes goes into the YAML together (or not at all): one `on_change`.
    let edits = Callback::new(move |changes: Vec<FormEdit>| {
        let text = source.get_untracked();
        let result = Document::parse(&text)
            .and_then(|mut doc| changes.iter().try_for_each(|change| apply(&mut doc, change)).map(|()| doc));
        match result {
            Ok(doc) => {
                problem.set(None);
                if doc.text() != text {
                    on_change.run(doc.text().to_owned());
                }
            }
            Err(e) => problem.set(Some(format!("That change could not be written into the YAML: {e}."))),
        }
    });
    let edit = Callback::new(move |change: FormEdit| edits.run(vec![change]));

    let new_endpoint = RwSignal::new(String::new());
    let new_service = RwSignal::new(String::new());
    let endpoint_input = unique_id("endpoint");
    let service_input = unique_id("service");

    let add_endpoint = move || {
        let name = new_endpoint.get_untracked().trim().to_owned();
        if name.is_empty() {
            problem.set(Some("Type a name for the new endpoint first.".to_owned()));
            return;
        }
        edit.run(FormEdit::AddEndpoint { name });
        new_endpoint.set(String::new());
    };
    let add_service = move |_| {
        let typed = new_service.get_untracked().trim().to_owned();
        let name = if typed.is_empty() { form.with_untracked(Form::unused_service_name) } else { typed };
        edit.run(FormEdit::AddService { name });
        new_service.set(String::new());
    };

    view! {
        <div class="builder" data-testid="builder">
            <style>{CSS}</style>
            <div class="builder-bar">
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        problem.set(None);
                        on_change.run(new_sdl_template());
                    }
                >
                    "New SDL"
                </button>
                <p class="builder-hint muted">"Changes go into the YAML when a field loses focus or on Enter."</p>
            </div>
            <p class="builder-problem" role="alert" data-testid="builder-problem">
                {move || {
                    parsed
                        .with(|p| p.as_ref().err().map(|e| format!("The YAML cannot be read as a form: {e}")))
                        .or_else(|| problem.get())
                }}
            </p>
            <section class="builder-section" aria-labelledby="builder-ip-heading">
                <h3 id="builder-ip-heading">"IP endpoints"</h3>
                <ul class="builder-endpoints">
                    <For
                        each=move || form.with(|f| f.endpoints.iter().map(|e| e.name.clone()).collect::<Vec<_>>())
                        key=|name| name.clone()
                        let:name
                    >
                        <li>
                            <code>{name.clone()}</code>
                            <button
                                type="button"
                                class="button small"
                                aria-label=format!("Remove endpoint {name}")
                                on:click={
                                    let name = name.clone();
                                    move |_| edit.run(FormEdit::RemoveEndpoint { name: name.clone() })
                                }
                            >
                                "Remove"
                            </button>
                        </li>
                    </For>
                </ul>
                <div class="builder-row">
                    <label for=endpoint_input.clone()>"New endpoint name"</label>
                    <input
                        id=endpoint_input
                        type="text"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder="e.g. myip"
                        prop:value=move || new_endpoint.get()
                        on:input=move |ev| new_endpoint.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                add_endpoint();
                            }
                        }
                    />
                    <button type="button" class="button" on:click=move |_| add_endpoint()>
                        "Add endpoint"
                    </button>
                </div>
                <Matrix matrix=matrix edit=edit />
            </section>
            <section class="builder-section" aria-labelledby="builder-services-heading">
                <h3 id="builder-services-heading">"Services"</h3>
                <For
                    each=move || form.with(|f| f.services.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
                    key=|name| name.clone()
                    let:name
                >
                    <ServiceFieldset name=name form=form edit=edit edits=edits />
                </For>
                <div class="builder-row">
                    <label for=service_input.clone()>"New service name"</label>
                    <input
                        id=service_input
                        type="text"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder=move || form.with(Form::unused_service_name)
                        prop:value=move || new_service.get()
                        on:input=move |ev| new_service.set(event_target_value(&ev))
                    />
                    <button type="button" class="button" on:click=add_service>
                        "Add service"
                    </button>
                </div>
            </section>
            <section class="builder-section" aria-labelledby="builder-placements-heading">
                <h3 id="builder-placements-heading">"Placements"</h3>
                <For
                    each=move || form.with(|f| f.placements.iter().map(|p| p.name.clone()).collect::<Vec<_>>())
                    key=|name| name.clone()
                    let:name
                >
                    <PlacementFieldset placement=name form=form edit=edit />
                </For>
            </section>
        </div>
    }
}

/// A labelled text input bound to a form value, applying on change.
#[component]
fn TextField(
    /// The label.
    #[prop(into)]
    label: String,
    /// The current value.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new text.
    on_set: Callback<String>,
    /// `inputmode` (`numeric` for ports).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = unique_id("field");
    view! {
        <div class="builder-field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                spellcheck="false"
                autocomplete="off"
                inputmode=inputmode
                prop:value=move || value.get()
                on:change=move |ev| on_set.run(event_target_value(&ev))
            />
        </div>
    }
}

/// A labelled textarea of one item per line.
#[component]
fn LinesField(
    /// The label.
    label: &'static str,
    /// The items.
    #[prop(into)]
    items: Signal<Vec<String>>,
    /// Called with the new items.
    on_set: Callback<Vec<String>>,
    /// Help text under the label.
    help: &'static str,
) -> impl IntoView {
    let id = unique_id("lines");
    let help_id = format!("{id}-help");
    view! {
        <div class="builder-field wide">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                rows="3"
                spellcheck="false"
                autocomplete="off"
                aria-describedby=help_id.clone()
                prop:value=move || items.get().join("\n")
                on:change=move |ev| on_set.run(lines(&event_target_value(&ev)))
            ></textarea>
            <small id=help_id class="muted">
                {help}
            </small>
        </div>
    }
}

/// One service.
#[component]
fn ServiceFieldset(
    name: String,
    form: Memo<Form>,
    edit: Callback<FormEdit>,
    edits: Callback<Vec<FormEdit>>,
) -> impl IntoView {
    let service = StoredValue::new(name.clone());
    let svc = move || form.with(|f| f.service(&service.get_value()).cloned());
    let get =
        move |pick: fn(&ServiceForm) -> String| Signal::derive(move || svc().map(|s| pick(&s)).unwrap_or_default());
    let list = move |pick: fn(&ServiceForm) -> Vec<String>| {
        Signal::derive(move || svc().map(|s| pick(&s)).unwrap_or_default())
    };
    let exposes = move || {
        svc()
            .map(|s| s.exposes.iter().enumerate().map(|(n, e)| (index_of(e, n), n)).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let deployments = move || {
        form.with(|f| {
            f.deployments
                .iter()
                .filter(|d| d.service == service.get_value())
                .map(|d| d.placement.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <fieldset class="builder-service">
            <legend>{format!("Service {name}")}</legend>
            <div class="builder-grid">
                <TextField
                    label="Image"
                    value=get(|s| s.image.text().to_owned())
                    on_set=Callback::new(move |image| edit.run(FormEdit::SetImage { service: service.get_value(), image }))
                />
                <LinesField
                    label="Command"
                    items=list(|s| s.command.items.clone())
                    help="One word per line."
                    on_set=Callback::new(move |items| edit.run(FormEdit::SetCommand { service: service.get_value(), items }))
                />
                <LinesField
                    label="Args"
                    items=list(|s| s.args.items.clone())
                    help="One argument per line."
                    on_set=Callback::new(move |items| edit.run(FormEdit::SetArgs { service: service.get_value(), items }))
                />
                <LinesField
                    label="Environment"
                    items=list(|s| s.env.items.clone())
                    help="One NAME=value per line."
                    on_set=Callback::new(move |items| edit.run(FormEdit::SetEnv { service: service.get_value(), items }))
                />
            </div>
            <For each=exposes key=|(index, _)| *index let:pair>
                <ExposeFieldset service=service index=pair.0 form=form edit=edit edits=edits />
            </For>
            <div class="builder-actions">
                <button
                    type="button"
                    class="button"
                    on:click=move |_| edit.run(FormEdit::AddExpose { service: service.get_value() })
                >
                    "Add port"
                </button>
            </div>
            <For each=deployments key=|p| p.clone() let:placement>
                <DeploymentFieldset service=service placement=placement form=form edit=edit />
            </For>
            <div class="builder-actions">
                <button
                    type="button"
                    class="button danger"
                    aria-label=format!("Remove service {name}")
                    on:click=move |_| edit.run(FormEdit::RemoveService { name: service.get_value() })
                >
                    "Remove service"
                </button>
            </div>
        </fieldset>
    }
}

/// The YAML index of an expose (its position when the path is odd).
fn index_of(e: &ExposeForm, position: usize) -> usize {
    match e.path.0.last() {
        Some(Step::Index(i)) => *i,
        _ => position,
    }
}

/// One expose of a service.
#[component]
fn ExposeFieldset(
    service: StoredValue<String>,
    index: usize,
    form: Memo<Form>,
    edit: Callback<FormEdit>,
    edits: Callback<Vec<FormEdit>>,
) -> impl IntoView {
    let expose = move || {
        form.with(|f| {
            let s = f.service(&service.get_value())?;
            s.exposes.iter().enumerate().find(|(n, e)| index_of(e, *n) == index).map(|(n, e)| (n, e.clone()))
        })
    };
    let number = move || expose().map_or(0, |(n, _)| n + 1);
    let text = move |pick: fn(&ExposeForm) -> String| {
        Signal::derive(move || expose().map(|(_, e)| pick(&e)).unwrap_or_default())
    };
    let set = move |field: ExposeField| {
        Callback::new(move |value: String| {
            let value = (!value.trim().is_empty()).then(|| value.trim().to_owned());
            edit.run(FormEdit::SetExpose { service: service.get_value(), index, field, value });
        })
    };
    let proto = move || expose().map(|(_, e)| e.proto.text().to_ascii_uppercase()).unwrap_or_default();
    let endpoints = move || form.with(|f| f.endpoints.iter().map(|e| e.name.clone()).collect::<Vec<_>>());
    let ip = move || expose().and_then(|(_, e)| e.ip.value).unwrap_or_default();
    let (proto_id, global_id, ip_id) = (unique_id("proto"), unique_id("global"), unique_id("ip"));
    // "+ New endpoint…" in the select opens a name field right here.
    let creating = RwSignal::new(false);
    let new_name = RwSignal::new(String::new());
    let new_id = unique_id("new-endpoint");
    let name_input = NodeRef::<leptos::html::Input>::new();
    // The field appears where the select was: move the focus into it.
    Effect::new(move |_| {
        if creating.get()
            && let Some(input) = name_input.get()
        {
            let _ = input.focus();
        }
    });
    let create = move || {
        let name = new_name.get_untracked().trim().to_owned();
        if name.is_empty() {
            return;
        }
        edits.run(vec![
            FormEdit::AddEndpoint { name: name.clone() },
            FormEdit::SetExposeIp { service: service.get_value(), index, endpoint: Some(name) },
        ]);
        new_name.set(String::new());
        creating.set(false);
    };
    view! {
        <fieldset class="builder-expose">
            <legend>{move || format!("Port {}", number())}</legend>
            <div class="builder-grid">
                <TextField label="Port" inputmode="numeric" value=text(|e| e.port.text().to_owned()) on_set=set(ExposeField::Port) />
                <TextField label="As" inputmode="numeric" value=text(|e| e.as_port.text().to_owned()) on_set=set(ExposeField::As) />
                <div class="builder-field">
                    <label for=proto_id.clone()>"Protocol"</label>
                    <select
                        id=proto_id
                        prop:value=move || if proto().is_empty() { "TCP".to_owned() } else { proto() }
                        on:change=move |ev| {
                            edit.run(FormEdit::SetExpose {
                                service: service.get_value(),
                                index,
                                field: ExposeField::Proto,
                                value: Some(event_target_value(&ev)),
                            })
                        }
                    >
                        <option value="TCP">"TCP"</option>
                        <option value="UDP">"UDP"</option>
                        {move || {
                            let p = proto();
                            (!p.is_empty() && p != "TCP" && p != "UDP")
                                .then(|| view! { <option value=p.clone()>{format!("{p} (not TCP or UDP)")}</option> })
                        }}
                    </select>
                </div>
                <div class="builder-field checkbox">
                    <input
                        id=global_id.clone()
                        type="checkbox"
                        prop:checked=move || expose().is_some_and(|(_, e)| e.is_global())
                        on:change=move |ev| {
                            edit.run(FormEdit::SetGlobal {
                                service: service.get_value(),
                                index,
                                global: event_target_checked(&ev),
                            })
                        }
                    />
                    <label for=global_id>"Global"</label>
                </div>
                <div class="builder-field">
                    <label for=ip_id.clone()>"IP endpoint"</label>
                    <select
                        id=ip_id
                        prop:value=ip
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            if value == NEW_ENDPOINT {
                                event_target::<web_sys::HtmlSelectElement>(&ev).set_value(&ip());
                                creating.set(true);
                                return;
                            }
                            edit.run(FormEdit::SetExposeIp {
                                service: service.get_value(),
                                index,
                                endpoint: (!value.is_empty()).then_some(value),
                            })
                        }
                    >
                        <option value="">"none"</option>
                        {move || {
                            let current = ip();
                            let mut names = endpoints();
                            let undeclared = !current.is_empty() && !names.contains(&current);
                            if undeclared {
                                names.push(current.clone());
                            }
                            names
                                .into_iter()
                                .map(|n| {
                                    let text = if undeclared && n == current { format!("{n} (not declared)") } else { n.clone() };
                                    view! { <option value=n.clone() selected=n == current>{text}</option> }
                                })
                                .collect_view()
                        }}
                        <option value=NEW_ENDPOINT>"+ New endpoint…"</option>
                    </select>
                </div>
                {move || {
                    let new_id = new_id.clone();
                    creating
                        .get()
                        .then(|| {
                            view! {
                                <div class="builder-field wide builder-row">
                                    <label for=new_id.clone()>"Name for the new endpoint"</label>
                                    <input
                                        id=new_id
                                        type="text"
                                        spellcheck="false"
                                        autocomplete="off"
                                        node_ref=name_input
                                        prop:value=move || new_name.get()
                                        on:input=move |ev| new_name.set(event_target_value(&ev))
                                        on:keydown=move |ev| {
                                            if ev.key() == "Enter" {
                                                ev.prevent_default();
                                                create();
                                            }
                                        }
                                    />
                                    <button type="button" class="button" on:click=move |_| create()>
                                        "Create endpoint"
                                    </button>
                                    <button type="button" class="button small" on:click=move |_| creating.set(false)>
                                        "Cancel"
                                    </button>
                                </div>
                            }
                        })
                }}
                <TextField
                    label="Accept hosts"
                    value=text(|e| e.accept.items.join(" "))
                    on_set=Callback::new(move |value: String| {
                        edit.run(FormEdit::SetAccept { service: service.get_value(), index, hosts: hosts(&value) })
                    })
                />
            </div>
            <div class="builder-actions">
                <button
                    type="button"
                    class="button small"
                    on:click=move |_| edit.run(FormEdit::RemoveExpose { service: service.get_value(), index })
                >
                    "Remove port"
                </button>
            </div>
        </fieldset>
    }
}

/// A service's deployment to one placement: count, price and the compute profile.
#[component]
fn DeploymentFieldset(
    service: StoredValue<String>,
    placement: String,
    form: Memo<Form>,
    edit: Callback<FormEdit>,
) -> impl IntoView {
    let place = StoredValue::new(placement.clone());
    let entry = move || {
        form.with(|f| {
            f.deployments.iter().find(|d| d.service == service.get_value() && d.placement == place.get_value()).cloned()
        })
    };
    let profile = move || entry().and_then(|d| d.profile.value).unwrap_or_default();
    let count = Signal::derive(move || entry().map(|d| d.count.text().to_owned()).unwrap_or_default());
    let price = move |denom: bool| {
        Signal::derive(move || {
            form.with(|f| {
                f.price(&place.get_value(), &profile())
                    .map(|p| if denom { p.denom.text() } else { p.amount.text() }.to_owned())
                    .unwrap_or_default()
            })
        })
    };
    let compute = move |which: u8| {
        Signal::derive(move || {
            form.with(|f| {
                f.compute_profile(&profile())
                    .map(|c| {
                        match which {
                            0 => c.cpu.text(),
                            1 => c.memory.text(),
                            _ => c.storage.text(),
                        }
                        .to_owned()
                    })
                    .unwrap_or_default()
            })
        })
    };
    view! {
        <fieldset class="builder-deployment">
            <legend>{format!("Placement {placement}")}</legend>
            <p class="muted">{move || format!("Compute profile {}", profile())}</p>
            <div class="builder-grid">
                <TextField
                    label="Count"
                    inputmode="numeric"
                    value=count
                    on_set=Callback::new(move |count| {
                        edit.run(FormEdit::SetCount { service: service.get_value(), placement: place.get_value(), count })
                    })
                />
                <TextField
                    label="Price per block"
                    inputmode="decimal"
                    value=price(false)
                    on_set=Callback::new(move |amount| {
                        edit.run(FormEdit::SetPrice { placement: place.get_value(), profile: profile(), amount })
                    })
                />
                <TextField
                    label="Denom"
                    value=price(true)
                    on_set=Callback::new(move |denom| {
                        edit.run(FormEdit::SetDenom { placement: place.get_value(), profile: profile(), denom })
                    })
                />
                <TextField
                    label="CPU"
                    inputmode="decimal"
                    value=compute(0)
                    on_set=Callback::new(move |units| edit.run(FormEdit::SetCpu { profile: profile(), units }))
                />
                <TextField
                    label="Memory"
                    value=compute(1)
                    on_set=Callback::new(move |size| edit.run(FormEdit::SetMemory { profile: profile(), size }))
                />
                <TextField
                    label="Storage"
                    value=compute(2)
                    on_set=Callback::new(move |size| edit.run(FormEdit::SetStorage { profile: profile(), size }))
                />
            </div>
        </fieldset>
    }
}

/// A placement's attributes (what providers must match).
#[component]
fn PlacementFieldset(placement: String, form: Memo<Form>, edit: Callback<FormEdit>) -> impl IntoView {
    let place = StoredValue::new(placement.clone());
    let keys = move || {
        form.with(|f| {
            f.placements
                .iter()
                .find(|p| p.name == place.get_value())
                .map(|p| p.attributes.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let new_key = RwSignal::new(String::new());
    let new_value = RwSignal::new(String::new());
    let (key_id, value_id) = (unique_id("attr-key"), unique_id("attr-value"));
    let add = move |_| {
        let key = new_key.get_untracked().trim().to_owned();
        if key.is_empty() {
            return;
        }
        let value = Some(new_value.get_untracked().trim().to_owned());
        edit.run(FormEdit::SetAttribute { placement: place.get_value(), key, value });
        new_key.set(String::new());
        new_value.set(String::new());
    };
    view! {
        <fieldset class="builder-placement">
            <legend>{format!("Attributes of {placement}")}</legend>
            <div class="builder-grid">
                <For each=keys key=|k| k.clone() let:key>
                    <TextField
                        label=key.clone()
                        value=Signal::derive({
                            let key = key.clone();
                            move || {
                                form.with(|f| {
                                    f.placements
                                        .iter()
                                        .find(|p| p.name == place.get_value())
                                        .and_then(|p| p.attributes.iter().find(|(k, _)| *k == key))
                                        .map(|(_, v)| v.text().to_owned())
                                        .unwrap_or_default()
                                })
                            }
                        })
                        on_set=Callback::new({
                            let key = key.clone();
                            move |value: String| {
                                let value = (!value.trim().is_empty()).then(|| value.trim().to_owned());
                                edit.run(FormEdit::SetAttribute { placement: place.get_value(), key: key.clone(), value })
                            }
                        })
                    />
                </For>
            </div>
            <div class="builder-row">
                <label for=key_id.clone()>"New attribute"</label>
                <input
                    id=key_id
                    type="text"
                    placeholder="key"
                    prop:value=move || new_key.get()
                    on:input=move |ev| new_key.set(event_target_value(&ev))
                />
                <label for=value_id.clone()>"Value"</label>
                <input
                    id=value_id
                    type="text"
                    placeholder="value"
                    prop:value=move || new_value.get()
                    on:input=move |ev| new_value.set(event_target_value(&ev))
                />
                <button type="button" class="button" on:click=add>
                    "Add attribute"
                </button>
            </div>
            <p class="muted">"Clear a value to remove the attribute."</p>
        </fieldset>
    }
}

/// The port × endpoint matrix and the IP plan.
#[component]
fn Matrix(matrix: Memo<MatrixView>, edit: Callback<FormEdit>) -> impl IntoView {
    view! {
        <div class="builder-matrix-wrap">
            <table class="builder-matrix" aria-label="Port × endpoint matrix">
                <thead>
                    <tr>
                        <th scope="col">"Port"</th>
                        {move || {
                            matrix
                                .with(|m| m.endpoints.clone())
                                .into_iter()
                                .map(|e| view! { <th scope="col"><code>{e}</code></th> })
                                .collect_view()
                        }}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let m = matrix.get();
                        let endpoints = m.endpoints.clone();
                        m.rows
                            .into_iter()
                            .map(|row| {
                                let cells = row
                                    .cells
                                    .iter()
                                    .zip(&endpoints)
                                    .map(|(cell, endpoint)| {
                                        let on = !matches!(cell, Cell::Off);
                                        let label = format!(
                                            "{} port {} on {endpoint}",
                                            row.service,
                                            row.number
                                        );
                                        let change = FormEdit::SetExposeIp {
                                            service: row.service.clone(),
                                            index: row.index,
                                            endpoint: (!on).then(|| endpoint.clone()),
                                        };
                                        let (mark, state, title) = match cell {
                                            Cell::Off => ("·", "off", String::new()),
                                            Cell::On => ("●", "on", String::new()),
                                            Cell::Collision(m) => ("⚠", "collision", m.clone()),
                                        };
                                        view! {
                                            <td data-state=state>
                                                <button
                                                    type="button"
                                                    class="cell"
                                                    aria-pressed=on.to_string()
                                                    aria-label=label
                                                    title=title.clone()
                                                    on:click=move |_| edit.run(change.clone())
                                                >
                                                    {mark}
                                                </button>
                                                {(!title.is_empty())
                                                    .then(|| view! { <span class="visually-hidden">{format!("collision: {title}")}</span> })}
                                            </td>
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    <tr>
                                        <th scope="row">
                                            {format!("{} · Port {}", row.service, row.number)}
                                            <br />
                                            <span class="muted">{row.ports.clone()}</span>
                                        </th>
                                        {cells}
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
        <div class="builder-plan" data-testid="builder-ip-plan">
            <h4>"IP plan"</h4>
            {move || {
                let m = matrix.get();
                if !m.builds {
                    return view! {
                        <p class="muted">"The IP plan appears when the SDL has no errors."</p>
                    }
                        .into_any();
                }
                if m.plan.is_empty() {
                    return view! { <p class="muted">"No port is on an IP endpoint: nothing to lease."</p> }.into_any();
                }
                view! {
                    <ul>
                        {m
                            .groups
                            .iter()
                            .map(|(group, n)| {
                                let s = if *n == 1 { "" } else { "s" };
                                view! { <li>{format!("Placement {group}: {n} IP{s} to lease")}</li> }
                            })
                            .collect_view()}
                        {m
                            .plan
                            .iter()
                            .map(|line| {
                                view! {
                                    <li data-testid="builder-plan-line">
                                        <code>{line.endpoint.clone()}</code>
                                        {format!(" ({}): {}", line.group, line.text)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <ul class="builder-issues">
                {move || {
                    matrix
                        .with(|m| m.issues.clone())
                        .into_iter()
                        .map(|issue| view! { <li data-testid="builder-ip-issue">{issue}</li> })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
