#!/usr/bin/env bash
# Installs Debian's caddy if it is not already on PATH. Idempotent, non-interactive.
# The deploy tests (test/deploy/caddy.test.ts) start the real caddy binary.
set -euo pipefail

if command -v caddy >/dev/null 2>&1; then
  echo "caddy already installed: $(caddy version 2>/dev/null | head -n1)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends caddy >/dev/null

# Debian's package enables a systemd unit listening on :80; the tests start their
# own caddy on free loopback ports, so a system service is neither needed nor
# started here (no systemd in CI containers anyway).
echo "caddy installed: $(caddy version | head -n1)"
