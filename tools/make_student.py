"""Write the student edition of the book's notebooks: the same notebooks with the solutions taken out.

Usage: python tools/make_student.py SOURCE_DIR DEST_DIR   (`make student` = chapters -> student)

In every notebook of SOURCE_DIR:
- the code between `### BEGIN SOLUTION` and `### END SOLUTION` lines becomes one line, at the marker's
  indentation, that raises NotImplementedError with a friendly sentence naming the exercise;
- the markdown cells from ```{solution-start}``` to ```{solution-end}``` (the gated solution prose and the two
  sphinx-exercise markers) are removed; code cells between them stay, with their solutions stubbed;
- every other markdown cell is translated from MyST to plain Jupyter markdown (CommonMark + $...$ math, see
  convert_markdown), so that the edition reads the same in JupyterLab, Notebook, Colab and VS Code: exercises as
  "**Exercise N.k (title)**", admonitions and proofs as titled blockquotes, hints as <details>, {doc} as links to
  the other notebooks, citations as (Author, year) from references.bib without their links, {ref}/{eq} as plain text;
- everything else is copied unchanged (code cells, metadata, other files in SOURCE_DIR). Stale notebooks in
  DEST_DIR are removed.
The output depends only on the input: running it twice gives identical files.
"""

import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:  # loaded by path (tests) as well as run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from citations import CitationError, as_words, format_citation, load_bibliography  # noqa: E402  (tools/citations.py)

ROOT = Path(__file__).resolve().parents[1]
BIBLIOGRAPHY = ROOT / "references.bib"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)


class SolutionMarkerError(ValueError):
    """The solution markers in a notebook are unbalanced or misplaced."""


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _set_source(cell, text):
    cell["source"] = text.splitlines(keepends=True) if isinstance(cell.get("source"), list) else text


def stub_line(indent, exercise):
    """The line that replaces a solution: raises NotImplementedError with a sentence the student can act on."""
    where = f"Exercise {exercise}" if exercise else "This exercise"
    message = f"{where}: write your code here, in place of this line."
    return f'{indent}raise NotImplementedError("{message}")\n'


def strip_solution_code(text, exercise=None, where="cell"):
    """Replace each BEGIN/END SOLUTION block of `text` (markers included) by a stub line; return the new text."""
    lines = text.splitlines(keepends=True)
    out, inside = [], False
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise SolutionMarkerError(f"{where}, line {number}: {BEGIN} inside another solution")
            inside = True
            out.append(stub_line(line[: len(line) - len(line.lstrip())], exercise))
        elif marker == END:
            if not inside:
                raise SolutionMarkerError(f"{where}, line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise SolutionMarkerError(f"{where}: {BEGIN} without {END}")
    result = "".join(out)
    # A cell that ended on the END marker ends on the stub, without a new trailing newline.
    return result if text.endswith("\n") else result.removesuffix("\n")


# --- MyST -> plain Jupyter markdown ---------------------------------------------------------------------------
#
# The book's markdown is MyST (directives, roles, labelled math), which only the HTML build and JupyterLab with
# jupyterlab-myst render. The student edition is read in any Jupyter front end (JupyterLab, Notebook, Colab,
# VS Code), so its markdown is translated to CommonMark + $...$ math, the part they all render:
# - ```{exercise} Title / :label: ex-NN-name   ->  **Exercise N.k (Title)** and the text below it;
# - admonitions (note, warning, ``{admonition} Title``, ...) and sphinx-proof blocks -> a blockquote whose first
#   line is the bold title; `:class: dropdown` (hints) -> <details><summary>Hint</summary> ... </details>;
# - {doc}`text <04_perceptron>` -> [text](04_perceptron.ipynb); {ref}/{numref}/{eq} -> plain text;
#   {cite}`key` -> (Author, year) from references.bib; a citation [Author (year)](../references.bib#key) -> its
#   words (tools/citations.py);
# - ```{math} and $$ ... $$ (label) -> $$ ... \tag{n} $$, with {eq}`label` -> (n); (label)= targets and % comments
#   are dropped.
# Anything else that looks like MyST (an unknown directive or role) is an error, so nothing raw reaches students.

DIRECTIVE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}(?P<arg>.*)$")
CODE_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
TARGET = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
MATH_LABEL = re.compile(r"^\$\$\s*\((?P<label>[^()\s]+)\)\s*$")
# A role, or a code span (left alone): a role's content is itself a backtick span.
INLINE = re.compile(
    r"\{(?P<role>[\w:+-]+)\}(?P<ticks>`+)(?P<body>.+?)(?P=ticks)|(?P<code>(?P<cticks>`+).+?(?P=cticks))", re.DOTALL
)
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
ADMONITION_TITLES = {
    "note": "Note", "warning": "Warning", "tip": "Tip", "important": "Important", "caution": "Caution",
    "attention": "Attention", "danger": "Danger", "error": "Error", "hint": "Hint", "seealso": "See also",
}
PROOF_TITLES = {
    "prf:theorem": "Theorem", "prf:proposition": "Proposition", "prf:lemma": "Lemma", "prf:corollary": "Corollary",
    "prf:definition": "Definition", "prf:remark": "Remark", "prf:example": "Example", "prf:conjecture": "Conjecture",
    "prf:axiom": "Axiom", "prf:criterion": "Criterion", "prf:observation": "Observation",
    "prf:property": "Property", "prf:assumption": "Assumption", "prf:algorithm": "Algorithm",
}
CITE_ROLES = {"cite": "p", "cite:p": "p", "cite:ps": "p", "cite:t": "t", "cite:ts": "t"}
# What must never be left in a student notebook's markdown (tests/test_student.py and the JupyterLab test use it).
MYST_LEFTOVER = re.compile(
    r"^\s*(`{3,}|:{3,})\{[\w:-]+\}|^:(label|class|name|nonumber|hidden|open):|\{[\w:+-]+\}`|^\([^()\s]+\)=\s*$"
    r"|^\$\$[ \t]*\(",
    re.MULTILINE,
)


