//! gcd (ABI 1, wasm32-unknown-unknown, no_std): {"a":"12","b":"18"} -> "6".
//!
//! Export `gcd(ptr: i32, len: i32) -> (i32, i32)`: rustc 1.63 uses the "wasm" ABI for
//! `extern "C"` on wasm32-unknown-unknown, so a #[repr(C)] struct of two i32 is returned
//! as an LLVM {i32, i32} aggregate, which LLVM lowers to a wasm multi-value result when
//! compiled with `-C target-feature=+multivalue`.
#![no_std]

#[path = "../common/json.rs"]
mod json;

#[repr(C)]
pub struct Output {
    pub ptr: i32,
    pub len: i32,
}

const ERROR: &[u8] = b"error: a and b must be integers";

/// Result digits live in a static buffer, below __heap_base (the host owns what is above).
static mut OUT: [u8; 24] = [0; 24];

/// Parses an i64 (optional sign, decimal digits) and returns its absolute value.
/// Hand-written rather than `str::parse::<i64>`: that uses overflow-checked multiplication,
/// which LLVM lowers to the i128 libcall `__multi3`; with +multivalue the call site expects
/// a multi-value return while the precompiled compiler_builtins returns i128 through a
/// pointer, and the module would not validate.
fn abs_i64_arg(json: &[u8], key: &str) -> Option<u64> {
    let v = json::find(json, key).ok()??;
    let mut it = v.bytes().peekable();
    let negative = match it.peek() {
        Some(b'-') => true,
        Some(b'+') => false,
        _ => return parse_magnitude(it, i64::MAX as u64),
    };
    it.next();
    parse_magnitude(it, if negative { 1u64 << 63 } else { i64::MAX as u64 })
}

fn parse_magnitude(digits: impl Iterator<Item = u8>, max: u64) -> Option<u64> {
    let mut n: u64 = 0;
    let mut any = false;
    for b in digits {
        let d = match b {
            b'0'..=b'9' => (b - b'0') as u64,
            _ => return None,
        };
        if n > (max - d) / 10 {
            return None; // out of i64 range
        }
        n = n * 10 + d;
        any = true;
    }
    if any {
        Some(n)
    } else {
        None
    }
}

fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

fn output(p: *const u8, len: usize) -> Output {
    Output { ptr: p as i32, len: len as i32 }
}

#[export_name = "gcd"]
pub extern "C" fn gcd(ptr: *const u8, len: usize) -> Output {
    let json = unsafe { core::slice::from_raw_parts(ptr, len) };
    let (a, b) = match (abs_i64_arg(json, "a"), abs_i64_arg(json, "b")) {
        (Some(a), Some(b)) => (a, b),
        _ => return output(ERROR.as_ptr(), ERROR.len()),
    };
    let mut g = gcd_u64(a, b);
    unsafe {
        let out = &mut *core::ptr::addr_of_mut!(OUT);
        let mut i = out.len();
        loop {
            i -= 1;
            out[i] = b'0' + (g % 10) as u8;
            g /= 10;
            if g == 0 {
                break;
            }
        }
        output(out[i..].as_ptr(), out.len() - i)
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
