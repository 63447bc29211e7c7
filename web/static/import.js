// Upload progress for the registry imports: the plain form works without
// this script; with it, the file goes up by XHR with a progress bar, and the
// answer (the same page, with the result) replaces the page's content.
(function () {
  "use strict";
  function bind(root) { root.querySelectorAll("form.import-form").forEach(upgrade); }
  function upgrade(form) {
    form.addEventListener("submit", function (ev) {
      if (!window.FormData || !window.XMLHttpRequest || !window.DOMParser) { return; }
      ev.preventDefault();
      var bar = form.querySelector("progress");
      var status = form.querySelector(".upload-status");
      var button = form.querySelector("button[type=submit]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var pct = Math.round(e.loaded * 100 / e.total);
        bar.value = pct;
        status.textContent = pct + "%";
      });
      xhr.addEventListener("load", function () {
        var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var fresh = doc.querySelector("main");
        var main = document.querySelector("main");
        if (fresh && main) {
          main.replaceWith(fresh);
          bind(fresh);
          fresh.focus();
        } else {
          form.submit();
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        bar.hidden = true;
        status.textContent = form.getAttribute("data-failed") || "";
      });
      bar.hidden = false;
      bar.value = 0;
      button.disabled = true;
      xhr.send(new FormData(form));
    });
  }
  bind(document);
})();
