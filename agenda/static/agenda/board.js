/* The agenda board, nicer with JavaScript: drag a session onto another room/time cell.
 *
 * Progressive enhancement only: dropping fills the session's own "Move" form
 * (room + start) and submits it, so the same server-side service checks the
 * rules and the page shows the same messages as without JavaScript.
 */
(function () {
  "use strict";
  var board = document.querySelector(".board");
  if (!board) { return; }

  var dragged = null;
  document.querySelectorAll(".session-card[data-move]").forEach(function (card) {
    card.setAttribute("draggable", "true");
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
      card.classList.add("is-dragging");
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("is-dragging");
      dragged = null;
    });
  });

  board.querySelectorAll("td[data-start]").forEach(function (cell) {
    cell.addEventListener("dragover", function (event) {
      if (dragged) { event.preventDefault(); cell.classList.add("is-target"); }
    });
    cell.addEventListener("dragleave", function () { cell.classList.remove("is-target"); });
    cell.addEventListener("drop", function (event) {
      event.preventDefault();
      cell.classList.remove("is-target");
      if (!dragged) { return; }
      var form = dragged.querySelector("form[data-move-form]");
      form.querySelector("select[name=room]").value = cell.dataset.room || "";
      form.querySelector("input[name=starts_at]").value = cell.dataset.start;
      form.submit();
    });
  });
  document.body.classList.add("board-dnd");
})();
