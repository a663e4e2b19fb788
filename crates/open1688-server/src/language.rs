//! The two languages the service speaks to people (pages, problem details), and which one a
//! request asks for.

use axum::http::HeaderMap;

/// A language the dashboard speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language's tag in `<html lang>` and in the `lang` cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    /// The other language (what the switch offers).
    pub fn other(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }

    /// A tag as stored in the cookie or typed in a link (`zh`, `zh-CN`, `en`).
    pub fn parse(tag: &str) -> Option<Self> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "zh" || tag.starts_with("zh-") {
            Some(Self::Zh)
        } else if tag == "en" || tag.starts_with("en-") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The language of a request: the `lang` cookie, else the browser's first Chinese or English
    /// preference, else English.
    pub fn of(headers: &HeaderMap, cookie: Option<&str>) -> Self {
        if let Some(lang) = cookie.and_then(Self::parse) {
            return lang;
        }
        let accepted = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        accepted
            .split(',')
            .filter_map(|part| Self::parse(part.split(';').next().unwrap_or("")))
            .next()
            .unwrap_or(Self::En)
    }
}

impl Lang {
    /// The engine's and the jobs' name for this language.
    pub fn language(self) -> sourcing::Language {
        match self {
            Self::Zh => sourcing::Language::Zh,
            Self::En => sourcing::Language::En,
        }
    }
}

impl From<sourcing::Language> for Lang {
    fn from(language: sourcing::Language) -> Self {
        match language {
            sourcing::Language::Zh => Self::Zh,
            sourcing::Language::En => Self::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_then_the_first_chinese_or_english_preference() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::of(&headers, None), Lang::En, "nothing said: English");
        headers.insert(axum::http::header::ACCEPT_LANGUAGE, "fr-FR,zh-CN;q=0.8,en;q=0.5".parse().unwrap());
        assert_eq!(Lang::of(&headers, None), Lang::Zh);
        assert_eq!(Lang::of(&headers, Some("en")), Lang::En);
        assert_eq!(Lang::parse("ZH-tw"), Some(Lang::Zh));
        assert_eq!(Lang::parse("de"), None);
    }
}
