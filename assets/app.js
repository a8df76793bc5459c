/* Clientside callbacks: things that belong in the browser (grid cache, timer speed, file upload). */
var VIEWPORT_SETTLE_MS = 400;
var UPLOAD_POLL_MS = 700;

window.dash_clientside = Object.assign({}, window.dash_clientside, {
    sca: {
        /* A new view: drop the events grid's cached blocks so it asks the server for rows again. */
        purgeGrid: function (view) {
            if (!view || !window.dash_ag_grid) {
                return window.dash_clientside.no_update;
            }
            return window.dash_ag_grid.getApiAsync("events-grid").then(function (api) {
                api.purgeInfiniteCache();
                return view.query;
            });
        },

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

        /* The map was panned or zoomed: keep its zoom and corners, tagged with the figure revision they belong to,
           so the server can send points or bins for what is in sight (dashboard/viewport.py reads this).
           Sent once the map has been still for VIEWPORT_SETTLE_MS: a new figure arriving in the middle of a
           zoom would stop it where the last report left it. */
        viewport: function (relayout, figure) {
            var noUpdate = window.dash_clientside.no_update;
            if (!relayout || relayout["map.zoom"] === undefined || !relayout["map.center"] || !relayout["map._derived"]) {
                return noUpdate;
            }
            var rev = figure && figure.layout ? figure.layout.uirevision : null;
            var seen = {rev: rev, relayout: {"map.zoom": relayout["map.zoom"], "map.center": relayout["map.center"],
                                             "map._derived": relayout["map._derived"]}};
            var stamp = Date.now() + Math.random();
            window.scaViewportStamp = stamp;
            return new Promise(function (resolve) {
                setTimeout(function () {
                    resolve(window.scaViewportStamp === stamp ? seen : noUpdate);
                }, VIEWPORT_SETTLE_MS);
            });
        },

        /* Play speed: the dropdown gives milliseconds per step. */
        speed: function (ms) {
            return ms || 1000;
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
    },
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
