"""What each return holds: table names, columns and date columns.

One source of truth shared by the synthetic-data writers (synth/) and the
loaders (datasets/), so a column is named in one place only.
"""
