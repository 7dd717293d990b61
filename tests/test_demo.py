"""The main job, as the README's first command runs it: ``python -m demo``."""
import subprocess
import sys

from helpers import framework_notices


def test_demo_runs_and_its_output_is_clean(tmp_path):
    """Every step ends, and no process it starts (nbgrader, the sandbox, the quiz's PDF workers)
    lets TensorFlow's notices through: the output is the demo's own."""
    proc = subprocess.run([sys.executable, "-m", "demo", "--out", str(tmp_path / "course")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "[5/5]" in proc.stdout and "걸린 시간" in proc.stdout
    assert (tmp_path / "course" / "quiz" / "9-2" / "handout.pdf").stat().st_size > 0
    assert framework_notices(proc.stdout + proc.stderr) == []
