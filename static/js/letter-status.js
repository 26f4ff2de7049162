/* A letter's page while its PDF is being made (correspondence/letters/detail.html).
 *
 * Asks the letter's status URL every 2 seconds and reloads the page once the PDF is ready (or
 * has failed), so the clerk sees it without pressing anything. Gives up after 5 minutes. The
 * page works without this: it has a link that reloads it.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var GIVE_UP_AFTER_MS = 5 * 60 * 1000;

  function start() {
    var box = document.getElementById("pdf-progress");
    if (!box || !box.dataset.statusUrl || !window.fetch) {
      return;
    }
    var url = box.dataset.statusUrl;
    var started = Date.now();

    function poll() {
      if (Date.now() - started > GIVE_UP_AFTER_MS) {
        return;
      }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && data.pdf_status && data.pdf_status !== "pending") {
            window.location.reload();
          } else {
            window.setTimeout(poll, INTERVAL_MS);
          }
        })
        .catch(function () {
          window.setTimeout(poll, INTERVAL_MS);
        });
    }

    window.setTimeout(poll, INTERVAL_MS);
  }

  if (document.readyState !== "loading") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
