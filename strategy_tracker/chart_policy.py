"""The Content-Security-Policy of the pages that draw plotly.js charts. plotly.js writes its own
<style> rules and style attributes as it draws, with content that varies, so hashes cannot
list them: inline *styles* are allowed on those pages only (settings: every other page allows
none), and on the two pages a library writes whole, the read API's browsable pages (Django
REST framework's template) and its documentation (Swagger UI). Inline *script* never is, and
every page escapes what users type."""

from csp.decorators import csp_update

INLINE_STYLES = {
    "style-src-elem": ["'self'", "'unsafe-inline'"],
    "style-src-attr": ["'unsafe-inline'"],
}

draws_charts = csp_update(INLINE_STYLES)
library_page = csp_update(INLINE_STYLES)
