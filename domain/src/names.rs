//! Names as keys: personal, street and place names folded for search and comparison, the
//! same way in the browser, the generator and the engine's indexes.

/// Normalises a name for search: lower case, diacritics folded (å ä → a, ö → o, é → e …),
/// w folded to v (old spellings), anything but letters, digits and single spaces dropped.
pub fn normalise_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'å' | 'ä' | 'á' | 'à' | 'â' | 'ã' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' | 'ù' | 'û' => 'u',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'š' => 's',
            'ž' => 'z',
            'ç' => 'c',
            'ñ' => 'n',
            'w' => 'v',
            c => c,
        };
        if folded.is_alphanumeric() {
            out.push(folded);
            space = false;
        } else if (folded.is_whitespace() || folded == '-') && !space && !out.is_empty() {
            out.push(' ');
            space = true;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}
