/* Text processing for search, shared word for word by the index build (Node)
 * and the search page (browser), so that the terms the index stores are
 * exactly the terms a query produces.
 *
 * lunr.js and lunr-languages do the work (trimmer, stop words, stemmer); this
 * file only decides the order and adds two things lunr lacks: apostrophes
 * split words (French elision: "l'accès" -> "l", "accès"), and accents are
 * folded ("éducation" finds "education"). Folding runs before the stemmer,
 * because stemmers treat accented letters differently (lunr's English
 * trimmer even strips them), and once more after it.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory;
  } else {
    root.UPRSearchPipeline = factory;
  }
})(this, function (lunr, language) {
  "use strict";

  // lunr splits on white space and hyphens; apostrophes are added.
  var SEPARATOR = /[\s\-'\u2019]+/;
  var APOSTROPHES = /['\u2019]/g;
  var COMBINING = /[\u0300-\u036f]/g;

  function foldString(text) {
    return text.normalize("NFD").replace(COMBINING, "").normalize("NFC");
  }

  var fold = lunr.Pipeline.registeredFunctions["uprFold"];
  if (!fold) {
    fold = function (token) {
      return token.update(foldString);
    };
    lunr.Pipeline.registerFunction(fold, "uprFold");
  }
  lunr.tokenizer.separator = SEPARATOR;

  var builder = new lunr.Builder();
  var index = builder.pipeline;
  var search = builder.searchPipeline;
  if (language === "en") {
    // lunr's defaults (trimmer, stop words, stemmer; stemmer at query time),
    // with folding first: the English trimmer drops non-ASCII letters.
    index.add(fold, lunr.trimmer, lunr.stopWordFilter, lunr.stemmer, fold);
    search.add(fold, lunr.trimmer, lunr.stemmer, fold);
  } else {
    var lang = lunr[language];
    if (!lang) {
      throw new Error("lunr-languages for '" + language + "' is not loaded");
    }
    builder.use(lang);
    index.before(lang.stemmer, fold);
    index.add(fold);
    search.before(lang.stemmer, fold);
    search.add(fold);
  }

  /* Words of a text as lunr tokenises them (lower case, split on the
   * separator): the same as lunr.tokenizer, without its per-character loop. */
  function words(text) {
    if (text == null) return [];
    var parts = String(text).toLowerCase().split(SEPARATOR);
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].length > 0) out.push(parts[i]);
    }
    return out;
  }

  /* Index terms of one word (none for a stop word), cached: texts repeat words. */
  var cache = new Map();
  function termsOfWord(word) {
    var terms = cache.get(word);
    if (terms === undefined) {
      terms = index.run([new lunr.Token(word, {})]).map(String);
      cache.set(word, terms);
    }
    return terms;
  }

  /* A query string made ready for lunr's parser, whose lexer splits only on
   * white space and hyphens: apostrophes become spaces and accents are
   * folded (so wildcard terms, which skip the pipeline, are folded too). */
  function normaliseQuery(query) {
    return foldString(String(query).replace(APOSTROPHES, " "));
  }

  return {
    language: language,
    indexPipeline: index,
    searchPipeline: search,
    words: words,
    termsOfWord: termsOfWord,
    normaliseQuery: normaliseQuery,
    foldString: foldString
  };
});
