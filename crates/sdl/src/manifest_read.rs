//! Reading a provider manifest back from its JSON — what a provider does with the body of
//! `PUT /deployment/{dseq}/manifest` before checking it against the chain. Go decodes with
//! `encoding/json`, so an absent field is its zero value and unknown fields are ignored; we do
//! the same, and writing the result with [`Manifest::to_json`] gives back Go's bytes.

use crate::json::Json;
use crate::output::{
    Attribute, Cpu, Credentials, Endpoint, EndpointKind, Expose, Gpu, Group, HttpOptions, Manifest, Memory, Protocol,
    Resources, Service, ServiceParams, StorageParams, Tee, Volume,
};

type Fields<'a> = &'a [(String, Json)];

fn object<'a>(value: &'a Json, at: &str) -> Result<Fields<'a>, String> {
    match value {
        Json::Map(fields) => Ok(fields),
        _ => Err(format!("{at}: expected an object")),
    }
}

fn get<'a>(fields: Fields<'a>, key: &str) -> Option<&'a Json> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| !matches!(v, Json::Null))
}

fn text(fields: Fields<'_>, key: &str, at: &str) -> Result<String, String> {
    match get(fields, key) {
        None => Ok(String::new()),
        Some(Json::Str(s)) => Ok(s.clone()),
        Some(_) => Err(format!("{at}.{key}: expected a string")),
    }
}

fn boolean(fields: Fields<'_>, key: &str, at: &str) -> Result<bool, String> {
    match get(fields, key) {
        None => Ok(false),
        Some(Json::Bool(b)) => Ok(*b),
        Some(_) => Err(format!("{at}.{key}: expected true or false")),
    }
}

fn number(fields: Fields<'_>, key: &str, at: &str) -> Result<u32, String> {
    match get(fields, key) {
        None => Ok(0),
        Some(Json::Num(n)) => u32::try_from(*n).map_err(|_| format!("{at}.{key}: {n} is out of range")),
        Some(_) => Err(format!("{at}.{key}: expected a number")),
    }
}

fn list<'a>(fields: Fields<'a>, key: &str, at: &str) -> Result<Option<&'a [Json]>, String> {
    match get(fields, key) {
        None => Ok(None),
        Some(Json::Arr(items)) => Ok(Some(items)),
        Some(_) => Err(format!("{at}.{key}: expected a list")),
    }
}

fn strings(fields: Fields<'_>, key: &str, at: &str) -> Result<Option<Vec<String>>, String> {
    list(fields, key, at)?
        .map(|items| {
            items
                .iter()
                .map(|i| i.as_str().map(str::to_owned).ok_or_else(|| format!("{at}.{key}: expected strings")))
                .collect()
        })
        .transpose()
}

/// A resource value `{"val": "123"}`.
fn quantity(fields: Fields<'_>, key: &str, at: &str) -> Result<u64, String> {
    let Some(value) = get(fields, key) else { return Ok(0) };
    let at = format!("{at}.{key}");
    let val = text(object(value, &at)?, "val", &at)?;
    val.parse().map_err(|_| format!("{at}.val: '{val}' is not a whole number"))
}

fn attributes(fields: Fields<'_>, key: &str, at: &str) -> Result<Option<Vec<Attribute>>, String> {
    list(fields, key, at)?
        .map(|items| {
            items
                .iter()
                .map(|a| {
                    let f = object(a, &format!("{at}.{key}[]"))?;
                    Ok(Attribute { key: text(f, "key", at)?, value: text(f, "value", at)? })
                })
                .collect()
        })
        .transpose()
}

fn resources(value: &Json, at: &str) -> Result<Resources, String> {
    let f = object(value, at)?;
    let cpu = get(f, "cpu")
        .map(|c| {
            let c = object(c, &format!("{at}.cpu"))?;
            let millicores = u32::try_from(quantity(c, "units", at)?).map_err(|_| format!("{at}.cpu: out of range"))?;
            Ok::<_, String>(Cpu { millicores, attributes: attributes(c, "attributes", at)?.unwrap_or_default() })
        })
        .transpose()?;
    let memory = get(f, "memory")
        .map(|m| Ok::<_, String>(Memory { bytes: quantity(object(m, at)?, "size", at)? }))
        .transpose()?;
    let storage = list(f, "storage", at)?
        .unwrap_or_default()
        .iter()
        .map(|v| {
            let v = object(v, &format!("{at}.storage[]"))?;
            Ok(Volume {
                name: text(v, "name", at)?,
                bytes: quantity(v, "size", at)?,
                attributes: attributes(v, "attributes", at)?,
            })
        })
        .collect::<Result<_, String>>()?;
    let gpu = match get(f, "gpu") {
        Some(g) => {
            let g = object(g, &format!("{at}.gpu"))?;
            let units = u32::try_from(quantity(g, "units", at)?).map_err(|_| format!("{at}.gpu: out of range"))?;
            Gpu { units, attributes: attributes(g, "attributes", at)?.unwrap_or_default() }
        }
        None => Gpu::default(),
    };
    let endpoints = list(f, "endpoints", at)?
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let e = object(e, &format!("{at}.endpoints[]"))?;
            let kind = match number(e, "kind", at)? {
                0 => EndpointKind::SharedHttp,
                1 => EndpointKind::RandomPort,
                2 => EndpointKind::LeasedIp,
                other => return Err(format!("{at}.endpoints[].kind: unknown kind {other}")),
            };
            Ok(Endpoint { kind, sequence_number: number(e, "sequence_number", at)? })
        })
        .collect::<Result<_, String>>()?;
    Ok(Resources { id: number(f, "id", at)?, cpu, memory, storage, gpu, endpoints })
}

