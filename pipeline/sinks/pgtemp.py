"""A throwaway local PostgreSQL server for the test suite and the benchmark.

It runs the real server binaries (Debian's ``postgresql`` package puts them in
``/usr/lib/postgresql/<version>/bin``): ``initdb`` into a temporary folder, ``pg_ctl`` on
127.0.0.1 and a free port, password authentication over TCP, and everything removed on
``cleanup``. PostgreSQL refuses to run as root, so as root the binaries run as the
``postgres`` system user through ``runuser``.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from pipeline.errors import DatabaseError

#: Where Debian installs the server binaries, one folder per major version.
DEBIAN_BINDIR_GLOB = "/usr/lib/postgresql/*/bin"
DEFAULT_USER = "newsevents"
DEFAULT_PASSWORD = "newsevents-test"


def find_postgres_bindir() -> Path | None:
    """Return the folder with ``initdb`` and ``pg_ctl`` (the newest Debian version), or ``None``."""
    candidates = []
    for initdb in Path("/").glob(DEBIAN_BINDIR_GLOB.lstrip("/") + "/initdb"):
        match = re.search(r"/postgresql/(\d+)", str(initdb))
        if match and (initdb.parent / "pg_ctl").exists():
            candidates.append((int(match.group(1)), initdb.parent))
    if candidates:
        return max(candidates)[1]
    initdb_path = shutil.which("initdb")
    if initdb_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb_path)).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class TemporaryPostgres:
    """A PostgreSQL server in a temporary folder, listening on 127.0.0.1 only.

    Args:
        bindir: folder with ``initdb``, ``pg_ctl`` and ``postgres``.
        durable: keep fsync on (benchmarks); tests turn it off for speed.
    """

    def __init__(self, bindir: Path, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable
        self.user = DEFAULT_USER
        self.password = DEFAULT_PASSWORD
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="newsevents-pg-"))
        self.datadir = self.root / "data"
        self.logfile = self.root / "server.log"
        self._run_as: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError as e:
                raise DatabaseError(
                    "PostgreSQL refuses to run as root and there is no 'postgres' user: "
                    "install Debian's postgresql package or run as an ordinary user."
                ) from e
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._run_as = ["runuser", "-u", "postgres", "--"]
            self._owner: tuple[int, int] | None = (account.pw_uid, account.pw_gid)
        else:
            self._owner = None
        self.running = False

    def _run(self, *args: str) -> None:
        command = [*self._run_as, *args]
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if result.returncode != 0:
            log = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
            raise DatabaseError(f"{' '.join(args[:2])} failed ({result.returncode}): {result.stderr.strip()} {log}")

    def initialize(self) -> None:
        """Create the cluster with a password-protected superuser."""
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._owner is not None:
            os.chown(pwfile, *self._owner)
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.datadir),
            "-U",
            self.user,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        pwfile.unlink()

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            str(self.bindir / "pg_ctl"),
            "start",
            "-D",
            str(self.datadir),
            "-l",
            str(self.logfile),
            "-w",
            "-t",
            "60",
            "-o",
            options,
        )
        self.running = True

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are dropped)."""
        if self.running:
            self._run(str(self.bindir / "pg_ctl"), "stop", "-D", str(self.datadir), "-m", "fast", "-w")
            self.running = False

    def url(self, database: str = "postgres", password: str | None = None) -> str:
        """Return a ``postgresql://`` URL for ``database`` on this server."""
        secret = self.password if password is None else password
        return f"postgresql://{self.user}:{secret}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise DatabaseError(f"Database name {name!r}: use lowercase letters, digits and _.")
        dsn = f"host=127.0.0.1 port={self.port} user={self.user} password={self.password} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"'.encode())
        return self.url(name)

    def cleanup(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        self.initialize()
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cleanup()
