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
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, Field, ValidationError, model_validator

from handouts.models.brochure import Brochure
from handouts.models.common import Reference, Slug, StrictModel
from handouts.models.sections import PARTS, ROLES, SAFETY, AnySection
from handouts.reader import read_yaml
from handouts.validate import diagnostics_from

FIXED_BLOCKS: dict[str, str] = {
    "cover": "the clinic's band (name, 'Patient brochure'), title, category, purpose and logo",
    "summary": "the main message",
    "key_points": "the key points box",
    "next_step": "the call to action box",
    "get_help": "the crisis box: who to call or text right now",
    "contact": "the clinic's address, phone, email, website and hours",
    "about": "'not medical advice' and the review facts",
    "review_facts": "reviewer role, review dates and version, in small type",
    "references": "the numbered references the sections cite",
    "faq": "the common questions, when the brochure has them",
    "glossary": "words to know, when the brochure has them",
}


def _known_block(name: str) -> str:
    if name not in FIXED_BLOCKS and name not in ROLES:
        raise ValueError(
            f"unknown block '{name}'; fixed blocks: {', '.join(FIXED_BLOCKS)}; "
            f"section roles: {', '.join(ROLES)}"
        )
    return name


def _known_role(name: str) -> str:
    if name not in ROLES:
        raise ValueError(f"'{name}' is not a section role; roles: {', '.join(ROLES)}")
    return name


BlockName = Annotated[str, AfterValidator(_known_block)]
RoleName = Annotated[str, AfterValidator(_known_role)]


class Block(StrictModel):
    """One entry of a panel's list. In the file it is written as

    - a fixed block's or a section role's name: `key_points`, `what_it_is`;
    - a section cut short, never clipped: `{role: helps_with, entries: 3}` shows the
      heading and the first 3 entries; `paragraphs`, `bullets`, `closing` and a safety
      section's `not_for`, `serious_risks` and `warning_signs` cut the same way, 0 leaves
      that part out, a part not named is shown whole;
    - `{first_of: [helps_with, how_it_works]}`: the first of these the brochure has and
      no earlier panel placed.
    """

    block: BlockName | None = None
    role: RoleName | None = None
    paragraphs: int | None = Field(default=None, ge=0)
    entries: int | None = Field(default=None, ge=0)
    bullets: int | None = Field(default=None, ge=0)
    closing: int | None = Field(default=None, ge=0)
    not_for: int | None = Field(default=None, ge=0)
    serious_risks: int | None = Field(default=None, ge=0)
    warning_signs: int | None = Field(default=None, ge=0)
    first_of: list[Block] | None = Field(default=None, min_length=2)

    @model_validator(mode="before")
    @classmethod
    def _name_alone(cls, data: Any) -> Any:
        return {"block": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        kinds = [kind for kind in ("block", "role", "first_of") if getattr(self, kind) is not None]
        if len(kinds) != 1:
            raise ValueError("a block is a name, {role: ROLE, entries: N, ...} or {first_of: [NAME, ...]}")
        if self.role is None and any(getattr(self, part) is not None for part in PARTS):
            raise ValueError(f"{', '.join(PARTS)} cut a section: write {{role: ROLE, ...}}")
        if self.first_of and any(choice.first_of for choice in self.first_of):
            raise ValueError("first_of lists names and sections, not another first_of")
        return self

    @property
    def choices(self) -> list[Block]:
        return self.first_of or [self]

    @property
    def name(self) -> str:
        """The fixed block or section role this entry shows (not for `first_of`)."""
        name = self.block or self.role
        assert name is not None
        return name

    def cut(self, section: AnySection) -> AnySection | None:
        """The section as this entry shows it; None when the cut leaves nothing to say.
        The sources stay: what is shown still rests on them."""
        update = {
            part: getattr(section, part)[:limit]
            for part in PARTS
            if (limit := getattr(self, part)) is not None and hasattr(section, part)
        }
        shortened = section.model_copy(update=update)
        if not any(getattr(shortened, part, None) for part in PARTS if part != "closing"):
            return None
        return shortened


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
    """The blocks of one brochure on each panel, in the map's order. The references block
    lists only what the placed blocks cite, and is left out when they cite nothing."""
    used: set[str] = set()
    placed: list[tuple[Panel, list[PlacedBlock]]] = []
    for panel in panel_map.panels:
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
