"""Citations that read as (Author, year) everywhere, with references.bib as their one source.

The book's pages cite as a reader sees a citation, linked to the work's entry in references.bib:

    textual:        [Nielsen (2015)](../references.bib#nielsen2015) builds a network ...
    parenthetical:  ... a tower ([Nielsen, 2015](../references.bib#nielsen2015)).
    several works:  ... ([Cybenko, 1989](../references.bib#cybenko1989); [Hornik, 1991](../references.bib#hornik1991))

JupyterLab, Colab and VS Code show the words, and the link opens the BibTeX entries (the bibliography page of the
HTML book is a directive there, with nothing to read). (A MyST {cite} role would show its bare key in JupyterLab:
jupyterlab-myst 2.7.0 cannot read a .bib file.) The words must be what references.bib gives (format_citation),
so the two never drift apart:
- in the book build this module is a Sphinx extension: it turns each citation back into {cite:t}`key` or
  {cite:p}`key1,key2` before the page is parsed, so sphinxcontrib-bibtex links the citation and lists the work,
  and it registers the referencing style `author_year_round`, which writes "(Nielsen, 2015)" as here; a citation
  whose words differ from references.bib, or a link to an entry in neither form, is a build warning
  (an error under -W);
- the student edition (tools/make_student.py) keeps the words and drops the link (it is published without
  references.bib), with the same check.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

# A link to one entry of references.bib, from a chapter (../references.bib) or a page beside it.
_LINK = r"\[(?P<{n}text>[^\[\]]+)\]\((?:\.\./)*references\.bib#(?P<{n}key>[\w:.-]+)\)"
LINK = re.compile(_LINK.format(n=""))
ANY_ENTRY_LINK = re.compile(r"\]\((?:\.\./)*references\.bib#")
# In prose: a code span (left alone), a parenthetical group of one or more citations, or a textual citation.
_TOKENS = re.compile(
    r"(?P<code>(?P<ticks>`+)[^`].*?(?P=ticks))"
    r"|(?P<group>\((?:" + _LINK.format(n="_") + r")(?:; " + _LINK.format(n="__") + r")*\))"
    r"|(?P<link>" + _LINK.format(n="t") + r")",
    re.DOTALL,
)
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>[^\n]*)$")


def _prose(text):
    """(start, end) offsets of the prose of a markdown text: all but fenced code blocks and fence lines. A MyST
    directive's fence (```{exercise}, :::{hint}) is not code: its body is prose too."""
    spans, fences, offset, start = [], [], 0, 0
    for line in text.splitlines(keepends=True):
        fence = _FENCE.match(line.rstrip("\n"))
        in_code = bool(fences) and fences[-1][1] == "code"
        if fence:
            mark, info = fence.group("fence"), fence.group("info").strip()
            if fences and not info and mark[0] == fences[-1][0][0] and len(mark) >= len(fences[-1][0]):
                fences.pop()
            elif info.startswith("{") and not in_code:
                fences.append((mark, "directive"))
            elif mark[0] in "`~" and not in_code:
                fences.append((mark, "code"))
        if fence or in_code:
            spans.append((start, offset))
            start = offset + len(line)
        offset += len(line)
    spans.append((start, offset))
    return [(a, b) for a, b in spans if b > a]


class CitationError(ValueError):
    """A citation whose words are not what references.bib gives, or that is in neither citation form."""


def _latex_to_text(text):
    """Strip BibTeX braces and the common accent commands from a name or title."""
    text = re.sub(r"\\[`'^\"~=.uvHckr]\s*\{?(\w)\}?", r"\1", text)
    return re.sub(r"[{}]", "", text).strip()


def load_bibliography(path):
    """Read a .bib file; return {key: (authors, year)} with authors as cited: 'Nielsen', 'Glorot and Bengio',
    'Goodfellow et al.' (as sphinxcontrib-bibtex's author-year style writes them). Uses pybtex (installed with
    sphinxcontrib-bibtex)."""
    from pybtex.database import parse_file

    data = parse_file(str(path), bib_format="bibtex")
    entries = {}
    for key, entry in data.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [_latex_to_text(" ".join(person.prelast_names + person.last_names)) for person in people]
        if not last:
            authors = _latex_to_text(entry.fields.get("title", key))
        elif len(last) == 1:
            authors = last[0]
        elif len(last) == 2:
            authors = f"{last[0]} and {last[1]}"
        else:
            authors = f"{last[0]} et al."
        entries[key] = (authors, _latex_to_text(entry.fields.get("year", "n.d.")))
    return entries


def _entry(key, bibliography, where):
    if key not in bibliography:
        raise CitationError(f"{where}: citation {key!r} is not in the bibliography")
    return bibliography[key]


