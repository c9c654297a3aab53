"""A cache of anonymous public responses and of token-authenticated API reads (kept apart per token), keyed
by a data version that every committed write bumps.

The version lives in one row (`metrodip_data_version`) that database triggers on every table update in the
same transaction as the change itself: ORM saves, bulk updates, raw SQL, imports run from the command line in
another process, a restore. A cached answer is only reused while the version it was stored under is still the
current one, so a reader never gets an answer older than the last acknowledged write.
"""
