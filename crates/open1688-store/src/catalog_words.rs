//! The words both catalog search engines make of a text: jieba's search mode (which also yields
//! the shorter words inside a long one) over Chinese, whitespace and punctuation over the rest,
//! lower-cased, punctuation left out. The embedded index analyzes with exactly this, and the
//! PostgreSQL engine stores and queries exactly these words, so the two agree on what a word is.

use tantivy::tokenizer::{LowerCaser, TextAnalyzer};

/// The analyzer behind [`words`] (jieba's dictionary is loaded once per process, on first use).
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new()).filter(LowerCaser).build()
}

/// The words of `text`, in order, repeats kept.
pub fn words(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        let word = stream.token().text.trim();
        if word.chars().any(char::is_alphanumeric) {
            words.push(word.to_owned());
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_segmented_and_english_lower_cased() {
        let w = words("304不锈钢保温杯 Stainless Tumbler, 500ml!");
        assert!(w.contains(&"保温杯".to_owned()), "{w:?}");
        assert!(w.contains(&"stainless".to_owned()) && w.contains(&"tumbler".to_owned()), "{w:?}");
        assert!(!w.iter().any(|x| x == "," || x == "!"), "{w:?}");
    }
}
