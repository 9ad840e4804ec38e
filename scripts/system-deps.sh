#!/usr/bin/env bash
# Install the Debian packages the browser tests need (Chromium + ChromeDriver), when missing and allowed.
set -u
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: chromium/chromedriver missing and not root: browser tests will be skipped" >&2
  exit 0
fi
echo "installing chromium and chromium-driver (Debian packages) for the browser tests..." >&2
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
  || echo "note: could not install chromium: browser tests will be skipped" >&2
exit 0
