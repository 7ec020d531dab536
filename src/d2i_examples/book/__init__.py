"""Assembling the Jupyter Book from the prose pages and the executed notebooks.

    build.py           the table of contents, assembly and the Sphinx build
    catalogue.py       "Find a tool": book/catalogue.yml loaded, checked and written as pages
    exercises.py       the exercise versions of the worked examples (blanks and checks)
    practice_links.py  each example's links to the "which numbers matter" practice pages
    glossary.py        the glossary's terms, for the build's automatic links
    codes.py           the glossary's code tables, from spec/
    downloads.py       the Downloads page's files (settings, example report, workbook)
    build_info.py      the version footer: which tools and data built this copy
    screenshots.py     screenshots of a run's HTML report for the own-data pages
    links.py           the built site's links, checked offline by lychee (`d2i-examples links`)

Nothing on those pages is typed twice or by hand: the build writes them from
the library itself.
"""
