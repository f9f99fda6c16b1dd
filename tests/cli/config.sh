# config.sh - the configuration file ($XDG_CONFIG_HOME/wrench/config, else
# ~/.config/wrench/config): --print-config shows every setting with its
# value and origin; a bad line is named by file and line on stderr and the
# default stays; the environment (WRENCH_REQUIRE_CODES, WRENCH_SCAN_*) wins
# over the file and --db over both, and a bad variable is named while the
# file's value stays; database = PATH is the database without --db;
# require_codes = yes refuses completing corrective work without codes.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2024-05-20
CONF="$XDG_CONFIG_HOME/wrench/config"
mkdir -p "$XDG_CONFIG_HOME/wrench"

# ---- no file: every setting at its default
run "$WRENCH" --print-config
check_rc "--print-config without a file" 0
assert_contains "database default" "$OUT" "database = $XDG_DATA_HOME/wrench/wrench.db  # default"
assert_contains "require_codes default" "$OUT" "require_codes = no  # default"
assert_contains "scanner window default" "$OUT" "scan.window_ms = 75  # default"
assert_contains "scanner prefix default" "$OUT" 'scan.prefix = ""  # default'
assert_contains "scanner suffix default" "$OUT" "scan.suffix = enter,tab  # default"
assert_contains "a binding" "$OUT" "bind.quick_create = c  # default"
assert_contains "a binding with several keys" "$OUT" "bind.save = s F2 ^S  # default"
assert_contains "a colour" "$OUT" "color.selection = black,cyan  # default"
assert_eq "no message without a file" "" "$ERR"

# ---- a file: each value and the line it came from
cat >"$CONF" <<'EOF'
# my settings
require_codes = yes

bind.quick_create = x
color.selection = "white, red"
scan.window_ms = 50
scan.prefix = ^B
scan.suffix = Tab
database = /nowhere/one.db
database = /nowhere/two.db
EOF
run "$WRENCH" --print-config
check_rc "--print-config with a file" 0
assert_contains "require_codes from line 2" "$OUT" "require_codes = yes  # $CONF:2"
assert_contains "a binding from line 4" "$OUT" "bind.quick_create = x  # $CONF:4"
assert_contains "a colour from line 5" "$OUT" "color.selection = white,red  # $CONF:5"
assert_contains "the scanner window from line 6" "$OUT" "scan.window_ms = 50  # $CONF:6"
assert_contains "the scanner prefix from line 7" "$OUT" "scan.prefix = ^B  # $CONF:7"
assert_contains "the scanner suffix from line 8" "$OUT" "scan.suffix = tab  # $CONF:8"
assert_contains "the last database line wins" "$OUT" "database = /nowhere/two.db  # $CONF:10"
WRENCH_REQUIRE_CODES=no run "$WRENCH" --print-config
assert_contains "the environment overrides the file" "$OUT" \
	"require_codes = no  # environment WRENCH_REQUIRE_CODES"
WRENCH_SCAN_WINDOW_MS=120 WRENCH_SCAN_SUFFIX=enter,tab WRENCH_SCAN_PREFIX= \
	run "$WRENCH" --print-config
check_rc "--print-config with scanner variables" 0
assert_contains "WRENCH_SCAN_WINDOW_MS overrides the file" "$OUT" \
	"scan.window_ms = 120  # environment WRENCH_SCAN_WINDOW_MS"
assert_contains "WRENCH_SCAN_SUFFIX overrides the file" "$OUT" \
	"scan.suffix = enter,tab  # environment WRENCH_SCAN_SUFFIX"
assert_contains "an empty WRENCH_SCAN_PREFIX means none" "$OUT" \
	'scan.prefix = ""  # environment WRENCH_SCAN_PREFIX'
assert_eq "good variables say nothing" "" "$ERR"
WRENCH_SCAN_WINDOW_MS=fast run "$WRENCH" --print-config
check_rc "a bad variable does not stop wrench" 0
assert_contains "a bad WRENCH_SCAN_WINDOW_MS is named with the value that stays" "$ERR" \
	"wrench: WRENCH_SCAN_WINDOW_MS: scanner window 'fast' must be a number of milliseconds from 5 to 1000; using scan.window_ms = 50 ($CONF:6)"
