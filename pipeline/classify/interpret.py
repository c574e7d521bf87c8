"""The interpretation stage: trigger candidates -> event candidates (arguments, modality, attribution, links)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline.classify.arguments import count_of_span, extract_arguments
from pipeline.classify.attribution import attribution_of
from pipeline.classify.base import Interpreter, TriggerCandidate
from pipeline.classify.modality import modality_of
from pipeline.classify.syntax import SentView
from pipeline.classify.tense import tense_of
from pipeline.records import AnalyzedArticle, ArgumentCandidate, EventCandidate, Span


class ParseInterpreter(Interpreter):
    """Reads each trigger's arguments, modality and source from the dependency parse of its sentence.

    Shared by every classifier: only trigger detection differs between them. A trigger
    that carries its detector's own modality keeps it unless ``parse_modality`` is set.

    Args:
        parse_modality: read the modality from the parse even when the detector gave one.
    """

    def __init__(self, parse_modality: bool = False) -> None:
        self.parse_modality = parse_modality

    def learned_arguments(
        self, analyzed: AnalyzedArticle, triggers: Sequence[TriggerCandidate]
    ) -> tuple[Mapping[TriggerCandidate, list[ArgumentCandidate]], frozenset[str]]:
        """Argument spans from a learned model per trigger, and the roles they replace (none here)."""
        return {}, frozenset()

    def interpret(
        self, analyzed: AnalyzedArticle, triggers: Sequence[TriggerCandidate], extractor: str
    ) -> list[EventCandidate]:
        """Return the event candidates of one article, in text order (see :meth:`Interpreter.interpret`).

        Raises:
            ValueError: when a trigger names a sentence the article lacks or that was not parsed.
        """
        by_sentence: dict[int, list[TriggerCandidate]] = {}
        for trig in triggers:
            by_sentence.setdefault(trig.sentence_index, []).append(trig)
        text = analyzed.article.text
        learned, roles = self.learned_arguments(analyzed, triggers)
        candidates: list[EventCandidate] = []
        for sent in analyzed.sentences:
            found = by_sentence.pop(sent.index, None)
            if not found:
                continue
            if not sent.parsed:
                raise ValueError(f"triggers in sentence {sent.index} of {analyzed.article.id}, which was not parsed")
            offset = len(candidates)
            view = SentView(sent, text)
            for cand in interpret_sentence(view, found, extractor, self.parse_modality, learned, roles):
                candidates.append(cand.model_copy(update={"reports": [r + offset for r in cand.reports]}))
        if by_sentence:
            raise ValueError(f"triggers in sentences {sorted(by_sentence)} that {analyzed.article.id} lacks")
        return candidates


def interpret_sentence(
    v: SentView,
    triggers: Sequence[TriggerCandidate],
    extractor: str,
    parse_modality: bool = False,
    learned: Mapping[TriggerCandidate, list[ArgumentCandidate]] | None = None,
    learned_roles: frozenset[str] = frozenset(),
) -> list[EventCandidate]:
    """Return the event candidates of the triggers of one parsed sentence.

    An announcement reports the events whose triggers lie inside its content ("the
    government announced it had released 116"); its speaker becomes their source.

    Args:
        v: the parsed sentence.
        triggers: its trigger candidates, in token order.
        extractor: versioned classifier name recorded on every candidate.
        parse_modality: read the modality from the parse even when the detector gave one.
        learned: argument spans of a learned model per trigger (document offsets).
        learned_roles: the roles whose spans come from ``learned`` instead of the parse
            (for "time" and "count" also the span the date and number are read from).

    Returns:
        Candidates in trigger order; ``reports`` indices are relative to this list.
    """
    cands: list[EventCandidate] = []
    speakers: dict[int, ArgumentCandidate] = {}
    contents: dict[int, tuple[int, int]] = {}
    for trig in triggers:
        args, time, count = extract_arguments(v, trig)
        # A trigger the learned model left alone (a crowded sentence) keeps every parse argument.
        replaced: frozenset[str] = frozenset()
        if learned is not None and trig in learned:
            replaced = learned_roles
            args, time, count = _replace_roles(args, time, count, learned[trig], replaced)
            if count is None and "person" in replaced and "count" not in replaced and trig.type != "announcement":
                # "release efforts for two French hostages": the number heading a learned person counts
                count = next((c for a in args if a.role == "person" and (c := count_of_span(v, a.start, a.end))), None)
                if count is not None:
                    args.append(ArgumentCandidate(role="count", start=count.start, end=count.end, text=count.text))
        modality = trig.modality if trig.modality is not None and not parse_modality else modality_of(v, trig)[0]
        source = attribution_of(v, trig) if "source" not in replaced else None
        if source is not None and not any(
            a.start <= source.start < a.end for a in args if a.role in ("speaker", "agent")
        ):
            args.append(source)
        trigger_span = v.char_span(list(trig.tokens))
        if trigger_span is None:
            continue
        idx = len(cands)
        if trig.type == "announcement":
            for a in args:
                if a.role == "speaker" and idx not in speakers:
                    speakers[idx] = a
                if a.role == "content":
                    contents[idx] = (a.start, a.end)
        cands.append(
            EventCandidate(
                type=trig.type,
                trigger=Span(text=trigger_span[2], start=trigger_span[0], end=trigger_span[1]),
                sentence_index=v.sent.index,
                modality=modality,
                arguments=args,
                time=time,
                count=count,
                confidence=round(trig.confidence, 3),
                extractor=extractor,
                tense=tense_of(v, trig.head),
            )
        )
    return _link_reports(cands, speakers, contents)


def _replace_roles(
    args: list[ArgumentCandidate],
    time: Span | None,
    count: Span | None,
    learned: Sequence[ArgumentCandidate],
    roles: frozenset[str],
) -> tuple[list[ArgumentCandidate], Span | None, Span | None]:
    """The parse's arguments with the learned spans in place of those of ``roles``."""
    kept = [a for a in args if a.role not in roles] + [a for a in learned if a.role in roles]

    def first(role: str, parsed: Span | None) -> Span | None:
        if role not in roles:
            return parsed
        a = next((a for a in learned if a.role == role), None)
        return None if a is None else Span(text=a.text, start=a.start, end=a.end)

    return kept, first("time", time), first("count", count)


def _link_reports(
    cands: list[EventCandidate], speakers: dict[int, ArgumentCandidate], contents: dict[int, tuple[int, int]]
) -> list[EventCandidate]:
    """Link announcements to the events inside their content; the speaker becomes the source."""
    linked: list[EventCandidate] = []
    reports: dict[int, list[int]] = {i: [] for i in contents}
    for j, cand in enumerate(cands):
        for i, (cs, ce) in contents.items():
            if i != j and cs <= cand.trigger.start and cand.trigger.end <= ce:
                reports[i].append(j)
                if i in speakers and not any(a.role == "source" for a in cand.arguments):
                    sp = speakers[i]
                    src = ArgumentCandidate(role="source", start=sp.start, end=sp.end, text=sp.text)
                    cands[j] = cand = cand.model_copy(update={"arguments": [*cand.arguments, src]})
    for j, cand in enumerate(cands):
        linked.append(cand.model_copy(update={"reports": reports.get(j, [])}) if reports.get(j) else cand)
    return linked
