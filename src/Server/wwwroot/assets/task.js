// One task: its form, generated from the task's JSON Schema. The obvious mistakes are caught here; the server checks
// everything, and each error it returns is shown next to its field, with what was typed left in place.
import { h, replace, api, problemText, loadMe, showUser, statusBadge, setStatusBadge, isTerminal, timeElement, idFromPath } from "./common.js";
import { buildForm } from "./schemaform.js";

const taskId = idFromPath();
loadMe().then(showUser);
show();

async function show() {
  const result = await api(`/api/tasks/${encodeURIComponent(taskId)}`);
  const title = document.getElementById("task-title");
  const body = document.getElementById("task-body");
  if (!result.ok) {
    title.textContent = result.status === 404 ? "No such task" : "The task could not be read";
    replace(body, h("p", { class: "notice" }, problemText(result)));
    return;
  }
  const task = result.data;
  title.textContent = task.title;
  document.title = `${task.title} · Workflows`;
  document.getElementById("task-description").textContent = task.description || "";
  showFacts(task);
  if (task.status !== "pending") {
    replace(body, closedTask(task));
    return;
  }
  replace(body, taskForm(task));
}

function showFacts(task) {
  const runLink = h("a", { href: `/instances/${encodeURIComponent(task.instanceId)}` }, task.instanceId);
  const forWhom = [task.assignee ? `user ${task.assignee}` : null, task.group ? `group ${task.group}` : null].filter(Boolean).join(" or ") || "anyone";
  replace(document.getElementById("task-facts"),
    h("dt", {}, "Workflow"), h("dd", {}, `${task.workflow}, step ${task.step}`),
    h("dt", {}, "Run"), h("dd", {}, runLink),
    h("dt", {}, "For"), h("dd", {}, forWhom),
    h("dt", {}, "Created"), h("dd", {}, timeElement(task.createdAt)),
    h("dt", {}, "Due"), h("dd", {}, task.dueAt ? timeElement(task.dueAt) : "no deadline", task.overdue ? [" ", h("span", { class: "badge-overdue" }, "Overdue")] : null),
    h("dt", {}, "Status"), h("dd", { id: "task-status" }, task.status));
}

function closedTask(task) {
  const what = task.status === "completed"
    ? [`Completed by ${task.completedBy || "someone"} `, timeElement(task.completedAt), "."]
    : [`Canceled${task.cancelReason ? ` (${task.cancelReason})` : ""} `, timeElement(task.completedAt), "."];
  return h("div", {},
    h("p", { class: "notice", role: "status" }, "This task is no longer open. ", what),
    task.data ? [h("h2", {}, "Answer"), h("pre", {}, JSON.stringify(task.data, null, 2))] : null,
    h("p", {}, h("a", { href: `/instances/${encodeURIComponent(task.instanceId)}` }, "Open the run")));
}

function taskForm(task) {
  const summary = h("div", { class: "error-summary", id: "error-summary", tabindex: "-1", hidden: true });
  const outcome = h("div", { id: "outcome", tabindex: "-1", hidden: true });
  const fieldsArea = h("fieldset", { class: "plain", id: "form-fields" });
  const submit = h("button", { type: "submit", class: "primary" }, "Submit");
  const form = h("form", { class: "schema-form", id: "task-form", novalidate: true, "aria-label": task.title }, summary, fieldsArea, h("div", { class: "actions" }, submit));
  const generated = buildForm(task.formSchema, fieldsArea);

  const showSummary = (heading, entries) => {
    replace(summary, h("h2", {}, heading), entries.length ? h("ul", {}, entries.map((entry) => h("li", {},
      entry.field ? h("a", { href: `#${entry.field}` }, entry.text) : entry.text))) : null);
    summary.hidden = false;
    summary.focus();
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    summary.hidden = true;
    generated.clear();
    const { data, errors: readErrors } = generated.collect();
    const errors = { ...generated.check(data), ...readErrors };
    if (Object.keys(errors).length) {
      return report("Please correct the form", errors);
    }
    submit.disabled = true;
    const result = await api(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { method: "POST", body: data });
    submit.disabled = false;
    if (result.ok) return done(result.data);
    if (result.status === 422 && result.data && result.data.errors) {
      return report("The server did not accept the answer", result.data.errors, result.data.detail);
    }
    showSummary("The answer was not recorded", [{ text: problemText(result) }]);
  });

  function report(heading, errors, detail) {
    const unclaimed = generated.showErrors(errors);
    const entries = [];
    for (const [pointer, messages] of Object.entries(errors)) {
      const field = generated.fieldFor(pointer);
      const claimed = !unclaimed.some((entry) => entry.pointer === pointer);
      const name = pointer === "" ? "The form" : pointer.slice(1).replace(/~1/g, "/").replace(/~0/g, "~");
      entries.push({ text: `${name}: ${[].concat(messages).join(" ")}`, field: claimed && field ? firstControlId(field) : null });
    }
    if (detail) entries.unshift({ text: detail });
    showSummary(heading, entries);
  }

  function done(completion) {
    fieldsArea.disabled = true;
    submit.hidden = true;
    document.getElementById("task-status").textContent = completion.task.status;
    const run = h("a", { href: `/instances/${encodeURIComponent(task.instanceId)}` }, "Open the run");
    const badge = statusBadge(completion.runStatus);
    badge.id = "run-status-after";
    const sentence = h("span", {}, runStatusSentence(completion.runStatus));
    replace(outcome, h("div", { class: "success", role: "status" },
      h("p", {}, "Your answer was recorded. The run is ", badge, ": ", sentence),
      h("p", {}, run, " · ", h("a", { href: "/tasks" }, "Back to the tasks"))));
    outcome.hidden = false;
    form.prepend(outcome);
    outcome.focus();
    followRun(task.instanceId, (status) => {
      setStatusBadge(badge, status);
      replace(sentence, runStatusSentence(status));
    });
  }

  return form;
}

function firstControlId(field) {
  const control = field.wrapper.querySelector("input, select, textarea");
  return control ? control.id : field.wrapper.id || null;
}

function runStatusSentence(status) {
  switch (status) {
    case "completed": return "it has ended well; nothing more is needed from anyone.";
    case "waiting": return "it waits for other answers.";
    case "running": return "it goes on with its next steps.";
    case "failed": return "it failed; the run's page says why.";
    case "canceled": return "it was canceled.";
    case "timed_out": return "it ran out of time.";
    default: return "";
  }
}

/**
 * Keeps telling what becomes of the run after the answer, from its stream: live items only (after the sequence the
 * run had when read), until it ends or waits for people again.
 */
async function followRun(runId, update) {
  const result = await api(`/api/instances/${encodeURIComponent(runId)}`);
  if (!result.ok) return;
  let status = result.data.status;
  update(status);
  if (isTerminal(status)) return;
  const source = new EventSource(`/api/instances/${encodeURIComponent(runId)}/events?after=${result.data.lastSequence}`);
  const on = (type, next) => source.addEventListener(type, () => {
    status = next(status);
    update(status);
    if (isTerminal(status)) source.close();
  });
  for (const type of ["step.started", "step.completed", "task.completed", "event.emitted"]) on(type, (current) => (current === "waiting" ? "running" : current));
  on("run.waiting", () => "waiting");
  for (const ending of ["completed", "failed", "canceled", "timed_out"]) on(`run.${ending}`, () => ending);
  source.addEventListener("error", () => { if (source.readyState === EventSource.CLOSED || isTerminal(status)) source.close(); });
}
