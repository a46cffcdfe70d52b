//! Text helpers shared by the app and the server: search keys and URL percent-encoding.

/// Lower-cases, strips accents and turns punctuation into spaces, so that a search typed
/// without accents, in any case, or with other punctuation still matches.
pub fn search_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether every word of `query` occurs in `haystack`, both folded by [`search_key`].
pub fn matches_all_words(haystack: &str, query: &str) -> bool {
    let hay = search_key(haystack);
    search_key(query).split(' ').all(|word| hay.contains(word))
}

/// Percent-encoding of a URL part: RFC 3986's unreserved characters stay, every other byte
/// becomes `%XX`. `form` is `application/x-www-form-urlencoded` (a space is `+`, `*` stays,
/// `~` is encoded); otherwise it is safe for a path segment or a query value.
pub fn percent_encode(value: &str, form: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            b'~' if !form => out.push('~'),
            b'*' if form => out.push('*'),
            b' ' if form => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encodes_paths_and_forms() {
        assert_eq!(percent_encode("a b+c~*é", false), "a%20b%2Bc~%2A%C3%A9");
        assert_eq!(percent_encode("a b+c~*é", true), "a+b%2Bc%7E*%C3%A9");
    }

    #[test]
    fn search_keys_forgive_case_accents_and_punctuation() {
        assert_eq!(search_key("Kab. KENDAL"), "kab kendal");
        assert_eq!(search_key("Dinas  Pekerjaan-Umum"), "dinas pekerjaan umum");
        assert_eq!(search_key("Café Über"), "cafe uber");
    }

    #[test]
    fn all_words_must_match_in_any_order() {
        assert!(matches_all_words(
            "Berapa lama laporan diproses?",
            "PROSES lama"
        ));
        assert!(matches_all_words("Kode akses hilang", "kode akses"));
        assert!(!matches_all_words("Kode akses hilang", "kode pelacakan"));
        assert!(matches_all_words("anything", ""));
    }
}
