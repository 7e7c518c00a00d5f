//! The deploy form over real SDLs: a lossless round trip (every field re-applied with the value
//! the form shows changes nothing) over the conformance inputs and the engine's rule fixtures,
//! hand-written edit cases (`tests/form/NAME.yaml` with `# form: ...` lines →
//! `NAME.expected.yaml`), and a seeded property test of random form edits.

mod common;

use std::path::Path;

use common::{Rng, read, suite, words, yaml_files};

use leasekit_sdl_edit::Document;
use leasekit_sdl_edit::form::{ExposeField, Form, FormEdit, apply, new_sdl_template};

/// Every edit that writes back what the form shows for `form`.
fn same_value_edits(form: &Form) -> Vec<FormEdit> {
    let bool_word = |v: &str| {
        ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"].contains(&v)
            || ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"].contains(&v)
    };
    let mut edits = Vec::new();
    for s in &form.services {
        let service = s.name.clone();
        if let Some(image) = &s.image.value {
            edits.push(FormEdit::SetImage { service: service.clone(), image: image.clone() });
        }
        if s.command.editable {
            edits.push(FormEdit::SetCommand { service: service.clone(), items: s.command.items.clone() });
        }
        if s.args.editable {
            edits.push(FormEdit::SetArgs { service: service.clone(), items: s.args.items.clone() });
        }
        if s.env.editable {
            edits.push(FormEdit::SetEnv { service: service.clone(), items: s.env.items.clone() });
        }
        for e in &s.exposes {
            let Some(leasekit_sdl_edit::form::Step::Index(index)) = e.path.0.last().cloned() else {
                panic!("expose path {}", e.path)
            };
            for (field, f) in
                [(ExposeField::Port, &e.port), (ExposeField::As, &e.as_port), (ExposeField::Proto, &e.proto)]
            {
                edits.push(FormEdit::SetExpose { service: service.clone(), index, field, value: f.value.clone() });
            }
            if e.global.value.as_deref().is_some_and(bool_word) {
                edits.push(FormEdit::SetGlobal { service: service.clone(), index, global: e.is_global() });
            }
            edits.push(FormEdit::SetExposeIp { service: service.clone(), index, endpoint: e.ip.value.clone() });
            if e.accept.editable {
                edits.push(FormEdit::SetAccept { service: service.clone(), index, hosts: e.accept.items.clone() });
            }
        }
    }
    for c in &form.compute {
        let profile = c.name.clone();
        if let Some(units) = &c.cpu.value {
            edits.push(FormEdit::SetCpu { profile: profile.clone(), units: units.clone() });
        }
        if let Some(size) = &c.memory.value {
            edits.push(FormEdit::SetMemory { profile: profile.clone(), size: size.clone() });
        }
        if let Some(size) = &c.storage.value {
            edits.push(FormEdit::SetStorage { profile, size: size.clone() });
        }
    }
    for p in &form.placements {
        for (key, value) in &p.attributes {
            edits.push(FormEdit::SetAttribute {
                placement: p.name.clone(),
                key: key.clone(),
                value: value.value.clone(),
            });
        }
        for price in &p.pricing {
            if let Some(amount) = &price.amount.value {
                edits.push(FormEdit::SetPrice {
                    placement: p.name.clone(),
                    profile: price.profile.clone(),
                    amount: amount.clone(),
                });
            }
            if let Some(denom) = &price.denom.value {
                edits.push(FormEdit::SetDenom {
                    placement: p.name.clone(),
                    profile: price.profile.clone(),
                    denom: denom.clone(),
                });
            }
        }
    }
    for d in &form.deployments {
        if let Some(count) = &d.count.value {
            edits.push(FormEdit::SetCount {
                service: d.service.clone(),
                placement: d.placement.clone(),
                count: count.clone(),
            });
        }
    }
    edits
}

#[test]
fn form_round_trip_is_lossless() {
    let mut files = yaml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdl/tests/rules"));
    let conformance = suite().map(|s| yaml_files(&s.join("input"))).unwrap_or_default();
    let from_suite = conformance.len();
    files.extend(conformance);
    let (mut documents, mut edits) = (0, 0);
    for file in &files {
        let text = read(file);
        let Ok(mut doc) = Document::parse(&text) else { continue };
        let form = Form::read(&doc);
        for edit in same_value_edits(&form) {
            apply(&mut doc, &edit).unwrap_or_else(|e| panic!("{}: {edit:?}: {e}", file.display()));
            assert_eq!(doc.text(), text, "{}: {edit:?} changed the text", file.display());
            edits += 1;
        }
        assert_eq!(Form::read(&doc), form);
        documents += 1;
    }
    assert!(documents > 50, "only {documents} documents");
    assert!(edits > 500, "only {edits} edits");
    if from_suite > 0 {
        assert!(from_suite >= 40, "{from_suite} conformance inputs");
    }
}

