// gkcheck serve: the page's only script (served from this server; no inline script anywhere).
// Upload page: drag and drop, start the check as soon as a file is chosen, refuse a file over the
// size limit before sending it, show that the check is running. Result page: turn the downloads
// (data: addresses carried in the page) into blob: addresses, which browsers download at any size.
"use strict";

(function () {
  // With this script running, the drop zone replaces the browser's own file button.
  document.documentElement.classList.add("gk-js");

  // MB with one decimal, rounded up (as the server says it: 2 MB and one byte is 2.1, never 2.0).
  function formatMB(bytes) {
    return (Math.ceil((bytes * 10) / 1048576) / 10).toFixed(1);
  }

  function setupUpload(form) {
    var input = document.getElementById("gk-file");
    var drop = document.getElementById("gk-drop");
    var busy = document.getElementById("gk-busy");
    var busyName = document.getElementById("gk-busy-name");
    var clientError = document.getElementById("gk-client-error");
    var limit = parseInt(form.getAttribute("data-limit"), 10);
    var tooLarge = form.getAttribute("data-too-large") || "";

    function showError(text) {
      clientError.textContent = text;
      clientError.hidden = false;
    }

    function start() {
      var file = input.files && input.files[0];
      if (!file) {
        return false;
      }
      clientError.hidden = true;
      if (limit && file.size > limit) {
        showError(tooLarge.replace("{size}", formatMB(file.size)).replace("{name}", file.name));
        input.value = "";
        return false;
      }
      busyName.textContent = "“" + file.name + "”";
      busy.hidden = false;
      form.classList.add("gk-sending");
      return true;
    }

    form.addEventListener("submit", function (event) {
      if (!start()) {
        event.preventDefault();
      }
    });
    input.addEventListener("change", function () {
      if (start()) {
        form.submit();
      }
    });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("gk-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () {
        drop.classList.remove("gk-over");
      });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!event.dataTransfer || !event.dataTransfer.files.length) {
        return;
      }
      if (event.dataTransfer.files.length > 1) {
        showError("一次只能检查一个文件，请逐个拖入。");
        return;
      }
      input.files = event.dataTransfer.files;
      if (start()) {
        form.submit();
      }
    });
    // Back from a result (page cache): the page must not stay in its "checking" state.
    window.addEventListener("pageshow", function () {
      busy.hidden = true;
      form.classList.remove("gk-sending");
      input.value = "";
    });
  }

  function blobFromDataUri(uri) {
    var comma = uri.indexOf(",");
    var mime = uri.slice(5, comma).replace(";base64", "");
    var bytes = atob(uri.slice(comma + 1));
    var array = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i += 1) {
      array[i] = bytes.charCodeAt(i);
    }
    return new Blob([array], { type: mime });
  }

  function setupDownloads() {
    var links = document.querySelectorAll("a.gk-download[download]");
    Array.prototype.forEach.call(links, function (link) {
      var href = link.getAttribute("href") || "";
      if (href.indexOf("data:") === 0) {
        link.setAttribute("href", URL.createObjectURL(blobFromDataUri(href)));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("gk-form");
    if (form) {
      setupUpload(form);
    }
    setupDownloads();
  });
})();
