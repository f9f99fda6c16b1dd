#!/usr/bin/env bash
# run.sh - runs every terminal-interface test (tests/tui/t_*.sh) and sums
# their results.  Needs tmux and a built ./wrench (or $WRENCH).
here=$(cd "$(dirname "$0")" && pwd)
export WRENCH_SRC=${WRENCH_SRC:-$(cd "$here/../.." && pwd)}
exec bash "$here/../run_scripts.sh" "terminal tests" "$here"/t_*.sh
