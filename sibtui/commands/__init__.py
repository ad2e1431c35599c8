"""One module per CLI command: `run(options)` calls the core, prints, returns the exit code."""

EXIT_OK = 0
EXIT_PROBLEM = 1  # something to look at: a bad file, a hash mismatch, an error finding
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
