"""The progress bar ends on the figures of the run's summary."""

from __future__ import annotations

import io

from pipeline.ingest import DUPLICATE_REASON
from pipeline.progress import Progress
from pipeline.records import InputRef, Rejection
from pipeline.runner import Tally
from tests.records_factory import make_document, make_event


def test_the_bar_ends_on_the_counts_of_the_report() -> None:
    log = io.StringIO()
    tally = Tally()
    progress = Progress(tally, total=4, bar=True, log=log, log_every=10.0)
    document = make_document("Police arrested two men. Officials freed them and announced it.")
    events = [
        make_event(document, "arrest", "arrested"),
        make_event(document, "release", "freed"),
        make_event(document, "announcement", "announced"),
    ]
    # Faster than the bar's two refreshes a second, as on a fast run.
    for item in [
        (document, events),
        (document, events[:1]),
        Rejection(input=InputRef(path="a.txt"), stage="ingest", reason="empty"),
        Rejection(input=InputRef(path="b.txt"), stage="ingest", reason=DUPLICATE_REASON),
    ]:
        tally.add(item)
        progress.update()
    progress.close()
    report = tally.report("rules.v1")
    final = log.getvalue().rstrip("\n").split("\r")[-1]
    assert report.events == 4
    assert f"events={report.events}" in final
    assert f"rejected={report.rejected}" in final and f"dup={report.duplicates}" in final
    assert "4/4" in final
