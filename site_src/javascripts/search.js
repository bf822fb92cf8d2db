// Start Pagefind's search UI on the search page; a ?q= in the address runs that search.
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: "../pagefind/",
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    translations: { placeholder: "Company, symbol, segment or date" },
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
