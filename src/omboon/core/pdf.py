"""HTML to PDF with WeasyPrint, fetching local files only (fonts, the logo as a data URI).

Shared by the report renderers (``omboon.reports.render``) and the receipt print
(``omboon.contributions.pdf``); the Sarabun faces come from ``omboon.core.fonts``.
"""

from __future__ import annotations

from omboon.core.fonts import install_weasyprint_text_fix


def html_to_pdf(html: str) -> bytes:
    """A print page as PDF bytes, fetching local files only."""
    from weasyprint import HTML  # noqa: PLC0415 — loads Pango: only when a PDF is made, not on every start

    install_weasyprint_text_fix()
    return HTML(string=html, base_url=None, url_fetcher=_local_fetcher()).write_pdf()


def _local_fetcher():
    """A fetcher for file: and data: URLs only: a report never reaches the network."""
    try:
        from weasyprint.urls import URLFetcher  # noqa: PLC0415 (as above)
    except ImportError:  # WeasyPrint before 67: a plain function
        from weasyprint import default_url_fetcher  # noqa: PLC0415 (as above)

        def fetch(url, *args, **kwargs):
            if not url.startswith(("file:", "data:")):
                raise ValueError(f"ไม่โหลดไฟล์จากเครือข่าย / no network fetches in reports: {url}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols=("file", "data"))
