"""`python -m sibtui` runs the command line."""

import sys

from sibtui.cli import main

sys.exit(main())
