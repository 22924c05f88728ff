"""Where a render's time goes: by WeasyPrint stage and by the templates' kinds of block.

.venv/bin/python scripts/profile_render.py                      # the whole catalogue
.venv/bin/python scripts/profile_render.py psychodynamic-therapy-intake   # one document
.venv/bin/python scripts/profile_render.py psychodynamic-therapy-intake-leaflet-letter --rounds 3
.venv/bin/python scripts/profile_render.py --cprofile 25        # cProfile's own counts instead

Renders in this process, as a build worker does (fonts and stylesheets parsed once, by a
first render that is not counted), and counts CPU seconds (`time.process_time`), which a
busy machine disturbs less than wall time. WeasyPrint's functions are wrapped where they
are called; each wrapped call's time, less that of the wrapped calls inside it, goes to
one stage (HTML parse, cascade, box tree, layout and its text shaping and intrinsic
widths, drawing, PDF objects, fonts, tags, forms, writing) and one kind of block: the
outermost classified element (form row, questionnaire, table to write in, box, diagram,
list, table, heading, paragraph, running element) around the box being laid out or
drawn, or around the element being matched against selectors. The wrappers cost some
time of their own, most where calls are many and small (drawing text): compare shares
between two versions, not with a build's seconds. `--cprofile N` runs cProfile instead
(no wrappers) and prints the N functions of largest cumulative time and each module's
own time.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import inspect
import io
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from final_html import render_setup  # noqa: E402

from handouts import worker  # noqa: E402
from handouts.catalog import Output  # noqa: E402

OTHER = "other (ours, outside WeasyPrint)"
PAGE = "pages and sections (no block kind)"

KIND_CLASSES: list[tuple[str, set[str]]] = [
    ("running elements", {"running-footer", "sample-mark"}),
    ("questionnaires", {"field-questionnaire"}),
    ("tables to write in", {"field-table"}),
    ("form rows", {"field", "field-group", "total", "follow-up", "crisis-line"}),
    ("boxes", {"how-to-fill", "role-safety", "cover-band", "key-points", "next-step", "get-help"}),
    ("diagrams", {"diagram"}),
]
"""Kinds known by a class, checked in this order; the outermost classified element wins."""
KIND_TAGS: dict[str, str] = {
    "ul": "lists", "ol": "lists", "dl": "lists",
    "table": "tables",
    "h1": "headings", "h2": "headings", "h3": "headings",
    "p": "paragraphs", "figcaption": "paragraphs", "blockquote": "paragraphs",
}  # fmt: skip


def element_kind(element: Any) -> str | None:
    classes = set((element.get("class") or "").split())
    for kind, names in KIND_CLASSES:
        if classes & names:
            return kind
    tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
    return KIND_TAGS.get(tag)


@dataclass
class Tally:
    """CPU seconds by (stage, kind), from exclusive times of nested wrapped calls."""

    seconds: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kinds: dict[Any, str] = field(default_factory=dict)
    """Each element of the documents parsed so far -> its kind (outermost wins)."""
    stack: list[list[Any]] = field(default_factory=list)
    """Open frames: [stage, kind, start, seconds of wrapped calls inside]."""

    def classify(self, root: Any) -> None:
        pending: list[tuple[Any, str | None]] = [(root, None)]
        while pending:
            element, outer = pending.pop()
            kind = outer or element_kind(element)
            self.kinds[element] = kind or PAGE
            pending += [(child, kind) for child in element]

    def kind_of(self, thing: Any) -> str | None:
        """The kind of a box (its element's), a stacking context (its box's), a
        selector-matching wrapper or an element."""
        thing = getattr(thing, "box", thing)
        for attribute in ("etree_element", "element"):
            element = getattr(thing, attribute, None)
            if element is not None:
                return self.kinds.get(element)
        try:
            return self.kinds.get(thing)
        except TypeError:  # unhashable: not an element
            return None

    def enter(self, stage: str | None, kind: str | None) -> None:
        outer_stage, outer_kind = (self.stack[-1][0], self.stack[-1][1]) if self.stack else (OTHER, PAGE)
        self.stack.append([stage or outer_stage, kind or outer_kind, time.process_time(), 0.0])

    def leave(self) -> None:
        stage, kind, start, inner = self.stack.pop()
        spent = time.process_time() - start
        self.seconds[stage, kind] += spent - inner
        self.calls[stage] += 1
        if self.stack:
            self.stack[-1][3] += spent


TALLY = Tally()


def _wrapped(original: Callable[..., Any], stage: str | None, box_at: int | None) -> Callable[..., Any]:
    def kind(args: tuple[Any, ...]) -> str | None:
        return TALLY.kind_of(args[box_at]) if box_at is not None and len(args) > box_at else None

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        TALLY.enter(stage, kind(args))
        try:
            return original(*args, **kwargs)
        finally:
            TALLY.leave()

    @functools.wraps(original)
    def generator_wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        """A generator (layout_document yields pages) works while it is iterated."""
        steps = original(*args, **kwargs)
        while True:
            TALLY.enter(stage, kind(args))
            try:
                item = next(steps)
            except StopIteration:
                return
            finally:
                TALLY.leave()
            yield item

    return generator_wrapper if inspect.isgeneratorfunction(original) else wrapper


def _replace_everywhere(original: Callable[..., Any], replacement: Callable[..., Any]) -> None:
    """Every module that imported the function by name calls it through its own global."""
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if not (name.startswith("weasyprint") or name.startswith("handouts")):
            continue
        for attribute, value in list(vars(module).items()):
            if value is original:
                setattr(module, attribute, replacement)


def _wrap_function(module: Any, name: str, stage: str | None, box_at: int | None = None) -> None:
    original = getattr(module, name)
    _replace_everywhere(original, _wrapped(original, stage, box_at))


def _wrap_method(owner: type, name: str, stage: str | None, box_at: int | None = None) -> None:
    setattr(owner, name, _wrapped(getattr(owner, name), stage, box_at))


class _CountedCollector:
    """The gc module as the worker sees it, its one collection a document counted apart."""

    collect = staticmethod(_wrapped(gc.collect, "garbage collection, once a document", None))

    def __getattr__(self, name: str) -> Any:
        return getattr(gc, name)


def instrument() -> None:
    """Wrap WeasyPrint's stage entry points and its per-box layout and drawing functions."""
    import cssselect2
    import pydyf
    import weasyprint
    from weasyprint import css, document, draw, pdf
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import build
    from weasyprint.layout import block, flex, inline, page, preferred, table
    from weasyprint.pdf import anchors, fonts, tags
    from weasyprint.text import line_break

    from handouts import checks, pagination, placement
    from handouts.render import HtmlRenderer
    from handouts.typeset import measure, typesetter

    parse = weasyprint.HTML.__init__

    def parse_and_classify(self: Any, *args: Any, **kwargs: Any) -> None:
        TALLY.enter("HTML parse", None)
        try:
            parse(self, *args, **kwargs)
            TALLY.classify(self.etree_element)
        finally:
            TALLY.leave()

    weasyprint.HTML.__init__ = parse_and_classify  # type: ignore[method-assign]
    _wrap_method(HtmlRenderer, "render", "templates (Jinja)")
    _wrap_function(css, "get_all_computed_styles", "cascade")
    _wrap_method(cssselect2.Matcher, "match", "cascade", box_at=1)
    _wrap_method(css.StyleFor, "set_computed_styles", "cascade", box_at=1)
    _wrap_function(build, "build_formatting_structure", "box tree")
    _wrap_function(weasyprint.layout, "layout_document", "layout")
    for function in ("block_level_layout_switch", "block_container_layout"):
        _wrap_function(block, function, None, box_at=1)
    _wrap_function(table, "table_layout", None, box_at=1)
    _wrap_function(flex, "flex_layout", None, box_at=1)
    _wrap_function(inline, "inline_block_box_layout", None, box_at=1)
    _wrap_function(page, "margin_box_content_layout", None, box_at=2)
    _wrap_function(line_break, "split_first_line", "layout: text shaping", box_at=None)
    for function in ("min_content_width", "max_content_width"):
        _wrap_function(preferred, function, "layout: intrinsic widths", box_at=1)
    _wrap_method(document.Page, "__init__", "pages: links, anchors, fields gathered")
    _wrap_method(document.Page, "paint", "drawing")
    _wrap_function(draw, "draw_stacking_context", None, box_at=1)
    _wrap_function(draw, "draw_inline_level", None, box_at=2)
    _wrap_function(draw, "draw_table", None, box_at=1)
    _wrap_function(draw, "draw_border", None, box_at=1)
    _wrap_function(draw_text, "draw_text", None, box_at=1)
    _wrap_function(pdf, "generate_pdf", "PDF objects")
    _wrap_function(fonts, "build_fonts_dictionary", "PDF: fonts (subset, embed)")
    _wrap_function(tags, "add_tags", "PDF: tags")
    _wrap_function(anchors, "add_forms", "PDF: form fields")
    _wrap_method(pydyf.PDF, "write", "PDF: writing (serialise, compress)")
    for function in ("finish", "finish_for_print_shop"):
        _wrap_function(typesetter, function, "PDF: our finishers")
    worker.gc = _CountedCollector()  # type: ignore[attr-defined]
    _wrap_function(measure, "measure", "our page checks")
    for module, function in ((checks, "check_pages"), (pagination, "check_pagination"),
                             (placement, "check_safety_early")):  # fmt: skip
        _wrap_function(module, function, "our page checks")


