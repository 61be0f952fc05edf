/* The search page: wires the form, the URL and the results to the engine.
 *
 * The query, facets, order and page live in the URL
 * (?q=...&theme=...&sort=newest&page=...), so a search can be shared,
 * bookmarked, and walked back and forward. A query that finds fewer than 3
 * recommendations offers the queries the engine suggests, as links to this
 * page. Data files are loaded with <script> tags, which work from file:// as
 * over HTTP. UI strings come translated from the page (#search-strings),
 * numbers are formatted with Intl in the page's language.
 */
(function () {
  "use strict";

  var form = document.getElementById("search");
  if (!form || !window.lunr) return;
  var strings = JSON.parse(document.getElementById("search-strings").textContent);
  var lang = document.documentElement.lang;
  var input = form.elements.q;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var pager = document.getElementById("search-pager");
  var suggestion = document.getElementById("search-suggest");
  var numbers = new Intl.NumberFormat(lang);
  var plurals = new Intl.PluralRules(lang);
  var PER_PAGE = 20;
  var DEBOUNCE_MS = 200;
  var SUGGEST_BELOW = 3;  // fewer results than this: suggest other words

  // -- data files as scripts ----------------------------------------------------
  // The language's files (data-index) and those every language shares (data-shared).
  var base = form.getAttribute("data-index").replace(/[^/]*$/, "");
  var sharedBase = form.getAttribute("data-shared").replace(/[^/]*$/, "");
  var values = Object.create(null), waiting = Object.create(null);
  window.uprSearchData = function (name, value) {
    values[name] = value;
    if (waiting[name]) waiting[name].resolve(value);
  };
  function loader(folder) {
    return function (name) {
      if (name in values) return Promise.resolve(values[name]);
      if (!waiting[name]) {
        var entry = waiting[name] = {};
        entry.promise = new Promise(function (resolve, reject) {
          entry.resolve = resolve;
          var script = document.createElement("script");
          script.src = folder + name + ".js";
          script.onerror = function () {
            delete waiting[name];
            reject(new Error("could not load " + script.src));
          };
          document.head.appendChild(script);
        });
      }
      return waiting[name].promise;
    };
  }

  var engine = window.UPRSearchEngine(window.lunr, window.UPRSearchPipeline(window.lunr, lang),
                                      window.UPRSearchCodec, loader(base), loader(sharedBase));
  var FACETS = engine.FACETS;
  var ORDERS = engine.ORDERS;  // the first is the default, not written in the URL

  // -- state <-> URL ------------------------------------------------------------
  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", page: Math.max(1, parseInt(params.get("page"), 10) || 1), filters: {},
                  sort: ORDERS.indexOf(params.get("sort")) > 0 ? params.get("sort") : ORDERS[0] };
    FACETS.forEach(function (facet) {
      var value = params.get(facet);
      if (value && form.elements[facet] && form.elements[facet].querySelector("option[value='" + CSS.escape(value) + "']")) {
        state.filters[facet] = value;
      }
    });
    return state;
  }

  function stateURL(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FACETS.forEach(function (facet) {
      if (state.filters[facet]) params.set(facet, state.filters[facet]);
    });
    if (state.sort && state.sort !== ORDERS[0]) params.set("sort", state.sort);
    if (state.page > 1) params.set("page", String(state.page));
    var search = params.toString();
    return window.location.pathname + (search ? "?" + search : "");
  }

  function showState(state) {
    input.value = state.q;
    form.elements.sort.value = state.sort;
    FACETS.forEach(function (facet) {
      form.elements[facet].value = state.filters[facet] || "";
    });
  }

  function formState() {
    var state = { q: input.value, page: 1, filters: {}, sort: form.elements.sort.value || ORDERS[0] };
    FACETS.forEach(function (facet) {
      if (form.elements[facet].value) state.filters[facet] = form.elements[facet].value;
    });
    return state;
  }

  var current = readState();
  var typing = false;  // the current history entry was made by typing: replace it while typing goes on

  function remember(state, fromTyping) {
    var url = stateURL(state);
    if (url === window.location.pathname + window.location.search) return;
    if (fromTyping && typing) {
      window.history.replaceState(null, "", url);
    } else {
      window.history.pushState(null, "", url);
    }
    typing = fromTyping;
  }

  // -- text helpers -------------------------------------------------------------
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function plural(forms, count) {
    return format(forms[plurals.select(count)] || forms.other, { count: numbers.format(count) });
  }
  function optionText(facet, value) {
    var option = form.elements[facet].querySelector("option[value='" + CSS.escape(String(value)) + "']");
    return option ? option.getAttribute("data-label") || option.textContent : String(value);
  }
  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // -- running a search -----------------------------------------------------------
  var generation = 0;
  var timer = null;

  function schedule(state, fromTyping) {
    current = state;
    window.clearTimeout(timer);
    var ready = false;
    try {
      ready = engine.queryReady(state.q, state.filters, state.sort);
    } catch (error) {
      ready = true;  // a query lunr cannot parse: say so at once
    }
    if (ready) {
      run(fromTyping);
    } else {
      // Wait for a pause in typing before loading index files for a word.
      timer = window.setTimeout(function () { run(fromTyping); }, fromTyping ? DEBOUNCE_MS : 0);
    }
  }

  function run(fromTyping) {
    var state = current, mine = ++generation;
    if (fromTyping !== undefined && fromTyping !== null) remember(state, fromTyping);
    if (!state.q.trim() && !Object.keys(state.filters).length) {
      // Nothing asked yet: load nothing (a phone on a slow line pays for every file).
      list.textContent = "";
      pager.textContent = "";
      status.textContent = "";
      showSuggestions([], state);
      list.setAttribute("data-shown", stateURL(state));
      form.removeAttribute("aria-busy");
      return;
    }
    form.setAttribute("aria-busy", "true");
    // Through a promise, so that a query lunr cannot parse ends in the catch below.
    Promise.resolve().then(function () {
      return engine.search(state.q, state.filters, state.sort);
    }).then(function (results) {
      if (mine !== generation) return null;
      return render(results, state, mine);
    }).catch(function (error) {
      if (mine !== generation) return;
      form.removeAttribute("aria-busy");
      list.textContent = "";
      pager.textContent = "";
      showSuggestions([], state);
      status.textContent = error instanceof window.lunr.QueryParseError
        ? format(strings.syntax, { message: error.message }) : strings.failed;
    });
  }

  function render(results, state, mine) {
    var pages = Math.max(1, Math.ceil(results.total / PER_PAGE));
    var page = Math.min(state.page, pages);
    var ids = results.slice((page - 1) * PER_PAGE, PER_PAGE);
    return engine.loadDetails(ids).then(function (rows) {
      if (mine !== generation) return;
      list.textContent = "";
      rows.forEach(function (row, i) { list.appendChild(resultItem(row, results)); });
      list.setAttribute("start", String((page - 1) * PER_PAGE + 1));
      list.setAttribute("data-shown", stateURL(state));  // which search the list shows (for tests and tools)
      status.textContent = results.total === 0 ? strings.none : plural(strings.found, results.total);
      renderPager(state, page, pages, results.total);
      suggest(results, state, mine);
      form.removeAttribute("aria-busy");
      form.dispatchEvent(new CustomEvent("search-shown", { detail: { url: stateURL(state), total: results.total,
        results: results, loadDetails: engine.loadDetails, recordLink: recordLink } }));
      countFacets(results, mine, state);
    });
  }

  // details row: [State under Review, session, anchor, text, text language, recommending States, response, action, page]
  function resultItem(row, results) {
    var textNode = element("a", { href: recordLink(row), class: "search-text" });
    engine.highlight(row[3], results.terms).forEach(function (part) {
      textNode.appendChild(part[1] ? element("mark", {}, [part[0]]) : document.createTextNode(part[0]));
    });
    var text = element("p", row[4] ? { lang: row[4] } : {}, [textNode]);
    // Each field a dt and dd in a div (as a dl allows), side by side, so that a result takes
    // three lines of a phone: its text; State under Review, session, response, action category
    // (values that name themselves: their labels are for screen readers); who recommended it.
    var pair = function (label, value, kind, attrs) {
      return element("div", { class: kind }, [element("dt", kind === "by" ? {} : { class: "visually-hidden" }, [label]),
                                              element("dd", attrs || {}, [value])]);
    };
    var meta = element("dl", { class: "rec-meta" }, [
      pair(strings.sur, optionText("sur", row[0]), "sur"),
      pair(strings.session, optionText("session", row[1]), "session"),
      pair(strings.response, optionText("response", row[6]), "response", { class: "r-" + row[6] }),
    ]);
    if (row[7]) meta.appendChild(pair(strings.action, optionText("action", row[7]), "action"));
    meta.appendChild(pair(strings.by, row[5].map(function (c) { return optionText("by", c); }).join(", "), "by"));
    var children = [text];
    if (row[4]) children.push(element("p", { class: "fallback-note" }, [format(strings.fallback, { language: strings.languages[row[4]] || row[4] })]));
    children.push(meta);
    return element("li", { class: "search-result" }, children);
  }

  /* Where a result's full record is: its review's page (uprsite/urls.py: review, paged), in the
   * folder of its State's page, whose link the State's <option> holds. */
  function recordLink(row) {
    var option = form.elements.sur.querySelector("option[value='" + CSS.escape(row[0]) + "']");
    var folder = option.getAttribute("data-href").replace(/index\.html$/, "");
    return folder + row[1] + "/" + (row[8] > 1 ? "page-" + row[8] + "/" : "") + "index.html#" + row[2];
  }

  function renderPager(state, page, pages, total) {
    pager.textContent = "";
    if (pages <= 1) return;
    var first = (page - 1) * PER_PAGE + 1, last = Math.min(total, page * PER_PAGE);
    pager.appendChild(element("p", {}, [format(strings.range, {
      first: numbers.format(first), last: numbers.format(last), total: numbers.format(total) })]));
    var items = element("ul");
    var link = function (number, label, rel) {
      var target = { q: state.q, filters: state.filters, sort: state.sort, page: number };
      var a = element("a", rel ? { href: stateURL(target), rel: rel } : { href: stateURL(target) }, [label]);
      followHere(a, target);
      return element("li", {}, [a]);
    };
    if (page > 1) items.appendChild(link(page - 1, strings.previous, "prev"));
    var shown = [1, page - 1, page, page + 1, pages].filter(function (n, i, all) {
      return n >= 1 && n <= pages && all.indexOf(n) === i;
    }).sort(function (a, b) { return a - b; });
    shown.forEach(function (n) {
      if (n === page) items.appendChild(element("li", {}, [element("span", { "aria-current": "page" }, [numbers.format(n)])]));
      else items.appendChild(link(n, numbers.format(n)));
    });
    if (page < pages) items.appendChild(link(page + 1, strings.next, "next"));
    pager.appendChild(items);
  }

  /* A link to another state of this page: followed here, without reloading (a
   * click with a modifier key or another button does what the browser does). */
  function followHere(a, target) {
    a.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return;
      event.preventDefault();
      typing = false;
      showState(target);
      schedule(target, false);
      status.focus();
    });
  }

  // -- suggestions ----------------------------------------------------------------
  function suggest(results, state, mine) {
    if (!results.text || results.total >= SUGGEST_BELOW) {
      showSuggestions([], state);
      return;
    }
    engine.suggest(state.q).then(function (queries) {
      if (mine === generation) showSuggestions(queries, state);
    }, function () {
      if (mine === generation) showSuggestions([], state);
    });
  }

  /* "Did you mean a, b or c?", each a link to the search page with that query (same facets and order). */
  function showSuggestions(queries, state) {
    suggestion.textContent = "";
    suggestion.hidden = queries.length === 0;
    if (!queries.length) return;
    var links = queries.map(function (query) {
      var target = { q: query, filters: state.filters, sort: state.sort, page: 1 };
      var a = element("a", { href: stateURL(target), class: "search-suggestion" }, [query]);
      followHere(a, target);
      return a;
    });
    var parts = window.Intl && Intl.ListFormat
      ? new Intl.ListFormat(lang, { type: "disjunction" }).formatToParts(queries)
      : queries.reduce(function (out, query, i) {
        if (i) out.push({ type: "literal", value: ", " });
        out.push({ type: "element", value: query });
        return out;
      }, []);
    var pieces = strings.suggest.split("%(suggestions)s"), at = 0;
    suggestion.appendChild(document.createTextNode(pieces[0]));
    parts.forEach(function (part) {
      suggestion.appendChild(part.type === "element" ? links[at++] : document.createTextNode(part.value));
    });
    suggestion.appendChild(document.createTextNode(pieces.slice(1).join("")));
  }

  function countFacets(results, mine, state) {
    var apply = function () {
      if (mine !== generation) return;
      var counts = engine.counts(results);
      FACETS.forEach(function (facet) {
        var select = form.elements[facet], table = counts[facet];
        for (var i = 0; i < select.options.length; i++) {
          var option = select.options[i];
          if (!option.value) continue;
          var label = option.getAttribute("data-label");
          if (!label) option.setAttribute("data-label", (label = option.textContent));
          option.textContent = label + " (" + numbers.format(table[option.value] || 0) + ")";
        }
      });
      form.setAttribute("data-counts-done", String(mine));
      form.dispatchEvent(new CustomEvent("search-counted", { detail: { url: stateURL(state) } }));
    };
    if (engine.countsReady(results)) apply();
    else engine.prepareCounts(results).then(apply);
  }

  // -- events ---------------------------------------------------------------------
  input.addEventListener("input", function () {
    schedule(formState(), true);
  });
  form.addEventListener("change", function (event) {
    if (event.target === input) return;
    typing = false;
    schedule(formState(), false);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    typing = false;
    schedule(formState(), false);
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () {
      typing = false;
      schedule(formState(), false);
    }, 0);
  });
  window.addEventListener("popstate", function () {
    typing = false;
    var state = readState();
    showState(state);
    schedule(state, null);
  });

  // On a phone the help and the facets start folded (their summaries stay), so
  // that the first result is on the first screen; facets chosen in the URL
  // stay in view. The markup has them open, for wide screens.
  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    form.querySelectorAll("details.fold").forEach(function (fold) {
      fold.open = fold.classList.contains("facets-fold") && Object.keys(current.filters).length > 0;
    });
  }
  form.hidden = false;
  engine.ready().then(function () {
    showState(current);
    schedule(current, null);
  });
})();
