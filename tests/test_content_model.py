"""The brochure content model: sections under free names with a role, the parts every
brochure needs, and the safety section of a brochure about a medicine."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handouts.cli import main
from handouts.models import Brochure
from handouts.panels import PanelMap, load_panel_map, place
from handouts.paths import TEMPLATES_DIR
from handouts.reader import display_path
from tests.support import BROCHURE_YAML, CLINIC_YAML, one_line, page_texts, write

CBT_SECTIONS = """\
sections:
  what_it_is:
    role: what_it_is
    heading: What is CBT?
    paragraphs:
      - CBT is a talk therapy. It helps you change how you think and act.
  skills_you_practise:
    role: skills
    heading: Skills you practise
    bullets:
      - Noticing unhelpful thoughts.
      - Planning small steps.
  homework:
    role: skills
    heading: Homework between sessions
    paragraphs:
      - You try a small task at home each week. You talk about it at your next session.
  a_session:
    role: what_to_expect
    heading: What happens in a session?
    paragraphs:
      - You and your therapist set a plan for the session. Then you work on it together.
  costs_and_insurance:
    role: costs
    heading: Costs and insurance
    paragraphs:
      - Ask what each session costs before you start.
  possible_downsides:
    role: downsides
    heading: Possible downsides
    paragraphs:
      - You may feel worse for a while. Tell your therapist if you do.
"""

CLINIC_WITH_EXTRAS = (
    CLINIC_YAML
    + """\
after_hours:
  phone: (555) 010-0177
  note: Ask for the doctor on call.
costs:
  - Our fee for a session is on our website.
"""
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cbt_brochure(root: Path) -> Path:
    text = BROCHURE_YAML.format(id="cbt", title="CBT")
    head, _, tail = text.partition("sections:\n")
    references = tail[tail.index("references:") :]
    body = CBT_SECTIONS.replace(
        "      - You may feel worse for a while. Tell your therapist if you do.\n",
        "      - You may feel worse for a while. Tell your therapist if you do.\n    sources: [steinert-2017]\n",
    )
    return write(root / "brochures" / "cbt.yaml", head + body + references)


def test_a_brochure_with_sections_the_shipped_ones_lack_builds_and_places_them(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    write(content / "clinic.yaml", CLINIC_WITH_EXTRAS)
    cbt_brochure(content)
    output = tmp_path / "o"
    code, _, err = run(
        capsys,
        "--content",
        str(content),
        "--output",
        str(output),
        "--only",
        "cbt-booklet-letter",
        "--only",
        "cbt-trifold-letter",
    )
    assert code == 0, err
    booklet = one_line(" ".join(page_texts(output / "Cbt-Brochure-Letter.pdf")))
    headings = [
        "What is CBT?",
        "Skills you practise",
        "Homework between sessions",
        "What happens in a session?",
        "Costs and insurance",
        "Possible downsides",
    ]
    positions = [booklet.index(heading) for heading in headings]
    assert positions == sorted(positions), "reading order is file order"
    # The clinic profile's own words follow the section with role `costs`.
    assert booklet.index("Our fee for a session is on our website.") > booklet.index("Costs and insurance")
    # The tri-fold's panel map names roles, not sections: the session is placed by its role.
    raw = yaml.safe_load((content / "brochures" / "cbt.yaml").read_text())
    plan = place(
        load_panel_map(TEMPLATES_DIR / "brochure" / "trifold-panels.yaml"), Brochure.model_validate(raw)
    )
    placed = {block.name: panel.name for panel in plan.panels for block in panel.blocks}
    assert placed["what_it_is"] == "inside-left"
    assert placed["a_session"] == "inside-middle"
    trifold = one_line(" ".join(page_texts(output / "Cbt-Brochure-Trifold-Letter.pdf")))
    assert "What happens in a session?" in trifold and "What is CBT?" in trifold


def test_a_role_placed_twice_takes_the_next_section_with_that_role(content: Path) -> None:
    brochure = Brochure.model_validate(yaml.safe_load(cbt_brochure(content).read_text()))
    raw_map = yaml.safe_load((TEMPLATES_DIR / "brochure" / "trifold-panels.yaml").read_text())
    raw_map["panels"][-1]["blocks"] = ["skills", "skills", "references"]
    plan = place(PanelMap.model_validate(raw_map), brochure)
    # Both sections with the role, in file order; then the references that the placed
    # sections cite (the downside on the back cover cites one).
    assert [block.name for block in plan.panels[-1].blocks] == [
        "skills_you_practise",
        "homework",
        "references",
    ]


def test_unknown_role_and_unknown_field_list_what_is_allowed(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    text = alpha.read_text()
    text = text.replace("    role: goals\n", "    role: homework_tips\n")
    text = text.replace("    role: evidence\n", "    role: evidence\n    colour: blue\n")
    text = text.replace("  downsides:\n", "  Possible-Downsides:\n")
    alpha.write_text(text)
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    lines = alpha.read_text().splitlines()
    shown = display_path(alpha)
    role_line = lines.index("    role: homework_tips") + 1
    assert (
        f"{shown}:{role_line}: sections.goals.role: unknown role 'homework_tips'; use one of: 'what_it_is', "
        "'helps_with', 'how_it_works', 'what_to_expect', 'treatment_day', 'sessions', 'skills', "
        "'relationship', 'goals', 'downsides', 'evidence', 'costs', 'finding_help', 'questions', 'other', "
        "'safety'"
    ) in err
    colour_line = lines.index("    colour: blue") + 1
    assert (
        f"{shown}:{colour_line}: sections.evidence.colour: unknown field; allowed here: heading, paragraphs, "
        "entries, bullets, closing, diagram, sources, role"
    ) in err
    key_line = lines.index("  Possible-Downsides:") + 1
    assert (
        f"{shown}:{key_line}: sections.Possible-Downsides: name a section in lower-case words joined by "
        "underscores, e.g. 'possible_downsides'"
    ) in err


def test_a_brochure_without_downsides_is_a_located_error(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    text = alpha.read_text()
    alpha.write_text(text[: text.index("  downsides:\n")] + text[text.index("references:") :])
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    line = alpha.read_text().splitlines().index("sections:") + 1
    assert (
        f"{display_path(alpha)}:{line}: sections: a brochure needs a section with role 'downsides': "
        "possible downsides, and what to do if it is not helping"
    ) in err
    assert not list((tmp_path / "o").glob("*.pdf"))


SAFETY_SECTION = """\
  safety:
    role: safety
    heading: Is this medicine safe for me?
    not_for:
      - You are allergic to it.
    serious_risks:
      - name: Deep sleepiness
        text: You may feel very sleepy.
    warning_signs:
      - You cannot stay awake.