def outputs_to_profile(selection: list[str]) -> tuple[worker.RenderSetup, list[Output]]:
    setup, outputs = render_setup(PROJECT / "output")
    if selection:
        chosen = [o for o in outputs if o.id in selection or o.document.id in selection]
        unknown = [name for name in selection if not any(name in (o.id, o.document.id) for o in chosen)]
        if unknown:
            raise SystemExit(f"unknown document or output id: {', '.join(unknown)}")
        outputs = chosen
    return setup, outputs


def render_all(outputs: list[Output], rounds: int) -> Iterator[worker.Rendered]:
    for _ in range(rounds):
        for output in outputs:
            TALLY.kinds.clear()
            rendered = worker.render(output)
            if rendered.error or rendered.problems:
                raise SystemExit(rendered.error or f"{output.id}: content problems")
            yield rendered


def report_tally(total: float, documents: int) -> str:
    lines = [f"CPU seconds: {total:.2f} for {documents} renders ({total / documents * 1000:.0f} ms each)", ""]
    by_stage: dict[str, float] = defaultdict(float)
    by_kind: dict[str, float] = defaultdict(float)
    for (stage, kind), seconds in TALLY.seconds.items():
        by_stage[stage] += seconds
        if stage != OTHER:
            by_kind[kind] += seconds
    lines.append(f"{'stage':44} {'s':>7} {'share':>6} {'calls':>9}")
    for stage, seconds in sorted(by_stage.items(), key=lambda item: -item[1]):
        lines.append(f"{stage:44} {seconds:7.2f} {seconds / total:6.1%} {TALLY.calls[stage]:9}")
    weasyprint_total = sum(by_kind.values())
    lines += ["", f"{'kind of block (WeasyPrint time only)':44} {'s':>7} {'share':>6}"]
    for kind, seconds in sorted(by_kind.items(), key=lambda item: -item[1]):
        lines.append(f"{kind:44} {seconds:7.2f} {seconds / weasyprint_total:6.1%}")
    stages = [s for s, _ in sorted(by_stage.items(), key=lambda item: -item[1]) if s != OTHER][:6]
    kinds = [k for k, _ in sorted(by_kind.items(), key=lambda item: -item[1])]
    lines += ["", "share of WeasyPrint time, kind x stage (largest stages):"]
    lines.append(f"{'':28}" + "".join(f"{stage[:13]:>14}" for stage in stages))
    for kind in kinds:
        cells = "".join(f"{TALLY.seconds.get((stage, kind), 0) / weasyprint_total:14.1%}" for stage in stages)
        lines.append(f"{kind[:28]:28}{cells}")
    return "\n".join(lines)


