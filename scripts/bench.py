"""Benchmark of the whole catalogue, on this machine, in one run (`make bench`).

(a) cold full build (`generate.py --force`, worker pool),
(b) no-change rebuild (same command without --force),
(c) naive loop: the same final HTML rendered one document at a time by the `weasyprint`
    command, a fresh process and WeasyPrint set-up per document, as a user calling
    WeasyPrint directly would,
(f) one Chromium, started once and kept open (Debian's package, driven by Playwright),
    printing the same final HTML two tabs at a time; skipped, with the reason, when the
    `bench` extra or the chromium package is missing,
(d) peak memory (summed RSS of the build's process tree) during a second cold build,
(e) one personalised copy of the Letter intake leaflet (`handouts personalise`'s fill of
    the built PDF's form fields) against a full render of the same leaflet, both in this
    process with everything loaded (the render with its fonts and stylesheets warm),
(g) the Letter intake leaflet against the Letter booklet of the same page count, warm
    renders in this process, alternated,
(i) our warm render of each output against WeasyPrint alone on its final HTML (the same
    stylesheets and PDF options: tags, forms, PDF/UA; no page checks, fixes or notes
    pages), alternated output by output in this process, in CPU seconds,
(j) WeasyPrint alone in one warm process per core, rendering every final HTML longest
    first, in the rounds beside (a) and (f): the least time any build of these pages
    with WeasyPrint could take, whatever our engine does (scripts/weasyprint_alone.py);
    j/f is the least a/f could be without changing the pages,
(h) edit-to-PDF latency of `handouts watch`: from saving one brochure file (in a copy of
    the content folder) to its standard Letter PDF being replaced, with warm workers; the
    median of EDITS saves, after one that warms the workers' renderers.
The final HTML is what the build gives WeasyPrint, saved from a render in this process
(scripts/final_html.py). Timings are the median of the rounds, each running a, f, j, b and
c in turn, so that a slow spell of a shared machine touches all of them; each figure
also shows its runs, and a/f its value in each round. `scripts/bench.py watch` measures
(h) alone. Not a test: timings vary by machine.
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

import chromium_print  # noqa: E402
from final_html import FinalHtml, render_setup, save_final_html  # noqa: E402
from weasyprint_alone import AlonePool, render_alone  # noqa: E402

from handouts import worker  # noqa: E402
from handouts.catalog import Output  # noqa: E402
from handouts.paths import CONTENT_DIR, TEMPLATES_DIR  # noqa: E402
from handouts.typeset.typesetter import pdf_options  # noqa: E402

ROUNDS = 3
LEAFLET = "psychodynamic-therapy-intake-leaflet-letter"
BOOKLET = "psychodynamic-therapy-booklet-letter"
"""A booklet of the leaflet's page count (11 pages each)."""
WARM_ROUNDS = 5
FILLS = 50
TABS = 2
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


def naive_commands(saved: list[FinalHtml], folder: Path) -> list[list[str]]:
    """One `weasyprint` command per document, on the final HTML our templates make."""
    commands = []
    for final in saved:
        command = [WEASYPRINT, "--base-url", TEMPLATES_DIR.as_uri() + "/"]
        for sheet in final.stylesheets:
            command += ["--stylesheet", str(sheet)]
        options = pdf_options(final.output.variant)
        if options.get("pdf_forms"):
            command.append("--pdf-forms")
        if options.get("pdf_variant"):
            command += ["--pdf-variant", options["pdf_variant"]]
        if options.get("pdf_tags"):
            command.append("--pdf-tags")
        commands.append([*command, str(final.html), str(folder / f"{final.output.id}.pdf")])
    return commands


def run_naive(commands: list[list[str]]) -> float:
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _by_id(outputs: list[Output], output_id: str) -> Output:
    (output,) = [o for o in outputs if o.id == output_id]
    return output


def warm_render(output: Output) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one render in this process's started worker, and the PDF."""
    wall, cpu = time.perf_counter(), time.process_time()
    data = worker.render(output).data or b""
    return time.perf_counter() - wall, time.process_time() - cpu, data


