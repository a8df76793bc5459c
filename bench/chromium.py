"""Debian's Chromium as the benchmarks and the browser tests launch it, and the page recorder both install.

Lives in bench/ so the benchmark needs nothing from tests/; the browser tests import it from here.
"""

from __future__ import annotations

from dashboard.page import ids

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]

# Installed before the page's scripts: every POST to /_dash-update-component with its `output` field, the props
# that set it off, the view it was for, when it was sent, when its answer had fully arrived and the props it set;
# and every draw of the map graph (Plotly's afterplot, then MapLibre idle) with the view its figure shows
# (layout.meta.view).
RECORD_JS = """
(() => {
  const state = window.__record = {callbacks: [], draws: []};
  const send = window.fetch;
  window.fetch = function (input, init) {
    const url = String((input && input.url) || input);
    if (!url.includes("/_dash-update-component")) return send.apply(this, arguments);
    let body = {};
    try { body = JSON.parse(init && init.body); } catch (e) {}
    const view = (body.inputs || []).concat(body.state || []).find(i => i && i.id === "VIEW_STORE");
    const entry = {output: body.output, changed: body.changedPropIds || [], start: performance.now(), end: null,
                   view: view && view.value ? view.value.query : null, status: null, wrote: []};
    state.callbacks.push(entry);
    const done = () => { if (entry.end === null) entry.end = performance.now(); };
    return send.apply(this, arguments).then(response => {
      entry.status = response.status;
      response.clone().text().then(text => {
        try {
          const answer = JSON.parse(text).response || {};
          entry.wrote = Object.keys(answer).flatMap(id => Object.keys(answer[id]).map(prop => id + "." + prop));
        } catch (e) { entry.wrote = []; }
        done();
      }, done);
      return response;
    }, error => { done(); throw error; });
  };
  const hook = () => {
    const gd = document.querySelector("#MAP_ID .js-plotly-plot");
    if (!gd || !gd.on || gd.__recordHooked) return;
    gd.__recordHooked = true;
    gd.on("plotly_afterplot", () => {
      const meta = gd.layout && gd.layout.meta, at = performance.now();
      const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      const done = () => state.draws.push({view: meta ? meta.view : null, at: at, t: performance.now()});
      if (sub && sub.map) { sub.map.once("idle", done); sub.map.triggerRepaint(); } else { done(); }
    });
  };
  new MutationObserver(hook).observe(document, {subtree: true, childList: true});
})();
""".replace("VIEW_STORE", ids.VIEW_STORE).replace("MAP_ID", ids.MAP)
