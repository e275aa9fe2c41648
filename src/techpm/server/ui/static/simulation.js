// The risks page's simulation: a job started through the API, its progress polled until it
// ends, then the finish percentiles and the risks that move the finish most.
(function () {
  "use strict";
  const panel = document.getElementById("simulation-panel");
  const api = "/api/v1/projects/" + encodeURIComponent(panel.dataset.project);
  const progress = document.getElementById("sim-progress");
  const status = document.getElementById("sim-status");

  function rows(table, cells) {
    const body = table.querySelector("tbody");
    body.replaceChildren(...cells.map((values) => {
      const row = document.createElement("tr");
      values.forEach((value) => { const cell = document.createElement("td"); cell.textContent = value; row.appendChild(cell); });
      return row;
    }));
    table.hidden = false;
  }

  function show(result) {
    rows(document.getElementById("sim-finish"), Object.entries(result.finish).map(([p, day]) => [p.toUpperCase(), day]));
    const risks = [...result.risk_sensitivity].sort((a, b) => b.finish_delta_days - a.finish_delta_days);
    rows(document.getElementById("sim-risks"), risks.map((r) => [r.id, Math.round(r.occurred * 100) + " %", r.finish_delta_days]));
  }

  async function follow(jobId) {
    for (;;) {
      const job = await (await fetch("/api/v1/jobs/" + jobId)).json();
      progress.value = job.progress || 0;
      status.textContent = job.status + " — " + Math.round((job.progress || 0) * 100) + " %";
      if (job.status === "succeeded") { show(job.result); panel.dataset.job = String(jobId); return; }
      if (job.status === "failed" || job.status === "cancelled") {
        status.textContent = job.status + ": " + ((job.error && job.error.message) || "");
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  document.getElementById("simulation-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { iterations: Number(form.get("iterations")), seed: Number(form.get("seed")) };
    progress.value = 0;
    status.textContent = "queued";
    const answer = await fetch(api + "/simulations", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": panel.dataset.csrf },
      body: JSON.stringify(body),
    });
    const started = await answer.json();
    if (answer.status !== 202) { status.textContent = started.detail || "refused"; return; }
    await follow(started.job_id);
  });
})();
