"""Channels: shareable pages with QR-code posters, public RSS/JSON position feeds."""