def leaflet_vs_booklet(outputs: list[Output]) -> dict[str, list[float]]:
    """Warm renders of the leaflet and the booklet, alternated: wall and CPU seconds."""
    leaflet, booklet = _by_id(outputs, LEAFLET), _by_id(outputs, BOOKLET)
    runs: dict[str, list[float]] = {
        f"{name} {clock}": [] for name in ("leaflet", "booklet") for clock in ("wall", "cpu")
    }
    for _ in range(WARM_ROUNDS):
        for name, output in (("leaflet", leaflet), ("booklet", booklet)):
            wall, cpu, _ = warm_render(output)
            runs[f"{name} wall"].append(wall)
            runs[f"{name} cpu"].append(cpu)
    return runs


def ours_and_alone_cpu(saved: list[FinalHtml]) -> tuple[float, float]:
    """CPU seconds of our warm render of every output and of WeasyPrint alone rendering
    its final HTML, alternated output by output, after a warming pass of each."""
    warm_render(saved[0].output)
    render_alone(saved[0])
    ours = alone = 0.0
    for final in saved:
        ours += warm_render(final.output)[1]
        alone += render_alone(final)
    return ours, alone


def personalise_vs_render(outputs: list[Output]) -> tuple[float, float]:
    """Median seconds of one personalised copy and of one full render of the same leaflet."""
    from handouts.leaflet_pdf import fill_text_fields

    renders, blank = [], b""
    for _ in range(ROUNDS):
        seconds, _, blank = warm_render(_by_id(outputs, LEAFLET))
        renders.append(seconds)
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


def _ctrl_c_stops_it() -> None:
    """A command started in the background by a shell without job control inherits
    SIGINT ignored, and Python then keeps it ignored: the watcher would never stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def edit_to_pdf(folder: Path, output: Path) -> list[float]:
    """Seconds from each save to the standard PDF being replaced, the first (warming) save
    first. `output` holds a build of the shipped content, so the watcher starts warm."""
    content = folder / "watched-content"
    shutil.copytree(CONTENT_DIR, content)
    command = [PYTHON, "generate.py", "watch", "--content", str(content), "--output", str(output)]
    process = subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=_ctrl_c_stops_it,
    )  # fmt: skip
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


def print_edit_to_pdf(edits: list[float], render: float) -> None:
    """(h), beside a warm render of the same PDF alone, which tells the watcher's own cost."""
    print(f"(h) edit to PDF (watch):   {statistics.median(edits[1:]):6.2f} s   "
          f"({_runs(edits[1:])}; first save {edits[0]:.2f}; its render alone {render:.2f} s; "
          "aim < 1 s)")  # fmt: skip


def warm_median(outputs: list[Output], output_id: str) -> float:
    """Median seconds of ROUNDS renders of one output in this process's warm worker."""
    return statistics.median([warm_render(_by_id(outputs, output_id))[0] for _ in range(ROUNDS)])


def watch_only() -> None:
    with tempfile.TemporaryDirectory(prefix="handouts-bench-") as temp:
        folder = Path(temp)
        setup, outputs = render_setup(folder / "setup")
        worker.start(setup)
        warm_render(outputs[0])  # fonts and stylesheets; not counted
        render = warm_median(outputs, EDITED_OUTPUT)
        worker.stop()
        timed([PYTHON, "generate.py", "--output", str(folder / "out")])
        edits = edit_to_pdf(folder, folder / "out")
    print_edit_to_pdf(edits, render)


