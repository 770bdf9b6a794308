"""The search bench's corpus: generated positions in a migrated database (bench/search.py).

Positions with realistic Chinese titles, companies, districts and descriptions across the 2022
occupation classification (common job-board occupations more often), inserted in bulk into a
fresh SQLite file or an empty PostgreSQL database, tokens from segment_for_index. Never run
by the test suite.
"""

import os
import random
import re
import shutil
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project, above bench/support/
RESULTS = ROOT / "bench" / "results"
SEED = 20260301

DISTRICTS = [
    ("江宁区", 18), ("浦口区", 10), ("栖霞区", 10), ("雨花台区", 8), ("鼓楼区", 10),
    ("秦淮区", 9), ("玄武区", 7), ("建邺区", 8), ("六合区", 8), ("溧水区", 6), ("高淳区", 6),
]  # fmt: skip
STREETS = ["科学园", "开发区", "工业园", "高新区", "街道", "经济开发区", "产业园", "物流园"]
ROADS = ["胜太路", "天元中路", "宁六路", "江北大道", "中山北路", "应天大街", "雨花大道",
         "龙蟠路", "江东中路", "宁溧路", "淳溪大道", "迈皋桥", "马群", "燕子矶"]  # fmt: skip
COMPANY_WORDS = ["华东", "金陵", "江宁", "长江", "紫金", "秦淮", "钟山", "扬子", "江北", "玄武",
                 "栖霞", "新港", "宁南", "石城", "白下", "莫愁", "雨花", "固城湖", "石臼湖", "六合"]  # fmt: skip
INDUSTRIES = ["机械制造", "钢结构", "汽车零部件", "电子科技", "物流", "仓储", "养老服务", "家政服务",
              "物业管理", "餐饮管理", "水产养殖", "农业发展", "商贸", "建筑工程", "新材料", "医疗器械",
              "供应链", "食品", "服装", "信息技术"]  # fmt: skip
BENEFITS = ["缴纳五险一金", "提供免费工作餐", "包住宿", "提供员工宿舍", "月休四天", "节日福利",
            "年底双薪", "带薪年假", "定期体检", "班车接送", "岗前技能培训", "满勤奖", "高温补贴",
            "夜班补贴", "工龄工资", "包吃包住", "交通补贴", "购买商业保险"]  # fmt: skip
GENERIC_REQS = ["身体健康，吃苦耐劳", "责任心强，服从安排", "有相关工作经验者优先",
                "能适应倒班", "年龄18至55周岁", "沟通能力强", "持有相关职业资格证书者优先",
                "欢迎退役军人报名", "欢迎就业困难人员报名", "接受应届毕业生", "会使用电脑办公软件",
                "能吃苦，不怕脏累", "遵守安全操作规程"]  # fmt: skip

