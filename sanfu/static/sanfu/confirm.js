// Asks before an irreversible step. A form, or the button that submits it, names
// the question in data-confirm; the browser's own dialog asks it, so the step
// works with the keyboard and a screen reader, and without this script the
// server still refuses nothing it would otherwise accept.
document.addEventListener(
  "submit",
  (event) => {
    const submitter = event.submitter;
    const question =
      (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
