"""GPU and CPU references agree within the tolerance policy (only where this machine has a GPU).

The references are float64 and TF32 is switched off (reference.configure_backend), so a GPU
must give the CPU's values to within 1e-12 relative; feedback's tolerance is 1e-6 (float64) and
1e-4 (float32). CI has no GPU: there this test is skipped and proves nothing.
"""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder.settings import REPO_ROOT
from autograder.workers.cluster import machine_has_gpu

HERE = Path(__file__).parent


def _values(tmp_path, name, env):
    out = tmp_path / f"{name}.npz"
    subprocess.run([sys.executable, str(HERE / "backend_values.py"), str(out)], check=True, cwd=REPO_ROOT,
                   env={**os.environ, **env}, capture_output=True)
    return dict(np.load(out))


@pytest.mark.skipif(not machine_has_gpu(), reason="no GPU on this machine")
def test_gpu_references_match_cpu(tmp_path):
    cpu = _values(tmp_path, "cpu", {"CUDA_VISIBLE_DEVICES": ""})
    gpu = _values(tmp_path, "gpu", {})
    cpu.pop("backend"), gpu.pop("backend")
    for name, want in cpu.items():
        got = gpu[name]
        rel = np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-300) if want.size else 0.0
        assert rel <= 1e-12, (name, rel)
