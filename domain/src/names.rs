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

/// The number of single-letter edits (insert, delete, replace, swap of neighbours) between two
/// names: how far a typo is from the name meant.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows of the optimal-string-alignment table.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut last, row);
    }
    last[b.len()]
}

/// Whether a name is near what was typed: within a letter or two (more for a longer name), or
/// begun by it (four letters at least).
pub fn near(typed: &str, name: &str) -> Option<usize> {
    let allowed = (typed.chars().count() / 5).clamp(1, 2);
    let d = edit_distance(typed, name);
    (d <= allowed || (typed.chars().count() >= 4 && name.starts_with(typed))).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_is_near_and_another_name_is_not() {
        assert_eq!(edit_distance("mannerheimintie", "mannerheimintie"), 0);
        assert_eq!(
            edit_distance("mannerhiemintie", "mannerheimintie"),
            1,
            "a swap"
        );
        assert_eq!(
            edit_distance("manerheimintie", "mannerheimintie"),
            1,
            "a letter out"
        );
        assert_eq!(
            edit_distance("mannerheimmintie", "mannerheimintie"),
            1,
            "one too many"
        );
        assert_eq!(edit_distance("mannerheimintei", "mannerheimintie"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert!(edit_distance("kauppakatu", "koulukatu") > 2);
        assert_eq!(near("mannerhiemintie", "mannerheimintie"), Some(1));
        assert_eq!(near("mannerh", "mannerheimintie"), Some(8), "begun");
        assert_eq!(
            near("man", "mannerheimintie"),
            None,
            "too short to be begun"
        );
        assert_eq!(near("kauppakatu", "koulukatu"), None);
    }
}
