// Start Pagefind's search UI on the search page; a ?q= in the address runs that search.
// Stock and segment pages are in ../pagefind/, the briefs in one bundle per month of the
// newest year and one per earlier year (../pagefind-briefs/<yyyy-mm>/ and <yyyy>/, listed
// newest first in bundles.json), merged at query time.
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  // Every bundle's pages are addressed from the site's root (the search page's parent),
  // so results link the same way whatever bundle they come from, under any site path.
  var root = new URL("../", window.location.href).pathname;
  function start(bundles) {
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: "../pagefind/",
      baseUrl: root,
      mergeIndex: bundles.map(function (name) {
        return { bundlePath: "../pagefind-briefs/" + name + "/", baseUrl: root };
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
  fetch("../pagefind-briefs/bundles.json")
    .then(function (response) { return response.ok ? response.json() : []; })
    .catch(function () { return []; })
    .then(function (names) {
      start(Array.isArray(names) ? names.filter(function (name) {
        return typeof name === "string" && /^\d{4}(-\d{2})?$/.test(name);
      }) : []);
    });
})();
