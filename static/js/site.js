// Small behaviours of the site's pages, here rather than in inline handlers:
// the Content-Security-Policy runs no inline script.
"use strict";

// A read-only field meant to be copied (a calendar address) selects itself on focus.
document.querySelectorAll("[data-select-on-focus]").forEach((field) => {
  field.addEventListener("focus", () => field.select());
});

// A page that refused a form opens on its error summary (templates/_error_summary.html):
// the focus goes there, so that a screen reader reads the problems first and the keyboard
// continues from the links to the fields. Without JavaScript the summary is still on top.
// A page opened at a fragment (#id_email, after a link of the summary) would put the focus
// on that field once loaded: the summary takes it back then.
const errorSummary = document.querySelector("[data-error-summary]");
if (errorSummary) {
  const focusSummary = () => {
    if (!errorSummary.contains(document.activeElement)) {
      errorSummary.focus();
    }
  };
  focusSummary();
  window.addEventListener("load", focusSummary, { once: true });
}
