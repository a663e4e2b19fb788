//! The language the terminal's reader reads: the locale, as every command-line program finds it
//! (`LC_ALL`, else `LC_MESSAGES`, else `LANG`; `zh_CN.UTF-8` is Chinese). What a failed command
//! says to its person follows it; tables, JSON and file names never change.

use open1688_jobs::Language;

/// The language the locale names, English unless it is Chinese.
pub fn terminal_language() -> Language {
    let variable = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
    let locale = variable("LC_ALL").or_else(|| variable("LC_MESSAGES")).or_else(|| variable("LANG"));
    language_of(locale.as_deref())
}

/// The language of a locale name (`zh_CN.UTF-8`, `zh_TW`, `C.UTF-8`).
fn language_of(locale: Option<&str>) -> Language {
    match locale {
        Some(name) if name.to_ascii_lowercase().starts_with("zh") => Language::Zh,
        _ => Language::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_locale_is_chinese_and_anything_else_english() {
        assert_eq!(language_of(Some("zh_CN.UTF-8")), Language::Zh);
        assert_eq!(language_of(Some("zh_TW")), Language::Zh);
        assert_eq!(language_of(Some("C.UTF-8")), Language::En);
        assert_eq!(language_of(Some("en_US.UTF-8")), Language::En);
        assert_eq!(language_of(None), Language::En);
    }
}
