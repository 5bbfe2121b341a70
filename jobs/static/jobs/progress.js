// The bars of unfinished jobs poll their status; when one ends the page reloads to
// show its download link, or its reason and the retry button.
(function () {
  "use strict";
  var INTERVAL = 1000;

  function poll(row) {
    fetch(row.dataset.jobStatus, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        row.querySelector("progress").value = job.percent;
        row.querySelector("[data-job-percent]").textContent = job.percent + "%";
        row.querySelector("[data-job-state]").textContent = job.state_label;
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(function () { poll(row); }, INTERVAL);
        }
      })
      .catch(function () {
        window.setTimeout(function () { poll(row); }, INTERVAL * 5);
      });
  }

  document.querySelectorAll("[data-job-status]").forEach(poll);
})();