def main() -> None:
    cores = os.cpu_count() or 1
    cold, rebuild, naive, chromium, alone = [], [], [], [], []
    without_chromium = chromium_print.missing()
    with tempfile.TemporaryDirectory(prefix="handouts-bench-") as temp:
        folder = Path(temp)
        setup, outputs = render_setup(folder / "setup")
        worker.start(setup)
        saved = save_final_html(setup, outputs, folder)  # also warms fonts and stylesheets
        warm = leaflet_vs_booklet(outputs)
        fill, render = personalise_vs_render(outputs)
        edited_render = warm_median(outputs, EDITED_OUTPUT)
        ours_cpu, alone_cpu = ours_and_alone_cpu(saved)
        worker.stop()
        commands = naive_commands(saved, folder)
        # Longest first, as the build sends them, so neither tab waits alone at the end.
        pages = [final.standalone for final in sorted(saved, key=lambda final: -final.pages)]
        alone_pool = AlonePool(saved, cores)  # forked before Chromium's driver starts threads
        browser = None if without_chromium else chromium_print.OpenChromium()
        chromium_pages: list[int] = []
        build = [PYTHON, "generate.py", "--output", str(folder / "out")]
        try:
            for _ in range(ROUNDS):
                cold.append(timed([*build, "--force"])[0])
                if browser is not None:
                    seconds, chromium_pages = browser.print_all(pages, TABS)
                    chromium.append(seconds)
                alone.append(alone_pool.seconds())
                rebuild.append(timed(build)[0])
                naive.append(run_naive(commands))
        finally:
            alone_pool.close()
            if browser is not None:
                browser.close()
        # Memory is sampled in a run of its own: the sampler's own work would slow (a).
        _, peak = timed([PYTHON, "generate.py", "--output", str(folder / "memory")], watch_memory=True)
        edits = edit_to_pdf(folder, folder / "out")
    a, b, c = (statistics.median(runs) for runs in (cold, rebuild, naive))
    print(f"machine: {cores} cores; catalogue: {len(commands)} PDFs; median of {ROUNDS} rounds (runs)")
    print(f"(a) cold full build:       {a:6.2f} s   ({_runs(cold)})")
    print(f"(b) no-change rebuild:     {b:6.2f} s   ({_runs(rebuild)})")
    print(f"(c) naive WeasyPrint loop: {c:6.2f} s   ({_runs(naive)})")
    if browser is not None:
        f = statistics.median(chromium)
        ratios = [one / other for one, other in zip(cold, chromium, strict=True)]
        print(f"(f) one open Chromium:     {f:6.2f} s   ({_runs(chromium)}; {TABS} tabs; started once in "
              f"{browser.launch_seconds:.2f} s, not counted; {sum(chromium_pages)} pages against our "
              f"{sum(final.pages for final in saved)})")  # fmt: skip
        print(f"a/f = {a / f:.2f} (per round {_runs(ratios)}; aim <= 1.0)")
    else:
        f = None
        print(f"(f) one open Chromium:     skipped: {without_chromium}")
    print(f"(d) peak memory, cold:     {peak / 2**20:6.0f} MB")
    print(f"(e) personalised copy:     {fill * 1000:6.1f} ms  vs a full render of it {render * 1000:.0f} ms")
    leaflet_cpu, booklet_cpu = statistics.median(warm["leaflet cpu"]), statistics.median(warm["booklet cpu"])
    print(f"(g) intake leaflet:        {leaflet_cpu * 1000:6.0f} ms CPU ({_ms(warm['leaflet cpu'])}; wall "
          f"{_ms(warm['leaflet wall'])})")  # fmt: skip
    print(f"    booklet, same pages:   {booklet_cpu * 1000:6.0f} ms CPU ({_ms(warm['booklet cpu'])}; wall "
          f"{_ms(warm['booklet wall'])})")  # fmt: skip
    j = statistics.median(alone)
    print(f"(i) warm renders, CPU:     {ours_cpu:6.2f} s ours, {alone_cpu:.2f} s WeasyPrint alone on the "
          f"same final HTML, alternated (ours/alone {ours_cpu / alone_cpu:.2f})")  # fmt: skip
    print(f"(j) WeasyPrint alone:      {j:6.2f} s   ({_runs(alone)}; {cores} warm processes, the same "
          f"final HTML and options; a/j {a / j:.2f}"
          + (f"; j/f {j / f:.2f}, the least a/f could be with these pages)" if f else ")"))  # fmt: skip
    print_edit_to_pdf(edits, edited_render)
    print(f"a/c = {a / c:.3f} (target <= 0.2); b/a = {b / a:.3f} (target <= 0.05); "
          f"render/copy = {render / fill:.0f} (target >= 50); "
          f"leaflet/booklet = {leaflet_cpu / booklet_cpu:.2f} CPU (aim <= 1.3)")  # fmt: skip


def _ms(seconds: list[float]) -> str:
    return ", ".join(f"{value * 1000:.0f}" for value in seconds)


def _runs(seconds: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in seconds)


if __name__ == "__main__":
    watch_only() if sys.argv[1:] == ["watch"] else main()
