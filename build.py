#!/usr/bin/env python3
"""Entry point: `python build.py` builds content/ into site/; see --help."""

import sys

from uprsite.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
