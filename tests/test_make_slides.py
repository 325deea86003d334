"""The static decks' preprocessing (tools/make_slides.py): MyST made plain, solutions left out, slides kept, stale
builds refused. The decks themselves are checked in a browser by tests/browser/test_slides.py."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

spec = importlib.util.spec_from_file_location("make_slides", ROOT / "tools" / "make_slides.py")
make_slides = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_slides)


def cell(kind, text, slide=None, cell_id=None, **metadata):
    if slide is not None:
        metadata["slideshow"] = {"slide_type": slide}
    out = {"cell_type": kind, "id": cell_id or f"c{abs(hash(text)) % 10**8}", "metadata": metadata,
           "source": text.splitlines(keepends=True)}
    if kind == "code":
        out.update(outputs=[], execution_count=None)
    return out


def notebook(cells):
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


EXERCISE = [
    cell("markdown", "## Exercises", "slide"),
    cell("markdown", "```{exercise} Chain rule\n:label: ex-05-chain\nWrite `grad` for $f(x)$.\n```", "subslide"),
    cell("markdown", ":::{hint}\n:class: dropdown\nUse $\\frac{dz}{dx}$.\n:::", "notes"),
    cell("markdown", "```{solution-start} ex-05-chain\n:class: dropdown\n```\nThe secret derivation.", "skip"),
    cell("code", "def grad(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", "skip",
         exercise={"label": "ex-05-chain", "part": "answer"}),
    cell("markdown", "```{solution-end}\n```", "skip"),
    cell("code", 'check_exercise("ex-05-chain", grad)', "skip", exercise={"label": "ex-05-chain", "part": "check"}),
]


def texts(nb):
    return ["".join(c["source"]) for c in nb["cells"]]


def test_myst_becomes_plain_markdown_and_links_point_at_decks():
    nb = notebook([
        cell("markdown", "# Title\n\nSee chapter {doc}`4 <04_perceptron>` and {ref}`the rule <sec-rule>`.", "slide"),
        cell("markdown", ":::{note}\nA note with $x^2$.\n:::", "-"),
    ] + EXERCISE)
    out = make_slides.slides_notebook(nb, "05_x.ipynb", documents={"04_perceptron": "The perceptron"},
                                      bibliography={})
    joined = "\n".join(texts(out))
    assert "[4](04_perceptron.slides.html)" in joined
    assert "the rule" in joined and "{ref}" not in joined
    assert "> **Note**" in joined and "$x^2$" in joined
    assert "**Exercise 5.1 (Chain rule)**" in joined
    assert "<details>" in joined  # the hint, collapsed (a speaker note by its metadata)
    assert not make_slides.student.MYST_LEFTOVER.search(joined)


def test_solutions_are_left_out_whatever_their_metadata():
    unannotated = [dict(c, metadata={k: v for k, v in c["metadata"].items() if k != "slideshow"}) for c in EXERCISE]
    for cells in (EXERCISE, unannotated):
        out = make_slides.slides_notebook(notebook(cells), "05_x.ipynb", bibliography={})
        joined = "\n".join(texts(out))
        assert "BEGIN SOLUTION" not in joined and "return 2 * x" not in joined
        assert "secret derivation" not in joined and "check_exercise" not in joined
        assert "Exercise 5.1" in joined


def test_a_left_out_cell_hands_its_slide_start_on():
    nb = notebook([
        cell("markdown", "# Title", "slide"),
        cell("code", "pin()", "slide", tags=["remove-cell"]),
        cell("code", "shown()", "-"),
        cell("code", "more()", "-"),
    ])
    out = make_slides.slides_notebook(nb, "05_x.ipynb", bibliography={})
    assert [make_slides.slide_type(c) for c in out["cells"]] == ["slide", "slide", "-"]
    assert texts(out)[1] == "shown()"


def test_remove_input_and_remove_output():
    nb = notebook([
        cell("markdown", "# Title", "slide"),
        dict(cell("code", "secret_setup()", "-", tags=["remove-input"]), outputs=[{"output_type": "stream",
                                                                               "name": "stdout", "text": "42\n"}]),
        dict(cell("code", "shown()", "-", tags=["remove-output"]), outputs=[{"output_type": "stream",
                                                                         "name": "stdout", "text": "noise\n"}]),
    ])
    out = make_slides.slides_notebook(nb, "05_x.ipynb", bibliography={})
    assert out["cells"][1]["outputs"] and out["cells"][1]["metadata"]["transient"]["remove_source"]
    assert out["cells"][2]["outputs"] == []


def test_unknown_myst_is_an_error_not_raw_text():
    nb = notebook([cell("markdown", "# T\n\n```{mystery}\nx\n```", "slide")])
    with pytest.raises(make_slides.student.MystConversionError):
        make_slides.slides_notebook(nb, "05_x.ipynb", bibliography={})


def test_outputs_come_from_the_build_and_a_changed_code_cell_is_refused(capsys):
    chapter = notebook([cell("markdown", "# New words", "slide", "m1"), cell("code", "x = 1\nx", "-", "k1")])
    built = notebook([cell("markdown", "# Old words", None, "m1"), cell("code", "x = 1\nx", None, "k1")])
    built["cells"][1]["outputs"] = [{"output_type": "execute_result", "data": {"text/plain": "1"},
                                     "metadata": {}, "execution_count": 1}]
    built["metadata"]["widgets"] = {"state": {}}
    merged = make_slides.with_outputs(chapter, built, "ch")
    assert texts(merged)[0] == "# New words"  # markdown and slide metadata: the chapter's, no rebuild needed
    assert merged["cells"][1]["outputs"][0]["data"]["text/plain"] == "1"
    assert merged["metadata"]["widgets"] == {"state": {}}
    chapter["cells"][1]["source"] = ["x = 2\n", "x"]
    with pytest.raises(make_slides.StaleBuildError, match="run make book"):
        make_slides.with_outputs(chapter, built, "ch")
    merged = make_slides.with_outputs(chapter, built, "ch", allow_stale=True)
    assert merged["cells"][1]["outputs"] == [] and "changed" in capsys.readouterr().err


def test_a_deck_is_written_offline(tmp_path):
    """One small deck end to end: every script and stylesheet it loads is a relative URL into _assets/."""
    vendor, book_vendor = ROOT / "_vendor_slides", ROOT / "_vendor"
    if not (vendor / ".complete").is_file() or not (book_vendor / ".complete").is_file():
        pytest.skip("run bash tools/vendor_slides.sh _vendor_slides and bash tools/vendor_js.sh _vendor")
    chapters, build = tmp_path / "chapters", tmp_path / "_build" / "jupyter_execute" / "chapters"
    chapters.mkdir()
    build.mkdir(parents=True)
    nb = notebook([cell("markdown", "# A chapter\n\n$z = a W + b$", "slide", "m1"),
                   cell("code", "print(1)", "subslide", "k1")] + EXERCISE)
    for folder in (chapters, build):
        (folder / "01_test.ipynb").write_text(json.dumps(nb))
    written = make_slides.make_slides(tmp_path / "_build", tmp_path / "slides", vendor, book_vendor, chapters)
    html = written[0][0].read_text()
    assert written[0][0].name == "01_test.slides.html"
    urls = re.findall(r'(?:src|href)="([^"#]+)"', html) + re.findall(r'"([^"]+\.js)"', html)
    assert urls and all(not re.match(r"^(https?:)?//", u) for u in urls), [u for u in urls if "//" in u]
    for url in {u.split("?")[0] for u in urls if u.startswith("_assets/")}:
        assert (tmp_path / "slides" / url).exists(), url
    assert "import mermaid" not in html  # nbconvert's CDN block, overridden by tools/slides
