"""Running the worked examples on a reader's own council files, safely.

    check.py   check a data folder before any notebook runs (which return, tables,
               columns, years) and explain each problem in plain words
    run.py     `d2i-examples run NOTEBOOK --data DIR`: check, execute, report
    report.py  the executed notebook and a standalone HTML report, written atomically

Where such outputs may go (never inside the repository) is d2i_examples.outputs;
the settings file and column mapping are d2i_examples.settings; the contract
every worked example follows is written in d2i_examples.datasets.load.
"""
