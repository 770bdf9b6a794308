"""`flask match …`: rebuild and persist the matching index, evaluate suggestion and recommendation."""

import csv
import time
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.matching.evaluation import (
    evaluate_recommendations,
    evaluate_suggestions,
    evaluate_uncoded_recommendations,
    load_posting_titles,
)
from jobfair.models.occupation import Occupation
from jobfair.models.position import Position
from jobfair.models.seeker import SeekerProfile
from jobfair.positions.indexing import index_position
from jobfair.recommendations import index
from jobfair.recommendations.index import get_engine
from jobfair.recommendations.inferred import refresh_all_seekers
from jobfair.recommendations.services import seeker_doc
from jobfair.seekers.services import index_profile

EVAL_CSV = Path(__file__).resolve().parent.parent / "data" / "eval" / "occupation-titles.csv"

match = AppGroup("match", help="岗位匹配：重建索引、评估效果")


@match.command("rebuild", help="从已保存的分词重建匹配索引并保存到 instance/（其他进程会自动载入）")
def rebuild():
    started = time.perf_counter()
    with writing():
        inferred = refresh_all_seekers()
        db.session.commit()
    index.build()
    holder = index._holder()
    path = index.save(holder)
    db.session.commit()
    with writing():
        pruned = index.prune_changes()
        db.session.commit()
    took = time.perf_counter() - started
    click.echo(
        f"匹配索引已重建：岗位 {holder.stats['positions']} 个，版本 {holder.version}，"
        f"构建 {holder.stats['seconds']:.2f} 秒，合计 {took:.2f} 秒；已保存到 {path}"
        + (f"；清理旧变更记录 {pruned} 条" if pruned else "")
        + (f"；更新推测职业的求职者 {inferred} 位" if inferred else "")
    )


@match.command(
    "resegment",
    help="按当前的文字规则重新分词全部岗位和求职者资料（文字规则改动后运行一次，再运行 flask match rebuild）",
)
def resegment():
    """Stored tokens are written when a record is saved; after a change to the text rules
    (jobfair.matching.text: markup, traditional characters ...) older records keep the old
    tokens until this re-writes those that differ."""

    def recompute(record, occupations: dict[str, Occupation]) -> None:
        if isinstance(record, Position):  # its occupation comes joined with it
            index_position(record, record.occupation)
        else:  # the wished occupations in the seeker's order, as saving does
            codes = record.desired_occupations or ()
            index_profile(record, [occupations[c] for c in codes if c in occupations])

    counts = {}
    for model in (Position, SeekerProfile):
        changed, last = 0, 0
        while True:
            with writing():
                batch = db.session.scalars(
                    select(model).where(model.id > last).order_by(model.id).limit(500)
                ).all()
                # The batch's wished occupations in one query, not one per seeker.
                codes = {c for r in batch for c in getattr(r, "desired_occupations", None) or ()}
                found = select(Occupation).where(Occupation.code.in_(codes))
                occupations = {o.code: o for o in db.session.scalars(found)} if codes else {}
                for record in batch:
                    before = record.search_tokens
                    recompute(record, occupations)
                    # The tokens are a bag of words: the same words in another order (the
                    # seeker's occupations listed otherwise) are no change worth a write.
                    if sorted(record.search_tokens.split()) != sorted(before.split()):
                        changed += 1
                    else:  # not dirty, so the index's change log does not list it
                        db.session.expunge(record)
                last = batch[-1].id if batch else last
                db.session.commit()
            if not batch:
                break
        counts[model] = changed
    click.echo(
        f"已按当前文字规则重新分词：岗位 {counts[Position]} 个、求职者资料 {counts[SeekerProfile]} 份有变化。"
        "请再运行 flask match rebuild 重建匹配索引。"
    )


def _read_eval(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@match.command("evaluate", help="评估职业识别（hit@k）和岗位推荐（precision@10）")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="标注好的岗位名称文件（title,code[,split]），默认 jobfair/data/eval/occupation-titles.csv",
)
def evaluate(csv_path):
    rows = _read_eval(Path(csv_path) if csv_path else EVAL_CSV)
    result = evaluate_suggestions(rows)
    click.echo(f"职业识别（{result['n']} 条标注的岗位名称）：")
    click.echo("  全部    " + _rates(result) + f"  每次 {result['ms_per_query']:.2f} ms")
    for name, part in result.get("splits", {}).items():
        click.echo(f"  {name:<6}" + _rates(part) + f"  （{part['n']} 条）")
    if not csv_path:  # the independent messy set, a generalisation check (see data/eval/README)
        messy = evaluate_suggestions(_read_eval(EVAL_CSV.with_name("occupation-titles-messy.csv")))
        click.echo("  杂乱标题" + _rates(messy) + f"  （{messy['n']} 条，独立编写的泛化检查）")
        posting = load_posting_titles()
        split = evaluate_suggestions(posting)["splits"]
        click.echo(f"招聘网站风格标题（{len(posting)} 条，按岗位词一次性分为调参/留出两半）：")
        for name, label in (("tune", "调参"), ("test", "留出")):
            part = split[name]
            click.echo(f"  {label}  " + _rates(part) + f"  （{part['n']} 条）")
        click.echo("无职业编码岗位的推荐 precision@10（同一职业），岗位取自同一半的标题：")
        for name, label in (("tune", "调参"), ("test", "留出")):
            r = evaluate_uncoded_recommendations(posting, name)
            click.echo(
                f"  {label}  只凭求职者文字 {r['text']:.3f}  说明期望职业 {r['wished']:.3f}"
                f"  （岗位 {r['positions']} 个，求职者 {r['seekers']} 位）"
            )

    engine = get_engine()
    seekers = []
    for profile in db.session.scalars(select(SeekerProfile).order_by(SeekerProfile.id)):
        doc = seeker_doc(profile)
        if doc is not None and profile.desired_occupations:
            seekers.append((doc, set(profile.desired_occupations)))
    precision = evaluate_recommendations(engine, seekers)
    click.echo(
        f"岗位推荐：precision@10 = {precision:.3f}"
        f"（{len(seekers)} 位填写了期望职业的求职者，岗位 {len(engine)} 个）"
    )


def _rates(r: dict) -> str:
    return f"  exact@1 {r['exact@1']:.3f}  exact@10 {r['exact@10']:.3f}  major@1 {r['major@1']:.3f}"
