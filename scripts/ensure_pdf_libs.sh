#!/usr/bin/env bash
# The system libraries WeasyPrint draws PDFs with (board reports): Pango, and a font with the
# characters the reports use. Installed from Debian if missing; fails loudly if it cannot.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

have() { ldconfig -p | grep -q "$1"; }
if ! have libpango-1.0.so.0 || ! have libpangoft2-1.0.so.0 || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
  echo "ensure_pdf_libs: installing Pango and DejaVu fonts for PDF reports" >&2
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >&2
fi
