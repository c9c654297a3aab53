"""Database backends: Django's own, with what this application's deployment needs on top."""
