"""The Standard Safeguarding Dataset (SSD) of the synthetic council, in DuckDB.

D2I's SSD (data-to-insight/ssd-data-model) is one agreed set of child-level tables that a
council extracts from its case-management system into its own database. Here:

- :mod:`.tables` declares the core tables (columns, types, keys) as the SSD specifies them;
- :mod:`.build` writes the synthetic council's children into them, in DuckDB;
- :mod:`.returns` runs the SQL in ``sql/`` (portable to SQL Server) that rebuilds the CIN
  census and Annex A lists for a period;
- :mod:`.payload` builds each child's payload for the DfE's children's social care API
  from the SSD, validates it against the project's JSON Schema and builds partial payloads
  by difference between two extracts.

For the worked examples: :mod:`.sample` (the sample council's SSD, built once and kept in
build/), :mod:`.compare` (rebuilt returns against those submitted), :mod:`.payload_summary`
(what payloads hold, planted faults) and :mod:`.check` (``d2i-examples check`` on an SSD).
"""
