// The what-if slider: show the value while sliding, submit the form when it is let go.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    const range = form.querySelector("input[type=range]");
    const output = form.querySelector("output");
    if (!range) continue;
    range.addEventListener("input", () => { if (output) output.value = range.value; });
    range.addEventListener("change", () => form.requestSubmit ? form.requestSubmit() : form.submit());
  }
});
