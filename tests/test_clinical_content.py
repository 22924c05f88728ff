"""What the shipped brochures tell a reader, read back from the PDFs: the ketamine safety
facts with which label they come from, and the psychodynamic brochure's downsides,
evidence, credentials, costs and references."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from tests.support import one_line, page_texts

KETAMINE = "Psychodynamic-Therapy-With-Ketamine-Brochure"
PSYCHODYNAMIC = "Psychodynamic-Therapy-Brochure"

KETAMINE_BOOKLET_FACTS = (
    # who should not have it (Spravato label), and that the clinic applies it to IV/IM ketamine
    "These facts come from the FDA label for esketamine (Spravato).",
    "For ketamine by vein or muscle, our clinic uses the same list. That is our own rule, not a label rule.",
    "bulging blood vessel (aneurysm) or an arteriovenous malformation",
    "You have had bleeding in the brain.",
    "You are allergic to ketamine or esketamine.",
    "You are pregnant or breastfeeding.",
    "Do not breastfeed during treatment.",
    # the boxed warning in plain words
    "Deep sleepiness (sedation)",
    "Feeling cut off (dissociation)",
    "Breathing problems",
    "Misuse and abuse",
    "Thoughts of suicide",
    "Higher blood pressure",
    # the treatment day
    "This is part of a safety program the FDA requires, called the REMS.",
    "Do not eat for 2 hours before esketamine. Do not drink for 30 minutes before it.",
    "Staff check your blood pressure before and after each dose.",
    "Staff watch you for at least 2 hours after an esketamine dose.",
    "Do not drive or use machinery until the next day, after a restful sleep.",
    "the Ketalar label says staff must watch your heart rate, blood pressure and breathing the whole time",
    "We use it for every form of ketamine we give.",
    # softened: memories
    "Ketamine sessions can bring up memories",
    "may not be an accurate one",
    # warning signs and what to do, from the clinic profile
    "Warning signs after you leave",
    "Pain when you pass urine, or you need to go often.",
    "Call the clinic at (555) 010-0100",
    "When the clinic is closed, call (555) 010-0111. Ask for the doctor on call.",
    "If you have thoughts of hurting yourself, call or text 988",
    "What can go wrong, and what if it is not helping?",
)
LABELS = (
    "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=d81a6a79-a74a-44b7-822c-0dfa3036eaed",
    "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=14e8f864-8b8a-4e7e-8439-e510d3107063",
)


def links(pdf: Path) -> set[str]:
    return {
        annotation.get_object()["/A"].get("/URI")
        for page in pypdf.PdfReader(pdf).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    }


KETAMINE_TRIFOLD_FACTS = (
    "What is this pairing?",
    "Who should not have it",
    "You have had bleeding in the brain.",
    "You are allergic to ketamine or esketamine.",
    "What happens on a treatment day?",
    "Staff watch you for at least 2 hours after an esketamine dose.",
    "Do not drive or use machinery until the next day, after a restful sleep.",
    "When the clinic is closed, call (555) 010-0111.",
    "Get help now",
    "References",
    "dailymed.nlm.nih.gov",
)

PSYCHODYNAMIC_BOOKLET_FACTS = (
    "What can go wrong, and what if it is not helping?",
    "more than 1 in 3 people in therapy had feelings like these",
    "about 1 in 20 people said therapy had a bad effect that lasted",
    "If you feel worse, or it is not helping, tell your therapist.",
    "There is little evidence for stress after trauma (PTSD)",
    "Long-term therapy for some personality problems",
    "Make sure the person you choose is licensed.",
    "In the U.S., most cannot prescribe medicine.",
    "What does it cost?",
    "We tell you what a session costs before your first visit.",
    "American Journal of Psychiatry",
    "British Journal of Psychiatry",
    "World Psychiatry",
    "Words to know",
)


def text_of(output: Path, name: str) -> str:
    return one_line(" ".join(page_texts(output / f"{name}.pdf")))


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_ketamine_booklet_says_who_should_not_have_it_and_what_to_do(
    shipped_build: Path, paper: str
) -> None:
    text = text_of(shipped_build, f"{KETAMINE}-{paper}")
    missing = [fact for fact in KETAMINE_BOOKLET_FACTS if fact not in text]
    assert missing == []
    assert "often bring up" not in text
    # The Spravato and Ketalar labels, by their official addresses, in the booklet and the tri-fold.
    assert set(LABELS) <= links(shipped_build / f"{KETAMINE}-{paper}.pdf")
    assert set(LABELS) <= links(shipped_build / f"{KETAMINE}-Trifold-{paper}.pdf")


def test_the_ketamine_safety_section_starts_in_the_first_half_of_every_booklet(shipped_build: Path) -> None:
    for variant in ("", "-Large-Print", "-Print-Shop"):
        for paper in ("Letter", "A4"):
            pages = [one_line(p) for p in page_texts(shipped_build / f"{KETAMINE}{variant}-{paper}.pdf")]
            start = next(n for n, page in enumerate(pages, start=1) if "Is ketamine safe for me?" in page)
            assert start - 1 < len(pages) / 2, (variant, paper, start, len(pages))


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_ketamine_trifold_keeps_the_key_safety_facts(shipped_build: Path, paper: str) -> None:
    text = text_of(shipped_build, f"{KETAMINE}-Trifold-{paper}")
    assert [fact for fact in KETAMINE_TRIFOLD_FACTS if fact not in text] == []


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_psychodynamic_booklet_says_what_can_go_wrong_and_where_evidence_is_limited(
    shipped_build: Path, paper: str
) -> None:
    text = text_of(shipped_build, f"{PSYCHODYNAMIC}-{paper}")
    assert [fact for fact in PSYCHODYNAMIC_BOOKLET_FACTS if fact not in text] == []


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_every_trifold_keeps_a_reference_and_what_it_is(shipped_build: Path, paper: str) -> None:
    for name in (PSYCHODYNAMIC, KETAMINE):
        text = text_of(shipped_build, f"{name}-Trifold-{paper}")
        assert "References" in text and "Get help now" in text
        assert "What is" in text
