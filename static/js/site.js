// Small behaviours of the site's pages, here rather than in inline handlers:
// the Content-Security-Policy runs no inline script.
"use strict";

// A read-only field meant to be copied (a calendar address) selects itself on focus.
document.querySelectorAll("[data-select-on-focus]").forEach((field) => {
  field.addEventListener("focus", () => field.select());
});
