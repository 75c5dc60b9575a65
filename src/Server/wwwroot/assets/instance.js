// One run: its graph coloured by step state, its step executions and open tasks, and its event stream, all kept
// current from the run's own stream (GET /api/instances/{id}/events): each item is listed as it comes, and the
// graph and the tables are read again after items that change them (one read at a time).
import { h, append, replace, api, problemText, loadMe, showUser, statusBadge, setStatusBadge, isTerminal, timeElement, idFromPath } from "./common.js";

const runId = idFromPath();
const itemTypes = ["run.started", "step.started", "step.completed", "step.failed", "step.retrying", "step.skipped", "step.canceled",
  "event.emitted", "stream", "task.created", "task.completed", "task.canceled", "task.escalated", "run.waiting",
  "run.completed", "run.failed", "run.canceled", "run.timed_out"];
const terminalTypes = new Set(["run.completed", "run.failed", "run.canceled", "run.timed_out"]);
const graphAddress = `/api/instances/${encodeURIComponent(runId)}/graph?format=html&embed=true`;
const badge = statusBadge("pending");
let status = "pending";

loadMe().then(showUser);
replace(document.getElementById("run-status"), badge);
start();

async function start() {
  const detail = await refreshDetail();
  if (!detail) return;
  const frame = document.getElementById("graph");
  // The frame is as tall as the drawing (same origin, so its height can be read).
  frame.addEventListener("load", () => {
    const body = frame.contentDocument && frame.contentDocument.body;
    if (body) frame.style.height = `${Math.min(Math.max(body.scrollHeight + 8, 160), 900)}px`;
  });
  frame.src = graphAddress;
  follow();
}

/** Reads the run again: facts, outcome, open tasks, step executions. */
async function refreshDetail() {
  const result = await api(`/api/instances/${encodeURIComponent(runId)}`);
  if (!result.ok) {
    document.getElementById("run-title").textContent = result.status === 404 ? "No such run" : "The run could not be read";
    replace(document.getElementById("run-outcome"), h("p", { class: "notice" }, problemText(result)));
    return null;
  }
  const run = result.data;
  document.getElementById("run-title").textContent = `${run.workflow} run`;
  document.title = `${run.workflow} run · Workflows`;
  setStatus(run.status);
  replace(document.getElementById("run-facts"),
    h("dt", {}, "Run"), h("dd", { class: "id" }, run.id),
    h("dt", {}, "Workflow"), h("dd", {}, `${run.workflow} ${run.version} (`, h("a", { href: `/api/workflows/${encodeURIComponent(run.workflow)}/graph?format=html&version=${encodeURIComponent(run.version)}` }, "every possible flow"), ")"),
    h("dt", {}, "Started"), h("dd", {}, timeElement(run.createdAt)),
    h("dt", {}, "Updated"), h("dd", {}, timeElement(run.updatedAt)),
    h("dt", {}, "Ended"), h("dd", {}, timeElement(run.endedAt)),
    h("dt", {}, "Input"), h("dd", {}, h("pre", {}, JSON.stringify(run.input, null, 2))));
  showOutcome(run);
  replace(document.getElementById("open-tasks"), run.openTasks.length
    ? run.openTasks.map((task) => h("li", {}, h("a", { href: `/tasks/${encodeURIComponent(task.id)}` }, task.title),
        ` · step ${task.step} · for ${[task.assignee ? `user ${task.assignee}` : null, task.group ? `group ${task.group}` : null].filter(Boolean).join(" or ") || "anyone"}`,
        task.overdue ? [" ", h("span", { class: "badge-overdue" }, "Overdue")] : null))
    : h("li", { class: "muted" }, "None."));
  replace(document.querySelector("#steps tbody"), run.steps.length ? run.steps.map((step) => h("tr", { "data-step": step.step },
    h("td", {}, step.step, step.group ? h("div", { class: "desc" }, `in ${step.group}`) : null),
    h("td", {}, step.status),
    h("td", {}, String(step.attempt)),
    h("td", { class: "wide" }, String(step.worker)),
    h("td", { class: "wide" }, timeElement(step.startedAt)),
    h("td", { class: "wide" }, timeElement(step.endedAt)),
    h("td", {}, step.error ? `${step.error.type}: ${step.error.message}` : "")))
    : h("tr", {}, h("td", { colspan: 7, class: "muted" }, "None yet (a person's step is a task, not an execution).")));
  return run;
}