/// What the form reads from the default example, field by field (read off the YAML by hand).
#[test]
fn form_reads_an_ip_sdl() {
    let text = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/form/read-ip-sdl.yaml"));
    let form = Form::parse(&text).expect("parses");
    assert_eq!(form.version.as_deref(), Some("2.0"));
    let names: Vec<_> = form.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["web", "game"]);
    let web = &form.services[0];
    assert_eq!(web.image.value.as_deref(), Some("nginx:1.25"));
    assert_eq!(web.image.path.to_string(), "services.web.image");
    assert_eq!(web.env.items, ["A=1", "B=two words"]);
    assert_eq!(web.exposes.len(), 2);
    let e = &web.exposes[0];
    assert_eq!((e.port.text(), e.as_port.text(), e.proto.value.as_deref()), ("80", "8080", None));
    assert!(e.is_global());
    assert_eq!(e.ip.value.as_deref(), Some("shared"));
    assert_eq!(e.ip.path.to_string(), "services.web.expose.0.to.1.ip");
    assert_eq!(e.accept.items, ["example.com"]);
    let game = &form.services[1];
    assert_eq!(game.command.items, ["/bin/sh", "-c"]);
    assert_eq!(game.args.items, ["run --port 27015"]);
    let udp = &game.exposes[0];
    assert_eq!((udp.port.text(), udp.proto.text()), ("27015", "udp"));
    assert!(!udp.is_global());
    assert_eq!(udp.global.value.as_deref(), Some("no"));
    assert_eq!(
        form.endpoints.iter().map(|e| (e.name.as_str(), e.kind.text())).collect::<Vec<_>>(),
        [("shared", "ip"), ("unused", "ip")]
    );
    let c = form.compute_profile("small").expect("profile");
    assert_eq!((c.cpu.text(), c.memory.text(), c.storage.text()), ("0.5", "512Mi", "1Gi"));
    assert_eq!(c.storage.path.to_string(), "profiles.compute.small.resources.storage.0.size");
    let p = &form.placements[0];
    assert_eq!(p.name, "dc");
    assert_eq!(p.attributes[0].0, "region");
    assert_eq!(p.attributes[0].1.text(), "us-west");
    let price = form.price("dc", "small").expect("price");
    assert_eq!((price.denom.text(), price.amount.text()), ("uact", "1000"));
    let d: Vec<_> = form
        .deployments
        .iter()
        .map(|d| (d.service.as_str(), d.placement.as_str(), d.profile.text(), d.count.text()))
        .collect();
    assert_eq!(d, [("web", "dc", "small", "2"), ("game", "dc", "small", "1")]);
}

/// An SDL the engine rejects still opens: what can be read is read, the rest is `None`.
#[test]
fn form_reads_what_it_can() {
    let form = Form::parse("services:\n  a: 3\n  b:\n    image: [x]\n    expose: {port: 1}\nprofiles: nope\n")
        .expect("parses");
    assert_eq!(form.services.len(), 2);
    assert_eq!(form.services[0].image.value, None);
    assert_eq!(form.services[1].image.value, None);
    assert!(form.services[1].exposes.is_empty());
    assert!(form.compute.is_empty() && form.placements.is_empty() && form.deployments.is_empty());
    assert_eq!(Form::parse("").expect("empty document"), Form::default());
    assert!(Form::parse("a: [").is_err());
}

#[test]
fn the_template_builds_without_diagnostics() {
    let text = new_sdl_template();
    let build = leasekit_sdl::build(&text);
    assert!(build.diagnostics.all().is_empty(), "{:?}", build.diagnostics.all());
    let output = build.output.expect("builds");
    let service = &output.manifest.groups[0].services[0];
    assert_eq!(service.name, "web");
    assert!(service.image.starts_with("nginx"));
    assert_eq!((service.expose[0].port, service.expose[0].external_port, service.expose[0].global), (80, 80, true));
    assert!(service.expose[0].ip.is_empty());
    assert_eq!(output.group_specs[0].resources[0].price.denom, "uact");
    assert!(text.starts_with("version: \"2.0\"\n"));
}

