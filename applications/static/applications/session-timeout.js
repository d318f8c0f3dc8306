/* Session-timeout warning (GOV.UK pattern), loaded as a file: the CSP forbids inline scripts.
 * Shows a dialog shortly before an inactive session ends, with a "Stay signed in" button that
 * calls the keep-alive endpoint. If nothing happens, the page's form is saved for later (its
 * "Save and come back later" button) just before the session ends, so nothing typed is lost. */
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box || !window.fetch) { return; }
  var timeout = parseInt(box.getAttribute("data-timeout-seconds"), 10) * 1000;
  var warning = parseInt(box.getAttribute("data-warning-seconds"), 10) * 1000;
  var keepAliveUrl = box.getAttribute("data-keepalive-url");
  var dialog = box.querySelector(".session-dialog");
  var stay = box.querySelector("[data-action=stay]");
  var lastFocus = null;
  var timers = [];

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function autosave() {
    var form = document.querySelector("form[data-autosave]");
    var later = form && form.querySelector("button[name=action][value=later]");
    if (later) { form.noValidate = true; later.click(); return; }
    window.location.reload();  // shows the sign-in page once the session has ended
  }

  function show() {
    lastFocus = document.activeElement;
    box.hidden = false;
    dialog.focus();
  }

  function hide() {
    box.hidden = true;
    if (lastFocus && lastFocus.focus) { lastFocus.focus(); }
  }

  function schedule() {
    timers.forEach(clearTimeout);
    timers = [setTimeout(show, Math.max(0, timeout - warning)), setTimeout(autosave, Math.max(0, timeout - 15000))];
  }

  stay.addEventListener("click", function () {
    fetch(keepAliveUrl, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()}})
      .then(function (response) {
        if (!response.ok) { autosave(); return; }
        // The page said how long was left when it loaded; the clock now restarts in full.
        return response.json().then(function (data) {
          if (data.expires_in) { timeout = data.expires_in * 1000; }
          hide(); schedule();
        });
      })
      .catch(function () { hide(); schedule(); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !box.hidden) { stay.click(); }
    if (event.key === "Tab" && !box.hidden) { event.preventDefault(); stay.focus(); }
  });
  schedule();
})();
