"""Where outputs render: this process, a pool of forked workers, or any executor.

The build's own pool forks one worker per job, each set up once (`worker.start`). Any
other process-based `concurrent.futures.Executor` works too, a Dask cluster's included
(`distributed.Client(address).get_executor()`): it has no initializer, so each task
carries the set-up and a worker keeps its renderer for the rest of the build.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from multiprocessing import get_context
from typing import TYPE_CHECKING

from handouts import worker
from handouts.catalog import Output

if TYPE_CHECKING:
    from handouts.build import ExecutorFactory


def _results(futures: dict[Future[worker.Rendered], Output]) -> Iterator[tuple[Output, worker.Rendered]]:
    for future in as_completed(futures):
        output = futures[future]
        try:
            yield output, future.result()
        except Exception as error:  # a worker lost, a cluster gone: this output fails, not the build
            yield output, worker.Rendered(output.id, error=f"{output.id}: {type(error).__name__}: {error}")


def render_all(
    outputs: list[Output],
    setup: worker.RenderSetup,
    jobs: int,
    executor: Executor | ExecutorFactory | None = None,
) -> Iterator[tuple[Output, worker.Rendered]]:
    """Render in this process (one job), in a fork pool whose workers live for the whole
    build, or on `executor`; results come as they finish."""
    if not outputs:
        return
    if executor is not None:
        context = nullcontext(executor) if isinstance(executor, Executor) else executor()
        with context as pool:
            futures = {pool.submit(worker.render_with, setup, output): output for output in outputs}
            yield from _results(futures)
        return
    if jobs <= 1 or len(outputs) == 1:
        worker.start(setup)
        try:
            for output in outputs:
                yield output, worker.render(output)
        finally:
            worker.stop()
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(outputs)),
        mp_context=get_context("fork"),
        initializer=worker.start,
        initargs=(setup,),
    ) as pool:
        yield from _results({pool.submit(worker.render, output): output for output in outputs})
