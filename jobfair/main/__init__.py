"""Home page and static informational pages."""
