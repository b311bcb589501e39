"""The ontology, SHACL shapes and entity data, installed as ``kg.ontology`` (pyproject.toml maps
this folder there) so that a wheel carries them; kg.resources is what reads them."""
