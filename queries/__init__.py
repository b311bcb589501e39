"""The saved analyst queries, installed as ``kg.queries`` (pyproject.toml maps this folder there)
so that a wheel carries them; kg.resources is what reads them.

They are written so that every store gives the same rows in the same order (tested on the
embedded store, an Oxigraph server and Virtuoso): listings sort on text (``STR(?label)``:
servers order language-tagged literals differently) down to a column that tells rows apart,
rows cut by a LIMIT are chosen with ties broken (by a hash of an IRI), and where Virtuoso
misreads standard SPARQL the query says so where it is written another way.
"""
