/* Links shared before each review had a page of its own point at a State's page:
   countries/<code>/index.html#r-<session>-<CODE>-<id>. This sends such a link on to where the
   recommendation is now: from the State's page to its review's page (the list of reviews links each
   one, with data-session), and from a review's first page to the later page that holds it (its
   pager's links carry data-ids). Without JavaScript the same links are on the page to follow. */
(function () {
  "use strict";
  var hash = window.location.hash;
  var anchor = decodeURIComponent(hash.slice(1));
  var parts = /^r-(\d+)-[A-Z]+-(.+)$/.exec(anchor);
  if (!parts || document.getElementById(anchor)) return;
  var links = document.querySelectorAll("a[data-session], a[data-ids]");
  for (var i = 0; i < links.length; i++) {
    var link = links[i];
    var ids = " " + (link.getAttribute("data-ids") || "") + " ";
    if (link.getAttribute("data-session") === parts[1] || ids.indexOf(" " + parts[2] + " ") >= 0) {
      window.location.replace(link.href.split("#")[0] + hash);
      return;
    }
  }
})();
