//! The connections a server holds, and which of them may be closed. A connection is *idle* while
//! it has no request in flight — from its accept until its first request begins, and between
//! requests — and an idle connection is closed once it has been idle for the header deadline,
//! whatever protocol it speaks (no bytes at all, an HTTP/2 preface and nothing more, a keep-alive
//! left open). A request is in flight from its head until its response body has been sent (a
//! live event stream stays in flight). At the connection cap, a new connection takes the place
//! of the longest-idle one; when none is idle, it is refused.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio_util::sync::CancellationToken;

/// One connection's state, shared with the requests it serves.
#[derive(Debug)]
pub struct Connection {
    in_flight: AtomicUsize,
    /// When the connection last became idle (its accept, or its last response's end).
    idle_since: Mutex<Option<Instant>>,
    /// Cancelled to close the connection (evicted at the cap).
    close: CancellationToken,
}

impl Connection {
    fn new(now: Instant) -> Self {
        Self { in_flight: AtomicUsize::new(0), idle_since: Mutex::new(Some(now)), close: CancellationToken::new() }
    }

    /// How long the connection has been idle at `now` (`None` while a request is in flight).
    pub fn idle_for(&self, now: Instant) -> Option<Duration> {
        self.idle_since.lock().unwrap_or_else(std::sync::PoisonError::into_inner).map(|since| now - since)
    }

    /// A request begins; the guard ends it when dropped (with the response's body).
    pub fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        *self.idle_since.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        InFlight(self.clone())
    }

    /// Completes when the connection is to be closed.
    pub async fn closed(&self) {
        self.close.cancelled().await;
    }
}

/// A request in flight on its connection.
#[derive(Debug)]
pub struct InFlight(Arc<Connection>);

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            *self.0.idle_since.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now());
        }
    }
}

/// A response body that keeps its request in flight until it is sent (or dropped).
#[derive(Debug)]
pub struct Tracked<B> {
    inner: B,
    _in_flight: InFlight,
}

impl<B> Tracked<B> {
    /// `inner`, in flight until it ends.
    pub fn new(inner: B, in_flight: InFlight) -> Self {
        Self { inner, _in_flight: in_flight }
    }
}

impl<B: Body<Data = Bytes> + Unpin> Body for Tracked<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Every open connection, by the order it was accepted.
#[derive(Debug, Default)]
pub struct Registry {
    open: Mutex<HashMap<u64, Arc<Connection>>>,
    next: AtomicU64,
}

impl Registry {
    /// Adds a connection accepted at `now`; its id (for [`Registry::remove`]) and its state.
    pub fn add(&self, now: Instant) -> (u64, Arc<Connection>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let connection = Arc::new(Connection::new(now));
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(id, connection.clone());
        (id, connection)
    }

    /// Forgets a connection that closed.
    pub fn remove(&self, id: u64) {
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&id);
    }

    /// Open connections.
    pub fn len(&self) -> usize {
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    /// Whether none is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes the connection idle the longest at `now`; `false` when every one is busy.
    pub fn evict_longest_idle(&self, now: Instant) -> bool {
        let open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let longest = open
            .values()
            .filter(|c| !c.close.is_cancelled())
            .filter_map(|c| c.idle_for(now).map(|idle| (idle, c)))
            .max_by_key(|(idle, _)| *idle);
        match longest {
            Some((_, connection)) => {
                connection.close.cancel();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_is_idle_until_a_request_and_again_after_its_body() {
        let registry = Registry::default();
        let start = Instant::now();
        let (id, c) = registry.add(start);
        assert_eq!(c.idle_for(start + Duration::from_secs(3)), Some(Duration::from_secs(3)));
        let first = c.begin();
        let second = c.begin();
        assert_eq!(c.idle_for(Instant::now()), None);
        drop(first);
        assert_eq!(c.idle_for(Instant::now()), None, "one still in flight");
        drop(second);
        assert!(c.idle_for(Instant::now()).is_some());
        registry.remove(id);
        assert!(registry.is_empty());
    }

    #[test]
    fn the_longest_idle_connection_makes_room_and_a_busy_one_never_does() {
        let registry = Registry::default();
        let start = Instant::now();
        let (_, old) = registry.add(start);
        let (_, newer) = registry.add(start + Duration::from_secs(1));
        let (_, busy) = registry.add(start);
        let _request = busy.begin();
        let now = start + Duration::from_secs(5);
        assert!(registry.evict_longest_idle(now));
        assert!(old.close.is_cancelled() && !newer.close.is_cancelled() && !busy.close.is_cancelled());
        assert!(registry.evict_longest_idle(now));
        assert!(newer.close.is_cancelled());
        assert!(!registry.evict_longest_idle(now), "only a busy one is left");
    }
}
