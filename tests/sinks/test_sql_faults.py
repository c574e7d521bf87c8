"""Faults of the SQL sink: unreachable servers, refused credentials, a server lost mid-run."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import DatabaseError
from pipeline.records import DocumentRecord, EventRecord
from pipeline.sinks.pgtemp import TemporaryPostgres
from pipeline.sinks.sql import SqlSink, read_documents
from tests.records_factory import make_document, make_event

Corpus = list[tuple[DocumentRecord, list[EventRecord]]]


@pytest.fixture
def corpus() -> Corpus:
    """Six small documents with one arrest each."""
    out = []
    for i in range(6):
        doc = make_document(f"Police arrested Ihar Losik, report {i}.", entities={"Ihar Losik": "PERSON"})
        out.append((doc, [make_event(doc, "arrest", "arrested", arguments=[("person", "Ihar Losik")])]))
    return out


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def restart(postgres_server: TemporaryPostgres) -> Iterator[TemporaryPostgres]:
    """The session server, started again after the test whatever happens."""
    yield postgres_server
    if not postgres_server.running:
        postgres_server.start()


@pytest.mark.postgres
def test_unreachable_server_fails_at_open(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql://newsevents:secret-pw@127.0.0.1:{_closed_port()}/news"
    sink = SqlSink(url)
    with pytest.raises(DatabaseError, match=r"Cannot connect to the database at .*Start the server") as info:
        sink.open()
    assert info.value.exit_code == 8
    assert "secret-pw" not in str(info.value)
    assert main(["db", "init", url]) == 8
    assert "Cannot connect" in capsys.readouterr().err


@pytest.mark.postgres
@pytest.mark.parametrize("user", ["newsevents", "nobody"])
def test_wrong_credentials_fail_at_open(postgres_server: TemporaryPostgres, postgres_url: str, user: str) -> None:
    database = postgres_url.rsplit("/", 1)[1]
    url = postgres_server.url(database, password="wrong-pw-123").replace("//newsevents:", f"//{user}:")
    with pytest.raises(DatabaseError, match=r"refused the credentials.*Check the user and password") as info:
        SqlSink(url).open()
    assert info.value.exit_code == 8
    assert "wrong-pw-123" not in str(info.value)


@pytest.mark.postgres
def test_missing_database_fails_at_open(postgres_server: TemporaryPostgres) -> None:
    with pytest.raises(DatabaseError, match=r"does not exist.*createdb"):
        SqlSink(postgres_server.url("no_such_database")).open()


def test_unwritable_sqlite_path_fails_at_open(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(DatabaseError, match="Cannot create the folder") as info:
        SqlSink(f"sqlite:///{tmp_path / 'a-file' / 'events.db'}").open()
    assert info.value.exit_code == 8


@pytest.mark.postgres
def test_server_lost_mid_run_stops_with_the_committed_count(
    restart: TemporaryPostgres, postgres_url: str, corpus: Corpus
) -> None:
    with (
        pytest.raises(DatabaseError, match=r"after 3 attempts.* 4 documents were committed") as info,
        SqlSink(postgres_url, batch_size=2, retries=2, backoff=0.05) as sink,
    ):
        for doc, events in corpus[:4]:
            sink.write(doc, events)
        restart.stop()
        for doc, events in corpus[4:]:
            sink.write(doc, events)
    assert info.value.exit_code == 8
    restart.start()
    assert {doc.id for doc in read_documents(postgres_url)} == {doc.id for doc, _ in corpus[:4]}


@pytest.mark.postgres
def test_server_back_within_the_retries_loses_nothing(
    restart: TemporaryPostgres, postgres_url: str, corpus: Corpus
) -> None:
    with SqlSink(postgres_url, batch_size=3, retries=6, backoff=0.1) as sink:
        for doc, events in corpus[:3]:
            sink.write(doc, events)
        restart.stop()
        comeback = threading.Timer(0.3, restart.start)
        comeback.start()
        try:
            for doc, events in corpus[3:]:
                sink.write(doc, events)
        finally:
            comeback.join()
    assert {doc.id for doc in read_documents(postgres_url)} == {doc.id for doc, _ in corpus}
