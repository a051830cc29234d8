/*
 * rcphub document pages: "Copy citation" buttons. The page works without this file: each
 * citation is a paragraph that can be opened and selected. No inline scripts or handlers
 * (strict Content Security Policy).
 *
 * - button[data-copy]: shown when this script runs; copies the text of the element whose id
 *   it names, and says so in #cite-status (a live region) and on the button for a moment.
 *   Where the clipboard cannot be written (an insecure context, a refused permission), the
 *   citation is opened and selected instead, so the reader can copy it by hand.
 */
(function () {
  "use strict";

  var status = null;

  function citationText(element) {
    return element.textContent.replace(/\s+/g, " ").trim();
  }

  function announce(text) {
    if (!status || !text) {
      return;
    }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function select(element) {
    var details = element.closest("details");
    if (details) {
      details.open = true;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyWithSelection(element) {
    select(element);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(element) {
    var text = citationText(element);
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithSelection(element); }
      );
    }
    return Promise.resolve(copyWithSelection(element));
  }

  function setUp(button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target) {
      return;
    }
    var label = button.textContent;
    var timer = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(target).then(function (copied) {
        if (copied) {
          var done = status ? status.dataset.copied : "";
          announce(done);
          button.textContent = done || label;
          button.classList.add("cite__copy--done");
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            button.textContent = label;
            button.classList.remove("cite__copy--done");
          }, 2500);
        } else {
          select(target);
          announce(status ? status.dataset.failed : "");
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    status = document.getElementById("cite-status");
    document.querySelectorAll("button[data-copy]").forEach(setUp);
  });
})();
