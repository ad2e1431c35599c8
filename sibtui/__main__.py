"""`python -m sibtui` runs the command line (Ctrl+C taken over first: `sibtui.entry`)."""

import sys

from sibtui.entry import main

sys.exit(main())
