//! The mod-31 check character shared by the identity code (HETU), SATU and the permanent
//! building id (VTJ-PRT): the number modulo 31 indexes an alphabet without G, I, O, Q and Z.

/// The 31 check characters in order.
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// The check character for `number`.
pub fn check_char(number: u64) -> char {
    // The index is < 31 by construction, so the lookup cannot fail.
    char::from(ALPHABET[(number % 31) as usize])
}

/// Whether `c` is one of the 31 check characters.
pub fn is_check_char(c: char) -> bool {
    c.is_ascii() && ALPHABET.contains(&(c as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_skips_ambiguous_letters() {
        for c in ['G', 'I', 'O', 'Q', 'Z'] {
            assert!(!is_check_char(c));
        }
        assert_eq!(check_char(131052308), 'T');
        assert_eq!(check_char(30), 'Y');
        assert_eq!(check_char(31), '0');
    }
}
