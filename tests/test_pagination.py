"""How content falls onto pages: each rule of handouts.pagination fails on its defect, laid
out by WeasyPrint on small pages; a build fails with a located message; and the shipped
catalogue's PDFs have a one-line footer half an inch above the paper's edge and no text
within 0.375 in of a sheet edge."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2
import pytest
from weasyprint import HTML

from handouts.cli import main
from handouts.pagination import problems
from handouts.typeset.measure import measure
from tests.support import one_line, page_texts, shipped_strings, write

PAGE = "@page { size: 300px 240px; margin: 20px 10px 40px; }"
WORDS = "One line of words that wraps. " * 3


def box(height: int) -> str:
    """A tall answer box: it fills its height as a line of text would."""
    return (
        f'<textarea style="display: block; box-sizing: border-box; height: {height}px; margin: 0"></textarea>'
    )


def pagination(body: str, css: str = "", layout: str = "leaflet", variant: str = "standard") -> list[str]:
    html = f"<style>{PAGE} p, ul {{ margin: 0; }} h2 {{ margin: 0; font-size: 16px; }} {css}</style>{body}"
    return [
        f"page {found.page}: {found.message}"
        for found in problems(measure(HTML(string=html).render()), layout, variant)
    ]


def test_a_heading_with_one_line_of_its_text_at_a_page_bottom_fails() -> None:
    found = pagination(
        f"""{box(120)}
        <section><h2>Stranded heading</h2><p style="orphans: 1; widows: 1">{WORDS * 3}</p></section>""",
    )
    assert any(
        "page 1: heading 'Stranded heading' ends the page with 1 line of its text under it" in f
        for f in found
    ), found


def test_a_heading_with_its_text_after_it_passes() -> None:
    found = pagination(
        f"""<section><h2>Heading</h2><p>{WORDS}</p><p style="break-before: page">{WORDS}</p>
        <p>{WORDS}</p><p>{WORDS}</p></section>""",
        "h2 { margin: 0; }",
    )
    assert not [f for f in found if "heading" in f], found


def test_a_lone_sources_line_at_a_page_top_fails() -> None:
    found = pagination(
        f"""<section><h2>First</h2>{box(60)}<p>Short text.</p>
        <p class="sources" style="break-before: page">Sources: [1]</p></section>
        <section><h2>Second</h2><p>{WORDS}</p></section>"""
    )
    assert any("page 2: the page opens with one line, 'Sources: [1]', alone" in f for f in found), found


def test_a_single_bullet_at_a_page_top_fails_even_on_two_lines() -> None:
    found = pagination(
        f"""<section><h2>Questions</h2>{box(110)}<ul><li>First question?</li>
        <li style="break-before: page">{WORDS}</li></ul></section>
        <section><h2>Next</h2><p>{WORDS}</p></section>"""
    )
    assert any("page 2: the page opens with one list item" in f for f in found), found


def test_a_page_under_40_percent_filled_fails_but_the_last_may_be_short() -> None:
    found = pagination(f"<p>{WORDS}</p><h2 style='break-before: page'>Next</h2><p>Short.</p>")
    assert len(found) == 1 and found[0].startswith("page 1: the page is only "), found
    assert "% filled; what follows starts on page 2 with 'Next'" in found[0]


def test_a_question_split_from_its_follow_up_fails() -> None:
    found = pagination(
        f"""{box(120)}
        <div class="field-group"><p>Do you have any allergies?</p>
        <p style="break-before: page">If yes, what are you allergic to?</p></div><p>{WORDS * 4}</p>"""
    )
    assert any(
        "page 1: the question 'Do you have any allergies?' is on page 1 and its follow-up on page 2" in f
        for f in found
    ), found


QUESTIONNAIRE = """<div class="field field-questionnaire"><table>
<caption>Patient Health Questionnaire (PHQ-9)</caption>{head}<tbody>{rows}</tbody></table>
<div class="total" {total}>Total score</div></div>"""
ROW = '<tr class="item"><th>{n}. Item text</th><td>0</td></tr>'


def questionnaire(
    head: bool = True, total: str = "", before: int = 1, rows: int = 9, keep_caption: bool = True
) -> list[str]:
    body = QUESTIONNAIRE.format(
        head="<thead><tr><th>Over the<br>last 2<br>weeks</th><th>Not at all</th></tr></thead>"
        if head
        else "",
        rows="".join(ROW.format(n=n) for n in range(1, rows + 1)),
        total=total,
    )
    css = "tr { break-inside: avoid; } .total { break-before: avoid; }"
    css += " caption { break-after: avoid; }" if keep_caption else ""
    return pagination(box(before) + body, css)


def test_a_questionnaire_that_breaks_between_items_with_its_header_repeated_passes() -> None:
    assert questionnaire() == []


def test_a_questionnaire_heading_alone_at_a_page_bottom_fails() -> None:
    found = questionnaire(before=110, keep_caption=False)
    assert any(
        "page 1: the questionnaire 'Patient Health Questionnaire (PHQ-9)' starts at the bottom of the "
        "page without any of its items" in f
        for f in found
    ), found


def test_a_questionnaire_going_on_without_its_answer_header_fails() -> None:
    found = questionnaire(head=False)
    assert any("page 2: the questionnaire goes on from page 1 without its answer header" in f for f in found)


def test_a_total_box_pages_away_from_the_last_item_fails() -> None:
    found = questionnaire(total='style="break-before: page"', rows=2)
    assert any("the questionnaire's total box is on page 2, its last item on page 1" in f for f in found), (
        found
    )


COVER = """<section class="cover"><h1>Title</h1>{gap}
<aside class="key-points"><h2>Key points</h2><ul><li>One.</li><li>Two.</li></ul></aside></section>
<main style="break-before: page"><p>{words}</p></main>"""


def test_key_points_pushed_off_a_standard_cover_fail() -> None:
    found = pagination(COVER.format(gap=box(150), words=WORDS), layout="booklet")
    assert any("the key points must be whole on the cover (page 1); they are on page 3" in f for f in found)
    assert pagination(COVER.format(gap=box(20), words=WORDS), layout="booklet") == []


def test_large_print_key_points_may_take_the_page_after_the_cover_but_no_later() -> None:
    assert pagination(COVER.format(gap=box(20), words=WORDS), layout="booklet", variant="large-print") == []
    found = pagination(COVER.format(gap=box(150), words=WORDS), layout="booklet", variant="large-print")
    assert any("the cover or the page after it (page 1 or 2); they are on page 3" in f for f in found), found


FOOTER = """<style>@page {{ margin-bottom: 96px; @bottom-left {{ content: element(footer); vertical-align: top; {margin} }} }}
.running-footer {{ position: running(footer); font-size: 12px; line-height: 1.2; }}</style>
<footer class="running-footer">{title} · Page <span class="n"></span></footer><p>{words}</p>"""


def test_a_footer_on_two_lines_fails() -> None:
    found = pagination(FOOTER.format(title="A title far too long for one line " * 2, margin="", words=WORDS))
    assert any(
        "page 1: the running footer takes 2 lines" in f and "shorter `short_title`" in f for f in found
    )
    assert pagination(FOOTER.format(title="Short", margin="", words=WORDS)) == []


def test_a_footer_less_than_half_an_inch_above_the_paper_edge_fails() -> None:
    found = pagination(FOOTER.format(title="Short", margin="padding-top: 70px;", words=WORDS))
    assert any(
        "page 1: the running footer is 0.1" in f and "in from the paper's edge; it needs 0.5" in f
        for f in found
    )


def test_the_build_fails_a_title_too_long_for_the_footer_at_the_title(
    capsys: pytest.CaptureFixture[str], content: Path, tmp_path: Path
) -> None:
    brochure = content / "brochures" / "alpha.yaml"
    long_title = "Alpha therapy for people who want to understand their feelings and their relationships"
    brochure.write_text(brochure.read_text().replace("title: Alpha therapy", f"title: {long_title}"))
    assert (
        main(["build", "--content", str(content), "--output", str(tmp_path / "out"), "--only", "alpha"]) == 1
    )
    err = capsys.readouterr().err
    title_line = brochure.read_text().splitlines().index(f"title: {long_title}") + 1
    assert f"alpha.yaml:{title_line}: title: booklet (Letter) page 2: the running footer takes 2 lines" in err
    write(brochure, brochure.read_text().replace("\nsummary:", "\nshort_title: Alpha therapy\nsummary:"))
    assert (
        main(["build", "--content", str(content), "--output", str(tmp_path / "out"), "--only", "alpha"]) == 0
    )


INCH = 72
"""PDF units a inch."""


def _manifest(output: Path) -> list[dict]:
    return json.loads((output / "manifest.json").read_text())["documents"]


def _flowing(output: Path) -> list[dict]:
    return [entry for entry in _manifest(output) if entry["layout"] in {"booklet", "leaflet"}]


def _chars(page: pypdfium2.PdfPage) -> list[tuple[str, tuple[float, float, float, float]]]:
    text = page.get_textpage()
    return [
        (char, text.get_charbox(index))
        for index in range(text.count_chars())
        if (char := text.get_text_range(index, 1)).strip()
    ]


def test_every_footer_is_one_line_half_an_inch_above_the_paper_edge(shipped_build: Path) -> None:
    for entry in _flowing(shipped_build):
        document = pypdfium2.PdfDocument(shipped_build / entry["path"])
        for number, page in enumerate(document, start=1):
            _, trim_bottom, _, _ = page.get_trimbox()
            in_margin = [box for _, box in _chars(page) if box[3] < trim_bottom + 0.9 * INCH]
            if entry["layout"] == "booklet" and number == 1:
                assert not in_margin, "the cover has no footer"
                continue
            lowest = min(box[1] for box in in_margin)
            assert lowest - trim_bottom >= 0.5 * INCH, (entry["path"], number, (lowest - trim_bottom) / INCH)
            baselines = sorted({round(box[1]) for box in in_margin})
            rows = [y for i, y in enumerate(baselines) if i == 0 or y - baselines[i - 1] > 6]
            assert len(rows) == 1, (entry["path"], number, "footer on more than one line")


def test_footer_reads_short_title_and_page_x_of_y_and_the_back_page_the_review_date(
    shipped_build: Path,
) -> None:
    titles = {
        "psychodynamic-therapy": "Psychodynamic therapy",
        "psychodynamic-therapy-with-ketamine": "Therapy alongside ketamine",
        "psychodynamic-therapy-intake": "Starting psychodynamic therapy",
        "psychodynamic-therapy-with-ketamine-intake": "Therapy alongside ketamine",
        "psychodynamic-therapy-es": "Terapia psicodinámica",
        "psychodynamic-therapy-with-ketamine-es": "Terapia junto con ketamina",
    }
    reviewed = {"en": "Reviewed: November 1, 2026", "es": "Revisado: 1 de noviembre de 2026"}
    for entry in _flowing(shipped_build):
        document_id = entry["id"].split(f"-{entry['layout']}-")[0]
        t = shipped_strings(entry["language"])
        pages = [one_line(text) for text in page_texts(shipped_build / entry["path"])]
        first = 2 if entry["layout"] == "booklet" else 1
        for number, text in enumerate(pages[first - 1 :], start=first):
            footer = f"{titles[document_id]} · {t['page']} {number} {t['page_of']} {len(pages)}"
            assert footer in text, (entry["path"], number)
        assert reviewed[entry["language"]] in pages[-1]


def test_no_text_within_three_eighths_of_an_inch_of_a_sheet_edge(shipped_build: Path) -> None:
    for entry in _flowing(shipped_build):
        document = pypdfium2.PdfDocument(shipped_build / entry["path"])
        for number, page in enumerate(document, start=1):
            left, bottom, right, top = page.get_trimbox()
            for char, (x0, y0, x1, y1) in _chars(page):
                inside = min(x0 - left, y0 - bottom, right - x1, top - y1)
                assert inside >= 0.375 * INCH, (entry["path"], number, char, inside / INCH)
