/* The date slider's labels, fitted to its width (issue 19). The server sends every mark the slider may show
   (dashboard.page.controls.slider_marks: each January, or each month of a short span, and both ends); here the step is
   chosen from the track's width in pixels and the widest label: every 1, 2, 5 or 10 years (or 1, 2, 3, 6 months),
   the first and last always shown, and a last pass hides any label that would still touch its neighbour. It runs
   again whenever the track changes size (a window resize, the slider lined up with the timeline) or the marks
   change. */
(function () {
    var YEAR_STEPS = [1, 2, 5, 10, 20, 50, 100];
    var MONTH_STEPS = [1, 2, 3, 6, 12];
    var GAP = 8; // pixels between two labels
    var MONTHS = {Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12};
    var scheduled = false;
    var observed = null;

    /* {year, month} of a label: "2019", "Mar", "Mar 2019". */
    function parse(text) {
        var m = /^(?:([A-Z][a-z]{2}) ?)?(\d{4})?$/.exec(text.trim());
        if (!m || (!m[1] && !m[2])) {
            return null;
        }
        return {year: m[2] ? Number(m[2]) : null, month: m[1] ? MONTHS[m[1]] : 1, monthOnly: Boolean(m[1] && !m[2])};
    }

    function firstFitting(steps, unit, width) {
        for (var i = 0; i < steps.length; i++) {
            if (steps[i] * unit >= width) {
                return steps[i];
            }
        }
        return null;
    }

    function fit() {
        scheduled = false;
        var root = document.querySelector("#date-slider .dash-slider-root");
        var track = root && root.querySelector(".dash-slider-track");
        var thumb = root && root.querySelector("[role='slider']");
        var marks = root ? Array.prototype.slice.call(root.querySelectorAll(".dash-slider-mark")) : [];
        watch(track);
        if (!track || !thumb || !marks.length) {
            return;
        }
        var span = Number(thumb.getAttribute("aria-valuemax")) - Number(thumb.getAttribute("aria-valuemin"));
        var length = track.getBoundingClientRect().width;
        marks.forEach(function (el) {
            if (el.hasAttribute("data-shifted")) { // undo the last fit's nudge before measuring again
                el.style.transform = "translateX(-50%)";
                el.removeAttribute("data-shifted");
            }
        });
        var boxes = marks.map(function (el) { return {el: el, label: parse(el.textContent || ""),
                                                      rect: el.getBoundingClientRect()}; });
        boxes.sort(function (a, b) { return (a.rect.left + a.rect.right) - (b.rect.left + b.rect.right); });
        var first = boxes[0], last = boxes[boxes.length - 1];
        // The ends' labels stay inside the time bar: nudged inwards when centring them on their month would cut them.
        var bar = (root.closest(".time-bar") || document.documentElement).getBoundingClientRect();
        var edge = {left: Math.max(bar.left, 0) + 2, right: Math.min(bar.right, document.documentElement.clientWidth) - 2};
        [first, last].forEach(function (b) {
            var shift = Math.max(0, edge.left - b.rect.left) - Math.max(0, b.rect.right - edge.right);
            if (shift) {
                b.el.style.transform = "translateX(calc(-50% + " + shift.toFixed(1) + "px))";
                b.el.setAttribute("data-shifted", "");
                b.rect = {left: b.rect.left + shift, right: b.rect.right + shift, width: b.rect.width};
            }
        });
        var inner = boxes.slice(1, -1).filter(function (b) { return b.label; });
        var widest = inner.reduce(function (w, b) { return Math.max(w, b.rect.width); }, 0) + GAP;
        var byMonth = inner.some(function (b) { return b.label.monthOnly; });
        var keep;
        // Pixels between two neighbouring marks (a month apart when the span is short, else a year), as laid out.
        var centre = function (b) { return (b.rect.left + b.rect.right) / 2; };
        var unit = inner.length > 1 ? (centre(inner[inner.length - 1]) - centre(inner[0])) / (inner.length - 1)
            : (span > 0 ? length / span : length) * (byMonth ? 1 : 12);
        var monthStep = byMonth ? firstFitting(MONTH_STEPS, unit, widest + 1) : null;
        if (monthStep) {
            keep = function (label) { return (label.month - 1) % monthStep === 0; };
        } else {
            var yearStep = firstFitting(YEAR_STEPS, byMonth ? unit * 12 : unit, widest + 1) ||
                YEAR_STEPS[YEAR_STEPS.length - 1];
            keep = function (label) { return label.month === 1 && label.year !== null && label.year % yearStep === 0; };
        }
        var shown = [first];
        var right = first.rect.right;
        var limit = last === first ? Infinity : last.rect.left - GAP;
        inner.forEach(function (b) {
            if (keep(b.label) && b.rect.left >= right + GAP - 1 && b.rect.right <= limit + 1) {
                shown.push(b);
                right = b.rect.right;
            }
        });
        if (last !== first) {
            shown.push(last);
        }
        boxes.forEach(function (b) {
            var visible = shown.indexOf(b) >= 0 ? "" : "hidden";
            if (b.el.style.visibility !== visible) {
                b.el.style.visibility = visible;
            }
            b.el.setAttribute("aria-hidden", visible ? "true" : "false");
        });
    }

    function schedule() {
        if (!scheduled) {
            scheduled = true;
            requestAnimationFrame(fit);
        }
    }

    var resizes = typeof ResizeObserver === "function" ? new ResizeObserver(schedule) : null;

    function watch(track) {
        if (track && track !== observed && resizes) {
            if (observed) {
                resizes.unobserve(observed);
            }
            observed = track;
            resizes.observe(track);
        }
    }

    new MutationObserver(function (records) {
        for (var i = 0; i < records.length; i++) {
            var target = records[i].target;
            if (target.nodeType === 1 && (target.closest("#date-slider") || target.querySelector("#date-slider"))) {
                schedule();
                return;
            }
        }
    }).observe(document, {subtree: true, childList: true, characterData: true});
    window.addEventListener("resize", schedule);
})();
