"""The annual accountability report: what an organisation (or every organisation of a metropolis) did abroad
in a year, what it cost, what it achieved, its negative externalities, and the sources of each fact.

`gather.build_report` reads everything through the apps' gates for one reader; `render` turns it into HTML
or PDF. The public report is built for an anonymous reader (public, published records and approved values
only); the workspace report for a signed-in member also includes what their workspace may read.
"""
