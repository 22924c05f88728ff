"""A tri-fold's blocks, as its panel map (`templates/brochure/trifold-panels.yaml`) and a
brochure's own choices (`trifold:` in its content file) name them: a fixed block, a
section role, a section cut short, or the first available of some."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from handouts.models.common import StrictModel
from handouts.models.sections import PARTS, ROLES, AnySection

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
