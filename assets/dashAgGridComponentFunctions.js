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
