# pulih — make run · make test · make lint · make bench
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: install install-dev run test lint bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
	@$(BIN)/python -m pulih.core.i18n_compile

install-dev: $(VENV)/.installed-dev
	@$(BIN)/python -m pulih.core.i18n_compile

run: install
	@DEBUG=$${DEBUG:-true} $(BIN)/pulih setup
	@DEBUG=$${DEBUG:-true} $(BIN)/pulih serve --port $(PORT)

test: install-dev
	DEBUG=true $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

bench: install-dev
	DEBUG=true $(BIN)/python bench/wilayah_load.py
	$(BIN)/python -m bench.dedup --size 100000
	$(BIN)/python -m bench.dedup_online --people 100000 --checks 200
	$(BIN)/python -m bench.allocation --producers 330 --points 2000

messages: install-dev
	cd src/pulih && DEBUG=true ../../$(BIN)/pulih makemessages -l id --no-obsolete --add-location file
	@$(BIN)/python -m pulih.core.i18n_compile

clean:
	rm -rf $(VENV) var
