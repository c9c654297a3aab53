"""No models: the data version is a plain table created with its triggers after every migrate (version.py).

This module exists so that Django sends this app the post_migrate signal (it skips apps without one).
"""
