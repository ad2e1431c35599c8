"""Regenerating SBX files: plan (what goes and why), rows (in submission order), the writer
with its atomic publication, the re-read that proves the file, and the log in the workspace."""