class MystConversionError(ValueError):
    """A markdown cell uses MyST that the student edition cannot translate (an unknown directive, role or label)."""


@dataclass
class ConversionContext:
    """What the translation of one notebook needs to know beyond its own text.

    chapter: the chapter number N of "Exercise N.k"; bibliography: {key: (authors, year)} from load_bibliography;
    documents: {docname: title} of the notebooks next to this one ({doc} links to them); labels: {label: text}
    for {ref} without explicit text (filled from the notebook itself by make_student_notebook); where: for errors.
    """

    chapter: int | None = None
    bibliography: dict = field(default_factory=dict)
    documents: dict | None = None
    labels: dict = field(default_factory=dict)
    equations: dict = field(default_factory=dict)
    exercises: int = 0
    where: str = "cell"


def _split_options(body):
    """The directive's `:key: value` option lines (or a --- YAML block) and the rest of its body."""
    lines = body.split("\n")
    options = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            import yaml

            options = {str(k): str(v) for k, v in (yaml.safe_load("\n".join(lines[1:end])) or {}).items()}
            lines = lines[end + 1:]
    while lines and (found := re.match(r"^:([\w-]+):\s*(.*)$", lines[0])):
        options[found.group(1)] = found.group(2).strip()
        lines = lines[1:]
    return options, "\n".join(lines).strip("\n")


def _find_close(lines, start, fence):
    """Index of the line that closes a fence opened with `fence` (same character, at least as long)."""
    close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for index in range(start, len(lines)):
        if close.match(lines[index]):
            return index
    return None


