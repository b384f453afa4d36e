//! add_one (WASI command, wasm32-wasi): {"n":"41"} -> prints 42 (i64).
//! Invalid or missing n (or overflow) -> message on stderr, exit code 1.

#[path = "../common/json.rs"]
mod json;

use std::io::Write;
use std::process::exit;

fn run() -> Result<i64, &'static str> {
    // The JSON args are the only argv entry (there is no program name).
    let arg = std::env::args_os().last().ok_or("missing JSON arguments")?;
    let arg = arg.to_string_lossy();
    let v = json::find(arg.as_bytes(), "n")
        .map_err(|_| "arguments must be a flat JSON object of strings")?
        .ok_or("missing argument n")?;
    let mut buf = [0u8; 32];
    let n: i64 = v
        .decode_into(&mut buf)
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.parse().ok())
        .ok_or("argument n must be a 64-bit integer")?;
    n.checked_add(1).ok_or("n + 1 overflows a 64-bit integer")
}

fn main() {
    match run() {
        Ok(v) => {
            let mut out = std::io::stdout().lock();
            if writeln!(out, "{}", v).and_then(|_| out.flush()).is_err() {
                exit(1);
            }
        }
        Err(msg) => {
            let _ = writeln!(std::io::stderr(), "add_one: {}", msg);
            exit(1);
        }
    }
}
