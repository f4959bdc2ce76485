#!/usr/bin/env bash
# Node.js 20 or newer and npm, for the OpenID Connect provider the sign-in tests run against
# (tests/oidc_provider). Installs Debian's packages if they are missing; fails loudly if the
# Node.js it finds is too old.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "ensure_node: installing nodejs and npm" >&2
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >&2
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "ensure_node: Node.js $(node --version) is too old; the sign-in tests' provider needs 20 or newer (https://github.com/nodesource/distributions)." >&2
  exit 1
fi