def format_citation(keys, bibliography, kind="p", where="cell"):
    """'(Cybenko, 1989; Hornik, 1991)' for kind 'p', 'Cybenko (1989) and Hornik (1991)' for kind 't'."""
    cited = [_entry(key.strip(), bibliography, where) for key in keys.split(",")]
    if kind == "t":
        return " and ".join(f"{authors} ({year})" for authors, year in cited)
    return "(" + "; ".join(f"{authors}, {year}" for authors, year in cited) + ")"


@dataclass
class Citation:
    """One citation found in markdown: its kind ('t' or 'p'), keys, the words shown, and where it is."""

    kind: str
    keys: list = field(default_factory=list)
    words: str = ""
    start: int = 0
    end: int = 0


def find_citations(text, bibliography, where="cell"):
    """The citations of one markdown text, in order, each checked against the bibliography (CitationError if its
    words differ from what references.bib gives, or if a link to an entry is in neither form)."""
    found, gaps = [], []
    for start, end in _prose(text):
        position = start
        for token in _TOKENS.finditer(text, start, end):
            gaps.append(text[position:token.start()])
            position = token.end()
            if token.group("group"):
                links = list(LINK.finditer(token.group("group")))
                keys = [link.group("key") for link in links]
                words, kind = "(" + "; ".join(link.group("text") for link in links) + ")", "p"
            elif token.group("link"):
                keys, words, kind = [token.group("tkey")], token.group("ttext"), "t"
            else:
                continue  # a code span
            expected = format_citation(",".join(keys), bibliography, kind, where)
            if words != expected:
                shape = "(Author, year)" if kind == "p" else "Author (year)"
                raise CitationError(f"{where}: the citation of {', '.join(keys)} reads {words!r}, but "
                                    f"references.bib gives {expected!r} (a citation reads {shape})")
            found.append(Citation(kind, keys, words, token.start(), token.end()))
        gaps.append(text[position:end])
    if ANY_ENTRY_LINK.search("".join(gaps)):
        raise CitationError(f"{where}: a link to an entry of references.bib that is not a citation: write "
                            "[Author (year)](references.bib#key) or ([Author, year](references.bib#key))")
    return found


def replace_citations(text, replacement, bibliography, where="cell"):
    """`text` with each citation c replaced by replacement(c)."""
    out, position = [], 0
    for citation in find_citations(text, bibliography, where):
        out += [text[position:citation.start], replacement(citation)]
        position = citation.end
    return "".join(out) + text[position:]


def as_roles(text, bibliography, where="cell"):
    """The MyST roles sphinxcontrib-bibtex reads: {cite:t}`key` and {cite:p}`key1,key2`."""
    return replace_citations(text, lambda c: f"{{cite:{c.kind}}}`{','.join(c.keys)}`", bibliography, where)


def as_words(text, bibliography, where="cell"):
    """The words alone, without the link (for the student edition, published without references.bib)."""
    return replace_citations(text, lambda c: c.words, bibliography, where)


# --- Sphinx extension --------------------------------------------------------------------------------------------

def _bibliography(app):
    entries = {}
    for name in app.config.bibtex_bibfiles:
        entries.update(load_bibliography(Path(app.srcdir) / name))
    return entries


def _source_read(app, docname, source):
    from sphinx.util import logging

    if "references.bib#" not in source[0]:
        return
    bibliography = _bibliography(app)
    try:
        if str(app.env.doc2path(docname)).endswith(".ipynb"):
            notebook = json.loads(source[0])
            for index, cell in enumerate(notebook["cells"]):
                if cell["cell_type"] == "markdown":
                    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                    cell["source"] = as_roles(text, bibliography, f"cell {index}")
            source[0] = json.dumps(notebook, indent=1, ensure_ascii=False)
        else:
            source[0] = as_roles(source[0], bibliography)
    except CitationError as error:
        logging.getLogger(__name__).warning(str(error), location=docname)


def _round_brackets_style():
    from sphinxcontrib.bibtex.plugin import register_plugin
    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def round_brackets():
        return BracketStyle(left="(", right=")")

    def works_in_round_brackets():  # as format_citation writes several works: (Cybenko, 1989; Hornik, 1991)
        return BracketStyle(left="(", right=")", sep="; ")

    def textual_works():  # Cybenko (1989) and Hornik (1991)
        return BracketStyle(left="(", right=")", sep=" and ")

    @dataclass
    class AuthorYearRoundReferenceStyle(AuthorYearReferenceStyle):
        """sphinxcontrib-bibtex's author_year with round brackets, in format_citation's words: (Nielsen, 2015),
        Nielsen (2015), (Cybenko, 1989; Hornik, 1991)."""

        bracket_parenthetical: BracketStyle = field(default_factory=works_in_round_brackets)
        bracket_textual: BracketStyle = field(default_factory=textual_works)
        bracket_author: BracketStyle = field(default_factory=round_brackets)
        bracket_label: BracketStyle = field(default_factory=round_brackets)
        bracket_year: BracketStyle = field(default_factory=round_brackets)

    register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round", AuthorYearRoundReferenceStyle)


def setup(app):
    _round_brackets_style()
    app.connect("source-read", _source_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
