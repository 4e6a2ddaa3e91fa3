"""Run an engine over labelled reasons and print its figures.

    python -m elevate_advisor.eval --catalogue FILE --reasons FILE [--engine offline|openai]

The last line is ``top1=<0..1> top3=<0..1> overgrant=<0..1> duration=<0..1> n=<count>``.
Answers pass through the same guard as in the service; a model that fails on a line
counts as no suggestion for it (the service would fall back to the offline engine).
``--misses`` lists the reasons whose top suggestion differs from the label, on stderr.
"""

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from elevate_advisor.adapters.openai_engine import OpenAIEngine
from elevate_advisor.domain.engine import AdviceEngine, EngineFailed, Suggestion
from elevate_advisor.domain.guard import enforce
from elevate_advisor.domain.offline import OfflineEngine
from elevate_advisor.domain.profiles import RoleProfile
from elevate_advisor.eval.files import EvalFileError, Labelled, read_catalogue, read_reasons
from elevate_advisor.eval.metrics import Tally
from elevate_advisor.settings import LlmSettings


def main(argv: list[str] | None = None) -> int:
    """Evaluate, write the figures to standard output, return the exit status."""
    args = _parser().parse_args(argv)
    try:
        roles = read_catalogue(args.catalogue)
        labelled = read_reasons(args.reasons, roles)
    except (OSError, EvalFileError) as error:
        sys.stderr.write(f"eval: {error}\n")
        return 2
    settings = LlmSettings()
    if args.engine == "openai" and not settings.base_url:
        sys.stderr.write(
            "eval: set LLM_BASE_URL (and LLM_MODEL, LLM_API_KEY) for --engine openai\n"
        )
        return 2
    engine = OpenAIEngine(settings) if args.engine == "openai" else OfflineEngine()
    tally = asyncio.run(_evaluate(engine, roles, labelled, args.misses))
    sys.stdout.write(tally.line() + "\n")
    return 0


async def _evaluate(
    engine: AdviceEngine, roles: list[RoleProfile], labelled: list[Labelled], misses: bool
) -> Tally:
    by_name = {role.name: role for role in roles}
    tally = Tally()
    now = datetime.now(UTC)
    for item in labelled:
        try:
            suggestion = await engine.suggest(item.reason, roles, now)
        except EngineFailed:
            # Counted as no suggestion: the figures say how the engine alone does.
            suggestion = Suggestion(role=None)
        answer = enforce(suggestion, roles)
        tally.add(item, answer, by_name)
        if misses and answer.role != item.role:
            sys.stderr.write(f"miss: {item.reason!r} -> {answer.role} (want {item.role})\n")
    return tally


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m elevate_advisor.eval")
    parser.add_argument("--catalogue", type=Path, required=True, help="neutral catalogue YAML")
    parser.add_argument("--reasons", type=Path, required=True, help="labelled reasons JSONL")
    parser.add_argument("--engine", choices=("offline", "openai"), default="offline")
    parser.add_argument("--misses", action="store_true", help="list misses on stderr")
    return parser


if __name__ == "__main__":
    sys.exit(main())
