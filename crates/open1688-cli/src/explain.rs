//! What a failed command tells the person at the terminal: for the failures a user can fix
//! (a credential, an offer id that does not exist), what went wrong in their words and the
//! command or setting that fixes it, instead of the platform's internal API names. The full cause
//! chain stays one `-v` away. A pure decision over the error, tested alone.

use open1688::Credential;
use open1688_jobs::{JobError, Language};

use crate::exit::CliError;

/// The SDK error inside a command's error, and what the command was doing when it failed.
fn gateway_error(error: &CliError) -> Option<(Option<&str>, &open1688::Error)> {
    match error {
        CliError::Job(JobError::Gateway { context, source }) => Some((Some(context.as_str()), source.as_ref())),
        CliError::Gateway(e) => Some((None, e)),
        _ => None,
    }
}

/// A refused input as the terminal says it in `language`: the jobs name the request field at
/// fault (`need must be at least 1, got 0`, as the API and MCP say it); on the command line that
/// field is a flag (`--need must be at least 1, got 0`, `--need 不能小于 1（收到 0）`). `None`
/// for any other error.
pub fn with_flag(error: &CliError, language: Language) -> Option<String> {
    let CliError::Job(invalid @ JobError::Invalid { field, .. }) = error else { return None };
    let message = invalid.render(language);
    let plain = !field.is_empty() && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let rest = message.strip_prefix(field.as_str()).filter(|rest| plain && rest.starts_with(' '))?;
    let flag = field.replace('_', "-");
    // "every and at …" names two flags.
    let rest = rest.replacen(" and at ", " and --at ", usize::from(field == "every"));
    Some(format!("--{flag}{rest}"))
}

/// The error's own words in `language` (a job's failure said as the jobs say it; anything else
/// as it is).
pub fn said(error: &CliError, language: Language) -> String {
    match error {
        CliError::Job(e) => e.render(language),
        other => other.to_string(),
    }
}

