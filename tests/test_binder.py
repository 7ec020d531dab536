"""Binder installs exactly what uv.lock pins."""

from __future__ import annotations

import re
import tomllib

from d2i_examples import paths


def _lock_versions() -> dict[str, str]:
    lock = tomllib.loads((paths.ROOT / "uv.lock").read_text())
    return {p["name"]: p["version"] for p in lock["package"] if "version" in p}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_binder_requirements_pin_the_versions_in_uv_lock():
    locked = _lock_versions()
    lines = (paths.ROOT / "binder" / "requirements.lock.txt").read_text().splitlines()
    pins = {}
    for line in lines:
        requirement = line.split(";")[0].strip()
        if requirement and not requirement.startswith("#"):
            name, _, pinned = requirement.partition("==")
            pins[_normalise(name)] = pinned
    assert pins, "binder/requirements.lock.txt pins nothing"
    drifted = {n: (v, locked.get(n)) for n, v in pins.items() if locked.get(n) != v}
    assert not drifted, f"re-export binder/requirements.lock.txt (see binder/README.md): {drifted}"
    for tool in ("csc-validator-be-903", "csc-validator-be-cin", "cs-demand-model", "rich"):
        assert tool in pins


def test_binder_uses_python_3_11():
    assert (paths.ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def test_postbuild_installs_only_into_the_kernels_own_environment():
    """The server's conda environment stays repo2docker's; the lock goes into the kernel's
    environment, whose `pip check` fails the build (tests/test_binder_rehearsal.py runs it)."""
    script = (paths.ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.replace("\\\n", " ").splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in commands
    server_installs = [c for c in commands if c.startswith("python -m pip install")]
    assert all("--target" in c for c in server_installs), server_installs  # uv, outside both
    assert any(c.startswith('"$uv" pip sync') and '--python "$kernel_python"' in c
               and "binder/requirements.lock.txt" in c for c in commands)
    assert 'python -m pip --python "$kernel_python" check' in commands
    assert any("ipykernel install" in c and "--name python3" in c for c in commands)
