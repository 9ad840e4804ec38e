// Progressive enhancement only: every page reads fine without this file.
(function () {
  "use strict";

  // Bring a cited passage into view and give it focus, so keyboard and screen-reader users land on it.
  function focusHighlight() {
    var mark = document.getElementById("hl");
    if (mark && window.location.hash === "#hl") {
      mark.focus({ preventScroll: false });
    }
  }

  // A box that filters a story's claims by words, built with DOM calls (no HTML strings).
  function claimFilter() {
    var list = document.getElementById("claim-list");
    if (!list) { return; }
    var wrap = document.createElement("div");
    wrap.className = "claim-filter";
    var label = document.createElement("label");
    label.htmlFor = "claim-filter";
    label.textContent = "Filter claims ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "claim-filter";
    wrap.appendChild(label);
    wrap.appendChild(input);
    list.parentNode.insertBefore(wrap, list);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(list.children, function (item) {
        var text = item.textContent.toLowerCase();
        item.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusHighlight();
    claimFilter();
  });
})();
