"""Data shown as text: escape what Streamlit's Markdown, plotly's pseudo-HTML and matplotlib's mathtext interpret.

Names, statements and file names come from uploaded files. Streamlit renders titles, captions, alerts, metric
and expander labels and tooltips as Markdown with its own extensions (images and links, `:red[…]` directives,
`$…$` LaTeX, emoji and icon shortcodes, `->`-style typography), so a centre named
`![x](http://host/track.png)` would make every visitor's browser fetch that address. Every value from the
data goes through `md` before it meets Markdown, through `plot` before it meets a plotly string and through
`mpl` before it meets a matplotlib label.
"""
from __future__ import annotations

import html
import re

# U+2060 WORD JOINER: invisible, not a word character, so it breaks patterns that Streamlit replaces
# in already-parsed text (where a backslash escape no longer exists).
WORD_JOINER = "\u2060"
# Every ASCII punctuation character: CommonMark lets a backslash make any of them literal, which also
# defeats Streamlit's `:directive[…]`, `$math$`, raw HTML, entities and GFM autolinks.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# A colon that opens an emoji (`:smile:`, `:+1:`), icon (`:material/…:`) or `:streamlit:` shortcode.
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+/-]+:)")
# Streamlit's typographic replacements of whole words: <-> -> <- -- >= <= ~=
_TYPOGRAPHY = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")
# GFM autolink literals, found in parsed text: `http://…`, `https://…`, `www.…` and `name@host.tld`.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www)(?=\.))|(?=@)")


def _text(value) -> str:
    return "" if value is None else str(value)


def md(value) -> str:
    """`value` as Markdown that Streamlit shows literally, on one line (line breaks become spaces)."""
    text = " ".join(_text(value).split())
    text = _TYPOGRAPHY.sub(lambda m: m.group(0)[0] + WORD_JOINER + m.group(0)[1:], text)
    text = _SHORTCODE.sub(":" + WORD_JOINER, text)
    text = _AUTOLINK.sub(WORD_JOINER, text)
    return _PUNCTUATION.sub(r"\\\1", text)


def plot(value) -> str:
    """`value` for a plotly text, label, legend or title: its `<`, `>` and `&` as entities, shown literally."""
    return html.escape(_text(value), quote=False)


def mpl(value) -> str:
    """`value` for a matplotlib label or title: a `$` no longer starts mathtext."""
    return _text(value).replace("$", r"\$")
