"""The monthly SIB cycle: which SBX went, what ANS answered, what is still to fix."""
