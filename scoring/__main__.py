"""Run the command line: python -m scoring."""

import sys

from scoring.cli import main, results_only_on_stdout

results_only_on_stdout()
sys.exit(main())
