"""API: 后台任务 (status and progress of a job the caller started)."""

from flask import url_for
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair import jobs
from jobfair.api.registry import api_blueprint
from jobfair.security import login_required

bp = api_blueprint("api_jobs", "/jobs", "后台任务")


class JobOut(Schema):
    id = fields.Int()
    status = fields.Str(
        metadata={
            "description": "queued 排队中 / running 正在处理 / retrying 出错待重试 / done 已完成 / failed 失败"
        }
    )
    status_text = fields.Str()
    progress = fields.Int(metadata={"description": "已完成的步数"})
    total = fields.Int(metadata={"description": "总步数（0：未知）"})
    percent = fields.Int(metadata={"description": "完成百分比"})
    message = fields.Str()
    attempts = fields.Int()
    result = fields.Dict(allow_none=True)
    download_url = fields.Str(allow_none=True, metadata={"description": "导出完成后的下载地址"})
    created_at = fields.Str(allow_none=True)
    finished_at = fields.Str(allow_none=True)


@bp.route("/<int:run_id>", methods=["GET"])
@bp.response(200, JobOut)
@login_required
def job_status(run_id: int):
    """一项后台任务的进度（本人发起的，或组织方）"""
    run = jobs.get_run(current_user, run_id)
    out = jobs.run_payload(run)
    done_file = run.status == "done" and (out["result"] or {}).get("file")
    out["download_url"] = url_for("reports.export_download", run_id=run.id) if done_file else None
    return out
