// A scheduling run's page: follow the run through its JSON state, reload once it ends.
(function () {
  "use strict";
  var card = document.getElementById("scheduling-run");
  if (!card || card.dataset.finished === "true") return;
  var url = card.dataset.stateUrl;
  var bar = card.querySelector('[data-run="progress"]');
  var stage = card.querySelector('[data-run="stage"]');
  var status = card.querySelector('[data-run="status"]');
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 3000); return; }
        if (state.finished) { window.location.reload(); return; }
        if (bar) { bar.value = state.progress; bar.textContent = state.progress + " %"; }
        if (stage) stage.textContent = state.stage;
        if (status) status.textContent = state.status_label;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
