"""Search over every recommendation, in each language of the site.

The index is split so that a query loads only what it needs: `documents`
turns the model into search documents, `indexer.js` (Node, with the same
lunr.js pipeline as the search page) turns them into term shards, result
details, facet lists and counts, and `build` runs it alongside the rest of
the build and writes its files into the site beside the lunr.js files the
page loads. The search page itself is a view
(`kinds.search`) with its scripts in `static/search*.js`.
"""

from .build import SearchBuild, SearchBuildError, search_folders

__all__ = ["SearchBuild", "SearchBuildError", "search_folders"]
