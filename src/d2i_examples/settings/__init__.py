"""The settings a council shares: notebook parameters, column and code mappings.

    model.py       the settings file (parameters + mapping), read and validated at once;
                   ``mapping_for`` gives the mapping a reader applies to one return
    mapping.py     a council's own headings and codes -> the return's, applied in memory
    parameters.py  a notebook's parameters cell (papermill's convention): declared
                   names, injected values, ``-p NAME=VALUE`` and ``--params FILE``
    schema.py      settings.schema.json, generated from the notebooks' parameters
    gallery.py     the shared settings files in settings/ and the book's page of them
    plain_yaml.py  YAML as readers write it: only true/false are booleans, dates stay text

This layer sits just above spec/: the readers in datasets/ and the runner ask it,
and it asks nothing above it.
"""
