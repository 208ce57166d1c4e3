/* The B2B meetings board, nicer with JavaScript: drag a meeting (or a waiting request)
 * onto a cell of the grid to put it at that slot and table.
 *
 * Progressive enhancement only: without this file every card has its "Move…" link
 * and every waiting request its "Schedule" button. A drop POSTs the page's own move
 * form (with its CSRF token) asking for JSON; the server runs the same service as
 * the forms. On success the page reloads (showing the message); a refusal says what
 * the place clashes with, next to the grid, and nothing moves.
 */
(function () {
  "use strict";
  var grid = document.querySelector("[data-b2b-board]");
  var form = document.getElementById("b2b-move-form");
  var feedback = document.getElementById("board-feedback");
  if (!grid || !form || !feedback) { return; }

  var dragged = null;

  function say(text) {
    feedback.textContent = text;
    feedback.hidden = false;
  }

  function send(requestId, cell) {
    var data = new FormData(form);
    data.set("request", requestId);
    data.set("slot", cell.dataset.slot);
    data.set("table", cell.dataset.table);
    feedback.hidden = true;
    grid.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (answer.ok && answer.body.ok) {
        window.location.reload();
      } else {
        grid.removeAttribute("aria-busy");
        say(answer.body.error || form.dataset.failed);
      }
    }).catch(function () {
      grid.removeAttribute("aria-busy");
      say(form.dataset.failed);
    });
  }

  document.querySelectorAll(".b2b-card[data-movable]").forEach(function (card) {
    card.setAttribute("draggable", "true");
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.request);
      card.classList.add("is-dragging");
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("is-dragging");
      dragged = null;
    });
  });

  grid.querySelectorAll("td[data-slot]").forEach(function (cell) {
    cell.addEventListener("dragover", function (event) {
      if (dragged && !cell.contains(dragged)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        cell.classList.add("is-target");
      }
    });
    cell.addEventListener("dragleave", function () { cell.classList.remove("is-target"); });
    cell.addEventListener("drop", function (event) {
      event.preventDefault();
      cell.classList.remove("is-target");
      if (!dragged || cell.contains(dragged)) { return; }
      var requestId = dragged.dataset.request;
      dragged = null;
      send(requestId, cell);
    });
  });
  document.body.classList.add("b2b-dnd");
})();
