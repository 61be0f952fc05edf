/* The search page: the current result set as a CSV file, built in the browser.
 *
 * search.js announces each result set shown ("search-shown", with the
 * results and the engine's loader of result details); a button then builds
 * a CSV of every result (not only the page shown) from those details and
 * hands it over as a download through a Blob URL, which works from file://
 * as over HTTP. Columns: id, session, state_under_review, recommended_by
 * (codes joined by ";"), text, text_language, response, action, url; a cell
 * that would start a spreadsheet formula starts with ' instead.
 */
(function () {
  "use strict";

  var form = document.getElementById("search");
  var status = document.getElementById("search-status");
  if (!form || !status) return;
  var strings = JSON.parse(document.getElementById("search-strings").textContent);
  var lang = document.documentElement.lang;
  var shown = null;

  var button = document.createElement("button");
  button.type = "button";
  button.id = "search-download";
  button.textContent = strings.download;
  var holder = document.createElement("p");
  holder.className = "search-download";
  holder.hidden = true;
  holder.appendChild(button);
  status.parentNode.insertBefore(holder, status.nextSibling);

  form.addEventListener("search-shown", function (event) {
    shown = event.detail;
    holder.hidden = !shown.total;
  });

  // A cell a spreadsheet would run as a formula (= + - @, tab, carriage return, OWASP's list) gets a
  // leading ', as in the site's own CSV files (uprsite/downloads.py), so that it opens as text.
  function field(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^'*[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function recordURL(row, recordLink) {
    return new URL(recordLink(row), window.location.href).href;
  }

  // details row: [State under Review, session, anchor, text, text language, recommending States, response, action, page]
  function csv(rows, recordLink) {
    var lines = ["id,session,state_under_review,recommended_by,text,text_language,response,action,url"];
    rows.forEach(function (row) {
      var id = row[2].slice(("r-" + row[1] + "-" + row[0] + "-").length);
      lines.push([id, row[1], row[0], row[5].join(";"), row[3], row[4] || lang, row[6], row[7] || "",
                  recordURL(row, recordLink)].map(field).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  button.addEventListener("click", function () {
    var current = shown;
    if (!current) return;
    button.disabled = true;
    current.loadDetails(current.results.slice(0, current.total)).then(function (rows) {
      var url = URL.createObjectURL(new Blob([csv(rows, current.recordLink)], { type: "text/csv;charset=utf-8" }));
      var link = document.createElement("a");
      link.href = url;
      link.download = "upr-recommendations.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }).finally(function () {
      button.disabled = false;
    });
  });
})();
