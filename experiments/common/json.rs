//! Tiny reader for flat JSON objects of string -> string (core only, no allocation).
//! Shared by the Rust functions through `#[path = "../common/json.rs"] mod json;`.
#![allow(dead_code)]

/// The input is not a flat JSON object whose values are all strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// A validated JSON string: raw bytes between the quotes, escapes not yet decoded.
#[derive(Debug, Clone, Copy)]
pub struct JStr<'a> {
    raw: &'a [u8],
}

impl<'a> JStr<'a> {
    /// The decoded (unescaped) UTF-8 bytes.
    pub fn bytes(&self) -> Unescape<'a> {
        Unescape { raw: self.raw, i: 0, pend: [0; 4], np: 0, ip: 0 }
    }

    /// Compares the decoded value with `s`.
    pub fn eq_bytes(&self, s: &[u8]) -> bool {
        let mut it = self.bytes();
        for &b in s {
            if it.next() != Some(b) {
                return false;
            }
        }
        it.next().is_none()
    }

    /// Decodes into `buf`; None if it does not fit.
    pub fn decode_into<'b>(&self, buf: &'b mut [u8]) -> Option<&'b [u8]> {
        let mut n = 0;
        for b in self.bytes() {
            *buf.get_mut(n)? = b;
            n += 1;
        }
        Some(&buf[..n])
    }
}

fn hex4(b: &[u8]) -> Option<u32> {
    if b.len() < 4 {
        return None;
    }
    let mut v = 0u32;
    for &c in &b[..4] {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return None,
        };
        v = (v << 4) | d as u32;
    }
    Some(v)
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> Result<(), Malformed> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(Malformed)
        }
    }

    fn string(&mut self) -> Result<JStr<'a>, Malformed> {
        self.expect(b'"')?;
        let start = self.i;
        loop {
            match self.peek().ok_or(Malformed)? {
                b'"' => {
                    let raw = &self.s[start..self.i];
                    self.i += 1;
                    return Ok(JStr { raw });
                }
                0..=0x1f => return Err(Malformed),
                b'\\' => match self.s.get(self.i + 1).copied().ok_or(Malformed)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 2,
                    b'u' => {
                        hex4(&self.s[self.i + 2..]).ok_or(Malformed)?;
                        self.i += 6;
                    }
                    _ => return Err(Malformed),
                },
                _ => self.i += 1,
            }
        }
    }
}

/// Looks up `key` (compared after unescaping; the last occurrence wins).
pub fn find<'a>(json: &'a [u8], key: &str) -> Result<Option<JStr<'a>>, Malformed> {
    let mut c = Cursor { s: json, i: 0 };
    let mut found = None;
    c.ws();
    c.expect(b'{')?;
    c.ws();
    if c.peek() == Some(b'}') {
        c.i += 1;
    } else {
        loop {
            c.ws();
            let k = c.string()?;
            c.ws();
            c.expect(b':')?;
            c.ws();
            let v = c.string()?;
            if k.eq_bytes(key.as_bytes()) {
                found = Some(v);
            }
            c.ws();
            match c.peek() {
                Some(b',') => c.i += 1,
                Some(b'}') => {
                    c.i += 1;
                    break;
                }
                _ => return Err(Malformed),
            }
        }
    }
    c.ws();
    if c.i != json.len() {
        return Err(Malformed);
    }
    Ok(found)
}

/// Iterator over the decoded bytes of a validated JSON string.
pub struct Unescape<'a> {
    raw: &'a [u8],
    i: usize,
    pend: [u8; 4],
    np: u8,
    ip: u8,
}

impl<'a> Unescape<'a> {
    fn push_utf8(&mut self, cp: u32) -> u8 {
        let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
        self.np = ch.encode_utf8(&mut self.pend).len() as u8;
        self.ip = 1;
        self.pend[0]
    }
}

impl<'a> Iterator for Unescape<'a> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.ip < self.np {
            self.ip += 1;
            return Some(self.pend[self.ip as usize - 1]);
        }
        let c = *self.raw.get(self.i)?;
        self.i += 1;
        if c != b'\\' {
            return Some(c);
        }
        let e = self.raw[self.i];
        self.i += 1;
        Some(match e {
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let hi = hex4(&self.raw[self.i..]).unwrap_or(0xFFFD);
                self.i += 4;
                let mut cp = hi;
                if (0xD800..=0xDBFF).contains(&hi) {
                    // a high surrogate must be followed by a low one, else U+FFFD
                    cp = 0xFFFD;
                    let rest = &self.raw[self.i..];
                    if rest.len() >= 6 && rest[0] == b'\\' && rest[1] == b'u' {
                        if let Some(lo @ 0xDC00..=0xDFFF) = hex4(&rest[2..]) {
                            cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            self.i += 6;
                        }
                    }
                }
                // lone low surrogates are not chars: push_utf8 maps them to U+FFFD
                return Some(self.push_utf8(cp));
            }
            other => other, // '"', '\\', '/'
        })
    }
}
