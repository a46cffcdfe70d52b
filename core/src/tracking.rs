//! Tracking numbers and access codes.
//!
//! A tracking number is 8 random symbols (40 bits) of Crockford's base 32 plus one check symbol,
//! written `K7M-2QX-9PD`: short enough to read out over the phone, too sparse to enumerate.
//! The check symbol comes from Damm's algorithm over the totally anti-symmetric quasigroup
//! `x ∘ y = 2·x + y` in GF(32), so every single-symbol typo and every swap of two adjacent
//! symbols is caught before the server is asked. Parsing forgives case, spaces, dashes, a
//! leading `#`, and look-alikes (O → 0, I and L → 1).

use std::fmt;

/// Crockford's base-32 alphabet: no I, L, O or U.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random symbols in a tracking number.
pub const PAYLOAD_LEN: usize = 8;
/// Symbols in an access code (50 random bits).
pub const ACCESS_CODE_LEN: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingId([u8; PAYLOAD_LEN + 1]);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackingError {
    /// Nothing was typed.
    Empty,
    /// Too few or too many symbols.
    WrongLength,
    /// A character that is not in the alphabet (after forgiving look-alikes).
    InvalidCharacter(char),
    /// All symbols are valid but the check symbol does not match: a typo.
    CheckFailed,
}

/// Multiplication by 2 in GF(2^5) with the polynomial x^5 + x^2 + 1.
fn times_two(x: u8) -> u8 {
    let shifted = x << 1;
    if shifted & 0x20 != 0 {
        (shifted ^ 0x25) & 0x1f
    } else {
        shifted
    }
}

fn damm_interim(values: &[u8]) -> u8 {
    values.iter().fold(0, |acc, &v| times_two(acc) ^ v)
}

fn symbol_value(c: char) -> Result<u8, TrackingError> {
    let up = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| a as char == up)
        .map(|p| p as u8)
        .ok_or(TrackingError::InvalidCharacter(c))
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '–' | '.' | '_' | '#')
}

impl TrackingId {
    /// Builds a tracking number from 40 random bits (use a CSPRNG).
    pub fn from_random(bits: u64) -> TrackingId {
        let mut values = [0u8; PAYLOAD_LEN + 1];
        for (i, v) in values.iter_mut().take(PAYLOAD_LEN).enumerate() {
            *v = ((bits >> (5 * (PAYLOAD_LEN - 1 - i))) & 0x1f) as u8;
        }
        values[PAYLOAD_LEN] = times_two(damm_interim(&values[..PAYLOAD_LEN]));
        TrackingId(values)
    }

    /// Parses a tracking number however it was typed.
    pub fn parse(input: &str) -> Result<TrackingId, TrackingError> {
        let mut values = Vec::with_capacity(PAYLOAD_LEN + 1);
        for c in input.chars().filter(|c| !is_separator(*c)) {
            values.push(symbol_value(c)?);
        }
        if values.is_empty() {
            return Err(TrackingError::Empty);
        }
        if values.len() != PAYLOAD_LEN + 1 {
            return Err(TrackingError::WrongLength);
        }
        if damm_interim(&values) != 0 {
            return Err(TrackingError::CheckFailed);
        }
        let mut out = [0u8; PAYLOAD_LEN + 1];
        out.copy_from_slice(&values);
        Ok(TrackingId(out))
    }

    /// The compact form without dashes, as stored and used in URLs.
    pub fn compact(&self) -> String {
        self.0
            .iter()
            .map(|&v| ALPHABET[v as usize] as char)
            .collect()
    }
}

impl fmt::Display for TrackingId {
    /// The readable form, `K7M-2QX-9PD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.compact();
        write!(f, "{}-{}-{}", &s[0..3], &s[3..6], &s[6..9])
    }
}

/// On the wire a tracking number is its readable form; any typed form is read.
impl serde::Serialize for TrackingId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for TrackingId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
        TrackingId::parse(&raw).map_err(|_| serde::de::Error::custom("not a tracking number"))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for TrackingId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TrackingId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string" })
    }
}

/// Builds an access code (`XXXXX-XXXXX`) from 50 random bits.
pub fn access_code_from_random(bits: u64) -> String {
    let symbols: String = (0..ACCESS_CODE_LEN)
        .map(|i| ALPHABET[((bits >> (5 * (ACCESS_CODE_LEN - 1 - i))) & 0x1f) as usize] as char)
        .collect();
    format!("{}-{}", &symbols[..5], &symbols[5..])
}

