"""Seekers feature."""
