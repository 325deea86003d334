"""Citations (tools/citations.py): written as (Author, year) links that every Jupyter front end shows, checked
against references.bib, turned into sphinxcontrib-bibtex roles for the book and into plain words for students."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("citations", ROOT / "tools" / "citations.py")
citations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(citations)

BIB = citations.load_bibliography(ROOT / "references.bib")
# The book's pages: every file named in _toc.yml.
PAGES = [next(ROOT.glob(name + ".*")) for name in re.findall(r"(?:root|file): (\S+)", (ROOT / "_toc.yml").read_text())]


def _markdown(path):
    """(where, text) of each markdown cell of a notebook, or of a markdown page."""
    if path.suffix == ".md":
        return [(path.name, path.read_text(encoding="utf-8"))]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(f"{path.name}, cell {index}", "".join(cell["source"]))
            for index, cell in enumerate(cells) if cell["cell_type"] == "markdown"]


def test_the_bibliography_is_read_from_bibtex(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{a, author = {Nielsen, Michael A.}, title = {T}, year = {2015}}\n"
                   "@misc{b, author = {Glorot, Xavier and Bengio, Yoshua}, title = {T}, year = 2010}\n"
                   "@misc{c, author = {He, K. and Zhang, X. and Ren, S.}, title = {T}, year = {2015}}\n"
                   "@misc{d, author = {van der Maaten, Laurens and {G}{\\\"o}del, Kurt}, title = {T}, year = {2008}}\n")
    assert citations.load_bibliography(bib) == {
        "a": ("Nielsen", "2015"), "b": ("Glorot and Bengio", "2010"), "c": ("He et al.", "2015"),
        "d": ("van der Maaten and Godel", "2008")}
    assert BIB["goodfellow2016"] == ("Goodfellow et al.", "2016")


def test_citations_become_the_roles_sphinxcontrib_bibtex_reads():
    text = ("A tower ([Nielsen, 2015](../references.bib#nielsen2015)); universal "
            "([Cybenko, 1989](../references.bib#cybenko1989); [Hornik, 1991](../references.bib#hornik1991)). "
            "[Glorot and Bengio (2010)](references.bib#glorot2010) take the compromise.")
    assert citations.as_roles(text, BIB) == (
        "A tower {cite:p}`nielsen2015`; universal {cite:p}`cybenko1989,hornik1991`. "
        "{cite:t}`glorot2010` take the compromise.")
    assert citations.as_words(text, BIB) == ("A tower (Nielsen, 2015); universal (Cybenko, 1989; Hornik, 1991). "
                                             "Glorot and Bengio (2010) take the compromise.")


def test_code_is_left_alone_and_directive_bodies_are_not():
    link = "[Nielsen (2015)](../references.bib#nielsen2015)"
    text = f"`{link}`\n\n```python\n{link}\n```\n\n```{{exercise}} Count\n:label: ex-1\n{link} trains it.\n```\n"
    assert citations.as_roles(text, BIB) == text.replace(f"{link} trains", "{cite:t}`nielsen2015` trains")


@pytest.mark.parametrize("text, message", [
    ("[Nielsen, 2015](../references.bib#nielsen2015)",
     r"reads 'Nielsen, 2015', but references.bib gives 'Nielsen \(2015\)'"),
    ("([Nielsen (2015)](../references.bib#nielsen2015))",
     r"gives '\(Nielsen, 2015\)' \(a citation reads \(Author, year\)\)"),
    ("([Nielsen, 2016](../references.bib#nielsen2015))", r"reads '\(Nielsen, 2016\)'"),
    ("([Glorot, 2010](../references.bib#glorot2010))", r"gives '\(Glorot and Bengio, 2010\)'"),
    ("([Nobody, 1900](../references.bib#nobody1900))", r"'nobody1900' is not in the bibliography"),
    ("see [the book](../references.bib#nielsen2015)", r"reads 'the book', but references.bib gives"),
    ("see [Nielsen's book](../references.bib#nielsen2015 'x')", r"a link to an entry of references.bib that is not"),
    ("([Nielsen, 2015](../references.bib#nielsen2015), chapter 2)", r"not a citation|reads 'Nielsen, 2015'"),
])
def test_a_citation_that_differs_from_references_bib_is_an_error(text, message):
    with pytest.raises(citations.CitationError, match=message):
        citations.as_roles(text, BIB)


def test_every_citation_of_the_book_reads_as_references_bib_gives():
    counted = 0
    for path in PAGES:
        for where, text in _markdown(path):
            counted += len(citations.find_citations(text, BIB, where))
    assert counted >= 50, f"only {counted} citations found: is the citation syntax still recognised?"


def test_no_page_cites_with_a_role_that_jupyterlab_shows_as_a_bare_key():
    """jupyterlab-myst 2.7.0 cannot read references.bib: {cite}`key` shows the key with a warning mark there."""
    found = [where for path in PAGES for where, text in _markdown(path)
             if re.search(r"\{(?:foot)?cite(?::\w+)?\}`", text)]
    assert not found, f"cite roles (write [Author (year)](../references.bib#key) instead): {found}"


def test_the_round_bracket_style_is_sphinxcontrib_bibtexs_author_year_with_round_brackets():
    from sphinxcontrib.bibtex.plugin import find_plugin

    citations._round_brackets_style()
    style = find_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round")()
    assert (style.bracket_parenthetical.left, style.bracket_parenthetical.right) == ("(", ")")
    assert (style.bracket_textual.left, style.bracket_textual.right) == ("(", ")")
    assert style.bracket_parenthetical.sep == "; "  # (Cybenko, 1989; Hornik, 1991), as format_citation writes it
