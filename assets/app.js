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
