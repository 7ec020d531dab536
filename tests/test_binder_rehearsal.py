"""Binder, rehearsed offline. mybinder.org builds this repository with repo2docker:

1. `jupyter-repo2docker --no-build` writes the Dockerfile Binder would build: the
   conda buildpack, Python 3.11 from binder/runtime.txt, then binder/postBuild.
2. The same two environments: the server's, a fresh Python 3.11 venv holding the
   Jupyter packages at the versions of repo2docker's own base-environment lock; then
   binder/postBuild run over it, as in the image, which makes the kernel's
   environment beside it. The server's must come out of postBuild unchanged; the
   kernel's must hold exactly uv.lock's packages and this project, pass `pip check`
   (postBuild runs it too, and fails the build when it fails) and be the kernel
   `python3` the server starts for every notebook.
3. The server started as the image's default command starts it (on 127.0.0.1);
   for each notebook (on a push, getting-started and a stated sample of the rest
   that rotates weekly, tests/fixtures/rotation.py; every one in the weekly
   workflow, after the book's own run of every notebook has shown they all run),
   the URL the book's launch button points to, opened in
   Chromium; every cell run through JupyterLab's Run menu; every cell ran, no
   error output, every chart rendered.

Step 1 needs no network; steps 2 and 3 (marked slow) download from PyPI, through
uv's cache (the one `make setup` fills), so they build in about a minute and a half; what is
installed does not depend on the cache.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import escapism
import pytest
import repo2docker

from d2i_examples import paths
from d2i_examples.book import build as book
from tests.fixtures import rotation

R2D_CONDA = Path(repo2docker.__file__).parent / "buildpacks" / "conda"
# The packages repo2docker's base environment installs for the notebook server
# (environment.yml), by their PyPI names.
BASE_JUPYTER = {
    "jupyterlab": "jupyterlab", "jupyter_server": "jupyter-server", "notebook": "notebook",
    "ipywidgets": "ipywidgets", "jupyter-resource-usage": "jupyter-resource-usage",
    "jupyter-offlinenotebook": "jupyter-offlinenotebook", "jupyterhub-singleuser": "jupyterhub",
    "ipykernel": "ipykernel",
}


def _dockerfile() -> tuple[str, str]:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-repo2docker"), "--no-build", "--no-run",
         "--user-id", "1000", "--user-name", "jovyan", str(paths.ROOT)],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


def test_repo2docker_builds_python_3_11_with_the_conda_buildpack_and_runs_postbuild():
    dockerfile, log = _dockerfile()
    assert "Building conda environment for python=3.11" in log
    # The build copies in the conda buildpack's Python 3.11 lock (file names escaped).
    copied = [escapism.unescape(line.split()[2].rsplit("-", 1)[0], escape_char="-")
              for line in dockerfile.splitlines() if line.startswith("COPY --chown")]
    assert any(c.endswith("/buildpacks/conda/environment.py-3.11-linux-64.lock") for c in copied), copied
    assert "ENV NB_PYTHON_PREFIX=${CONDA_DIR}/envs/notebook" in dockerfile
    assert "RUN ./binder/postBuild" in dockerfile
    assert re.search(r'CMD \["jupyter", "notebook", "--ip", "0\.0\.0\.0"\]', dockerfile)


def base_environment_pins() -> dict[str, str]:
    """{conda name: version} of every package in repo2docker's Python 3.11 base lock."""
    pins = {}
    lock = (R2D_CONDA / "environment.py-3.11-linux-64.lock").read_text(encoding="utf-8")
    for line in lock.splitlines():
        if line.startswith("https://"):
            filename = line.split("#")[0].rsplit("/", 1)[1]
            stem = re.sub(r"\.(conda|tar\.bz2)$", "", filename)
            name, version, _build = stem.rsplit("-", 2)
            pins[name] = version
    return pins


def test_the_base_environment_lock_names_the_jupyter_server_binder_runs():
    pins = base_environment_pins()
    for conda_name in BASE_JUPYTER:
        assert conda_name in pins, conda_name
    assert pins["python"].startswith("3.11.")


# ---- the slow part: build the environment, launch the server, run every notebook ----


def _repository_copy(target: Path) -> Path:
    """The files Binder would clone: tracked and new files, nothing git ignores."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"],
                            cwd=paths.ROOT, capture_output=True, text=True, check=True)
    for name in filter(None, listed.stdout.split("\0")):
        source = paths.ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _uv() -> str:
    uv = paths.ROOT / ".tools" / "bin" / "uv"
    assert uv.is_file(), "the Binder rehearsal needs uv: run `make setup`"
    return str(uv)


def _installed(python: str) -> dict[str, str]:
    """{normalised name: version} of every distribution in ``python``'s environment."""
    script = ("import json; from importlib import metadata; print(json.dumps("
              "{d.metadata['Name']: d.version for d in metadata.distributions()}))")
    found = json.loads(_run([python, "-c", script]).stdout)
    return {re.sub(r"[-_.]+", "-", n).lower(): v for n, v in found.items()}


