"""Regular expressions compiled on first use: a release is one language, so the other's patterns never are."""
from __future__ import annotations

import re

_METHODS = ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """Stands for re.compile(pattern, flags); compiles when first used, then calls go straight to the
    compiled pattern's methods. The summarizer holds about ninety patterns, half of them for the language a
    release is not in, and compiling them all took about a tenth of a one-release run."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str):
        compiled = re.compile(*self._source)
        self.__dict__.update({m: getattr(compiled, m) for m in _METHODS})
        self.__dict__["pattern"] = compiled.pattern
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
