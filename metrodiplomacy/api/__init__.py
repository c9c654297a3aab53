"""The JSON API under /api/v1/: the NinjaAPI object lives in `main`, each app contributes its `api.py`."""