/// The sentence to print instead of the error's own text, when there is a better one, in
/// `language`.
pub fn explained(error: &CliError, language: Language) -> Option<String> {
    let (context, sdk) = gateway_error(error)?;
    if let (Some(credential), Language::Zh) = (sdk.credential(), language) {
        return Some(match credential {
            Credential::AppKey => "1688 网关不认识这个应用密钥（app key）：请对照 open.1688.com 上的应用检查 \
                 OPEN1688_APP_KEY（或配置文件中的 app_key，见 `open1688 config show`）"
                .to_owned(),
            Credential::AppSecret => "1688 网关拒绝了请求的签名：应用密钥（app secret）与这个 app key 不符。\
                 请检查 OPEN1688_APP_SECRET（或配置文件中的 app_secret，见 `open1688 config show`）"
                .to_owned(),
            Credential::AccessToken => "本应用没有可用的访问令牌：运行 `open1688 auth login` 授权\
                 （或设置 OPEN1688_ACCESS_TOKEN）"
                .to_owned(),
            Credential::ApiSubscription => "本应用无权调用这里需要的接口：请在 open.1688.com 应用的接口列表中申请\
                 （README 的 \"Connecting your 1688 app\" 一节列出需要哪些）"
                .to_owned(),
        });
    }
    if let Some(credential) = sdk.credential() {
        return Some(match credential {
            Credential::AppKey => "the 1688 gateway does not know this app key: check OPEN1688_APP_KEY (or app_key in \
                 the config file, see `open1688 config show`) against your app on open.1688.com"
                .to_owned(),
            Credential::AppSecret => "the 1688 gateway refused the request's signature: the app secret does not belong \
                 to this app key. Check OPEN1688_APP_SECRET (or app_secret in the config file, see `open1688 config show`)"
                .to_owned(),
            Credential::AccessToken => "no usable access token for this app: run `open1688 auth login` to authorize \
                 it (or set OPEN1688_ACCESS_TOKEN)"
                .to_owned(),
            Credential::ApiSubscription => "this app may not call the API it needs here: apply for it in your app's \
                 API list on open.1688.com (the README's \"Connecting your 1688 app\" lists which)"
                .to_owned(),
        });
    }
    if sdk.is_not_found() {
        let what = context.unwrap_or("what was asked for");
        return Some(open1688_jobs::error::not_found_on_1688_in(what, language));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_flag_en(error: &CliError) -> Option<String> {
        with_flag(error, Language::En)
    }

    fn explained_en(error: &CliError) -> Option<String> {
        explained(error, Language::En)
    }

    #[test]
    fn a_chinese_terminal_reads_chinese() {
        let low = CliError::Job(JobError::refused("need", open1688_jobs::FieldRefusal::at_least(1, 0)));
        assert_eq!(with_flag(&low, Language::Zh).unwrap(), "--need 不能小于 1（收到 0）");
        assert_eq!(with_flag(&low, Language::En).unwrap(), "--need must be at least 1, got 0");
        let none = CliError::Job(JobError::NoAnswer("no offers found for \"杯\"".into()));
        assert!(said(&none, Language::Zh).starts_with("没有符合条件的结果"));
        let usage = CliError::Usage("bad flag".into());
        assert_eq!(said(&usage, Language::Zh), "bad flag");
    }

    #[test]
    fn a_refused_field_is_named_as_its_flag() {
        let refused = |field: &str, message: &str| CliError::Job(JobError::invalid(field, message));
        assert_eq!(
            with_flag_en(&refused("need", "need must be at least 1, got 0")).unwrap(),
            "--need must be at least 1, got 0"
        );
        assert_eq!(
            with_flag_en(&refused("max_suppliers", "max_suppliers must be at least 1")).unwrap(),
            "--max-suppliers must be at least 1"
        );
        assert_eq!(
            with_flag_en(&refused("every", "every and at must be at least 1")).unwrap(),
            "--every and --at must be at least 1"
        );
        assert_eq!(with_flag_en(&refused("plan line 3", "plan line 3: quantity must be 1 to 9")), None);
        assert_eq!(with_flag_en(&refused("need", "the need is unclear")), None);
        assert_eq!(with_flag_en(&CliError::Usage("x".into())), None);
    }
    use open1688::types::GatewayErrorCode;

    fn gateway(code: GatewayErrorCode) -> CliError {
        let e = open1688::Error::Gateway {
            api: "com.alibaba.x:y-1".into(),
            status: 400,
            code,
            message: String::new(),
            request_id: None,
        };
        CliError::Job(JobError::gateway("offer 1", e))
    }

    #[test]
    fn a_credential_error_names_the_credential_and_what_fixes_it() {
        let secret = explained_en(&gateway(GatewayErrorCode::SignatureInvalid)).unwrap();
        assert!(secret.contains("app secret") && secret.contains("OPEN1688_APP_SECRET"), "{secret}");
        let key = explained_en(&gateway(GatewayErrorCode::AppKeyNotFound)).unwrap();
        assert!(key.contains("app key") && key.contains("OPEN1688_APP_KEY"), "{key}");
        let token = explained_en(&gateway(GatewayErrorCode::Unauthorized)).unwrap();
        assert!(token.contains("open1688 auth login"), "{token}");
        for words in [secret, key, token] {
            assert!(!words.contains("com.alibaba"), "no internal API name: {words}");
        }
        assert!(explained_en(&gateway(GatewayErrorCode::QosAppFrequencyLimit)).is_none());
    }

    #[test]
    fn an_unknown_offer_is_said_in_user_words() {
        // What the platform answers for an offer it does not have.
        let missing = || open1688::Error::Business {
            api: "com.alibaba.fenxiao.crossborder:product.search.queryProductDetail-1".into(),
            failure: open1688::types::BusinessFailure {
                family: open1688::types::ResponseFamily::Trade,
                code: Some("404".into()),
                message: Some("no".into()),
            },
        };
        let words = explained_en(&CliError::Job(JobError::gateway("offer 123", missing()))).unwrap();
        assert_eq!(words, "offer 123 was not found on 1688: it may have been taken down, or the id is mistyped");
        let chinese = explained(&CliError::Job(JobError::gateway("offer 123", missing())), Language::Zh).unwrap();
        assert_eq!(chinese, "1688 上找不到商品 123：可能已下架，或编号有误");
        let secret = explained(&gateway(GatewayErrorCode::SignatureInvalid), Language::Zh).unwrap();
        assert!(secret.contains("签名") && secret.contains("OPEN1688_APP_SECRET"), "{secret}");
        assert!(explained_en(&CliError::Usage("bad".into())).is_none());
    }
}