/// Normalises a typed access code the way tracking numbers are, so that comparisons forgive
/// case, dashes and look-alikes. Returns `None` if it cannot be a code.
pub fn normalize_access_code(input: &str) -> Option<String> {
    let mut out = String::with_capacity(ACCESS_CODE_LEN);
    for c in input.chars().filter(|c| !is_separator(*c)) {
        out.push(ALPHABET[symbol_value(c).ok()? as usize] as char);
    }
    (out.len() == ACCESS_CODE_LEN).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_ids() -> Vec<TrackingId> {
        // A deterministic spread of payloads, including the extremes.
        let mut bits = 0x0001_2345_6789_u64;
        let mut ids = vec![
            TrackingId::from_random(0),
            TrackingId::from_random((1 << 40) - 1),
        ];
        for _ in 0..300 {
            bits = bits
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ids.push(TrackingId::from_random(bits >> 24));
        }
        ids
    }

    #[test]
    fn round_trips_through_both_forms() {
        for id in sample_ids() {
            assert_eq!(TrackingId::parse(&id.to_string()), Ok(id));
            assert_eq!(TrackingId::parse(&id.compact()), Ok(id));
        }
    }

    #[test]
    fn forgives_case_spaces_dashes_and_look_alikes() {
        let id = TrackingId::from_random(0x00_0000_0000);
        let text = id.to_string(); // all zeros with a check symbol
        assert!(text.starts_with("000-000-00"));
        let messy = format!(
            " #{} ",
            text.replace('0', "o").replace('-', " ").to_lowercase()
        );
        assert_eq!(TrackingId::parse(&messy), Ok(id));

        let id = TrackingId::from_random(0x08_4210_8421); // every symbol is 1
        let typed = id.compact().replace('1', "l").to_lowercase();
        assert_eq!(TrackingId::parse(&typed), Ok(id));
        let typed = id.compact().replace('1', "I");
        assert_eq!(TrackingId::parse(&typed), Ok(id));
    }

    #[test]
    fn catches_every_single_symbol_typo() {
        for id in sample_ids() {
            let s: Vec<u8> = id.compact().into_bytes();
            for pos in 0..s.len() {
                for &replacement in ALPHABET.iter() {
                    if replacement == s[pos] {
                        continue;
                    }
                    let mut typo = s.clone();
                    typo[pos] = replacement;
                    let typo = String::from_utf8(typo).unwrap();
                    assert_eq!(
                        TrackingId::parse(&typo),
                        Err(TrackingError::CheckFailed),
                        "{typo}"
                    );
                }
            }
        }
    }

    #[test]
    fn catches_every_adjacent_swap() {
        for id in sample_ids() {
            let s: Vec<u8> = id.compact().into_bytes();
            for pos in 0..s.len() - 1 {
                if s[pos] == s[pos + 1] {
                    continue;
                }
                let mut swapped = s.clone();
                swapped.swap(pos, pos + 1);
                let swapped = String::from_utf8(swapped).unwrap();
                assert_eq!(TrackingId::parse(&swapped), Err(TrackingError::CheckFailed));
            }
        }
    }

    #[test]
    fn reports_what_is_wrong() {
        assert_eq!(TrackingId::parse("  - "), Err(TrackingError::Empty));
        assert_eq!(
            TrackingId::parse("ABC-DEF"),
            Err(TrackingError::WrongLength)
        );
        assert_eq!(
            TrackingId::parse("ABC-DEF-GH!"),
            Err(TrackingError::InvalidCharacter('!'))
        );
        assert_eq!(
            TrackingId::parse("UUU-UUU-UUU"),
            Err(TrackingError::InvalidCharacter('U'))
        );
    }

    #[test]
    fn access_codes_are_normalised() {
        let code = access_code_from_random(0x3_FFFF_FFFF_FFFF);
        assert_eq!(code.len(), 11);
        assert_eq!(normalize_access_code(&code), Some(code.replace('-', "")));
        assert_eq!(
            normalize_access_code(&code.to_lowercase()),
            Some(code.replace('-', ""))
        );
        let zeros = access_code_from_random(0);
        assert_eq!(
            normalize_access_code("oooo0-00000"),
            Some(zeros.replace('-', ""))
        );
        assert_eq!(normalize_access_code("short"), None);
    }
}
