"""Write a synthetic NIBRS 2019.1 flat file: the command line of harbour.screening.synthetic
(which `harbour demo` uses too), kept here beside the benchmarks that use it.

    .venv/bin/python bench/nibrs_generate.py --incidents 1000000 --out FILE [--seed N]
"""

import sys

from harbour.screening.synthetic import generate, main

__all__ = ["generate", "main"]

if __name__ == "__main__":
    sys.exit(main())
