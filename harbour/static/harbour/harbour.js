/* Harbour's own behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
 *
 * Quick exit (public pages): the button, or Shift pressed three times within two seconds,
 * blanks the page at once, then replaces this history entry with the exit URL, which clears
 * the site's cookies and storage (Clear-Site-Data) and redirects to a neutral site. */
(function () {
  "use strict";
  var body = document.body;
  if (body.classList.contains("public")) {
    var exitPath = body.getAttribute("data-quick-exit-path");
    var neutral = body.getAttribute("data-quick-exit-url");
    var quickExit = function (event) {
      if (event) event.preventDefault();
      document.title = "";
      body.innerHTML = "";
      body.style.background = "#fff";
      try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* storage blocked */ }
      window.location.replace(exitPath || neutral);
    };
    document.querySelectorAll("[data-quick-exit]").forEach(function (el) {
      el.addEventListener("click", quickExit);
    });
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift" || event.repeat) return;
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 2000; });
      presses.push(now);
      if (presses.length >= 3) quickExit(event);
    });
    // Coming back through the browser's cache must not show the page again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) window.location.replace(exitPath || neutral);
    });
  }
  // Auto-submit selects marked for it (the organisation switcher), without inline handlers.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
})();
