"""Choose, role by role on dev, whether ``hybrid.v2`` takes argument spans from the learned tagger or the parse.

    .venv/bin/python scripts/choose_arg_roles.py       # after scripts/train_argtagger.py

Runs the whole pipeline on ``corpus/gold/dev.jsonl`` twice with the same triggers
(``hybrid.v2`` with every role learned, and ``hybrid.v1``, whose arguments all come from
the parse) and scores both with ``newsevents evaluate`` (overlap matching). A role is
learned when its learned argument F1 is higher; for ``time`` and ``count`` the accuracy of
the values read from the span must not fall either. The choice is written as ``roles``
into the artifact's ``config.json`` with both runs' scores, and a third run confirms the
mix. It reads dev only, never test.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.classify.argtagger import NAME, artifact_dir  # noqa: E402
from pipeline.classify.argtagger_model import ROLES  # noqa: E402
from pipeline.classify.tagger import HYBRID_NAME, forget_configs  # noqa: E402
from pipeline.classify.tagger_model import write_config  # noqa: E402
from pipeline.evaluation.load import load_gold_entries  # noqa: E402
from pipeline.evaluation.metrics import evaluate  # noqa: E402
from pipeline.evaluation.predict import predict_with_pipeline  # noqa: E402

#: Roles whose span also gives an attribute value, and that attribute.
VALUE_OF = {"time": "time", "count": "count"}


def run(gold: Any, name: str) -> dict[str, Any]:
    """Overlap-mode scores of one classifier on dev: argument F1 overall and per role, attributes."""
    forget_configs()  # read the roles just written
    mode = evaluate(gold, predict_with_pipeline(gold, None, classifier=name)).modes["overlap"]
    return {
        "argument_classification_f1": round(mode.levels["argument_classification"].f1, 4),
        "trigger_classification_f1": round(mode.levels["trigger_classification"].f1, 4),
        "roles": {r: round(mode.per_role[r].f1, 4) for r in ROLES if r in mode.per_role},
        "attributes": {a: (None if v.value is None else round(v.value, 4)) for a, v in mode.attributes.items()},
    }


def main(argv: list[str] | None = None) -> int:
    """Score both runs, choose per role, write and confirm."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold" / "dev.jsonl")
    args = parser.parse_args(argv)
    folder = artifact_dir()  # the artifact hybrid.v2 runs with
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    gold = load_gold_entries([args.gold])
    config["roles"] = list(ROLES)
    write_config(folder, config)
    learned = run(gold, NAME)
    print(f"all learned: {json.dumps(learned)}", flush=True)
    parsed = run(gold, HYBRID_NAME)
    print(f"all parsed:  {json.dumps(parsed)}", flush=True)
    chosen = []
    for role in ROLES:
        better = learned["roles"].get(role, 0.0) > parsed["roles"].get(role, 0.0)
        attr = VALUE_OF.get(role)
        if better and attr is not None:
            better = (learned["attributes"][attr] or 0.0) >= (parsed["attributes"][attr] or 0.0)
        if better:
            chosen.append(role)
    config["roles"] = chosen
    write_config(folder, config)
    mixed = run(gold, NAME)
    print(f"chosen {chosen}: {json.dumps(mixed)}", flush=True)
    config["roles_dev"] = {
        "note": "newsevents evaluate on dev, overlap matching; argument F1 per role with every role learned "
        "(hybrid.v2) and every role parsed (hybrid.v1), then the chosen mix",
        "learned": learned,
        "parsed": parsed,
        "chosen": mixed,
    }
    write_config(folder, config)
    print(f"roles {chosen} written to {folder / 'config.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
