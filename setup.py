"""Build hook for the optional compiled parser.

``pip install .`` gives a pure-Python package, which is what development and
the test suite run. With ``SITREP_COMPILE=1`` the parser's modules are compiled
to C extensions with mypyc (the type annotations that ``mypy --strict`` checks
become native types); the parser then reads about twice as many articles per
second (``make bench``; docs/measurements.md). Everything else in
``pyproject.toml``.
"""

import os

from setuptools import setup

# The modules an article passes through, sentence by sentence. The fold, the
# schemas and the services stay interpreted: they are not where the time goes.
PARSER_MODULES = [
    f"domain/{name}.py"
    for name in [
        "actions",
        "actors",
        "attribution",
        "distance",
        "events",
        "gazetteer",
        "lexicon",
        "mentions",
        "modality",
        "parser",
        "places",
        "reading",
        "sentences",
        "timeexpr",
        "tokens",
        "triggers",
    ]
]

ext_modules = []
if os.environ.get("SITREP_COMPILE") == "1":
    from mypyc.build import mypycify

    ext_modules = mypycify(PARSER_MODULES, opt_level="3")

setup(ext_modules=ext_modules)
