"""Many processes, one workspace (see ARCHITECTURE.md, "Concurrency: many processes, one workspace").

DuckDB lets one process open a database file read-write. The first sibtui to open a
workspace owns it and answers the others over Arrow Flight on a Unix socket in an
owner-only directory; the others get a `RemoteWorkspace` whose cursors speak the subset of
DuckDB's cursor API sibtui uses, so the core runs unchanged on either side. When the owner
leaves while others still talk to it, a detached successor process takes the file over and
leaves once nobody has called it for a while.

Nothing here imports Textual; `opening.open_workspace` is the one seam the commands and the
console use.
"""
