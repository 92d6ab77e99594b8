# Anchor Themes. Two commands do everything on a fresh machine:
#   make run    create .venv, install, and open the dashboard on the bundled data
#               (or on your files: make run POSTS=posts.csv CODEBOOK=codebook.toml LABELS=labels.csv);
#               streamlit run dashboard.py, with the engine imported at start (app_pages/serve.py)
#   make test   install the dev tools, lint, and run every test (browser tests need
#               /usr/bin/chromium; set REQUIRE_BROWSER=1 to fail rather than skip without it)
#   make mutants  mutation testing of analysis/ (mutmut): fails under 90% of mutants caught

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Files to open the dashboard on instead of the bundled ones (each optional; LABELS needs POSTS).
POSTS ?=
CODEBOOK ?=
LABELS ?=
FILES := $(if $(POSTS),--posts '$(POSTS)') $(if $(CODEBOOK),--codebook '$(CODEBOOK)') \
	$(if $(LABELS),--labels '$(LABELS)')
SESSIONS ?= 30
# Mutation testing: the modules behind the numbers on screen by default (a run over all of
# analysis/ takes hours); MUTANTS=all for everything, or name modules: MUTANTS="dates tables".
MUTANTS ?= selection filters coverage findings viewstate whatiflink
# Test processes at once; the default leaves a core for everything else on a 2-core machine.
CHILDREN ?= 1
MUTANT_NAMES := $(if $(filter all,$(MUTANTS)),,$(foreach m,$(MUTANTS),'analysis.$(m).*'))

.PHONY: run test lint unit browser bench load mutants clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m app_pages.serve --server.port $(PORT) $(if $(strip $(FILES)),-- $(FILES))

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: lint
	$(PY) -m pytest

unit: $(VENV)/.dev
	$(PY) -m pytest -m "not browser"

browser: $(VENV)/.dev
	$(PY) -m pytest -m browser

# Benchmarks print ratios against a yardstick measured in the same run (medians; suggest: the
# codebook learned from labels against the hand-written one on held-out posts); page_speed
# and server_memory (memory per 100k-post corpus, opening 1M posts) drive Debian Chromium,
# so bench needs the dev tools.
bench: $(VENV)/.dev
	$(PY) bench/terms.py
	$(PY) bench/cli.py
	$(PY) bench/rerun.py
	$(PY) bench/page_speed.py
	$(PY) bench/discover.py
	$(PY) bench/suggest.py
	$(PY) bench/server_memory.py

# Workshop load test: SESSIONS people at once on the dashboard and on a minimal
# Streamlit+Plotly app, in Debian Chromium; minutes at 30 on a small machine.
load: $(VENV)/.dev
	$(PY) bench/workshop_load.py --sessions $(SESSIONS)

# mutmut keeps results in mutants/ and reuses them for unchanged code; `make clean` starts afresh.
mutants: $(VENV)/.dev
	$(PY) -m mutmut run --max-children $(CHILDREN) $(MUTANT_NAMES)
	$(PY) scripts/mutation_score.py $(if $(filter all,$(MUTANTS)),,$(MUTANTS))

clean:
	rm -rf $(VENV) artifacts mutants .pytest_cache .ruff_cache
