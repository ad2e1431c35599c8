"""The team's explanations of RPX error codes: kept in the workspace, shared as a small file."""
