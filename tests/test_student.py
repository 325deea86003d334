"""The student edition (tools/make_student.py): no solutions, everything else identical, and it stops kindly."""

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_student)


def markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(keepends=True)}


def code(text, tags=None):
    return {"cell_type": "code", "metadata": {"tags": tags} if tags else {}, "execution_count": None,
            "outputs": [], "source": text.splitlines(keepends=True)}


EXERCISE = [
    markdown("# 99 Demo\n\nSome prose."),
    code("import numpy as np\nfrom lib.checks import check_close"),
    markdown("```{exercise} Squares\n:label: ex-99-squares\nWrite `square(x)`.\n```"),
    markdown("```{solution-start} ex-99-squares\n:class: dropdown\n```\nMultiply x by itself: that is the prose."),
    code("def square(x):\n    \"\"\"Return x squared.\"\"\"\n    ### BEGIN SOLUTION\n    y = x * x\n    return y\n"
         "    ### END SOLUTION"),
    markdown("```{solution-end}\n```"),
    code("check_close(square(3.0), 9.0, name='square(3)')", tags=["check"]),
    code("answer = 2\n### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\nprint(answer)"),
]


def demo_notebook():
    return {"cells": json.loads(json.dumps(EXERCISE)), "metadata": {"kernelspec": {"name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def sources(notebook):
    return ["".join(cell["source"]) for cell in notebook["cells"]]


# --- the transformation --------------------------------------------------------------------------------------


def test_solution_code_becomes_a_stub_at_the_markers_indentation_keeping_the_signature():
    student = sources(make_student.make_student_notebook(demo_notebook()))
    assert student[3] == (
        'def square(x):\n    """Return x squared."""\n    raise NotImplementedError('
        '"Exercise ex-99-squares: write your code here, in place of this line.")'
    )
    assert student[5] == (
        'answer = 2\nraise NotImplementedError("Exercise ex-99-squares: write your code here, in place of this '
        'line.")\nprint(answer)'
    )


def test_solution_prose_and_the_sphinx_markers_are_removed_code_is_identical_and_markdown_is_plain():
    source = demo_notebook()
    student = make_student.make_student_notebook(source)
    kept = [cell for index, cell in enumerate(source["cells"]) if index not in (3, 5)]
    assert len(student["cells"]) == len(kept)
    for before, after in zip(kept, student["cells"], strict=True):
        if before["cell_type"] == "code" and "### BEGIN SOLUTION" not in "".join(before["source"]):
            assert before == after
        assert before["metadata"] == after["metadata"]
    assert sources(student)[0] == "# 99 Demo\n\nSome prose."
    assert sources(student)[2] == "**Exercise 99.1 (Squares)**\n\nWrite `square(x)`."
    assert student["metadata"] == source["metadata"]
    assert not any("solution-start" in text or "that is the prose" in text for text in sources(student))
    assert source == demo_notebook()  # the input is not modified


def test_the_markdown_can_be_kept_as_myst():
    student = make_student.make_student_notebook(demo_notebook(), plain_markdown=False)
    assert sources(student)[2] == "".join(EXERCISE[2]["source"])


@pytest.mark.parametrize("text, problem", [
    ("### BEGIN SOLUTION\nx = 1\n", "without ### END"),
    ("x = 1\n### END SOLUTION\n", "without ### BEGIN"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside another"),
])
def test_unbalanced_markers_are_an_error_naming_the_cell(text, problem):
    with pytest.raises(make_student.SolutionMarkerError, match=problem):
        make_student.strip_solution_code(text, where="demo.ipynb, cell 4")


def test_an_unclosed_solution_prose_block_is_an_error():
    notebook = demo_notebook()
    del notebook["cells"][5]
    with pytest.raises(make_student.SolutionMarkerError, match="solution-start without solution-end"):
        make_student.make_student_notebook(notebook, "demo.ipynb")


# --- MyST -> plain Jupyter markdown, one construct at a time ----------------------------------------------------

BIB = {"nielsen2015": ("Nielsen", "2015"), "glorot2010": ("Glorot and Bengio", "2010"),
       "goodfellow2016": ("Goodfellow et al.", "2016")}
DOCS = {"04_perceptron": "The perceptron", "05_scalar_hidden_layer": "One hidden neuron"}


def convert(text, chapter=5, labels=None, equations=None, documents=DOCS):
    context = make_student.ConversionContext(chapter=chapter, bibliography=BIB, documents=documents,
                                             labels=labels or {}, equations=equations or {})
    return make_student.convert_markdown(text, context)


def test_an_exercise_becomes_a_bold_numbered_heading_with_its_text_below():
    first = "```{exercise} Chain rule\n:label: ex-05-chain\n\nDifferentiate $C$ with respect to $w_1$.\n```"
    context = make_student.ConversionContext(chapter=5)
    assert make_student.convert_markdown(first, context) == (
        "**Exercise 5.1 (Chain rule)**\n\nDifferentiate $C$ with respect to $w_1$.")
    second = "```{exercise}\n:label: ex-05-other\nNo title.\n```"
    assert make_student.convert_markdown(second, context) == "**Exercise 5.2**\n\nNo title."


def test_the_chapter_number_comes_from_the_file_name_or_the_exercise_label():
    assert make_student.chapter_number("07_backpropagation.ipynb") == 7
    assert make_student.chapter_number("demo.ipynb", [markdown("```{exercise} T\n:label: ex-12-x\nA\n```")]) == 12
    assert make_student.chapter_number("demo.ipynb") is None


def test_a_dropdown_hint_becomes_collapsed_details():
    hint = ":::{hint}\n:class: dropdown\nUse $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$.\n:::"
    assert convert(hint) == (
        "<details>\n<summary>Hint</summary>\n\nUse $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$.\n\n</details>")


def test_admonitions_become_titled_blockquotes_with_math_on_one_line():
    warning = ("```{admonition} The notes drop $w_2$\n:class: warning\n\nThey give\n$\\frac{\\partial C}\n"
               "{\\partial w_1}$ and\n\n$$\nC = 1\n$$\n```")
    assert convert(warning) == (
        "> **The notes drop $w_2$**\n>\n> They give\n> $\\frac{\\partial C} {\\partial w_1}$ and\n>\n> $$ C = 1 $$")
    assert convert("```{note}\nA note.\n```") == "> **Note**\n>\n> A note."
    assert convert(":::{admonition} Colon fence\n:class: tip\nText.\n:::") == "> **Colon fence**\n>\n> Text."
    assert convert(":::{tip}\n:class: dropdown\nHidden.\n:::") == (
        "<details>\n<summary>Tip</summary>\n\nHidden.\n\n</details>")


def test_proofs_and_theorems_become_titled_blockquotes():
    text = ("```{prf:proposition} XOR is not separable\n:label: prop-xor\nNo line works.\n```\n\n"
            "```{prf:proof}\nSuppose one did.\n```")
    assert convert(text) == (
        "> **Proposition (XOR is not separable).**\n>\n> No line works.\n\n> **Proof.**\n>\n> Suppose one did.")


def test_doc_links_point_at_the_other_notebooks_and_keep_their_words():
    assert convert("Chapter {doc}`4 <04_perceptron>` showed it.") == "Chapter [4](04_perceptron.ipynb) showed it."
    assert convert("See {doc}`04_perceptron`.") == "See [The perceptron](04_perceptron.ipynb)."
    assert convert("The {doc}`corrections <../errata>` page.") == "The corrections page."
    assert convert("{doc}`x <other>`", documents=None) == "[x](other.ipynb)"


def test_ref_numref_and_eq_become_plain_text():
    labels = {"ex-05-chain": "Exercise 5.1", "sec-05-forward": "Forward pass and cost"}
    assert convert("This is {ref}`correction 1 <errata-1>`.") == "This is correction 1."
    assert convert("Do {ref}`ex-05-chain` first.", labels=labels) == "Do Exercise 5.1 first."
    assert convert("As in {ref}`sec-05-forward`.", labels=labels) == "As in Forward pass and cost."
    assert convert("{numref}`Exercise %s <ex-05-chain>`", labels=labels) == "Exercise 5.1"
    with pytest.raises(make_student.MystConversionError, match="needs link text"):
        convert("{ref}`errata-1`")


def test_labelled_math_is_numbered_with_a_tag_and_eq_refers_to_the_number():
    text = "$$\nz = a W + b\n$$ (eq-affine)\n\nBy {eq}`eq-affine`,\n\n```{math}\n:label: eq-act\na = f(z)\n```"
    assert convert(text, equations={"eq-affine": 1, "eq-act": 2}) == (
        "$$\nz = a W + b \\tag{1}\n$$\n\nBy (1),\n\n$$\na = f(z) \\tag{2}\n$$")
    notebook = [markdown(text)]
    assert make_student.notebook_equations(notebook) == {"eq-affine": 1, "eq-act": 2}
    assert convert("```{math}\nx^2\n```") == "$$\nx^2\n$$"
    assert convert("$$\nx = 1\n$$") == "$$\nx = 1\n$$"


def test_citations_read_author_and_year():
    assert convert("As shown {cite}`nielsen2015`.") == "As shown (Nielsen, 2015)."
    assert convert("{cite}`glorot2010,goodfellow2016`") == "(Glorot and Bengio, 2010; Goodfellow et al., 2016)"
    assert convert("{cite:t}`nielsen2015` trains it.") == "Nielsen (2015) trains it."
    with pytest.raises(make_student.MystConversionError, match="'nobody1900' is not in the bibliography"):
        convert("{cite}`nobody1900`")


def test_citation_links_keep_their_words_without_the_link():
    """The book's citations link to references.bib, which the student edition is published without."""
    assert convert("A tower ([Nielsen, 2015](../references.bib#nielsen2015)).") == "A tower (Nielsen, 2015)."
    assert convert("[Glorot and Bengio (2010)](../references.bib#glorot2010) take it.") == (
        "Glorot and Bengio (2010) take it.")
    hint = ":::{hint}\n:class: dropdown\nSee [Nielsen (2015)](../references.bib#nielsen2015).\n:::"
    assert "See Nielsen (2015)." in convert(hint)
    with pytest.raises(make_student.MystConversionError, match="references.bib gives 'Nielsen \\(2015\\)'"):
        convert("[Nielsen (2016)](../references.bib#nielsen2015)")


def test_code_spans_code_blocks_targets_and_comments():
    text = ("(sec-x)=\n## Heading\n\n% a MyST comment\nUse `{doc}` roles.\n\n```python\n{cite}`x`\n:label: y\n```")
    assert convert(text) == "## Heading\n\nUse `{doc}` roles.\n\n```python\n{cite}`x`\n:label: y\n```"


def test_unknown_myst_is_an_error_not_a_leak():
    with pytest.raises(make_student.MystConversionError, match="directive {figure}"):
        convert("```{figure} a.png\nA caption.\n```")
    with pytest.raises(make_student.MystConversionError, match="role {footcite}"):
        convert("{footcite}`x`")
    with pytest.raises(make_student.MystConversionError, match="never closed"):
        convert("```{note}\nunclosed")
    with pytest.raises(make_student.MystConversionError, match="give the solution away"):
        convert("```{solution} ex-05-chain\nThe answer.\n```")


def test_the_leftover_pattern_finds_myst_and_nothing_else():
    found = make_student.MYST_LEFTOVER.search
    for myst in ["```{exercise} T", ":::{hint}", ":label: ex-1", ":class: dropdown", "see {doc}`x`",
                 "(sec-1)=", "$$ (eq-1)"]:
        assert found(myst), myst
    for plain in ["**Exercise 5.1 (T)**", "<details>", "[4](04_perceptron.ipynb)", "$$\n(a + b)\n$$", "$\\{x\\}$"]:
        assert not found(plain), plain


# --- the real chapters ------------------------------------------------------------------------------------------


def solution_lines(notebook):
    """Non-blank lines between the markers that appear nowhere else in the notebook."""
    inside_lines, outside_lines = set(), set()
    for text in sources(notebook):
        inside = False
        for line in text.splitlines():
            if line.strip() == make_student.BEGIN:
                inside = True
            elif line.strip() == make_student.END:
                inside = False
            elif line.strip():
                (inside_lines if inside else outside_lines).add(line.strip())
    return inside_lines - outside_lines


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    dest = tmp_path_factory.mktemp("student")
    make_student.make_student_edition(CHAPTERS, dest)
    return dest


def test_every_chapter_has_a_student_edition_without_solution_code(student_dir):
    notebooks = sorted(CHAPTERS.glob("*.ipynb"))
    assert notebooks, "no chapters"
    for path in notebooks:
        source = json.loads(path.read_text(encoding="utf-8"))
        student_text = (student_dir / path.name).read_text(encoding="utf-8")
        student = json.loads(student_text)
        assert "BEGIN SOLUTION" not in student_text and "solution-start" not in student_text, path.name
        student_lines = {line.strip() for text in sources(student) for line in text.splitlines()}
        leaked = solution_lines(source) & student_lines
        assert not leaked, f"{path.name}: solution lines in the student edition: {leaked}"
        stubs = sum(text.count("raise NotImplementedError(") for text in sources(student))
        blocks = sum(text.count(make_student.BEGIN) for text in sources(source))
        assert stubs >= blocks, path.name
        nbformat.validate(nbformat.from_dict(student))


def test_no_myst_is_left_in_any_student_notebook(student_dir):
    for path in sorted(student_dir.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(notebook["cells"]):
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                leftover = make_student.MYST_LEFTOVER.search(text)
                assert not leftover, f"{path.name}, cell {index}: MyST left: {leftover.group(0)!r}"
        exercises = sum("{exercise}" in "".join(cell["source"])
                        for cell in json.loads((CHAPTERS / path.name).read_text(encoding="utf-8"))["cells"])
        headings = sum(bool(re.match(r"\*\*Exercise \d+\.\d+", "".join(cell["source"]))) for cell in notebook["cells"])
        assert headings == exercises, f"{path.name}: {headings} exercise headings for {exercises} exercises"


def test_the_student_edition_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    make_student.make_student_edition(CHAPTERS, first)
    make_student.make_student_edition(CHAPTERS, second)
    for path in sorted(first.glob("*.ipynb")):
        assert path.read_bytes() == (second / path.name).read_bytes()


def test_the_command_line_and_stale_notebooks(tmp_path):
    (tmp_path / "old_chapter.ipynb").write_text("{}")
    assert make_student.main([str(CHAPTERS), str(tmp_path)]) == 0
    assert not (tmp_path / "old_chapter.ipynb").exists()
    assert make_student.main([]) == 2
    with pytest.raises(ValueError, match="dest"):
        make_student.make_student_edition(CHAPTERS, CHAPTERS)


def test_chapter_01_student_edition_runs_until_the_first_exercise_and_stops_kindly(student_dir):
    notebook = nbformat.read(student_dir / "01_gates.ipynb", as_version=4)
    first_exercise = next(index for index, cell in enumerate(notebook.cells)
                          if cell.cell_type == "markdown" and cell.source.startswith("**Exercise 1.1 "))
    # A short timeout: nbclient now and then misses a widget cell's reply until the timeout (see README).
    client = NotebookClient(notebook, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(student_dir)}})
    with pytest.raises(CellExecutionError) as error:
        client.execute()
    failed = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
              and any(output.output_type == "error" for output in cell.get("outputs", []))]
    assert len(failed) == 1 and failed[0] > first_exercise
    executed = [cell for cell in notebook.cells[:first_exercise] if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in executed), "a cell before the exercises did not run"
    output = next(out for out in notebook.cells[failed[0]].outputs if out.output_type == "error")
    assert output.ename in ("NotImplementedError", "NotImplementedYet")
    assert "Exercise ex-01-normal-equations: write your code here" in output.evalue
    traceback = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(output.traceback))
    assert "lib/checks.py" not in traceback and "site-packages" not in traceback, traceback
    assert "NotImplementedYet" in str(error.value) or "NotImplementedError" in str(error.value)
