// The reseller console's little script: the journal's live rows and the
// confirmation a destructive form asks for. Rows are built with
// textContent, so nothing a request carried is ever read as markup.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  const journal = document.getElementById("journal");
  if (!journal) return;
  const live = document.getElementById("live");
  const events = new EventSource(journal.dataset.events);
  events.onopen = () => { live.textContent = "Live: new requests appear at the top."; };
  events.onerror = () => { live.textContent = "Reconnecting…"; };
  events.onmessage = (message) => {
    const entry = JSON.parse(message.data);
    const row = document.createElement("tr");
    row.className = "entry";
    for (const [key, value] of [["time", entry.time], ["method", entry.method], ["call", entry.call], ["status", entry.status], ["reply", entry.reply]]) {
      const cell = document.createElement("td");
      if (key === "reply") cell.className = "reply";
      cell.textContent = String(value);
      row.appendChild(cell);
    }
    journal.prepend(row);
  };
});
