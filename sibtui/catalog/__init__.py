"""Format knowledge as data: fields, domains, element trees, tables, error hints.

Nothing here parses or renders; everything else in sibtui reads from here.
"""
