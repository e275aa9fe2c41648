// techpm's Gantt page: dhtmlx-gantt draws what techpm's engines computed (dates, floats,
// the critical path); every edit goes to the REST API with If-Match, the server
// reschedules, and the chart is drawn again from the new schedule.
(function () {
  "use strict";
  const LINK_TYPES = { FS: "0", SS: "1", FF: "2", SF: "3" };
  const TYPE_NAMES = { 0: "FS", 1: "SS", 2: "FF", 3: "SF" };
  const ZOOMS = {
    day: [{ unit: "month", step: 1, format: "%F %Y" }, { unit: "day", step: 1, format: "%j" }],
    week: [{ unit: "month", step: 1, format: "%F %Y" }, { unit: "week", step: 1, format: "%W" }],
    month: [{ unit: "year", step: 1, format: "%Y" }, { unit: "month", step: 1, format: "%M" }],
    quarter: [{ unit: "year", step: 1, format: "%Y" }, { unit: "quarter", step: 1, format: "Q%q" }],
  };

  const root = document.getElementById("gantt");
  const key = root.dataset.project;
  const api = "/api/v1/projects/" + encodeURIComponent(key);
  const csrf = root.dataset.csrf;
  const editable = root.dataset.editable === "true";
  const status = document.getElementById("gantt-status");
  let versions = {}; // task id -> version (its ETag)
  let pending = null; // the last refused edit, to retry
  let dragging = false; // a change someone else made waits until this drag ends
  let stale = false;
  const mine = new Set(); // project versions this page's own edits made

  function say(text) { status.textContent = text; }

  async function getJson(url) {
    const answer = await fetch(url, { headers: { Accept: "application/json" } });
    if (!answer.ok) throw new Error(url + ": " + answer.status);
    return answer.json();
  }

  async function all(path) {
    let items = [], cursor = null;
    do {
      const page = await getJson(api + path + "?limit=500" + (cursor ? "&cursor=" + cursor : ""));
      items = items.concat(page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return items;
  }

  function day(text) { return new Date(text); }

  async function load() {
    const [schedule, links, tasks] = await Promise.all([
      getJson(api + "/schedule"), all("/dependencies"), all("/tasks"),
    ]);
    versions = Object.fromEntries(tasks.map((t) => [t.id, t.version]));
    const data = schedule.tasks.map((t) => ({
      id: t.id,
      text: t.name,
      start_date: day(t.start),
      end_date: day(t.finish),
      parent: t.parent || 0,
      open: true,
      type: t.summary ? "project" : t.milestone ? "milestone" : "task",
      progress: (t.percent_complete || 0) / 100,
      critical: t.critical,
      total_float: t.total_float,
      wbs: t.wbs,
    }));
    const drawn = links.map((l) => ({
      id: l.id, source: l.predecessor, target: l.successor, type: LINK_TYPES[l.type] || "0",
    }));
    gantt.clearAll();
    gantt.parse({ data: data, links: drawn });
    if (typeof gantt.addMarker === "function") {
      gantt.addMarker({ start_date: new Date(), css: "today", text: "Today", title: "Today" });
    }
    root.dataset.version = String(schedule.project.tasks) + ":" + Date.now();
    root.dataset.loaded = "true";
  }

  async function send(method, path, body, version) {
    const headers = { "Content-Type": "application/json", "X-CSRF-Token": csrf };
    if (version !== undefined) headers["If-Match"] = '"' + version + '"';
    const answer = await fetch(api + path, { method: method, headers: headers, body: JSON.stringify(body) });
    const text = await answer.text();
    return { status: answer.status, body: text ? JSON.parse(text) : null };
  }

  function conflict(problem, retry) {
    const box = document.getElementById("gantt-conflict");
    const list = document.getElementById("conflict-changes");
    list.replaceChildren(...(problem.changes || []).map((c) => {
      const item = document.createElement("li");
      item.textContent = c.key + " " + (c.field || c.action) + ": " + JSON.stringify(c.old) + " → " + JSON.stringify(c.new);
      return item;
    }));
    pending = retry;
    box.hidden = false;
    document.getElementById("conflict-reload").focus();
  }

  async function edit(method, path, body, version, label) {
    say("Saving " + label + "…");
    const answer = await send(method, path, body, version);
    if (answer.status === 412) {
      say("");
      conflict(answer.body, () => edit(method, path, body, answer.body.current_version, label));
      return;
    }
    if (answer.status >= 400) {
      say((answer.body && answer.body.detail) || "refused: " + answer.status);
      await load();
      return;
    }
    if (answer.body && answer.body.version !== undefined) mine.add(answer.body.version);
    await load();
    say("Saved " + label + "; the schedule was computed again.");
  }

  async function explain(id) {
    const panel = document.getElementById("task-panel");
    const why = await getJson(api + "/tasks/" + encodeURIComponent(id) + "/explain");
    const task = gantt.getTask(id);
    document.getElementById("task-panel-title").textContent = task.text;
    document.getElementById("task-panel-dates").textContent =
      "Starts " + isoDay(task.start_date) + ", finishes " + isoDay(task.end_date) +
      (task.type === "project" ? "" : "; total float " + task.total_float + " working days");
    document.getElementById("task-panel-why").replaceChildren(...why.steps.map((step) => {
      const item = document.createElement("li");
      item.dataset.step = step.task;
      item.textContent = step.name + " (" + step.start.slice(0, 10) + "): " + step.reason;
      return item;
    }));
    panel.hidden = false;
    document.getElementById("task-panel-title").focus();
  }

  function isoDay(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  function zoom(level) {
    gantt.config.scales = ZOOMS[level];
    document.querySelectorAll("[data-zoom]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.zoom === level)));
    gantt.render();
  }

  function setUp() {
    gantt.plugins({ marker: true });
    gantt.config.date_format = "%Y-%m-%d %H:%i";
    gantt.config.duration_unit = "hour"; // draw the engine's exact moments, not whole days
    gantt.config.round_dnd_dates = true;
    gantt.config.readonly = !editable;
    gantt.config.drag_resize = false;
    gantt.config.drag_progress = false;
    gantt.config.drag_move = editable;
    gantt.config.drag_links = editable;
    gantt.config.details_on_dblclick = false;
    gantt.config.show_errors = false;
    gantt.config.min_column_width = 28;
    gantt.config.columns = [
      { name: "wbs", label: "WBS", width: 50, template: (t) => t.wbs || "" },
      { name: "text", label: "Task", tree: true, width: 220 },
      { name: "total_float", label: "Float", width: 50, align: "right", template: (t) => (t.type === "project" ? "" : t.total_float) },
    ];
    gantt.templates.task_class = (start, end, task) => (task.critical ? "critical" : "");
    gantt.templates.tooltip_text = undefined;
    gantt.attachEvent("onAfterTaskDrag", (id, mode) => {
      if (mode !== gantt.config.drag_mode.move) return;
      const task = gantt.getTask(id);
      const body = { constraint: { type: "start_no_earlier_than", date: isoDay(task.start_date) } };
      edit("PATCH", "/tasks/" + encodeURIComponent(id), body, versions[id], task.text);
    });
    gantt.attachEvent("onAfterLinkAdd", (id, link) => {
      const body = { predecessor: link.source, successor: link.target, type: TYPE_NAMES[link.type] || "FS" };
      edit("POST", "/dependencies", body, undefined, "the link " + link.source + " → " + link.target);
    });
    gantt.attachEvent("onTaskClick", (id) => {
      explain(id).catch((error) => say("Could not explain " + id + ": " + error.message));
      return true;
    });
    document.getElementById("task-panel-close").addEventListener("click", () => {
      document.getElementById("task-panel").hidden = true;
    });
    document.getElementById("conflict-reload").addEventListener("click", async () => {
      document.getElementById("gantt-conflict").hidden = true;
      await load();
    });
    document.getElementById("conflict-retry").addEventListener("click", () => {
      document.getElementById("gantt-conflict").hidden = true;
      if (pending) pending();
    });
    document.querySelectorAll("[data-zoom]").forEach((b) => b.addEventListener("click", () => zoom(b.dataset.zoom)));
    gantt.config.scales = ZOOMS.week;
    gantt.init(root);
  }

  // others' changes arrive on the project's event stream: draw the new schedule at once
  function listen() {
    const events = new EventSource(api + "/events");
    events.addEventListener("plan.changed", (message) => {
      const version = JSON.parse(message.data).version;
      if (mine.has(version)) return; // this page's own edit, drawn already
      if (dragging) { stale = true; return; }
      load().then(() => say("Updated: the plan changed.")).catch(() => {});
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUp();
    gantt.attachEvent("onBeforeTaskDrag", () => { dragging = true; return true; });
    gantt.attachEvent("onAfterTaskDrag", () => {
      dragging = false;
      if (stale) { stale = false; load(); }
    });
    load().then(listen).catch((error) => say("Could not load the schedule: " + error.message));
  });
})();
