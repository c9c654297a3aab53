"""Thin query functions: visible records turned into the plain values that `analysis/` takes."""
