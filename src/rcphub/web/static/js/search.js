/*
 * rcphub search page: results follow the box and the filters as the user types or ticks.
 * The page works without this file (an ordinary GET form). No inline scripts or handlers
 * (strict Content Security Policy).
 *
 * On input in the box (after a pause) or a change of the match or a facet, the form's address
 * is fetched, and the results and facets of the answer replace those on the page; the address
 * bar follows (history.replaceState), so the page can be bookmarked, shared and reloaded.
 * Focus stays where it was: in the box, or on the same facet box after the swap.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.DOMParser) {
    return;
  }
  var box = document.getElementById("search-q");
  var timer = null;
  var pending = null;
  var shown = "";

  function address() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name === "mode" && value === "hybrid") {
        return;
      }
      params.append(name, value);
    });
    return form.getAttribute("action") + "?" + params.toString();
  }

  function layout(root) {
    return root.querySelector(".search-layout");
  }

  function refresh() {
    var url = address();
    if (url === shown) {
      return;
    }
    shown = url;
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var current = layout(document);
    var results = document.getElementById("search-results");
    if (results) {
      results.setAttribute("aria-busy", "true");
    }
    var focused = document.activeElement;
    var focusKey = focused && focused.type === "checkbox" && current.contains(focused)
      ? [focused.name, focused.value] : null;
    fetch(url, { signal: pending.signal, headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = layout(new DOMParser().parseFromString(html, "text/html"));
        if (!fresh) {
          return;
        }
        current.replaceWith(fresh);
        history.replaceState(null, "", url);
        if (focusKey) {
          var again = Array.prototype.find.call(
            fresh.querySelectorAll("input[type=checkbox]"),
            function (input) { return input.name === focusKey[0] && input.value === focusKey[1]; }
          );
          if (again) {
            again.focus();
          }
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          form.submit();  // let the browser show whatever went wrong
        }
      });
  }

  shown = address();
  box.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  });
  form.addEventListener("change", function (event) {
    if (event.target !== box) {
      refresh();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    shown = "";
    refresh();
  });
})();
