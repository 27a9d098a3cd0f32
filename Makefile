# Build and test the book "Long Short-Term Memory from first principles".
#
#   make book    execute every chapter and build the website into _build/html
#   make test    unit tests, then every notebook under nbval, then the book build
#   make lab     open the chapters in JupyterLab
#   make clean   remove build output and caches (keeps .venv)
#   make distclean   also remove .venv
#
# Everything runs inside a project-local virtual environment (.venv) created
# from the exact pins in requirements.txt; nothing is installed or registered
# outside this directory.

PYTHON ?= python3
PIP_VERSION := 26.3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist workers for the notebook run (one notebook per worker at a time).
NBVAL_WORKERS ?= 2

# Prefer the kernel spec and Jupyter paths of .venv over any the user has
# installed in their home directory, so notebooks always run with .venv's Python.
export JUPYTER_PREFER_ENV_PATH := 1

.DELETE_ON_ERROR:
.PHONY: all venv book test lab clean distclean

all: book

venv: $(STAMP)

# Recreate the environment from scratch whenever the pins or the package
# metadata change, so .venv never holds leftovers from an older pin set.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $@

# --all rebuilds every page, so every notebook is executed again even when
# only the code in lstm/ changed: the site always shows what the code does now.
# -W turns every Sphinx warning into an error; --keep-going reports them all.
BUILD_BOOK = $(BIN)/jupyter-book build . --path-output . --all -W --keep-going
# pytest exits with 5 when it collects nothing; make treats that as a failure,
# so an empty tests/ or book/ cannot pass silently.
UNIT_TESTS = $(BIN)/python -m pytest tests
NOTEBOOK_TESTS = $(BIN)/python -m pytest --nbval-lax --nbval-current-env \
	--nbval-cell-timeout=300 -n $(NBVAL_WORKERS) --dist loadfile book

book: $(STAMP)
	$(BUILD_BOOK)

# The three steps run in order and the first failure stops the target.
test: $(STAMP)
	$(UNIT_TESTS)
	$(NOTEBOOK_TESTS)
	$(BUILD_BOOK)

# Extra options for JupyterLab, e.g. LAB_ARGS="--no-browser --port 8890".
LAB_ARGS ?=

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=book $(LAB_ARGS)

clean:
	rm -rf _build .pytest_cache .hypothesis .jupyter_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
	find . -path ./.venv -prune -o -name .ipynb_checkpoints -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