/// A word's text (`"` marker dropped).
fn text_of(word: &str) -> String {
    word.strip_prefix('"').unwrap_or(word).to_owned()
}

/// A bare `-` is "none".
fn optional(word: &str) -> Option<String> {
    (word != "-").then(|| text_of(word))
}

/// One `# form:` line as a [`FormEdit`].
fn parse_edit(line: &str) -> FormEdit {
    let w = words(line);
    let s = |i: usize| text_of(&w[i]);
    let n = |i: usize| w[i].parse::<usize>().expect("index");
    let rest = |i: usize| w[i..].iter().map(|x| text_of(x)).collect::<Vec<_>>();
    match w[0].as_str() {
        "image" => FormEdit::SetImage { service: s(1), image: s(2) },
        "command" => FormEdit::SetCommand { service: s(1), items: rest(2) },
        "args" => FormEdit::SetArgs { service: s(1), items: rest(2) },
        "env" => FormEdit::SetEnv { service: s(1), items: rest(2) },
        "add-service" => FormEdit::AddService { name: s(1) },
        "remove-service" => FormEdit::RemoveService { name: s(1) },
        "add-port" => FormEdit::AddExpose { service: s(1) },
        "remove-port" => FormEdit::RemoveExpose { service: s(1), index: n(2) },
        "port" | "as" | "proto" => FormEdit::SetExpose {
            service: s(1),
            index: n(2),
            field: match w[0].as_str() {
                "port" => ExposeField::Port,
                "as" => ExposeField::As,
                _ => ExposeField::Proto,
            },
            value: optional(&w[3]),
        },
        "global" => FormEdit::SetGlobal { service: s(1), index: n(2), global: w[3] == "true" },
        "ip" => FormEdit::SetExposeIp { service: s(1), index: n(2), endpoint: optional(&w[3]) },
        "accept" => FormEdit::SetAccept { service: s(1), index: n(2), hosts: rest(3) },
        "add-endpoint" => FormEdit::AddEndpoint { name: s(1) },
        "remove-endpoint" => FormEdit::RemoveEndpoint { name: s(1) },
        "count" => FormEdit::SetCount { service: s(1), placement: s(2), count: s(3) },
        "price" => FormEdit::SetPrice { placement: s(1), profile: s(2), amount: s(3) },
        "denom" => FormEdit::SetDenom { placement: s(1), profile: s(2), denom: s(3) },
        "cpu" => FormEdit::SetCpu { profile: s(1), units: s(2) },
        "memory" => FormEdit::SetMemory { profile: s(1), size: s(2) },
        "storage" => FormEdit::SetStorage { profile: s(1), size: s(2) },
        "attribute" => FormEdit::SetAttribute { placement: s(1), key: s(2), value: optional(&w[3]) },
        other => panic!("unknown form edit {other}"),
    }
}

/// `tests/form/NAME.yaml`: its `# form: ...` lines applied in order give
/// `NAME.expected.yaml` (written by hand). Cases whose name starts with `valid-` must also
/// build without errors.
#[test]
fn form_edit_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/form");
    let mut cases = 0;
    for file in yaml_files(&dir) {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.ends_with(".expected.yaml") || name.starts_with("read-") {
            continue;
        }
        let text = read(&file);
        let mut doc = Document::parse(&text).expect("fixture parses");
        for line in text.lines() {
            if let Some(edit) = line.strip_prefix("# form: ") {
                apply(&mut doc, &parse_edit(edit)).unwrap_or_else(|e| panic!("{}: {edit}: {e}", file.display()));
            }
        }
        let expected = read(&file.with_extension("expected.yaml"));
        assert_eq!(doc.text(), expected, "{}", file.display());
        if name.starts_with("valid-") {
            let build = leasekit_sdl::build(doc.text());
            assert!(build.output.is_some(), "{}: {:?}", file.display(), build.diagnostics.all());
        }
        cases += 1;
    }
    assert!(cases >= 10, "{cases} cases");
}

