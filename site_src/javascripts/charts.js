// Offer each chart's Vega-Lite spec as an interactive view (tooltips, zoom on dates).
// The static SVG stays the default: nothing is fetched until a reader asks. The Vega bundle
// is loaded once, from the site (assets/vega/, written by the generator), never a CDN.
(function () {
  "use strict";
  // Only while this script first runs does currentScript name it; its address locates
  // the bundle, whatever page it runs on.
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var bundleUrl = new URL("../assets/vega/vega-bundle.js", script.src).href;
  var bundle = null;
  var files = {};

  function loadBundle() {
    if (window.vegaEmbed) {
      return Promise.resolve(window.vegaEmbed);
    }
    if (!bundle) {
      bundle = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = bundleUrl;
        tag.onload = function () {
          if (window.vegaEmbed) {
            resolve(window.vegaEmbed);
          } else {
            reject(new Error("the chart library did not start"));
          }
        };
        tag.onerror = function () {
          bundle = null;
          tag.remove();
          reject(new Error("the chart library could not be loaded"));
        };
        document.head.appendChild(tag);
      });
    }
    return bundle;
  }

  // A spec is stored gzipped (name.vl.json.gz); a server that sends it with
  // Content-Encoding: gzip has unzipped it already, so the first two bytes decide.
  function readSpec(buffer) {
    var bytes = new Uint8Array(buffer);
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
      return JSON.parse(new TextDecoder().decode(bytes));
    }
    if (typeof DecompressionStream === "undefined") {
      throw new Error("this browser cannot unzip the chart data");
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).json();
  }

  // A chart carried by its page holds its stored spec base64 in data-spec-inline; any
  // other names the file beside its image (MkDocs rewrites the image's address for the
  // page, so the spec's is resolved against it).
  function loadSpec(chart, img) {
    var inline = chart.getAttribute("data-spec-inline");
    if (inline !== null) {
      return Promise.resolve().then(function () {
        var text = atob(inline);
        var bytes = new Uint8Array(text.length);
        for (var i = 0; i < text.length; i += 1) {
          bytes[i] = text.charCodeAt(i);
        }
        return readSpec(bytes.buffer);
      });
    }
    // "name.charts.json.gz#kind": the kind's spec in the bundle of the page's charts,
    // fetched once for all of them; a name alone: the chart's own spec file.
    var url = new URL(chart.getAttribute("data-spec"), img.src);
    var kind = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    if (!files[url.href]) {
      files[url.href] = fetch(url.href).then(function (response) {
        if (!response.ok) {
          throw new Error("chart data: HTTP " + response.status);
        }
        return response.arrayBuffer();
      }).then(readSpec);
      files[url.href].catch(function () {
        delete files[url.href];
      });
    }
    return files[url.href].then(function (spec) {
      if (!kind) {
        return spec;
      }
      if (!spec || !Object.prototype.hasOwnProperty.call(spec, kind)) {
        throw new Error("chart data: no chart " + kind);
      }
      // A copy: the view changes its spec (width), the bundle is shared.
      return JSON.parse(JSON.stringify(spec[kind]));
    });
  }

  // A chart whose spec sits in a bundle carries its data table there (usermeta.table:
  // headers, 1-based right-aligned columns, rows of formatted cells); the page holds only
  // a link to the bundle. The table is built on first opening, every cell as text.
  function buildTable(table) {
    if (!table || !Array.isArray(table.headers) || !Array.isArray(table.rows)) {
      throw new Error("chart data: no table");
    }
    var out = document.createElement("table");
    out.setAttribute("data-right", (table.right || []).join(" "));
    var head = out.createTHead().insertRow();
    table.headers.forEach(function (text) {
      var cell = document.createElement("th");
      cell.textContent = String(text);
      head.appendChild(cell);
    });
    var body = out.createTBody();
    table.rows.forEach(function (row) {
      var line = body.insertRow();
      row.forEach(function (text) {
        line.insertCell().textContent = String(text);
      });
    });
    return out;
  }

  function setUpTable(chart, img) {
    var details = chart.querySelector('details.chart-data[data-table="lazy"]');
    if (!details) {
      return;
    }
    var state = "waiting";
    var note = details.querySelector("p");
    var original = note ? note.cloneNode(true) : null;
    details.addEventListener("toggle", function () {
      if (!details.open || state !== "waiting") {
        return;
      }
      state = "loading";
      if (note) {
        note.textContent = "Loading the table…";
      }
      loadSpec(chart, img)
        .then(function (spec) {
          var table = buildTable(spec && spec.usermeta && spec.usermeta.table);
          var scroller = document.createElement("div");
          scroller.className = "md-typeset__scrollwrap";
          var inner = document.createElement("div");
          inner.className = "md-typeset__table";
          inner.appendChild(table);
          scroller.appendChild(inner);
          if (note) {
            note.replaceWith(scroller);
            note = null;
          } else {
            details.appendChild(scroller);
          }
          details.setAttribute("data-table", "ready");
          state = "ready";
        })
        .catch(function (error) {
          state = "waiting";
          if (note) {
            note.textContent = "The table could not be loaded (" + error.message +
              "); close and open again to retry. ";
            Array.prototype.slice.call(original.cloneNode(true).childNodes).forEach(
              function (node) { note.appendChild(node); });
          }
        });
    });
  }

  function setUp(chart) {
    var img = chart.querySelector("img");
    if (!img) {
      return;
    }
    setUpTable(chart, img);
    var figure = img.closest("p") || img;
    var live = null;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chart-toggle";
    button.textContent = "Interactive view";
    button.setAttribute("aria-pressed", "false");
    figure.insertAdjacentElement("afterend", button);

    function showStatic() {
      if (live) {
        live.hidden = true;
      }
      figure.hidden = false;
      button.setAttribute("aria-pressed", "false");
    }

    function fail(error) {
      showStatic();
      live.textContent = "The interactive view could not be shown (" + error.message +
        "); the chart above and its data table show the same figures.";
      live.classList.add("chart-live--error");
      live.hidden = false;
    }

    function showLive() {
      button.setAttribute("aria-pressed", "true");
      if (live && live.getAttribute("data-ready") === "true") {
        figure.hidden = true;
        live.hidden = false;
        return;
      }
      if (!live) {
        live = document.createElement("div");
        live.className = "chart-live";
        figure.insertAdjacentElement("afterend", live);
      }
      live.classList.remove("chart-live--error");
      live.textContent = "Loading the interactive view…";
      live.hidden = false;
      button.disabled = true;
      Promise.all([
        loadBundle(),
        loadSpec(chart, img),
      ])
        .then(function (loaded) {
          var spec = loaded[1];
          // As wide as the static image at most, narrower on a phone: a single or layered
          // view fits its container; small multiples keep their size and scroll.
          if (img.naturalWidth) {
            live.style.maxWidth = img.naturalWidth + "px";
          }
          if (spec.layer && spec.autosize && spec.autosize.type === "fit-x") {
            spec.width = "container";
          }
          live.textContent = "";
          return loaded[0](live, spec, { actions: false, renderer: "svg" });
        })
        .then(function () {
          live.setAttribute("data-ready", "true");
          // The SVG's own alt text still describes the chart for screen readers.
          live.setAttribute("role", "img");
          live.setAttribute("aria-label", img.getAttribute("alt") || "Chart");
          figure.hidden = true;
        })
        .catch(fail)
        .then(function () {
          button.disabled = false;
        });
    }

    button.addEventListener("click", function () {
      if (button.getAttribute("aria-pressed") === "true") {
        showStatic();
      } else {
        showLive();
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".chart[data-spec], .chart[data-spec-inline]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
