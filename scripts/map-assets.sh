#!/usr/bin/env bash
# Install the country outlines the web UI and reports draw maps from: the npm package world-atlas
# (Natural Earth countries-110m as TopoJSON), pinned, into the git-ignored build/ folder.
# Nothing is fetched at run time; without this file maps fall back to a plain lat/lon grid.
set -u
DEST="${1:-build/map-assets}"
TARGET="$DEST/node_modules/world-atlas/countries-110m.json"
if [ -f "$TARGET" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "note: npm missing: maps will show a plain grid instead of country outlines" >&2
  exit 0
fi
mkdir -p "$DEST"
npm install --silent --no-audit --no-fund --prefix "$DEST" world-atlas@2.0.2 >/dev/null \
  || echo "note: could not install world-atlas: maps will show a plain grid" >&2
exit 0
