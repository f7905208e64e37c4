"""The test suite's own server helper fails clearly when a server never comes up."""

from __future__ import annotations

import subprocess
import sys
import tempfile

import pytest

from tests.conftest import free_port, wait_until_up


def test_a_server_that_never_answers_is_an_error_not_an_address() -> None:
    silent = [sys.executable, "-c", "import sys; print('starting'); sys.stdin.read()"]
    with tempfile.TemporaryFile() as log:
        with subprocess.Popen(silent, stdin=subprocess.PIPE, stdout=log) as proc:
            try:
                with pytest.raises(RuntimeError, match="did not answer within 0.5 s: starting"):
                    wait_until_up(f"http://127.0.0.1:{free_port()}", proc, log, seconds=0.5)
            finally:
                proc.kill()
