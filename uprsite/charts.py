"""Charts of statistics as inline SVG, drawn at build time, in the page's language.

Each chart is a `<figure>`: a visible title and a one-sentence description,
an `<svg role="img">` horizontal bar chart (with its own `<title>` and
`<desc>`, so that it stands alone as a valid SVG document), and the same
figures as an HTML table for screen readers and for copying. No JavaScript,
no styles inside the SVG (the page's Content-Security-Policy allows only the
site's stylesheet): geometry and colours are presentation attributes, which
style.css may refine. Numbers and percentages are formatted by babel (CLDR)
in the page's language.

Country pages exist 195 x 3 times, so the markup is kept terse: one `<text>`
for a label, one `<rect>` and one `<text>` for the bar and its value.
"""

from __future__ import annotations

from babel import numbers
from markupsafe import Markup, escape

from . import labels, model
from .localise import Localiser, translations
from .statistics import NO_ACTION

# The SVG scales to its container (style.css), 328 px wide on a 360 px phone: 300 user units
# make one unit at least a pixel there, so that the labels' 13 units read at 13 px or more.
WIDTH = 300  # user units
FONT = 13  # user units, for labels and values
BAR_MAX = 190  # the longest bar, leaving room for its value after it ("12,345 · 100 %")
ROW = 32  # a label line and a bar line
LABEL_MAX = 42  # characters of a label drawn in the chart (the table has it whole)
FILL = "#0b5cad"
# Responses are told apart by colour as well as by their label over each bar: colours apart from
# one another, each with a contrast of at least 4.5:1 against the white page (WCAG asks 3:1 of
# graphics), the supported and noted ones those of the responses in the lists (style.css).
RESPONSE_FILLS = {
    "supported": "#116329",
    "noted": "#8a4600",
    "partially-supported": "#6639ba",
    "pending": "#57606a",
    "no-response": "#a0346e",
    "withdrawn": "#00708a",
}
STATUS_FILLS = {
    "not-implemented": "#8a4600",
    "partially-implemented": "#6639ba",
    "fully-implemented": "#116329",
}
FILLS = {"response": RESPONSE_FILLS, "status": STATUS_FILLS}
MARGIN = 3  # room on the left for glyphs that reach past their origin (the T of "Torture")


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


class Charts:
    """Bar charts in one language; labels, numbers and percentages localised."""

    def __init__(self, db: model.Database, language: str):
        self.db = db
        self.loc = Localiser(language, db.site)
        _ = self._ = translations(language).gettext
        self._percents: dict[float, str] = {}
        self.headers = {
            "cycle": _("Cycle"),
            "response": _("Response"),
            "action": _("Action category"),
            "theme": _("Theme"),
            "state": _("State"),
            "status": _("Implementation status"),
        }
        self.count_header = _("Recommendations")
        self.share_header = _("Share")
        self.table_summary = _("Figures as a table")

    # -- labels ----------------------------------------------------------------
    def label(self, kind: str, key) -> str:
        _ = self._
        if kind == "cycle":
            return _("Cycle %(number)s") % {"number": key}
        if kind == "response":
            return _(labels.RESPONSES[key])
        if kind == "action":
            if key == NO_ACTION:
                return _("No action category")
            return _("%(number)s: %(name)s") % {"number": key, "name": _(labels.ACTIONS[key])}
        if kind == "theme":
            return self.loc.text(self.db.themes[key].name)[0]
        if kind == "state":
            return self.loc.country_name(self.db.countries[key])
        if kind == "status":
            return _(labels.STATUSES[key])
        raise ValueError(kind)

    def percent(self, share: float) -> str:
        """A share to one decimal place at most, in the language's percent format: '12.5%', '12,5 %'."""
        share = round(share, 3)
        text = self._percents.get(share)
        if text is None:
            text = self._percents[share] = numbers.format_percent(
                share, locale=self.loc.locale, decimal_quantization=False
            )
        return text

    # -- the chart ----------------------------------------------------------------
    def bars(self, chart_id: str, title: str, kind: str, items, total: int) -> Markup:
        """A bar chart of (key, count) items, shares taken of `total` recommendations."""
        if not items or not total:
            return Markup("")
        number, percent = self.loc.number, self.percent
        rows = [(self.label(kind, key), count, number(count), percent(count / total)) for key, count in items]
        biggest = max(count for _, count, _, _ in rows)
        top = max(rows, key=lambda row: row[1])
        description = self._(
            "Bar chart. The longest bar, %(label)s, stands for %(count)s of %(total)s recommendations (%(share)s)."
        ) % {"label": top[0], "count": top[2], "total": number(total), "share": top[3]}
        height = ROW * len(rows) + 2
        e = escape
        svg = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-{MARGIN} 0 {WIDTH + MARGIN} {height}" '
            f'width="{WIDTH + MARGIN}" height="{height}" role="img" '
            f'aria-labelledby="{chart_id}-t {chart_id}-d" font-size="{FONT}">'
            f'<title id="{chart_id}-t">{e(title)}</title><desc id="{chart_id}-d">{e(description)}</desc>'
            f'<g fill="{FILL}">'
        ]
        texts = []
        fills = FILLS.get(kind, {})
        for i, ((key, _), (name, count, shown, share)) in enumerate(zip(items, rows, strict=True)):
            y = i * ROW
            width = BAR_MAX * count / biggest
            drawn = name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1].rstrip() + "…"
            fill = f' fill="{fills[key]}"' if key in fills else ""
            svg.append(f'<rect y="{y + 17}" width="{_fmt(max(width, 1))}" height="11"{fill}/>')
            texts.append(
                f'<text y="{y + 13}">{e(drawn)}</text>'
                f'<text x="{_fmt(max(width, 1) + 5)}" y="{y + 27}">{shown} · {share}</text>'
            )
        svg.append("</g>")
        svg += texts
        svg.append("</svg>")
        table = [
            f"<details><summary>{e(self.table_summary)}</summary><table><thead><tr>"
            f'<th scope="col">{e(self.headers[kind])}</th><th scope="col">{e(self.count_header)}</th>'
            f'<th scope="col">{e(self.share_header)}</th></tr></thead><tbody>'
        ]
        for name, _count, shown, share in rows:
            table.append(f'<tr><th scope="row">{e(name)}</th><td>{shown}</td><td>{share}</td></tr>')
        table.append("</tbody></table></details>")
        return Markup(
            f'<figure class="chart"><figcaption>{e(title)}</figcaption>'
            f'<p class="chart-desc">{e(description)}</p>{"".join(svg)}{"".join(table)}</figure>\n'
        )
