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
    # who should not have it, and which items are Spravato label facts or the clinic's rules
    "The first 4 items are Spravato label facts. The last one is our rule, and so is this list for ketamine by vein or muscle.",
    "bulging or weak blood vessel (aneurysm) in your brain, chest, belly, arms or legs",
    "tangle of blood vessels (arteriovenous malformation)",
    "You have had bleeding in the brain.",
    "You are allergic to ketamine, esketamine or what is in them.",
    "You are pregnant or breastfeeding.",
    "Ketamine and esketamine may harm an unborn baby (Spravato label).",
    "Do not breastfeed during treatment.",
    # the boxed warning in plain words, then blood pressure
    "Deep sleepiness (sedation)",
    "Feeling cut off (dissociation)",
    "Breathing problems",
    "Misuse and abuse",
    "Thoughts of suicide",
    "in children, teens and young adults. At any age, tell us right away",
    "Higher blood pressure",
    # medicines that slow breathing (Ketalar label), psychosis (Spravato label)
    "mainly for sleep, worry or pain (such as benzodiazepines or opioids)",
    "or cause a coma or death (Ketalar label)",
    "Our clinic's rule: do not drink alcohol on the day of a dose.",
    "held beliefs others did not share (psychosis)",
    "Our clinic's rule: before each session, tell us",
    # the treatment day, with the maker's advice named as such
    "This is part of a safety program the FDA requires, called the REMS.",
    "Do not eat for at least 2 hours before esketamine. Do not drink for at least 30 minutes before it (maker's advice).",
    "Staff check your blood pressure before the dose and about 40 minutes after it (maker's advice).",
    "Staff watch you for at least 2 hours after an esketamine dose.",
    "Do not drive or use machinery until the next day, after a restful sleep.",
    "the Ketalar label says staff must watch your heart rate, blood pressure and breathing during the dose",
    "you should go home with a responsible adult",
    "we check your blood pressure before the dose, during it, and before you leave",
    "We use it for every form of ketamine we give.",
    # what ketamine brings up: the label's words, and the clinic's view marked as such
    "many people feel cut off from themselves or their surroundings",
    "What follows is our clinic's own view, not a research finding.",
    "may not be an accurate one",
    # warning signs, the emergency one first, and what to do, from the clinic profile
    "Warning signs after you leave",
    "You cannot be woken, or breathe very slowly. Our rule: someone calls 911.",
    "Pain or blood when you pass urine, or you need to go often.",
    "Call the clinic at (555) 010-0100",
    "When the clinic is closed, call (555) 010-0111. Ask for the doctor on call.",
    "If you have thoughts of hurting yourself: Call or text 988 (988 Suicide and Crisis Lifeline).",
    "What can go wrong, and what if it is not helping?",
    "Ask your health plan if it pays for esketamine.",
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
    # the safety box: which facts are the label's, who should not have it, urgent signs
    "The first 4 items are Spravato label facts. The last one is our rule",
    "Who should not have it",
    "You have had bleeding in the brain.",
    "You are allergic to ketamine, esketamine or what is in them.",
    "You are pregnant or breastfeeding.",
    "You cannot be woken, or breathe very slowly. Our rule: someone calls 911.",
    "When the clinic is closed, call (555) 010-0111.",
    # the boxed-warning risks, as the first downside
    "Serious risks (Spravato label warning)",
    "Deep sleepiness, feeling cut off, slowed breathing, misuse, and thoughts of suicide.",
    "What happens on a treatment day?",
    "Staff watch you for at least 2 hours after an esketamine dose.",
    "Do not drive or use machinery until the next day, after a restful sleep.",
    "It is not known if therapy and ketamine together work better than either one alone.",
    "Get help now",
    "References",
    # an address a reader can type from the paper
    "pubmed.ncbi.nlm.nih.gov/28541091/",
)

PSYCHODYNAMIC_BOOKLET_FACTS = (
    "What can go wrong, and what if it is not helping?",
    "In one study of people in talk therapy, more than 1 in 3 had these feelings.",
    "about 1 in 20 people said therapy had a bad effect that lasted",
    "If you have thoughts of suicide, call or text 988 now.",
    # per-condition claims only where a review supports them
    "Research suggests it can help some anxiety problems.",
    "Compared with waiting, usual care or a placebo",
    "some eating problems (not bulimia)",
    "Ketamine has serious risks and is not safe for everyone.",
    "Our clinic's own view, not a research finding",
    "If you feel worse, or it is not helping, tell your therapist.",
    "There is little research for stress after trauma (PTSD)",
    "Long-term therapy for some personality problems",
    "Make sure the person you choose is licensed.",
    "In the U.S., most cannot prescribe medicine.",
    "A registered nurse with training in mental health.",
    "Are you licensed in this state?",
    "lists places, not single therapists",
    "What does it cost?",
    "We tell you what a session costs before your first visit.",
    "Is talk therapy covered?",
    "American Journal of Psychiatry",
    "British Journal of Psychiatry",
    "World Psychiatry",
    "Words to know",
    "pubmed.ncbi.nlm.nih.gov/26043322/",
)
PSYCHODYNAMIC_GONE = (
    "adjustment disorder",
    "prolonged grief",
    "holds promise",
    "Art and music",
    "not eased with other treatments",
    "more than no treatment",
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
    assert "This talk therapy is built to explore" not in text
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
    assert [claim for claim in PSYCHODYNAMIC_GONE if claim in text] == []


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_every_trifold_keeps_a_reference_and_what_it_is(shipped_build: Path, paper: str) -> None:
    for name in (PSYCHODYNAMIC, KETAMINE):
        text = text_of(shipped_build, f"{name}-Trifold-{paper}")
        assert "References" in text and "Get help now" in text
        assert "What is" in text
        # a downside and an evidence limit, and an address a reader can type
        assert "What can go wrong" in text
        assert "pubmed.ncbi.nlm.nih.gov/28541091/" in text
    psychodynamic = text_of(shipped_build, f"{PSYCHODYNAMIC}-Trifold-{paper}")
    assert "There is little research for stress after trauma (PTSD)" in psychodynamic
