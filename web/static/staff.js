// Staff evaluation page: while a run is in progress, poll its state and reload when it ends.
(function () {
  "use strict";
  const box = document.getElementById("eval-progress");
  if (!box || box.dataset.state !== "running") return;
  const done = document.getElementById("eval-done");
  const bar = document.getElementById("eval-bar");
  async function poll() {
    try {
      const response = await fetch("/api/staff/eval", { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const state = (await response.json()).progress;
      if (state.state !== "running") { window.location.reload(); return; }
      if (done) done.textContent = String(state.done);
      if (bar) { bar.max = state.total; bar.value = state.done; }
    } catch (error) {
      // A transient failure (server busy): try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 500);
})();
