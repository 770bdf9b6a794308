"""Demo policies: the demo city's policy file (seed/policies/<city code>.json) stored as the
first version of the catalogue, loaded by `flask seed`; kept if a version already exists."""

from datetime import datetime

from jobfair.policies import store
from jobfair.seeding import Tally, write_transaction


def seed_demo(now: datetime) -> Tally:
    tally = Tally()
    with write_transaction():
        if store.store_seed() is not None:
            tally.add("政策文件")
        else:
            tally.keep("政策文件")
    return tally
