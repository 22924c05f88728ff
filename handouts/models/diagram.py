"""A diagram a patient can act on: a short run of steps, each a label, one line of text
and an icon from the bundled set (Lucide, ISC licence: `styles/icons/`).

The steps are content, so they are written, checked and cited like the rest of a
section: a diagram says nothing the section's sources do not. The templates draw it as
a numbered list under a caption, so a screen reader reads the steps in order; the icons
are drawn behind the text as decoration (PDF artifacts) and carry no meaning of their
own, in colour or in black and white.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from handouts.models.common import MAX_LIST_ITEMS, ShortText, StrictModel

IconName = Literal[
    "bed",
    "building-2",
    "calendar-days",
    "calendar-range",
    "car",
    "circle-check",
    "droplets",
    "heart-pulse",
    "hourglass",
    "message-circle",
]
"""The bundled icons: each has `styles/icons/NAME.svg` and a `.step-icon-NAME` rule in
`styles/base.css` (a test checks both). To add one, copy its SVG from the lucide-static
package and add the rule."""

ICON_NAMES: tuple[str, ...] = get_args(IconName)


class Step(StrictModel):
    label: ShortText = Field(max_length=40, description="A few words: 'Ride home'.")
    text: ShortText = Field(description="One line: what happens, or what you do, at this step.")
    icon: IconName = Field(
        description="A picture for the step, from the bundled set: " + ", ".join(ICON_NAMES)
    )


class Diagram(StrictModel):
    """Steps in order, from first to last, under a caption that names the diagram."""

    caption: ShortText = Field(
        description="What the diagram shows: 'Your treatment day, from arrival to the ride home'. "
        "Printed above it, and the name screen readers give it."
    )
    steps: list[Step] = Field(min_length=2, max_length=MAX_LIST_ITEMS)
