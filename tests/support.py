"""Helpers for the tests: small content files and reading PDFs as a reader would."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pypdf
import yaml

from handouts.paths import CONTENT_DIR, TEMPLATES_DIR

CLINIC_YAML = """\
name: Test Clinic
address:
  - 1 Test Road
  - Testville, ST 00000
phone: (555) 010-0199
email: front-desk@example.org
website: https://example.org
id: test-clinic
papers: [letter, a4]
"""

BROCHURE_YAML = """\
kind: brochure
id: {id}
topic: {id}
title: {title}
therapy: Test therapy
category: A talk therapy
medicine: false
purpose: This handout explains test therapy. It is for adults who are thinking about it.
summary: Test therapy helps you talk about your feelings.
key_points:
  - You talk with a therapist.
  - You meet once a week.
  - You can stop at any time.
next_step: Ask your care team if it is right for you.
review:
  last_reviewed: 2026-11-01
  next_review: 2027-11-01
  reviewer_role: Psychiatrist (MD)
version: "1.0"
sections:
  what_it_is:
    role: what_it_is
    heading: What is it?
    paragraphs:
      - It is a talk therapy.
  goals:
    role: goals
    heading: What are the goals?
    bullets:
      - To understand yourself.
  evidence:
    role: evidence
    heading: Does it work?
    paragraphs:
      - A review of studies found it works.
    sources: [steinert-2017]
  downsides:
    role: downsides
    heading: What can go wrong?
    paragraphs:
      - You may feel worse for a while. Tell your therapist.
references:
  - key: steinert-2017
    citation: Steinert C et al. Am J Psychiatry. 2017;174(10):943-953.
    pmid: "28541091"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages]


def one_line(text: str) -> str:
    """Text with line breaks and runs of spaces folded, for phrase searches."""
    return " ".join(text.split())


def shipped_source(entry: dict) -> dict:
    """The shipped content file a manifest entry was built from: the one of its kind, topic
    and language (a topic has an English original and editions in other languages)."""
    for path in sorted(CONTENT_DIR.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text())
        if (data.get("kind"), data.get("topic"), data.get("language", "en")) == (
            entry["kind"],
            entry["topic"],
            entry["language"],
        ):
            return data
    raise AssertionError(f"no content file for {entry['id']}")


def shipped_strings(language: str) -> dict:
    """The fixed wording a shipped document in `language` prints."""
    return yaml.safe_load((TEMPLATES_DIR / "strings" / f"{language}.yaml").read_text())
