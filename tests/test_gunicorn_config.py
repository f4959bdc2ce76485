"""The settings gunicorn runs with, as `make serve` and the bench start it
(deploy/gunicorn.conf.py)."""

import gc
import runpy
from pathlib import Path

from gunicorn.config import Config

CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def test_a_worker_runs_the_cycle_collector_less_often():
    config = runpy.run_path(str(CONFIG))
    assert "post_worker_init" in Config().settings  # a hook gunicorn calls, by that name
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)  # Python's default
        config["post_worker_init"](worker=None)
        assert gc.get_threshold() == config["GC_THRESHOLDS"] == (50_000, 20, 100)
    finally:
        gc.set_threshold(*before)
