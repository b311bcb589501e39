"""One compiled regular expression that finds any of many names, longest first.

A regex alternation of thousands of names is slow and picks the first alternative that
matches, not the longest. A trie compiled into nested groups shares prefixes, and making each
continuation a greedy optional group makes the engine prefer the longest name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def trie_pattern(words: Iterable[str]) -> str:
    """A regex source that matches exactly the given strings, preferring longer ones.

    >>> import re
    >>> rx = re.compile(trie_pattern(["Guinea", "Guinea-Bissau", "Ghana"]))
    >>> rx.match("Guinea-Bissau").group()
    'Guinea-Bissau'
    """
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _compile_node(trie)


def _char(char: str) -> str:
    """A space matches any run of white space ("Papua\\nNew  Guinea"), a hyphen may be
    followed by one ("Guinea- Bissau", as line breaks leave it)."""
    if char == " ":
        return r"\s+"
    if char == "-":
        return r"-\s?"
    return re.escape(char)


def _compile_node(node: dict) -> str:
    ends_here = _END in node
    branches = [_char(char) + _compile_node(child) for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return "(?:" + body + ")?"
    return body
