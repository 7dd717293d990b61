"""``python -m quizzes build|key|check|score``."""
import sys

from quizzes.cli import main

sys.exit(main())
