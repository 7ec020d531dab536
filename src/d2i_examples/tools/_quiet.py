"""Run D2I's tools without their logging, prints and warnings reaching the reader.

The tools are chatty in ways that leak into a reader's whole session:

- lac_validator.lac_validator calls ``logging.basicConfig(level=INFO)`` when it
  is imported, which would make every library in the session log at INFO;
- lac_validator logs every rule at INFO and each crashing rule's traceback at ERROR;
- some rules ``print()`` intermediate frames; cin_validator prints rule crashes;
- cin_validator sets ``pd.options.mode.chained_assignment = None`` on import.

``import_quietly`` imports a module and puts the root logger and that pandas
option back as they were. ``quiet`` silences a run and hands back what was
said, so crashes can be reported rather than hidden. Both restore everything
on the way out, even after an exception.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import warnings
from dataclasses import dataclass, field
from types import ModuleType

import pandas as pd


def import_quietly(name: str) -> ModuleType:
    """Import module ``name``, undoing import-time changes to logging and pandas options."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    chained = pd.get_option("mode.chained_assignment")
    try:
        return importlib.import_module(name)
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
        pd.set_option("mode.chained_assignment", chained)


class _Collect(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]):
        super().__init__(level=logging.WARNING)
        self._records = records

    def emit(self, record: logging.LogRecord) -> None:
        self._records.append(record)


@dataclass
class Captured:
    """What a tool said during a quiet run: log records (WARNING and up) and printed text."""

    records: list[logging.LogRecord] = field(default_factory=list)
    stdout: str = ""


@contextlib.contextmanager
def quiet(*logger_names: str):
    """Silence the named loggers, stdout and warnings for the block; yield a ``Captured``.

    The loggers keep WARNING and above for the caller (in ``Captured.records``)
    but stop propagating to the root logger; their levels, handlers and
    propagation are restored afterwards. pandas' chained-assignment option is
    set to None inside the block, the value the tools themselves expect.
    """
    captured = Captured()
    handler = _Collect(captured.records)
    saved = []
    for name in logger_names:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.propagate, list(logger.handlers)))
        logger.handlers = [handler]
        logger.propagate = False
        logger.setLevel(logging.WARNING)
    buffer = io.StringIO()
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stdout(buffer),
            pd.option_context("mode.chained_assignment", None),
        ):
            warnings.simplefilter("ignore")
            yield captured
    finally:
        captured.stdout = buffer.getvalue()
        for logger, level, propagate, handlers in saved:
            logger.handlers = handlers
            logger.propagate = propagate
            logger.setLevel(level)