"""


def medicine_brochure(content: Path, safety: str = SAFETY_SECTION, before: str = "  goals:\n") -> Path:
    alpha = content / "brochures" / "alpha.yaml"
    text = alpha.read_text().replace("medicine: false", "medicine: true")
    alpha.write_text(text.replace(before, safety + before, 1))
    return alpha


def test_a_medicine_needs_a_safety_section_with_every_part(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    write(content / "clinic.yaml", CLINIC_WITH_EXTRAS)
    alpha = medicine_brochure(content, safety="")
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    line = alpha.read_text().splitlines().index("sections:") + 1
    assert (
        f"{display_path(alpha)}:{line}: sections: a brochure about a medicine (medicine: true) needs a "
        "section with role 'safety': not_for, serious_risks and warning_signs"
    ) in err

    alpha.write_text(
        alpha.read_text().replace("  goals:\n", SAFETY_SECTION.split("    warning_signs:")[0] + "  goals:\n")
    )
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    line = alpha.read_text().splitlines().index("  safety:") + 1
    assert f"{display_path(alpha)}:{line}: sections.safety.warning_signs: required field is missing" in err


def test_a_medicine_needs_the_clinics_after_hours_number(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    alpha = medicine_brochure(content)
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    line = alpha.read_text().splitlines().index("medicine: true") + 1
    assert f"{display_path(alpha)}:{line}: medicine: a brochure about a medicine tells patients" in err


def test_the_safety_box_says_what_to_do_with_the_clinics_numbers(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    write(content / "clinic.yaml", CLINIC_WITH_EXTRAS)
    medicine_brochure(content)
    output = tmp_path / "o"
    code, _, err = run(capsys, "--content", str(content), "--output", str(output), "--only", "alpha")
    assert code == 0, err
    for name in ("Alpha-Brochure-Letter.pdf", "Alpha-Brochure-Trifold-Letter.pdf"):
        text = one_line(" ".join(page_texts(output / name)))
        for phrase in (
            "Who should not have it",
            "You are allergic to it.",
            "Serious risks",
            "Warning signs after you leave",
            "You cannot stay awake.",
            "Any of these signs? Do not wait:",
            "Call the clinic at (555) 010-0199",
            "When the clinic is closed, call (555) 010-0177. Ask for the doctor on call.",
            "If you have thoughts of hurting yourself: Call or text 988 (988 Suicide and Crisis Lifeline).",
            "In an emergency, call 911",
        ):
            if name.endswith("Trifold-Letter.pdf") and phrase in (
                "Serious risks",
                "You may feel very sleepy.",
            ):
                continue
            assert phrase in text, (name, phrase)


def test_a_safety_section_late_in_the_booklet_is_a_located_error(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    write(content / "clinic.yaml", CLINIC_WITH_EXTRAS)
    long_words = "You talk and think about how you feel each day, and what you want to change. " * 8
    padding = "".join(
        f"  part_{n}:\n    role: other\n    heading: Part {n}\n    paragraphs:\n"
        + "".join(f"      - {long_words}\n" for _ in range(4))
        for n in range(6)
    )
    alpha = medicine_brochure(content, safety=padding + SAFETY_SECTION, before="references:\n")
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-booklet-letter"
    )
    assert code == 1, err
    line = alpha.read_text().splitlines().index("  safety:") + 1
    assert f"{display_path(alpha)}:{line}: sections.safety: the safety section starts on page " in err
    assert "it must start in the first half of the booklet: move it up in `sections`" in err
    assert not list((tmp_path / "o").glob("*.pdf"))
