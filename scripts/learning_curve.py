"""Plot the tagger's learning curve (docs/learning_curve.svg) from artifacts trained on 25/50/100% of train.

Each artifact's ``config.json`` (written by ``scripts/train_tagger.py``) holds its training
facts and its trigger scores on the dev candidate sentences at each decision threshold;
the curve shows precision, recall and F1 at the threshold the artifact ships with. The
figure is plain SVG (no plotting library needed), and a Markdown table is written beside it.

    .venv/bin/python scripts/train_tagger.py --fraction 0.25 --out /tmp/tagger-25
    .venv/bin/python scripts/train_tagger.py --fraction 0.5 --out /tmp/tagger-50
    .venv/bin/python scripts/learning_curve.py /tmp/tagger-25 /tmp/tagger-50 models/tagger.v1
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 560, 360
LEFT, RIGHT, TOP, BOTTOM = 60, 120, 30, 50
COLOURS = {"f1": "#1f77b4", "precision": "#2ca02c", "recall": "#d62728"}


def point(folder: Path) -> dict[str, Any]:
    """One point of the curve: training documents, sentences, seconds, dev scores at the shipped threshold."""
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    training = config["training"]
    dev = config["dev_candidate_sentences"]
    scores = dev["thresholds"][str(config["threshold"])]
    return {
        "artifact": str(folder),
        "fraction": training["fraction"],
        "documents": training["train_documents"],
        "sentences": training["train_sentences"],
        "triggers": training["train_triggers"],
        "seconds": training["seconds"],
        "threshold": config["threshold"],
        "coverage": dev["coverage"],
        **{k: scores[k] for k in ("precision", "recall", "f1")},
    }


def svg(points: list[dict[str, Any]]) -> str:
    """The figure: dev P/R/F1 against the number of training documents."""
    xmax = max(p["documents"] for p in points) * 1.05
    ymin, ymax = 0.5, 1.0

    def x(v: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * v / xmax

    def y(v: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (max(v, ymin) - ymin) / (ymax - ymin))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" '
        'font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="14">tagger.v1: dev trigger scores '
        "by training data</text>",
    ]
    for tick in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.1f}</text>')
    for p in points:
        out.append(
            f'<line x1="{x(p["documents"]):.1f}" x2="{x(p["documents"]):.1f}" y1="{y(ymin):.1f}" '
            f'y2="{y(ymin) + 5:.1f}" stroke="black"/>'
        )
        out.append(
            f'<text x="{x(p["documents"]):.1f}" y="{y(ymin) + 18:.1f}" text-anchor="middle">'
            f"{p['documents']} ({p['fraction']:.0%})</text>"
        )
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(ymin):.1f}" y2="{y(ymin):.1f}" stroke="black"/>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{y(ymin):.1f}" y2="{y(ymax):.1f}" stroke="black"/>')
    out.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 8}" text-anchor="middle">'
        "training documents (share of the train split)</text>"
    )
    for row, (key, colour) in enumerate(COLOURS.items()):
        coords = " ".join(f"{x(p['documents']):.1f},{y(p[key]):.1f}" for p in points)
        out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p in points:
            out.append(f'<circle cx="{x(p["documents"]):.1f}" cy="{y(p[key]):.1f}" r="3" fill="{colour}"/>')
        last = points[-1]
        out.append(
            f'<text x="{WIDTH - RIGHT + 8}" y="{TOP + 20 + 18 * row}" fill="{colour}">{key} {last[key]:.3f}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(points: list[dict[str, Any]]) -> str:
    """The same figures as a Markdown table."""
    lines = [
        "| train share | documents | candidate sentences | triggers | training time (s) | threshold | P | R | F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in points:
        lines.append(
            f"| {p['fraction']:.0%} | {p['documents']} | {p['sentences']} | {p['triggers']} | {p['seconds']} | "
            f"{p['threshold']} | {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("artifacts", nargs="+", type=Path, help="artifact folders, any order")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "learning_curve.svg")
    args = parser.parse_args(argv)
    points = sorted((point(folder) for folder in args.artifacts), key=lambda p: p["documents"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(svg(points), encoding="utf-8")
    args.out.with_suffix(".md").write_text(
        "# tagger.v1 learning curve\n\nTrigger precision, recall and F1 on the dev candidate sentences "
        "(`scripts/train_tagger.py`'s own scorer, overlap matching, at each artifact's threshold); "
        "written by `scripts/learning_curve.py`.\n\n" + table(points),
        encoding="utf-8",
    )
    print(table(points), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
