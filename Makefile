# Two commands on a fresh machine: `make run` (serve the classifier) and `make test`.
# Everything generated lives in var/ (data, models, the MLflow store) or .venv/.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
MODEL  := var/models/autoheal-classifier.joblib
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test check fmt lint typecheck train eval bench data venv clean system-deps native-deps

# The scanner's modules that mypyc compiles (`model._compiled.COMPILED_MODULES`): an edit to one
# of them runs from source until the next build, which any target depending on this one does.
COMPILED_PY := $(addprefix model/,_compiled.py _fast_re2.py _lines.py _logtext.py _scoring.py \
	_clusters.py _scan.py _select.py)

$(STAMP): pyproject.toml setup.py $(wildcard model/*.c model/*.cpp) $(COMPILED_PY) | native-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

$(MODEL): | $(STAMP)
	$(BIN)/autoheal train

data: $(STAMP)
	$(BIN)/autoheal dataset generate

# People's corrections (var/data/feedback.jsonl) are exported from the service's database, when
# there is one, and trained on with the generated data.
train: $(STAMP)
	$(BIN)/autoheal dataset export --if-exists
	$(BIN)/autoheal train

eval: $(STAMP) $(MODEL)
	$(BIN)/autoheal eval

run: $(STAMP) $(MODEL)
	$(BIN)/autoheal serve --host $(HOST) --port $(PORT)

# The scanner's searches call the system's RE2 library directly when its headers are there when
# the package is built (Debian's libre2-dev, 1 MB): installed when missing and we are root;
# otherwise google-re2 answers the same searches, a little slower.
native-deps:
	@test -f /usr/include/re2/set.h || test -f /usr/local/include/re2/set.h || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libre2-dev >/dev/null) \
	  || echo "note: libre2-dev not installed; the scanner's searches go through google-re2"; }

# The dashboard test drives a real headless Chromium (Debian's package). Installed when missing
# and we are root; otherwise that one test is skipped and says why.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "note: chromium not installed; the dashboard browser test will be skipped"; }

test: $(STAMP) $(MODEL) system-deps
	$(BIN)/python -m pytest

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP) $(MODEL)
	$(BIN)/python -m bench

# The compiled extensions go too, with the install stamp: the next target reinstalls, which
# builds them again (without the stamp gone, the venv would run the Python fallbacks).
clean:
	rm -rf var build *.egg-info .pytest_cache .mypy_cache .ruff_cache
	rm -f model/*.so $(STAMP)
