/* The view's flow in the browser: what is passed on to the server, and when, so that each user action costs
   one round of callbacks. Layout events that are not user actions (a graph's autosize, its first draw) stop
   here; the events grid asks for rows only once the view exists; Play steps only once the last step is drawn. */
(function () {
    var VIEWPORT_SETTLE_MS = 400; // the map has been still this long: report where the user looks
    var PLAY_POLL_MS = 100; // how often Play checks whether the next step may go
    var PLAY_STALL_MS = 15000; // a step whose map never draws (an error) does not stop Play for ever
    var MAP_ID = "map";
    var GRID_ID = "events-grid";
    var HOLD_MS = 1500; // while a new map figure loads, at most one frame this often (holdFrames)

    function noUpdate() {
        return window.dash_clientside.no_update;
    }

    function viewKey(store) {
        return store ? store.query + "@" + store.version : null;
    }

    /* Record on the map's graph which view it last finished drawing (the figure's layout.meta.view, once
       MapLibre is idle after Plotly's afterplot): Play and the benchmarks read window.scaMapDrawn. */
    function watchMap() {
        var gd = document.querySelector("#" + MAP_ID + " .js-plotly-plot");
        if (!gd || !gd.on || gd.__scaWatched) {
            return Boolean(gd && gd.__scaWatched);
        }
        gd.__scaWatched = true;
        gd.on("plotly_afterplot", function () {
            var meta = gd.layout && gd.layout.meta;
            var view = meta && typeof meta.view === "string" ? meta.view : null;
            var sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            var done = function () {
                window.scaMapDrawn = {view: view, at: performance.now()};
            };
            if (sub && sub.map) {
                sub.map.once("idle", done);
                sub.map.triggerRepaint();
            } else {
                done();
            }
        });
        return true;
    }

    /* MapLibre fades labels in and out over 300 ms after every change, drawing a frame each time; with software
       WebGL a frame costs tens of milliseconds, so labels appear at once instead. Plotly creates the map without
       passing MapLibre's `fadeDuration` option, so it is set on the map as soon as Plotly has made it. */
    function stillLabels() {
        var gd = document.querySelector("#" + MAP_ID + " .js-plotly-plot");
        var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
        if (!sub || !sub.map) {
            return false;
        }
        sub.map._fadeDuration = 0;
        holdFrames(sub.map);
        return true;
    }

    /* One drawn frame per new figure (issue 19): after Plotly hands MapLibre a new figure's data, each of the
       trace's sources comes back from MapLibre's workers on its own, and MapLibre drew a frame for each (7-8 per
       filter change at 10,000 events, each a software-WebGL draw and read-back). From a new figure on (Plotly.react,
       see quietResize) while its sources and tiles are still loading and the map is not being moved, the frame is
       skipped (the last one stays on screen); the source or tile that arrives last triggers the one frame that
       draws them all. A load longer than HOLD_MS draws a frame every HOLD_MS, so the map never stays stale for
       long. The page's first figure is not held: held while the basemap's style first loads, MapLibre never placed
       its names in the names test (tests/browser/test_analyst_map.py). Seen there (second wave): every tile loaded,
       the hold released, placement done, yet queryRenderedFeatures found 0 names and no frame followed; one more
       frame after the release did not bring them back, and outside the test the names came. Not solved. */
    function allLoaded(map) {
        try {
            return !map.style || map.style.loaded();
        } catch (e) {
            return true;
        }
    }

    function holdFrames(map) {
        var painter = map.painter;
        // Guard (issue 19): an upgraded MapLibre without painter.render or map.isMoving is left as it is and
        // draws every frame normally.
        if (!painter || painter.__scaHeld || typeof painter.render !== "function" ||
                typeof map.isMoving !== "function" || typeof map.triggerRepaint !== "function") {
            return;
        }
        var held = function () {
            var since = map.__scaHoldSince;
            if (!since) {
                return held.draw.apply(this, arguments);
            }
            var now = performance.now();
            var loading;
            try {
                loading = !map.isMoving() && !allLoaded(map);
            } catch (e) {
                loading = false;
            }
            if (loading && now - since < HOLD_MS) {
                // Nothing may ask for another frame after this one (a source that never finishes): make sure
                // one comes when the hold runs out, so the map is never left stale.
                if (!map.__scaHoldTimer) {
                    map.__scaHoldTimer = setTimeout(function () {
                        map.__scaHoldTimer = null;
                        if (map.__scaHoldSince) { // still held: no frame came since
                            map.triggerRepaint();
                        }
                    }, HOLD_MS - (now - since) + 10);
                }
                return undefined;
            }
            map.__scaHoldSince = loading ? now : null;
            if (!loading && map.__scaHoldTimer) { // released: no extra frame later
                clearTimeout(map.__scaHoldTimer);
                map.__scaHoldTimer = null;
            }
            return held.draw.apply(this, arguments);
        };
        held.draw = painter.render;
        painter.render = held;
        painter.__scaHeld = true;
    }

    /* Plotly's responsive resize relayouts the whole graph (a new map frame, the timeline's bars redrawn) even
       when the graph's size has not changed: Dash's graphs ask for one when they mount and whenever the page's
       layout moves around them, and Plotly's own window listener on every window resize event. A resize to the
       size the graph already has is skipped, on both paths. A new map figure starts holding frames
       (holdFrames). */
    function sameSize(el) {
        var full = el && el._fullLayout;
        if (!full || !el.layout || el.layout.autosize === false || el.offsetParent === null) {
            return false;
        }
        var style = window.getComputedStyle(el);
        return Math.abs(parseFloat(style.width) - full.width) <= 1 &&
            Math.abs(parseFloat(style.height) - full.height) <= 1;
    }

    function quietWindowResize(el) {
        var own = el && el._responsiveChartHandler;
        if (!own || own.__scaQuiet) {
            return;
        }
        var quiet = function () {
            var same = false;
            try {
                same = sameSize(el);
            } catch (e) {
                same = false;
            }
            if (!same) {
                own.apply(this, arguments);
            }
        };
        quiet.__scaQuiet = true;
        window.removeEventListener("resize", own);
        el._responsiveChartHandler = quiet; // Plotly adds its listener only while this is unset
        window.addEventListener("resize", quiet);
    }

    function quietResize() {
        var P = window.Plotly;
        if (!P) {
            return false;
        }
        if (P.__scaQuiet) {
            return true;
        }
        P.__scaQuiet = true;
        // Guard (issue 19): each wrapper is installed only over a function that exists, and its own steps (the
        // size check, the hold's start) never throw, so an upgraded Plotly without these internals draws normally.
        var resize = P.Plots && P.Plots.resize;
        if (typeof resize === "function") {
            P.Plots.resize = function (gd) {
                var el = typeof gd === "string" ? document.getElementById(gd) : gd;
                var same = false;
                try {
                    same = sameSize(el);
                } catch (e) {
                    same = false;
                }
                return same ? Promise.resolve(el) : resize.apply(this, arguments);
            };
        }
        var react = P.react;
        if (typeof react !== "function") {
            return true;
        }
        P.react = function (gd) {
            var el = typeof gd === "string" ? document.getElementById(gd) : gd;
            try {
                var sub = el && el._fullLayout && el._fullLayout.map && el._fullLayout.map._subplot;
                if (sub && sub.map && el.closest && el.closest("#" + MAP_ID)) {
                    sub.map.__scaHoldSince = performance.now();
                }
            } catch (e) {
                // no hold: the map draws every frame
            }
            var done = react.apply(this, arguments);
            Promise.resolve(done).then(function () { quietWindowResize(el); }, function () { return null; });
            return done;
        };
        return true;
    }

    var observer = new MutationObserver(function () {
        var quiet = quietResize();
        var hooked = watchMap();
        if (stillLabels() && hooked && quiet) {
            observer.disconnect();
        }
    });
    observer.observe(document, {subtree: true, childList: true});

    /* Server callbacks the renderer has not finished (clientside ones, such as the one asking, do not count). */
    function serverCallbacksPending() {
        try {
            var stores = window.dash_stores;
            var callbacks = stores[stores.length - 1].getState().callbacks;
            return ["requested", "prioritized", "blocked", "executing", "watched", "executed"].some(function (k) {
                return (callbacks[k] || []).some(function (cb) {
                    return cb.callback && !cb.callback.clientside_function;
                });
            });
        } catch (e) {
            return false;
        }
    }

    var flow = {
        /* New filters: drop the events grid's cached blocks so it asks for rows again, unless its rows were
           already asked for these filters (the grid's own first request, when it mounted after them). */
        purgeGrid: function (filters) {
            if (!filters || !window.dash_ag_grid) {
                return noUpdate();
            }
            return window.dash_ag_grid.getApiAsync(GRID_ID).then(function (api) {
                if (window.scaGridView === viewKey(filters)) {
                    return noUpdate();
                }
                api.purgeInfiniteCache();
                return filters.query;
            });
        },

        /* The grid wants a block of rows: pass the request on with the filters it is for, once they exist. */
        gridRequest: function (request, filters) {
            if (!request || !filters) {
                return noUpdate();
            }
            window.scaGridView = viewKey(filters);
            return {
                request: {startRow: request.startRow, endRow: request.endRow, sortModel: request.sortModel || [],
                          filterModel: request.filterModel || {}},
                query: filters.query,
                version: filters.version,
            };
        },

        /* The timeline's relayout: only a zoom to an x range is the user's (not autosize, not a selection). */
        timelineZoom: function (relayout) {
            if (!relayout) {
                return noUpdate();
            }
            var range = relayout["xaxis.range"];
            if (relayout["xaxis.range[0]"] !== undefined && relayout["xaxis.range[1]"] !== undefined) {
                range = [relayout["xaxis.range[0]"], relayout["xaxis.range[1]"]];
            }
            if (!Array.isArray(range) || range.length < 2) {
                return noUpdate();
            }
            return {"xaxis.range": [range[0], range[1]]};
        },

        /* The map was panned or zoomed: keep its zoom and corners, tagged with the figure revision they belong to,
           so the server can send points or bins for what is in sight (dashboard/model/viewport.py reads this). Only
           when the figure says its content follows the viewport (layout.meta.viewport), and once the map has
           been still for VIEWPORT_SETTLE_MS: a new figure arriving in the middle of a zoom would stop it. */
        viewport: function (relayout, figure) {
            if (!relayout || relayout["map.zoom"] === undefined || !relayout["map.center"] || !relayout["map._derived"]) {
                return noUpdate();
            }
            var layout = figure && figure.layout;
            if (layout && layout.meta && layout.meta.viewport === false) {
                return noUpdate();
            }
            var seen = {rev: layout ? layout.uirevision : null,
                        relayout: {"map.zoom": relayout["map.zoom"], "map.center": relayout["map.center"],
                                   "map._derived": relayout["map._derived"]}};
            var stamp = Date.now() + Math.random();
            window.scaViewportStamp = stamp;
            return new Promise(function (resolve) {
                setTimeout(function () {
                    resolve(window.scaViewportStamp === stamp ? seen : noUpdate());
                }, VIEWPORT_SETTLE_MS);
            });
        },

        /* Play's timer only polls; playTick decides when a step goes. */
        pollEvery: function (ms) {
            return Math.min(ms || PLAY_POLL_MS, PLAY_POLL_MS);
        },

        /* A Play step, at most one per `speed` ms, and only once the map has drawn the last step and no server
           callback is still running, so steps never queue up behind a slow draw. */
        playTick: function (n, speed, clicks, view) {
            var state = window.scaPlay || (window.scaPlay = {clicks: null, sent: 0});
            var now = performance.now();
            if (clicks !== state.clicks) { // Play was just pressed: its first window counts as a step
                state.clicks = clicks;
                state.sent = now;
                return noUpdate();
            }
            watchMap();
            var waited = now - state.sent;
            var drawn = Boolean(view && window.scaMapDrawn && window.scaMapDrawn.view === view.query);
            if (waited < (speed || 1000) || ((!drawn || serverCallbacksPending()) && waited < PLAY_STALL_MS)) {
                return noUpdate();
            }
            // On time (within one poll): keep to the schedule, so steps average `speed`; late: start again from now.
            state.sent = Math.max(state.sent + (speed || 1000), now - PLAY_POLL_MS);
            return {n: n, from: view ? view.query : null};
        },
    };

    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.sca = Object.assign({}, window.dash_clientside.sca, flow);
})();
