#!/usr/bin/env bash
# Install the Debian packages the tests need, when missing and allowed (root with apt-get):
# Chromium + ChromeDriver for the browser tests, PostgreSQL for the shared-store tests (the tests
# start their own throw-away server; nothing is left running). Missing packages make those tests skip.
set -u
need=()
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  need+=(chromium chromium-driver)
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  need+=(postgresql)
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: ${need[*]} missing and not root: the tests that need them will be skipped" >&2
  exit 0
fi
echo "installing ${need[*]} (Debian packages) for the browser and PostgreSQL tests..." >&2
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null) \
  || echo "note: could not install ${need[*]}: the tests that need them will be skipped" >&2
exit 0
