// Start Pagefind's search UI on the search page; a ?q= in the address runs that search.
// Stock and segment pages are in ../pagefind/, the briefs in one bundle per year
// (../pagefind-briefs/<year>/, listed newest first in years.json), merged at query time.
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  // Every bundle's pages are addressed from the site's root (the search page's parent),
  // so results link the same way whatever bundle they come from, under any site path.
  var root = new URL("../", window.location.href).pathname;
  function start(years) {
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: "../pagefind/",
      baseUrl: root,
      mergeIndex: years.map(function (year) {
        return { bundlePath: "../pagefind-briefs/" + year + "/", baseUrl: root };
      }),
      showImages: false,
      showSubResults: true,
      resetStyles: false,
      translations: { placeholder: "Company, symbol, segment or date" },
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }
  fetch("../pagefind-briefs/years.json")
    .then(function (response) { return response.ok ? response.json() : []; })
    .catch(function () { return []; })
    .then(function (years) {
      start(Array.isArray(years) ? years.filter(function (y) { return /^\d{4}$/.test(y); }) : []);
    });
})();
