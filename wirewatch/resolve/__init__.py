"""Cross-article resolution: entity linking and offline geocoding of places."""
