"""Import nbformat without the seconds jsonschema spends importing rfc3987_syntax.

jsonschema imports rfc3987_syntax when it is installed (Jupyter's packages pull it in),
and that module compiles 38 Lark grammars as it is imported: several seconds in every
process that imports nbformat (the CLI, each of the runner's worker processes, the tests).
It only serves jsonschema's "iri" formats, which nbformat's notebook schema never checks,
so the package imports this module first and leaves it out (unless jsonschema was
imported before: then it is too late, and nothing changes).
"""

import sys

if "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None  # `import rfc3987_syntax` now raises ImportError
