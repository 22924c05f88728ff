"""`handouts watch` on content folders outside the repository: a save rebuilds exactly the
outputs that read the saved file (the saved document's usual PDF first), a broken save is
reported at its line and the last good PDFs stay, a template change rebuilds every output
that used it, the catalogue page follows, and Ctrl-C leaves a consistent output folder.

The watcher runs for real (watchfiles, warm worker processes) in a thread, or as the
command in a subprocess. Saves are atomic renames, one event each; waits are generous
timeouts, never timings."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from handouts.build import BuildReport, BuildSettings
from handouts.paths import STYLES_DIR, TEMPLATES_DIR
from handouts.progress import Silent
from handouts.watch import Watcher
from tests.support import BROCHURE_YAML, page_texts, write

PROJECT = Path(__file__).resolve().parent.parent
WAIT = 300
"""Seconds to wait for a rebuild: generous, for a slow shared machine."""


def save(path: Path, text: str) -> None:
    """As an editor saves: written whole beside the folder, then renamed into place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent.parent, prefix=".saving-")
    with os.fdopen(handle, "w") as stream:
        stream.write(text)
    os.replace(temporary, path)


def files(output: Path) -> dict[str, tuple[int, str]]:
    """Each PDF's modification time and sha256."""
    return {
        path.name: (path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        for path in output.glob("*.pdf")
    }


def assert_consistent(output: Path) -> None:
    """The manifest names exactly the PDFs there, with their bytes; the catalogue page
    names each of them with its sha256 and thumbnail."""
    documents = json.loads((output / "manifest.json").read_text())["documents"]
    assert sorted(d["path"] for d in documents) == sorted(p.name for p in output.glob("*.pdf"))
    page = (output / "index.html").read_text()
    for document in documents:
        assert hashlib.sha256((output / document["path"]).read_bytes()).hexdigest() == document["sha256"]
        assert document["sha256"] in page
    pictures = sorted(p.name for p in (output / "thumbnails").glob("*.png"))
    assert len(pictures) == len(documents) and all(name in page for name in pictures)


class Running:
    """A watcher in a thread; its reports arrive one build at a time."""

    def __init__(self, settings: BuildSettings) -> None:
        self.reports: queue.Queue[BuildReport] = queue.Queue()
        self.stop = threading.Event()
        self.watcher = Watcher(settings, Silent())
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with self.watcher:
            self.watcher.run(self.reports.put, stop=self.stop)

    def next_report(self) -> BuildReport:
        return self.reports.get(timeout=WAIT)


@pytest.fixture
def watching(content: Path, tmp_path: Path) -> Iterator[tuple[Running, Path]]:
    """Two brochures, alpha and beta, with templates and styles copied, watched; the
    first build done."""
    write(content / "brochures" / "beta.yaml", BROCHURE_YAML.format(id="beta", title="Beta therapy"))
    templates, styles = tmp_path / "templates", tmp_path / "styles"
    shutil.copytree(TEMPLATES_DIR, templates)
    shutil.copytree(STYLES_DIR, styles)
    output = tmp_path / "out"
    settings = BuildSettings(content=content, output=output, templates=templates, styles=styles, jobs=2)
    running = Running(settings)
    first = running.next_report()
    assert first.exit_code == 0 and len(first.built) == 20
    yield running, output
    running.stop.set()
    running.thread.join(timeout=WAIT)
    assert not running.thread.is_alive()


def alpha_outputs(output: Path) -> set[str]:
    return {path.name for path in output.glob("Alpha-*.pdf")}


def test_a_saved_brochure_rebuilds_exactly_its_outputs_usual_pdf_first(watching, content: Path) -> None:
    running, output = watching
    before = files(output)
    brochure = content / "brochures" / "alpha.yaml"
    save(brochure, brochure.read_text().replace("helps you talk about", "helps you speak about"))

    report = running.next_report()
    assert report.exit_code == 0
    assert {entry.path for entry in report.built} == alpha_outputs(output) and len(report.built) == 10
    assert report.built[0].path == "Alpha-Brochure-Letter.pdf"
    after = files(output)
    for name, (mtime, sha256) in before.items():
        if name.startswith("Beta-"):
            assert after[name] == (mtime, sha256)
    assert after["Alpha-Brochure-Letter.pdf"][1] != before["Alpha-Brochure-Letter.pdf"][1]
    assert "helps you speak about" in " ".join(page_texts(output / "Alpha-Brochure-Letter.pdf"))
    assert_consistent(output)


def test_a_broken_save_is_located_and_the_last_pdfs_stay(watching, content: Path) -> None:
    running, output = watching
    before = files(output)
    brochure = content / "brochures" / "alpha.yaml"
    good = brochure.read_text()
    save(brochure, good.replace("next_step:", "next_stpe:"))

    report = running.next_report()
    assert report.exit_code == 1 and report.built == []
    line = good.splitlines().index(next(t for t in good.splitlines() if t.startswith("next_step:"))) + 1
    [problem] = [problem for problem in report.problems if "next_stpe" in str(problem)]
    assert Path(problem.file).resolve() == brochure.resolve() and problem.line == line
    assert files(output) == before
    assert_consistent(output)

    save(brochure, good.replace("helps you talk about", "helps you speak about"))
    fixed = running.next_report()
    assert fixed.exit_code == 0 and len(fixed.built) == 10
    assert_consistent(output)


def test_a_template_change_rebuilds_every_output_that_used_it(watching, tmp_path: Path) -> None:
    running, output = watching
    before = files(output)
    template = tmp_path / "templates" / "brochure" / "trifold.html"
    save(template, template.read_text() + "{# a note for editors #}\n")

    report = running.next_report()
    trifolds = {name for name in before if "-Trifold-" in name}
    assert report.exit_code == 0 and len(trifolds) == 8
    assert {entry.path for entry in report.built} == trifolds
    after = files(output)
    assert all(after[name] == before[name] for name in before if name not in trifolds)
    assert_consistent(output)


def test_the_command_prints_as_a_build_does_and_ctrl_c_leaves_the_folder_consistent(
    content: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    command = [sys.executable, "generate.py", "watch", "--content", str(content), "--output", str(output)]
    process = subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a terminal's Ctrl-C finds it
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True)
    reader.start()

    def until_watching() -> list[str]:
        seen = []
        while not (seen and seen[-1].startswith("watching ")):
            seen.append(lines.get(timeout=WAIT))
        return seen

    try:
        assert any(line.startswith("10 built, 0 unchanged") for line in until_watching())
        brochure = content / "brochures" / "alpha.yaml"
        save(brochure, brochure.read_text().replace("next_step:", "next_stpe:"))
        printed = until_watching()
        built = subprocess.run(
            [sys.executable, "generate.py", "--content", str(content), "--output", str(tmp_path / "other")],
            cwd=PROJECT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        located = [line for line in built.stderr.splitlines() if "alpha.yaml:" in line]
        assert located and all(f"{line}\n" in printed for line in located)
        assert built.returncode == 1

        save(brochure, brochure.read_text().replace("next_stpe:", "next_step:"))
        lines.get(timeout=WAIT)  # the rebuild has started: stop it in the middle
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) == 0
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(timeout=WAIT)
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert rest and rest[-1].startswith("stopped; ")
    documents = json.loads((output / "manifest.json").read_text())["documents"]
    for document in documents:
        assert hashlib.sha256((output / document["path"]).read_bytes()).hexdigest() == document["sha256"]
    assert not [path.name for path in output.iterdir() if path.name.startswith((".staged-", ".partial-"))]
