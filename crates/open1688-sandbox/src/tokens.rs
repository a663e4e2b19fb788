//! Authorization codes, access tokens and refresh tokens, each bound to an app and a member.
//! Token strings are UUID-shaped and derived from the seed, so two runs issue the same tokens.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::catalog::rng::Rng;

const TAG_TOKENS: u64 = 21;

/// What a code or token grants: an app acting for a member until a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The app it was issued to.
    pub app_key: String,
    /// The member (index of a catalog supplier).
    pub member: usize,
    /// Expiry on the sandbox clock (epoch ms).
    pub expires_ms: i64,
}

/// Why a code or token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Never issued, already used, or revoked.
    Unknown,
    /// Past its expiry.
    Expired,
    /// Issued to another app.
    OtherApp,
}

impl Refusal {
    /// Human-readable reason.
    pub fn describe(self, what: &str) -> String {
        match self {
            Refusal::Unknown => format!("{what} is invalid, revoked or already used"),
            Refusal::Expired => format!("{what} has expired"),
            Refusal::OtherApp => format!("{what} was issued to another app"),
        }
    }
}

#[derive(Debug, Default)]
struct Book {
    codes: HashMap<String, Grant>,
    access: HashMap<String, Grant>,
    refresh: HashMap<String, Grant>,
    issued: u64,
}

/// All codes and tokens.
#[derive(Debug)]
pub struct TokenBook {
    seed: u64,
    book: Mutex<Book>,
}

impl TokenBook {
    /// An empty book whose token strings derive from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { seed, book: Mutex::new(Book::default()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn next_token(&self, book: &mut Book) -> String {
        let token = Self::nth_token(self.seed, book.issued);
        book.issued += 1;
        token
    }

    /// The `n`th code or token (counting from 0) a book with `seed` issues: what a sandbox that
    /// starts on its first call will hand out, known before it starts.
    pub fn nth_token(seed: u64, n: u64) -> String {
        let mut rng = Rng::for_entity(seed, TAG_TOKENS, n);
        format!("{}-{}-{}-{}-{}", rng.hex(8), rng.hex(4), rng.hex(4), rng.hex(4), rng.hex(12))
    }

    /// Issues a single-use authorization code.
    pub fn issue_code(&self, grant: Grant) -> String {
        let mut book = self.lock();
        let code = self.next_token(&mut book);
        book.codes.insert(code.clone(), grant);
        code
    }

    /// Consumes a code (a used code is gone, whatever the outcome).
    pub fn take_code(&self, code: &str, app_key: &str, now_ms: i64) -> Result<Grant, Refusal> {
        let grant = self.lock().codes.remove(code).ok_or(Refusal::Unknown)?;
        check(grant, app_key, now_ms)
    }

    /// Issues an access token.
    pub fn issue_access(&self, grant: Grant) -> String {
        let mut book = self.lock();
        let token = self.next_token(&mut book);
        book.access.insert(token.clone(), grant);
        token
    }

    /// Issues a refresh token.
    pub fn issue_refresh(&self, grant: Grant) -> String {
        let mut book = self.lock();
        let token = self.next_token(&mut book);
        book.refresh.insert(token.clone(), grant);
        token
    }

    /// Checks an access token.
    pub fn check_access(&self, token: &str, app_key: &str, now_ms: i64) -> Result<Grant, Refusal> {
        let grant = self.lock().access.get(token).cloned().ok_or(Refusal::Unknown)?;
        check(grant, app_key, now_ms)
    }

    /// Checks a refresh token.
    pub fn check_refresh(&self, token: &str, app_key: &str, now_ms: i64) -> Result<Grant, Refusal> {
        let grant = self.lock().refresh.get(token).cloned().ok_or(Refusal::Unknown)?;
        check(grant, app_key, now_ms)
    }

    /// Revokes one access token.
    pub fn revoke_access(&self, token: &str) -> bool {
        self.lock().access.remove(token).is_some()
    }

    /// Revokes every access token (of one app, or of all); refresh tokens stay valid.
    pub fn revoke_all_access(&self, app_key: Option<&str>) -> usize {
        let mut book = self.lock();
        let before = book.access.len();
        book.access.retain(|_, g| app_key.is_some_and(|k| k != g.app_key));
        before - book.access.len()
    }

    /// Forgets everything, and restarts the token sequence.
    pub fn reset(&self) {
        *self.lock() = Book::default();
    }
}

fn check(grant: Grant, app_key: &str, now_ms: i64) -> Result<Grant, Refusal> {
    if grant.app_key != app_key {
        Err(Refusal::OtherApp)
    } else if grant.expires_ms <= now_ms {
        Err(Refusal::Expired)
    } else {
        Ok(grant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(expires_ms: i64) -> Grant {
        Grant { app_key: "a".into(), member: 0, expires_ms }
    }

    #[test]
    fn codes_are_single_use_and_expire() {
        let book = TokenBook::new(1);
        let code = book.issue_code(grant(100));
        assert_eq!(book.take_code(&code, "a", 50), Ok(grant(100)));
        assert_eq!(book.take_code(&code, "a", 50), Err(Refusal::Unknown));
        let code = book.issue_code(grant(100));
        assert_eq!(book.take_code(&code, "a", 100), Err(Refusal::Expired));
        let code = book.issue_code(grant(100));
        assert_eq!(book.take_code(&code, "b", 1), Err(Refusal::OtherApp));
    }

    #[test]
    fn tokens_are_deterministic_and_revocable() {
        let (a, b) = (TokenBook::new(5), TokenBook::new(5));
        let ta = a.issue_access(grant(10));
        assert_eq!(ta, b.issue_access(grant(10)));
        assert_eq!(ta.len(), 36);
        assert!(a.check_access(&ta, "a", 5).is_ok());
        assert_eq!(a.revoke_all_access(Some("other")), 0);
        assert_eq!(a.revoke_all_access(Some("a")), 1);
        assert_eq!(a.check_access(&ta, "a", 5), Err(Refusal::Unknown));
    }
}
