"use strict";
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
};
const resolve = (doc, schema) => {
  if (schema && schema.$ref) return doc.components.schemas[schema.$ref.split("/").pop()];
  return schema || {};
};
const describe = (schema) => {
  if (!schema) return "";
  if (schema.type === "array") return "repeated " + describe(schema.items);
  if (schema.enum) return "one of: " + schema.enum.join(", ");
  if (schema.anyOf) return schema.anyOf.map(describe).filter(Boolean).join(" or ");
  const parts = [schema.type || (schema.const !== undefined ? JSON.stringify(schema.const) : "")];
  if (schema.minimum !== undefined) parts.push(schema.minimum + "–" + schema.maximum);
  if (schema.maxLength) parts.push("up to " + schema.maxLength + " characters");
  if (schema.format) parts.push(schema.format);
  if (schema.pattern && !schema.maxLength) parts.push(schema.pattern);
  return parts.filter(Boolean).join(", ");
};
fetch("openapi.json").then((r) => r.json()).then((doc) => {
  document.getElementById("intro").textContent = doc.info.description;
  const calls = document.getElementById("calls");
  const sections = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags[0];
      if (!sections[tag]) {
        sections[tag] = el("section", {}, el("h2", {}, tag));
        calls.append(sections[tag]);
      }
      const rows = (op.parameters || []).map((p) => el("tr", {},
        el("td", {}, el("code", {}, p.name), p.required ? el("span", { class: "req" }, " *") : ""),
        el("td", {}, p.in), el("td", {}, describe(p.schema)), el("td", {}, p.description || "")));
      const body = el("div", { class: "body" }, el("p", {}, op.summary || ""));
      if (op.description) body.append(el("p", {}, op.description));
      if (rows.length) body.append(el("table", {}, el("tr", {}, el("th", {}, "parameter"), el("th", {}, "in"), el("th", {}, "takes"), el("th", {}, "")), ...rows));
      if (op.requestBody) body.append(el("p", {}, "JSON body:"), el("pre", {}, JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)));
      for (const [status, response] of Object.entries(op.responses)) {
        const [type, content] = Object.entries(response.content || {})[0] || ["", {}];
        body.append(el("p", {}, el("strong", {}, status + " "), response.description + " (" + type + ")"),
          el("pre", {}, JSON.stringify(resolve(doc, content.schema), null, 2)));
      }
      const entry = el("details", { "data-path": path.toLowerCase() },
        el("summary", {}, el("span", { class: "method " + method }, method.toUpperCase()), el("span", { class: "path" }, path)), body);
      sections[tag].append(entry);
    }
  }
  document.getElementById("filter").addEventListener("input", (e) => {
    const q = e.target.value.toLowerCase();
    for (const d of document.querySelectorAll("details")) d.hidden = !d.dataset.path.includes(q);
  });
}).catch((e) => { document.getElementById("intro").textContent = "The description could not be loaded: " + e; });