def _one_line_math(text):
    """Join each $...$ / $$...$$ onto one line, so a '> ' prefix never lands inside TeX (Jupyter's renderer takes
    math out of the raw text before it parses blockquotes)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "`":
            ticks = re.match(r"`+", text[i:]).group(0)
            end = text.find(ticks, i + len(ticks))
            end = len(text) if end < 0 else end + len(ticks)
            out.append(text[i:end])
            i = end
        elif text[i] == "$" and (i == 0 or text[i - 1] != "\\"):
            delimiter = "$$" if text.startswith("$$", i) else "$"
            end = text.find(delimiter, i + len(delimiter))
            while end > 0 and text[end - 1] == "\\":
                end = text.find(delimiter, end + 1)
            if end < 0:
                out.append(text[i:])
                break
            math = text[i:end + len(delimiter)]
            out.append(re.sub(r"\s*\n\s*", " ", math))
            i = end + len(delimiter)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _blockquote(title, body):
    lines = [f"**{title}**", ""] + _one_line_math(body).split("\n") if body.strip() else [f"**{title}**"]
    return "\n".join("> " + line if line.strip() else ">" for line in lines)


def _details(summary, body):
    return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"


def _tagged(math, label, context):
    number = context.equations.get(label)
    if number is None:
        number = context.equations[label] = len(context.equations) + 1
    return f"$$\n{math.strip()} \\tag{{{number}}}\n$$"


def _directive(name, arg, options, body, context):
    arg = arg.strip()
    where = context.where
    if name in ("exercise", "exercise-start"):
        context.exercises += 1
        number = f"{context.chapter}.{context.exercises}" if context.chapter is not None else str(context.exercises)
        heading = f"**Exercise {number} ({arg})**" if arg else f"**Exercise {number}**"
        return heading + ("\n\n" + convert_markdown(body, context) if body.strip() else "")
    if name == "exercise-end":
        return ""
    if name in ("solution", "solution-start", "solution-end"):
        raise MystConversionError(f"{where}: a {{{name}}} block would give the solution away; it must be removed")
    if name == "math":
        text = body.strip()
        return _tagged(text, options["label"], context) if "label" in options else f"$$\n{text}\n$$"
    if name in ("admonition", "dropdown") or name in ADMONITION_TITLES:
        title = arg or ADMONITION_TITLES.get(name, "")
        if name == "admonition" and not title:
            raise MystConversionError(f"{where}: an admonition without a title")
        inner = convert_markdown(body, context)
        if name == "dropdown" or "dropdown" in options.get("class", "").split():
            return _details(convert_inline(title, context) or "Details", inner)
        return _blockquote(convert_inline(title, context), inner)
    if name in PROOF_TITLES or name == "prf:proof":
        kind = PROOF_TITLES.get(name, "Proof")
        title = f"{kind} ({convert_inline(arg, context)})" if arg else kind
        return _blockquote(title + ".", convert_markdown(body, context))
    raise MystConversionError(f"{where}: the directive {{{name}}} has no plain-markdown form in the student edition")


def _role(role, body, context):
    where = context.where
    explicit = EXPLICIT.match(body)
    text, target = (explicit.group("text"), explicit.group("target")) if explicit else (None, body)
    if role == "doc":
        name = target.removesuffix(".ipynb").removesuffix(".md")
        documents = context.documents
        if documents is not None and name not in documents:
            return text or name  # not a notebook of this edition (e.g. ../errata): the words, without a link
        title = text or (documents or {}).get(name) or name
        return f"[{title}]({name}.ipynb)"
    if role in ("ref", "numref", "prf:ref"):
        label_text = context.labels.get(target)
        if text is not None:
            return text.replace("%s", label_text.split()[-1]) if "%s" in text and label_text else text
        if label_text is None:
            raise MystConversionError(f"{where}: {{{role}}}`{body}` needs link text (no target in this notebook)")
        return label_text
    if role == "eq":
        if text is not None:
            return text
        if target not in context.equations:
            raise MystConversionError(f"{where}: {{eq}}`{body}`: no labelled equation {target!r} in this notebook")
        return f"({context.equations[target]})"
    if role in CITE_ROLES:
        try:
            return format_citation(target, context.bibliography, CITE_ROLES[role], where)
        except CitationError as error:
            raise MystConversionError(str(error)) from None
    if role == "math":
        return f"${body}$"
    if role in ("code", "literal", "samp", "file", "command", "program"):
        return f"`{body}`"
    if role in ("term", "abbr", "index", "guilabel", "menuselection"):
        return re.sub(r"\s*\([^()]*\)$", "", text if text is not None else body) if role == "abbr" else (text or body)
    if role in ("sub", "sup", "kbd"):
        return f"<{role}>{body}</{role}>"
    if role == "download":
        return f"[{text or target}]({target})"
    raise MystConversionError(f"{where}: the role {{{role}}} has no plain-markdown form in the student edition")


def convert_inline(text, context):
    """Replace the MyST roles of `text`, and keep the words of its citations without their links to
    references.bib, which the student edition is published without (code spans are left alone)."""

    def replace(found):
        if found.group("code"):
            return found.group("code")
        return _role(found.group("role"), found.group("body"), context)

    try:
        return as_words(INLINE.sub(replace, text), context.bibliography, context.where)
    except CitationError as error:
        raise MystConversionError(str(error)) from None


def convert_markdown(text, context=None):
    """Translate one markdown cell's MyST into CommonMark + $...$ math (see the comment above); return the text."""
    context = context or ConversionContext()
    lines = text.split("\n")
    out, plain = [], []

    def flush():
        if plain:
            out.append(convert_inline("\n".join(plain), context))
            plain.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        opened = DIRECTIVE_OPEN.match(line)
        fenced = CODE_FENCE.match(line)
        if opened:
            close = _find_close(lines, index + 1, opened.group("fence"))
            if close is None:
                raise MystConversionError(f"{context.where}: the {{{opened.group('name')}}} fence is never closed")
            options, body = _split_options("\n".join(lines[index + 1:close]))
            flush()
            out.append(_directive(opened.group("name"), opened.group("arg"), options, body, context))
            index = close + 1
        elif fenced:  # a plain code block: copied as it is
            close = _find_close(lines, index + 1, fenced.group("fence"))
            close = len(lines) - 1 if close is None else close
            flush()
            out.append("\n".join(lines[index:close + 1]))
            index = close + 1
        elif TARGET.match(line) or line.startswith("%") or line.strip() == "+++":
            index += 1  # a (label)= target, a MyST comment or a block break: nothing to show
        elif line.strip() == "$$" or line.startswith("$$"):
            # display math: find its end, and a (label) after the closing $$
            end = index if line.strip() != "$$" and line.rstrip().endswith("$$") and len(line.strip()) > 2 else None
            if end is None:
                end = next((j for j in range(index + 1, len(lines)) if lines[j].lstrip().startswith("$$")), None)
            if end is None:
                plain.append(line)
                index += 1
                continue
            closing = lines[end]
            label = MATH_LABEL.match(closing.strip())
            block = "\n".join(lines[index:end + 1])
            flush()
            if label:
                math = block.strip()[2:]
                math = math[: math.rfind("$$")]
                out.append(_tagged(math, label.group("label"), context))
            else:
                out.append(convert_inline(block, context))
            index = end + 1
        else:
            plain.append(line)
            index += 1
    flush()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n") + ("\n" if text.endswith("\n") else "")


