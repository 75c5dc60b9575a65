// A form generated from a JSON Schema: one control per property, labelled with the schema's title (else the
// property name), its description as a hint, required ones marked; nested objects as fieldsets. Everything the
// schema says is shown as text. Checks here are the obvious ones (required, numbers, bounds, lengths); the server's
// answer is the authority, and its errors (keyed by JSON pointer) are shown next to their fields.

import { h, append } from "./common.js";

/** Strings longer than this (by maxLength) get a textarea. */
export const TextareaAbove = 100;

let counter = 0;

/**
 * Builds the controls of `schema` into `container`. Returns { collect, check, showErrors, clear, focusFirstError }:
 * collect() gives { data, errors } (errors of reading the controls: not a number, not JSON), check(data) the obvious
 * violations as { pointer: [messages] }, showErrors(errors) shows a server's or the check's errors next to their
 * fields and returns the ones no field claims.
 */
export function buildForm(schema, container) {
  const fields = new Map(); // pointer -> field
  const root = isObjectSchema(schema)
    ? objectField(schema, "", "", true, fields, container, true)
    : valueField(schema || {}, "", "Answer", true, fields, container);

  return {
    collect() {
      const errors = {};
      const data = root.read(errors);
      return { data: data === undefined ? {} : data, errors };
    },
    check(data) {
      const errors = {};
      checkValue(schema || {}, data, "", true, errors);
      return errors;
    },
    showErrors(errors) {
      for (const field of fields.values()) field.setError(null);
      const unclaimed = [];
      for (const [pointer, messages] of Object.entries(errors || {})) {
        const field = closestField(fields, pointer);
        const text = [].concat(messages).join(" ");
        if (field && field.pointer !== "") {
          const below = field.pointer === pointer ? "" : `${pointer.slice(field.pointer.length + 1)}: `;
          field.setError(field.error ? `${field.error} ${below}${text}` : `${below}${text}`);
        } else {
          unclaimed.push({ pointer, text });
        }
      }
      return unclaimed;
    },
    clear() {
      for (const field of fields.values()) field.setError(null);
    },
    fieldFor(pointer) {
      return closestField(fields, pointer);
    },
  };
}

function isObjectSchema(schema) {
  return !!schema && (schema.type === "object" || (!schema.type && typeof schema.properties === "object"));
}

function escapePointer(key) {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function closestField(fields, pointer) {
  for (let current = pointer; ; current = current.slice(0, current.lastIndexOf("/"))) {
    if (fields.has(current)) return fields.get(current);
    if (current === "") return null;
  }
}

/**
 * The choices of an enum, or of a oneOf/anyOf whose every branch is one value (`const`, or an `enum` of one), with
 * the branches' titles as labels.
 */
function choicesOf(schema) {
  const label = (value) => (typeof value === "string" ? value : JSON.stringify(value));
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => ({ value, label: label(value) }));
  const branches = schema.oneOf || schema.anyOf;
  const single = (branch) => branch && ("const" in branch || (Array.isArray(branch.enum) && branch.enum.length === 1));
  if (Array.isArray(branches) && branches.length && branches.every(single)) {
    return branches.map((branch) => {
      const value = "const" in branch ? branch.const : branch.enum[0];
      return { value, label: branch.title || label(value), description: branch.description };
    });
  }
  return null;
}

function typeOf(schema) {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  return type || (schema.properties ? "object" : undefined);
}

/** Label text, the required marker, the hint and the error line every field shares. */
function decorate(id, title, schema, required) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const label = [title, required ? h("span", { class: "req", "aria-hidden": "true" }, "*") : null, required ? h("span", { class: "visually-hidden" }, " (required)") : null];
  const hint = schema.description ? h("p", { class: "hint", id: hintId }, schema.description) : null;
  const error = h("p", { class: "field-error", id: errorId, hidden: true });
  const describedBy = [hint ? hintId : null, errorId].filter(Boolean).join(" ");
  return { label, hint, error, describedBy, errorId };
}

