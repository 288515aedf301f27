"""A throw-away PostgreSQL server for tests and local runs of the `postgres` target.

    python -m segwarehouse.pgserver ensure-installed   # exit 0 when the server binaries are there
                                                       # (as root: apt-get install postgresql when they are not)
    python -m segwarehouse.pgserver run                # start a temporary server, print its SEGMENTS_PG_* settings,
                                                       # stop and delete it on Ctrl-C

    with TemporaryPostgres() as pg:                    # fresh cluster in a temp dir, 127.0.0.1, free port, trust auth
        pg.url, pg.env(), pg.create_database("other")

The server binaries are found in $SEGMENTS_PG_BINDIR, /usr/lib/postgresql/<version>/bin (Debian/Ubuntu package
`postgresql`, highest version first), then `pg_config --bindir` and the PATH. `initdb` refuses to run as root, so
as root the cluster is created and run as the OS user `postgres` (created by the Debian package).
"""
from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

SERVER_USER = "postgres"
DEFAULT_DATABASE = "segments"


class PostgresNotInstalled(RuntimeError):
    """No PostgreSQL server binaries (initdb, pg_ctl) were found."""


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit()) or (0,)


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl, or None."""
    explicit = os.environ.get("SEGMENTS_PG_BINDIR")
    if explicit:
        return Path(explicit) if (Path(explicit) / "initdb").exists() else None
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key, reverse=True)
    if debian:
        return Path(debian[0]).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if bindir and (Path(bindir) / "initdb").exists():
            return Path(bindir)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def ensure_installed() -> Path:
    """Return the server bindir; as root, install the Debian package `postgresql` first when it is missing."""
    bindir = find_bindir()
    if bindir is not None:
        return bindir
    if os.environ.get("SEGMENTS_PG_BINDIR"):
        raise PostgresNotInstalled(f"SEGMENTS_PG_BINDIR={os.environ['SEGMENTS_PG_BINDIR']} holds no initdb.")
    if os.geteuid() != 0:
        raise PostgresNotInstalled(
            "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin nor on the PATH. "
            "Install them (Debian/Ubuntu: `sudo apt-get install -y postgresql`) or set SEGMENTS_PG_BINDIR."
        )
    if shutil.which("apt-get") is None:
        raise PostgresNotInstalled("PostgreSQL server binaries not found and apt-get is not available to install them.")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"]):
        print("+", " ".join(command), flush=True)
        subprocess.run(command, env=env, check=True)
    bindir = find_bindir()
    if bindir is None:
        raise PostgresNotInstalled("`apt-get install postgresql` succeeded but initdb is still not found.")
    return bindir


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class TemporaryPostgres:
    """A fresh PostgreSQL cluster in a temporary directory, on 127.0.0.1 and a free port, trust authentication.

    Use as a context manager (or call start() / stop()); the server is stopped and its directory removed on exit,
    also when the body raises.
    """

    dbname: str = DEFAULT_DATABASE
    user: str = "postgres"
    host: str = "127.0.0.1"
    port: int = 0
    bindir: Path | None = None
    start_timeout: int = 60
    directory: Path | None = field(default=None, init=False)
    _run_as: str | None = field(default=None, init=False)

    # -- lifecycle -------------------------------------------------------------------------------------------
    def start(self) -> "TemporaryPostgres":
        self.bindir = self.bindir or find_bindir()
        if self.bindir is None:
            raise PostgresNotInstalled("PostgreSQL server binaries not found: run `python -m segwarehouse.pgserver "
                                       "ensure-installed` (or set SEGMENTS_PG_BINDIR).")
        self._run_as = SERVER_USER if os.geteuid() == 0 else None
        # As root the server user must reach the directory, and a Unix socket path is limited to ~100 bytes:
        # use /tmp rather than a private or deep TMPDIR then.
        parent = "/tmp" if (self._run_as or len(tempfile.gettempdir()) > 60) and os.path.isdir("/tmp") else None
        self.directory = Path(tempfile.mkdtemp(prefix="segpg-", dir=parent))
        try:
            if self._run_as:
                try:
                    account = pwd.getpwnam(self._run_as)
                except KeyError:
                    raise PostgresNotInstalled(f"initdb refuses to run as root and there is no OS user "
                                               f"`{self._run_as}` to run it (the Debian package creates it).") from None
                os.chown(self.directory, account.pw_uid, account.pw_gid)
            self._initdb()
            self._start_server()
            self.create_database(self.dbname)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.directory is None:
            return
        data = self.directory / "data"
        try:
            if (data / "postmaster.pid").exists():
                result = self._server_command(
                    [str(self._bin("pg_ctl")), "-D", str(data), "-m", "immediate", "-w", "-t", "20", "stop"]
                )
                if result.returncode != 0:
                    self._kill_postmaster(data)
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self) -> "TemporaryPostgres":
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    # -- connection info -------------------------------------------------------------------------------------
    def dsn(self, dbname: str | None = None) -> str:
        """libpq / psycopg2 connection string."""
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname or self.dbname}"

    def url(self, dbname: str | None = None) -> str:
        """SQLAlchemy URL (what Great Expectations' SQL datasource takes)."""
        return f"postgresql+psycopg2://{self.user}@{self.host}:{self.port}/{dbname or self.dbname}"

    def env(self, dbname: str | None = None, schema: str = "analytics") -> dict[str, str]:
        """The SEGMENTS_PG_* variables read by profiles/profiles.yml and segwarehouse.load."""
        return {
            "SEGMENTS_PG_HOST": self.host,
            "SEGMENTS_PG_PORT": str(self.port),
            "SEGMENTS_PG_USER": self.user,
            "SEGMENTS_PG_PASSWORD": "",
            "SEGMENTS_PG_DATABASE": dbname or self.dbname,
            "SEGMENTS_PG_SCHEMA": schema,
        }

    def create_database(self, name: str) -> None:
        import psycopg2
        from psycopg2 import sql

        connection = psycopg2.connect(self.dsn("postgres"))
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        finally:
            connection.close()

    # -- internals -------------------------------------------------------------------------------------------
    def _bin(self, name: str) -> Path:
        assert self.bindir is not None
        return self.bindir / name

    def _server_command(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        """Run a server binary as the server's OS user, output to a log file (never to pipes the server inherits)."""
        assert self.directory is not None
        log = self.directory / "commands.log"
        with log.open("a") as handle:
            result = subprocess.run(
                command, cwd=self.directory, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                user=self._run_as, group=self._run_as, extra_groups=[] if self._run_as else None,
                env={**os.environ, "LC_ALL": "C", "PGTZ": "UTC"}, text=True, check=False,
            )
        return result

    def _failure(self, what: str) -> RuntimeError:
        assert self.directory is not None
        logs = "".join(
            path.read_text(errors="replace")[-4000:]
            for path in (self.directory / "commands.log", self.directory / "server.log") if path.exists()
        )
        return RuntimeError(f"PostgreSQL {what} failed:\n{logs}")

    def _initdb(self) -> None:
        assert self.directory is not None
        result = self._server_command([str(self._bin("initdb")), "-D", str(self.directory / "data"), "-U", self.user,
                                       "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
        if result.returncode != 0:
            raise self._failure("initdb")

    def _start_server(self) -> None:
        assert self.directory is not None
        options = " ".join([
            f"-c listen_addresses={self.host}", f"-c unix_socket_directories={self.directory}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=50",
            "-c timezone=UTC", "-c log_min_messages=warning",
            # JIT compiles the big CASE expressions of the staging macros for seconds on every query whose cost is
            # overestimated (int_companies_classified: 3 s instead of 0.06 s per data test).
            "-c jit=off",
        ])
        for attempt in range(5):
            self.port = self.port if (self.port and attempt == 0) else free_port()
            result = self._server_command([
                str(self._bin("pg_ctl")), "-D", str(self.directory / "data"), "-l", str(self.directory / "server.log"),
                "-o", f"-p {self.port} {options}", "-w", "-t", str(self.start_timeout), "start",
            ])
            if result.returncode == 0:
                return
            time.sleep(0.2)  # most likely the port was taken between free_port() and the bind: try another
        raise self._failure("server start")

    @staticmethod
    def _kill_postmaster(data: Path) -> None:
        try:
            pid = int((data / "postmaster.pid").read_text().splitlines()[0])
            os.kill(pid, signal.SIGQUIT)
        except (OSError, ValueError, IndexError):
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m segwarehouse.pgserver", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("ensure-installed", help="exit 0 when the PostgreSQL server binaries are installed "
                                                 "(as root, apt-get install them when they are not)")
    commands.add_parser("run", help="start a temporary server and print its SEGMENTS_PG_* settings until Ctrl-C")
    args = parser.parse_args(argv)
    try:
        if args.command == "ensure-installed":
            print(f"PostgreSQL server binaries: {ensure_installed()}")
            return 0
        with TemporaryPostgres() as server:
            for key, value in server.env().items():
                print(f"export {key}={value}")
            print(f"# {server.url()}  (Ctrl-C stops and deletes the server)", flush=True)
            for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # also when started in the background
                signal.signal(stop_signal, signal.default_int_handler)
            try:
                signal.pause()
            except KeyboardInterrupt:
                pass
        return 0
    except (PostgresNotInstalled, subprocess.CalledProcessError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
