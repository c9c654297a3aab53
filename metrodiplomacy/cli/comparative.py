"""`metrodip compare` and `metrodip diagnose`: the study's comparative framework and its recommendations."""
