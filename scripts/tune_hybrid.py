"""Choose the tagger's threshold inside ``hybrid.v1`` on dev and write it into the artifact.

    .venv/bin/python scripts/tune_hybrid.py            # after scripts/train_tagger.py

``scripts/train_tagger.py`` picks the tagger's own threshold on the dev candidate
sentences. Beside the rules, whose triggers fill in what the tagger leaves out, a stricter
tagger does better: this script runs the whole pipeline with ``hybrid.v1`` on
``corpus/gold/dev.jsonl`` for each threshold (the scorer of ``newsevents evaluate``,
overlap matching), and writes the best as ``hybrid_threshold`` into the artifact's
``config.json``, with every threshold's scores under ``hybrid_thresholds_dev``. It reads
dev only, never test.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.classify.tagger import HYBRID_NAME, artifact_dir, forget_configs  # noqa: E402
from pipeline.classify.tagger_model import write_config  # noqa: E402
from pipeline.evaluation.load import load_gold_entries  # noqa: E402
from pipeline.evaluation.metrics import evaluate  # noqa: E402
from pipeline.evaluation.predict import predict_with_pipeline  # noqa: E402

THRESHOLDS = (0.6, 0.7, 0.8, 0.9)


def main(argv: list[str] | None = None) -> int:
    """Score hybrid.v1 on dev for each threshold; keep the best."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold" / "dev.jsonl")
    args = parser.parse_args(argv)
    folder = artifact_dir()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    gold = load_gold_entries([args.gold])
    scores: dict[str, dict[str, float]] = {}
    for threshold in THRESHOLDS:
        config["hybrid_threshold"] = threshold
        write_config(folder, config)
        forget_configs()  # the next classifier reads the new threshold
        result = evaluate(gold, predict_with_pipeline(gold, None, classifier=HYBRID_NAME))
        c = result.modes["overlap"].levels["trigger_classification"]
        scores[str(threshold)] = {k: round(getattr(c, k), 4) for k in ("precision", "recall", "f1")}
        print(f"threshold {threshold}: {scores[str(threshold)]}", flush=True)
    best = max(scores, key=lambda t: scores[t]["f1"])
    config["hybrid_threshold"] = float(best)
    config["hybrid_thresholds_dev"] = {
        **scores,
        "note": "hybrid.v1 trigger classification on dev (newsevents evaluate, overlap matching), "
        "by the tagger's threshold",
    }
    write_config(folder, config)
    print(f"hybrid_threshold {best} written to {folder / 'config.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
