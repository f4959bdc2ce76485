#!/usr/bin/env bash
# Node.js 20 or newer and npm, for the OpenID Connect provider the sign-in tests run against
# (tests/oidc_provider). Installs Debian's packages if they are missing. Debian 12's nodejs is
# 18, and a machine that reaches only the package registries cannot fetch Node.js from
# nodejs.org: so when the node found is older than 20, Node.js 20 comes from the npm registry
# (node-linux-<arch>: Node.js's own release build, packaged by the maintainers of the npm
# package `node`) into .cache/node, whose node_modules/.bin the Makefile and
# tests/oidc_provider.py put before the system's node.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
major() { node -p 'process.versions.node.split(".")[0]'; }

local_dir="$(cd "$(dirname "$0")/.." && pwd)/.cache/node"
PATH="$local_dir/node_modules/.bin:$PATH"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "ensure_node: installing nodejs and npm" >&2
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >&2
fi
if [ "$(major)" -lt 20 ]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "ensure_node: Node.js $(node --version) is too old (20 or newer is needed) and there is no npm package of Node.js 20 for $(uname -m)." >&2; exit 1 ;;
  esac
  echo "ensure_node: Node.js $(node --version) is too old; installing Node.js 20 from the npm registry into $local_dir" >&2
  npm install --prefix "$local_dir" --no-audit --no-fund "node-linux-$arch@20" >&2
  hash -r
  if [ "$(major)" -lt 20 ]; then
    echo "ensure_node: Node.js 20 did not install into $local_dir; node is still $(node --version)." >&2
    exit 1
  fi
fi
