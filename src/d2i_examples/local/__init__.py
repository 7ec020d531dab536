"""Running the worked examples on a reader's own council files, safely.

    settings.py   the shareable settings file: parameters + column mapping, validated
    mapping.py    a council's own headings and codes -> the return's, applied in memory
    check.py      check a data folder before any notebook runs (which return, tables,
                  columns, years) and explain each problem in plain words
    outputs.py    where outputs from a reader's data may go (never inside the repository)
    report.py     the executed notebook and a standalone HTML report, written atomically
    run.py        `d2i-examples run NOTEBOOK --data DIR`: check, execute, report

The contract every worked example follows is written in d2i_examples.datasets.load.
"""
