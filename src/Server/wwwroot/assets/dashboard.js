// The dashboard: the catalogue with a start form per workflow, the counts of every run by status, and the recent runs
// with their status; counts and runs are kept live by one stream of every run's status changes (GET /api/instances/events).
import { h, append, replace, api, problemText, loadMe, showUser, statusBadge, setStatusBadge, timeElement, compareTimes, markNavigation } from "./common.js";

const RunLimit = 50;
const statuses = ["pending", "running", "waiting", "completed", "failed", "canceled", "timed_out"];
const runs = new Map(); // id -> { id, workflow, status, createdAt, updatedAt, fromList, row }
const MaxCountReads = 3;
let counts = null; // status -> runs, from GET /api/instances/counts, then moved by the stream's changes
let changesWhileCounting = null; // the changes that arrive while the counts are read (null when no read is under way)
let countReads = 0; // a read started after a reconnect supersedes the one before

markNavigation("/");
loadMe().then(showUser);
loadWorkflows();
follow();

async function loadWorkflows() {
  const note = document.getElementById("workflows-note");
  const table = document.getElementById("workflows");
  const result = await api("/api/workflows");
  if (!result.ok) {
    note.textContent = "The catalogue could not be read: " + problemText(result);
    return;
  }
  const body = table.tBodies[0];
  for (const workflow of result.data) append(body, workflowRows(workflow));
  note.textContent = result.data.length ? `${result.data.length} workflows. Start one with an input, or open its drawing of every possible flow.` : "No workflow is registered.";
  table.hidden = false;
}

function workflowRows(workflow) {
  const panelId = `start-${workflow.name}`;
  const panelRow = h("tr", { hidden: true }, h("td", { colspan: 4 }, startForm(workflow, panelId, () => toggle(false))));
  const startButton = h("button", { type: "button", "aria-expanded": "false", "aria-controls": panelId }, "Start…");
  const toggle = (open) => {
    panelRow.hidden = !open;
    startButton.setAttribute("aria-expanded", String(open));
    if (open) panelRow.querySelector("textarea").focus();
    else startButton.focus();
  };
  startButton.addEventListener("click", () => toggle(panelRow.hidden));
  const drawing = `/api/workflows/${encodeURIComponent(workflow.name)}/graph?format=html`;
  const row = h("tr", { "data-workflow": workflow.name },
    h("td", {}, h("strong", {}, workflow.name), workflow.description ? h("div", { class: "desc" }, workflow.description) : null),
    h("td", { class: "wide" }, workflow.kind),
    h("td", { class: "wide" }, workflow.version),
    h("td", {}, h("div", { class: "actions" }, startButton,
      h("a", { href: drawing, "aria-label": `Drawing of every possible flow of ${workflow.name}` }, "Drawing"))));
  return [row, panelRow];
}

/** The start form: the input as JSON, checked here (it must parse and be an object) before it is sent. */
function startForm(workflow, panelId, close) {
  const inputId = `${panelId}-input`;
  const errorId = `${panelId}-error`;
  const input = h("textarea", { id: inputId, class: "code", name: "input", spellcheck: "false", "aria-describedby": `${panelId}-hint ${errorId}` }, "{}");
  const error = h("p", { class: "field-error", id: errorId, role: "alert", hidden: true });
  const message = h("p", { role: "status" });
  const form = h("form", { class: "panel start-panel", id: panelId, novalidate: true, "aria-label": `Start ${workflow.name}` },
    h("div", { class: "field" },
      h("label", { for: inputId }, `Input for ${workflow.name} (a JSON object)`),
      h("p", { class: "hint", id: `${panelId}-hint` }, "Becomes the run's start event fields (event-driven) or initial context (graph)."),
      input, error),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "Start run"),
      h("button", { type: "button", onclick: close }, "Close")),
    message);
  const fail = (text) => {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    input.removeAttribute("aria-invalid");
    replace(message);
    let value;
    try {
      value = input.value.trim() === "" ? {} : JSON.parse(input.value);
    } catch (problem) {
      return fail(`The input is not valid JSON: ${problem.message}`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return fail("The input must be a JSON object, such as {} or {\"amount\": 50}.");
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const result = await api(`/api/workflows/${encodeURIComponent(workflow.name)}/instances`, { method: "POST", body: { input: value } });
    button.disabled = false;
    if (!result.ok) {
      const errors = result.data && result.data.errors ? Object.entries(result.data.errors).map(([field, messages]) => `${field || "input"}: ${[].concat(messages).join(" ")}`) : [];
      return fail([problemText(result), ...errors].join(" "));
    }
    upsertListed(result.data);
    replace(message, "Started ", h("a", { href: `/instances/${encodeURIComponent(result.data.id)}` }, `run ${result.data.id}`), ".");
  });
  return form;
}

