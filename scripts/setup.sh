#!/usr/bin/env bash
# Sets up a fresh Debian machine with Python 3.11: system packages, then .venv with the project.
#   bubblewrap     the student-code sandbox
#   fonts-nanum    Korean font for the quiz PDFs; poppler-utils to check them (pdftotext/pdffonts)
#   libpango*      WeasyPrint's text layout
#   chromium       the headless browser the grading server's page tests drive (Playwright, system browser)
#   postgresql     the grading server's tests run once against a throwaway PostgreSQL cluster
#   python3-seccomp  the tests reproduce a container whose seccomp filter denies namespaces (Docker's default)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in bubblewrap fonts-nanum poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 postgresql chromium python3-seccomp; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[cpu,test]"
echo "setup: ready ($(.venv/bin/python --version), keras $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("keras"))'))"
