"""Throughput of the SQL sinks: events written per second to SQLite and PostgreSQL.

    .venv/bin/python bench/sink_throughput.py                  # 100,000 events, both databases
    .venv/bin/python bench/sink_throughput.py --postgres postgresql://user@host/db

Records are built first; only the sink is timed (``write`` for every document, then
``close``, which commits the last batch). PostgreSQL runs on a throwaway local server
(fsync on) unless ``--postgres`` names an existing, empty database. A second pass writes
the same records again: the re-run path, which compares each record with the stored one and
writes only what changed. Target: >= 5,000 events/s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from pipeline.records import (
    Argument,
    CountValue,
    DocumentRecord,
    Entity,
    EventRecord,
    InputRef,
    Provenance,
    SentenceRef,
    Span,
    TimeValue,
    content_hash,
    make_event_id,
)
from pipeline.sinks.pgtemp import TemporaryPostgres, find_postgres_bindir
from pipeline.sinks.sql import SqlSink

TARGET_EVENTS_PER_SECOND = 5_000
SENTENCE = "Police arrested Maria Kolesnikova and 3 others in Minsk on May 1, officials said. "


def build_corpus(n_events: int, per_document: int) -> list[tuple[DocumentRecord, list[EventRecord]]]:
    """Return documents of ``per_document`` sentences, each with one arrest event."""
    corpus = []
    step = len(SENTENCE)
    n_documents = -(-n_events // per_document)
    for d in range(n_documents):
        text = f"Report {d:08d}. " + SENTENCE * per_document
        offset = len(f"Report {d:08d}. ")
        doc_id = content_hash("bench", text)
        person = Entity(
            entity_id=content_hash(doc_id, "Maria Kolesnikova", length=8),
            name="Maria Kolesnikova",
            label="PERSON",
            mentions=[
                Span(text="Maria Kolesnikova", start=offset + i * step + 16, end=offset + i * step + 33)
                for i in range(per_document)
            ],
        )
        document = DocumentRecord(
            id=doc_id,
            title=f"Report {d}",
            source="bench",
            url=f"https://example.org/{d}",
            published="2025-05-02",
            input=InputRef(path="bench.jsonl", line=d + 1),
            text=text,
            entities=[person],
            counts={"sentences": per_document + 1},
        )
        events = []
        for i in range(min(per_document, n_events - d * per_document)):
            base = offset + i * step
            events.append(
                EventRecord(
                    event_id=make_event_id(doc_id, "arrest", base + 7, base + 15),
                    type="arrest",
                    trigger=Span(text="arrested", start=base + 7, end=base + 15),
                    modality="asserted",
                    arguments=[
                        Argument(role="agent", text="Police", start=base, end=base + 6),
                        Argument(
                            role="person",
                            text="Maria Kolesnikova",
                            start=base + 16,
                            end=base + 33,
                            entity_type="PERSON",
                            entity_id=person.entity_id,
                            entity_name=person.name,
                        ),
                        Argument(role="place", text="Minsk", start=base + 50, end=base + 55),
                    ],
                    time=TimeValue(text="May 1", start=base + 59, end=base + 64, value="2025-05-01", granularity="day"),
                    count=CountValue(text="3 others", start=base + 38, end=base + 46, value=4),
                    confidence=0.9,
                    provenance=Provenance(
                        doc_id=doc_id,
                        source="bench",
                        url=document.url,
                        title=document.title,
                        published=document.published,
                        input=document.input,
                        sentence_index=i + 1,
                        sentence=SentenceRef(start=base, end=base + step),
                        extractor="rules.v1",
                        pipeline_version="0.1.0",
                        model_versions={"spacy": "3.8.0"},
                    ),
                )
            )
        corpus.append((document, events))
    return corpus


def server_cpu_seconds(server: TemporaryPostgres | None) -> float:
    """Return the CPU seconds used so far by a throwaway server and its backends (Linux), or 0."""
    if server is None:
        return 0.0
    postmaster = int((server.datadir / "postmaster.pid").read_text().split()[0])
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == postmaster:  # its own time plus that of backends already reaped
            ticks += sum(int(value) for value in fields[11:15])
        elif int(fields[1]) == postmaster:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def time_writes(url: str, corpus: list[tuple[DocumentRecord, list[EventRecord]]], batch_size: int) -> float:
    """Write ``corpus`` through a fresh sink; return the seconds taken."""
    start = time.perf_counter()
    with SqlSink(url, batch_size=batch_size) as sink:
        for document, events in corpus:
            sink.write(document, events)
    return time.perf_counter() - start


def report(
    name: str,
    url: str,
    corpus: list[tuple[DocumentRecord, list[EventRecord]]],
    batch_size: int,
    server: TemporaryPostgres | None = None,
) -> bool:
    """Time a first write and a re-write of the same records; print events/s; return True if on target.

    Besides wall-clock throughput it prints the CPU seconds of this process and of the
    throwaway server, which stay meaningful when other work shares the machine.
    """
    n_events = sum(len(events) for _, events in corpus)
    ok = True
    for label in ("insert", "re-run"):
        cpu, server_cpu = time.process_time(), server_cpu_seconds(server)
        seconds = time_writes(url, corpus, batch_size)
        cpu, server_cpu = time.process_time() - cpu, server_cpu_seconds(server) - server_cpu
        rate = n_events / seconds
        ok = ok and rate >= TARGET_EVENTS_PER_SECOND
        line = f"{name:<11} {label:<7} {n_events:>8,} events in {seconds:6.2f} s = {rate:>7,.0f} events/s"
        line += f"   (CPU s: sink {cpu:.1f}"
        line += f", server {server_cpu:.1f})" if server is not None else ")"
        print(line, flush=True)
    return ok


def main() -> int:
    """Run the benchmark and return 0 when every figure meets the target."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--events-per-document", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=200, help="documents per transaction")
    parser.add_argument("--postgres", metavar="URL", help="an existing, empty PostgreSQL database")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    corpus = build_corpus(args.events, args.events_per_document)
    print(
        f"built {len(corpus):,} documents, {args.events:,} events in {time.perf_counter() - start:.1f} s "
        f"(batch {args.batch_size} documents)",
        flush=True,
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as folder:
        ok = report("sqlite", f"sqlite:///{Path(folder) / 'events.db'}", corpus, args.batch_size) and ok
    if args.postgres:
        ok = report("postgresql", args.postgres, corpus, args.batch_size) and ok
    elif not args.skip_postgres:
        bindir = find_postgres_bindir()
        if bindir is None:
            print("postgresql  skipped: no server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
        else:
            with TemporaryPostgres(bindir, durable=True) as server:
                url = server.create_database("bench")
                ok = report("postgresql", url, corpus, args.batch_size, server) and ok
    load = os.getloadavg()[0]
    print(f"target >= {TARGET_EVENTS_PER_SECOND:,} events/s: {'met' if ok else 'MISSED'}", end="")
    print(f" (load average {load:.1f} on {os.cpu_count()} CPUs)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
