"""Benchmark of the whole catalogue, on this machine, in one run (`make bench`).

(a) cold full build (`generate.py --force`, worker pool),
(b) no-change rebuild (same command without --force),
(c) naive loop: the same final HTML rendered one document at a time by the `weasyprint`
    command, a fresh process and WeasyPrint set-up per document, as a user calling
    WeasyPrint directly would,
(d) peak memory (summed RSS of the build's process tree) during a second cold build,
(e) one personalised copy of the Letter intake leaflet (`handouts personalise`'s fill of
    the built PDF's form fields) against a full render of the same leaflet, both in this
    process with everything loaded (the render with its fonts and stylesheets warm),
(f) edit-to-PDF latency of `handouts watch`: from saving one brochure file (in a copy of
    the content folder) to its standard Letter PDF being replaced, with warm workers; the
    median of EDITS saves, after one that warms the workers' renderers.
Timings are the median of three rounds, each running a, b and c in turn, so that a slow
spell of a shared machine touches all three. Prints the figures and the ratios a/c and
b/a. `scripts/bench.py watch` measures (f) alone. Not a test: timings vary by machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from handouts.brand import brand_stylesheet  # noqa: E402
from handouts.build import BuildSettings  # noqa: E402
from handouts.catalog import plan  # noqa: E402
from handouts.paths import CONTENT_DIR, STYLES_DIR, TEMPLATES_DIR  # noqa: E402
from handouts.pipeline import load_content  # noqa: E402
from handouts.render import HtmlRenderer  # noqa: E402
from handouts.styles_plan import BRAND_SHEET, stylesheet_names  # noqa: E402
from handouts.typeset.typesetter import pdf_options  # noqa: E402

ROUNDS = 3
LEAFLET = "psychodynamic-therapy-intake-leaflet-letter"
FILLS = 50
EDITS = 5
EDITED = Path("brochures/psychodynamic-therapy.yaml")
EDITED_PDF = "Psychodynamic-Therapy-Brochure-Letter.pdf"
EDITED_OUTPUT = "psychodynamic-therapy-booklet-letter"
WORDING = ("feel and act the way you do.", "feel and act as you do.")
"""Two wordings of one sentence of the edited brochure, saved in turn."""
PYTHON = sys.executable
WEASYPRINT = str(Path(PYTHON).with_name("weasyprint"))


def _tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, parent = int(entry.name), int(fields.get("PPid", "0").strip())
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        total += rss.get(pid, 0)
        pending += children.get(pid, [])
    return total


def timed(command: list[str], watch_memory: bool = False) -> tuple[float, int]:
    """Wall seconds, and peak summed RSS of the process tree when asked."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT)
    peak = 0
    if watch_memory:
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_rss_bytes(process.pid))
                stop.wait(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - start
    if watch_memory:
        stop.set()
        sampler.join()
    if code not in (0,):
        raise SystemExit(f"{' '.join(command)} exited {code}")
    return seconds, peak


def naive_commands(workdir: Path) -> list[list[str]]:
    """One `weasyprint` command per document, on the final HTML our templates make."""
    content, problems = load_content(BuildSettings(content=CONTENT_DIR, output=workdir))
    if problems or content.clinic is None:
        raise SystemExit("content has problems: run the build first")
    brand = workdir / "brand.css"
    brand.write_text(brand_stylesheet(content.clinic.brand))
    renderer = HtmlRenderer(TEMPLATES_DIR)
    commands = []
    for output in plan(content.documents):
        strings = content.strings[output.document.language]
        html = workdir / f"{output.id}.html"
        html.write_text(renderer.render(output, content.clinic, strings, content.instruments, CONTENT_DIR))
        command = [WEASYPRINT, "--base-url", TEMPLATES_DIR.as_uri() + "/"]
        for name in stylesheet_names(STYLES_DIR, output.layout, output.paper, output.variant):
            command += ["--stylesheet", str(brand if name == BRAND_SHEET else STYLES_DIR / name)]
        options = pdf_options(output.variant)
        if options.get("pdf_forms"):
            command.append("--pdf-forms")
        if options.get("pdf_variant"):
            command += ["--pdf-variant", options["pdf_variant"]]
        if options.get("pdf_tags"):
            command.append("--pdf-tags")
        commands.append([*command, str(html), str(workdir / f"{output.id}.pdf")])
    return commands


def run_naive(commands: list[list[str]]) -> float:
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def warm_renders(output_id: str) -> tuple[list[float], bytes]:
    """Seconds of ROUNDS renders of one output in this process, after one that warms its
    fonts and stylesheets; and the PDF."""
    import uuid

    from handouts import worker

    content, _ = load_content(BuildSettings(content=CONTENT_DIR, output=PROJECT / "output"))
    assert content.clinic is not None
    (output,) = [o for o in plan(content.documents) if o.id == output_id]
    setup = worker.RenderSetup(
        TEMPLATES_DIR, STYLES_DIR, CONTENT_DIR, content.clinic, content.strings, content.instruments,
        build_id=uuid.uuid4().hex,
    )  # fmt: skip
    renders, pdf = [], b""
    for _ in range(ROUNDS + 1):
        start = time.perf_counter()
        pdf = worker.render_with(setup, output).data or b""
        renders.append(time.perf_counter() - start)
    worker.stop()
    return renders[1:], pdf


def personalise_vs_render() -> tuple[float, float]:
    """Median seconds of one personalised copy and of one full render of the same leaflet."""
    from handouts.leaflet_pdf import fill_text_fields

    renders, blank = warm_renders(LEAFLET)
    values = {
        "full_name": "Sample Patient", "date_of_birth": "01/02/1980",
        "appointment": "Tuesday 4 May, 10:00", "clinician": "Sample Clinician",
    }  # fmt: skip
    fills = []
    for _ in range(FILLS):
        start = time.perf_counter()
        fill_text_fields(blank, values)
        fills.append(time.perf_counter() - start)
    return statistics.median(fills), statistics.median(renders)


def _wait_for_line(process: subprocess.Popen[str], start: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(start):
            return
    raise SystemExit(f"handouts watch ended before printing {start!r}")


def edit_to_pdf(folder: Path, output: Path) -> list[float]:
    """Seconds from each save to the standard PDF being replaced, the first (warming) save
    first. `output` holds a build of the shipped content, so the watcher starts warm."""
    content = folder / "watched-content"
    shutil.copytree(CONTENT_DIR, content)
    command = [PYTHON, "generate.py", "watch", "--content", str(content), "--output", str(output)]
    process = subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    latencies = []
    try:
        _wait_for_line(process, "watching ")
        brochure, pdf = content / EDITED, output / EDITED_PDF
        for edit in range(EDITS + 1):
            old, new = WORDING if edit % 2 == 0 else WORDING[::-1]
            text = brochure.read_text(encoding="utf-8")
            assert old in text, f"{EDITED} no longer says {old!r}: update WORDING"
            staged = folder / "saving.yaml"
            staged.write_text(text.replace(old, new), encoding="utf-8")
            before = pdf.stat().st_ino
            start = time.perf_counter()
            os.replace(staged, brochure)
            while pdf.stat().st_ino == before:  # a PDF is replaced by a rename: a new inode
                time.sleep(0.002)
            latencies.append(time.perf_counter() - start)
            _wait_for_line(process, "watching ")  # the rest of its outputs, before the next save
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
    return latencies


def watch_only() -> None:
    with tempfile.TemporaryDirectory(prefix="handouts-bench-") as temp:
        folder = Path(temp)
        timed([PYTHON, "generate.py", "--output", str(folder / "out")])
        edits = edit_to_pdf(folder, folder / "out")
    print_edit_to_pdf(edits)


def print_edit_to_pdf(edits: list[float]) -> None:
    """(f), beside a render of the same PDF alone, which tells the watcher's own cost."""
    renders, _ = warm_renders(EDITED_OUTPUT)
    print(f"(f) edit to PDF (watch):   {statistics.median(edits[1:]):6.2f} s   "
          f"({_runs(edits[1:])}; first save {edits[0]:.2f}; aim < 1 s)")  # fmt: skip
    print(f"    its render alone, warm: {statistics.median(renders):6.2f} s   ({_runs(renders)})")


def main() -> None:
    cores = os.cpu_count() or 1
    cold, rebuild, naive = [], [], []
    with tempfile.TemporaryDirectory(prefix="handouts-bench-") as temp:
        folder = Path(temp)
        commands = naive_commands(folder)
        build = [PYTHON, "generate.py", "--output", str(folder / "out")]
        for _ in range(ROUNDS):
            cold.append(timed([*build, "--force"])[0])
            rebuild.append(timed(build)[0])
            naive.append(run_naive(commands))
        # Memory is sampled in a run of its own: the sampler's own work would slow (a).
        _, peak = timed([PYTHON, "generate.py", "--output", str(folder / "memory")], watch_memory=True)
        edits = edit_to_pdf(folder, folder / "out")
    a, b, c = (statistics.median(runs) for runs in (cold, rebuild, naive))
    fill, render = personalise_vs_render()
    print(f"machine: {cores} cores; catalogue: {len(commands)} PDFs; median of {ROUNDS} rounds")
    print(f"(a) cold full build:       {a:6.2f} s   ({_runs(cold)})")
    print(f"(b) no-change rebuild:     {b:6.2f} s   ({_runs(rebuild)})")
    print(f"(c) naive WeasyPrint loop: {c:6.2f} s   ({_runs(naive)})")
    print(f"(d) peak memory, cold:     {peak / 2**20:6.0f} MB")
    print(f"(e) personalised copy:     {fill * 1000:6.1f} ms  vs a full render of it {render * 1000:.0f} ms")
    print_edit_to_pdf(edits)
    print(f"a/c = {a / c:.3f} (target <= 0.2); b/a = {b / a:.3f} (target <= 0.05); "
          f"render/copy = {render / fill:.0f} (target >= 50); edit to PDF (aim < 1 s)")  # fmt: skip


def _runs(seconds: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in seconds)


if __name__ == "__main__":
    watch_only() if sys.argv[1:] == ["watch"] else main()
