/* Cell renderers for dash-ag-grid, looked up by name from columnDefs ("cellRenderer": "SourceLink"). */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

/* A source URL as a link that opens in a new tab. Only http(s) addresses become links, so a
   "javascript:" value from a data file is shown as plain text and can never run. React renders the
   text as text, never as HTML. */
dagcomponentfuncs.SourceLink = function (props) {
    var url = props.value;
    if (url === null || url === undefined || url === "") {
        return null;
    }
    url = String(url);
    if (!/^https?:\/\//i.test(url)) {
        return React.createElement("span", {className: "source-text"}, url);
    }
    var host = url.replace(/^https?:\/\//i, "").split("/")[0];
    return React.createElement(
        "a",
        {href: url, target: "_blank", rel: "noopener noreferrer", title: url, className: "source-link"},
        host || "source"
    );
};

/* Actor families as coloured chips (actor1's family, then actor2's), in the map's colours: columnDefs pass
   {colours: {family: "#hex"}, ink: {family: "#hex"}} as cellRendererParams. Text only, never HTML. */
dagcomponentfuncs.FamilyChips = function (props) {
    var data = props.data || {};
    var colours = props.colours || {};
    var ink = props.ink || {};
    var families = [data.group1, data.group2].filter(function (f, i, all) {
        return f !== null && f !== undefined && f !== "" && all.indexOf(f) === i;
    });
    return React.createElement(
        "span",
        {className: "family-chips"},
        families.map(function (family, i) {
            var name = String(family);
            return React.createElement(
                "span",
                {
                    key: i,
                    className: "family-chip",
                    "data-family": name,
                    style: {background: colours[name] || "#8C8C8C", color: ink[name] || "#000000"},
                },
                name
            );
        })
    );
};
