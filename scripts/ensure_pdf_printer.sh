#!/usr/bin/env bash
# What prints board reports as PDF (reporting/pdf.py): Debian's Chromium, and fonts with the
# characters the reports use. Installed from Debian if missing; fails loudly if it cannot.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

bash "$(dirname "$0")/ensure_chromium.sh"
if [ ! -d /usr/share/fonts/truetype/dejavu ]; then
  echo "ensure_pdf_printer: installing DejaVu fonts for PDF reports" >&2
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-dejavu-core >&2
fi
