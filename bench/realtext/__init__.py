"""The real-text development set (issue 18): URLs, checksums and hand labels of third-party reports, never the texts.

``python -m bench.realtext.rebuild`` lays a folder of saved texts out for ``python -m geodata evaluate``.
"""
