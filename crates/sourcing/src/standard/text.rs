//! Text folding for matching: full-width forms to ASCII, lower case, spaces collapsed.

/// `s` with full-width ASCII forms (`５００ＭＬ`, the ideographic space) turned into their ASCII
/// counterparts and runs of white space collapsed to one space, trimmed. Case is kept.
pub fn fold_width(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// The key a value is matched by: width folded, lower case, without spaces.
pub fn match_key(s: &str) -> String {
    fold_width(s).to_lowercase().chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_letters_and_spaces_fold() {
        assert_eq!(fold_width("　５００ＭＬ　 大号 "), "500ML 大号");
        assert_eq!(fold_width("１．５米"), "1.5米");
        assert_eq!(match_key("Stainless  Steel"), "stainlesssteel");
    }
}
