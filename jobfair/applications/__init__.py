"""Applications feature."""
