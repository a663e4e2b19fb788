//! What a failed command tells the person at the terminal: for the failures a user can fix
//! (a credential, an offer id that does not exist), what went wrong in their words and the
//! command or setting that fixes it, instead of the platform's internal API names. The full cause
//! chain stays one `-v` away. A pure decision over the error, tested alone.

use open1688::Credential;
use open1688_jobs::JobError;

use crate::exit::CliError;

/// The SDK error inside a command's error, and what the command was doing when it failed.
fn gateway_error(error: &CliError) -> Option<(Option<&str>, &open1688::Error)> {
    match error {
        CliError::Job(JobError::Gateway { context, source }) => Some((Some(context.as_str()), source.as_ref())),
        CliError::Gateway(e) => Some((None, e)),
        _ => None,
    }
}

/// A refused input as the terminal says it: the jobs name the request field at fault (`need must
/// be at least 1, got 0`, as the API and MCP say it); on the command line that field is a flag
/// (`--need must be at least 1, got 0`). `None` for any other error.
pub fn with_flag(error: &CliError) -> Option<String> {
    let CliError::Job(invalid @ JobError::Invalid { field, .. }) = error else { return None };
    let message = invalid.to_string();
    let plain = !field.is_empty() && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let rest = message.strip_prefix(field.as_str()).filter(|rest| plain && rest.starts_with(' '))?;
    let flag = field.replace('_', "-");
    // "every and at …" names two flags.
    let rest = rest.replacen(" and at ", " and --at ", usize::from(field == "every"));
    Some(format!("--{flag}{rest}"))
}

/// The sentence to print instead of the error's own text, when there is a better one.
pub fn explained(error: &CliError) -> Option<String> {
    let (context, sdk) = gateway_error(error)?;
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
        return Some(open1688_jobs::error::not_found_on_1688(what));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_field_is_named_as_its_flag() {
        let refused = |field: &str, message: &str| CliError::Job(JobError::invalid(field, message));
        assert_eq!(
            with_flag(&refused("need", "need must be at least 1, got 0")).unwrap(),
            "--need must be at least 1, got 0"
        );
        assert_eq!(
            with_flag(&refused("max_suppliers", "max_suppliers must be at least 1")).unwrap(),
            "--max-suppliers must be at least 1"
        );
        assert_eq!(
            with_flag(&refused("every", "every and at must be at least 1")).unwrap(),
            "--every and --at must be at least 1"
        );
        assert_eq!(with_flag(&refused("plan line 3", "plan line 3: quantity must be 1 to 9")), None);
        assert_eq!(with_flag(&refused("need", "the need is unclear")), None);
        assert_eq!(with_flag(&CliError::Usage("x".into())), None);
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
        let secret = explained(&gateway(GatewayErrorCode::SignatureInvalid)).unwrap();
        assert!(secret.contains("app secret") && secret.contains("OPEN1688_APP_SECRET"), "{secret}");
        let key = explained(&gateway(GatewayErrorCode::AppKeyNotFound)).unwrap();
        assert!(key.contains("app key") && key.contains("OPEN1688_APP_KEY"), "{key}");
        let token = explained(&gateway(GatewayErrorCode::Unauthorized)).unwrap();
        assert!(token.contains("open1688 auth login"), "{token}");
        for words in [secret, key, token] {
            assert!(!words.contains("com.alibaba"), "no internal API name: {words}");
        }
        assert!(explained(&gateway(GatewayErrorCode::QosAppFrequencyLimit)).is_none());
    }

    #[test]
    fn an_unknown_offer_is_said_in_user_words() {
        let e = open1688::Error::Business {
            api: "com.alibaba.fenxiao.crossborder:product.search.queryProductDetail-1".into(),
            failure: open1688::types::BusinessFailure {
                family: open1688::types::ResponseFamily::Trade,
                code: Some("404".into()),
                message: Some("no".into()),
            },
        };
        let words = explained(&CliError::Job(JobError::gateway("offer 123", e))).unwrap();
        assert_eq!(words, "offer 123 was not found on 1688: it may have been taken down, or the id is mistyped");
        assert!(explained(&CliError::Usage("bad".into())).is_none());
    }
}
