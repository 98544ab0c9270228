import subprocess
import sys


def test_commands_can_be_written_with_hyphens():
    result = subprocess.run(
        [sys.executable, "-m", "rankfile", "import-members", "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "--dry-run" in result.stdout
