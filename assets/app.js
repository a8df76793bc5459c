/* Clientside callbacks: things that belong in the browser (file upload); the view's flow is in flow.js. */
var UPLOAD_POLL_MS = 700;

window.dash_clientside = Object.assign({}, window.dash_clientside, {
    sca: Object.assign({}, window.dash_clientside && window.dash_clientside.sca, {
        /* Dash has no file <input>: put a plain one into the empty picker div (React leaves it alone). */
        mountPicker: function () {
            var holder = document.getElementById("upload-picker");
            if (holder && !document.getElementById("upload-file")) {
                var input = document.createElement("input");
                input.type = "file";
                input.id = "upload-file";
                input.accept = ".csv,text/csv";
                input.setAttribute("aria-label", "CSV file to import");
                holder.appendChild(input);
            }
            return Boolean(holder);
        },

        /* Send the chosen file as the raw request body to POST /upload (no base64, no callback payload), with
           this page's upload permission (X-CSRF-Token, from the status element). The server queues the import
           and answers 202 with a job to poll; the finished JSON answer lands in the upload-result store, which
           the server-side callbacks show. */
        upload: async function (nClicks, kind) {
            var input = document.getElementById("upload-file");
            var status = document.getElementById("upload-status");
            var file = input && input.files && input.files[0];
            var stamp = Date.now();
            if (!nClicks) {
                return window.dash_clientside.no_update;
            }
            if (!file) {
                return {ok: false, message: "Choose a CSV file first.", reasons: [], stamp: stamp};
            }
            var limit = Number(status && status.dataset.limitBytes);
            if (limit && file.size > limit) {
                return {
                    ok: false,
                    message: "The file is larger than the upload limit of " + Math.floor(limit / 1048576) +
                        " MB; nothing was imported.",
                    reasons: [],
                    stamp: stamp,
                };
            }
            var say = function (text) {
                window.dash_clientside.set_props("upload-status", {children: text});
            };
            var answer = async function (response) {
                var text = await response.text();
                try {
                    return JSON.parse(text);
                } catch (e) {
                    return {ok: false, message: "The server answered " + response.status + " (" +
                        (response.statusText || "no JSON") + "); nothing was imported.", reasons: []};
                }
            };
            say("Sending " + file.name + " …");
            var url = "/upload?name=" + encodeURIComponent(file.name) + "&kind=" + encodeURIComponent(kind || "auto");
            try {
                var response = await fetch(url, {
                    method: "POST",
                    body: file,
                    credentials: "same-origin",
                    headers: {"Content-Type": "application/octet-stream",
                              "X-CSRF-Token": (status && status.dataset.csrf) || ""},
                });
                var result = await answer(response);
                while (result && result.state && result.state !== "done" && result.poll) {
                    say(result.message || ("Importing " + file.name + " …"));
                    await new Promise(function (resolve) { setTimeout(resolve, UPLOAD_POLL_MS); });
                    result = await answer(await fetch(result.poll, {credentials: "same-origin"}));
                }
                result.stamp = stamp;
                return result;
            } catch (error) {
                return {ok: false, message: "Upload failed: " + error, reasons: [], stamp: stamp};
            }
        },
    }),
});

/* Page chrome that needs no server: the filters panel (a collapsible column, or a drawer on a phone) and the
   tables' tabs. Listeners on the document, so they work whenever Dash (re)renders the buttons. */
var PHONE_MAX_WIDTH = 760;

document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target : null;
    if (!target) {
        return;
    }
    var page = document.getElementById("page");
    if (!page) {
        return;
    }
    var phone = window.innerWidth <= PHONE_MAX_WIDTH;
    if (target.closest("#filters-toggle")) {
        page.classList.toggle(phone ? "filters-open" : "filters-collapsed");
        window.dispatchEvent(new Event("resize"));
        return;
    }
    if (target.closest("#filters-close")) {
        page.classList.remove("filters-open");
        if (!phone) {
            page.classList.add("filters-collapsed");
            window.dispatchEvent(new Event("resize"));
        }
        return;
    }
    var tab = target.closest(".tab[data-tab]");
    if (tab) {
        var panel = document.getElementById("tables-panel");
        if (panel) {
            panel.setAttribute("data-tab", tab.getAttribute("data-tab"));
            document.querySelectorAll(".tab[data-tab]").forEach(function (t) {
                t.setAttribute("aria-selected", t === tab ? "true" : "false");
            });
        }
    }
});

