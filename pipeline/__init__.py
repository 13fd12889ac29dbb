"""scr-themes: read safeguarding review reports, tag risk factors and learning, cluster recurring themes.

Each stage is a module with a plain function at its heart (records in, records out); the CLI
(`pipeline.cli`), the refresh job (`pipeline.ops`) and the web app (`pipeline.web`) are thin callers.
Nothing heavy happens at import time.
"""

__version__ = "0.1.0"
