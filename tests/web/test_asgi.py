"""The server's entry point tunes the garbage collector for thousands of held sockets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_the_server_app_freezes_its_start_up_heap(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEND_")}
    env.update(TEND_DATA_DIR=str(tmp_path), TEND_SECRET_KEY="asgi-test-" + "k" * 32,
               TEND_ENVIRONMENT="development", TEND_MAIL_FETCH="false")
    code = ("import gc, json; from tend.web.asgi import GC_THRESHOLDS, from_env; app = from_env(); "
            "print(json.dumps([gc.get_threshold(), GC_THRESHOLDS, gc.get_freeze_count(), "
            "sorted(app.direct_sockets())]))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout
    thresholds, wanted, frozen, sockets = json.loads(out.strip().splitlines()[-1])
    assert thresholds == wanted and wanted[0] > 700
    assert frozen > 10_000  # modules, classes, routes, schemas
    assert sockets == ["/agent/live", "/widget/live"]
