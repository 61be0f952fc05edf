/* The split search index: loads what a query needs and answers it exactly as
 * lunr.js's Index#query would answer it on the whole index.
 *
 * Data files (written by uprsite/search/indexer.js) each register one value
 * through uprSearchData(name, value); the engine asks for them through a
 * `load(name)` function given to it (script tags in the page, files in Node).
 *
 *   m       manifest: document count, fields, first term of each shard,
 *           facet values
 *   s<k>    term shard k: [terms, postings]; for each term and field, a
 *           posting count, a table of weights (or 0 for weights inline) and
 *           (document-id gap, weight) pairs. Weights are lunr's field-vector
 *           weights in thousandths (lunr rounds them to 3 decimals).
 *   v       every term, for leading wildcards and fuzzy terms
 *   d<k>    result details for documents k*chunk ... (k+1)*chunk-1
 *   f       reviews as runs of documents [first id, session, State]; region
 *           of each State, cycle of each session
 *   f-<facet>-<value>  ids of the documents with that value (recommending
 *           State, theme, response, action category)
 *   r<k>    facet records of shard k: for each term, for each document that
 *           has it in any field (ascending): response * 8 + action category,
 *           then count and indices of themes, then of recommending States
 *           (indices into the manifest's facet values). A query's counts need
 *           either these records for its terms or every facet list, whichever
 *           is smaller.
 *   g-<facet>-<value>  facet records of that value's documents (list order),
 *           for the counts of a search by facets alone
 *
 * Scoring follows lunr 2.3.9's Index#query: per field, a query vector of the
 * clause boosts of every expanded term, and a document's score is the sum over
 * fields of queryVector . fieldVector / |queryVector|; required (+), excluded
 * (-) and field-scoped terms, wildcards and edit distances keep lunr's
 * meaning, because lunr.js itself parses the query and expands the terms.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory;
  } else {
    root.UPRSearchEngine = factory;
  }
})(this, function (lunr, pipeline, codec, load) {
  "use strict";

  var REQUIRED = lunr.Query.presence.REQUIRED;
  var PROHIBITED = lunr.Query.presence.PROHIBITED;
  var REVIEW_FACETS = ["sur", "region", "session", "cycle"];
  var LIST_FACETS = ["by", "theme", "response", "action"];
  var FACETS = ["sur", "by", "region", "session", "cycle", "theme", "response", "action"];

  var manifest = null;
  var shards = [];     // k -> Map term -> per-field postings
  var vocabulary = null;
  var core = null;     // reviews, and each document's review
  var lists = {};      // "facet/value" -> Int32Array of document ids
  var details = {};    // document id -> details row
  var recordShards = [];  // k -> true once shard k's facet records are read
  var records = null;  // per document: response, action, themes, recommending States

  function ready() {
    return load("m").then(function (m) {
      manifest = m;
      return m;
    });
  }

  // -- term shards ------------------------------------------------------------
  function shardOf(term) {
    var first = manifest.shards, lo = 0, hi = first.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (first[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function decodeShard(value) {
    var terms = value[0], reader = new codec.Reader(value[1]), nFields = manifest.fields.length;
    var map = new Map();
    for (var t = 0; t < terms.length; t++) {
      var fields = new Array(nFields);
      for (var f = 0; f < nFields; f++) {
        var count = reader.int();
        var docs = new Int32Array(count), weights = new Float64Array(count);
        if (count > 0) {
          var tableSize = reader.int(), table = [];
          for (var i = 0; i < tableSize; i++) table.push(reader.int());
          var last = -1;
          for (var j = 0; j < count; j++) {
            last = last + 1 + reader.int();
            docs[j] = last;
            var thousandths = tableSize === 0 ? reader.int() : table[tableSize > 1 ? reader.int() : 0];
            weights[j] = thousandths / 1000;  // the same double lunr's Math.round(x * 1000) / 1000 gives
          }
        }
        fields[f] = { docs: docs, weights: weights };
      }
      map.set(terms[t], fields);
    }
    return map;
  }

  function loadShard(k) {
    if (shards[k]) return Promise.resolve(shards[k]);
    return load("s" + k).then(function (value) {
      return (shards[k] = shards[k] || decodeShard(value));
    });
  }

  function posting(term) {
    var shard = shards[shardOf(term)];
    return shard ? shard.get(term) : undefined;
  }

  function loadVocabulary() {
    if (vocabulary) return Promise.resolve(vocabulary);
    return load("v").then(function (terms) {
      vocabulary = vocabulary || { terms: terms, tokenSet: lunr.TokenSet.fromArray(terms) };
      return vocabulary;
    });
  }

  // -- queries ------------------------------------------------------------------
  /* lunr parses the query; each clause's terms go through the search pipeline
   * unless they hold a wildcard, as in Index#query. */
  function parse(queryString) {
    var query = new lunr.Query(manifest.fields);
    new lunr.QueryParser(pipeline.normaliseQuery(queryString), query).parse();
    var clauses = query.clauses.map(function (clause) {
      var terms = clause.usePipeline
        ? pipeline.searchPipeline.runString(clause.term, { fields: clause.fields })
        : [clause.term];
      return { clause: clause, terms: terms.map(function (term) {
        var star = term.indexOf("*");
        var kind = clause.editDistance ? "all" : star < 0 ? "exact" : star > 0 ? "prefix" : "all";
        return { term: term, kind: kind, prefix: kind === "prefix" ? term.slice(0, star) : term };
      }) };
    });
    return { query: query, clauses: clauses };
  }

  function shardRange(prefix) {
    var out = [];
    for (var k = shardOf(prefix), end = shardOf(prefix + "\uffff"); k <= end; k++) out.push(k);
    return out;
  }

  /* Loads the shards and vocabulary a parsed query needs; resolves when all are there. */
  function prepare(parsed) {
    var needed = new Set(), needVocabulary = false;
    parsed.clauses.forEach(function (c) {
      c.terms.forEach(function (t) {
        if (t.kind === "exact") needed.add(shardOf(t.term));
        else if (t.kind === "prefix") shardRange(t.prefix).forEach(function (k) { needed.add(k); });
        else needVocabulary = true;
      });
    });
    var waits = Array.from(needed).map(loadShard);
    if (needVocabulary) {
      waits.push(loadVocabulary().then(function () {
        return Promise.all(expandAll(parsed, true).map(loadShard));
      }));
    }
    return Promise.all(waits);
  }

  function isPrepared(parsed) {
    var ok = true;
    parsed.clauses.forEach(function (c) {
      c.terms.forEach(function (t) {
        if (t.kind === "exact") ok = ok && !!shards[shardOf(t.term)];
        else if (t.kind === "prefix") shardRange(t.prefix).forEach(function (k) { ok = ok && !!shards[k]; });
        else ok = false;
      });
    });
    return ok;
  }

  /* The index terms a query term stands for: lunr's TokenSet intersection. */
  function expand(clause, t) {
    if (t.kind === "exact") return posting(t.term) ? [t.term] : [];
    var candidates;
    clause.term = t.term;
    var pattern = lunr.TokenSet.fromClause(clause);
    if (t.kind === "prefix") {
      var terms = [];
      shardRange(t.prefix).forEach(function (k) {
        shards[k].forEach(function (_, term) {
          if (term.lastIndexOf(t.prefix, 0) === 0) terms.push(term);
        });
      });
      terms.sort();
      candidates = lunr.TokenSet.fromArray(terms);
    } else {
      candidates = vocabulary.tokenSet;
    }
    return candidates.intersect(pattern).toArray();
  }

  /* Every expanded term of the query (shards to load, when asked for shard numbers). */
  function expandAll(parsed, asShards) {
    var out = new Set();
    parsed.clauses.forEach(function (c) {
      c.terms.forEach(function (t) {
        if (t.kind === "all") {
          expand(c.clause, t).forEach(function (term) { out.add(asShards ? shardOf(term) : term); });
        }
      });
    });
    return Array.from(out);
  }

  /* Scores every document as lunr's Index#query does. Returns documents and scores. */
  function evaluate(parsed) {
    var n = manifest.documents, fields = manifest.fields;
    var matched = new Uint8Array(n), prohibited = new Uint8Array(n);
    var requiredHits = new Uint16Array(n), clauseMark = new Int32Array(n);
    var requiredClauses = 0, impossible = false;
    var queryVectors = fields.map(function () { return new Map(); });
    var seen = new Set();
    var matchedTerms = new Set();
    var positiveShards = new Set();

    parsed.clauses.forEach(function (c, ci) {
      var clause = c.clause, fieldIds = clause.fields.map(function (f) { return fields.indexOf(f); });
      var clauseDocs = clause.presence === REQUIRED ? [] : null;
      for (var m = 0; m < c.terms.length; m++) {
        var expanded = expand(clause, c.terms[m]);
        if (expanded.length === 0 && clause.presence === REQUIRED) {
          impossible = true;
          break;
        }
        for (var e = 0; e < expanded.length; e++) {
          var term = expanded[e], post = posting(term);
          for (var fi = 0; fi < fieldIds.length; fi++) {
            var f = fieldIds[fi], docs = post[f].docs, i;
            if (clauseDocs) {
              for (i = 0; i < docs.length; i++) {
                if (clauseMark[docs[i]] !== ci + 1) {
                  clauseMark[docs[i]] = ci + 1;
                  clauseDocs.push(docs[i]);
                }
              }
            }
            if (clause.presence === PROHIBITED) {
              for (i = 0; i < docs.length; i++) prohibited[docs[i]] = 1;
              continue;
            }
            positiveShards.add(shardOf(term));
            var vector = queryVectors[f];
            vector.set(term, (vector.get(term) || 0) + clause.boost);
            if (!seen.has(f + "/" + term)) {
              seen.add(f + "/" + term);
              for (i = 0; i < docs.length; i++) matched[docs[i]] = 1;
              if (docs.length) matchedTerms.add(term);
            }
          }
        }
      }
      if (clauseDocs) {
        requiredClauses++;
        for (var k = 0; k < clauseDocs.length; k++) requiredHits[clauseDocs[k]]++;
      }
    });

    var score = new Float64Array(n);
    var negated = parsed.query.isNegated();
    if (!negated) {
      var dot = new Float64Array(n);
      queryVectors.forEach(function (vector, f) {
        if (vector.size === 0) return;
        var sumOfSquares = 0, touched = [];
        vector.forEach(function (value) { sumOfSquares += value * value; });
        var magnitude = Math.sqrt(sumOfSquares);
        vector.forEach(function (value, term) {
          var p = posting(term)[f];
          for (var i = 0; i < p.docs.length; i++) {
            var d = p.docs[i];
            if (dot[d] === 0) touched.push(d);
            dot[d] += value * p.weights[i];
          }
        });
        for (var i = 0; i < touched.length; i++) {
          var d = touched[i];
          score[d] += dot[d] / magnitude || 0;  // lunr.Vector#similarity
          dot[d] = 0;
        }
      });
    }
    if (!negated) {
      // Sums in another order than lunr's differ in the last bits: rounding
      // makes equal scores equal, and ties go to the lower document id.
      for (var r = 0; r < n; r++) if (score[r] !== 0) score[r] = Math.round(score[r] * 1e9) / 1e9;
    }
    var docs = [];
    if (!impossible) {
      for (var d = 0; d < n; d++) {
        if ((negated || matched[d]) && !prohibited[d] && requiredHits[d] === requiredClauses) docs.push(d);
      }
    }
    return { docs: docs, score: score, ranked: !negated, terms: matchedTerms,
             shards: negated ? null : Array.from(positiveShards) };
  }

  // -- facets -------------------------------------------------------------------
  function loadCore() {
    if (core) return Promise.resolve(core);
    return load("f").then(function (value) {
      if (core) return core;
      var review = new Uint32Array(manifest.documents), reviews = value.reviews;
      for (var r = 0; r < reviews.length; r++) {
        var end = r + 1 < reviews.length ? reviews[r + 1][0] : manifest.documents;
        review.fill(r, reviews[r][0], end);
      }
      core = { reviews: reviews, review: review, region: value.region, cycle: value.cycle };
      return core;
    });
  }

  function reviewValue(facet, d) {
    var r = core.reviews[core.review[d]];
    if (facet === "sur") return r[2];
    if (facet === "session") return String(r[1]);
    if (facet === "region") return core.region[r[2]];
    return String(core.cycle[r[1]]);  // cycle
  }

  function loadList(facet, value) {
    var key = facet + "/" + value;
    if (lists[key]) return Promise.resolve(lists[key]);
    if (manifest.facets[facet].indexOf(value) < 0) return Promise.resolve((lists[key] = new Int32Array(0)));
    return load("f-" + facet + "-" + value).then(function (text) {
      return (lists[key] = lists[key] || codec.decodeIds(text));
    });
  }

  /* Loads what the selected facet values need to filter the results. */
  function prepareFilters(filters) {
    var waits = [];
    FACETS.forEach(function (facet) {
      if (!filters[facet]) return;
      if (REVIEW_FACETS.indexOf(facet) >= 0) waits.push(loadCore());
      else waits.push(loadList(facet, filters[facet]));
    });
    return Promise.all(waits);
  }

  function filtersReady(filters) {
    return FACETS.every(function (facet) {
      if (!filters[facet]) return true;
      return REVIEW_FACETS.indexOf(facet) >= 0 ? !!core : !!lists[facet + "/" + filters[facet]];
    });
  }

  function allListsLoaded() {
    return LIST_FACETS.every(function (facet) {
      return manifest.facets[facet].every(function (value) { return !!lists[facet + "/" + value]; });
    });
  }

  /* Facet records cover the results when the query's terms' records cost less than every list. */
  function useRecords(results) {
    if (!results.shards || allListsLoaded()) return false;
    var chars = 0;
    results.shards.forEach(function (k) { if (!recordShards[k]) chars += manifest.recordChars[k]; });
    return chars < manifest.listChars;
  }

  function readRecord(reader, d) {
    if (!records) {
      var n = manifest.documents;
      records = { code: new Int8Array(n).fill(-1), themes: new Array(n), by: new Array(n) };
    }
    records.code[d] = reader.int();
    var themes = [], by = [], count, i;
    for (count = reader.int(), i = 0; i < count; i++) themes.push(reader.int());
    for (count = reader.int(), i = 0; i < count; i++) by.push(reader.int());
    records.themes[d] = themes;
    records.by[d] = by;
  }

  function loadRecords(k) {
    if (recordShards[k]) return Promise.resolve();
    return Promise.all([loadShard(k), load("r" + k)]).then(function (loaded) {
      if (recordShards[k]) return;
      var shard = loaded[0], reader = new codec.Reader(loaded[1]);
      shard.forEach(function (fields) {
        var union = new Set();
        fields.forEach(function (field) { field.docs.forEach(function (d) { union.add(d); }); });
        Int32Array.from(union).sort().forEach(function (d) { readRecord(reader, d); });
      });
      recordShards[k] = true;
    });
  }

  var valueRecords = {};  // "facet/value" -> true once that value's records are read

  function loadValueRecords(facet, value) {
    var key = facet + "/" + value;
    if (valueRecords[key]) return Promise.resolve();
    return Promise.all([loadList(facet, value), load("g-" + facet + "-" + value)]).then(function (loaded) {
      if (valueRecords[key]) return;
      var reader = new codec.Reader(loaded[1]);
      loaded[0].forEach(function (d) { readRecord(reader, d); });
      valueRecords[key] = true;
    });
  }

  /* The selected facets of a search by facets alone, when they are all list facets (null otherwise). */
  function valueFilters(results) {
    if (results.shards || results.text) return null;
    var active = FACETS.filter(function (facet) { return results.filters[facet]; });
    if (!active.length || active.some(function (f) { return LIST_FACETS.indexOf(f) < 0; })) return null;
    return active;
  }

  /* Loads what the counts of these results need: their terms' facet records, or every facet list. */
  function prepareCounts(results, how) {
    var waits = [loadCore()];
    var active = results && how !== "lists" && !allListsLoaded() ? valueFilters(results) : null;
    if (results && results.shards && (how === "records" || (how !== "lists" && useRecords(results)))) {
      results.shards.forEach(function (k) { waits.push(loadRecords(k)); });
    } else if (active) {
      active.forEach(function (facet) { waits.push(loadValueRecords(facet, results.filters[facet])); });
    } else {
      LIST_FACETS.forEach(function (facet) {
        manifest.facets[facet].forEach(function (value) { waits.push(loadList(facet, value)); });
      });
    }
    return Promise.all(waits);
  }

  function countsReady(results) {
    if (!core) return false;
    if (allListsLoaded()) return true;
    if (!results) return false;
    var active = valueFilters(results);
    if (active) return active.every(function (f) { return valueRecords[f + "/" + results.filters[f]]; });
    return !!results.shards && results.shards.every(function (k) { return recordShards[k]; });
  }

  /* Which selected facets each document fails: 0 none, k+1 only FACETS[k], 255 several. */
  function failures(base, filters) {
    var n = manifest.documents, fail = new Uint8Array(n).fill(255);
    var active = FACETS.filter(function (facet) { return filters[facet]; });
    var members = {};
    active.forEach(function (facet) {
      if (LIST_FACETS.indexOf(facet) >= 0) {
        var mark = new Uint8Array(n), list = lists[facet + "/" + filters[facet]];
        for (var i = 0; i < list.length; i++) mark[list[i]] = 1;
        members[facet] = mark;
      }
    });
    for (var b = 0; b < base.length; b++) {
      var d = base[b], state = 0;
      for (var a = 0; a < active.length && state !== 255; a++) {
        var facet = active[a];
        var ok = members[facet] ? members[facet][d] === 1 : reviewValue(facet, d) === filters[facet];
        if (!ok) state = state === 0 ? FACETS.indexOf(facet) + 1 : 255;
      }
      fail[d] = state;
    }
    return fail;
  }

  /* Counts per facet value over the results, each facet counted as if its own
   * selection were lifted (so the other values of a selected facet show what
   * choosing them would give). */
  function counts(base, fail, sole) {
    var out = {};
    FACETS.forEach(function (facet) { out[facet] = {}; });
    var reviewFacetIds = REVIEW_FACETS.map(function (facet) { return FACETS.indexOf(facet) + 1; });
    for (var b = 0; b < base.length; b++) {
      var d = base[b], state = fail[d];
      for (var i = 0; i < REVIEW_FACETS.length; i++) {
        if (state === 0 || state === reviewFacetIds[i]) {
          var value = reviewValue(REVIEW_FACETS[i], d), table = out[REVIEW_FACETS[i]];
          table[value] = (table[value] || 0) + 1;
        }
      }
    }
    if (!allListsLoaded()) {
      countRecords(base, fail, out, sole);
      return out;
    }
    LIST_FACETS.forEach(function (facet) {
      var own = FACETS.indexOf(facet) + 1;
      manifest.facets[facet].forEach(function (value) {
        var list = lists[facet + "/" + value], count = 0;
        for (var i = 0; i < list.length; i++) {
          var state = fail[list[i]];
          if (state === 0 || state === own) count++;
        }
        out[facet][value] = count;
      });
    });
    return out;
  }

  /* The recommending State, theme, response and action counts, from the results' facet records. */
  function countRecords(base, fail, out, sole) {
    var values = manifest.facets, own = {};
    LIST_FACETS.forEach(function (facet) {
      own[facet] = FACETS.indexOf(facet) + 1;
      values[facet].forEach(function (value) { out[facet][value] = 0; });
    });
    // The only facet selected, with no words: its counts are over every document.
    var soleOwn = sole ? own[sole] : -1;
    var counting = function (facet, state) {
      return facet !== sole && (state === 0 || state === own[facet]);
    };
    if (sole) Object.keys(manifest.totals[sole]).forEach(function (v) { out[sole][v] = manifest.totals[sole][v]; });
    for (var b = 0; b < base.length; b++) {
      var d = base[b], state = fail[d], code = records.code[d], i;
      if (state === soleOwn) continue;
      if (state !== 0 && state !== own.response && state !== own.action && state !== own.theme && state !== own.by) continue;
      if (counting("response", state)) out.response[values.response[code >> 3]]++;
      if (counting("action", state) && (code & 7)) out.action[values.action[(code & 7) - 1]]++;
      if (counting("theme", state)) {
        for (i = 0; i < records.themes[d].length; i++) out.theme[values.theme[records.themes[d][i]]]++;
      }
      if (counting("by", state)) {
        for (i = 0; i < records.by[d].length; i++) out.by[values.by[records.by[d][i]]]++;
      }
    }
  }

  // -- results ------------------------------------------------------------------
  /* A query's results: parse (lunr's syntax; throws lunr.QueryParseError),
   * filter by facets, and rank. Everything must have been prepared. */
  function Results(queryString, filters) {
    var text = String(queryString || "").trim();
    var evaluated;
    if (text) {
      evaluated = evaluate(parse(text));
    } else {
      var all = new Array(manifest.documents);
      for (var d = 0; d < all.length; d++) all[d] = d;
      evaluated = { docs: all, score: null, ranked: false, terms: new Set(), shards: null };
    }
    this.base = evaluated.docs;
    this.fail = failures(this.base, filters);
    var fail = this.fail;
    this.docs = this.base.filter(function (d) { return fail[d] === 0; });
    this.score = evaluated.score;
    this.ranked = evaluated.ranked;
    this.terms = evaluated.terms;
    this.shards = evaluated.shards;  // whose facet records cover every result (null: none do)
    this.text = text;
    this.filters = filters;
    this.total = this.docs.length;
    this._sorted = 0;
  }

  /* Documents first..first+count-1 in rank order (score, then document id). */
  Results.prototype.slice = function (first, count) {
    var want = Math.min(this.total, first + count);
    if (this.ranked && want > this._sorted) {
      var score = this.score;
      var byRank = function (a, b) { return score[b] - score[a] || a - b; };
      if (want * 4 < this.total) {
        // Partial ordering: only the leading `want` documents need sorting.
        var threshold = selectThreshold(this.docs, score, want);
        var head = [], tail = [];
        for (var i = 0; i < this.docs.length; i++) {
          var d = this.docs[i];
          (score[d] >= threshold ? head : tail).push(d);
        }
        head.sort(byRank);
        this.docs = head.concat(tail);
        this._sorted = Math.min(head.length, this.total);
        if (this._sorted < want) {
          this.docs.sort(byRank);
          this._sorted = this.total;
        }
      } else {
        this.docs.sort(byRank);
        this._sorted = this.total;
      }
    }
    return this.docs.slice(first, want);
  };

  Results.prototype.scoreOf = function (d) {
    return this.score ? this.score[d] : 0;
  };

  /* The want-th highest score (a lower bound for the leading documents). */
  function selectThreshold(docs, score, want) {
    var values = new Float64Array(docs.length);
    for (var i = 0; i < docs.length; i++) values[i] = score[docs[i]];
    values.sort();
    return values[values.length - want];
  }

  function prepareQuery(queryString, filters) {
    var text = String(queryString || "").trim();
    var waits = [prepareFilters(filters)];
    if (text) waits.push(prepare(parse(text)));
    return Promise.all(waits);
  }

  function queryReady(queryString, filters) {
    var text = String(queryString || "").trim();
    return filtersReady(filters) && (!text || isPrepared(parse(text)));
  }

  function search(queryString, filters) {
    return prepareQuery(queryString, filters).then(function () {
      return new Results(queryString, filters || {});
    });
  }

  function loadDetails(ids) {
    var chunks = new Set();
    ids.forEach(function (d) { if (!details[d]) chunks.add(Math.floor(d / manifest.chunk)); });
    return Promise.all(Array.from(chunks).map(function (k) {
      return load("d" + k).then(function (rows) {
        for (var i = 0; i < rows.length; i++) details[k * manifest.chunk + i] = rows[i];
      });
    })).then(function () {
      return ids.map(function (d) { return details[d]; });
    });
  }

  /* Splits a text into [piece, isMatch] parts: words whose index terms were matched. */
  function highlight(text, terms) {
    var parts = [], last = 0, word = /[^\s\-'\u2019]+/g, found;
    while ((found = word.exec(text)) !== null) {
      var hit = pipeline.termsOfWord(found[0].toLowerCase()).some(function (t) { return terms.has(t); });
      if (hit) {
        // Only the letters and digits are marked, not the punctuation around them.
        var core = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(found[0]);
        var start = found.index + core[1].length, end = start + core[2].length;
        if (start > last) parts.push([text.slice(last, start), false]);
        parts.push([text.slice(start, end), true]);
        last = end;
      }
    }
    if (last < text.length) parts.push([text.slice(last), false]);
    return parts;
  }

  return {
    FACETS: FACETS,
    ready: ready,
    manifest: function () { return manifest; },
    parse: parse,
    prepareQuery: prepareQuery,
    queryReady: queryReady,
    search: search,
    results: function (queryString, filters) { return new Results(queryString, filters || {}); },
    prepareCounts: prepareCounts,
    countsReady: countsReady,
    counts: function (results) {
      var active = valueFilters(results);
      return counts(results.base, results.fail, active && active.length === 1 ? active[0] : null);
    },
    loadDetails: loadDetails,
    highlight: highlight
  };
});
