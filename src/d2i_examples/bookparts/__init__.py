"""Pages and files the book build makes from the library itself: the glossary's
code tables, the version footer and the downloads. book.assemble() calls them,
so nothing on those pages is typed twice or by hand.
"""
