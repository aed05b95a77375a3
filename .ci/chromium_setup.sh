#!/usr/bin/env bash
# Headless Chromium for the HTML report test (tests/test_report_chromium.py). A large install, so
# only the CI step that needs it runs this, not run_sim.sh. Idempotent.
set -euo pipefail
packages=(chromium python3-matplotlib python3-pil)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "chromium_setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
