// sanshen serve: reload this preview page once the working tree has been
// rebuilt. It asks its own server, nothing else; only preview pages load it.
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script ? script.getAttribute("data-version") : null;
  if (shown === null || !window.fetch) {
    return;
  }
  function check() {
    fetch("/__sanshen/version", { cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : shown;
      })
      .then(
        function (version) {
          if (version.trim() !== shown) {
            window.location.reload();
          } else {
            window.setTimeout(check, 1000);
          }
        },
        function () {
          // The server is stopped or restarting: keep asking, less often.
          window.setTimeout(check, 3000);
        }
      );
  }
  window.setTimeout(check, 1000);
})();
