"""Plain language: the body prose of every shipped document reads at SMOG grade 8 or below."""

from __future__ import annotations

from pathlib import Path

import pytest
import textstat
import yaml

from handouts.models import Brochure
from handouts.paths import CONTENT_DIR

MAX_SMOG_GRADE = 8.0
MAX_WORDS_IN_A_SENTENCE = 25


def body_prose(brochure: Brochure) -> list[str]:
    """Sentences a patient reads as running text: not headings, names or list fragments."""
    texts = [brochure.purpose, brochure.summary, brochure.next_step]
    for _, section in brochure.sections.present():
        texts += section.prose()
    if brochure.faq:
        texts += [item.answer for item in brochure.faq.items]
    return texts


BROCHURES = sorted((CONTENT_DIR / "brochures").glob("*.yaml"))


@pytest.mark.parametrize("path", BROCHURES, ids=[p.stem for p in BROCHURES])
def test_smog_grade_is_8_or_below(path: Path) -> None:
    brochure = Brochure.model_validate(yaml.safe_load(path.read_text()))
    body = " ".join(body_prose(brochure))
    assert textstat.sentence_count(body) >= 30, "SMOG needs 30 sentences to be meaningful"
    assert textstat.smog_index(body) <= MAX_SMOG_GRADE


@pytest.mark.parametrize("path", BROCHURES, ids=[p.stem for p in BROCHURES])
def test_no_sentence_runs_long(path: Path) -> None:
    brochure = Brochure.model_validate(yaml.safe_load(path.read_text()))
    for text in body_prose(brochure):
        for sentence in text.replace("?", ".").replace("!", ".").split(". "):
            assert len(sentence.split()) <= MAX_WORDS_IN_A_SENTENCE, sentence