def notebook_labels(cells, chapter):
    """{label: text} for the targets of one notebook's markdown: exercises ('Exercise N.k'), headings after a
    (label)= target (their title), proof blocks with a label ('Proposition (title)')."""
    labels, exercises = {}, 0
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        lines = _source(cell).split("\n")
        for index, line in enumerate(lines):
            opened = DIRECTIVE_OPEN.match(line)
            if opened:
                name, arg = opened.group("name"), opened.group("arg").strip()
                following = "\n".join(lines[index + 1:index + 8])
                found = re.search(r"^:label:\s*(\S+)", following, re.MULTILINE)
                if name == "exercise":
                    exercises += 1
                    if found:
                        labels[found.group(1)] = "Exercise " + (f"{chapter}.{exercises}" if chapter else str(exercises))
                elif found and name in PROOF_TITLES:
                    labels[found.group(1)] = f"{PROOF_TITLES[name]} ({arg})" if arg else PROOF_TITLES[name]
            target = TARGET.match(line)
            if target:
                heading = next((candidate for candidate in lines[index + 1:] if candidate.strip()), "")
                if heading.startswith("#"):
                    labels[target.group("label")] = heading.lstrip("#").strip()
    return labels


def notebook_equations(cells):
    """{label: n}: the labelled equations of one notebook ($$ ... $$ (label), ```{math} with :label:), numbered
    1, 2, ... in order, so that {eq} may refer to an equation further down."""
    equations = {}
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        text = _source(cell)
        for found in re.finditer(r"^\s*\$\$\s*\(([^()\s]+)\)\s*$|^\s*(`{3,}|:{3,})\{math\}.*\n:label:\s*(\S+)", text,
                                 re.MULTILINE):
            equations.setdefault(found.group(1) or found.group(3), len(equations) + 1)
    return equations


def chapter_number(name, cells=()):
    """The chapter number of a notebook: its file name's leading digits (04_perceptron.ipynb -> 4), else the NN of
    its first exercise label ex-NN-..., else None."""
    found = re.match(r"(\d+)", Path(name).name)
    if found:
        return int(found.group(1))
    for cell in cells:
        label = re.search(r"^:label:\s*ex-(\d+)-", _source(cell), re.MULTILINE)
        if label:
            return int(label.group(1))
    return None


def notebook_title(notebook):
    """The text of a notebook's first '# ' heading, or None."""
    for cell in notebook.get("cells", []):
        if cell["cell_type"] == "markdown":
            found = re.search(r"^# (.+)$", _source(cell), re.MULTILINE)
            if found:
                return found.group(1).strip()
    return None


