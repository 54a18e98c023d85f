//! Reads the metadata at the head of a GGUF file without loading the model: what the
//! memory budget needs (layers, KV heads and sizes) and what `models add` records.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

/// Metadata keys with more entries than this are not GGUF (a corrupt or hostile file).
const MAX_KEYS: u64 = 1 << 16;
/// Longest string or array accepted in the header.
const MAX_LEN: u64 = 1 << 26;

/// A scalar metadata value; of an array only its length is kept.
#[derive(Debug, Clone, PartialEq)]
pub enum Meta {
    Int(i128),
    Float(f64),
    Bool(bool),
    Str(String),
    Array(u64),
}

/// The metadata of one GGUF file.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub meta: HashMap<String, Meta>,
}

impl Header {
    /// Reads the header of the file at `path`.
    pub fn read(path: &Path) -> std::io::Result<Header> {
        let file = std::fs::File::open(path)?;
        Header::parse(BufReader::new(file))
    }

    /// Reads a header from `r`, which must start at the file's first byte.
    pub fn parse(mut r: impl Read) -> std::io::Result<Header> {
        let mut magic = [0u8; 4];
        r.read_exact(&mut magic)?;
        if &magic != b"GGUF" {
            return Err(invalid("no GGUF magic at the start"));
        }
        let version = u32_le(&mut r)?;
        if !(2..=3).contains(&version) {
            return Err(invalid(&format!("GGUF version {version} is not supported")));
        }
        let _tensors = u64_le(&mut r)?;
        let keys = u64_le(&mut r)?;
        if keys > MAX_KEYS {
            return Err(invalid("too many metadata keys"));
        }
        let mut meta = HashMap::new();
        for _ in 0..keys {
            let key = string(&mut r)?;
            let kind = u32_le(&mut r)?;
            meta.insert(key, value(&mut r, kind, 0)?);
        }
        Ok(Header { meta })
    }

    /// `general.architecture`, e.g. `llama` or `gemma3`.
    pub fn arch(&self) -> Option<&str> {
        match self.meta.get("general.architecture") {
            Some(Meta::Str(s)) => Some(s),
            _ => None,
        }
    }

    fn int(&self, key: &str) -> Option<u64> {
        match self.meta.get(key) {
            Some(Meta::Int(i)) => u64::try_from(*i).ok(),
            _ => None,
        }
    }

    fn arch_int(&self, key: &str) -> Option<u64> {
        self.int(&format!("{}.{key}", self.arch()?))
    }

    /// Bytes of KV cache per token of context (f16 keys and values, every layer).
    pub fn kv_bytes_per_token(&self) -> Option<u64> {
        let layers = self.arch_int("block_count")?;
        let heads = self.arch_int("attention.head_count")?.max(1);
        let kv_heads = self.arch_int("attention.head_count_kv").unwrap_or(heads);
        let head_dim = self.arch_int("embedding_length")? / heads;
        let k = self.arch_int("attention.key_length").unwrap_or(head_dim);
        let v = self.arch_int("attention.value_length").unwrap_or(head_dim);
        layers.checked_mul(kv_heads)?.checked_mul(k.checked_add(v)?)?.checked_mul(2)
    }

    /// The quantization named by `general.file_type` (llama.cpp's `llama_ftype`).
    pub fn quant(&self) -> Option<&'static str> {
        let names = [
            "F32", "F16", "Q4_0", "Q4_1", "", "", "", "Q8_0", "Q5_0", "Q5_1", "Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L",
            "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M", "Q6_K", "IQ2_XXS", "IQ2_XS", "Q2_K_S", "IQ3_XS", "IQ3_XXS",
            "IQ1_S", "IQ4_NL", "IQ3_S", "IQ3_M", "IQ2_S", "IQ2_M", "IQ4_XS", "IQ1_M", "BF16",
        ];
        let name = names.get(usize::try_from(self.int("general.file_type")?).ok()?)?;
        (!name.is_empty()).then_some(*name)
    }

    /// Tokens in the vocabulary (`tokenizer.ggml.tokens`).
    pub fn vocab_size(&self) -> Option<u64> {
        match self.meta.get("tokenizer.ggml.tokens") {
            Some(Meta::Array(n)) => Some(*n),
            _ => None,
        }
    }

    /// `general.type`: `model` or `adapter`.
    pub fn kind(&self) -> Option<&str> {
        match self.meta.get("general.type") {
            Some(Meta::Str(s)) => Some(s),
            _ => None,
        }
    }
}

fn invalid(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not a usable GGUF file: {what}"))
}

fn bytes<const N: usize>(r: &mut impl Read) -> std::io::Result<[u8; N]> {
    let mut b = [0u8; N];
    r.read_exact(&mut b)?;
    Ok(b)
}

fn u32_le(r: &mut impl Read) -> std::io::Result<u32> {
    Ok(u32::from_le_bytes(bytes(r)?))
}

fn u64_le(r: &mut impl Read) -> std::io::Result<u64> {
    Ok(u64::from_le_bytes(bytes(r)?))
}

