"""Organiser dashboards, outcome funnels, fairness view, exports and printable summaries."""
