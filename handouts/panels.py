"""Panel maps: which blocks a fixed-panel layout (the tri-fold) puts on which panel.

A layout declares its panels once, in `templates/<kind>/<layout>-panels.yaml`, for every
topic: a new content file gets the layout without new code. Each panel lists blocks in
order; a block is a fixed block (cover, key points, the crisis box, ...), a section role
(the first section with that role not placed yet: the map never depends on what a
clinic names its sections), a section cut short to its first items, or `first_of` a
list of those. A block the document lacks is skipped, and a block is placed at most
once: a later mention of a block already placed is skipped too, so `first_of` picks the
first one still unused.

Whether the placed blocks fit is not decided here: the check stage measures every panel
after layout (handouts.checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, ValidationError, model_validator

from handouts.diagnostics import Diagnostic
from handouts.models.brochure import Brochure
from handouts.models.common import Reference, Slug, StrictModel
from handouts.models.sections import SAFETY, AnySection
from handouts.models.trifold import FIXED_BLOCKS, Block
from handouts.reader import SourceFile, read_yaml
from handouts.validate import diagnostics_from

Sheet = Literal["outside", "inside"]
Position = Literal["left", "middle", "right"]


class Panel(StrictModel):
    name: Slug = Field(description="Named in fit messages: `trifold panel 'inside-middle'`.")
    sheet: Sheet = Field(description="outside: page 1; inside: page 2.")
    position: Position = Field(description="Where the panel is on its sheet, seen from the front.")
    blocks: list[Block] = Field(min_length=1)


class PanelMap(StrictModel):
    """Every panel of a layout: one at each place of both sheets, in reading order."""

    panels: list[Panel] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_panel_a_place(self) -> PanelMap:
        names = [panel.name for panel in self.panels]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"panel name '{name}' is used twice")
        places = [(panel.sheet, panel.position) for panel in self.panels]
        for sheet in get_args(Sheet):
            for position in get_args(Position):
                if places.count((sheet, position)) != 1:
                    found = places.count((sheet, position))
                    raise ValueError(f"the {sheet} sheet needs one panel at the {position}, found {found}")
        front = [p for p in self.panels if (p.sheet, p.position) == ("outside", "right")]
        if front and front[0].blocks[0].block != "cover":
            raise ValueError("the front cover (outside sheet, right) must start with the cover block")
        return self

    def for_brochure(self, brochure: Brochure) -> PanelMap:
        """This map with the panels a brochure chooses for itself (its `trifold`) replaced."""
        chosen = brochure.trifold or {}
        panels = [
            panel.model_copy(update={"blocks": chosen[panel.name]}) if panel.name in chosen else panel
            for panel in self.panels
        ]
        return self.model_copy(update={"panels": panels})

    def needs(self, required: tuple[tuple[str, ...], ...]) -> None:
        """Fail unless the map names one block of each required group somewhere."""
        named = {name for panel in self.panels for name in _names(panel.blocks)}
        missing = [" or ".join(group) for group in required if not named & set(group)]
        if missing:
            raise ValueError(f"the panel map must place {', '.join(missing)}")


def _names(blocks: list[Block]) -> list[str]:
    return [choice.name for block in blocks for choice in block.choices]


class PanelMapError(Exception):
    """The panel map itself is wrong: our file, not the clinic's content."""


# What a panel layout must always carry, whatever the map says: who made it and what it
# is for, what the treatment is, what to expect, who should not have a medicine and its
# risks, where to get help right now, the sources the sections cite (their links point
# there), and when it was reviewed.
REQUIRED_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("cover",),
    ("what_it_is",),
    ("what_to_expect", "treatment_day", "sessions"),
    (SAFETY,),
    ("get_help",),
    ("references",),
    ("about", "review_facts"),
)


def load_panel_map(path: Path, required: tuple[tuple[str, ...], ...] = REQUIRED_BLOCKS) -> PanelMap:
    """Read and check a panel map; every problem is reported as `file:line: field: message`."""
    source, problems = read_yaml(path)
    if source is None:
        raise PanelMapError("\n".join(str(problem) for problem in problems))
    try:
        panel_map = PanelMap.model_validate(source.data)
        panel_map.needs(required)
    except ValidationError as error:
        raise PanelMapError("\n".join(str(d) for d in diagnostics_from(error, source, PanelMap))) from None
    except ValueError as error:
        raise PanelMapError(f"{source.display}:1: {error}") from None
    return panel_map


