// open1688 dashboard: the little that needs a script. Pages work without it.
"use strict";
document.querySelectorAll("input.secret").forEach((input) => {
  // A key shown once: one click selects it for copying.
  input.addEventListener("focus", () => input.select());
});