/// A form edit naming something that is not there is refused and changes nothing.
#[test]
fn form_edits_on_missing_things_are_refused() {
    let text = new_sdl_template();
    for edit in [
        FormEdit::SetImage { service: "nope".into(), image: "x".into() },
        FormEdit::SetExpose { service: "web".into(), index: 5, field: ExposeField::Port, value: Some("1".into()) },
        FormEdit::SetCount { service: "web".into(), placement: "nope".into(), count: "2".into() },
        FormEdit::SetCpu { profile: "nope".into(), units: "1".into() },
        FormEdit::RemoveEndpoint { name: "nope".into() },
        FormEdit::AddService { name: "web".into() },
    ] {
        let mut doc = Document::parse(&text).expect("parses");
        assert!(apply(&mut doc, &edit).is_err(), "{edit:?}");
        assert_eq!(doc.text(), text, "{edit:?}");
    }
}

/// What `leasekit_sdl::build` must read back after an edit.
enum Expect {
    Image(String, String),
    Port(String, u32),
    Count(String, u32),
    Env(String, Vec<String>),
    Cpu(Vec<String>, u32),
    Memory(Vec<String>, u64),
    Price(String, String),
}

/// 0-based line of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count()
}

/// Random form edits of existing values on the valid conformance inputs: the result parses,
/// only the lines of the edited node change, and `leasekit_sdl::build` reads the new value.
/// Expected values are written here by hand (`0.25` CPU is 250 millicores, `1Gi` is 2^30).
#[test]
fn random_form_edits() {
    let Some(suite) = suite() else { return };
    let mut rng = Rng(0xf0e1_5eed);
    const IMAGES: &[&str] =
        &["nginx:1.27", "1.0", "true", "a: b", "#x", "ghcr.io/o/app@sha256:00ff", "it's", "é:1", "redis # c"];
    const CPUS: &[(&str, u32)] = &[("0.1", 100), ("0.25", 250), ("1", 1000), ("2", 2000), ("750m", 750)];
    const MEMORY: &[(&str, u64)] =
        &[("256Mi", 268_435_456), ("1Gi", 1_073_741_824), ("512M", 512_000_000), ("1000000000", 1_000_000_000)];
    let mut edits = 0;
    for file in yaml_files(&suite.join("input")) {
        let text = read(&file);
        if leasekit_sdl::build(&text).output.is_none() {
            continue;
        }
        let original = Document::parse(&text).expect("parses");
        let form = Form::read(&original);
        for _ in 0..30 {
            let s = rng.pick(&form.services);
            let profiles_of = |service: &str| -> Vec<String> {
                form.deployments
                    .iter()
                    .filter(|d| d.service == service)
                    .filter_map(|d| d.profile.value.clone())
                    .collect()
            };
            let (edit, path, expect) = match rng.below(7) {
                0 => {
                    let image = (*rng.pick(IMAGES)).to_owned();
                    (
                        FormEdit::SetImage { service: s.name.clone(), image: image.clone() },
                        s.image.path.clone(),
                        Expect::Image(s.name.clone(), image),
                    )
                }
                1 if !s.exposes.is_empty() => {
                    let e = rng.pick(&s.exposes);
                    let Some(leasekit_sdl_edit::form::Step::Index(index)) = e.path.0.last().cloned() else {
                        continue;
                    };
                    let port = 40_000 + u32::try_from(rng.below(20_000)).expect("fits");
                    (
                        FormEdit::SetExpose {
                            service: s.name.clone(),
                            index,
                            field: ExposeField::Port,
                            value: Some(port.to_string()),
                        },
                        e.port.path.clone(),
                        Expect::Port(s.name.clone(), port),
                    )
                }
                2 => {
                    let Some(d) = form.deployments.iter().find(|d| d.service == s.name && d.count.value.is_some())
                    else {
                        continue;
                    };
                    let count = 1 + u32::try_from(rng.below(5)).expect("fits");
                    (
                        FormEdit::SetCount {
                            service: s.name.clone(),
                            placement: d.placement.clone(),
                            count: count.to_string(),
                        },
                        d.count.path.clone(),
                        Expect::Count(s.name.clone(), count),
                    )
                }
                3 if !s.env.items.is_empty() && s.env.editable => {
                    let items: Vec<String> =
                        (0..s.env.items.len()).map(|i| format!("V{i}=x {}", rng.below(99))).collect();
                    (
                        FormEdit::SetEnv { service: s.name.clone(), items: items.clone() },
                        s.env.path.clone(),
                        Expect::Env(s.name.clone(), items),
                    )
                }
                4 | 5 => {
                    let Some(profile) = profiles_of(&s.name).into_iter().next() else { continue };
                    let Some(c) = form.compute_profile(&profile) else { continue };
                    let users: Vec<String> = form
                        .deployments
                        .iter()
                        .filter(|d| d.profile.text() == profile)
                        .map(|d| d.service.clone())
                        .collect();
                    if rng.below(2) == 0 && c.cpu.value.is_some() {
                        let (units, millis) = *rng.pick(CPUS);
                        (
                            FormEdit::SetCpu { profile: profile.clone(), units: units.to_owned() },
                            c.cpu.path.clone(),
                            Expect::Cpu(users, millis),
                        )
                    } else if c.memory.value.is_some() {
                        let (size, bytes) = *rng.pick(MEMORY);
                        (
                            FormEdit::SetMemory { profile: profile.clone(), size: size.to_owned() },
                            c.memory.path.clone(),
                            Expect::Memory(users, bytes),
                        )
                    } else {
                        continue;
                    }
                }
                6 => {
                    let Some(d) = form.deployments.iter().find(|d| d.service == s.name) else { continue };
                    let Some(price) = form.price(&d.placement, d.profile.text()) else { continue };
                    if price.amount.value.is_none() {
                        continue;
                    }
                    let amount = 1 + rng.below(100_000);
                    (
                        FormEdit::SetPrice {
                            placement: d.placement.clone(),
                            profile: price.profile.clone(),
                            amount: amount.to_string(),
                        },
                        price.amount.path.clone(),
                        Expect::Price(d.placement.clone(), format!("{amount}.000000000000000000")),
                    )
                }
                _ => continue,
            };
            let mut doc = original.clone();
            match apply(&mut doc, &edit) {
                Ok(()) => {}
                Err(leasekit_sdl_edit::EditError::Derived { .. }) => continue,
                Err(e) => panic!("{}: {edit:?}: {e}", file.display()),
            }
            Document::parse(doc.text()).expect("still parses");
            // Only the edited node's lines differ.
            let node = original.get(&path.segments()).expect("edited node exists");
            let (first, last) = (
                line_of(&text, node.span.start as usize),
                line_of(&text, (node.span.end as usize).saturating_sub(1).max(node.span.start as usize)),
            );
            let (old, new): (Vec<_>, Vec<_>) = (text.lines().collect(), doc.text().lines().collect());
            let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
            let suffix = old.iter().rev().zip(new.iter().rev()).take_while(|(a, b)| a == b).count();
            if prefix < old.len() {
                let changed_end = old.len().saturating_sub(suffix).max(prefix + 1) - 1;
                assert!(
                    prefix >= first && changed_end <= last,
                    "{}: {edit:?}: lines {}..={} changed, node is on {}..={}",
                    file.display(),
                    prefix + 1,
                    changed_end + 1,
                    first + 1,
                    last + 1
                );
            }
            let built = leasekit_sdl::build(doc.text());
            let output =
                built.output.unwrap_or_else(|| panic!("{}: {edit:?}: {:?}", file.display(), built.diagnostics.all()));
            let services = || output.manifest.groups.iter().flat_map(|g| &g.services);
            match expect {
                Expect::Image(svc, image) => assert!(services().filter(|x| x.name == svc).all(|x| x.image == image)),
                Expect::Port(svc, port) => {
                    assert!(services().filter(|x| x.name == svc).all(|x| x.expose.iter().any(|e| e.port == port)));
                }
                Expect::Count(svc, count) => assert!(services().any(|x| x.name == svc && x.count == count)),
                Expect::Env(svc, items) => {
                    assert!(services().filter(|x| x.name == svc).all(|x| x.env.as_ref() == Some(&items)));
                }
                Expect::Cpu(users, millis) => assert!(
                    services().filter(|x| users.contains(&x.name)).all(|x| x
                        .resources
                        .cpu
                        .as_ref()
                        .map(|c| c.millicores)
                        == Some(millis))
                ),
                Expect::Memory(users, bytes) => assert!(
                    services().filter(|x| users.contains(&x.name)).all(|x| x
                        .resources
                        .memory
                        .as_ref()
                        .map(|m| m.bytes)
                        == Some(bytes))
                ),
                Expect::Price(placement, amount) => {
                    let group = output.group_specs.iter().find(|g| g.name == placement).expect("group");
                    assert!(
                        group.resources.iter().any(|r| r.price.amount.to_string() == amount),
                        "{}: {edit:?}",
                        file.display()
                    );
                }
            }
            edits += 1;
        }
    }
    assert!(edits > 200, "{edits} edits");
}