def report_cprofile(profile: cProfile.Profile, top: int) -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(profile, stream=buffer)
    stats.sort_stats("cumulative").print_stats(top)
    by_module: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_module[_module_of(filename, function)] += own
    total = sum(by_module.values())
    buffer.write(f"\nown time by module (of {total:.2f} s profiled):\n")
    for module, seconds in sorted(by_module.items(), key=lambda item: -item[1])[:top]:
        buffer.write(f"  {module:50} {seconds:7.2f}  {seconds / total:6.1%}\n")
    return buffer.getvalue()


def _module_of(filename: str, function: str) -> str:
    if filename.startswith("~") or filename.startswith("<"):
        return f"built-in {function}"[:50]
    path = Path(filename)
    parts = path.with_suffix("").parts
    for anchor in ("site-packages", "handouts", "scripts"):
        if anchor in parts:
            index = parts.index(anchor)
            return ".".join(parts[index + (anchor == "site-packages") :]) or path.name
    return path.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="document or output ids (default: every output)")
    parser.add_argument("--rounds", type=int, default=1, help="render the selection this many times")
    parser.add_argument("--cprofile", type=int, metavar="N", help="cProfile instead: the N largest")
    args = parser.parse_args(argv)
    setup, outputs = outputs_to_profile(args.ids)
    worker.start(setup)
    try:
        worker.render(outputs[0])  # fonts and stylesheets are parsed once a build; not counted
        if args.cprofile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in render_all(outputs, args.rounds):
                pass
            profile.disable()
            print(report_cprofile(profile, args.cprofile))
            return 0
        instrument()
        gc.collect()
        start = time.process_time()
        TALLY.enter(OTHER, PAGE)
        for _ in render_all(outputs, args.rounds):
            pass
        TALLY.leave()
        print(report_tally(time.process_time() - start, len(outputs) * args.rounds))
    finally:
        worker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
