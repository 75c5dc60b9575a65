// The inbox: the open tasks the signed-in person may complete (theirs, their groups', and those open to anyone),
// overdue ones marked, with filters. It reloads when a run starts or stops waiting (that is when tasks open and close).
import { h, append, replace, api, problemText, loadMe, showUser, timeElement, markNavigation } from "./common.js";

const PageSize = 200;
const MaxPages = 10;
let me = null;
let tasks = [];

markNavigation("/tasks");
const controls = {
  scope: document.getElementById("filter-scope"),
  workflow: document.getElementById("filter-workflow"),
  text: document.getElementById("filter-text"),
  overdue: document.getElementById("filter-overdue"),
};
readFiltersFromAddress();
for (const control of Object.values(controls)) control.addEventListener("input", () => { writeFiltersToAddress(); render(); });
document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());

start();

async function start() {
  me = await loadMe();
  showUser(me);
  const intro = document.getElementById("inbox-for");
  if (me) {
    const groups = me.groups || [];
    intro.textContent = `Open tasks for ${me.name}${groups.length ? ` and the group${groups.length > 1 ? "s" : ""} ${groups.join(", ")}` : ""}.`;
  } else {
    intro.textContent = "Open tasks.";
    document.getElementById("no-signin").hidden = false;
    controls.scope.value = "all";
    controls.scope.disabled = true;
  }
  await load();
  follow();
}

async function load() {
  const loaded = [];
  let cursor = "";
  for (let page = 0; page < MaxPages; page++) {
    const result = await api(`/api/tasks?status=pending&limit=${PageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (!result.ok) {
      replace(document.getElementById("tasks-count"), "The tasks could not be read: " + problemText(result));
      return;
    }
    loaded.push(...result.data.items);
    cursor = result.data.nextCursor;
    if (!cursor) break;
  }
  tasks = loaded;
  const workflows = [...new Set(tasks.map((task) => task.workflow))].sort();
  const chosen = controls.workflow.value;
  replace(controls.workflow, h("option", { value: "" }, "Any"), workflows.map((name) => h("option", { value: name }, name)));
  if (workflows.includes(chosen) || chosen === "") controls.workflow.value = chosen;
  render();
}

/** Reload (at most one at a time) whenever some run starts or stops waiting for people. */
function follow() {
  const live = document.getElementById("live");
  let loading = null;
  let again = false;
  const reload = async () => {
    if (loading) { again = true; return; }
    loading = load();
    await loading;
    loading = null;
    if (again) { again = false; reload(); }
  };
  const source = new EventSource("/api/instances/events");
  source.addEventListener("open", () => { live.textContent = "Updates as runs move."; live.classList.add("on"); });
  source.addEventListener("error", () => { live.textContent = "Reconnecting…"; live.classList.remove("on"); });
  // Tasks open as a run starts waiting and close as it goes on (or ends) after waiting.
  // Answers that leave a run waiting for others change no status: read again when the person comes back to the tab.
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") reload(); });
  source.addEventListener("instance.status", (event) => {
    const change = JSON.parse(event.data);
    if (change.status === "waiting" || change.previous === "waiting") reload();
  });
}

/** What the engine allows: the assignee, a member of the group, or anyone when the task names neither. */
function mayComplete(task) {
  if (!me) return true;
  if (!task.assignee && !task.group) return true;
  return task.assignee === me.name || (!!task.group && (me.groups || []).includes(task.group));
}

function render() {
  const text = controls.text.value.trim().toLowerCase();
  const shown = tasks.filter((task) =>
    (controls.scope.value === "all" || mayComplete(task)) &&
    (!controls.workflow.value || task.workflow === controls.workflow.value) &&
    (!controls.overdue.checked || task.overdue) &&
    (!text || [task.title, task.step, task.group, task.assignee, task.workflow].some((value) => value && value.toLowerCase().includes(text))));
  const body = document.querySelector("#tasks tbody");
  replace(body, shown.map(taskRow));
  document.getElementById("tasks-empty").hidden = shown.length > 0;
  replace(document.getElementById("tasks-count"), `${shown.length} of ${tasks.length} open tasks shown`);
}

function taskRow(task) {
  const forWhom = [task.assignee ? `user ${task.assignee}` : null, task.group ? `group ${task.group}` : null].filter(Boolean).join(" or ") || "anyone";
  return h("tr", { class: task.overdue ? "overdue" : null, "data-task": task.id },
    h("td", {},
      h("a", { href: `/tasks/${encodeURIComponent(task.id)}` }, task.title),
      h("div", { class: "desc" }, `step ${task.step} · `, h("a", { href: `/instances/${encodeURIComponent(task.instanceId)}`, "aria-label": `Run of task ${task.title}` }, "run"))),
    h("td", { class: "wide" }, task.workflow),
    h("td", {}, forWhom),
    h("td", { class: "wide" }, timeElement(task.createdAt)),
    h("td", {}, task.dueAt ? timeElement(task.dueAt) : h("span", { class: "muted" }, "none"),
      task.overdue ? [" ", h("span", { class: "badge-overdue" }, "Overdue")] : null));
}

function readFiltersFromAddress() {
  const query = new URLSearchParams(location.search);
  if (query.get("scope") === "all") controls.scope.value = "all";
  if (query.get("workflow")) append(controls.workflow, h("option", { value: query.get("workflow") }, query.get("workflow")));
  controls.workflow.value = query.get("workflow") || "";
  controls.text.value = query.get("text") || "";
  controls.overdue.checked = query.get("overdue") === "true";
}

function writeFiltersToAddress() {
  const query = new URLSearchParams();
  if (controls.scope.value === "all" && !controls.scope.disabled) query.set("scope", "all");
  if (controls.workflow.value) query.set("workflow", controls.workflow.value);
  if (controls.text.value.trim()) query.set("text", controls.text.value.trim());
  if (controls.overdue.checked) query.set("overdue", "true");
  history.replaceState(null, "", query.toString() ? `?${query}` : location.pathname);
}