assert_contains "the file's window stays" "$OUT" "scan.window_ms = 50  # $CONF:6"
run "$WRENCH" --db "$TMP/x.db" --print-config
assert_contains "--db overrides the file" "$OUT" "database = $TMP/x.db  # option --db"

# ~/.config/wrench/config when XDG_CONFIG_HOME is not set.
mkdir -p "$HOME/.config/wrench"
printf 'bind.top = T\n' >"$HOME/.config/wrench/config"
run env -u XDG_CONFIG_HOME "$WRENCH" --print-config
assert_contains "~/.config/wrench/config without XDG_CONFIG_HOME" "$OUT" \
	"bind.top = T  # $HOME/.config/wrench/config:1"

# ---- bad lines: named by file and line, the default stays, wrench runs
cat >"$CONF" <<'EOF'
bind.quick_create = x
colour.x = red
require_codes = maybe
scan.window_ms = 0
bind.top = Hyper
color.title = purple
just words
database = "/unclosed
EOF
run "$WRENCH" --print-config
check_rc "bad lines do not stop wrench" 0
assert_contains "unknown key" "$ERR" "wrench: $CONF:2: unknown key 'colour.x' (line ignored)"
assert_contains "bad yes/no" "$ERR" "$CONF:3: require_codes: 'maybe' is not yes or no"
assert_contains "bad window" "$ERR" "$CONF:4: scan.window_ms: scanner window '0' must be"
assert_contains "bad key" "$ERR" "$CONF:5: bind.top: 'Hyper' is not a key"
assert_contains "bad colour" "$ERR" "$CONF:6: color.title: 'purple'"
assert_contains "no '='" "$ERR" "$CONF:7: expected 'key = value'"
assert_contains "unclosed quote" "$ERR" "$CONF:8: the quote is not closed"
assert_contains "the good line is taken" "$OUT" "bind.quick_create = x  # $CONF:1"
assert_contains "require_codes keeps its default" "$OUT" "require_codes = no  # default"
assert_contains "bind.top keeps its default" "$OUT" "bind.top = g Home  # default"
assert_contains "color.title keeps its default" "$OUT" "color.title = white,blue  # default"
assert_contains "database keeps its default" "$OUT" \
	"database = $XDG_DATA_HOME/wrench/wrench.db  # default"

# ---- database = PATH: the database of every command without --db
printf 'database = %s/plant.db\n' "$TMP" >"$CONF"
run "$WRENCH" init
check_rc "init on the configured database" 0
[ -s "$TMP/plant.db" ] && pass || fail "init did not create the configured database"
[ ! -e "$XDG_DATA_HOME/wrench/wrench.db" ] && pass || fail "init used the default path"
printf 'tag,name,class\nP-1,Feed pump,pump\n' >"$TMP/assets.csv"
run "$WRENCH" import assets "$TMP/assets.csv"
check_rc "import into the configured database" 0
run "$WRENCH" asset list --format csv
assert_contains "the configured database is read" "$OUT" "P-1"

# ---- require_codes = yes: corrective work needs its codes to be done
printf 'database = %s/plant.db\nrequire_codes = yes\n' "$TMP" >"$CONF"
run "$WRENCH" wo new --asset P-1 --title "Needs codes"
N=$OUT
run "$WRENCH" wo done "$N" --problem LEAK
check_rc "require_codes = yes: done without cause and remedy is refused" 1
assert_contains "the refusal names the missing codes" "$ERR" "cause, remedy codes"
WRENCH_REQUIRE_CODES=0 run "$WRENCH" wo done "$N" --problem LEAK
check_rc "WRENCH_REQUIRE_CODES=0 overrides the file" 0
printf 'database = %s/plant.db\nrequire_codes = no\n' "$TMP" >"$CONF"
run "$WRENCH" wo new --asset P-1 --title "Needs codes too"
N=$OUT
WRENCH_REQUIRE_CODES=1 run "$WRENCH" wo done "$N" --problem LEAK
check_rc "WRENCH_REQUIRE_CODES=1 overrides require_codes = no" 1

finish
