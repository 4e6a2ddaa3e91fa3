# Developer commands for Elevate; `make help` lists them. The local stack (servers and
# services) is run by scripts/stack.sh, which keeps its data, logs and pids in .stack/.

SHELL := /bin/bash
.DEFAULT_GOAL := help

STACK := scripts/stack.sh
# uv from PATH, or the module `pip install uv` left behind (scripts/stack.sh installs it).
UV = $(shell command -v uv >/dev/null 2>&1 && echo uv || echo python3 -m uv)


# Inputs of the advisor's offline evaluation; ../shared sits next to the repository.
CATALOGUE ?= ../shared/eval/catalogue.yaml
REASONS ?= ../shared/eval/reasons.jsonl
ENGINE ?= offline

# Run pytest and say so when it collected nothing: exit code 5 stays a failure.
define pytest
$(UV) run pytest $(1); rc=$$?; \
if [ $$rc -eq 5 ]; then echo "make: pytest collected no tests (exit code 5)" >&2; fi; \
exit $$rc
endef

.PHONY: help install run stop status mail lint format test test-unit bench eval-advisor

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*## "} {printf "  %-13s %s\n", $$1, $$2}'

install: ## Install what is missing: uv, Python packages, Redis, Kafka jars, FerretDB
	$(STACK) install

run: ## Start the servers and the services (a second run starts no second copy)
	$(STACK) up

stop: ## Stop the services and servers the stack started
	$(STACK) stop

mail: ## Print the newest emails of the local mail sink (approval links), N=3
	@$(UV) run python scripts/mail.py $(or $(N),3)

status: ## Show which servers and services run, where, and their logs
	$(STACK) status

lint: ## Check the code: ruff check, ruff format --check, mypy (strict)
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy  # the paths are in pyproject.toml

format: ## Fix what ruff can fix and format the code
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

test: ## Install what is missing, start the servers if needed, lint, run every test
	$(STACK) servers
	$(MAKE) --no-print-directory lint
	@# The servers' addresses go to pytest, so the session does not ask the script again.
	@set -a; . .stack/env; set +a; $(call pytest,)

test-unit: ## Run the unit tests only (no servers needed)
	@$(call pytest,tests/unit)

# The benchmarks start the servers themselves if needed and pause the `make run` services.
bench: ## Measure speed and memory against their targets on the local stack
	$(UV) run python -m benchmarks

eval-advisor: ## Evaluate the advisor (CATALOGUE=, REASONS=, ENGINE=offline)
	$(UV) run python -m elevate_advisor.eval --catalogue $(CATALOGUE) \
		--reasons $(REASONS) --engine $(ENGINE)