/* Dash 4.4's dcc.Input puts the caret back (setSelectionRange) after a debounced change, which a date input
   does not support: the browser throws. A date input has no caret to put back, so the call does nothing there. */
(function () {
    var setSelection = HTMLInputElement.prototype.setSelectionRange;
    HTMLInputElement.prototype.setSelectionRange = function () {
        if (this.type === "date") {
            return undefined;
        }
        return setSelection.apply(this, arguments);
    };
})();

/* Issue 24: one colour mode for the whole page, the keyboard (the events table as one Tab stop, Escape closes
   the event card), slider handles that say their dates, and the slider on the timeline's time axis. */
(function () {
    var GRID = "events-grid";
    var CARD = "event-card";
    var TIMELINE = "timeline";
    var DATE_START = "date-start";
    var DATE_END = "date-end";
    var TABBABLE = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), " +
        "textarea:not([disabled]), [tabindex]";
    var returnFocus = null; // where focus was when the event card opened
    var MONTH_FORMAT = {day: "numeric", month: "long", year: "numeric", timeZone: "UTC"};

    function visible(el) {
        return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    }

    /* The next (or previous) element Tab would reach outside `box`, in document order. */
    function tabbableOutside(box, backwards) {
        var all = Array.prototype.filter.call(document.querySelectorAll(TABBABLE), function (el) {
            return el.tabIndex >= 0 && !box.contains(el) && visible(el);
        });
        var after = all.filter(function (el) {
            var position = box.compareDocumentPosition(el);
            return backwards ? position & Node.DOCUMENT_POSITION_PRECEDING : position & Node.DOCUMENT_POSITION_FOLLOWING;
        });
        return backwards ? after[after.length - 1] : after[0];
    }

    function gridApi() {
        return window.dash_ag_grid && window.dash_ag_grid.getApi ? window.dash_ag_grid.getApi(GRID) : null;
    }

    function card() {
        return document.getElementById(CARD);
    }

    function closeCard() {
        var button = document.getElementById("event-card-close");
        if (button) {
            button.click();
        }
        var back = returnFocus;
        returnFocus = null;
        if (back && back.element && document.contains(back.element)) {
            back.element.focus();
        } else if (back && back.cell) {
            var api = gridApi();
            if (api) {
                api.ensureIndexVisible(back.cell.rowIndex);
                api.setFocusedCell(back.cell.rowIndex, back.cell.column.getColId());
            }
        }
    }

    document.addEventListener("keydown", function (event) {
        var active = document.activeElement;
        var grid = document.getElementById(GRID);
        var inGrid = grid && active && grid.contains(active) && !active.closest(".ag-popup, .ag-menu");
        if (event.key === "Tab" && inGrid) {
            // The table is one Tab stop: arrows move inside it, Tab leaves it.
            var next = tabbableOutside(grid, event.shiftKey);
            if (next) {
                event.preventDefault();
                event.stopPropagation();
                next.focus();
            }
            return;
        }
        if (event.key === "Enter" && inGrid && active.closest(".ag-row")) {
            // Enter on a row opens its card, as a click does.
            var row = active.closest(".ag-row");
            window.dash_clientside.set_props(GRID, {cellClicked: {rowId: row.getAttribute("row-id"),
                colId: active.getAttribute("col-id"), rowIndex: Number(row.getAttribute("row-index")),
                timestamp: Date.now()}});
            return;
        }
        if (event.key === "Escape" && card() && !card().hidden && !(active && active.closest(".ag-popup, .ag-menu, .dash-dropdown"))) {
            event.preventDefault();
            closeCard();
        }
    }, true);

    /* The card opened: remember where focus was, take focus (Escape brings it back) and, on a phone where the
       table is below the map, scroll the card into view. */
    function watchCard() {
        var el = card();
        if (!el || el.__scaWatched) {
            return;
        }
        el.__scaWatched = true;
        new MutationObserver(function () {
            if (el.hidden) {
                return;
            }
            var active = document.activeElement;
            if (!returnFocus && active && !el.contains(active) && active !== document.body) {
                var api = gridApi();
                returnFocus = {element: active, cell: api && api.getFocusedCell ? api.getFocusedCell() : null};
            }
            el.focus({preventScroll: true});
            var box = el.getBoundingClientRect();
            if (box.top < 0 || box.bottom > window.innerHeight) {
                el.scrollIntoView({block: box.height < window.innerHeight * 0.8 ? "center" : "start"});
            }
        }).observe(el, {attributes: true, attributeFilter: ["hidden"], childList: true, subtree: false});
    }

    /* -- the slider and the timeline ------------------------------------------------------------------------ */

    function timelineGraph() {
        return document.querySelector("#" + TIMELINE + " .js-plotly-plot");
    }

    function firstMonth() {
        var gd = timelineGraph();
        var months = gd && gd.layout && gd.layout.meta && gd.layout.meta.months;
        return months ? months : null;
    }

    function addMonths(iso, n) {
        var d = new Date(iso + "T00:00:00Z");
        return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
    }

    function isoDay(date) {
        return date.toISOString().slice(0, 10);
    }

    /* What a handle at month index `index` means: the first day of that month (the start handle) or its last
       day (the end handle); the date inputs' exact day when it falls in that month. */
    function handleDate(index, isEnd) {
        var months = firstMonth();
        if (!months) {
            return null;
        }
        var first = addMonths(months[0], index);
        var day = isEnd ? new Date(addMonths(months[0], index + 1).getTime() - 86400000) : first;
        var input = document.getElementById(isEnd ? DATE_END : DATE_START);
        if (input && input.value && input.value.slice(0, 7) === isoDay(first).slice(0, 7)) {
            day = new Date(input.value + "T00:00:00Z");
        }
        return day;
    }

    function labelHandles() {
        var thumbs = document.querySelectorAll(".slider [role='slider']");
        thumbs.forEach(function (thumb, i) {
            var index = Number(thumb.getAttribute("aria-valuenow"));
            var day = isFinite(index) ? handleDate(index, i === thumbs.length - 1 && thumbs.length > 1) : null;
            if (!day) {
                return;
            }
            var text = (i === 0 ? "From " : "To ") + day.toLocaleDateString("en-GB", MONTH_FORMAT);
            if (thumb.getAttribute("aria-valuetext") !== text) {
                thumb.setAttribute("aria-valuetext", text);
                thumb.setAttribute("aria-label", i === 0 ? "Start of the window" : "End of the window");
            }
        });
    }

    /* Line the slider's two ends up with the timeline's first and last months (their bars' middles). */
    function alignSlider() {
        var gd = timelineGraph();
        var months = firstMonth();
        var holder = document.querySelector(".time-bar .slider");
        var root = holder && holder.querySelector("[data-orientation='horizontal'], .dash-range-slider");
        var axis = gd && gd._fullLayout && gd._fullLayout.xaxis;
        if (!months || !holder || !axis || !axis._length) {
            return;
        }
        var px = function (iso) { return axis._offset + axis.l2p(axis.d2l(iso)); };
        var middle = function (iso) { return (px(iso) + px(isoDay(addMonths(iso, 1)))) / 2; };
        var graphLeft = gd.getBoundingClientRect().left;
        var thumb = holder.querySelector("[role='slider']");
        var half = thumb ? thumb.getBoundingClientRect().width / 2 : 0;
        var left = graphLeft + middle(months[0]) - half;
        var right = graphLeft + middle(months[1]) + half;
        var box = holder.getBoundingClientRect();
        var style = getComputedStyle(holder);
        var inner = box.left + parseFloat(style.borderLeftWidth || 0);
        var padLeft = Math.max(0, left - inner);
        var padRight = Math.max(0, box.right - right);
        holder.style.paddingLeft = padLeft.toFixed(1) + "px";
        holder.style.paddingRight = padRight.toFixed(1) + "px";
    }

    /* Shade the view's window on the timeline (its exact days; the whole range is not shaded). A timeline sent by
       the server comes with this shape already (dashboard.render.figures.window_shapes), found here unchanged:
       only a slider move or a Play step, which send no new timeline, relayout it. */
    function shadeWindow(query) {
        var gd = timelineGraph();
        var months = firstMonth();
        if (!gd || !months || !window.Plotly) {
            return false;
        }
        var q = new URLSearchParams(query || "");
        var start = q.get("start");
        var end = q.get("end");
        var shapes = [];
        if (start || end) {
            var lastDay = new Date(addMonths(months[1], 1).getTime());
            var x1 = end ? new Date(new Date(end + "T00:00:00Z").getTime() + 86400000) : lastDay;
            shapes.push({type: "rect", xref: "x", yref: "paper", x0: start || months[0], x1: isoDay(x1), y0: 0, y1: 1,
                         fillcolor: "rgba(31, 111, 139, 0.14)", line: {color: "#1f6f8b", width: 1}, layer: "below",
                         name: "window"});
        }
        var others = (gd.layout.shapes || []).filter(function (s) { return s.name !== "window"; });
        var current = (gd.layout.shapes || []).filter(function (s) { return s.name === "window"; });
        if (JSON.stringify(current.map(function (s) { return [s.x0, s.x1]; })) ===
                JSON.stringify(shapes.map(function (s) { return [s.x0, s.x1]; }))) {
            return true;
        }
        var next = others.concat(shapes);
        // Dash's graph copies a relayout's new layout keys into its figure prop when they differ from it, and a new
        // figure prop is a whole second draw of the timeline (~100 ms at load): the prop gets the shapes first.
        var figure = figureProp(TIMELINE);
        if (figure && figure.layout) {
            figure.layout.shapes = JSON.parse(JSON.stringify(next));
        }
        window.Plotly.relayout(gd, {shapes: next});
        return true;
    }

    /* The figure prop of graph `id` as the Dash renderer holds it (null before the layout exists). */
    function figureProp(id) {
        try {
            var stores = window.dash_stores;
            var state = stores[stores.length - 1].getState();
            var path = state.paths.strs[id];
            var node = path.reduce(function (at, key) { return at[key]; }, state.layout);
            return node.props.figure || null;
        } catch (e) {
            return null;
        }
    }

    function hookTimeline() {
        var gd = timelineGraph();
        if (!gd || !gd.on || gd.__scaTimeline) {
            return;
        }
        gd.__scaTimeline = true;
        gd.on("plotly_afterplot", function () {
            alignSlider();
            labelHandles();
        });
        alignSlider();
        labelHandles();
    }

    new MutationObserver(function () {
        watchCard();
        hookTimeline();
        labelHandles();
    }).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["aria-valuenow"]});
    window.addEventListener("resize", function () { setTimeout(alignSlider, 50); });

    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.sca = Object.assign({}, window.dash_clientside.sca, {
        /* The colour mode on <body>: the legends and the table's chips follow it (assets/style.css). */
        colourMode: function (colour) {
            document.body.setAttribute("data-colour", colour || "actor");
            return colour || "actor";
        },
        /* The view's window shaded on the timeline, again whenever the timeline is redrawn. */
        timelineWindow: function (store, figure) {
            var query = store && store.query;
            var tries = 0;
            var attempt = function () {
                if (!shadeWindow(query) && tries++ < 50) {
                    setTimeout(attempt, 100);
                }
            };
            setTimeout(attempt, 0);
            return query || "";
        },
    });
})();
