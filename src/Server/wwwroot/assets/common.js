// Shared by every page: building elements (text only, never markup from data), calling the API, the signed-in
// user, times and status badges.

/** An element with attributes and children; strings become text nodes, so data is never parsed as HTML. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (elements, strings as text, arrays flattened, null skipped). */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of an element. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, ...children);
}

/** Where to come back to after signing in: this page. */
export function signInAddress() {
  return "/signin?returnUrl=" + encodeURIComponent(location.pathname + location.search);
}

/**
 * Calls the JSON API on this server (the sign-in cookie goes along). Resolves to { ok, status, data } where data is
 * the parsed JSON body (a problem document on errors) or null. 401 sends the person to the sign-in page.
 */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  } catch (error) {
    return { ok: false, status: 0, data: { title: "The server cannot be reached", detail: String(error.message || error) } };
  }
  if (response.status === 401) {
    location.assign(signInAddress());
    return new Promise(() => {}); // the page is going away
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : null;
  return { ok: response.ok, status: response.status, data };
}

/** The problem document's words for a failed call. */
export function problemText(result) {
  const data = result.data || {};
  const parts = [data.title || `The server answered ${result.status}`];
  if (data.detail) parts.push(data.detail);
  return parts.join(": ");
}

/**
 * The signed-in person from GET /api/me: { name, groups, permissions, development }, or null when this server has
 * no sign-in (404: authentication is not part of it).
 */
export async function loadMe() {
  const result = await api("/api/me");
  if (result.ok && result.data) return result.data;
  return null;
}

/** Fills the header: who is signed in (with a sign-out button) and the development-mode banner. */
export function showUser(me) {
  const who = document.getElementById("who");
  const banner = document.getElementById("banner");
  if (!who) return;
  if (!me) {
    replace(who, h("span", {}, "No sign-in on this server"));
    return;
  }
  const groups = me.groups && me.groups.length ? ` (${me.groups.join(", ")})` : "";
  replace(who,
    h("span", { id: "who-name" }, `Signed in as ${me.name}${groups}`),
    me.development ? null : h("form", { method: "post", action: "/account/signout" }, h("button", { type: "submit" }, "Sign out")));
  if (me.development && banner) {
    replace(banner, "Development mode: nobody signs in and every request may do everything. Never run a server like this for real users.");
    banner.hidden = false;
  }
}

const statusWords = { pending: "pending", running: "running", waiting: "waiting", completed: "completed", failed: "failed", canceled: "canceled", timed_out: "timed out" };

/** A coloured badge for a run status (the words carry the meaning; the colour only helps). */
export function statusBadge(status) {
  return h("span", { class: `status status-${statusWords[status] ? status : "pending"}`, "data-status": status }, statusWords[status] || String(status));
}

/** Changes a badge made by statusBadge in place. */
export function setStatusBadge(badge, status) {
  badge.className = `status status-${statusWords[status] ? status : "pending"}`;
  badge.dataset.status = status;
  badge.textContent = statusWords[status] || String(status);
}

/** True for the four endings. */
export function isTerminal(status) {
  return status === "completed" || status === "failed" || status === "canceled" || status === "timed_out";
}

/** A time as the reader's locale writes it, in a <time> element with the exact value. */
export function timeElement(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const date = new Date(iso);
  return h("time", { datetime: iso, title: iso }, isNaN(date) ? iso : date.toLocaleString());
}

/**
 * Orders the server's timestamps exactly (System.Text.Json writes up to 7 fractional digits; Date keeps 3):
 * returns [milliseconds, the digits below them].
 */
export function timeKey(iso) {
  const fraction = /\.(\d+)/.exec(iso || "");
  const digits = fraction ? (fraction[1] + "0000000").slice(0, 7) : "0000000";
  return [Date.parse(iso || 0), Number(digits.slice(3))];
}

/** Negative, zero or positive as a is before, with or after b. */
export function compareTimes(a, b) {
  const [x, y] = [timeKey(a), timeKey(b)];
  return x[0] - y[0] || x[1] - y[1];
}

/** Marks the current page's link in the header. */
export function markNavigation(path) {
  for (const link of document.querySelectorAll("header.site nav a")) {
    if (link.getAttribute("href") === path) link.setAttribute("aria-current", "page");
  }
}

/** The last segment of the address (the id of /tasks/{id} and /instances/{id}). */
export function idFromPath() {
  return decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
}
