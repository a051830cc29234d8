/*
 * rcphub pages: small progressive enhancements. The pages work without this file.
 * No inline scripts or handlers anywhere (strict Content Security Policy).
 *
 * - [data-filter-rows]: a search field (hidden without JavaScript) that hides the table rows
 *   whose text does not contain what is typed; accents and case are ignored.
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUpRowFilter(input) {
    var rows = Array.prototype.slice.call(document.querySelectorAll(input.dataset.filterRows));
    var texts = rows.map(function (row) { return fold(row.textContent); });
    var wrapper = input.closest(".field--js-only");
    if (wrapper) {
      wrapper.hidden = false;
    }
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      rows.forEach(function (row, i) {
        row.hidden = query !== "" && texts[i].indexOf(query) === -1;
      });
      document.querySelectorAll(".region-group").forEach(function (section) {
        section.hidden = section.querySelector("tbody tr:not([hidden])") === null;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filter-rows]").forEach(setUpRowFilter);
  });
})();