function showOutcome(run) {
  const area = document.getElementById("run-outcome");
  const actions = document.getElementById("run-actions");
  if (run.status === "completed") {
    replace(area, h("h2", {}, "Result"), h("pre", {}, JSON.stringify(run.result, null, 2)));
  } else if (run.error) {
    replace(area, h("div", { class: "error-summary" }, h("h2", {}, "Why it did not complete"),
      h("p", {}, `${run.error.step ? `Step ${run.error.step}: ` : ""}${run.error.type}: ${run.error.message}`)));
  } else {
    replace(area);
  }
  replace(actions, isTerminal(run.status) ? null : h("button", { type: "button", class: "danger", onclick: cancel }, "Cancel the run"));
}

async function cancel(event) {
  if (!confirm("Cancel this run? Its open tasks are withdrawn.")) return;
  event.target.disabled = true;
  const result = await api(`/api/instances/${encodeURIComponent(runId)}/cancel`, { method: "POST", body: { reason: "canceled from the run page" } });
  if (!result.ok) {
    event.target.disabled = false;
    append(document.getElementById("run-actions"), h("p", { class: "field-error", role: "alert" }, problemText(result)));
  }
}

function setStatus(next) {
  status = next;
  setStatusBadge(badge, next);
}

/** The run's stream from its start: every item is listed; the status follows the lifecycle items. */
function follow() {
  const live = document.getElementById("live");
  const list = document.getElementById("items");
  const source = new EventSource(`/api/instances/${encodeURIComponent(runId)}/events`);
  const refresh = coalesced(async () => {
    await refreshDetail();
    await reloadGraph();
  });
  source.addEventListener("open", () => { live.textContent = "live"; live.classList.add("on"); });
  source.addEventListener("error", () => {
    live.classList.remove("on");
    live.textContent = source.readyState === EventSource.CLOSED || isTerminal(status) ? "ended" : "reconnecting…";
    if (isTerminal(status)) source.close();
  });
  for (const type of itemTypes) {
    source.addEventListener(type, (event) => {
      const item = JSON.parse(event.data);
      append(list, itemEntry(type, item));
      if (type === "run.started") setStatus("running");
      else if (type === "run.waiting") setStatus("waiting");
      else if (terminalTypes.has(type)) setStatus(type.slice(4));
      else if (status === "waiting") setStatus("running");
      if (terminalTypes.has(type)) {
        source.close();
        live.textContent = "ended";
        live.classList.remove("on");
      }
      if (type !== "stream" && type !== "event.emitted") refresh();
    });
  }
}

function itemEntry(type, item) {
  const about = [item.step ? `step ${item.step}` : null, item.group ? `in ${item.group}` : null,
    item.attempt > 1 ? `attempt ${item.attempt}` : null, item.taskId ? `task ${item.taskId}` : null].filter(Boolean).join(" · ");
  return h("li", { "data-sequence": item.sequence, "data-type": type },
    h("span", { class: "seq" }, `#${item.sequence}`), h("span", { class: "type" }, type), about ? `${about} ` : "",
    timeElement(item.timestamp), " ",
    h("details", {}, h("summary", {}, "data"), h("pre", {}, JSON.stringify(item, null, 2))));
}

/** Redraws the graph by reloading its frame; resolves once the new drawing is in. */
function reloadGraph() {
  const frame = document.getElementById("graph");
  return new Promise((resolve) => {
    frame.addEventListener("load", resolve, { once: true });
    frame.src = `${graphAddress}&at=${Date.now()}`;
  });
}

/** Runs `work` now, or once more after the run in progress if asked again meanwhile: never two at once. */
function coalesced(work) {
  let running = false;
  let again = false;
  const go = async () => {
    if (running) { again = true; return; }
    running = true;
    try {
      do { again = false; await work(); } while (again);
    } finally {
      running = false;
    }
  };
  return go;
}
