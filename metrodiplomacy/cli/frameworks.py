"""`metrodip matrix`, `metrodip profiles` and `metrodip agreement`: the thesis' frameworks."""
