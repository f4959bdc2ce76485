"""Board reports as PDF, printed on the server by headless Chromium (through Playwright) from
the report's own HTML and the site's stylesheet, as a browser prints it: A4, the print rules,
page numbers in the footer, tagged for screen readers, with the report's headings as the
PDF's outline. Nothing is fetched and no script runs: every request the page makes is
refused, so a report never waits on, or leaks to, the network.

Why Chromium rather than WeasyPrint: WeasyPrint took 9–10 s for a trust-sized report (76
pages, 2 cores) after its markup was made as cheap to lay out as we could; Chromium prints it
in about 1.5 s, and makes a tagged PDF, which WeasyPrint could not with this markup. It is
also the browser the test suite already runs (scripts/ensure_chromium.sh installs it)."""

import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.html import escape
from playwright.sync_api import Error, sync_playwright
from pypdf import PdfReader, PdfWriter

# The report's own page rules; the site's print rules (site.css, @media print) do the rest.
PDF_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm; }
h2, h3 { break-after: avoid; }
body.pdf { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; }
"""
FOOTER = (
    "<div style=\"font: 8px 'DejaVu Sans', sans-serif; color: #505a5f; width: 100%; "
    'margin: 0 14mm; display: flex; justify-content: space-between;">'
    '<span>{title}</span><span style="color: #1d1d1b">Page <span class="pageNumber"></span> '
    'of <span class="totalPages"></span></span></div>'
)


class PrintFailed(RuntimeError):
    """Chromium could not print: missing, or it failed. Said in words for the Admin."""


def page_html(html: str) -> str:
    """The report's page with the stylesheets inline: the printer fetches nothing."""
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8") + PDF_CSS
    return html.replace("</head>", f"<style>{css}</style></head>", 1)


class Printer:
    """One headless Chromium for a run of PDFs (a report, or a whole board pack).

    Playwright's synchronous API runs an event loop in the thread that starts it, so the
    browser lives in a thread of its own: the caller's thread may have a loop already."""

    def __enter__(self) -> "Printer":
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf")
        try:
            self._thread.submit(self._start).result()
        except Exception:
            self._thread.shutdown()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._thread.submit(self._stop).result()
        finally:
            self._thread.shutdown()

    def pdf(self, html: str, title: str) -> bytes:
        return self._thread.submit(self._print, page_html(html), title).result()

    def _start(self) -> None:
        browser = settings.PDF_BROWSER
        if not os.access(browser, os.X_OK):
            raise PrintFailed(f"No browser to print with at {browser} (PDF_BROWSER).")
        self._playwright = sync_playwright().start()
        # Chromium's sandbox refuses to start as root (a container, or make run as root).
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        try:
            self._browser = self._playwright.chromium.launch(executable_path=browser, args=args)
        except Error as error:
            self._playwright.stop()
            raise PrintFailed(f"The browser at {browser} did not start: {error}") from error

    def _stop(self) -> None:
        self._browser.close()
        self._playwright.stop()

    def _print(self, html: str, title: str) -> bytes:
        context = self._browser.new_context(java_script_enabled=False)
        try:
            page = context.new_page()
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            return page.pdf(
                format="A4",
                prefer_css_page_size=True,
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER.format(title=escape(title)),
                tagged=True,
                outline=True,
            )
        finally:
            context.close()


# Each print starts a Chromium of about 200 MB: a web process prints at most this many at
# once, and a reader who would wait longer than BUSY_WAIT_S is told to try again.
_printing = threading.BoundedSemaphore(settings.PDF_PRINTS_AT_ONCE)
BUSY_WAIT_S = 20


def pdf_of(html: str, title: str) -> bytes:
    """One report's PDF, printed in the request."""
    if not _printing.acquire(timeout=BUSY_WAIT_S):
        raise PrintFailed(
            "Too many reports are being printed at this moment; try again in a minute."
        )
    try:
        with Printer() as printer:
            return printer.pdf(html, title)
    finally:
        _printing.release()


def joined_pdf(parts: list[bytes]) -> bytes:
    """Several PDFs as one, in order, each part's outline kept."""
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
