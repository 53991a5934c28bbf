# Two commands a newcomer runs on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-deps
# System packages first, then the venv; a change to either list redoes only its own step.
SETUP := $(SYSTEM_STAMP) $(STAMP)

.PHONY: run test lint format bench package package-test clean

# System packages Qt and the tests need (apt, with sudo when not root); checked again
# whenever the script's list changes.
$(SYSTEM_STAMP): scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	@mkdir -p $(VENV) && touch $(SYSTEM_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

run: $(SETUP)
	@test -f $(DEMO_DB) || $(BIN)/campaign-studio demo --db $(DEMO_DB)
	$(BIN)/campaign-studio --db $(DEMO_DB)

test: $(SETUP)
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(BIN)/pytest -q -p no:cacheprovider

lint: $(SETUP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(SETUP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(SETUP)
	$(BIN)/python benchmarks/engine_throughput.py
	$(BIN)/python benchmarks/smtp_throughput.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/canvas.py

# The installers (Linux: PyInstaller bundle, .deb and portable tarball in dist/; see
# packaging/README.md). Needs binutils and patchelf (apt).
package: $(SETUP)
	@$(BIN)/python -c "import PyInstaller" 2>/dev/null || $(BIN)/pip install --quiet -e ".[package]"
	PYTHON=$(abspath $(BIN))/python packaging/build_deb.sh

# A clean Debian 12 root (debootstrap, needs root): apt installs the .deb, every screen opens
# under Xvfb, the keyring across a restart, remove/purge, the tarball. Minutes: not in `test`.
package-test: package
	packaging/package_test.sh --no-build

clean:
	rm -rf $(VENV) build dist .pytest_cache
