"""Employers feature."""
