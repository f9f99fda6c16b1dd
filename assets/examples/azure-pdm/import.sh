#!/bin/bash
# import.sh DATA_DIR DB - loads Microsoft's public Azure predictive-maintenance
# sample (PdM_machines.csv, PdM_maint.csv, PdM_failures.csv) into a wrench
# database, through wrench's own CSV import.  See README.md beside this file
# for what becomes what.
#
#   bash assets/examples/azure-pdm/import.sh ../shared/data/azure-pdm /tmp/azure.db
#
# WRENCH may name the wrench binary; otherwise `wrench` on PATH is used, else
# ./wrench at the top of this repository.  Running it twice changes nothing
# the second time (import matches rows on their keys).
set -eu

prog=$(basename "$0")
die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

if [ $# -ne 2 ]; then
	printf 'usage: %s DATA_DIR DB\n' "$prog" >&2
	printf '  DATA_DIR holds PdM_machines.csv, PdM_maint.csv and PdM_failures.csv\n' >&2
	exit 2
fi
data=$1
db=$2

[ -d "$data" ] || die "data folder '$data' does not exist; give the folder holding PdM_machines.csv"
for f in PdM_machines.csv PdM_maint.csv PdM_failures.csv; do
	[ -r "$data/$f" ] || die "'$data/$f' is missing or unreadable; the data folder needs PdM_machines.csv, PdM_maint.csv and PdM_failures.csv"
done

if [ -n "${WRENCH:-}" ]; then
	wrench=$WRENCH
elif command -v wrench >/dev/null 2>&1; then
	wrench=$(command -v wrench)
else
	root=$(cd "$(dirname "$0")/../../.." && pwd)
	wrench=$root/wrench
fi
[ -x "$wrench" ] || die "cannot run '$wrench'; build wrench first (make) or set WRENCH to the binary"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/azure-pdm.XXXXXX") || die "cannot make a temporary folder"
trap 'rm -rf "$tmp"' EXIT

# Machines become assets M001..M100 (class = the model), installed on
# 1 January of (2020 - age); each machine's four components become child
# assets M001-comp1 .. M001-comp4 (class = the component), whose install
# date is left unknown: their first recorded replacement starts their first
# observed life.
awk -F, '
	{ gsub(/"|\r/, "") }
	NR == 1 {
		if ($1 != "machineID" || $2 != "model" || $3 != "age") {
			printf "PdM_machines.csv: expected the columns machineID,model,age, found %s\n", $0 > "/dev/stderr"
			exit 1
		}
		print "tag,name,class,parent,install_date,model"
		next
	}
	NF >= 3 && $1 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ {
		m = sprintf("M%03d", $1)
		printf "%s,Machine %d,%s,,%04d-01-01,%s\n", m, $1, $2, 2020 - $3, $2
		for (c = 1; c <= 4; c++)
			printf "%s-comp%d,Machine %d component %d,comp%d,%s,,\n", m, c, $1, c, c, m
	}
' "$data/PdM_machines.csv" >"$tmp/assets.csv" || die "cannot read $data/PdM_machines.csv"

# Every replacement is an event of its component: "failure" when the same
# machine, component and time is in PdM_failures.csv (coded with the
# component), otherwise "replacement".  A failure missing from the
# maintenance log is still recorded; repeated lines count once.
awk -F, '
	{ gsub(/"|\r/, "") }
	FNR == 1 {
		file++
		want = file == 1 ? "failure" : "comp"
		if ($1 != "datetime" || $2 != "machineID" || $3 != want) {
			printf "%s: expected the columns datetime,machineID,%s, found %s\n", FILENAME, want, $0 > "/dev/stderr"
			bad = 1
			exit 1
		}
		if (file == 2)
			print "asset,date,event,code,notes"
		next
	}
	NF < 3 || $2 !~ /^[0-9]+$/ { next }
	{ key = sprintf("M%03d-%s,%s", $2, $3, $1) }
	file == 1 { failed[key] = 1; next }
	!(key in seen) {
		seen[key] = 1
		split(key, k, ",")
		if (key in failed)
			printf "%s,%s,failure,%s,\n", k[1], k[2], $3
		else
			printf "%s,%s,replacement,,\n", k[1], k[2]
	}
	END {
		if (bad)
			exit 1
		for (key in failed)
			if (!(key in seen)) {
				split(key, k, ",")
				c = k[1]
				sub(/^M[0-9]+-/, "", c)
				printf "%s,%s,failure,%s,\n", k[1], k[2], c
			}
	}
' "$data/PdM_failures.csv" "$data/PdM_maint.csv" >"$tmp/history.csv" ||
	die "cannot read the maintenance and failure logs in $data"

"$wrench" --db "$db" init
"$wrench" --db "$db" import assets "$tmp/assets.csv"
"$wrench" --db "$db" import history "$tmp/history.csv"