def locked_for_linux() -> dict[str, str]:
    """{name: version} requirements.lock.txt installs on Linux (markers evaluated)."""
    from packaging.requirements import Requirement

    pins = {}
    lines = (paths.ROOT / "binder" / "requirements.lock.txt").read_text(encoding="utf-8")
    for line in lines.splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"sys_platform": "linux"}):
                pins[re.sub(r"[-_.]+", "-", requirement.name).lower()] = str(requirement.specifier)[2:]
    return pins


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """The image's two environments, built as Binder builds them, and what postBuild did."""
    started = time.monotonic()
    tmp = tmp_path_factory.mktemp("binder")
    repo = _repository_copy(tmp / "home")
    python311 = shutil.which("python3.11")
    assert python311, "the Binder rehearsal needs a Python 3.11 to make a venv from"
    # The server's environment: repo2docker's base lock, by its PyPI names.
    _run([python311, "-m", "venv", "--without-pip", str(tmp / "notebook")])
    python = str(tmp / "notebook" / "bin" / "python")
    pins = base_environment_pins()
    constraints = tmp / "base-constraints.txt"
    constraints.write_text("".join(
        f"{BASE_JUPYTER.get(name, name)}=={version}\n" for name, version in sorted(pins.items())
        if name not in {"python", "pip"} and not name.startswith(("lib", "_"))), encoding="utf-8")
    _run([_uv(), "pip", "install", "--quiet", "--python", python, "-c", str(constraints),
          f"pip=={pins['pip']}"] + [f"{pypi}=={pins[conda]}" for conda, pypi in BASE_JUPYTER.items()])
    # Render every cell (JupyterLab otherwise renders only those in view).
    overrides = tmp / "notebook" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps(
        {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}), encoding="utf-8")
    env = {**os.environ, "PATH": f"{tmp / 'notebook' / 'bin'}:{os.environ['PATH']}",
           "HOME": str(repo), "VIRTUAL_ENV": str(tmp / "notebook")}
    env.pop("PYTHONPATH", None)
    env.pop("D2I_KERNEL_ENV", None)
    # The developer's (or CI's) uv cache, which `make setup` filled: faster, same packages.
    cache = _run([_uv(), "cache", "dir"]).stdout.strip()
    env["UV_CACHE_DIR"] = cache
    server_before = _installed(python)
    built = subprocess.run(["bash", "./binder/postBuild"], cwd=repo, env=env,
                           capture_output=True, text=True, check=False)
    print(f"\nBinder environments built in {time.monotonic() - started:.0f} s")
    yield SimpleNamespace(python=python, kernel=str(repo / ".d2i-kernel" / "bin" / "python"),
                          repo=repo, env=env, built=built, server_before=server_before)


