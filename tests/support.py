"""Test helpers that are not fixtures: databases, SMTP capture, a live server process."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager, suppress
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
IN_CI = bool(os.environ.get("CI"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def no_control_socket() -> list[str]:
    """gunicorn ≥ 25.1 opens one control socket per user and machine; two servers at once (tests
    in several checkouts, benchmarks) would take it from each other."""
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any(
        s.name == "control_socket_disable" for s in KNOWN_SETTINGS) else []


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite"]


def _admin_url() -> str:
    return os.environ["TEST_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")


@contextmanager
def scratch_postgres_database(label: str):
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    name = f"ato_{label}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(_admin_url())
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class MailSink:
    """A real SMTP server on loopback that keeps what arrives.

    It can misbehave on purpose: refuse a recipient at RCPT or its message at DATA with a
    given reply (`rcpt_replies`, `data_replies`: address → "550 …"), or take the message and
    answer only after `reply_delay` seconds, or not before `hold_replies` is switched off (a
    slow server: the mail has arrived either way).
    """

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self._lock = threading.Lock()
        self._behave()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port(),
                                     enable_SMTPUTF8=True)

    def _behave(self) -> None:
        self.rcpt_replies: dict[str, str] = {}
        self.data_replies: dict[str, str] = {}
        self.reply_delay = 0.0
        self.hold_replies = False

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refusals = [self.data_replies[a] for a in envelope.rcpt_tos if a in self.data_replies]
        if refusals:
            return refusals[0]
        with self._lock:
            self.raw.append(envelope.content)
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        while self.hold_replies:
            await asyncio.sleep(0.05)
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.raw.clear()
            self._behave()

    def message_ids(self) -> Counter:
        """How often each Message-ID arrived (a long header may come folded)."""
        with self._lock:
            return Counter(m["Message-ID"].strip() for m in self.messages)

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} mail(s), got {len(self.messages)}")

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for_mail_to(self, address: str, count: int = 1, timeout: float = 10.0) -> EmailMessage:
        """The newest of at least `count` mails to this address (others may arrive meanwhile)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = self.to(address)
            if len(found) >= count:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"no mail #{count} to {address} within {timeout} s")


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links_in(text: str, path_prefix: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+" + re.escape(path_prefix) + r"[^\s\"<>]*", text)


class LiveServer:
    """gunicorn serving wsgi:app in its own process, like production."""

    def __init__(self, env: dict[str, str], workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Tests change data and look at once, and stop the database between two requests:
        # workers read the public data version on every request (production: every 0.25 s).
        # and wait for a rebuilt file (small here) instead of getting the one before.
        self.env = {"CAMPAIGN_PUBLIC_VERSION_CHECK_SECONDS": "0",
                    "CAMPAIGN_PUBLIC_BUILD_WAIT_SECONDS": "10", **os.environ, **env,
                    "CAMPAIGN_PUBLIC_URL": self.url}
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def flask(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                              env=self.env, input=stdin, capture_output=True, text=True, check=True)

    def start(self) -> LiveServer:
        self.flask("db", "upgrade")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning", *no_control_socket(), "wsgi:app"],
            cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn exited during start") from None
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=15)


class Browserless:
    """A cookie-keeping HTTP client for load and race tests (no JavaScript)."""

    def __init__(self, base_url: str):
        import http.cookiejar
        import urllib.request

        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        import urllib.error
        import urllib.parse

        body = urllib.parse.urlencode(fields, doseq=True).encode()
        try:
            with self.opener.open(self.base_url + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_up(self, fields: dict, wait: float = 1.05) -> tuple[int, str]:
        """Load the form, wait the minimum fill time, send it with the form's hidden fields."""
        _, page = self.get("/mitmachen")
        time.sleep(wait)
        return self.post("/mitmachen", {**fields, **hidden_inputs(page)})


def hidden_inputs(page: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', page):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value:
            fields[name.group(1)] = value.group(1)
    return fields


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (initdb/pg_ctl) on a free loopback port, to stop, freeze
    (SIGSTOP) and thaw at will; never the shared server. Runs as `postgres` when we are root."""

    def __init__(self):
        import glob
        import shutil
        import tempfile

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb")]
        if not found[-1]:
            raise RuntimeError("initdb not found (install postgresql)")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ato-pg-"))
        self.data = self.dir / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    def init(self) -> ThrowawayPostgres:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "--no-sync")
        return self.start()

    def start(self) -> ThrowawayPostgres:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
                   "-c max_connections=50")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                  "-l", str(self.dir / "log"), "start")
        return self

    def stop(self) -> None:
        self.thaw()
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def pids(self) -> list[int]:
        """The postmaster and every backend it forked."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        import signal

        self.frozen = self.pids()
        for pid in self.frozen:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        import signal

        for pid in reversed(getattr(self, "frozen", [])):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.frozen = []

    def destroy(self) -> None:
        import shutil

        with suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def connections_to(pid: int, port: int) -> int:
    """How many established TCP connections process `pid` holds to 127.0.0.1:`port`."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    return sum(1 for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
               if (fields := line.split())[3] == "01"
               and int(fields[2].split(":")[1], 16) == port and fields[9] in inodes)


def busy_backends(database_url: str) -> int:
    """Client connections of other processes that are running a query or are in a
    transaction (a worker still building its snapshot)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
            "AND pid <> pg_backend_pid() AND state <> 'idle'").fetchone()[0]


def wait_for_warm_workers(server: LiveServer, database: ThrowawayPostgres,
                          timeout: float = 60) -> None:
    """Until every gunicorn worker has booted and read its public snapshot: it then holds two
    idle connections of its own, the version check's and the pooled one the read used, and
    keeps them idle. The state must hold for three looks in a row: one connection, or two for
    an instant, only says the read has begun, and stopping the database then would leave that
    worker without a snapshot."""
    deadline, steady = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        workers = [int(p.parent.name) for p in Path("/proc").glob("[0-9]*/stat")
                   if _parent_of(p) == server.process.pid]
        warm = (len(workers) == server.workers
                and all(connections_to(w, database.port) >= 2 for w in workers)
                and not busy_backends(database.url))
        steady = steady + 1 if warm else 0
        if steady == 3:
            return
        time.sleep(0.3)
    raise RuntimeError("gunicorn workers did not warm up")


def _parent_of(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None
