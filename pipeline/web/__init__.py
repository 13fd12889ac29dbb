"""The web page and JSON API (`scr serve`): FastAPI over a read-only store connection."""
