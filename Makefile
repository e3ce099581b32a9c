# dastan: every target does its own set-up (venv, pinned dependencies, the offline model).
#
#   make demo    the pipeline on data/samples: stories printed, report written
#   make test    the whole suite, real model and real servers included
#   make eval    clustering and summary scores on ../shared/eval  -> benchmarks/eval.json
#   make bench   speed and memory                                 -> benchmarks/results.json
#   make fuzz    the raw-page parser under hypothesis for longer
#   make soak    50 incremental runs with injected faults
#   make lock    re-pin constraints.txt from the current venv

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := data/models/multilingual-e5-small/dastan_model.json
# Quiet in CI logs and pipes, progress bars at a terminal.
QUIET := $(if $(shell [ -t 1 ] && echo tty),,-q)

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: demo test eval bench fuzz soak lock venv model browser clean

venv: $(STAMP)

# The pinned set is installed by uv: 82 s here with an empty .venv, where pip took 2:29-3:32
# (2026-12-02; the same 177 packages). It compiles their bytecode as pip does: this machine
# sets PYTHONDONTWRITEBYTECODE, so without it every process compiled torch and Prefect afresh
# (make test 1,146 s against 712 s). uv does not read pip's config, so it is pointed at the
# CPU build of torch on this machine's disk (--find-links; constraints.txt pins 2.13.0+cpu).
# Where uv cannot be installed, pip does the same install.
UV_VERSION := 0.13.9
WHEELS := $(wildcard /opt/wheels)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if $(BIN)/python -m pip install $(QUIET) "uv==$(UV_VERSION)"; then \
	  echo "$(BIN)/uv pip install --compile-bytecode -c constraints.txt -e '.[dev]'"; \
	  $(BIN)/uv pip install $(QUIET) --compile-bytecode --python $(BIN)/python -c constraints.txt \
	    $(if $(WHEELS),--find-links $(WHEELS)) -e '.[dev]'; \
	else \
	  echo "uv could not be installed: installing with pip"; \
	  $(BIN)/python -m pip install $(QUIET) --upgrade "pip>=24" && \
	  $(BIN)/python -m pip install $(QUIET) -c constraints.txt -e '.[dev]'; \
	fi
	@touch $(STAMP)

model: $(MODEL)

$(MODEL): $(STAMP)
	$(BIN)/dastan model build

demo: $(MODEL)
	$(BIN)/dastan demo

# Headless Chromium for the report's browser test (Debian's package; root on CI).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed; the browser test will fail"; }

test: $(MODEL) browser
	$(BIN)/python -m pytest -q --durations=15 -n 2 --dist loadscope --no-loadscope-reorder

eval: $(MODEL)
	$(BIN)/python -m benchmarks.eval --out benchmarks/eval.json

BENCH_VENV := .bench-venv

$(BENCH_VENV)/.installed: benchmarks/bertopic-requirements.txt
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install $(QUIET) -r benchmarks/bertopic-requirements.txt
	@touch $@

bench: $(MODEL) $(BENCH_VENV)/.installed
	$(BIN)/python -m benchmarks.bench --out benchmarks/results.json

fuzz: $(STAMP)
	DASTAN_FUZZ_SECONDS=600 $(BIN)/python -m pytest -q tests/test_fuzz.py

soak: $(MODEL)
	$(BIN)/python -m benchmarks.soak

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) .bench-venv data/models data/*.duckdb data/*.duckdb.wal data/report.html
