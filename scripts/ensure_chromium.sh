#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (Playwright's own download does not
# work on our machines). Fails loudly if it cannot be installed or cannot start.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ]; then
  echo "ensure_chromium: installing chromium" >&2
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >&2
fi
# Its messages are shown only if it fails: Debian's launcher prints a harmless complaint about
# /dev/shm's size on some machines, which looks like an error on every `make run`.
if ! said=$(/usr/bin/chromium --headless --no-sandbox --disable-gpu \
  --disable-background-networking --disable-component-update --no-first-run --version \
  2>&1 >/dev/null); then
  echo "ensure_chromium: Chromium does not start: $said" >&2
  exit 1
fi