def trifold_problems(brochure: Brochure, source: SourceFile, panel_map: PanelMap) -> list[Diagnostic]:
    """A brochure's own tri-fold choices: panels the layout has, and with the defaults for
    the rest, everything a tri-fold must carry, the cover first."""
    if not brochure.trifold:
        return []
    names = [panel.name for panel in panel_map.panels]
    problems = [
        source.problem(("trifold", name), f"the tri-fold has no panel '{name}'; panels: {', '.join(names)}")
        for name in brochure.trifold
        if name not in names
    ]
    if problems:
        return problems
    try:
        PanelMap.model_validate(panel_map.for_brochure(brochure).model_dump(exclude_none=True)).needs(
            REQUIRED_BLOCKS
        )
    except ValidationError as error:
        return [source.problem(("trifold",), str(error.errors()[0]["msg"]).removeprefix("Value error, "))]
    except ValueError as error:
        return [
            source.problem(("trifold",), f"{error} (the panels this file does not choose keep the defaults)")
        ]
    return []


@dataclass(frozen=True)
class PlacedBlock:
    """A block on a panel: a fixed block's name, or a section's name and (cut) content."""

    name: str
    section: AnySection | None = None

    @property
    def is_section(self) -> bool:
        return self.section is not None


@dataclass(frozen=True)
class PlacedPanel:
    name: str
    sheet: Sheet
    position: Position
    blocks: tuple[PlacedBlock, ...]


def _unused_section(brochure: Brochure, role: str, used: set[str]) -> tuple[str, AnySection] | None:
    for name, section in brochure.with_role(role):
        if f"section:{name}" not in used:
            return name, section
    return None


def _place(brochure: Brochure, choice: Block, used: set[str]) -> PlacedBlock | None:
    name = choice.name
    if name in FIXED_BLOCKS:
        lacking = (name == "faq" and brochure.faq is None) or (name == "glossary" and not brochure.glossary)
        if name in used or lacking:
            return None
        used.add(name)
        if name == "about":
            used.add("review_facts")  # `about` ends with the review facts
        return PlacedBlock(name)
    found = _unused_section(brochure, name, used)
    if found is None:
        return None
    section_name, section = found
    shown = choice.cut(section)
    if shown is None:
        return None
    used.add(f"section:{section_name}")
    return PlacedBlock(section_name, shown)


def _cited_keys(blocks: list[PlacedBlock], brochure: Brochure) -> set[str]:
    keys: set[str] = set()
    for block in blocks:
        if block.section is not None:
            keys.update(block.section.sources)
        elif block.name == "faq" and brochure.faq is not None:
            keys.update(key for item in brochure.faq.items for key in item.sources)
    return keys


@dataclass(frozen=True)
class PanelPlan:
    """One brochure on a panel layout: the blocks of each panel, and the references the
    placed blocks cite, in the brochure's order (numbered from 1 on this layout)."""

    panels: tuple[PlacedPanel, ...]
    references: tuple[Reference, ...]


def place(panel_map: PanelMap, brochure: Brochure) -> PanelPlan:
    """The blocks of one brochure on each panel, in the map's order, with the panels the
    brochure chooses itself. The references block lists only what the placed blocks cite,
    and is left out when they cite nothing."""
    used: set[str] = set()
    placed: list[tuple[Panel, list[PlacedBlock]]] = []
    for panel in panel_map.for_brochure(brochure).panels:
        blocks = []
        for block in panel.blocks:
            for choice in block.choices:
                found = _place(brochure, choice, used)
                if found is not None:
                    blocks.append(found)
                    break
        placed.append((panel, blocks))
    cited = _cited_keys([block for _, blocks in placed for block in blocks], brochure)
    references = tuple(reference for reference in brochure.references if reference.key in cited)
    panels = tuple(
        PlacedPanel(
            panel.name,
            panel.sheet,
            panel.position,
            tuple(block for block in blocks if references or block.name != "references"),
        )
        for panel, blocks in placed
    )
    return PanelPlan(panels, references)
