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
    ("reports.campaign_list", "GET"): ORGANISER_ONLY,
    ("reports.campaign_page", "GET"): ORGANISER_ONLY,
    ("reports.campaign_export", "GET"): ORGANISER_ONLY,
    ("reports.new_campaign", "GET"): ORGANISER_ONLY,
    ("reports.new_campaign", "POST"): ORGANISER_ONLY,
    ("reports.edit_campaign", "GET"): ORGANISER_ONLY,
    ("reports.edit_campaign", "POST"): ORGANISER_ONLY,
    ("api_campaigns.list_campaigns", "GET"): ORGANISER_ONLY,
    ("api_campaigns.create_campaign", "POST"): ORGANISER_ONLY,
    ("api_campaigns.get_campaign", "GET"): ORGANISER_ONLY,
    ("api_campaigns.update_campaign", "PATCH"): ORGANISER_ONLY,
}


def ids(app, ctx) -> dict:
    """Export routes carry the file format in the URL; fair_id comes from the channels/fairs
    features (any fair will do for organiser-only reports); a campaign made by nobody."""
    from datetime import date

    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import Campaign

    with app.app_context(), writing():
        campaign = Campaign(
            title="访问矩阵专项活动", starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31)
        )
        db.session.add(campaign)
        db.session.commit()
        return {"export_format": "xlsx", "campaign_id": campaign.id}
