"""Text that users typed, made safe for a Plotly chart.

Plotly reads a subset of HTML in chart text (<a href>, <b>, <br>…), so a title typed as
`<a href="https://e.example">Login</a>` would become a live link on the chart. Every text
that comes from the data passes through literal(): Plotly shows the entities as the
characters themselves.
"""


def literal(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
