"""A brochure's sections: free names, and a role from a small vocabulary that says what
each section is for.

The role, not the name, is what layouts and the build's rules look at: the tri-fold's
panel map places sections by role, every brochure needs a `downsides` section, and a
brochure about a medicine needs a `safety` section. So a clinic can add "Skills you
practise" or "Costs and insurance" to a new therapy's file without code or template
changes.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints, model_validator

from handouts.models.common import MAX_LIST_ITEMS, Entry, ShortText, Slug, StrictModel, Text
from handouts.models.diagram import Diagram

ROLES: dict[str, str] = {
    "what_it_is": "What the treatment is, in plain words.",
    "helps_with": "What it can help with, and who it may suit.",
    "how_it_works": "How it works: the ideas behind it, what you talk about or do.",
    "what_to_expect": "What happens in a session, or before, during and after a treatment.",
    "treatment_day": "Practical steps for the day of a treatment: travel, food, what to bring.",
    "sessions": "How long and how often; the formats there are and how long each lasts.",
    "skills": "Skills you learn and practise, in sessions or as homework between them.",
    "relationship": "Your bond with the therapist or care team, and why it matters.",
    "goals": "What the treatment aims for.",
    "downsides": "Possible downsides, and what to do if it is not helping. Every brochure has one.",
    "safety": (
        "Safety of a medicine: who should not have it, serious risks, warning signs after you "
        "leave, and what to do (the clinic's numbers are added). Needed when `medicine: true`."
    ),
    "evidence": "What research shows, and where it is limited.",
    "costs": "What it costs and what insurance covers; the clinic profile's `costs` text follows it.",
    "finding_help": "Who gives this treatment, their training, and how to find one.",
    "questions": "Questions that help the reader decide, or ask their care team.",
    "other": "Anything the other roles do not cover.",
}
"""What a section can be for. Documented in the README; shown in the JSON Schema."""

ContentRole = Literal[
    "what_it_is",
    "helps_with",
    "how_it_works",
    "what_to_expect",
    "treatment_day",
    "sessions",
    "skills",
    "relationship",
    "goals",
    "downsides",
    "evidence",
    "costs",
    "finding_help",
    "questions",
    "other",
]
"""Every role but `safety`, whose section has parts of its own."""

SAFETY = "safety"
DOWNSIDES = "downsides"
assert set(get_args(ContentRole)) | {SAFETY} == set(ROLES), "ROLES and ContentRole must agree"

SectionName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$", max_length=48)]
"""A section's name in the file: lower-case words joined by underscores, e.g. `costs`."""


def _role_help(roles: tuple[str, ...]) -> str:
    return "What this section is for: " + "; ".join(f"`{role}`: {ROLES[role]}" for role in roles)


class SectionBase(StrictModel):
    """A chunk of the brochure under one heading, ideally a question a patient asks."""

    heading: ShortText
    paragraphs: list[Text] = Field(default_factory=list)
    entries: list[Entry] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    bullets: list[Text] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    closing: list[Text] = Field(default_factory=list, description="Paragraphs after the list.")
    diagram: Diagram | None = Field(
        default=None,
        description="Steps a patient can act on, drawn with icons after the paragraphs, before "
        "the lists. Use only facts the section already states and cites.",
    )
    sources: list[Slug] = Field(
        default_factory=list, description="Keys of the references behind this section."
    )

    def prose(self) -> list[str]:
        """Running text of the section, for readability checks: not headings or list items."""
        return [*self.paragraphs, *(e.text for e in self.entries), *self.closing, *self._step_texts()]

    def _step_texts(self) -> list[str]:
        return [step.text for step in self.diagram.steps] if self.diagram else []


class Section(SectionBase):
    role: ContentRole = Field(description=_role_help(get_args(ContentRole)))

    @model_validator(mode="after")
    def _has_content(self) -> Section:
        if not (self.paragraphs or self.entries or self.bullets):
            raise ValueError("a section needs paragraphs, entries or bullets")
        return self


class SafetySection(SectionBase):
    """What a patient must know before and after a medicine. The template adds what to do,
    with the clinic's phone, after-hours number, crisis line and emergency number."""

    role: Literal["safety"] = Field(description=_role_help((SAFETY,)))
    not_for: list[Text] = Field(
        min_length=1, max_length=MAX_LIST_ITEMS, description="Who should not have it."
    )
    serious_risks: list[Entry] = Field(
        min_length=1, max_length=MAX_LIST_ITEMS, description="Serious risks, in plain words."
    )
    warning_signs: list[Text] = Field(
        min_length=1,
        max_length=MAX_LIST_ITEMS,
        description="Warning signs after leaving the clinic; the clinic's numbers follow them.",
    )

    def prose(self) -> list[str]:
        return [*self.paragraphs, *(e.text for e in self.serious_risks), *self.closing, *self._step_texts()]


AnySection = Annotated[Section | SafetySection, Field(discriminator="role")]

PARTS = ("paragraphs", "entries", "bullets", "closing", "not_for", "serious_risks", "warning_signs")
"""Every list a section may have; a layout may show the first items of each."""
