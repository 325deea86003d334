# Two commands matter: `make book` and `make test`. Each works alone on a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := _vendor
# reveal.js and MathJax 2 for the slide decks (tools/vendor_slides.sh), kept apart from the book's JavaScript.
SLIDESVENDOR := _vendor_slides
HTML := _build/html
PORT ?= 8000
# This machine's pip config names local mirrors that may be absent; pip warns once per package.
PIP_NOISE := is ignored: it is neither a file nor a directory
# The book's matrices are small: one BLAS thread per process is faster than threads that spin against the
# pytest workers and the kernels on a 2-core machine (10-20x on a loaded machine).
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
# pytest workers for the notebook and unit suites (2 cores here; override with `make test JOBS=4`).
JOBS ?= 2

.PHONY: setup book pdf slides test unit studentenv nbval booktests browsertests test-browser lint lab serve student publish-student bench lock clean

# --- setup -------------------------------------------------------------------------------------------------
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip 2>&1 | sed '/$(PIP_NOISE)/d'
	$(BIN)/python -m pip install -q -r requirements.txt 2>&1 | sed '/$(PIP_NOISE)/d'
	$(BIN)/python -c "import lib, jupyter_book, nbval, sphinx_exercise" # fail here if the install failed
	touch $@

$(VENDOR)/.complete: tools/vendor_js.sh
	bash tools/vendor_js.sh $(VENDOR)

setup: $(STAMP) $(VENDOR)/.complete $(SLIDESVENDOR)/.complete

# --- the book ----------------------------------------------------------------------------------------------
book: setup
	$(BIN)/jupyter-book build --all -W -n --keep-going .
	@echo
	@echo "The book is in $(HTML)/index.html. Open it with: make serve  (then http://127.0.0.1:$(PORT)/)"

# The PDF edition: every page of the built book printed by Chromium and merged (tools/make_pdf.py).
pdf: setup
	@test -f $(HTML)/index.html || { echo "no book yet: run make book"; exit 1; }
	$(BIN)/python tools/make_pdf.py $(HTML) _build/pdf/book.pdf

# Slides: one offline reveal.js deck per chapter in _build/slides/ (tools/make_slides.py), with the outputs of the
# built book; reveal.js and MathJax 2 come from npm (tools/vendor_slides.sh), like the book's JavaScript.
$(SLIDESVENDOR)/.complete: tools/vendor_slides.sh
	bash tools/vendor_slides.sh $(SLIDESVENDOR)

slides: setup
	@test -d _build/jupyter_execute/chapters || { echo "no book yet: run make book"; exit 1; }
	$(BIN)/python tools/make_slides.py _build _build/slides

serve:
	@test -f $(HTML)/index.html || { echo "no book yet: run make book"; exit 1; }
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

lab: setup
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root,)

# --- tests -------------------------------------------------------------------------------------------------
lint: setup
	$(BIN)/ruff check lib tests tools

unit: setup
	$(BIN)/pytest -q -n $(JOBS) tests --ignore=tests/book --ignore=tests/browser --ignore=tests/student_env

# The student environment (binder/requirements.txt) in a fresh venv runs every chapter (about 3 minutes).
studentenv: setup
	$(BIN)/pytest -q tests/student_env

nbval: setup
	$(BIN)/pytest -q -n $(JOBS) --dist loadfile --nbval --nbval-current-env --nbval-cell-timeout=120 chapters

booktests: setup
	$(BIN)/pytest -q tests/book

browsertests: setup
	$(BIN)/pytest -q tests/browser

test-browser: book browsertests

# `make test`: lint, unit tests, every notebook under nbval, every chapter in the student environment, then the
# book is built (warnings as errors), printed to PDF, made into slide decks, and checked as files and, when
# Chromium is installed, in a headless browser.
test: setup lint unit nbval studentenv book
	@if command -v chromium >/dev/null 2>&1; then $(MAKE) --no-print-directory pdf; \
	else echo "chromium not installed: PDF edition skipped (apt-get install chromium, or see .ci/run)"; fi
	$(MAKE) --no-print-directory slides
	$(MAKE) --no-print-directory booktests
	@if command -v chromium >/dev/null 2>&1; then $(MAKE) --no-print-directory browsertests; \
	else echo "chromium not installed: browser tests skipped (apt-get install chromium, or see .ci/run)"; fi

# --- teaching ------------------------------------------------------------------------------------------------
student: setup
	$(BIN)/python tools/make_student.py chapters student

# The student edition on its own branch (student-edition), for nbgitpuller links from a hub: see README.
publish-student: student
	bash tools/publish_student.sh

bench: setup
	$(BIN)/python tools/bench.py

# `make lock`: re-resolve requirements.in to exact pins in requirements.txt (pip-tools, in its own venv so the
# book's environment is untouched), then `make setup` installs them. Run it when you change requirements.in or
# want newer versions, and run `make test` before you commit the new pins.
LOCKVENV := .venv-lock
lock:
	test -x $(LOCKVENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCKVENV) && \
		$(LOCKVENV)/bin/python -m pip install -q pip-tools==7.7.0 2>&1 | sed '/$(PIP_NOISE)/d'; }
	$(LOCKVENV)/bin/pip-compile -q --upgrade --strip-extras --no-emit-index-url --no-emit-trusted-host \
		--no-emit-find-links --output-file=requirements.txt requirements.in 2>&1 | sed '/$(PIP_NOISE)/d'
	printf '%s\n' '# The library itself, editable, so notebooks, tests and the build import `lib` from the root.' '-e .' \
		>> requirements.txt
	# The student runtime takes the book's versions: constrained by the pins just made (without `-e .`).
	grep -v '^-e ' requirements.txt > $(LOCKVENV)/book-pins.txt
	cd binder && ../$(LOCKVENV)/bin/pip-compile -q --upgrade --strip-extras --no-emit-index-url --no-emit-trusted-host \
		--no-emit-find-links --constraint=../$(LOCKVENV)/book-pins.txt --output-file=requirements.txt requirements.in \
		2>&1 | sed '/$(PIP_NOISE)/d'
	printf '%s\n' '# The library itself, from the repository root (not editable): pip install -r binder/requirements.txt' '.' \
		>> binder/requirements.txt

clean:
	rm -rf _build $(VENDOR) $(SLIDESVENDOR) student .pytest_cache .hypothesis
