"""Exports of analysed corpora to formats other tools read (GeoJSON, ...)."""
