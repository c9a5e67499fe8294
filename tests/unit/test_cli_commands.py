"""The `course` command's commands are registered in one place (course.cli.COMMANDS), and it tells its version."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

import course
from course import cli


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _handlers(parser: argparse.ArgumentParser) -> list:
    """The handlers (``run=``) of a command, or of each of its own sub-commands."""
    run = parser.get_default("run")
    return [run] if run else [h for inner in _commands(parser).values() for h in _handlers(inner)]


def test_version_prints_the_package_version():
    result = subprocess.run([sys.executable, "-m", "course", "--version"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"course {course.__version__}\n"


def test_version_through_main(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"course {course.__version__}"


def test_the_parser_has_exactly_the_registered_commands_each_handled_in_its_module():
    commands = _commands(cli.parser())
    assert list(commands) == list(cli.COMMANDS)
    for name, module in cli.COMMANDS.items():
        handlers = _handlers(commands[name])
        assert handlers, f"course {name} has no handler"
        assert {h.__module__ for h in handlers} == {module}, name


def test_help_lists_every_registered_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    assert "--version" in text
    for name in cli.COMMANDS:
        assert f"\n    {name}" in text, name


def test_a_command_missing_from_the_registry_is_an_error(monkeypatch):
    registry = dict(cli.COMMANDS)
    del registry["hub-link"]
    monkeypatch.setattr(cli, "COMMANDS", registry)
    with pytest.raises(RuntimeError, match="register each command in COMMANDS"):
        cli.parser()


def test_an_unknown_command_is_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["nothing"])
    assert stop.value.code == 2
    assert "invalid choice: 'nothing'" in capsys.readouterr().err


def test_a_module_is_present_only_if_it_can_be_imported():
    assert cli.present("course.grading.cli") and cli.present("course.apps_cli")
    assert not cli.present("course.nothing") and not cli.present("course.nothing.deeper")


def test_without_the_instructors_modules_only_the_trainees_commands_remain(monkeypatch, capsys):
    """As in the student edition, which carries the modules of cli.TRAINEE_COMMANDS only (tests/test_student_edition.py
    runs a built one)."""
    trainees = {cli.COMMANDS[name] for name in cli.TRAINEE_COMMANDS}
    monkeypatch.setattr(cli, "present", lambda module: module in trainees)
    assert list(_commands(cli.parser())) == list(cli.TRAINEE_COMMANDS) == ["lab", "apps"]
    assert cli.main(["grade", "--jobs", "2"]) == 2
    assert capsys.readouterr().err == ("`course grade` is for instructors; it is not part of the student edition. "
                                       "The commands here: lab, apps.\n")
    monkeypatch.setenv("COURSE_LANG", "id")
    assert cli.main(["verify"]) == 2
    assert capsys.readouterr().err.startswith("`course verify` untuk instruktur; perintah ini tidak termasuk")
