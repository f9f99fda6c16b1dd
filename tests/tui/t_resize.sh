#!/usr/bin/env bash
# Live resizing: 80x24 -> 40x16 -> 30x10 (too small) -> 120x40 (list and
# detail side by side), with no crash and nothing typed lost.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

start 80 24
expect "My open work" "80x24: home"
keys 2
expect "Work orders 1/" "80x24: the list"
keys j j
resize 40 16
expect "3/" "40x16: the list keeps its place after shrinking"
expect "2WO" "40x16: the handheld key bar"
resize 30 10
expect "Terminal too small" "30x10: a too-small screen instead of a crash"
expect "need at least 40x16" "30x10: it says what size is needed"
keys j
resize 120 40
expect "│" "120x40: list and detail side by side"
expect "Work orders 3/" "120x40: the cursor kept its row through it all"
expect "Codes: problem" "120x40: the selected work order's detail shows"
expect "1 Home" "120x40: the desk key bar"
check "120x40: wrench is still running" bash -c "! tmux -L $T_SOCK capture-pane -p -t main | grep -q EXITED"
# A form keeps its text through a resize.
keys c
wait_for "New work order"
keys "Typed before resize"
resize 40 16
expect "Typed before resize" "40x16: the form text survives the resize"
resize 20 8
expect "Terminal too small" "20x8: too small while editing"
resize 80 24
expect "Typed before resize" "80x24: the text is still there"
keys Escape
keys q
keys y
keys Q
expect "EXITED 0" "Q quits with status 0"
finish
