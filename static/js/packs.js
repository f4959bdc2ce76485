// Board packs page: follow each pack still being made, every few seconds, until it is ready
// or has failed; the row's progress line is a polite live region, so the change is announced.
(function () {
  "use strict";
  var EVERY_MS = 3000;
  var MOST_FAILURES = 5; // then stop: the page is reloaded to ask again

  function follow(row) {
    var url = row.getAttribute("data-status-url");
    var progress = row.querySelector(".pack-progress");
    var download = row.querySelector(".pack-download");
    var failures = 0;

    function check() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (pack) {
          failures = 0;
          if (progress.textContent !== pack.progress) { progress.textContent = pack.progress; }
          if (pack.download) {
            var link = document.createElement("a");
            link.href = pack.download;
            link.textContent = pack.download_text;
            download.replaceChildren(link);
          }
          if (pack.state === "queued" || pack.state === "running") {
            window.setTimeout(check, EVERY_MS);
          }
        })
        .catch(function () {
          failures += 1;
          if (failures < MOST_FAILURES) {
            window.setTimeout(check, EVERY_MS * 4);
          } else {
            progress.textContent = "This line has stopped updating: reload the page to see where the pack is.";
          }
        });
    }
    window.setTimeout(check, EVERY_MS);
  }

  document.querySelectorAll("tr[data-status-url]").forEach(follow);
})();
