//! The orders commands (`tx`, `key`, `jwt`): JSON in, JSON out, thin over
//! `leasekit_tx::request`. Here is only what the pure core cannot do itself: read the request
//! and `sdlFile`s, take the mnemonic from the environment and the time from the clock.
//!
//! Mnemonic hygiene: the request text, the environment's phrase and every JSON value built from
//! them are zeroized when dropped, and no message printed here quotes a request field.

use std::io::BufRead as _;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use leasekit_sdl::json::Json;
use leasekit_tx::request::{self, Failure, Response, Scrubbed};
use leasekit_tx::{Error, ErrorCode};
use zeroize::Zeroizing;

/// Where `tx sign`, `jwt create` and `key address` find the mnemonic the request leaves out.
const MNEMONIC_VAR: &str = "LEASEKIT_MNEMONIC";

/// A command that reads one JSON request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Command {
    /// `tx encode`
    Encode,
    /// `tx sign`
    Sign,
    /// `tx sign-doc`
    SignDoc,
    /// `tx assemble`
    Assemble,
    /// `jwt create`
    JwtCreate,
    /// `jwt verify`
    JwtVerify,
}

impl Command {
    fn call(self, request: &str) -> Response {
        match self {
            Command::Encode => request::encode_message(request),
            Command::Sign => request::sign_tx(request),
            Command::SignDoc => request::make_sign_doc(request),
            Command::Assemble => request::assemble_tx(request),
            Command::JwtCreate => request::create_jwt(request),
            Command::JwtVerify => request::verify_jwt(request),
        }
    }
}

/// An SDL a request carries, kept to print its diagnostics if it does not build.
struct Sdl {
    /// The `sdlFile` path, or where in the request the text was (`createDeployment.sdl`).
    name: String,
    text: String,
}

/// Runs `command` on the request in `file` (None or `-`: stdin).
pub(crate) fn run(command: Command, file: Option<&str>) -> ExitCode {
    let file = file.unwrap_or("-");
    let text = match read_request(file) {
        Ok(text) => text,
        Err(code) => return code,
    };
    let mut sdls = Vec::new();
    let result = match prepare(command, &text, &mut sdls) {
        Ok(Some(edited)) => command.call(&edited),
        Ok(None) => command.call(&text),
        Err(code) => return code,
    };
    drop(text);
    finish(result, &sdls)
}

/// `key address`: the account of the mnemonic in `$LEASEKIT_MNEMONIC` or on stdin's first line.
pub(crate) fn key_address(index: u64) -> ExitCode {
    let mut mnemonic = match env_mnemonic() {
        Ok(Some(m)) => m,
        Ok(None) => {
            let mut line = Zeroizing::new(String::new());
            if let Err(e) = std::io::stdin().lock().read_line(&mut line) {
                eprintln!("leasekit: stdin: {e}");
                return ExitCode::FAILURE;
            }
            line
        }
        Err(code) => return code,
    };
    let value = Scrubbed(Json::Obj(vec![
        ("mnemonic", Json::Str(std::mem::take(&mut *mnemonic))),
        ("accountIndex", Json::Num(index)),
    ]));
    let text = Zeroizing::new(value.0.to_go_compact());
    drop(value);
    finish(request::account(&text), &[])
}

fn read_request(file: &str) -> Result<Zeroizing<String>, ExitCode> {
    let bytes = Zeroizing::new(super::read_or_report(file).ok_or(ExitCode::FAILURE)?);
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Zeroizing::new(text.to_owned())),
        Err(e) => {
            eprintln!("leasekit: {file}: not UTF-8 (invalid byte at {})", e.valid_up_to());
            Err(ExitCode::FAILURE)
        }
    }
}

/// The request with what the CLI supplies filled in, or None if it needs nothing (a request
/// that is not a JSON object is passed on as it is: the core explains what is wrong).
fn prepare(command: Command, text: &str, sdls: &mut Vec<Sdl>) -> Result<Option<Zeroizing<String>>, ExitCode> {
    let Ok(value) = Json::parse(text) else { return Ok(None) };
    let mut value = Scrubbed(value);
    let Json::Map(fields) = &mut value.0 else { return Ok(None) };
    let mut changed = false;
    match command {
        Command::Encode => changed |= resolve_sdl(fields, "", sdls)?,
        Command::Sign | Command::SignDoc => {
            if let Some(Json::Arr(messages)) = get_mut(fields, "messages") {
                for (i, message) in messages.iter_mut().enumerate() {
                    if let Json::Map(message) = message {
                        changed |= resolve_sdl(message, &format!("messages[{i}]."), sdls)?;
                    }
                }
            }
        }
        Command::Assemble | Command::JwtCreate | Command::JwtVerify => {}
    }
    if matches!(command, Command::Sign | Command::JwtCreate) && absent(fields, "mnemonic") {
        let Some(mut mnemonic) = env_mnemonic()? else {
            return Err(fail(Error::input(format!(
                "mnemonic is missing: give \"mnemonic\" in the request or set {MNEMONIC_VAR}"
            ))));
        };
        set(fields, "mnemonic", Json::Str(std::mem::take(&mut *mnemonic)));
        changed = true;
    }
    let wants_now = match command {
        Command::JwtCreate => absent(fields, "now") && absent(fields, "claims"),
        Command::JwtVerify => absent(fields, "now"),
        _ => false,
    };
    if wants_now {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        set(fields, "now", Json::Num(now));
        changed = true;
    }
    Ok(changed.then(|| Zeroizing::new(value.0.to_go_compact())))
}

