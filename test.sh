#!/usr/bin/env bash
# The README's test command with the totals line; exactly what CI runs.
exec "$(dirname "$0")/.ci/run" "$@"