function makeField(pointer, wrapper, controls, decoration, read) {
  const field = {
    pointer,
    wrapper,
    error: null,
    read,
    setError(text) {
      field.error = text || null;
      decoration.error.textContent = text || "";
      decoration.error.hidden = !text;
      for (const control of controls) {
        if (text) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
    },
    focus() {
      controls[0] && controls[0].focus();
    },
  };
  return field;
}

function objectField(schema, pointer, title, required, fields, container, isRoot = false) {
  const id = `field-${++counter}`;
  const decoration = decorate(id, title, schema, required);
  const requiredNames = new Set(Array.isArray(schema.required) ? schema.required : []);
  const children = [];
  const target = isRoot ? container : h("fieldset", { id, "aria-describedby": decoration.describedBy }, h("legend", {}, decoration.label));
  if (!isRoot) append(target, decoration.hint);
  for (const [name, child] of Object.entries(schema.properties || {})) {
    const childSchema = child && typeof child === "object" ? child : {};
    const childPointer = `${pointer}/${escapePointer(name)}`;
    const childTitle = childSchema.title || name;
    const childRequired = requiredNames.has(name);
    children.push([name, isObjectSchema(childSchema)
      ? objectField(childSchema, childPointer, childTitle, childRequired, fields, target)
      : valueField(childSchema, childPointer, childTitle, childRequired, fields, target)]);
  }
  if (!isRoot) {
    append(target, decoration.error);
    append(container, target);
  }
  const field = makeField(pointer, target, [], decoration, (errors) => {
    const value = {};
    for (const [name, child] of children) {
      const read = child.read(errors);
      if (read !== undefined) value[name] = read;
    }
    return Object.keys(value).length || required || isRoot ? value : undefined;
  });
  fields.set(pointer, field);
  return field;
}

function valueField(schema, pointer, title, required, fields, container) {
  const id = `field-${++counter}`;
  const decoration = decorate(id, title, schema, required);
  const type = typeOf(schema);
  const choices = choicesOf(schema);
  let wrapper;
  let controls;
  let read;

  if (choices) {
    const select = h("select", { id, name: pointer, "aria-describedby": decoration.describedBy, "aria-required": required ? "true" : null },
      h("option", { value: "" }, required ? "— choose —" : "— none —"),
      choices.map((choice, index) => h("option", { value: String(index), title: choice.description || null }, choice.label)));
    if (schema.default !== undefined) {
      const index = choices.findIndex((choice) => JSON.stringify(choice.value) === JSON.stringify(schema.default));
      if (index >= 0) select.value = String(index);
    }
    wrapper = h("div", { class: "field" }, h("label", { for: id }, decoration.label), decoration.hint, select, decoration.error);
    controls = [select];
    read = () => (select.value === "" ? undefined : choices[Number(select.value)].value);
  } else if (type === "boolean" && required) {
    // A required yes/no is a decision: nothing is chosen until the person chooses.
    const yes = h("input", { type: "radio", name: pointer || id, id: `${id}-yes`, value: "true" });
    const no = h("input", { type: "radio", name: pointer || id, id: `${id}-no`, value: "false" });
    if (schema.default === true) yes.checked = true;
    if (schema.default === false) no.checked = true;
    wrapper = h("fieldset", { class: "field choice", id, role: "radiogroup", "aria-required": "true", "aria-describedby": decoration.describedBy },
      h("legend", {}, decoration.label), decoration.hint,
      h("label", { for: yes.id }, yes, "Yes"), h("label", { for: no.id }, no, "No"), decoration.error);
    controls = [yes, no];
    read = () => (yes.checked ? true : no.checked ? false : undefined);
  } else if (type === "boolean") {
    const box = h("input", { type: "checkbox", id, name: pointer, "aria-describedby": decoration.describedBy });
    box.checked = schema.default === true;
    wrapper = h("div", { class: "field check" }, h("label", { for: id }, box, decoration.label), decoration.hint, decoration.error);
    controls = [box];
    read = () => box.checked;
  } else if (type === "integer" || type === "number") {
    const input = h("input", {
      type: "number", id, name: pointer, inputmode: type === "integer" ? "numeric" : "decimal",
      min: schema.minimum ?? schema.exclusiveMinimum, max: schema.maximum ?? schema.exclusiveMaximum,
      step: type === "integer" ? (schema.multipleOf || 1) : (schema.multipleOf || "any"),
      "aria-describedby": decoration.describedBy, "aria-required": required ? "true" : null,
    });
    if (typeof schema.default === "number") input.value = String(schema.default);
    const bounds = boundsText(schema);
    wrapper = h("div", { class: "field" }, h("label", { for: id }, decoration.label, bounds ? h("span", { class: "muted" }, ` (${bounds})`) : null), decoration.hint, input, decoration.error);
    controls = [input];
    read = (errors) => {
      if (input.validity.badInput) { errors[pointer] = [`must be ${type === "integer" ? "a whole number" : "a number"}`]; return undefined; }
      if (input.value.trim() === "") return undefined;
      return Number(input.value);
    };
  } else if (type === "string") {
    const long = typeof schema.maxLength === "number" ? schema.maxLength > TextareaAbove : false;
    const inputType = schema.format === "email" ? "email" : schema.format === "date" ? "date" : "text";
    const control = long
      ? h("textarea", { id, name: pointer, rows: 5, "aria-describedby": decoration.describedBy, "aria-required": required ? "true" : null })
      : h("input", { type: inputType, id, name: pointer, "aria-describedby": decoration.describedBy, "aria-required": required ? "true" : null });
    if (typeof schema.default === "string") control.value = schema.default;
    wrapper = h("div", { class: "field" }, h("label", { for: id }, decoration.label), decoration.hint, control, decoration.error);
    controls = [control];
    read = () => (control.value === "" ? undefined : control.value);
  } else {
    // Arrays and anything else: typed as JSON.
    const area = h("textarea", { id, name: pointer, class: "code", rows: 4, spellcheck: "false", "aria-describedby": decoration.describedBy, "aria-required": required ? "true" : null });
    if (schema.default !== undefined) area.value = JSON.stringify(schema.default, null, 2);
    wrapper = h("div", { class: "field" }, h("label", { for: id }, decoration.label, h("span", { class: "muted" }, " (JSON)")), decoration.hint, area, decoration.error);
    controls = [area];
    read = (errors) => {
      if (area.value.trim() === "") return undefined;
      try { return JSON.parse(area.value); } catch (problem) { errors[pointer] = [`is not valid JSON (${problem.message})`]; return undefined; }
    };
  }
  append(container, wrapper);
  const field = makeField(pointer, wrapper, controls, decoration, read);
  fields.set(pointer, field);
  return field;
}

function boundsText(schema) {
  const low = schema.minimum ?? schema.exclusiveMinimum;
  const high = schema.maximum ?? schema.exclusiveMaximum;
  if (low !== undefined && high !== undefined) return `${low} to ${high}`;
  if (low !== undefined) return `at least ${low}`;
  if (high !== undefined) return `at most ${high}`;
  return "";
}

/** The obvious violations: required, type of numbers, bounds, lengths, nested objects. */
function checkValue(schema, value, pointer, required, errors) {
  const add = (message) => { (errors[pointer] = errors[pointer] || []).push(message); };
  if (value === undefined) {
    if (required) add("is required");
    return;
  }
  const type = typeOf(schema);
  if (isObjectSchema(schema) && value && typeof value === "object" && !Array.isArray(value)) {
    const requiredNames = new Set(Array.isArray(schema.required) ? schema.required : []);
    for (const [name, child] of Object.entries(schema.properties || {})) {
      checkValue(child || {}, value[name], `${pointer}/${escapePointer(name)}`, requiredNames.has(name), errors);
    }
    return;
  }
  if ((type === "integer" || type === "number") && typeof value === "number") {
    if (!Number.isFinite(value)) return add("must be a number");
    if (type === "integer" && !Number.isInteger(value)) add("must be a whole number");
    if (typeof schema.minimum === "number" && value < schema.minimum) add(`must be at least ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) add(`must be at most ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) add(`must be more than ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) add(`must be less than ${schema.exclusiveMaximum}`);
  }
  if (type === "string" && typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) add(`must be at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === "number" && length > schema.maxLength) add(`must be at most ${schema.maxLength} characters`);
  }
}
