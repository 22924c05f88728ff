"""Rendering elsewhere: a caller's own process pool, kept across builds, and a Dask
cluster (`handouts build --scheduler ADDRESS`) give the same bytes as one process."""

from __future__ import annotations

import json
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from handouts.build import BuildSettings, build
from handouts.cli import main
from handouts.paths import STYLES_DIR
from tests.support import BROCHURE_YAML, write


def same_files(one: Path, other: Path) -> list[str]:
    """The PDFs and manifest of two builds, asserted byte for byte; their names."""
    names = sorted(p.name for p in one.glob("*.pdf"))
    assert names == sorted(p.name for p in other.glob("*.pdf")) and names
    for name in [*names, "manifest.json"]:
        assert (one / name).read_bytes() == (other / name).read_bytes(), name
    return names


def test_a_callers_executor_gives_the_same_bytes_and_sees_each_builds_files(
    content: Path, tmp_path: Path
) -> None:
    """A pool without initializers, kept for two builds: its workers set up for each
    build, so a stylesheet changed in between is read again."""
    styles = tmp_path / "styles"
    shutil.copytree(STYLES_DIR, styles)
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("fork")) as pool:
        report = build(BuildSettings(content=content, output=tmp_path / "pool", styles=styles), executor=pool)
        assert report.exit_code == 0 and len(report.built) == 10
        build(BuildSettings(content=content, output=tmp_path / "serial", styles=styles, jobs=1))
        same_files(tmp_path / "pool", tmp_path / "serial")

        tokens = styles / "tokens.css"
        tokens.write_text(tokens.read_text() + "\n:root { --measure: 30em; }\n")
        report = build(BuildSettings(content=content, output=tmp_path / "pool", styles=styles), executor=pool)
        assert report.exit_code == 0 and len(report.built) == 10
    build(BuildSettings(content=content, output=tmp_path / "serial", styles=styles, jobs=1))
    same_files(tmp_path / "pool", tmp_path / "serial")


def test_scheduler_without_dask_installed_is_one_line(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # what `import distributed` meets without the extra
    code = main(
        ["--content", str(content), "--output", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1"]
    )
    assert code == 2
    assert capsys.readouterr().err == "error: --scheduler needs Dask: pip install 'handouts[dask]'\n"
    assert not (tmp_path / "out").exists()


def test_a_dask_cluster_gives_the_same_pdfs_and_manifest_as_one_process(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    distributed = pytest.importorskip(
        "distributed", reason="the dask extra (handouts[dask]) is not installed"
    )
    write(content / "brochures" / "beta.yaml", BROCHURE_YAML.format(id="beta", title="Beta therapy"))
    serial, cluster_output = tmp_path / "serial", tmp_path / "cluster"
    assert main(["--content", str(content), "--output", str(serial), "--jobs", "1"]) == 0
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        capsys.readouterr()
        args = [
            "--content",
            str(content),
            "--output",
            str(cluster_output),
            "--scheduler",
            cluster.scheduler_address,
        ]
        assert main(args) == 0
        assert "20 built, 0 unchanged, 0 failed" in capsys.readouterr().out
        with distributed.Client(cluster) as client:
            workers = client.run(lambda: __import__("os").getpid())
        assert len(set(workers.values())) == 2
    assert len(same_files(serial, cluster_output)) == 20
    manifest = json.loads((cluster_output / "manifest.json").read_text())
    assert len(manifest["documents"]) == 20