# Popular jobs: (occupation code, weight, titles, duties, requirements, salary range).
POPULAR = [
    ("6-18-02-04", 6, ["电焊工", "二保焊工", "氩弧焊工", "钢结构焊工", "船体电焊工", "焊接学徒"],
     ["负责钢结构件的焊接作业", "按图纸完成不锈钢管道氩弧焊接", "熟练使用二氧化碳保护焊，焊缝平整",
      "负责焊接设备的日常保养"], ["持焊工证", "有两年以上焊接经验", "能看懂焊接图纸"], (6000, 13000)),
    ("6-30-05-01", 4, ["叉车司机", "叉车工", "厂内叉车司机", "仓库叉车工"],
     ["驾驶叉车完成原材料和成品的装卸转运", "做好叉车日常点检和充电", "配合仓库完成出入库"],
     ["持叉车证", "一年以上叉车驾驶经验"], (5500, 8500)),
    ("4-10-01-05", 4, ["养老护理员", "护理员（养老院）", "居家养老护理员", "养老护理组长"],
     ["照护失能、半失能老人的日常起居", "协助老人进食、清洁和康复活动", "做好护理记录和交接班"],
     ["有爱心和耐心", "持养老护理员证书者优先", "可接受零基础，提供免费培训"], (4500, 7000)),
    ("4-14-01-02", 2, ["医院护工", "护工", "陪护员"],
     ["病房陪护，协助患者翻身、进食", "协助护士做好病区生活护理"], ["吃苦耐劳", "能适应夜班"],
     (4500, 6500)),
    ("5-04-02-01", 1, ["水产养殖员", "河蟹养殖工", "鱼塘管理员", "水产养殖技术员"],
     ["负责河蟹、鳜鱼的投喂和塘口巡查", "检测水质并做好记录", "配合技术员做好病害防治"],
     ["熟悉水产养殖", "欢迎退捕渔民报名"], (4500, 7500)),
    ("5-04-03-01", 1, ["捕捞工（季节性）", "渔船船员", "湖泊捕捞工"],
     ["湖泊秋季起捕，随船作业", "负责渔具的整理与维护"], ["会游泳", "能适应水上作业"], (5000, 8000)),
    ("2-06-03-00", 3, ["会计", "出纳", "总账会计", "财务专员", "会计助理"],
     ["负责日常账务处理和凭证审核", "编制月度财务报表", "办理纳税申报"],
     ["会计相关专业", "大专以上学历", "熟练使用财务软件"], (5000, 10000)),
    ("6-25-04-07", 5, ["普工", "操作工", "流水线普工", "电子厂普工", "包装普工"],
     ["在流水线上完成电子产品的组装", "按作业指导书完成产品检验和包装", "保持工位整洁"],
     ["无经验可培训", "能适应两班倒"], (4500, 7000)),
    ("6-22-02-01", 3, ["汽车装配普工", "总装操作工", "汽车装调工"],
     ["负责汽车零部件的装配", "按工艺要求完成整车调试"], ["能吃苦耐劳", "服从生产安排"],
     (5500, 8500)),
    ("4-09-08-01", 3, ["保洁员", "商场保洁", "写字楼保洁员", "清洁工"],
     ["负责公共区域的清洁卫生", "垃圾分类收运"], ["身体健康", "责任心强"], (3000, 4500)),
    ("4-07-05-01", 3, ["保安员", "小区保安", "门岗保安"],
     ["负责门岗值守和来访登记", "夜间巡逻，做好安全防范"], ["退役军人优先", "持保安员证"],
     (3800, 5500)),
    ("4-02-07-08", 3, ["快递员", "快递收派员", "同城配送员"],
     ["负责片区快件的收取和派送", "使用手持终端完成签收"], ["会骑电动车", "熟悉本地道路"],
     (6000, 10000)),
    ("4-10-08-01", 2, ["外卖骑手", "网约配送员"],
     ["负责商圈内外卖订单配送"], ["自备电动车", "会使用智能手机"], (5000, 10000)),
    ("4-03-02-01", 2, ["厨师", "中餐厨师", "食堂厨师", "炒锅厨师"],
     ["负责员工食堂的菜品烹饪", "做好后厨卫生和食材管理"], ["持健康证", "包住"], (5000, 8000)),
    ("4-03-02-05", 3, ["餐厅服务员", "服务员", "传菜员"],
     ["负责餐厅点餐、传菜和收台", "热情接待顾客"], ["形象整洁", "能上晚班"], (3500, 5500)),
    ("4-01-02-04", 2, ["收银员", "超市收银员"], ["负责收银和对账", "整理货架"],
     ["细心", "会基本电脑操作"], (3500, 5000)),
    ("4-02-02-01", 2, ["商务司机", "班车司机", "驾驶员"],
     ["负责公司车辆驾驶和日常保养", "接送员工上下班"], ["持C1驾照", "三年以上驾龄"],
     (5500, 8000)),
    ("4-02-02-02", 2, ["货车司机", "重卡司机", "厢式货车司机"],
     ["负责城际货物运输", "做好车辆日常检查"], ["持B2驾照", "持A2驾照优先"], (7000, 12000)),
    ("4-02-05-01", 2, ["装卸工", "搬运工", "物流装卸工"],
     ["负责仓库货物的装卸搬运", "配合完成分拣"], ["身体强壮", "能吃苦"], (5000, 8000)),
    ("4-02-06-01", 2, ["仓管员", "仓库管理员", "库管"],
     ["负责仓库物料收发和盘点", "维护库存台账"], ["会使用电脑", "有仓库管理经验优先"],
     (4500, 7000)),
    ("6-31-01-03", 2, ["电工", "维修电工", "设备电工"],
     ["负责厂区电气设备的安装和维修", "做好配电房巡检"], ["持低压电工证", "两年以上经验"],
     (6000, 9500)),
    ("6-18-01-01", 2, ["数控车工", "CNC操作工", "车工"],
     ["操作数控车床完成零件加工", "能独立调机、编程"], ["看懂机械图纸", "会使用量具"],
     (6000, 10000)),
    ("4-01-02-01", 3, ["销售代表", "业务员", "销售专员", "区域销售"],
     ["开拓客户，完成销售任务", "维护老客户关系"], ["沟通能力强", "有驾照优先"], (5000, 15000)),
    ("4-07-02-03", 2, ["客服专员", "电话客服", "在线客服"],
     ["接听客户来电并解答咨询", "处理客户投诉并跟踪回访"], ["普通话标准", "打字速度快"],
     (4000, 6500)),
    ("4-10-01-06", 2, ["家政服务员", "保姆", "月嫂", "育婴员"],
     ["负责雇主家中的家务料理", "照护婴幼儿和产妇"], ["持健康证", "有经验者优先"], (5000, 12000)),
    ("6-31-03-05", 1, ["质检员", "品检员", "来料检验员"],
     ["负责产品的来料和出货检验", "填写检验报告"], ["会使用卡尺等量具", "细心"], (4500, 7000)),
]  # fmt: skip


