"""Validated therapy content to print-ready, accessible PDF patient handouts.

The build runs in stages, one module each: ``reader`` (YAML with line numbers),
``validate`` (pydantic models, cross-file checks, located diagnostics), ``catalog``
(which outputs to make), ``render`` (Jinja2 to HTML; ``panels`` places tri-fold
content), ``layout`` (WeasyPrint to pages), ``checks`` (page counts, panel fit),
``writer`` (atomic files and the manifest). ``build`` strings them together, skipping
unchanged outputs (``incremental``) and rendering the rest in worker
processes (``worker``); ``cli`` is the command line and ``email_draft`` its email kit.
"""

__version__ = "0.1.0"
