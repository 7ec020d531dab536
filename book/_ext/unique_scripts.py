"""Drop repeated scripts from each page.

Some extensions (sphinx-thebe, sphinx-togglebutton) add their inline
configuration script once per read of the sources, once with filename None and
once with '', so every page declared THEBE_JS_URL twice and the browser raised
a SyntaxError. Keep the first copy of each script.
"""

import os


def _key(script):
    if isinstance(script, str):
        return (script, ())
    return (os.fspath(script.filename or ""), tuple(sorted(script.attributes.items())))


def _keep_first(app, pagename, templatename, context, doctree):
    seen = set()
    unique = []
    for script in context.get("script_files", []):
        if _key(script) not in seen:
            seen.add(_key(script))
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _keep_first)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
