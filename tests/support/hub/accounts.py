"""The d11-* UNIX accounts of a hub run: made on demand, commands run as them, their processes ended."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import psutil

from tests.support.hub.machine import BIN

PREFIX = "d11-"


@dataclass(frozen=True)
class Account:
    """A UNIX account of the hub run."""

    name: str
    uid: int
    gid: int
    home: Path


def ensure_account(name: str) -> Account:
    """The UNIX account ``name`` (d11-*), created if missing, with an emptied home of mode 750 (as TLJH makes)."""
    if not name.startswith(PREFIX):
        raise ValueError(f"test accounts are named {PREFIX}*, not {name!r}")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment",
                        "Double Eleven hub test account", name], check=True, capture_output=True, timeout=60)
        entry = pwd.getpwnam(name)
    home = Path(entry.pw_dir)
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o750)
    return Account(name, entry.pw_uid, entry.pw_gid, home)


def run_as(account: Account, args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
           timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a command as ``account`` (its uid, gid and groups only), with a clean environment."""
    base = {"PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin", "HOME": str(account.home), "USER": account.name,
            "LOGNAME": account.name, "LANG": "C.UTF-8", "MPLBACKEND": "Agg"}
    return subprocess.run(args, cwd=cwd or account.home, env={**base, **(env or {})}, user=account.uid,
                          group=account.gid, extra_groups=[], capture_output=True, text=True, timeout=timeout,
                          check=False)


def account_processes(uids: Iterable[int]) -> list[psutil.Process]:
    """Live processes owned by the given accounts."""
    wanted = set(uids)
    found = []
    for proc in psutil.process_iter(["uids"]):
        try:
            if proc.info["uids"] and proc.info["uids"].real in wanted:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def end_processes(procs: list[psutil.Process], timeout: float = 10) -> None:
    """Terminate, then kill, exactly these processes (by their ids)."""
    for proc in procs:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            continue
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(alive, timeout=timeout)
