/* The split search index: loads what a query needs and answers it exactly as
 * lunr.js's Index#query would answer it on the whole index.
 *
 * Data files (written by uprsite/search/indexer.js) each register one value
 * through uprSearchData(name, value); the engine asks for them through the
 * functions given to it (script tags in the page, files in Node): `load` for
 * the files of the page's language, `loadShared` for those of every language.
 * Numbers are packed by static/search-codec.js.
 *
 * The page's language:
 *   m       manifest: document count, fields, each field's total length (so
 *           lunr's average field lengths), the first term of each shard,
 *           the fallback languages of texts
 *   s<k>    term shard k: [terms, postings]. For each term: 1 if its facet
 *           counts are a table, 0 if records; then per field a posting
 *           count, (table size * 4 + mode), the table of distinct (term
 *           frequency, field length) pairs, and the documents with each
 *           one's pair index: per document (id gap, pair index), per run of
 *           consecutive documents sharing a pair (id gap, run length - 1,
 *           pair index), or a bitmap (first id, span, six documents a digit)
 *           then the pair indices (a digit each for up to 64 pairs); no pair
 *           index when the table has one pair. The page computes each pair's weight as
 *           lunr.Builder does (BM25 with lunr's k1 and b, rounded to
 *           thousandths), from the term's document frequency (its postings)
 *           and the manifest's statistics: the very same expression on the
 *           very same numbers, so the very same double.
 *   v       every term, for leading wildcards and fuzzy terms
 *   p<k>    word positions of shard k's terms in the texts, for phrases:
 *           per term, per document of its text postings, as many positions
 *           as its term frequency there (the first, then gaps - 1). Apart
 *           from s<k>, so that only a query with a phrase pays for them
 *   w       for suggestions: [every term of two documents or more, their
 *           document frequencies, the word each is shown as ("" the term, a
 *           suffix to add, or "=" and the word)]
 *   r<k>    facet counts of shard k's terms, in term order: a count table
 *           (below) or, for rare terms, the facet record of each document
 *           that has the term in any field (ascending): response * 8 + action
 *           category, then count and indices of themes, then of recommending
 *           States. A query's counts need either these for its terms or every
 *           facet list, whichever is smaller.
 * Every language (shared):
 *   c       core: reviews as runs of documents [first id, session, State];
 *           region of each State, cycle of each session; each facet's values
 *           (the indices above), their totals
 *   d<k>    result details of documents k*chunk ... (k+1)*chunk-1, as
 *           deflated JSON in base64: [State under Review, session, id, texts
 *           as [language, text] pairs, recommending States, response, action]
 *   l-<facet>-<value>  ids of the documents with that value (recommending
 *           State, theme, response, action category)
 *   x-<facet>-<value>  count table of that value's documents
 * A count table gives, for each of the recommending State, theme, response
 * and action facets, the number of values counted, then (value index gap,
 * count) pairs.
 *
 * Scoring follows lunr 2.3.9's Index#query: per field, a query vector of the
 * clause boosts of every expanded term, and a document's score is the sum over
 * fields of queryVector . fieldVector / |queryVector|; required (+), excluded
 * (-) and field-scoped terms, wildcards and edit distances keep lunr's
 * meaning, because lunr.js itself parses each token of the query and expands
 * the terms. Which documents match is the page's own rule (see parse): every
 * word required, OR for alternatives, phrases; and fuzzy terms rank the
 * documents of their nearest, most frequent expansions first.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory;
  } else {
    root.UPRSearchEngine = factory;
  }
})(this, function (lunr, pipeline, codec, load, loadShared) {
  "use strict";

  var K1 = 1.2, B = 0.75;  // lunr.Builder's defaults

  var REQUIRED = lunr.Query.presence.REQUIRED;
  var PROHIBITED = lunr.Query.presence.PROHIBITED;
  var REVIEW_FACETS = ["sur", "region", "session", "cycle"];
  var LIST_FACETS = ["by", "theme", "response", "action"];
  var FACETS = ["sur", "by", "region", "session", "cycle", "theme", "response", "action"];

  var manifest = null;
  var shards = [];     // k -> Map term -> per-field postings (with .table: its counts are a table)
  var positions = [];  // k -> Map term -> word positions in the texts (for phrases)
  var suggestions = null;  // every term with its document frequency and the word it is shown as
  var vocabulary = null;
  var core = null;     // reviews, and each document's review
  var lists = {};      // "facet/value" -> Int32Array of document ids
  var details = {};    // document id -> details row
  var recordShards = [];  // k -> true once shard k's facet counts are read
  var records = null;  // per document: response, action, themes, recommending States
  var termTables = new Map();  // term -> count table
  var valueTables = {};  // "facet/value" -> count table

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
    var n = manifest.documents, map = new Map();
    for (var t = 0; t < terms.length; t++) {
      var table = reader.int() === 1, fields = new Array(nFields), pairs = new Array(nFields), df = 0;
      for (var f = 0; f < nFields; f++) {
        var count = reader.int(), docs = new Int32Array(count), which = new Uint32Array(count);
        var tfs = [], lengths = [];
        if (count > 0) {
          var header = reader.int(), size = header >> 2, mode = header & 3, i = 0, last = -1;
          for (var p = 0; p < size; p++) {
            tfs.push(reader.int());
            lengths.push(reader.int());
          }
          if (mode === 2) {
            var start = reader.int(), span = reader.int();
            for (var b = 0; b < span; b += 6) {
              var bits = reader.digit();
              for (var bit = 0; bit < 6; bit++) if (bits & (1 << bit)) docs[i++] = start + b + bit;
            }
            if (size > 1) for (i = 0; i < count; i++) which[i] = size <= 64 ? reader.digit() : reader.int();
          } else {
            while (i < count) {
              var first = last + 1 + reader.int(), length = mode === 1 ? reader.int() + 1 : 1;
              var pair = size > 1 ? reader.int() : 0;
              for (var j = 0; j < length; j++, i++) {
                docs[i] = first + j;
                which[i] = pair;
              }
              last = first + length - 1;
            }
          }
        }
        df += count;
        fields[f] = { docs: docs, weights: null, which: which, tfs: tfs };
        pairs[f] = { which: which, tfs: tfs, lengths: lengths };
      }
      // lunr.idf and lunr.Builder#createFieldVectors, expression for expression
      // (field and document boosts are 1).
      var idf = Math.log(1 + Math.abs((n - df + 0.5) / (df + 0.5)));
      for (f = 0; f < nFields; f++) {
        var average = manifest.fieldLengthSums[f] / n, byPair = pairs[f].tfs.map(function (tf, k) {
          var score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (pairs[f].lengths[k] / average)) + tf);
          return Math.round(score * 1000) / 1000;
        });
        var weights = new Float64Array(fields[f].docs.length);
        for (var w = 0; w < weights.length; w++) weights[w] = byPair[pairs[f].which[w]];
        fields[f].weights = weights;
      }
      fields.table = table;
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

  /* Shard k's positions (file p<k>): for each term, in shard order, each
   * document of its text postings in order, the word positions of the term in
   * the text (as many as its term frequency there): the first, then gaps - 1. */
  function loadPositions(k) {
    if (positions[k]) return Promise.resolve(positions[k]);
    return Promise.all([loadShard(k), load("p" + k)]).then(function (loaded) {
      if (positions[k]) return positions[k];
      var reader = new codec.Reader(loaded[1]), text = manifest.fields.indexOf("text"), map = new Map();
      loaded[0].forEach(function (fields, term) {
        var field = fields[text], count = field.docs.length, starts = new Uint32Array(count + 1), total = 0, i;
        for (i = 0; i < count; i++) {
          total += field.tfs[field.which[i]];
          starts[i + 1] = total;
        }
        var at = new Uint32Array(total), j = 0;
        for (i = 0; i < count; i++) {
          for (var last = -1; j < starts[i + 1]; j++) last = at[j] = last + 1 + reader.int();
        }
        map.set(term, { docs: field.docs, starts: starts, at: at });
      });
      return (positions[k] = map);
    });
  }

  /* The word positions of a term in document d's text (ascending), or null. */
  function positionsIn(term, d) {
    var map = positions[shardOf(term)], entry = map && map.get(term);
    if (!entry) return null;
    var docs = entry.docs, lo = 0, hi = docs.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (docs[mid] === d) return entry.at.subarray(entry.starts[mid], entry.starts[mid + 1]);
      if (docs[mid] < d) lo = mid + 1; else hi = mid - 1;
    }
    return null;
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
  /* The query language, on top of lunr's. The query is cut at white space
   * into tokens: "..." is a phrase; OR (in capitals) between two tokens makes
   * them alternatives; every other token is read by lunr's parser, so that
   * + - * field: ^N and ~N keep lunr's meaning. What differs from lunr: a
   * token without + or - is required (every word must match), unless it is
   * one of OR's alternatives (one of them must match), or is a stop word,
   * which the index does not hold (left optional, as lunr leaves it). A
   * phrase requires its words in the text, next to each other and in that
   * order (stop words stand for any one word), which the positions of each
   * term in each text (files p<k>) check.
   *
   * Required tokens are "members" of "groups": a document must satisfy, in
   * every group, one member, that is all of the member's clauses (and its
   * phrase). A group of one member is one required token; OR makes a group
   * of several. */
  var QUOTES = /[\u201c\u201d\u201e\u00ab\u00bb]/g;  // typographic quotes (phones put them) are quotes too

  function tokenize(queryString) {
    var s = String(queryString).replace(QUOTES, "\""), tokens = [], i = 0;
    while (i < s.length) {
      if (/\s/.test(s[i])) {
        i++;
        continue;
      }
      var sign = "";
      if ((s[i] === "+" || s[i] === "-") && s[i + 1] === "\"") sign = s[i++];
      if (s[i] === "\"") {
        var end = s.indexOf("\"", i + 1);
        if (end < 0) end = s.length;
        tokens.push({ type: "phrase", sign: sign, text: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
      var j = i;
      while (j < s.length && !/\s/.test(s[j]) && s[j] !== "\"") j++;
      var raw = s.slice(i, j);
      tokens.push(raw === "OR" ? { type: "or" } : { type: "term", raw: raw });
      i = j;
    }
    return tokens;
  }

  function termsOf(clause) {
    var terms = clause.usePipeline
      ? pipeline.searchPipeline.runString(clause.term, { fields: clause.fields })
      : [clause.term];
    return terms.map(function (term) {
      var star = term.indexOf("*");
      var kind = clause.editDistance ? "all" : star < 0 ? "exact" : star > 0 ? "prefix" : "all";
      return { term: term, kind: kind, prefix: kind === "prefix" ? term.slice(0, star) : term };
    });
  }

  /* A parsed query: lunr's query (every clause), each clause with its terms
   * and its member (-1: none), the members and their groups, and the tokens
   * (to write suggestions back into the query). */
  function parse(queryString) {
    var query = new lunr.Query(manifest.fields), clauses = [], members = [], groups = 0;
    var tokens = tokenize(queryString);
    var textField = manifest.fields.indexOf("text") >= 0 ? ["text"] : manifest.fields;
    var joined = false;  // the token before was OR, after a token that can join
    var lastMember = null;  // the member of the token before (null if it cannot join)
    tokens.forEach(function (token, ti) {
      if (token.type === "or") {
        joined = lastMember !== null;
        return;
      }
      // An excluded member (-"...") removes the documents that satisfy it.
      var member = { group: -1, clauses: [], phrase: null, excluded: token.sign === "-" }, free = [];
      if (token.type === "phrase") {
        // Phrase words are cut and made terms exactly as the texts were (index pipeline).
        var words = pipeline.words(token.text), places = [];
        words.forEach(function (word, w) {
          var terms = pipeline.termsOfWord(word);
          if (terms.length) places.push({ offset: w, term: terms[0] });
          terms.forEach(function (term) {
            var clause = { fields: textField, term: term, boost: 1, usePipeline: false,
                           wildcard: lunr.Query.wildcard.NONE, presence: lunr.Query.presence.OPTIONAL };
            query.clauses.push(clause);
            clauses.push({ clause: clause, terms: termsOf(clause), member: -1, token: ti, piece: w,
                           excluded: member.excluded });
            member.clauses.push(clauses.length - 1);
          });
        });
        if (places.length > 1) member.phrase = places;
      } else {
        var own = new lunr.Query(manifest.fields);
        new lunr.QueryParser(pipeline.normaliseQuery(token.raw), own).parse();
        own.clauses.forEach(function (clause, piece) {
          query.clauses.push(clause);
          clauses.push({ clause: clause, terms: termsOf(clause), member: -1, token: ti, piece: piece,
                         pieces: own.clauses.length });
          if (clause.presence !== lunr.Query.presence.OPTIONAL) free.push(clause);
          // Not a stop word: required (a wildcard or a fuzzy term always is).
          else if (!clause.usePipeline || pipeline.termsOfWord(clause.term).length) member.clauses.push(clauses.length - 1);
        });
      }
      if (member.clauses.length === 0) {  // nothing to require (stop words, or only lunr's + and -)
        lastMember = null;
        joined = false;
        return;
      }
      members.push(member);
      member.clauses.forEach(function (ci) { clauses[ci].member = members.length - 1; });
      if (member.excluded) {
        lastMember = null;
        joined = false;
        return;
      }
      // A token with lunr's + or - in it is no alternative of OR.
      var canJoin = free.length === 0;
      member.group = joined && canJoin ? lastMember.group : groups++;
      joined = false;
      lastMember = canJoin ? member : null;
    });
    var byGroup = [];
    members.forEach(function (member, m) {
      if (!member.excluded) (byGroup[member.group] = byGroup[member.group] || []).push(m);
    });
    return { query: query, clauses: clauses, members: members, groups: byGroup, tokens: tokens };
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
    phraseShards(parsed).forEach(function (k) { waits.push(loadPositions(k)); });
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
    phraseShards(parsed).forEach(function (k) { ok = ok && !!positions[k]; });
    return ok;
  }

  /* The shards whose positions the phrases of a query need. */
  function phraseShards(parsed) {
    var out = new Set();
    parsed.members.forEach(function (member) {
      if (member.phrase) member.phrase.forEach(function (place) { out.add(shardOf(place.term)); });
    });
    return Array.from(out);
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

  /* Edit distance (insertions, deletions, substitutions and transpositions of
   * neighbours, each 1, as lunr's fuzzy terms count them), or max + 1 when above max. */
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var rows = [], i, j;
    for (i = 0; i <= a.length; i++) {
      rows.push(new Array(b.length + 1));
      rows[i][0] = i;
    }
    for (j = 0; j <= b.length; j++) rows[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      var best = max + 1;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
        rows[i][j] = v;
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
    }
    return Math.min(rows[a.length][b.length], max + 1);
  }

  /* How many documents have a term, in any field (the document frequency lunr's idf uses). */
  function frequency(term) {
    var post = posting(term), df = 0;
    if (post) for (var f = 0; f < post.length; f++) df += post[f].docs.length;
    return df;
  }

  /* Whether document d's text has a phrase's words (places: [{offset, term}]) next to each other, in order. */
  function hasPhrase(places, d) {
    var lists = places.map(function (place) { return positionsIn(place.term, d); });
    if (lists.some(function (list) { return !list; })) return false;
    var first = lists[0];
    for (var i = 0; i < first.length; i++) {
      var start = first[i] - places[0].offset, all = true;
      for (var p = 1; p < places.length && all; p++) all = contains(lists[p], start + places[p].offset);
      if (all) return true;
    }
    return false;
  }

  function contains(sorted, value) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] === value) return true;
      if (sorted[mid] < value) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  /* Scores every document as lunr's Index#query does, over the documents that
   * satisfy every group (and no excluded member). Returns documents and scores;
   * `tier` (or null) ranks the documents of fuzzy terms: those of the nearest and
   * most frequent expansion first, whatever their score. */
  function evaluate(parsed) {
    var n = manifest.documents, fields = manifest.fields;
    var matched = new Uint8Array(n), prohibited = new Uint8Array(n);
    var requiredHits = new Uint16Array(n), clauseMark = new Int32Array(n);
    var requiredClauses = 0, impossible = false;
    var queryVectors = fields.map(function () { return new Map(); });
    var seen = new Set();
    var matchedTerms = new Set();
    var positiveShards = new Set(), positiveTerms = new Set();
    var wholeTerms = true;  // every clause positive and over every field: results are the terms' documents
    var members = parsed.members, memberHits = members.map(function () { return new Uint8Array(n); });
    var dead = members.map(function () { return false; });
    var tier = null;

    parsed.clauses.forEach(function (c, ci) {
      var clause = c.clause, fieldIds = clause.fields.map(function (f) { return fields.indexOf(f); });
      var inMember = c.member >= 0;
      var clauseDocs = clause.presence === REQUIRED || inMember ? [] : null;
      if (clause.presence === PROHIBITED || c.excluded || fieldIds.length !== fields.length) wholeTerms = false;
      var fuzzy = null;  // per document, the rank of the best expansion it has
      for (var m = 0; m < c.terms.length; m++) {
        var expanded = expand(clause, c.terms[m]);
        if (expanded.length === 0 && clause.presence === REQUIRED) {
          impossible = true;
          break;
        }
        if (expanded.length === 0 && inMember) {
          dead[c.member] = true;
          break;
        }
        if (clause.editDistance && !c.excluded && clause.presence !== PROHIBITED) {
          var query = c.terms[m].term, max = clause.editDistance;
          var distances = new Map(expanded.map(function (x) { return [x, editDistance(query, x, max)]; }));
          expanded = expanded.slice().sort(function (a, b) {
            return distances.get(a) - distances.get(b) || frequency(b) - frequency(a) || (a < b ? -1 : 1);
          });
          fuzzy = new Int32Array(n).fill(expanded.length);
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
            if (fuzzy) for (i = 0; i < docs.length; i++) if (fuzzy[docs[i]] > e) fuzzy[docs[i]] = e;
            if (clause.presence === PROHIBITED) {
              for (i = 0; i < docs.length; i++) prohibited[docs[i]] = 1;
              continue;
            }
            if (c.excluded) continue;  // the words of -"...": they neither match nor score
            positiveShards.add(shardOf(term));
            positiveTerms.add(term);
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
      if (clauseDocs && clause.presence === REQUIRED) {
        requiredClauses++;
        for (var k = 0; k < clauseDocs.length; k++) requiredHits[clauseDocs[k]]++;
      }
      if (clauseDocs && inMember) {
        var hits = memberHits[c.member];
        for (var h = 0; h < clauseDocs.length; h++) hits[clauseDocs[h]]++;
      }
      if (fuzzy) {
        tier = tier || new Int32Array(n);
        for (var t = 0; t < n; t++) tier[t] += fuzzy[t];
      }
    });
    // A group none of whose members can match: nothing can.
    parsed.groups.forEach(function (group) {
      if (group.every(function (m) { return dead[m]; })) impossible = true;
    });

    var score = new Float64Array(n);
    var negated = parsed.clauses.length > 0 && parsed.clauses.every(function (c) {
      return c.clause.presence === PROHIBITED || c.excluded;
    });
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
    // A member is satisfied by a document that has all its clauses (and its phrase).
    var satisfies = function (m, d) {
      var member = members[m];
      return !dead[m] && memberHits[m][d] === member.clauses.length && (!member.phrase || hasPhrase(member.phrase, d));
    };
    var excluded = [];
    members.forEach(function (member, m) { if (member.excluded) excluded.push(m); });
    var docs = [];
    if (!impossible) {
      for (var d = 0; d < n; d++) {
        if (!((negated || matched[d]) && !prohibited[d] && requiredHits[d] === requiredClauses)) continue;
        var ok = true;
        for (var g = 0; g < parsed.groups.length && ok; g++) {
          var group = parsed.groups[g], any = false;
          for (var gm = 0; gm < group.length && !any; gm++) any = satisfies(group[gm], d);
          ok = any;
        }
        for (var x = 0; x < excluded.length && ok; x++) ok = !satisfies(excluded[x], d);
        if (ok) docs.push(d);
      }
    }
    return { docs: docs, score: score, ranked: !negated, terms: matchedTerms, tier: negated ? null : tier,
             shards: negated ? null : Array.from(positiveShards),
             positiveTerms: negated ? null : Array.from(positiveTerms),
             // The one term whose documents are the results: its count table serves.
             single: !negated && !impossible && wholeTerms && positiveTerms.size === 1
               ? positiveTerms.values().next().value : null };
  }

  // -- suggestions ------------------------------------------------------------------
  /* File w: every term of the language in two documents or more, its document
   * frequency (as lunr's idf counts it), and the word it is shown as (the commonest word of the texts
   * and names that gives it): "" for the term itself, a suffix to add to it,
   * or "=" and the word. Loaded only to suggest words for a query that found
   * (almost) nothing. */
  var SUGGEST_BELOW = 3;  // a word of the query in fewer documents than this may be a typo
  var WORD_SEPARATOR = /([\s\-'\u2019]+)/;  // as search-pipeline.js cuts words, kept

  function loadSuggestions() {
    if (suggestions) return Promise.resolve(suggestions);
    return load("w").then(function (value) {
      if (suggestions) return suggestions;
      var terms = value[0], reader = new codec.Reader(value[1]), df = new Uint32Array(terms.length);
      for (var i = 0; i < terms.length; i++) df[i] = reader.int();
      return (suggestions = { terms: terms, df: df, shown: value[2] });
    });
  }

  function shownAs(i) {
    var shown = suggestions.shown[i];
    return shown.charAt(0) === "=" ? shown.slice(1) : suggestions.terms[i] + shown;
  }

  /* The terms nearest to a term (edit distance 1, or 2 for terms of five
   * letters or more) that more documents have than it: those at the smallest
   * distance, the most frequent first, at most `max`. */
  function nearest(term, own, max) {
    var limit = term.length <= 4 ? 1 : 2, terms = suggestions.terms, df = suggestions.df, found = [];
    for (var i = 0; i < terms.length; i++) {
      if (df[i] <= own || terms[i] === term) continue;
      var distance = editDistance(term, terms[i], limit);
      if (distance <= limit) found.push({ i: i, distance: distance });
    }
    found.sort(function (a, b) {
      return a.distance - b.distance || df[b.i] - df[a.i] || (terms[a.i] < terms[b.i] ? -1 : 1);
    });
    // The nearest only: a farther term is no better guess, however frequent.
    return found.filter(function (f) { return f.distance === found[0].distance; }).slice(0, max)
      .map(function (f) { return f.i; });
  }

  /* Replaces words of a text cut as the pipeline cuts it: pieces maps a word's index to its new word. */
  function replaceWords(text, pieces) {
    var parts = text.split(WORD_SEPARATOR), w = 0;
    for (var i = 0; i < parts.length; i += 2) {
      if (!parts[i]) continue;
      if (pieces.has(w)) parts[i] = pieces.get(w);
      w++;
    }
    return w === 0 ? null : parts.join("");
  }

  /* The query with some clauses' words replaced (null if one cannot be put back). */
  function rewrite(parsed, replace) {
    var byToken = new Map(), failed = false;
    parsed.clauses.forEach(function (c) {
      if (!replace.has(c)) return;
      if (!byToken.has(c.token)) byToken.set(c.token, { pieces: new Map(), count: c.pieces });
      byToken.get(c.token).pieces.set(c.piece, replace.get(c));
    });
    var out = parsed.tokens.map(function (token, ti) {
      var change = byToken.get(ti);
      if (token.type === "or") return "OR";
      if (token.type === "phrase") {
        var text = change ? replaceWords(token.text, change.pieces) : token.text;
        if (text === null) failed = true;
        return token.sign + "\"" + text + "\"";
      }
      if (!change) return token.raw;
      // Sign and field, the words, then lunr's ~N and ^N.
      var parts = /^([+-]?(?:[^\s:]+:)?)(.*?)((?:[~^]\d*)*)$/.exec(token.raw);
      var words = parts[2].split(WORD_SEPARATOR).filter(function (part, i) { return i % 2 === 0 && part; });
      if (words.length !== change.count) {
        failed = true;
        return token.raw;
      }
      return parts[1] + replaceWords(parts[2], change.pieces) + parts[3];
    });
    return failed ? null : out.join(" ");
  }

  /* Up to `max` queries like this one with its unknown or rare words (in
   * fewer than SUGGEST_BELOW documents) replaced by the nearest terms of the
   * index: for the first such word its `max` nearest, for the others the
   * nearest. Resolves to [] when no word of the query looks mistyped. */
  function suggest(queryString, max) {
    var parsed = parse(String(queryString || "")), limit = max || 3;
    var rare = [];
    return prepare(parsed).then(function () {
      parsed.clauses.forEach(function (c) {
        var required = c.member >= 0 || c.clause.presence === REQUIRED;  // by default, or by lunr's +
        if (!required || c.excluded || c.terms.length !== 1 || c.clause.editDistance) return;
        if (c.terms[0].kind === "exact" && frequency(c.terms[0].term) < SUGGEST_BELOW) rare.push(c);
      });
      // No word to replace: the suggestions' file is not needed.
      return rare.length ? loadSuggestions() : null;
    }).then(function () {
      var weak = [];
      rare.forEach(function (c) {
        var term = c.terms[0].term, found = nearest(term, frequency(term), limit);
        if (found.length) weak.push({ c: c, found: found });
      });
      var out = [];
      for (var k = 0; weak.length && k < weak[0].found.length; k++) {
        var replace = new Map();
        weak.forEach(function (w, i) { replace.set(w.c, shownAs(w.found[i === 0 ? k : 0])); });
        var query = rewrite(parsed, replace);
        if (query !== null && out.indexOf(query) < 0) out.push(query);
      }
      return out;
    });
  }

  // -- facets -------------------------------------------------------------------
  function loadCore() {
    if (core) return Promise.resolve(core);
    return loadShared("c").then(function (value) {
      if (core) return core;
      var review = new Uint32Array(manifest.documents), reviews = value.reviews;
      for (var r = 0; r < reviews.length; r++) {
        var end = r + 1 < reviews.length ? reviews[r + 1][0] : manifest.documents;
        review.fill(r, reviews[r][0], end);
      }
      core = { reviews: reviews, review: review, region: value.region, cycle: value.cycle, values: value.values,
               totals: value.totals, listChars: value.listChars };
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
    return loadCore().then(function () {
      if (core.values[facet].indexOf(value) < 0) return (lists[key] = new Int32Array(0));
      return loadShared("l-" + facet + "-" + value).then(function (text) {
        return (lists[key] = lists[key] || codec.decodeIds(text));
      });
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
    return !!core && LIST_FACETS.every(function (facet) {
      return core.values[facet].every(function (value) { return !!lists[facet + "/" + value]; });
    });
  }

  /* A count table as {facet: {value: count}} over the list facets. */
  function readTable(reader) {
    var table = {};
    LIST_FACETS.forEach(function (facet) {
      var values = core.values[facet], counts = {}, filled = reader.int(), last = -1;
      for (var i = 0; i < filled; i++) {
        last = last + 1 + reader.int();
        counts[values[last]] = reader.int();
      }
      table[facet] = counts;
    });
    return table;
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

  /* Shard k's facet counts: each term's table, or its documents' records. */
  function loadTermCounts(k) {
    if (recordShards[k]) return Promise.resolve();
    return Promise.all([loadShard(k), load("r" + k), loadCore()]).then(function (loaded) {
      if (recordShards[k]) return;
      var shard = loaded[0], reader = new codec.Reader(loaded[1]);
      shard.forEach(function (fields, term) {
        if (fields.table) {
          termTables.set(term, readTable(reader));
          return;
        }
        var union = new Set();
        fields.forEach(function (field) { field.docs.forEach(function (d) { union.add(d); }); });
        Int32Array.from(union).sort().forEach(function (d) { readRecord(reader, d); });
      });
      recordShards[k] = true;
    });
  }

  function loadValueTable(facet, value) {
    var key = facet + "/" + value;
    if (valueTables[key]) return Promise.resolve();
    return loadCore().then(function () {
      if (core.values[facet].indexOf(value) < 0) return (valueTables[key] = readTable(new codec.Reader("AAAA")));
      return loadShared("x-" + facet + "-" + value).then(function (text) {
        valueTables[key] = valueTables[key] || readTable(new codec.Reader(text));
      });
    });
  }

  /* The one selected facet of a search by facets alone (null otherwise). */
  function soleFacet(results) {
    if (results.text) return null;
    var active = FACETS.filter(function (facet) { return results.filters[facet]; });
    return active.length === 1 ? active[0] : null;
  }

  /* Where the counts of these results can come from, cheapest first:
   * "none" (no results), "term" (the count table of the one term the results
   * are the documents of), "value" (the count table of the one facet value
   * selected), "records" (the records of the query's terms, when all are
   * rare and their records cost less than every list) or "lists". */
  function countSource(results) {
    if (results.base.length === 0) return "none";
    var filtered = FACETS.some(function (facet) { return results.filters[facet]; });
    if (results.single && !filtered) {
      var fields = posting(results.single);
      if (fields && fields.table) return "term";
    }
    if (soleFacet(results)) return "value";
    if (results.shards && results.positiveTerms.every(function (term) { return !posting(term).table; })) {
      var chars = 0;
      results.shards.forEach(function (k) { if (!recordShards[k]) chars += manifest.recordChars[k]; });
      if (core && allListsLoaded()) return "lists";
      if (!core || chars < core.listChars) return "records";
    }
    return "lists";
  }

  /* Loads what the counts of these results need. `how` ("terms" or "lists")
   * forces the source, for tests that compare the two. */
  function prepareCounts(results, how) {
    if (results.base.length === 0) return Promise.resolve([]);  // every count is 0: nothing to load
    return loadCore().then(function () {
      var source = sourceFor(results, how), waits = [];
      if (source === "term") waits.push(loadTermCounts(shardOf(results.single)));
      else if (source === "records") results.shards.forEach(function (k) { waits.push(loadTermCounts(k)); });
      else if (source === "value") {
        var facet = soleFacet(results);
        waits.push(loadValueTable(facet, results.filters[facet]));
      } else if (source === "lists") {
        LIST_FACETS.forEach(function (facet) {
          core.values[facet].forEach(function (value) { waits.push(loadList(facet, value)); });
        });
      }
      return Promise.all(waits);
    });
  }

  function sourceFor(results, how) {
    var source = countSource(results);
    if (how === "lists" && source !== "none") return "lists";
    if (how === "terms" && source === "lists" && results.shards &&
        results.positiveTerms.every(function (term) { return !posting(term).table; })) {
      return "records";
    }
    return source;
  }

  function sourceReady(results, source) {
    if (source === "none") return true;
    if (!core) return false;
    if (source === "term") return termTables.has(results.single);
    if (source === "records") return results.shards.every(function (k) { return recordShards[k]; });
    if (source === "value") {
      var facet = soleFacet(results);
      return !!valueTables[facet + "/" + results.filters[facet]];
    }
    return allListsLoaded();
  }

  function countsReady(results) {
    return sourceReady(results, sourceFor(results));
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
  function counts(results, how) {
    var base = results.base, fail = results.fail, source = sourceFor(results, how);
    if (!sourceReady(results, source)) throw new Error("facet counts asked before they were prepared");
    var out = {};
    FACETS.forEach(function (facet) { out[facet] = {}; });
    if (source === "none") return out;  // no value counted: 0 for each
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
    LIST_FACETS.forEach(function (facet) {
      core.values[facet].forEach(function (value) { out[facet][value] = 0; });
    });
    if (source === "term" || source === "value") {
      var sole = soleFacet(results);
      var from = source === "term" ? termTables.get(results.single) : valueTables[sole + "/" + results.filters[sole]];
      LIST_FACETS.forEach(function (facet) {
        if (facet === sole) {
          // The only facet selected, with no words: its counts are over every document.
          core.values[facet].forEach(function (value, i) { out[facet][value] = core.totals[facet][i]; });
        } else {
          Object.keys(from[facet]).forEach(function (value) { out[facet][value] = from[facet][value]; });
        }
      });
    } else if (source === "records") {
      countRecords(base, fail, out);
    } else if (source === "lists") {
      LIST_FACETS.forEach(function (facet) {
        var own = FACETS.indexOf(facet) + 1;
        core.values[facet].forEach(function (value) {
          var list = lists[facet + "/" + value], count = 0;
          for (var i = 0; i < list.length; i++) {
            var state = fail[list[i]];
            if (state === 0 || state === own) count++;
          }
          out[facet][value] = count;
        });
      });
    }
    return out;
  }

  /* The recommending State, theme, response and action counts, from the results' facet records. */
  function countRecords(base, fail, out) {
    var values = core.values, own = {};
    LIST_FACETS.forEach(function (facet) { own[facet] = FACETS.indexOf(facet) + 1; });
    var counting = function (facet, state) {
      return state === 0 || state === own[facet];
    };
    for (var b = 0; b < base.length; b++) {
      var d = base[b], state = fail[d], code = records.code[d], i;
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
  var ORDERS = ["relevance", "newest", "oldest"];

  function Results(queryString, filters, order) {
    var text = String(queryString || "").trim();
    var evaluated;
    if (text) {
      evaluated = evaluate(parse(text));
    } else {
      var all = new Array(manifest.documents);
      for (var d = 0; d < all.length; d++) all[d] = d;
      evaluated = { docs: all, score: null, ranked: false, terms: new Set(), shards: null, positiveTerms: null,
                    single: null, tier: null };
    }
    this.base = evaluated.docs;
    this.fail = failures(this.base, filters);
    var fail = this.fail;
    this.docs = this.base.filter(function (d) { return fail[d] === 0; });
    this.score = evaluated.score;
    this.tier = evaluated.tier;
    this.order = ORDERS.indexOf(order) > 0 ? order : "relevance";
    // By session: the documents are numbered newest session first, so in id order
    // already; oldest first takes the sessions backwards, each in id order.
    this.ranked = evaluated.ranked && this.order === "relevance";
    if (this.order === "oldest") this.docs = oldestFirst(this.docs);
    this.terms = evaluated.terms;
    this.shards = evaluated.shards;  // whose facet counts cover every result (null: none do)
    this.positiveTerms = evaluated.positiveTerms;
    this.single = evaluated.single;
    this.text = text;
    this.filters = filters;
    this.total = this.docs.length;
    this._sorted = 0;
  }

  /* Ascending ids (newest session first) -> oldest session first, each session in id order. */
  function oldestFirst(docs) {
    var out = new Array(docs.length), at = 0, end = docs.length;
    while (end > 0) {
      var session = core.reviews[core.review[docs[end - 1]]][1], start = end - 1;
      while (start > 0 && core.reviews[core.review[docs[start - 1]]][1] === session) start--;
      for (var i = start; i < end; i++) out[at++] = docs[i];
      end = start;
    }
    return out;
  }

  /* Documents first..first+count-1 in rank order (fuzzy tier, score, then
   * document id), or in the order of sessions asked for. */
  Results.prototype.slice = function (first, count) {
    var want = Math.min(this.total, first + count);
    if (this.ranked && want > this._sorted) {
      var score = this.score, tier = this.tier;
      var byRank = tier
        ? function (a, b) { return tier[a] - tier[b] || score[b] - score[a] || a - b; }
        : function (a, b) { return score[b] - score[a] || a - b; };
      if (want * 4 < this.total && !tier) {
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

  function prepareQuery(queryString, filters, order) {
    var text = String(queryString || "").trim();
    var waits = [prepareFilters(filters || {})];
    if (text) waits.push(prepare(parse(text)));
    if (order === "oldest") waits.push(loadCore());
    return Promise.all(waits);
  }

  function queryReady(queryString, filters, order) {
    var text = String(queryString || "").trim();
    return filtersReady(filters || {}) && (!text || isPrepared(parse(text))) && (order !== "oldest" || !!core);
  }

  function search(queryString, filters, order) {
    return prepareQuery(queryString, filters, order).then(function () {
      return new Results(queryString, filters || {}, order);
    });
  }

  /* Deflated bytes in base64 -> the text they hold: with the browser's
   * DecompressionStream (which works from file:// too), or where there is
   * none with the codec's own inflater. */
  function inflate(base64) {
    var binary = atob(base64), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    if (typeof DecompressionStream !== "function") {
      return Promise.resolve(new TextDecoder().decode(codec.inflate(bytes)));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text();
  }

  /* A details row in the page's language: [State under Review, session,
   * anchor, text, the text's language if it is a fallback ("" if not),
   * recommending States, response, action, the page of its review's page it is on]. */
  function inLanguage(row) {
    var texts = row[3], chosen = null, i, j;
    for (i = 0; i < texts.length && !chosen; i++) if (texts[i][0] === manifest.language) chosen = texts[i];
    for (j = 0; j < manifest.fallbacks.length && !chosen; j++) {
      for (i = 0; i < texts.length && !chosen; i++) if (texts[i][0] === manifest.fallbacks[j]) chosen = texts[i];
    }
    chosen = chosen || texts[0];
    return [row[0], row[1], "r-" + row[1] + "-" + row[0] + "-" + row[2], chosen[1],
            chosen[0] === manifest.language ? "" : chosen[0], row[4], row[5], row[6], row[7] || 1];
  }

  /* The details rows of documents (see inLanguage), loading the files they are in. */
  function loadDetails(ids) {
    var chunks = new Set();
    ids.forEach(function (d) { if (!details[d]) chunks.add(Math.floor(d / manifest.chunk)); });
    return Promise.all(Array.from(chunks).map(function (k) {
      return loadShared("d" + k).then(inflate).then(function (text) {
        var rows = JSON.parse(text);
        for (var i = 0; i < rows.length; i++) details[k * manifest.chunk + i] = inLanguage(rows[i]);
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
    ORDERS: ORDERS,
    results: function (queryString, filters, order) { return new Results(queryString, filters || {}, order); },
    suggest: suggest,
    prepareCounts: prepareCounts,
    countsReady: countsReady,
    countSource: sourceFor,
    counts: counts,
    loadDetails: loadDetails,
    highlight: highlight
  };
});
