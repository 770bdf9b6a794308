"""Report downloads: the same tables as CSV or Excel, with a Chinese file name."""

from urllib.parse import quote

from flask import Response

from jobfair.live import figures as live_figures
from jobfair.models.fair import Fair
from jobfair.reports import exports, funnel

FORMATS = {
    "csv": ("text/csv", exports.to_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.to_xlsx,
    ),
}


def attach(resp: Response, filename: str, ascii_filename: str) -> Response:
    """Sent as a file: a Chinese name for browsers (RFC 6266 filename*), ASCII for old clients."""
    resp.headers.set(
        "Content-Disposition",
        "attachment",
        filename=ascii_filename,
        **{"filename*": "UTF-8''" + quote(filename)},
    )
    return resp


def download(tables, stem: str, fmt: str, ascii_stem: str = "jobfair-report") -> Response:
    mimetype, build = FORMATS[fmt]
    resp = Response(build(tables), mimetype=mimetype)
    return attach(resp, f"{stem}.{fmt}", f"{ascii_stem}.{fmt}")


def funnel_export_tables(filters: dict):
    data = funnel.report(funnel.target(filters), filters["group"], filters["district"])
    return exports.funnel_tables(data, data["by_group"], data["by_district"])


def fair_export_tables(fair: Fair):
    tables = exports.fair_tables(exports.fair_results(fair), funnel.funnel(fair))
    rows = live_figures.figure_rows(live_figures.fair_figures(fair))
    tables.append(("直播带岗", [[f"直播带岗数据：{fair.title}"], [], *rows]))
    return tables
