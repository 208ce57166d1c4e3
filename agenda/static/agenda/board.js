/* The agenda board, nicer with JavaScript: drag a session onto any room and quarter hour.
 *
 * Progressive enhancement only: dropping fills the session's own "Move" form
 * (room + start) and submits it, so the same server-side service checks the
 * rules and the page shows the same messages as without JavaScript. While
 * dragging, the status line (an aria-live region) names the target:
 * "Drop at 10:45 · Room A". On a phone the board is a list and nothing drags.
 */
(function () {
  "use strict";
  var grid = document.querySelector(".board-grid[data-board]");
  var status = document.getElementById("board-status");
  if (!grid || !status) { return; }

  var wide = window.matchMedia("(min-width: 40.01rem)");
  var rooms = {};
  grid.querySelectorAll(".board-room[data-room]").forEach(function (header) {
    rooms[header.dataset.room] = header.querySelector(".board-room-name").textContent;
  });
  var dragged = null;
  var target = null;

  function describe(cell) {
    return status.dataset.template
      .replace("{time}", cell.dataset.start.slice(11, 16))
      // The name isolated (FSI…PDI): right-to-left text in it cannot turn the sentence
      // around; given by a function, so that a "$&" in it is not a replacement pattern.
      .replace("{room}", function () { return "\u2068" + (rooms[cell.dataset.room] || "") + "\u2069"; });
  }

  function aim(cell) {
    if (cell === target) { return; }
    if (target) { target.classList.remove("is-target"); }
    target = cell;
    if (cell) { cell.classList.add("is-target"); }
    status.textContent = cell ? describe(cell) : "";
  }

  function finish() {
    aim(null);
    grid.classList.remove("board-dragging");
    if (dragged) { dragged.classList.remove("is-dragging"); }
    dragged = null;
  }

  document.querySelectorAll(".session-card[data-move]").forEach(function (card) {
    card.setAttribute("draggable", "true");
    card.addEventListener("dragstart", function (event) {
      if (!wide.matches) { event.preventDefault(); return; }
      dragged = card;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
      card.classList.add("is-dragging");
      // After the browser has taken the drag image: from now on the cards let the
      // pointer through to the cells under them.
      window.setTimeout(function () { if (dragged) { grid.classList.add("board-dragging"); } }, 0);
    });
    card.addEventListener("dragend", finish);
  });

  grid.addEventListener("dragover", function (event) {
    var cell = event.target.closest(".board-drop");
    if (!dragged || !cell) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    aim(cell);
  });
  grid.addEventListener("dragleave", function (event) {
    if (event.relatedTarget && !grid.contains(event.relatedTarget)) { aim(null); }
  });
  grid.addEventListener("drop", function (event) {
    var cell = event.target.closest(".board-drop");
    if (!dragged || !cell) { return; }
    event.preventDefault();
    var form = dragged.querySelector("form[data-move-form]");
    form.querySelector("select[name=room]").value = cell.dataset.room;
    form.querySelector("input[name=starts_at]").value = cell.dataset.start;
    status.textContent = describe(cell);
    form.submit();
  });
  document.body.classList.add("board-dnd");
})();
