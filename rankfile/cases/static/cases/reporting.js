/* The reporting pages, enhanced: leave quickly without a trace in the history, copy a receipt code, and a warning
   before leaving the page that shows a receipt code once. Every part works as a plain link or form without it. */
(function () {
  "use strict";

  var keepCode = null; // the element that shows a receipt code once, with the words of the warning
  var leaving = false; // set when the person chose to leave: no second warning
  var downloading = false; // a download was just asked for: the page stays, so its unload is let through

  function quickExit(event) {
    var link = event.target.closest("a[data-quick-exit]");
    if (!link) return false;
    event.preventDefault();
    leaving = true;
    // replace(): the reporting page is not left in the history for the Back button to find.
    window.location.replace(link.href);
    return true;
  }

  function leavesTheCode(link) {
    if (!keepCode || leaving) return false;
    if (link.target === "_blank" || link.hasAttribute("download")) return false;
    var href = link.getAttribute("href") || "";
    return href !== "" && href.charAt(0) !== "#";
  }

  document.addEventListener("click", function (event) {
    downloading = false;
    if (quickExit(event)) return;
    var link = event.target.closest("a[href]");
    if (!link) return;
    if (link.hasAttribute("data-leave-ok")) leaving = true;
    if (!leavesTheCode(link)) return;
    if (window.confirm(keepCode.getAttribute("data-leave-warning"))) {
      leaving = true;
    } else {
      event.preventDefault();
    }
  });

  function copyButton(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!source || !status || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { status.textContent = button.getAttribute("data-copied"); },
        function () { status.textContent = button.getAttribute("data-not-copied"); }
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), copyButton);
    keepCode = document.querySelector("[data-leave-warning]");
    if (!keepCode) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-leave-ok]"), function (form) {
      // A download answers with a file and the page stays: only the moment of sending is let through.
      form.addEventListener("submit", function () {
        downloading = true;
        window.setTimeout(function () { downloading = false; }, 2000);
      });
    });
    window.addEventListener("beforeunload", function (event) {
      if (leaving || downloading) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });
})();
