"""Runs many generated PyTorch scripts in one Python process, so the tests pay for importing torch once.

stdin: a JSON list of jobs {"script": path, "argv": [...]}; stdout: a JSON list of {"code", "stdout", "stderr"}.
Each script is loaded as its own module and its main(argv) called, with sys.argv[0] set to its path, exactly as
`python3 script argv...` would run it (a SystemExit is its exit code).
"""
import contextlib
import importlib.util
import io
import json
import os
import sys

os.environ.setdefault("OPENBLAS_CORETYPE", "Sandybridge")  # as tools/torch_fixtures.py pins it

import torch  # noqa: E402

torch.set_num_threads(1)
results = []
for number, job in enumerate(json.load(sys.stdin)):
    spec = importlib.util.spec_from_file_location(f"generated_{number}", job["script"])
    module = importlib.util.module_from_spec(spec)
    out, err = io.StringIO(), io.StringIO()
    sys.argv = [job["script"], *job["argv"]]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            spec.loader.exec_module(module)
            code = module.main(job["argv"])
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 2
    results.append({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
json.dump(results, sys.stdout)
