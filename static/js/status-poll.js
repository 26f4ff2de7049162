/* A page waiting for something the server does in the background: a letter's or a report's PDF
 * being made, a letter being signed on the phone (Smart-ID, Mobile-ID through the signing gateway).
 *
 * Every element with data-status-url is polled: the URL answers JSON, and once its field
 * (data-status-field, default "status") is no longer "pending", the page reloads, so the user
 * sees the result without pressing anything. data-poll-ms (default 2000) is the interval,
 * data-give-up-ms (default 5 minutes) when to stop. The pages work without this: each has a link
 * or a "Check now" button that asks once.
 */
(function () {
  "use strict";

  function watch(box) {
    var url = box.dataset.statusUrl;
    var field = box.dataset.statusField || "status";
    var interval = parseInt(box.dataset.pollMs, 10) || 2000;
    var giveUpAfter = parseInt(box.dataset.giveUpMs, 10) || 5 * 60 * 1000;
    var started = Date.now();

    function poll() {
      if (Date.now() - started > giveUpAfter) {
        return;
      }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && data[field] && data[field] !== "pending") {
            window.location.reload();
          } else {
            window.setTimeout(poll, interval);
          }
        })
        .catch(function () {
          window.setTimeout(poll, interval);
        });
    }

    window.setTimeout(poll, interval);
  }

  function start() {
    if (!window.fetch) {
      return;
    }
    document.querySelectorAll("[data-status-url]").forEach(watch);
  }

  if (document.readyState !== "loading") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
