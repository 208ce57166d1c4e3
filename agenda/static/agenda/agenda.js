// The agenda during the meeting opens at the current time: the page's "now"
// marker (agenda/templates/agenda/_grid_now.html). Without JavaScript the
// "Jump to now" link goes to the same place.
"use strict";

(() => {
  const marker = document.getElementById("now");
  if (!marker || window.location.hash) {
    return;
  }
  const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const behavior = reduce ? "auto" : "smooth";
  const box = marker.closest(".agenda-grid-wrap");
  if (box && box.scrollHeight > box.clientHeight) {
    // The grid scrolls in its own box: move the box, not the page, and keep the
    // last half hour in view above the marker, below the sticky room headers.
    const header = box.querySelector(".grid-room");
    const halfHour = box.querySelector(".grid-time");
    const above = (header ? header.offsetHeight : 0) + (halfHour ? halfHour.offsetHeight : 0);
    box.scrollTo({ top: Math.max(0, marker.offsetTop - above), behavior });
  } else {
    marker.scrollIntoView({ block: "start", behavior });
  }
})();
