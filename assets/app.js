/* Clientside callbacks: things that belong in the browser (file upload); the view's flow is in flow.js. */
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

        /* Send the chosen file as the raw request body to POST /upload (no base64, no callback payload);
           the JSON answer lands in the upload-result store, which the server-side callbacks show. */
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
            window.dash_clientside.set_props("upload-status", {children: "Importing " + file.name + " …"});
            var url = "/upload?name=" + encodeURIComponent(file.name) + "&kind=" + encodeURIComponent(kind || "auto");
            try {
                var response = await fetch(url, {
                    method: "POST",
                    body: file,
                    headers: {"Content-Type": "application/octet-stream"},
                });
                var text = await response.text();
                var result;
                try {
                    result = JSON.parse(text);
                } catch (e) {
                    result = {ok: false, message: "The server answered " + response.status + ": " + text, reasons: []};
                }
                result.stamp = stamp;
                return result;
            } catch (error) {
                return {ok: false, message: "Upload failed: " + error, reasons: [], stamp: stamp};
            }
        },
    }),
});
