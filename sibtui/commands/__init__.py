"""One module per CLI command: call the core, print the outcome, return the exit code."""
