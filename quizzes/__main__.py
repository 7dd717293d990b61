"""``python -m quizzes build|key|check|score|scan``."""
import sys

from quizzes.cli import main

sys.exit(main())
