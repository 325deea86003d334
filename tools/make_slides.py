"""Write one offline reveal.js slide deck per chapter from the executed notebooks of the built book.

Usage: python tools/make_slides.py BUILD_DIR OUT_DIR [--vendor DIR] [--book-vendor DIR] [--chapters DIR]
       (`make slides` = _build -> _build/slides, after `make book`)

BUILD_DIR is the book's _build folder: its jupyter_execute/chapters/*.ipynb carry the outputs (figures, printed
values, widget snapshots) of the last book build. The cells themselves come from `chapters/`, with each code
cell's outputs taken from the executed cell of the same id: a change of markdown or of the slide layout (cell
metadata `slideshow.slide_type`: slide, subslide, fragment, skip, notes) needs no new book build, a code cell
that changed since the build is an error ("run make book"). Each deck OUT_DIR/NN_name.slides.html is made by
nbconvert's reveal.js template through the book's own (tools/slides/book_reveal: offline, a 1280x720 canvas, no
prompts, long code in scrolling boxes, figure alt text), after a preprocessing step:
- MyST becomes plain markdown with the student edition's converter (tools/make_student.py, convert_markdown):
  roles ({doc} -> a link to the other deck, {cite} -> (Author, year), {ref}/{eq} -> text), admonitions and
  proofs -> titled blockquotes, exercises -> "**Exercise N.k (title)**", hints -> collapsed <details>;
- exercise solutions are left out: the solution prose (solution-start .. solution-end), the answer cells and the
  check cells (a lecturer shows the task, not the answer), whatever their slide metadata says;
- cells tagged remove-cell are left out, remove-input / remove-output drop that part;
- a left-out cell that opened a slide hands its slide_type on to the next cell shown.
Everything a deck loads is in OUT_DIR/_assets: reveal.js, MathJax 2.7.9 and jQuery (tools/vendor_slides.sh),
require.js and the widget renderer (the book's _vendor, tools/vendor_js.sh). No URL leaves the folder.
"""

import argparse
import copy
import importlib.util
import json
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "tools" / "slides"
SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
ASSETS = "_assets"


def _load_student_module():
    """tools/make_student.py, the one MyST -> plain markdown converter (imported by path, like its tests do)."""
    spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


student = _load_student_module()


class StaleBuildError(RuntimeError):
    """The executed notebook no longer matches the chapter (the book was built before the chapter changed)."""


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def slide_type(cell):
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def exercise_part(cell):
    return cell.get("metadata", {}).get("exercise", {}).get("part")


def with_outputs(chapter, executed, name="notebook", allow_stale=False):
    """The chapter as it is now, with each code cell's outputs taken from the executed cell of the same id (and
    the executed notebook's saved widget state); the inputs are not modified.

    Markdown and metadata (slide types) come from the chapter, so changing them needs no new book build. Raises
    StaleBuildError when a code cell is not in the build or its code changed (the outputs would be stale); with
    allow_stale it prints a warning and shows such a cell without outputs."""
    notebook = copy.deepcopy(chapter)
    built = {cell.get("id"): cell for cell in executed["cells"] if cell["cell_type"] == "code"}
    problems = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        run = built.get(cell.get("id"))
        if run is None or _source(run).strip() != _source(cell).strip():
            problems.append(f"code cell {cell.get('id')} {'is not in the build' if run is None else 'changed'}")
            cell["outputs"] = []
            continue
        cell["outputs"] = copy.deepcopy(run.get("outputs", []))
        cell["execution_count"] = run.get("execution_count")
    if "widgets" in executed.get("metadata", {}):
        notebook["metadata"]["widgets"] = copy.deepcopy(executed["metadata"]["widgets"])
    if problems:
        message = f"{name}: {'; '.join(problems[:3])}{' ...' if len(problems) > 3 else ''} since the book was built"
        if not allow_stale:
            raise StaleBuildError(message + " (run make book)")
        print(f"warning: {message}", file=sys.stderr)
    return notebook


def _drop(cells, index):
    """Remove cells[index]; if it opened a slide or subslide, the next cell that will be shown opens it instead."""
    kind = slide_type(cells[index])
    del cells[index]
    if kind in ("slide", "subslide") and index < len(cells):
        following = cells[index]
        if slide_type(following) in ("-", "fragment"):
            following.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = kind


