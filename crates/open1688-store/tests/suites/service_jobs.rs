//! The service's job queue, the same on every database: a job is claimed by one instance only,
//! its lease renewed with its progress, taken over once the lease runs out, ended only by the
//! lease holder (one result), cancelled, counted, given up after too many tries, and pruned.

use open1688_store::{ClaimRules, Lease, NewServiceJob, ServiceJobEnd, ServiceJobProgress, ServiceJobStatus, SqlStore};

const RULES: ClaimRules<'static> = ClaimRules {
    lease_ms: 1_000,
    per_owner: 2,
    max_attempts: 3,
    gave_up: r#"{"detail":"gave up"}"#,
    cancelled: r#"{"detail":"cancelled"}"#,
};

pub async fn service_job_suite(store: &SqlStore, base: i64) {
    let owner = base;
    let id = |n: i64| format!("job-{base}-{n}");
    let now = 1_000_000;
    let new = |n: i64, owner: i64| {
        let id = id(n);
        async move {
            store
                .submit_service_job(
                    &NewServiceJob {
                        id: &id,
                        kind: "source",
                        owner,
                        request: r#"{"keyword":"保温杯"}"#,
                        submitted_ms: now + n,
                    },
                    3,
                )
                .await
                .unwrap()
        }
    };
    for n in 0..3 {
        assert!(new(n, owner).await.is_ok());
    }
    assert_eq!(new(3, owner).await, Err(3), "a fourth unfinished job of one owner is refused");
    assert!(new(4, owner + 1).await.is_ok(), "another owner's is not");

    // Two instances claim: each job once, at most two of one owner's running at once.
    let a = store.claim_service_job("a", now + 10, &RULES).await.unwrap().unwrap();
    let b = store.claim_service_job("b", now + 10, &RULES).await.unwrap().unwrap();
    assert_eq!((a.id.clone(), b.id.clone()), (id(0), id(1)), "oldest first");
    assert_eq!((a.status, a.attempts, a.request.as_str()), (ServiceJobStatus::Running, 1, r#"{"keyword":"保温杯"}"#));
    let c = store.claim_service_job("b", now + 10, &RULES).await.unwrap().unwrap();
    assert_eq!(c.id, id(4), "the owner's third waits for a turn; the other owner's goes ahead");

    // Renewal writes progress; the end is recorded by the holder, files with it.
    let progress =
        ServiceJobProgress { stage: Some("2 of 4".into()), done: 3, total: 9, notes: vec!["skipped 1".into()] };
    assert_eq!(
        store.renew_service_job(&a.id, "a", now + 500, 1_000, &progress).await.unwrap(),
        Lease::Held { cancel_requested: false }
    );
    let seen = store.service_job(&a.id).await.unwrap().unwrap();
    assert_eq!(
        (seen.stage.as_deref(), seen.done, seen.total, seen.notes.clone()),
        (Some("2 of 4"), 3, 9, progress.notes.clone())
    );
    assert_eq!(store.renew_service_job(&a.id, "b", now + 500, 1_000, &progress).await.unwrap(), Lease::Lost, "not b's");
    let files = vec![("answer.xlsx".to_owned(), vec![0u8, 1, 2, 255]), ("ladder.svg".to_owned(), b"<svg/>".to_vec())];
    let end = ServiceJobEnd::Succeeded { result: r#"{"pick":1}"#.into(), files };
    assert!(store.finish_service_job(&a.id, "a", now + 600, &progress, &end).await.unwrap());
    let done = store.service_job(&a.id).await.unwrap().unwrap();
    assert_eq!(
        (done.status, done.files.clone(), done.finished_ms),
        (ServiceJobStatus::Succeeded, vec!["answer.xlsx".to_owned(), "ladder.svg".to_owned()], Some(now + 600))
    );
    assert_eq!(store.service_job_result(&a.id).await.unwrap().as_deref(), Some(r#"{"pick":1}"#));
    assert_eq!(store.service_job_file(&a.id, "answer.xlsx").await.unwrap(), Some(vec![0u8, 1, 2, 255]), "bytes exact");
    assert_eq!(store.service_job_file(&a.id, "../etc/passwd").await.unwrap(), None);
    assert!(!store.finish_service_job(&a.id, "a", now + 700, &progress, &end).await.unwrap(), "ended once");

    // b's instance dies: its lease runs out and another claims the job and runs it again; b's
    // late end is not recorded, the new holder's is.
    assert!(store.claim_service_job("c", now + 900, &RULES).await.unwrap().unwrap().id == id(2), "a's turn freed");
    let taken = store.claim_service_job("c", now + 1_011, &RULES).await.unwrap().unwrap();
    assert_eq!((taken.id.clone(), taken.attempts), (id(1), 2), "the expired lease is taken over");
    let failed = ServiceJobEnd::Failed(r#"{"detail":"late"}"#.into());
    assert!(
        !store.finish_service_job(&b.id, "b", now + 1_100, &progress, &failed).await.unwrap(),
        "the dead holder's end is not recorded"
    );
    assert_eq!(store.renew_service_job(&b.id, "b", now + 1_100, 1_000, &progress).await.unwrap(), Lease::Lost);
    assert!(store.finish_service_job(&b.id, "c", now + 1_200, &progress, &failed).await.unwrap());
    assert_eq!(store.service_job(&b.id).await.unwrap().unwrap().status, ServiceJobStatus::Failed);

    // Cancelling: a running job is told at its next renewal; a queued one ends at once.
    let cancelled = store.cancel_service_job(&id(2), now + 1_300, "{}").await.unwrap().unwrap();
    assert!(cancelled.cancel_requested && cancelled.status == ServiceJobStatus::Running);
    assert_eq!(
        store.renew_service_job(&id(2), "c", now + 1_300, 1_000, &progress).await.unwrap(),
        Lease::Held { cancel_requested: true }
    );
    assert!(new(5, owner + 2).await.is_ok());
    let queued = store.cancel_service_job(&id(5), now + 1_300, r#"{"detail":"cancelled"}"#).await.unwrap().unwrap();
    assert_eq!(
        (queued.status, queued.error.as_deref()),
        (ServiceJobStatus::Cancelled, Some(r#"{"detail":"cancelled"}"#))
    );
    assert!(store.cancel_service_job("no-such-job", now, "{}").await.unwrap().is_none());

    // Handed back on a graceful stop: queued again, claimed at once by another instance.
    assert!(store.release_service_job(&c.id, "b").await.unwrap());
    let again = store.claim_service_job("d", now + 1_400, &RULES).await.unwrap().unwrap();
    assert_eq!((again.id.clone(), again.attempts), (c.id.clone(), 2));

    // A job whose instances keep dying is given up after three claims; a job asked to stop
    // whose instance died is cancelled.
    let third = store.claim_service_job("e", now + 3_000, &RULES).await.unwrap().unwrap();
    assert_eq!((third.id.clone(), third.attempts), (c.id.clone(), 3));
    assert!(store.claim_service_job("f", now + 5_000, &RULES).await.unwrap().is_none());
    let gave_up = store.service_job(&c.id).await.unwrap().unwrap();
    assert_eq!((gave_up.status, gave_up.error.as_deref()), (ServiceJobStatus::Interrupted, Some(RULES.gave_up)));
    let stopped = store.service_job(&id(2)).await.unwrap().unwrap();
    assert_eq!((stopped.status, stopped.error.as_deref()), (ServiceJobStatus::Cancelled, Some(RULES.cancelled)));

    // Listing, counting, pruning.
    let mine =
        store.service_jobs(&[ServiceJobStatus::Succeeded, ServiceJobStatus::Failed], Some(owner), 10).await.unwrap();
    assert_eq!(mine.iter().map(|j| j.id.clone()).collect::<Vec<_>>(), [id(1), id(0)], "newest first");
    let counts = store.service_job_counts().await.unwrap();
    assert!(counts.iter().any(|(s, n)| *s == ServiceJobStatus::Succeeded && *n >= 1), "{counts:?}");
    assert!(store.prune_service_jobs(now + 650).await.unwrap() >= 1);
    assert!(store.service_job(&a.id).await.unwrap().is_none(), "the old job is gone");
    assert_eq!(store.service_job_file(&a.id, "answer.xlsx").await.unwrap(), None, "with its files");
    assert!(store.service_job(&b.id).await.unwrap().is_some(), "a newer one stays");

    // A job that ran outside the queue (an MCP tool's) is recorded whole; the owner's next one
    // replaces it.
    for (n, body) in [(20, "first"), (21, "second")] {
        let job = NewServiceJob { id: &id(n), kind: "mcp_source", owner, request: "{}", submitted_ms: now + n };
        let files = vec![("report.json".to_owned(), body.as_bytes().to_vec())];
        store.record_finished_service_job(&job, "{}", &files).await.unwrap();
    }
    let last = store.newest_service_job(owner, "mcp_source").await.unwrap().unwrap();
    assert_eq!((last.id.clone(), last.files.clone()), (id(21), vec!["report.json".to_owned()]));
    assert_eq!(store.service_job_file_sizes(&last.id).await.unwrap(), [("report.json".to_owned(), 6)]);
    assert!(store.service_job(&id(20)).await.unwrap().is_none(), "replaced");
    assert!(store.newest_service_job(owner + 1, "mcp_source").await.unwrap().is_none());
    store.prune_service_jobs(i64::MAX).await.unwrap();
}