_DEFAULT_BIBLIOGRAPHY = {}


def default_bibliography():
    """The book's references.bib, read once ({} when the file is absent)."""
    if "entries" not in _DEFAULT_BIBLIOGRAPHY:
        _DEFAULT_BIBLIOGRAPHY["entries"] = load_bibliography(BIBLIOGRAPHY) if BIBLIOGRAPHY.is_file() else {}
    return _DEFAULT_BIBLIOGRAPHY["entries"]


def make_student_notebook(notebook, name="notebook", *, bibliography=None, documents=None, plain_markdown=True):
    """Return the student edition of a notebook (a dict in nbformat 4 JSON); the input is not modified.

    Solutions are stubbed and solution prose removed. With plain_markdown (the default) every markdown cell is
    translated from MyST to CommonMark + $...$ math (convert_markdown). bibliography: {key: (authors, year)}
    (default: the book's references.bib); documents: {docname: title} of the notebooks {doc} may link to
    (default: any target is linked as docname.ipynb).
    """
    notebook = json.loads(json.dumps(notebook))
    chapter = chapter_number(name, notebook["cells"])
    context = ConversionContext(chapter=chapter, documents=documents,
                                bibliography=default_bibliography() if bibliography is None else bibliography,
                                labels=notebook_labels(notebook["cells"], chapter),
                                equations=notebook_equations(notebook["cells"]))
    cells, in_solution, exercise = [], False, None
    for index, cell in enumerate(notebook["cells"]):
        text = _source(cell)
        where = f"{name}, cell {index}"
        if cell["cell_type"] == "markdown":
            if "{exercise}" in text:
                found = LABEL.search(text)
                exercise = found.group(1) if found else None
            if "{solution-start}" in text:
                if in_solution:
                    raise SolutionMarkerError(f"{where}: solution-start inside another solution")
                in_solution = True
            if in_solution:
                if "{solution-end}" in text:
                    in_solution = False
                continue
            if "{solution-end}" in text:
                raise SolutionMarkerError(f"{where}: solution-end without solution-start")
            if plain_markdown:
                context.where = where
                _set_source(cell, convert_markdown(text, context))
        elif cell["cell_type"] == "code" and BEGIN in text:
            _set_source(cell, strip_solution_code(text, exercise, where))
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    if in_solution:
        raise SolutionMarkerError(f"{name}: solution-start without solution-end")
    notebook["cells"] = cells
    return notebook


def make_student_edition(source, dest, bibliography=None):
    """Write the student edition of every notebook in `source` to `dest`; return the notebooks written.

    bibliography: a .bib path or {key: (authors, year)}; default: references.bib in `source`, else in its parent
    folder, else the book's.
    """
    source, dest = Path(source), Path(dest)
    if not source.is_dir():
        raise FileNotFoundError(f"source: no folder {source}")
    if dest.resolve() == source.resolve():
        raise ValueError("dest: must differ from source (the student edition never overwrites the book)")
    if bibliography is None:
        found = [path for path in (source / "references.bib", source.parent / "references.bib") if path.is_file()]
        bibliography = load_bibliography(found[0]) if found else default_bibliography()
    elif not isinstance(bibliography, dict):
        bibliography = load_bibliography(bibliography)
    notebooks = {path: json.loads(path.read_text(encoding="utf-8")) for path in sorted(source.glob("*.ipynb"))
                 if not path.name.startswith(".")}
    documents = {path.stem: notebook_title(notebook) or path.stem for path, notebook in notebooks.items()}
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source.iterdir()):
        if path.name.startswith(".") or path.name == "__pycache__":
            continue
        target = dest / path.name
        if path in notebooks:
            student = make_student_notebook(notebooks[path], path.name, bibliography=bibliography,
                                            documents=documents)
            target.write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            written.append(target)
        elif path.is_dir():
            shutil.copytree(path, target, dirs_exist_ok=True)
        else:
            shutil.copy2(path, target)
    for stale in sorted(dest.glob("*.ipynb")):
        if not (source / stale.name).exists():
            stale.unlink()
    return written


def main(argv):
    if len(argv) != 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    written = make_student_edition(*argv)
    print(f"student edition: {len(written)} notebooks in {argv[1]}/ (solutions replaced by NotImplementedError stubs, "
          "markdown in plain Jupyter form)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