fn expose(value: &Json, at: &str) -> Result<Expose, String> {
    let f = object(value, at)?;
    let proto = match text(f, "proto", at)?.as_str() {
        "TCP" => Protocol::Tcp,
        "UDP" => Protocol::Udp,
        other => return Err(format!("{at}.proto: '{other}' is not TCP or UDP")),
    };
    let http = match get(f, "httpOptions") {
        Some(h) => object(h, &format!("{at}.httpOptions"))?,
        None => &[],
    };
    Ok(Expose {
        port: number(f, "port", at)?,
        external_port: number(f, "externalPort", at)?,
        proto,
        service: text(f, "service", at)?,
        global: boolean(f, "global", at)?,
        hosts: strings(f, "hosts", at)?,
        http_options: HttpOptions {
            max_body_size: number(http, "maxBodySize", at)?,
            read_timeout: number(http, "readTimeout", at)?,
            send_timeout: number(http, "sendTimeout", at)?,
            next_tries: number(http, "nextTries", at)?,
            next_timeout: number(http, "nextTimeout", at)?,
            next_cases: strings(http, "nextCases", at)?.unwrap_or_default(),
            proxy_buffer_size: number(http, "proxyBufferSize", at)?,
        },
        ip: text(f, "ip", at)?,
        endpoint_sequence_number: number(f, "endpointSequenceNumber", at)?,
    })
}

fn params(value: &Json, at: &str) -> Result<ServiceParams, String> {
    let f = object(value, at)?;
    let storage = list(f, "storage", at)?
        .map(|items| {
            items
                .iter()
                .map(|p| {
                    let p = object(p, &format!("{at}.storage[]"))?;
                    Ok(StorageParams {
                        name: text(p, "name", at)?,
                        mount: text(p, "mount", at)?,
                        read_only: boolean(p, "readOnly", at)?,
                    })
                })
                .collect::<Result<Vec<_>, String>>()
        })
        .transpose()?;
    let permissions = get(f, "permissions")
        .map(|p| Ok::<_, String>(strings(object(p, at)?, "read", at)?.unwrap_or_default()))
        .transpose()?;
    let tee = get(f, "tee").map(|t| Ok::<_, String>(Tee { kind: text(object(t, at)?, "type", at)? })).transpose()?;
    Ok(ServiceParams { storage, permissions, tee })
}

fn service(value: &Json, at: &str) -> Result<Service, String> {
    let f = object(value, at)?;
    let name = text(f, "name", at)?;
    let at = format!("{at} ({name})");
    let credentials = get(f, "credentials")
        .map(|c| {
            let c = object(c, &at)?;
            Ok::<_, String>(Credentials {
                host: text(c, "host", &at)?,
                email: text(c, "email", &at)?,
                username: text(c, "username", &at)?,
                password: text(c, "password", &at)?,
            })
        })
        .transpose()?;
    Ok(Service {
        image: text(f, "image", &at)?,
        command: strings(f, "command", &at)?,
        args: strings(f, "args", &at)?,
        env: strings(f, "env", &at)?,
        resources: get(f, "resources").map_or_else(|| resources(&Json::Map(Vec::new()), &at), |r| resources(r, &at))?,
        count: number(f, "count", &at)?,
        expose: list(f, "expose", &at)?
            .unwrap_or_default()
            .iter()
            .map(|e| expose(e, &format!("{at}.expose[]")))
            .collect::<Result<_, _>>()?,
        params: get(f, "params").map(|p| params(p, &format!("{at}.params"))).transpose()?,
        credentials,
        name,
    })
}

impl Manifest {
    /// Reads a manifest from its JSON (a list of groups), as a provider decodes a PUT body.
    pub fn from_json(value: &Json) -> Result<Manifest, String> {
        let Json::Arr(groups) = value else {
            return Err("a manifest is a list of groups".to_owned());
        };
        let groups = groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let at = format!("group {i}");
                let f = object(g, &at)?;
                let services = list(f, "services", &at)?
                    .unwrap_or_default()
                    .iter()
                    .map(|s| service(s, &format!("{at} service")))
                    .collect::<Result<_, _>>()?;
                Ok(Group { name: text(f, "name", &at)?, services })
            })
            .collect::<Result<_, String>>()?;
        Ok(Manifest { groups })
    }

    /// Parses manifest JSON text.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        Manifest::from_json(&Json::parse(text)?)
    }
}
