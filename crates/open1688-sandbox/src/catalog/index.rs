//! Keyword index over `subject` (Chinese) and `subjectTrans` (English).
//!
//! Chinese matches are substrings, found through per-character posting lists and then checked;
//! English matches are whole words, lower-cased and with a plural `s` dropped. Posting lists hold
//! offer indexes, which are in rank order, so results need no sorting for the default order.

use std::collections::HashMap;

use super::model::Offer;

/// Inverted index of offer titles.
#[derive(Debug, Default)]
pub struct KeywordIndex {
    chars: HashMap<char, Vec<u32>>,
    words: HashMap<String, Vec<u32>>,
}

enum Token {
    Chinese(String),
    Word(String),
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn normalize_word(word: &str) -> String {
    let lower = word.to_lowercase();
    match lower.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_owned(),
        _ => lower,
    }
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut current_cjk = false;
    let flush = |current: &mut String, cjk: bool, out: &mut Vec<Token>| {
        if !current.is_empty() {
            let t = std::mem::take(current);
            out.push(if cjk { Token::Chinese(t) } else { Token::Word(normalize_word(&t)) });
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            if !current_cjk {
                flush(&mut current, false, &mut out);
            }
            current_cjk = true;
            current.push(c);
        } else if c.is_alphanumeric() || c == '-' {
            if current_cjk {
                flush(&mut current, true, &mut out);
            }
            current_cjk = false;
            current.push(c);
        } else {
            flush(&mut current, current_cjk, &mut out);
        }
    }
    flush(&mut current, current_cjk, &mut out);
    out
}

impl KeywordIndex {
    /// Indexes the titles of `offers` (their positions become the posting entries).
    pub fn build(offers: &[Offer]) -> Self {
        let mut index = Self::default();
        for (i, offer) in offers.iter().enumerate() {
            let i = i as u32;
            for text in [offer.subject.as_str(), offer.subject_en.as_str()] {
                for token in tokens(text) {
                    match token {
                        Token::Chinese(run) => {
                            for c in run.chars() {
                                push_unique(index.chars.entry(c).or_default(), i);
                            }
                        }
                        Token::Word(w) => push_unique(index.words.entry(w).or_default(), i),
                    }
                }
            }
        }
        index
    }

    /// Offers whose titles contain every token of `keyword`, in rank order.
    pub fn search(&self, offers: &[Offer], keyword: &str) -> Vec<u32> {
        let tokens = tokens(keyword);
        if tokens.is_empty() {
            return Vec::new();
        }
        let mut lists: Vec<&[u32]> = Vec::new();
        for token in &tokens {
            match token {
                Token::Chinese(run) => {
                    for c in run.chars() {
                        match self.chars.get(&c) {
                            Some(list) => lists.push(list),
                            None => return Vec::new(),
                        }
                    }
                }
                Token::Word(w) => match self.words.get(w) {
                    Some(list) => lists.push(list),
                    None => return Vec::new(),
                },
            }
        }
        lists.sort_by_key(|l| l.len());
        let (first, rest) = lists.split_first().expect("at least one token");
        first
            .iter()
            .copied()
            .filter(|i| rest.iter().all(|l| l.binary_search(i).is_ok()))
            .filter(|&i| {
                tokens.iter().all(|t| match t {
                    Token::Chinese(run) => offers[i as usize].subject.contains(run.as_str()),
                    Token::Word(_) => true,
                })
            })
            .collect()
    }
}

fn push_unique(list: &mut Vec<u32>, i: u32) {
    if list.last() != Some(&i) {
        list.push(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_mixed_text() {
        let t = tokens("Type-C数据线 120W, Cables");
        let shown: Vec<String> = t
            .into_iter()
            .map(|t| match t {
                Token::Chinese(s) => format!("zh:{s}"),
                Token::Word(s) => format!("en:{s}"),
            })
            .collect();
        assert_eq!(shown, ["en:type-c", "zh:数据线", "en:120w", "en:cable"]);
    }
}
