// aftersale: an optional improvement of the forms that send files. Without
// this script they post as ordinary forms; with it, a form marked
// data-upload sends its files with XMLHttpRequest and shows a progress bar,
// then follows the server's answer (the claim's page, or the form again
// with its errors). Also: a data-print link prints the page.
(function () {
  "use strict";

  function hasFiles(form) {
    var inputs = form.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length > 0) {
        return true;
      }
    }
    return false;
  }

  function show(doc) {
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    init();
    var main = document.getElementById("main");
    if (main) {
      main.focus();
    }
    if (window.aftersaleErrors) {
      window.aftersaleErrors(); // a form sent back: its errors take the focus
    }
  }

  function upgrade(form) {
    form.addEventListener("submit", function (ev) {
      if (!hasFiles(form) || !window.XMLHttpRequest || !window.FormData) {
        return; // the plain form does it
      }
      ev.preventDefault();
      var box = form.querySelector(".upload-progress");
      var bar = form.querySelector("progress");
      var button = form.querySelector("button[type=submit]");
      if (box) {
        box.hidden = false;
      }
      if (button) {
        button.disabled = true;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (bar && e.lengthComputable) {
          bar.value = Math.round((e.loaded / e.total) * 100);
          bar.textContent = bar.value + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var to = xhr.responseURL;
        if (xhr.status === 200 && to && to.split("#")[0] !== form.action.split("#")[0]) {
          // Redirected to the claim's page: show the page the request
          // fetched (it holds what is shown only once) at its address.
          window.history.pushState(null, "", to);
        }
        show(new DOMParser().parseFromString(xhr.responseText, "text/html"));
        window.scrollTo(0, 0);
      });
      xhr.addEventListener("error", function () {
        if (button) {
          button.disabled = false;
        }
        if (box) {
          box.hidden = true;
        }
        form.submit(); // the network failed: let the browser try the plain way
      });
      xhr.send(new FormData(form));
    });
  }

  function init() {
    var forms = document.querySelectorAll("form[data-upload]");
    for (var i = 0; i < forms.length; i++) {
      upgrade(forms[i]);
    }
    var prints = document.querySelectorAll("[data-print]");
    for (var j = 0; j < prints.length; j++) {
      prints[j].addEventListener("click", function (e) {
        e.preventDefault();
        window.print();
      });
    }
  }

  init();
})();
