"""What the benches share that is no bench itself: generated corpora and load clients.

Imported by the scripts in bench/ (their folder is on sys.path when they run); never run on
its own, so it prints no figures.
"""
