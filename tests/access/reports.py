"""Reports: dashboards, funnels, fairness, fair summaries and exports are organiser-only."""

ORGANISER_ONLY = ("login", 403, 403, "ok")

ENTRIES = {
    ("reports.dashboard", "GET"): ORGANISER_ONLY,
    ("reports.funnel_page", "GET"): ORGANISER_ONLY,
    ("reports.funnel_export", "GET"): ORGANISER_ONLY,
    ("reports.fairness_page", "GET"): ORGANISER_ONLY,
    ("reports.fairs", "GET"): ORGANISER_ONLY,
    ("reports.fair_summary", "GET"): ORGANISER_ONLY,
    ("reports.fair_export", "GET"): ORGANISER_ONLY,
    ("api_reports.dashboard", "GET"): ORGANISER_ONLY,
    ("api_reports.get_funnel", "GET"): ORGANISER_ONLY,
    ("api_reports.export_funnel", "GET"): ORGANISER_ONLY,
    ("api_reports.get_fairness", "GET"): ORGANISER_ONLY,
    ("api_reports.fair_results", "GET"): ORGANISER_ONLY,
    ("api_reports.export_fair", "GET"): ORGANISER_ONLY,
}


def ids(app, ctx) -> dict:
    """Export routes carry the file format in the URL; fair_id comes from the channels/fairs
    features (any fair will do for organiser-only reports)."""
    return {"export_format": "xlsx"}
