"""Language and locale tags as content files write them (BCP 47: `es`, `es-US`, `en-GB`).

Dependency-free, so the manifest writer and the no-change quick path can use it."""

ENGLISH = "en"


def language_of(tag: str) -> str:
    """`en-GB` -> `en`; a bare language stays itself."""
    return tag.split("-")[0]
