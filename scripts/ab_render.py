"""Is a change to the templates or styles cheaper? Renders before (a git revision's
templates/ and styles/) and after (the working tree's) in one process, alternated.

.venv/bin/python scripts/ab_render.py                          # HEAD against the working tree
.venv/bin/python scripts/ab_render.py --ref main psychodynamic-therapy-intake --rounds 5

Each round renders every selected output once with each version, one after the other,
the order swapped every round, so a slow spell of a shared machine touches both. Counts
CPU seconds (`time.process_time`) of whole renders as a build worker does them (HTML,
layout, checks, PDF, the garbage collection after each), and prints each version's
median and spread over the rounds and the after/before ratio of each round; then, under
cProfile, the number of Python function calls of one render of each, which load on the
machine does not change. Check that
the pages look the same with scripts/compare_pages.py.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "scripts"))

from final_html import render_setup  # noqa: E402

from handouts import worker  # noqa: E402
from handouts.catalog import Output  # noqa: E402
from handouts.paths import STYLES_DIR, TEMPLATES_DIR  # noqa: E402


def export(ref: str, folder: Path) -> tuple[Path, Path]:
    """The templates and styles of a git revision, written into folder."""
    archive = subprocess.run(
        ["git", "-C", str(PROJECT), "archive", ref, "templates", "styles"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "templates", folder / "styles"


def cpu_of_render(renderer: worker._Renderer, output: Output) -> tuple[float, int]:
    start = time.process_time()
    with worker._one_collection_per_document():
        rendered = renderer.render(output)
    if rendered.data is None:
        raise SystemExit(rendered.error or f"{output.id}: content problems")
    return time.process_time() - start, rendered.pages


def python_calls(renderer: worker._Renderer, outputs: list[Output]) -> int:
    """Python function calls of rendering the outputs once: a count that a busy machine
    does not change (it misses time in C: Pango, zlib)."""
    profile = cProfile.Profile()
    profile.enable()
    for output in outputs:
        cpu_of_render(renderer, output)
    profile.disable()
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="document or output ids (default: every output)")
    parser.add_argument("--ref", default="HEAD", help="the git revision to compare against (default HEAD)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ab-render-") as temp:
        setup, outputs = render_setup(Path(temp) / "output")
        if args.ids:
            outputs = [o for o in outputs if o.id in args.ids or o.document.id in args.ids]
            if not outputs:
                raise SystemExit(f"no output matches {' '.join(args.ids)}")
        templates, styles = export(args.ref, Path(temp))
        before = worker._Renderer(replace(setup, templates=templates, styles=styles))
        after = worker._Renderer(replace(setup, templates=TEMPLATES_DIR, styles=STYLES_DIR))
        for renderer in (before, after):  # fonts and stylesheets once, not counted
            cpu_of_render(renderer, outputs[0])
        totals: dict[str, list[float]] = {"before": [], "after": []}
        for round_number in range(args.rounds):
            spent = {"before": 0.0, "after": 0.0}
            order = [("before", before), ("after", after)]
            for output in outputs:
                pages = {}
                for name, renderer in order if round_number % 2 == 0 else order[::-1]:
                    seconds, pages[name] = cpu_of_render(renderer, output)
                    spent[name] += seconds
                if pages["before"] != pages["after"]:
                    print(f"{output.id}: {pages['before']} pages became {pages['after']}")
            for name in spent:
                totals[name].append(spent[name])
        calls = {"before": python_calls(before, outputs), "after": python_calls(after, outputs)}
        del before, after  # their fonts go while the interpreter is whole
    ratios = [a / b for a, b in zip(totals["after"], totals["before"], strict=True)]
    for name in ("before", "after"):
        runs = ", ".join(f"{value:.2f}" for value in totals[name])
        print(f"{name:6} ({args.ref if name == 'before' else 'working tree'}): "
              f"{statistics.median(totals[name]):6.2f} s CPU, median of {args.rounds} ({runs})")  # fmt: skip
    print(f"Python function calls: {calls['before']} before, {calls['after']} after "
          f"({calls['after'] / calls['before']:.3f})")  # fmt: skip
    print(f"after/before: {statistics.median(ratios):.3f} (rounds: {', '.join(f'{r:.3f}' for r in ratios)}) "
          f"for {len(outputs)} outputs")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
