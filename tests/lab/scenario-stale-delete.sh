#!/usr/bin/env bash
# scenario-stale-delete.sh OUTDIR: scenario-stale-insert.sh with rules deleted
# after the trace instead of inserted.
STALE_MODE=delete exec "$(dirname "$0")/scenario-stale-insert.sh" "$@"
