"""scripts/ensure_node.sh gets the sign-in tests' provider a Node.js 20 on stock Debian 12, whose
nodejs is 18, from the npm registry (the one reachable where nodejs.org is not), and the Makefile
and tests/oidc_provider.py use it. Run on a copy of the script with fake node and npm first on
the PATH: nothing is downloaded here."""

import platform
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests import oidc_provider

ROOT = Path(__file__).resolve().parent.parent
ARCH = {"x86_64": "x64", "aarch64": "arm64"}.get(platform.machine())


def _executable(path: Path, script: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(stat.S_IRWXU)


def _fake_node(major: int) -> str:
    return f'case "$1" in -p) echo {major};; *) echo v{major}.0.0;; esac'


def _run(tmp_path: Path, node_major: int, npm_installs: bool = True):
    """The script from a copy of the project in tmp_path, with Debian's node (of `node_major`)
    and an npm that logs its arguments and, like `npm install --prefix DIR node-linux-…@20`,
    leaves a Node.js 20 in DIR/node_modules/.bin."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "scripts" / "ensure_node.sh", project / "scripts")
    bin_dir = tmp_path / "bin"
    log = tmp_path / "npm.log"
    log.touch(exist_ok=True)
    installs = (
        f'mkdir -p "$3/node_modules/.bin"\n'
        f"printf '#!/bin/sh\\n{_fake_node(20)}\\n' > \"$3/node_modules/.bin/node\"\n"
        f'chmod +x "$3/node_modules/.bin/node"'
    )
    _executable(bin_dir / "node", _fake_node(node_major))
    _executable(bin_dir / "npm", f'echo "$@" >> {log}\n' + (installs if npm_installs else ""))
    done = subprocess.run(
        ["bash", str(project / "scripts" / "ensure_node.sh")],
        env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    return done, project, log.read_text().splitlines()


@pytest.mark.skipif(ARCH is None, reason="Node.js 20 is on npm for x86_64 and aarch64 only")
def test_debian_12s_node_18_gets_node_20_from_the_npm_registry(tmp_path):
    done, project, npm_calls = _run(tmp_path, node_major=18)
    assert done.returncode == 0, done.stderr
    assert npm_calls == [
        f"install --prefix {project}/.cache/node --no-audit --no-fund node-linux-{ARCH}@20"
    ]
    assert "too old; installing Node.js 20 from the npm registry" in done.stderr


@pytest.mark.skipif(ARCH is None, reason="Node.js 20 is on npm for x86_64 and aarch64 only")
def test_a_second_run_uses_the_node_20_already_fetched(tmp_path):
    _run(tmp_path, node_major=18)
    done, _, npm_calls = _run(tmp_path, node_major=18)
    assert done.returncode == 0, done.stderr
    assert len(npm_calls) == 1  # the first run's install only


def test_a_node_20_already_there_downloads_nothing(tmp_path):
    done, project, npm_calls = _run(tmp_path, node_major=20)
    assert (done.returncode, npm_calls, done.stderr) == (0, [], "")
    assert not (project / ".cache").exists()


@pytest.mark.skipif(ARCH is None, reason="Node.js 20 is on npm for x86_64 and aarch64 only")
def test_an_install_that_leaves_no_node_20_fails_and_says_so(tmp_path):
    done, _, _ = _run(tmp_path, node_major=18, npm_installs=False)
    assert done.returncode == 1
    assert "Node.js 20 did not install" in done.stderr


def test_make_puts_the_fetched_node_first_on_the_path():
    done = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "--eval",
            "print-path: ; @echo $$PATH",
            "print-path",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(":")[0] == str(ROOT / ".cache" / "node" / "node_modules" / ".bin")


def test_the_tests_provider_runs_on_the_fetched_node_before_the_paths(tmp_path, monkeypatch):
    fetched = tmp_path / "fetched"
    system = tmp_path / "system"
    _executable(system / "node", _fake_node(18))
    monkeypatch.setenv("PATH", str(system))
    monkeypatch.setattr(oidc_provider, "LOCAL_NODE_BIN", fetched)
    assert oidc_provider.node_binary() == str(system / "node")

    _executable(fetched / "node", _fake_node(20))
    assert oidc_provider.node_binary() == str(fetched / "node")
