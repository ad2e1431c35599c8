"""Comparing CNX conferences: what ANS changed between two snapshots of one operator."""
