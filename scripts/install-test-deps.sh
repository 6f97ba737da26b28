#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages. Idempotent: a no-op when everything is there.
set -euo pipefail
echo "test dependencies: nothing beyond npm packages yet"