fn string(r: &mut impl Read) -> std::io::Result<String> {
    let len = u64_le(r)?;
    if len > MAX_LEN {
        return Err(invalid("a string longer than 64 MiB"));
    }
    let mut buf = Vec::new();
    r.take(len).read_to_end(&mut buf)?;
    if buf.len() as u64 != len {
        return Err(invalid("the header ends inside a string"));
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Size in bytes of a fixed-size GGUF value type.
fn fixed_size(kind: u32) -> Option<u64> {
    match kind {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        _ => None,
    }
}

/// Arrays of arrays deeper than this are not GGUF metadata (and would recurse forever).
const MAX_DEPTH: u32 = 4;

fn value(r: &mut impl Read, kind: u32, depth: u32) -> std::io::Result<Meta> {
    Ok(match kind {
        0 => Meta::Int(i128::from(u8::from_le_bytes(bytes(r)?))),
        1 => Meta::Int(i128::from(i8::from_le_bytes(bytes(r)?))),
        2 => Meta::Int(i128::from(u16::from_le_bytes(bytes(r)?))),
        3 => Meta::Int(i128::from(i16::from_le_bytes(bytes(r)?))),
        4 => Meta::Int(i128::from(u32::from_le_bytes(bytes(r)?))),
        5 => Meta::Int(i128::from(i32::from_le_bytes(bytes(r)?))),
        6 => Meta::Float(f64::from(f32::from_le_bytes(bytes(r)?))),
        7 => Meta::Bool(bytes::<1>(r)?[0] != 0),
        8 => Meta::Str(string(r)?),
        9 => {
            let item = u32_le(r)?;
            let n = u64_le(r)?;
            if depth >= MAX_DEPTH {
                return Err(invalid("arrays nested too deep"));
            }
            if n > MAX_LEN {
                return Err(invalid("an array longer than 64 Mi entries"));
            }
            match fixed_size(item) {
                Some(size) => {
                    let skip = n * size;
                    if std::io::copy(&mut r.take(skip), &mut std::io::sink())? != skip {
                        return Err(invalid("the header ends inside an array"));
                    }
                }
                None => {
                    for _ in 0..n {
                        value(r, item, depth + 1)?;
                    }
                }
            }
            Meta::Array(n)
        }
        10 => Meta::Int(i128::from(u64::from_le_bytes(bytes(r)?))),
        11 => Meta::Int(i128::from(i64::from_le_bytes(bytes(r)?))),
        12 => Meta::Float(f64::from_le_bytes(bytes(r)?)),
        other => return Err(invalid(&format!("unknown metadata type {other}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header with the given (key, type, payload) entries.
    fn header(entries: &[(&str, u32, Vec<u8>)]) -> Vec<u8> {
        let mut b = b"GGUF".to_vec();
        b.extend(3u32.to_le_bytes());
        b.extend(0u64.to_le_bytes());
        b.extend((entries.len() as u64).to_le_bytes());
        for (k, t, v) in entries {
            b.extend((k.len() as u64).to_le_bytes());
            b.extend(k.as_bytes());
            b.extend(t.to_le_bytes());
            b.extend(v);
        }
        b
    }

    fn s(v: &str) -> Vec<u8> {
        let mut b = (v.len() as u64).to_le_bytes().to_vec();
        b.extend(v.as_bytes());
        b
    }

    #[test]
    fn reads_kv_geometry_and_quant_and_skips_arrays() {
        // An array (type 9) of two strings (type 8).
        let mut tokens = 8u32.to_le_bytes().to_vec();
        tokens.extend(2u64.to_le_bytes());
        tokens.extend(s("<s>"));
        tokens.extend(s("</s>"));
        let bytes = header(&[
            ("general.architecture", 8, s("llama")),
            ("tokenizer.ggml.tokens", 9, tokens),
            ("llama.block_count", 4, 30u32.to_le_bytes().to_vec()),
            ("llama.embedding_length", 4, 576u32.to_le_bytes().to_vec()),
            ("llama.attention.head_count", 4, 9u32.to_le_bytes().to_vec()),
            ("llama.attention.head_count_kv", 4, 3u32.to_le_bytes().to_vec()),
            ("general.file_type", 4, 3u32.to_le_bytes().to_vec()),
        ]);
        let h = Header::parse(&bytes[..]).unwrap();
        assert_eq!(h.arch(), Some("llama"));
        // 30 layers × 3 KV heads × (64 + 64) × 2 bytes
        assert_eq!(h.kv_bytes_per_token(), Some(30 * 3 * 128 * 2));
        assert_eq!(h.quant(), Some("Q4_1"));
        assert_eq!(h.vocab_size(), Some(2));
    }

    #[test]
    fn refuses_what_is_not_gguf_or_is_cut() {
        assert!(Header::parse(&b"GGML0000"[..]).is_err());
        let bytes = header(&[("general.architecture", 8, s("llama"))]);
        assert!(Header::parse(&bytes[..bytes.len() - 2]).is_err());
        let mut huge = header(&[]);
        huge[16..24].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(Header::parse(&huge[..]).is_err());
        // An array of arrays of arrays …: refused, not recursed into.
        let mut nested = Vec::new();
        for _ in 0..64 {
            nested.extend(9u32.to_le_bytes());
            nested.extend(1u64.to_le_bytes());
        }
        let deep = header(&[("x", 9, nested)]);
        assert!(Header::parse(&deep[..]).is_err());
    }
}
