"""sibtui: a review console for SIB/ANS files (SBX, RPX, CNX) over DuckDB."""

__version__ = "0.1.0"
