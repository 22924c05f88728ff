"""Everything that touches WeasyPrint, behind one wall.

`typesetter` lays HTML out into pages and writes the PDF (with the fixes of `pdf_fixes`,
each naming the WeasyPrint gap it closes); `fetcher` is the only way WeasyPrint reads a
file; `libraries` opens its C libraries quickly; `measure` turns laid-out pages into
plain facts (areas, text runs, block tags, roles) that the check stage reads. Nothing
outside this package imports WeasyPrint, so an upgrade is tried here and only here.
"""
