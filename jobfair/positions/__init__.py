"""Positions feature."""