def slides_notebook(notebook, name="notebook", documents=None, bibliography=None):
    """The notebook a deck is made from (see the module docstring); the input is not modified."""
    notebook = copy.deepcopy(notebook)
    cells = notebook["cells"]
    # Solution prose first (make_student_notebook drops it too, but then a slide start would be lost with it).
    index, inside = 0, False
    while index < len(cells):
        text = _source(cells[index]) if cells[index]["cell_type"] == "markdown" else ""
        starts, ends = "{solution-start}" in text, "{solution-end}" in text
        tags = cells[index].get("metadata", {}).get("tags", [])
        if starts or inside or ends or exercise_part(cells[index]) in ("answer", "check") or "remove-cell" in tags:
            inside = (inside or starts) and not ends
            _drop(cells, index)
        else:
            index += 1
    converted = student.make_student_notebook(notebook, name, documents=documents, bibliography=bibliography)
    for cell in converted["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "markdown":
            # {doc} links point at the other decks, not at the notebooks.
            text = re.sub(r"\]\((\d\d_[\w-]+)\.ipynb\)", r"](\1.slides.html)", _source(cell))
            cell["source"] = text
        elif cell["cell_type"] == "code":
            if "remove-input" in tags:
                cell["source"] = ""
                cell.setdefault("metadata", {})["transient"] = {"remove_source": True}
            if "remove-output" in tags:
                cell["outputs"] = []
    if not any(slide_type(cell) not in ("skip", "notes") for cell in converted["cells"]):
        raise ValueError(f"{name}: every cell is skipped, nothing to show")
    return converted


def _exporter(assets):
    from nbconvert.exporters import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.reveal_url_prefix = f"{assets}/reveal.js"
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.reveal_transition = "none"
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.reveal_width = "1280"
    config.SlidesExporter.reveal_height = "720"
    config.SlidesExporter.mathjax_url = f"{assets}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    config.SlidesExporter.require_js_url = f"{assets}/vendor/require.js"
    config.SlidesExporter.jquery_url = f"{assets}/jquery/jquery.min.js"
    config.SlidesExporter.widget_renderer_url = f"{assets}/vendor/html-manager/embed-amd.js"
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.SlidesExporter.template_name = "book_reveal"
    return SlidesExporter(config=config)


def copy_assets(vendor, book_vendor, out):
    """Copy the JavaScript a deck loads into out/_assets (a self-contained folder a lecturer can copy)."""
    for folder, what in ((vendor, "tools/vendor_slides.sh"), (book_vendor, "tools/vendor_js.sh")):
        if not (folder / ".complete").is_file():
            raise FileNotFoundError(f"{folder}: not vendored yet (bash {what} {folder})")
    assets = out / ASSETS
    if assets.exists():
        shutil.rmtree(assets)
    for part in ("reveal.js", "mathjax", "jquery"):
        shutil.copytree(vendor / part, assets / part)
    # require.js and the widget renderer; not its source maps or its non-AMD bundle (8 MB a deck never loads)
    shutil.copytree(book_vendor / "vendor", assets / "vendor", ignore=shutil.ignore_patterns("*.map", "embed.js"))
    return assets


def make_slides(build, out, vendor, book_vendor, chapters=ROOT / "chapters", allow_stale=False):
    """Write every chapter's deck; return [(path, seconds)]."""
    executed_dir = Path(build) / "jupyter_execute" / "chapters"
    chapters = Path(chapters)
    sources = {path.stem: json.loads(path.read_text(encoding="utf-8"))
               for path in sorted(chapters.glob("[0-9][0-9]_*.ipynb"))}
    if not sources:
        raise FileNotFoundError(f"{chapters}: no chapters")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.slides.html"):
        stale.unlink()
    copy_assets(Path(vendor), Path(book_vendor), out)
    documents = {stem: student.notebook_title(nb) or stem for stem, nb in sources.items()}
    import nbformat

    exporter = _exporter(ASSETS)
    # The folder of the vendored widget renderer (the template maps its AMD module names there).
    resources = {"widget_renderer_dir": f"{ASSETS}/vendor/html-manager"}
    written = []
    for stem, chapter in sources.items():
        start = time.perf_counter()
        path = executed_dir / f"{stem}.ipynb"
        if not path.is_file():
            raise StaleBuildError(f"{path}: chapter {stem} has not been built (run make book)")
        executed_notebook = json.loads(path.read_text(encoding="utf-8"))
        notebook = with_outputs(chapter, executed_notebook, path.name, allow_stale)
        notebook = slides_notebook(notebook, path.name, documents=documents)
        node = nbformat.reads(json.dumps(notebook), as_version=4)
        title = documents.get(path.stem, path.stem)
        node.metadata["title"] = title
        body, _ = exporter.from_notebook_node(node, resources={**resources, "metadata": {"name": title}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append((target, time.perf_counter() - start))
    return written


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", help="the book's _build folder (with jupyter_execute/)")
    parser.add_argument("out", help="where the decks go (e.g. _build/slides)")
    parser.add_argument("--vendor", default=str(ROOT / "_vendor_slides"), help="tools/vendor_slides.sh's folder")
    parser.add_argument("--book-vendor", default=str(ROOT / "_vendor"), help="tools/vendor_js.sh's folder")
    parser.add_argument("--chapters", default=str(ROOT / "chapters"), help="the chapters (slide metadata)")
    parser.add_argument("--allow-stale", action="store_true",
                        help="warn (instead of failing) when a chapter changed since the book was built")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written = make_slides(args.build, args.out, args.vendor, args.book_vendor, Path(args.chapters),
                          args.allow_stale)
    for path, seconds in written:
        print(f"{path} ({path.stat().st_size / 1e6:.1f} MB, {seconds:.1f} s)")
    print(f"{len(written)} decks in {args.out}/ in {time.perf_counter() - start:.1f} s; open one in a browser "
          f"(python -m http.server --directory {args.out}), S opens the speaker notes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
