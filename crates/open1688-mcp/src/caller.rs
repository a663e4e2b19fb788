//! Who is calling: the person at this machine (stdio) or the holder of a service API key (HTTP).
//! It decides what a call may do (adding a watch needs a `write` key; files on this machine are
//! read for a local caller only) and whose last sourcing job the resources show.

use open1688_store::{ApiKey, Scope};
use rmcp::service::{RequestContext, RoleServer};

/// The caller of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The process's own user, over stdio.
    Local,
    /// A service client, by the API key it presented (the service checked it before the request
    /// reached the MCP server).
    Key {
        /// The key's id.
        id: i64,
        /// The key's name, for messages.
        name: String,
        /// What the key may do.
        scope: Scope,
    },
}

impl Caller {
    /// The caller of the request `context` belongs to: the API key the service attached to the
    /// HTTP request, else the local user.
    pub fn of(context: &RequestContext<RoleServer>) -> Self {
        context
            .extensions
            .get::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<ApiKey>())
            .map_or(Self::Local, |key| Self::Key { id: key.id, name: key.name.clone(), scope: key.scope })
    }

    /// Why this caller may not call `tool`, which needs `needed`, if it may not (the local user
    /// may call every tool).
    pub fn lacks(&self, needed: Scope, tool: &str, language: open1688_jobs::Language) -> Option<String> {
        let Self::Key { name, scope, .. } = self else { return None };
        if *scope >= needed {
            return None;
        }
        let (has, needs) = (scope.as_str(), needed.as_str());
        Some(match language {
            open1688_jobs::Language::En => {
                format!("the key {name:?} has scope {has}; {tool} needs a key with scope {needs}")
            }
            open1688_jobs::Language::Zh => format!("密钥 {name:?} 的权限为 {has}；{tool} 需要权限为 {needs} 的密钥"),
        })
    }

    /// Whether files on the server's machine may be read for this caller (pictures, scorecards).
    pub fn reads_local_files(&self) -> bool {
        matches!(self, Self::Local)
    }

    /// The folder name this caller's job outputs live under.
    pub fn folder(&self) -> String {
        match self {
            Self::Local => "local".into(),
            Self::Key { id, .. } => format!("key-{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_key_cannot_write_and_reads_no_local_file() {
        let reader = Caller::Key { id: 7, name: "agent".into(), scope: Scope::Read };
        assert!(
            reader
                .lacks(Scope::Write, "watch_offer", open1688_jobs::Language::En)
                .unwrap()
                .contains("has scope read; watch_offer needs a key with scope write")
        );
        assert!(reader.lacks(Scope::Read, "search_offers", open1688_jobs::Language::En).is_none());
        assert!(!reader.reads_local_files());
        assert_eq!(reader.folder(), "key-7");
        let writer = Caller::Key { id: 8, name: "ops".into(), scope: Scope::Write };
        assert!(writer.lacks(Scope::Write, "watch_offer", open1688_jobs::Language::En).is_none());
        assert!(writer.lacks(Scope::Admin, "x", open1688_jobs::Language::En).is_some());
        assert!(Caller::Local.lacks(Scope::Admin, "watch_offer", open1688_jobs::Language::En).is_none());
        let chinese = reader.lacks(Scope::Write, "watch_offer", open1688_jobs::Language::Zh).unwrap();
        assert_eq!(chinese, "密钥 \"agent\" 的权限为 read；watch_offer 需要权限为 write 的密钥");
        assert!(Caller::Local.reads_local_files());
    }
}
