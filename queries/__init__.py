"""The saved analyst queries, installed as ``kg.queries`` (pyproject.toml maps this folder there)
so that a wheel carries them; kg.resources is what reads them."""
