/* The map legend filters the whole view (issue 24): a click on an entry (a family, an event type or a dataset,
   whichever the map is coloured by) adds it to or takes it out of that filter in the sidebar. The sidebar writes
   the address, so the counter, the table, the timeline and the exports follow, not the map alone as Plotly's own
   legend hiding would. */
(function () {
    var FILTERS = {actor: ["f-group", "group"], type: ["f-type", "event_type"], dataset: ["f-dataset", "dataset"]};

    function toggle(event) {
        var trace = (event && event.data && event.data[event.curveNumber]) || {};
        var name = trace.meta && trace.meta.filter;  // set by dashboard.render.figures.legend_filter
        var filter = FILTERS[document.body.getAttribute("data-colour") || "actor"];
        var clientside = window.dash_clientside;
        if (!filter || !name || !clientside || !clientside.set_props) {
            return false;
        }
        var chosen = (new URLSearchParams(window.location.search).get(filter[1]) || "").split(",")
            .filter(function (value) { return value; });
        var at = chosen.indexOf(name);
        if (at >= 0) {
            chosen.splice(at, 1);
        } else {
            chosen.push(name);
        }
        clientside.set_props(filter[0], {value: chosen});
        return false;  // no Plotly hiding: the view's filter decides what every part shows
    }

    function hook() {
        var gd = document.querySelector("#map .js-plotly-plot");
        if (!gd || !gd.on || gd.__scaLegend) {
            return;
        }
        gd.__scaLegend = true;
        gd.on("plotly_legendclick", toggle);
        gd.on("plotly_legenddoubleclick", function () { return false; });
    }

    new MutationObserver(hook).observe(document, {subtree: true, childList: true});
})();
