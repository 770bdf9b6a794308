"""The demo data generator, split by aggregate; `python seed/generate.py` runs it."""
