#!/usr/bin/env bash
# curl, with which the API's browser journey reads figures from the command line, as an
# analyst would. Installs Debian's package if it is missing.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v curl >/dev/null; then
  echo "ensure_curl: installing curl" >&2
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl >&2
fi
