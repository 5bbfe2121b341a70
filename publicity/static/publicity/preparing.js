// The "being prepared" page of a briefing's file: ask its status every few
// seconds (less often the longer it takes), say each change in the live region,
// and offer the file once it is ready. Stops after ten minutes.
(function () {
  "use strict";
  var box = document.querySelector("[data-preparing]");
  if (!box) return;
  var state = box.querySelector("[data-preparing-state]");
  var ready = box.querySelector("[data-preparing-ready]");
  var progress = box.querySelector("progress");
  var note = box.querySelector("[data-preparing-note]");
  var delay = 500 * (parseFloat(box.dataset.interval) || 2);
  var deadline = Date.now() + 10 * 60 * 1000;

  function look() {
    fetch(box.dataset.preparing, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (file) {
        if (state.textContent !== file.label) state.textContent = file.label;
        if (file.ready) {
          if (progress) progress.hidden = true;
          if (note) note.hidden = true;
          ready.hidden = false;
          ready.querySelector("a").focus();
          return;
        }
        again();
      })
      .catch(again);
  }

  function again() {
    if (Date.now() > deadline) return;
    window.setTimeout(look, delay);
    delay = Math.min(delay * 1.5, 10000);
  }

  again();
})();
