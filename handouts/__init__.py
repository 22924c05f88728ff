"""Validated therapy content to print-ready, accessible PDF patient handouts.

The build runs in stages, one module each: ``reader`` (YAML with line numbers),
``validate`` (pydantic models, cross-file checks, located diagnostics), ``render``
(Jinja2 to HTML), ``layout`` (WeasyPrint to pages), ``writer`` (atomic files and the
manifest). ``build`` strings them together and ``cli`` is the command line.
"""

__version__ = "0.1.0"
