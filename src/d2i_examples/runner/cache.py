"""Skip notebooks whose inputs have not changed since their last successful run.

A notebook's key is a hash of everything its output depends on: the notebook
itself, its parameters, the sample data, the locked environment (uv.lock) and
the library's source. The keys of successful runs live in a small JSON file
beside the executed copies.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from d2i_examples import paths

CACHE_FILE = ".run-cache.json"


def _hash_tree(digest: hashlib._Hash, folder: Path, pattern: str = "*") -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())


def shared_inputs_key(root: Path = paths.ROOT) -> str:
    """Hash of the inputs every notebook shares: sample data, uv.lock, library source."""
    digest = hashlib.sha256()
    _hash_tree(digest, root / "sample_data")
    lock = root / "uv.lock"
    if lock.is_file():
        digest.update(lock.read_bytes())
    _hash_tree(digest, root / "src" / "d2i_examples", "*.py")
    return digest.hexdigest()


def notebook_key(notebook: Path, params: dict[str, Any], shared_key: str) -> str:
    """Hash of one notebook's content and parameters with the shared inputs."""
    digest = hashlib.sha256(notebook.read_bytes())
    digest.update(json.dumps(params, sort_keys=True, default=str).encode())
    digest.update(shared_key.encode())
    return digest.hexdigest()


class RunCache:
    """The keys of successful runs in one output folder."""

    def __init__(self, out_dir: Path):
        self.file = out_dir / CACHE_FILE
        try:
            self.keys: dict[str, str] = json.loads(self.file.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            self.keys = {}

    def is_fresh(self, name: str, key: str, output: Path) -> bool:
        return self.keys.get(name) == key and output.is_file()

    def record(self, name: str, key: str | None) -> None:
        if key is None:
            self.keys.pop(name, None)
        else:
            self.keys[name] = key

    def save(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        self.file.write_text(json.dumps(self.keys, indent=1, sort_keys=True))