def strip_marker(name: str) -> str:
    return re.sub(r"[A-Z/]+$", "", name)


def credit_code(n: int) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = "91320100" + f"{n:09d}"
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + alphabet[(31 - total % 31) % 31]


# --- data generation ---------------------------------------------------------------------------


def occupation_rows() -> list[dict]:
    import csv

    with open(ROOT / "jobfair" / "data" / "occupations-2022.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["level"] == "4"]
    seen, out = set(), []
    for r in rows:
        if r["code"] not in seen:
            seen.add(r["code"])
            out.append(r)
    return out


def generate_positions(n: int, n_employers: int, rng: random.Random) -> list[dict]:
    occupations = occupation_rows()
    codes = {r["code"] for r in occupations}
    popular = [p for p in POPULAR if p[0] in codes]
    pop_weights = [p[1] for p in popular]
    districts = [d for d, _ in DISTRICTS]
    dist_weights = [w for _, w in DISTRICTS]
    work_forms = ["full_time"] * 80 + ["part_time"] * 8 + ["temporary"] * 5 + ["seasonal"] * 3
    work_forms += ["flexible"] * 4
    channels = ["enterprise"] * 82 + ["trainee"] * 6 + ["public_welfare"] * 5
    channels += ["grassroots"] * 4 + ["public_sector"] * 3
    educations = ["none"] * 40 + ["junior"] * 20 + ["senior"] * 20 + ["college"] * 12
    educations += ["bachelor"] * 7 + ["master"]
    groups = ["graduate", "displaced_worker", "rural_migrant", "veteran", "urban_hardship",
              "zero_employment_household", "retired_fisher", "registered_poor"]  # fmt: skip
    now = datetime(2026, 11, 1, 9, 0)
    out = []
    for i in range(n):
        if rng.random() < 0.6:
            code, _, titles, duties, reqs, (lo, hi) = rng.choices(popular, pop_weights)[0]
            title = rng.choice(titles)
            duty = "；".join(rng.sample(duties, k=min(len(duties), rng.randint(1, 3))))
            req = "，".join(rng.sample(reqs, k=min(len(reqs), rng.randint(1, 2))))
        else:
            occ = rng.choice(occupations)
            code = occ["code"]
            aliases = [a for a in (occ["alias"] or "").split(",") if a and len(a) <= 12]
            title = strip_marker(
                rng.choice(aliases) if aliases and rng.random() < 0.5 else occ["name"]
            )
            duty = occ["definition"] or f"从事{strip_marker(occ['name'])}相关工作"
            req = "有相关工作经验者优先"
            lo = rng.choice([3500, 4000, 4500, 5000, 6000, 7000, 8000, 10000])
            hi = lo + rng.choice([1000, 2000, 3000, 5000])
        district = rng.choices(districts, dist_weights)[0]
        company = rng.choice(COMPANY_WORDS) + rng.choice(INDUSTRIES)
        benefits = "、".join(rng.sample(BENEFITS, k=rng.randint(2, 4)))
        address = f"{district}{rng.choice(ROADS)}{rng.randint(1, 300)}号"
        description = (
            f"{company}公司因业务发展招聘{title}{rng.randint(1, 20)}名。岗位职责：{duty}。"
            f"福利待遇：{benefits}。工作地点：南京市{district}{rng.choice(STREETS)}。"
        )
        requirements = f"{req}，{rng.choice(GENERIC_REQS)}。"
        salary_min = int(lo * rng.uniform(0.9, 1.1)) // 100 * 100
        salary_max = max(salary_min, int(hi * rng.uniform(0.9, 1.15)) // 100 * 100)
        roll = rng.random()
        status = "published" if roll < 0.9 else ("closed" if roll < 0.96 else "draft")
        published = now - timedelta(minutes=rng.randint(0, 180 * 24 * 60))
        deadline = None
        if rng.random() < 0.7:
            deadline = (published + timedelta(days=rng.randint(15, 400))).date()
        out.append(
            {
                "employer_id": 1 + i % n_employers,
                "title": title[:100],
                "description": description,
                "requirements": requirements,
                "occupation_code": code,
                "salary_min": salary_min,
                "salary_max": salary_max,
                "headcount": rng.randint(1, 30),
                "district": district,
                "address": address,
                "education": rng.choice(educations),
                "work_form": rng.choice(work_forms),
                "channel": rng.choice(channels),
                "deadline": deadline,
                "status": status,
                "review_flags": [],
                "review_note": "",
                "published_at": published if status != "draft" else None,
                "created_at": published,
                "updated_at": published,
                "_groups": rng.sample(groups, k=rng.choice([0, 0, 1, 1, 2, 3])),
                "_occ_text": "",
            }
        )
    return out


def _segment_chunk(chunk: list[tuple[str, str, str, str]]) -> list[str]:
    from jobfair.matching.text import segment_for_index

    return [segment_for_index(*texts) for texts in chunk]


def build_database(path: Path | None, n: int, url: str = "") -> None:
    """Migrate a fresh SQLite file (or the empty PostgreSQL database at url) and fill it with
    n positions (bulk inserts)."""
    import multiprocessing

    from sqlalchemy import create_engine, insert, text

    from jobfair import create_app
    from jobfair.extensions import db

    sqlite = not url
    if sqlite:
        tmp = path.with_suffix(".building")
        for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
            p.unlink(missing_ok=True)
        url = f"sqlite:///{tmp}"
    instance = Path(tempfile.mkdtemp(prefix="jobfair-bench-"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    app.instance_path = str(instance)
    from flask_migrate import upgrade

    t0 = time.perf_counter()
    with app.app_context():
        upgrade()
        db.engine.dispose()
    from jobfair.models import Employer, Position, PositionGroup, User

    rng = random.Random(SEED)
    n_employers = max(20, n // 50)
    rows = generate_positions(n, n_employers, rng)
    occ = {r["code"]: r for r in occupation_rows()}
    texts = []
    for r in rows:
        o = occ.get(r["occupation_code"])
        occ_text = ""
        if o:
            occ_text = o["name"] + " " + (o["alias"] or "").replace(",", " ")
        texts.append((r["title"], r["description"], r["requirements"], occ_text))
    print(f"  generated {n} positions in {time.perf_counter() - t0:.1f}s; segmenting…", flush=True)
    t1 = time.perf_counter()
    size = 2000
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 2) as pool:
        tokens = [tok for part in pool.map(_segment_chunk, chunks) for tok in part]
    print(f"  segmented in {time.perf_counter() - t1:.1f}s; inserting…", flush=True)
    t2 = time.perf_counter()
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    now = datetime(2026, 11, 1)
    with engine.begin() as conn:
        if sqlite:
            conn.execute(text("PRAGMA journal_mode=WAL"))
        conn.execute(
            insert(User.__table__),
            [
                {
                    "id": i,
                    "role": "employer",
                    "phone": f"138{i:08d}",
                    "name": f"招聘专员{i}",
                    "password_hash": "!",  # no password can match
                    "status": "active",
                    "must_change_password": False,
                    "created_at": now,
                    "password_changed_at": now,
                }
                for i in range(1, n_employers + 1)
            ],
        )
        conn.execute(
            insert(Employer.__table__),
            [
                {
                    "id": i,
                    "user_id": i,
                    "name": f"南京{rng.choice(COMPANY_WORDS)}{rng.choice(INDUSTRIES)}有限公司{i}",
                    "credit_code": credit_code(i),
                    "industry": rng.choice(INDUSTRIES),
                    "size": "100-499人",
                    "district": rng.choice(DISTRICTS)[0],
                    "address": "南京市",
                    "contact_name": "王经理",
                    "contact_phone": f"137{i:08d}",
                    "description": "",
                    "status": "verified",
                    "review_reason": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(1, n_employers + 1)
            ],
        )
        batch = 5000
        for start in range(0, n, batch):
            part = rows[start : start + batch]
            conn.execute(
                insert(Position.__table__),
                [
                    {
                        **{k: v for k, v in r.items() if not k.startswith("_")},
                        "id": start + j + 1,
                        "search_tokens": tokens[start + j],
                    }
                    for j, r in enumerate(part)
                ],
            )
            groups = [
                {"position_id": start + j + 1, "group_code": g}
                for j, r in enumerate(part)
                for g in r["_groups"]
            ]
            if groups:
                conn.execute(insert(PositionGroup.__table__), groups)
        if sqlite:  # merge the FTS5 segments written by the bulk load
            conn.execute(text("INSERT INTO positions_fts(positions_fts) VALUES ('optimize')"))
        else:  # ids were given explicitly: move the sequences past them
            for table in ("users", "employers", "positions"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        conn.execute(text("ANALYZE"))
    if sqlite:
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    if sqlite:
        tmp.replace(path)
        for p in (Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
            p.unlink(missing_ok=True)
    shutil.rmtree(instance, ignore_errors=True)
    print(f"  inserted in {time.perf_counter() - t2:.1f}s -> {path or url}", flush=True)
