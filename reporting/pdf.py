"""A board report as PDF, made on the server by WeasyPrint from the report's own HTML and the
site's stylesheet (its print rules: A4, nothing interactive). Nothing is fetched: the page
names no outside resource, and any it did would be refused, so a report never waits on, or
leaks to, the network."""

from pathlib import Path

from django.contrib.staticfiles import finders

# The report's own page furniture: its name and page numbers on every page.
PDF_CSS = """
@page {
  size: A4;
  margin: 16mm 14mm 18mm;
  @bottom-left {
    content: string(report-title); font: 8pt "DejaVu Sans", sans-serif; color: #505a5f;
  }
  @bottom-right {
    content: "Page " counter(page) " of " counter(pages); font: 8pt "DejaVu Sans", sans-serif;
  }
}
h1 { string-set: report-title content(); }
h2, h3 { break-after: avoid; }
/* A tall exception may run on to the next page rather than leave its table's head alone. */
.exceptions tr { break-inside: auto; }
body.pdf { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; }
"""


class NoNetwork(ValueError):
    pass


def _no_network(url: str, *args, **kwargs):
    """Inline data only (the SPC icons' SVG is inline already); anything else is refused."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise NoNetwork(f"A report fetches nothing: {url[:80]}")


def stylesheets() -> list:
    """The site's stylesheet and the report's page rules, parsed: once for a whole pack."""
    # Imported here: WeasyPrint loads Pango as it is imported, and every other page works
    # without it (make run, make test and make serve install it: scripts/ensure_pdf_libs.sh).
    from weasyprint import CSS

    site_css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    return [CSS(string=site_css), CSS(string=PDF_CSS)]


def rendered(html: str, styles: list | None = None):
    """The laid-out pages (a WeasyPrint Document): to write, or to join with others."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_no_network, base_url="file:///report/")
    return document.render(stylesheets=styles or stylesheets())


def pdf_of(html: str) -> bytes:
    return rendered(html).write_pdf()


def joined_pdf(documents: list) -> bytes:
    """Several rendered documents as one PDF, in order; the first names it."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