/// Reads a `createDeployment`/`updateDeployment`'s `sdlFile` into `sdl`, and notes the SDL.
fn resolve_sdl(message: &mut [(String, Json)], at: &str, sdls: &mut Vec<Sdl>) -> Result<bool, ExitCode> {
    let mut changed = false;
    for kind in ["createDeployment", "updateDeployment"] {
        let Some(Json::Map(body)) = get_mut(message, kind) else { continue };
        let path = match get_mut(body, "sdlFile") {
            Some(Json::Str(path)) => Some(path.clone()),
            Some(Json::Null) | None => None,
            Some(_) => return Err(fail(Error::input(format!("{at}{kind}.sdlFile must be a string")))),
        };
        match (path, absent(body, "sdl")) {
            (Some(_), false) => {
                return Err(fail(Error::input(format!("{at}{kind} has both sdl and sdlFile: give one"))));
            }
            (Some(path), true) => {
                let text = super::read_text(&path)?;
                body.retain(|(k, _)| k != "sdlFile");
                set(body, "sdl", Json::Str(text.clone()));
                sdls.push(Sdl { name: path, text });
                changed = true;
            }
            (None, _) => {
                if let Some(Json::Str(text)) = get_mut(body, "sdl") {
                    sdls.push(Sdl { name: format!("{at}{kind}.sdl"), text: text.clone() });
                }
            }
        }
    }
    Ok(changed)
}

fn get_mut<'a>(fields: &'a mut [(String, Json)], key: &str) -> Option<&'a mut Json> {
    fields.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Missing or null, as the core reads it.
fn absent(fields: &[(String, Json)], key: &str) -> bool {
    fields.iter().all(|(k, v)| k != key || matches!(v, Json::Null))
}

fn set(fields: &mut Vec<(String, Json)>, key: &str, value: Json) {
    match fields.iter_mut().find(|(k, _)| k == key) {
        Some((_, slot)) => *slot = value,
        None => fields.push((key.to_owned(), value)),
    }
}

/// The phrase in `$LEASEKIT_MNEMONIC`; unset or blank is None.
fn env_mnemonic() -> Result<Option<Zeroizing<String>>, ExitCode> {
    let Some(value) = std::env::var_os(MNEMONIC_VAR) else { return Ok(None) };
    match value.into_string() {
        Ok(phrase) => {
            let phrase = Zeroizing::new(phrase);
            Ok((!phrase.trim().is_empty()).then_some(phrase))
        }
        Err(_) => Err(fail(Error::new(ErrorCode::InvalidMnemonic, format!("{MNEMONIC_VAR} is not UTF-8")))),
    }
}

/// Prints the response, or the failure on stderr.
fn finish(result: Response, sdls: &[Sdl]) -> ExitCode {
    match result {
        Ok(json) => {
            super::print(&(json.to_go_compact() + "\n"));
            ExitCode::SUCCESS
        }
        Err(failure) => report(&failure, sdls),
    }
}

fn fail(error: Error) -> ExitCode {
    report(&error.into(), &[])
}

/// `error[CODE]: message`; for an invalid SDL also its diagnostics, as `sdl check` prints them.
fn report(failure: &Failure, sdls: &[Sdl]) -> ExitCode {
    let mut out = format!("error[{}]: {}\n", failure.error.code.as_str(), failure.error.message);
    if failure.error.code == ErrorCode::InvalidSdl {
        // The core stops at the first message that fails: the first SDL that does not build.
        let failed = sdls.iter().map(|sdl| (sdl, leasekit_sdl::build(&sdl.text))).find(|(_, b)| b.output.is_none());
        if let Some((sdl, build)) = failed {
            out.push_str(&super::diagnostic_frames(&sdl.name, &sdl.text, &build.diagnostics));
        }
    }
    eprint!("{out}");
    ExitCode::FAILURE
}
