"""Incremental reuse: what a build can take from the last one instead of making it again.

A build is a pure function of its inputs, and most builds follow a small
edit, so everything here answers one question, "is this already made?",
and never changes what a build writes: a build with the cache is byte for
byte a build without it. `fingerprint` digests the inputs: the stamp of
every input file (nothing changed at all: nothing to do), the code, and the
versions of what shapes the output (every cache folder is named after
them). `cache` keeps work by the hash of what it was made from (parsed
files, compiled templates; the downloads' pieces and the search entries use
it too), sealed so that a damaged entry is made again. `manifest` is the
record of the last build into an output folder: each file's size and
modification time, and the key of each keyed file (pages, data files,
search files). `plan.Reuse` is the one decision, for each such file: reuse
the published one (same key, file as recorded) or produce it; the page
writer, the data files and the search indexer all ask it, and it records
the new keys for the next build. `tree` links the published files into the
new site's staging folder ahead of the build (from the spare, the site
replaced last time, when there is one), so that a reused file costs nothing.
"""

from . import fingerprint
from .cache import NoCache, ParseCache, cache_root, digest, seal, unseal, versioned
from .manifest import BuildManifest
from .plan import Reuse

__all__ = [
    "BuildManifest",
    "NoCache",
    "ParseCache",
    "Reuse",
    "cache_root",
    "digest",
    "fingerprint",
    "seal",
    "unseal",
    "versioned",
]
