// aftersale: a form sent back with errors gets a summary at the top of the
// page, a link to each field in error, and the focus, so that a screen
// reader reads it first and a keyboard reaches each field from it. Each
// field's own message stays beside it (and works without this script): a
// message element of class "error" that the field, or its fieldset, names
// in aria-describedby. upload.js calls window.aftersaleErrors after it
// shows a page it fetched.
(function () {
  "use strict";

  // target is the control a message belongs to: the field that names it,
  // or the first choice of a group of choices that does.
  function target(msg) {
    if (!msg.id) {
      return null;
    }
    var owners = document.querySelectorAll("[aria-describedby]");
    for (var i = 0; i < owners.length; i++) {
      if (owners[i].getAttribute("aria-describedby").split(/\s+/).indexOf(msg.id) < 0) {
        continue;
      }
      if (owners[i].tagName === "FIELDSET") {
        return owners[i].querySelector("input:checked, input, select, textarea");
      }
      return owners[i];
    }
    return null;
  }

  function summarize() {
    var main = document.getElementById("main");
    if (!main || main.querySelector(".error-summary")) {
      return;
    }
    var msgs = main.querySelectorAll(".error");
    var items = [];
    var seen = [];
    for (var i = 0; i < msgs.length; i++) {
      var field = target(msgs[i]);
      if (!field || !field.id || seen.indexOf(field) >= 0) {
        continue;
      }
      seen.push(field);
      items.push({ field: field, text: msgs[i].textContent.trim() });
    }
    if (items.length === 0) {
      return; // no field in error: the page's own message says it all
    }
    var box = document.createElement("div");
    box.className = "error-summary";
    box.tabIndex = -1;
    box.setAttribute("aria-labelledby", "error-summary-h");
    var h = document.createElement("h2");
    h.id = "error-summary-h";
    h.textContent = main.getAttribute("data-error-summary") || "";
    box.appendChild(h);
    var list = document.createElement("ul");
    items.forEach(function (it) {
      var a = document.createElement("a");
      a.href = "#" + it.field.id;
      a.textContent = it.text;
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        var label = document.querySelector('label[for="' + it.field.id + '"]');
        it.field.focus();
        (label || it.field).scrollIntoView({ block: "center" });
      });
      var li = document.createElement("li");
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
    main.insertBefore(box, main.firstChild);
    box.focus();
  }

  window.aftersaleErrors = summarize;
  summarize();
})();