/** The stream first, then the list and the counts: a change that happens while they load is not lost. */
function follow() {
  const live = document.getElementById("live");
  const source = new EventSource("/api/instances/events");
  source.addEventListener("open", () => {
    live.textContent = "live";
    live.classList.add("on");
    loadRuns(); // again after every reconnect: changes while disconnected are not replayed
    loadCounts();
  });
  source.addEventListener("error", () => {
    live.textContent = "reconnecting…";
    live.classList.remove("on");
  });
  source.addEventListener("instance.status", (event) => applyChange(JSON.parse(event.data)));
}

async function loadRuns() {
  const result = await api(`/api/instances?limit=${RunLimit}`);
  if (!result.ok) {
    document.getElementById("runs-empty").textContent = "The runs could not be read: " + problemText(result);
    document.getElementById("runs-empty").hidden = false;
    return;
  }
  for (const summary of result.data.items) upsertListed(summary);
  render();
}

/** A run as the list (or a start) shows it: kept unless what is known is newer. */
function upsertListed(summary) {
  const known = runs.get(summary.id);
  if (known && compareTimes(known.updatedAt, summary.updatedAt) > 0) return;
  runs.set(summary.id, { ...known, ...summary, fromList: true });
  render();
}

/**
 * The counts of every run the server knows, by status. A change that arrives while they are read may or may not be in
 * the answer, so they are read again (up to MaxCountReads times); past that, those changes are counted on top.
 */
async function loadCounts() {
  const read = ++countReads;
  for (let attempt = 1; ; attempt++) {
    const seen = changesWhileCounting = [];
    const result = await api("/api/instances/counts");
    if (read !== countReads) return; // a newer read took over
    changesWhileCounting = null;
    if (!result.ok) {
      counts = null;
      replace(document.getElementById("counts"), h("li", { class: "error" }, "The counts could not be read: " + problemText(result)));
      return;
    }
    if (seen.length > 0 && attempt < MaxCountReads) continue;
    counts = { ...result.data.byStatus };
    for (const change of seen) count(change);
    renderCounts();
    return;
  }
}

/** A run's first change adds it to its status; a later one moves it from the status it had to the new one. */
function count(change) {
  if (change.previous && counts[change.previous] > 0) counts[change.previous] -= 1;
  counts[change.status] = (counts[change.status] || 0) + 1;
}

function renderCounts() {
  const total = statuses.reduce((sum, status) => sum + (counts[status] || 0), 0);
  replace(document.getElementById("counts"),
    ...statuses.map((status) => h("li", { "data-status": status }, statusBadge(status), h("strong", {}, String(counts[status] || 0)))),
    h("li", { "data-status": "total" }, "all runs", h("strong", {}, String(total))));
}

/** A change from the stream: counted, and shown in the list unless the list already showed something as new or newer. */
function applyChange(change) {
  if (changesWhileCounting) changesWhileCounting.push(change);
  else if (counts) {
    count(change);
    renderCounts();
  }
  const known = runs.get(change.instanceId);
  if (known && known.fromList && compareTimes(change.timestamp, known.updatedAt) <= 0) return;
  runs.set(change.instanceId, {
    ...known,
    id: change.instanceId,
    workflow: change.workflow || (known && known.workflow) || "",
    status: change.status,
    createdAt: (known && known.createdAt) || change.timestamp,
    updatedAt: change.timestamp,
    fromList: false,
  });
  render();
}

function render() {
  const ordered = [...runs.values()].sort((a, b) => compareTimes(b.createdAt, a.createdAt));
  for (const run of ordered.slice(RunLimit)) runs.delete(run.id);
  const body = document.querySelector("#runs tbody");
  const rows = ordered.slice(0, RunLimit).map(runRow);
  // Rows are reused, so focus and selection survive an update.
  rows.forEach((row, index) => {
    if (body.children[index] !== row) body.insertBefore(row, body.children[index] || null);
  });
  while (body.children.length > rows.length) body.lastElementChild.remove();
  document.getElementById("runs-empty").hidden = rows.length > 0;
}

function runRow(run) {
  if (!run.row) {
    run.row = h("tr", { "data-run": run.id },
      h("td", { class: "id" }, h("a", { href: `/instances/${encodeURIComponent(run.id)}` }, run.id.slice(0, 12))),
      h("td", {}, run.workflow),
      h("td", {}, statusBadge(run.status)),
      h("td", { class: "wide" }, timeElement(run.createdAt)),
      h("td", { class: "wide" }, timeElement(run.updatedAt)));
  } else {
    setStatusBadge(run.row.cells[2].firstChild, run.status);
    replace(run.row.cells[4], timeElement(run.updatedAt));
  }
  return run.row;
}
