"""Research queries over the store: hybrid sentence search, document screening, one document's view.

Everything here reads only (works on a read-only connection); the CLI and the web app call the same
functions.
"""
