// open1688 dashboard: the little that needs a script. Every page works without it.
"use strict";

document.querySelectorAll("input.secret").forEach((input) => {
  // A key shown once: one click selects it for copying.
  input.addEventListener("focus", () => input.select());
});

// A search waits for 1688 (a few seconds): its button says so and cannot be pressed twice.
document.querySelectorAll("form[data-busy]").forEach((form) => {
  form.addEventListener("submit", () => {
    const button = form.querySelector("button[type=submit]");
    if (!button) return;
    setTimeout(() => { button.disabled = true; button.textContent = form.dataset.busy; }, 0);
    form.setAttribute("aria-busy", "true");
  });
  // Back from the results (the page kept in the back-forward cache): the button works again.
  window.addEventListener("pageshow", () => {
    const button = form.querySelector("button[type=submit]");
    if (button && button.disabled) window.location.reload();
  });
});

// Alerts arriving live (watches page): each new one goes on top of the list.
const live = document.querySelector("[data-stream]");
if (live && window.EventSource) {
  const status = document.getElementById("live-status");
  const stream = new EventSource(live.dataset.stream);
  // A browser keeps six connections to a site over HTTP/1.1; a stream left open by a page that
  // was navigated away from (kept in the back-forward cache) would hold one of them.
  window.addEventListener("pagehide", () => stream.close());
  window.addEventListener("pageshow", (event) => { if (event.persisted) window.location.reload(); });
  const waiting = status ? status.textContent : "";
  stream.addEventListener("open", () => { if (status) status.textContent = status.dataset.open || waiting; });
  // Closed for good (the log-in ended): the list stops being live, and says so.
  stream.addEventListener("error", () => { if (status && stream.readyState === EventSource.CLOSED) status.textContent = waiting; });
  stream.addEventListener("alert", (event) => {
    const alert = JSON.parse(event.data);
    const item = document.createElement("li");
    item.className = "new";
    const time = document.createElement("time");
    time.dateTime = alert.at;
    time.textContent = alert.time;
    const link = document.createElement("a");
    // An alert about an order leads to the order; a watch's, to its offer.
    link.href = alert.order_id ? "/orders/" + encodeURIComponent(alert.order_id) : "/offers/" + encodeURIComponent(alert.offer_id);
    link.textContent = alert.message;
    item.append(time, " ", link);
    live.prepend(item);
    while (live.children.length > 50) live.lastElementChild.remove();
  });
}

// A running sourcing job: its progress is read once a second until it ends, then the page
// reloads to show the answer (without a script, the page refreshes itself).
const job = document.querySelector("[data-job-status]");
if (job) {
  const bar = job.querySelector("progress");
  const stage = job.querySelector(".stage");
  const tick = async () => {
    try {
      const response = await fetch(job.dataset.jobStatus, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const view = await response.json();
        if (view.status !== "running") { window.location.reload(); return; }
        if (stage && view.stage) stage.textContent = view.stage;
        if (bar && view.total > 0) { bar.max = view.total; bar.value = view.done; }
      }
    } catch (_) { /* the next tick tries again */ }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
}
