"""Django-free analysis of plain records: the frameworks of DESIGN.md §3 (reliance matrix, profiles, comparisons)."""
