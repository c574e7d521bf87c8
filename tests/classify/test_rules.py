"""rules.v1 on sentences written for these tests (real spaCy parse: marked slow)."""

from __future__ import annotations

import pytest

from pipeline.classify.rules import RulesClassifier
from pipeline.config import NlpConfig
from pipeline.ner import NerStage
from pipeline.records import Article, EventCandidate, InputRef

pytestmark = pytest.mark.slow


def run(text: str) -> list[EventCandidate]:
    """Classify every sentence of ``text`` with the real model."""
    article = Article(id="t", text=text, input=InputRef(path="test"))
    analyzed = next(NerStage(NlpConfig())([article]))
    return RulesClassifier().classify(analyzed)


def one(text: str, event_type: str | None = None) -> EventCandidate:
    events = [e for e in run(text) if event_type is None or e.type == event_type]
    assert len(events) == 1, events
    return events[0]


def args(event: EventCandidate) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in event.arguments:
        out.setdefault(a.role, []).append(a.text)
    return out


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Border guards detained two smugglers near the river on Friday.", "detained"),
        ("The journalist was jailed for three years in 2019.", "jailed"),
        ("Officers took the mayor into custody after the vote.", "custody"),
        ("The army captured the rebel commander in a dawn raid.", "captured"),
        ("His arrest sparked protests across the province.", "arrest"),
        ("Agents rounded up dozens of protesters outside parliament.", "rounded up"),
    ],
)
def test_arrest_triggers(text: str, trigger: str) -> None:
    event = one(text, "arrest")
    assert event.trigger.text == trigger


@pytest.mark.parametrize(
    "text",
    [
        "The startup captured 40% of the market within a year.",
        "Gunmen captured two engineers on the highway.",
        "The court issued an arrest warrant for the minister.",
        "He suffered a cardiac arrest during the match.",
        "The senator was charged with fraud but not detained in any sense of custody law.",
    ],
)
def test_arrest_distractors(text: str) -> None:
    assert [e for e in run(text) if e.type == "arrest" and e.modality == "asserted"] == []


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("The militia freed three aid workers on Tuesday.", "freed"),
        ("The activist was released on bail last night.", "released"),
        ("Authorities released 30 detainees from the northern prison.", "released"),
        ("Her family welcomed the release of the two sailors.", "release"),
        ("The kidnappers set the hostages free after a week.", "set"),
    ],
)
def test_release_triggers(text: str, trigger: str) -> None:
    event = one(text, "release")
    assert event.trigger.text.startswith(trigger)


@pytest.mark.parametrize(
    "text",
    [
        "The company released a statement on its quarterly earnings.",
        "Apple released a new phone in September.",
        "The deal freed up capital for new investments.",
        "The studio will release the film next spring.",
        "The ministry released figures showing growth slowed.",
    ],
)
def test_release_distractors(text: str) -> None:
    assert [e for e in run(text) if e.type == "release"] == []


def test_announcement_with_speaker_content_medium_and_reported_event() -> None:
    events = run("The interior ministry announced on state television that it had arrested 12 suspects.")
    ann = next(e for e in events if e.type == "announcement")
    arrest = next(e for e in events if e.type == "arrest")
    a = args(ann)
    assert a["speaker"] == ["The interior ministry"]
    assert a["medium"] == ["state television"]
    assert a["content"][0].startswith("it had arrested 12 suspects")
    assert ann.reports == [events.index(arrest)]
    assert args(arrest)["source"] == ["The interior ministry"]
    assert arrest.count is not None and arrest.count.text == "12"


def test_statement_is_an_announcement_but_said_is_not() -> None:
    assert one("The bank said in a statement that profits rose.").trigger.text == "statement"
    assert run("The farmer said the harvest was poor.") == []


def test_press_conference_is_one_trigger() -> None:
    event = one("The coach spoke at a news conference in Madrid.")
    assert (event.type, event.trigger.text) == ("announcement", "news conference")


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("The government will release the prisoners next week.", "planned"),
        ("The ministry plans to free 50 inmates.", "planned"),
        ("Police did not arrest anyone at the rally.", "negated"),
        ("The guards never released him.", "negated"),
        ("If the court agrees, the activists could be freed.", "hypothetical"),
        ("Relatives called for the release of the students.", "hypothetical"),
        ("The opposition leader was reportedly detained overnight.", "uncertain"),
        ("There were rumours about his release.", "uncertain"),
        ("Police routinely detain migrants at the border.", "generic"),
        ("Soldiers arrested the colonel at dawn.", "asserted"),
    ],
)
def test_modality_cues(text: str, modality: str) -> None:
    events = [e for e in run(text) if e.type in ("arrest", "release")]
    assert len(events) == 1, events
    assert events[0].modality == modality


def test_arrest_arguments_passive_with_agent_place_time_crime() -> None:
    event = one("Two bloggers were arrested by police in Tehran on Monday for spreading rumours.", "arrest")
    a = args(event)
    assert a["person"] == ["Two bloggers"]
    assert a["agent"] == ["police"]
    assert a["place"] == ["Tehran"]
    assert a["time"] == ["Monday"]
    assert a["crime"] == ["spreading rumours"] or a["crime"] == ["rumours"]
    assert event.count is not None and event.count.text == "Two"


def test_according_to_gives_the_source() -> None:
    event = one("Forty students were detained, according to Amnesty International.", "arrest")
    assert args(event)["source"] == ["Amnesty International"]


def test_conjoined_names_give_one_argument_each() -> None:
    event = one("Police arrested John Smith and Mary Jones in Leeds.", "arrest")
    assert args(event)["person"] == ["John Smith", "Mary Jones"]
