"""The HTML page shell shared by every view: one self-contained file, no network, no scripts.

Pages carry a Content-Security-Policy that forbids scripts and every network load, so a
view stays inert even if an article contains markup; escaping (:func:`~.svg.esc`) is what
keeps such markup visible as text.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import SinkError
from pipeline.views.svg import esc

__all__ = ["CSP", "page", "write_page"]

#: No scripts, no fetches; inline styles and data: images only.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_CSS = """
:root { --ink: #1d2330; --muted: #5d6675; --line: #e3e6eb; --bg: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--bg); }
header.page { background: #1d2330; color: #fff; padding: 14px 28px; }
header.page h1 { margin: 0; font-size: 20px; }
header.page .sub { color: #c5cbd6; font-size: 13px; }
main { padding: 18px 28px 40px; max-width: 1400px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin: 0 0 18px; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: 12px; margin: 4px 0 8px; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.badge.arrest { background: #d1495b; } .badge.release { background: #2e9e5b; }
.badge.announcement { background: #3a6ea5; }
.badge.modality { background: #eef0f4; color: #333; font-weight: 500; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 18px; }
.chart { max-width: 100%; height: auto; }
"""


def page(title: str, body: str, *, subtitle: str = "", css: str = "") -> str:
    """Wrap a body in a complete, self-contained HTML document.

    Args:
        title: page title (escaped here).
        body: the HTML body content, already escaped by the caller.
        subtitle: a line under the title (escaped here).
        css: extra style rules for this view.

    Returns:
        The HTML document.
    """
    sub = f'<div class="sub">{esc(subtitle)}</div>' if subtitle else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}{css}</style></head>\n"
        f'<body><header class="page"><h1>{esc(title)}</h1>{sub}</header>\n<main>\n{body}\n</main></body></html>\n'
    )


def write_page(path: str | Path, markup: str) -> Path:
    """Write a page to ``path``, creating parent folders.

    Raises:
        SinkError: when the file cannot be written.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markup, encoding="utf-8")
    except OSError as e:
        raise SinkError(f"Cannot write {target}: {e.strerror}. Choose a writable path for --html.") from e
    return target