@pytest.mark.slow
def test_postbuild_builds_the_kernel_environment_and_pip_check_passes_there(binder_env):
    built = binder_env.built
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "No broken requirements found." in built.stdout  # postBuild's own pip check
    check = subprocess.run([binder_env.python, "-m", "pip", "--python", binder_env.kernel, "check"],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.slow
def test_postbuild_leaves_the_server_environment_as_repo2docker_built_it(binder_env):
    after = _installed(binder_env.python)
    changed = {n: (binder_env.server_before.get(n), after.get(n))
               for n in set(after) | set(binder_env.server_before)
               if after.get(n) != binder_env.server_before.get(n)}
    assert not changed, f"postBuild changed the server's packages: {changed}"


@pytest.mark.slow
def test_the_kernel_environment_is_exactly_uv_lock_and_the_project(binder_env):
    installed = _installed(binder_env.kernel)
    assert installed.pop("d2i-examples") == _installed(sys.executable)["d2i-examples"]
    locked = locked_for_linux()
    assert installed == locked, {n: (installed.get(n), locked.get(n))
                                 for n in set(installed) | set(locked) if installed.get(n) != locked.get(n)}


@pytest.mark.slow
def test_every_notebook_gets_the_kernel_environment(binder_env):
    """The notebooks name the kernel `python3`; the server finds postBuild's, not its own."""
    jupyter = str(Path(binder_env.python).parent / "jupyter")
    specs = json.loads(_run([jupyter, "kernelspec", "list", "--json"], env=binder_env.env).stdout)
    python3 = specs["kernelspecs"]["python3"]["spec"]
    assert python3["argv"][0] == binder_env.kernel
    for notebook in (paths.NOTEBOOKS).glob("*.ipynb"):
        assert json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"] == "python3"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def binder_server(binder_env):
    """The server started as the image's CMD does (`jupyter notebook --ip ...`)."""
    python, repo, env = binder_env.python, binder_env.repo, binder_env.env
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = str(Path(python).parent / "jupyter")
    server = subprocess.Popen(
        [jupyter, "notebook", "--ip", "127.0.0.1", "--port", str(port), "--no-browser",
         f"--IdentityProvider.token={token}"]
        # Binder runs it as jovyan; CI runs everything as root.
        + (["--allow-root"] if os.geteuid() == 0 else []),
        cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                raise AssertionError(server.stderr.read()) from None
            time.sleep(1)
    else:
        raise AssertionError("the notebook server did not start")
    yield base, token
    server.terminate()
    server.wait(timeout=30)


def launch_path(built_site: Path, name: str) -> str:
    """The path the book's Binder button opens for notebook ``name`` (its urlpath)."""
    html = (built_site / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(https://mybinder\.org/v2/gh/[^"]+)"', html)
    assert links, f"no Binder launch button on {name}.html"
    return parse_qs(urlparse(links[0].replace("&amp;", "&")).query)["urlpath"][0]


# The notebook this test opened (should any other tab be open, it is hidden).
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def _api(base: str, token: str, path: str, method: str = "GET"):
    """One call to the server's REST API: the decoded JSON, or None for an empty reply."""
    request = urllib.request.Request(f"{base}/{path}?token={token}", method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            body = r.read()
    except urllib.error.HTTPError as error:
        if method == "DELETE" and error.code == 404:
            return None
        raise
    return json.loads(body) if body else None


def _start_afresh(base: str, token: str) -> None:
    """No kernel running and no saved workspace: each launch starts as a new Binder does.

    JupyterLab saves the open tabs in its workspace and reopens them (each with a kernel)
    on the next visit, so without this every test would run beside all the earlier ones.
    """
    for session in _api(base, token, "api/sessions"):
        _api(base, token, f"api/sessions/{session['id']}", "DELETE")
    for workspace in _api(base, token, "lab/api/workspaces")["workspaces"]["ids"]:
        _api(base, token, f"lab/api/workspaces/{workspace}", "DELETE")


@pytest.mark.slow
@pytest.mark.parametrize("name", rotation.binder_notebooks())
def test_each_notebook_runs_to_the_end_in_binders_jupyterlab(
        built_site, binder_server, browser, name):
    base, token = binder_server
    urlpath = launch_path(built_site, name)
    assert urlpath == f"lab/tree/notebooks/{name}.ipynb"
    _start_afresh(base, token)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{base}/{urlpath}?token={token}")
        page.locator(f"{PANEL} .jp-Cell").first.wait_for(timeout=120_000)
        page.locator("#jp-main-statusbar >> text=/Idle/").first.wait_for(timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        # Running: some prompt shows [*]; done: the kernel is idle and no prompt is [*].
        page.wait_for_function(
            f"""() => [...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputPrompt')]
                      .some(p => p.textContent.includes('*'))""", timeout=60_000)
        page.wait_for_function(
            f"""() => ![...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputPrompt')]
                      .some(p => p.textContent.includes('*'))""", timeout=300_000, polling=1000)
        page.keyboard.press("Control+s")
        page.wait_for_timeout(2000)
        prompts = page.locator(f"{PANEL} .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        assert prompts and all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts), prompts
        # Charts are inline images (data: URIs): each decodes whether or not it is in view.
        charts = page.locator(f"{PANEL} .jp-OutputArea-output img")
        page.wait_for_function(
            f"() => [...document.querySelectorAll('{PANEL} .jp-OutputArea-output img')]"
            ".every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
        saved = _api(base, token, f"api/contents/notebooks/{name}.ipynb")["content"]
        code = [c for c in saved["cells"] if c["cell_type"] == "code"]
        assert all(c["execution_count"] for c in code), "a cell did not run"
        outputs = [o for c in code for o in c["outputs"]]
        assert not [o for o in outputs if o["output_type"] == "error"]
        images = sum("image/png" in o.get("data", {}) or "<img" in str(o.get("data", {}).get("text/html", ""))
                     for o in outputs)
        assert charts.count() >= images
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", book.toc_exercises())
def test_each_exercises_page_launches_a_file_binder_made(built_site, binder_env, name):
    repo = binder_env.repo
    urlpath = launch_path(built_site, f"{book.EXERCISES_FOLDER}/{name}")
    assert urlpath == f"lab/tree/notebooks/{book.EXERCISES_FOLDER}/{name}.ipynb"
    made = repo / urlpath.removeprefix("lab/tree/")
    assert made.is_file(), f"postBuild did not make {made}"
    cells = json.loads(made.read_text(encoding="utf-8"))["cells"]
    assert any("exercise-check" in c["metadata"].get("tags", []) for c in cells)
    assert "___" in "".join("".join(c["source"]) for c in cells), "the blanks are left in"
