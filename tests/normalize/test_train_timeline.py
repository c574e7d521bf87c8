"""scripts/train_timeline.py's learner on hand-made options: it fits the conditional logit it claims."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from pipeline.normalize.timeline import TimeChooser, TimeOption

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_timeline.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_timeline", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_timeline"] = module
    spec.loader.exec_module(module)
    return module


def option(kind: str, **features: float) -> TimeOption:
    return TimeOption(kind, None, {kind: 1.0, **features})  # type: ignore[arg-type]


def test_the_learner_prefers_the_feature_that_marks_the_right_option() -> None:
    tt = load_script()
    # the right option is the close anchor, wherever it stands in the list; once the
    # publication date is right, once nothing is
    examples = [
        tt.Example([option("anchor", close=1.0), option("anchor"), option("none")], 0, "context"),
        tt.Example([option("anchor"), option("anchor", close=1.0), option("none")], 1, "context"),
        tt.Example([option("anchor"), option("published", lede=1.0), option("none")], 1, "published"),
        tt.Example([option("anchor"), option("none", hypothetical=1.0)], 1, None),
        tt.Example([option("anchor"), option("none")], None, "context"),  # gold value in no option
    ]
    vocab = {k: i for i, k in enumerate(sorted({k for ex in examples for o in ex.options for k in o.features}))}
    w = tt.fit(examples, vocab, 0.001)
    assert tt.choices(examples, vocab, w)[:4] == [0, 1, 1, 1]
    scores = tt.accuracy(examples, vocab, w)
    assert scores["all"] == 80.0 and scores["n_all"] == 5  # the unreachable example counts as wrong
    chooser = TimeChooser({k: float(w[i]) for k, i in vocab.items()})
    assert max(examples[1].options, key=chooser.score) is examples[1].options[1]


def test_cross_validation_holds_out_whole_documents() -> None:
    tt = load_script()
    right = option("anchor", close=1.0)
    examples = [tt.Example([right, option("anchor"), option("none")], 0, "context", f"doc{i % 4}") for i in range(8)]
    scores = tt.cross_validate(examples, 2, 0.001)
    assert scores == [100.0, 100.0]  # each fold learns "close" from the other documents
