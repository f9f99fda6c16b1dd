# maximo.sh - a Maximo-style export (tests/data/maximo: the columns of
# Maximo's ASSET, LOCATIONS and WORKORDER objects, as MXASSET, MXOPERLOC and
# MXWO carry them; made for this test) imported as it is and checked field
# by field in what export gives back; then again, changing nothing.
. "$(dirname "$0")/lib.sh"

M=$WRENCH_SRC/tests/data/maximo

imp() {
	w import "$1" "$M/$1.csv"
	check_rc "$1" 0
	assert_contains "$1: $3" "$OUT" "$2 rows: $3"
}
imp locations 4 "4 inserted, 0 updated, 0 unchanged, 0 rejected"
imp assets 4 "4 inserted, 0 updated, 0 unchanged, 0 rejected"
imp workorders 7 "7 inserted, 0 updated, 0 unchanged, 0 rejected"

# ---- locations: DESCRIPTION is the name, TYPE the kind, LOCHIER_PARENT the
# parent; one without a parent is under its SITEID, a site made for it
w export locations
L=$OUT
assert_contains "the site, made" "$L" $'\nHRB,HRB,site,,'
assert_contains "under its site" "$L" $'\nPLANT1,Harbour Road Plant,OPERATING,HRB,'
assert_contains "under its parent" "$L" $'\nBOILERHSE,Boiler House,OPERATING,PLANT1,'
assert_contains "under its parent 2" "$L" $'\nPACKLINE2,Packing Line 2,OPERATING,PLANT1,'
assert_contains "no hierarchy row: under its site" "$L" $'\nSTORE1,Central Stores,STOREROOM,HRB,'

# ---- assets: ASSETNUM the tag, DESCRIPTION the name and the long
# description the description, Maximo's states, short years
w export assets
A=$OUT
assert_contains "OPERATING" "$A" $'\nB-101,Steam boiler 2 t/h,"Fire-tube boiler, natural gas burner",PRODUCTION,,BOILERHSE,3,operational,2018-06-01,SB-88123,THERMON,,'
assert_contains "BROKEN, parent, 6/15/18" "$A" $'\nP-204,Feedwater pump,,PRODUCTION,B-101,BOILERHSE,3,down,2018-06-15,FW-5521,GRUNDWERK,,'
assert_contains "NOT READY" "$A" $'\nC-330,Case sealer,Top and bottom tape heads,PRODUCTION,,PACKLINE2,3,standby,,CS-330-17,,,'
assert_contains "DECOMMISSIONED, 4/2/09" "$A" $'\nF-003,Forklift 3,,FLEET,,STORE1,3,retired,2009-04-02,FL3-0912,LIFTCO,,'

# ---- work orders: WONUM, DESCRIPTION the title, WORKTYPE, STATUS,
# WOPRIORITY (1 the most urgent), REPORTDATE, TARGCOMPDATE, ACTSTART,
# ACTFINISH, PROBLEMCODE, FAILURECODE (a failure), LEAD, ESTDUR
w export workorders
W=$OUT
assert_contains "COMP, EM, 1" "$W" $'\n1001,Feedwater pump seal leak,corrective,done,urgent,P-204,MLEE,JSMITH,2025-03-05,Seal weeping at the drive end,LEAK,,,yes,,,,4,2025-03-04 10:00:00,2025-03-04 11:30:00,2025-03-04 15:45:00,,,'
assert_contains "WSCH, PM, 3" "$W" $'\n1002,Annual boiler inspection,preventive,open,medium,B-101,,PLANNER,2025-03-31,,,,,no,,,,8,2025-03-01 08:00:00,,,,,'
assert_contains "INPRG, CM, 2, 3/4/25 10:00 AM" "$W" $'\n1003,Replace sealer tape head,corrective,in_progress,high,C-330,MLEE,AWONG,2025-03-06,,,,,no,,,,2.5,2025-03-04 10:00:00,2025-03-04 13:15:00,,,,'
assert_contains "WAPPR, 5" "$W" $'\n1004,Check forklift brakes,corrective,requested,low,F-003,,JSMITH,,,,,,no,,,,,2025-03-05 07:40:00,,,,,'
assert_contains "CLOSE, PM times" "$W" $'\n1005,Burner flame failure,corrective,closed,urgent,B-101,MLEE,NIGHTSHIFT,2025-02-28,Flame scanner lost signal,NOFLAME,,,yes,,,,6,2025-02-27 18:15:00,2025-02-27 19:00:00,2025-02-28 09:00:00,,,'
assert_contains "CAN, 4" "$W" $'\n1006,Duplicate of 1004,corrective,cancelled,low,F-003,,AWONG,,,,,,no,,,,,2025-03-05 08:02:00,,,,,'
assert_contains "WMATL, CAL" "$W" $'\n1007,Calibrate steam pressure gauge,preventive,on_hold,medium,B-101,,PLANNER,2025-03-10,,,,,no,,,,1,2025-03-03 09:00:00,,,,,'

# ---- the finished failures are in the asset history
w export history
assert_contains "failure event 1001" "$OUT" $'\nP-204,2025-03-04 10:00:00,failure,LEAK,Feedwater pump seal leak,'
assert_contains "failure event 1005" "$OUT" $'\nB-101,2025-02-27 18:15:00,failure,NOFLAME,Burner flame failure,'

# ---- again: nothing changes
for e in locations assets workorders; do
	w import "$e" "$M/$e.csv"
	check_rc "$e again" 0
	assert_contains "$e again: unchanged" "$OUT" "0 inserted, 0 updated"
done
w export locations
assert_eq "locations again" "$L" "$OUT"
w export assets
assert_eq "assets again" "$A" "$OUT"
w export workorders
assert_eq "work orders again" "$W" "$OUT"

# ---- a flat file of Maximo's Integration Framework: its first line names
# the system and the interface, the column names follow
printf '%s\n' 'EXTSYS1,MXWOInterface,AddChange,EN' 'WONUM,DESCRIPTION,STATUS,WORKTYPE' \
	'1101,From the interface,APPR,PM' >"$TMP/flat.csv"
w import workorders "$TMP/flat.csv"
check_rc "interface line" 0
w export workorders
assert_contains "the row under the interface line" "$OUT" $'\n1101,From the interface,preventive,open,'

# ---- a day-first file's short years are day-first too
printf '%s\n' 'WONUM,DESCRIPTION,REPORTDATE' '2001,Short year,4/3/25 10:00' \
	'2002,Proves the order,25/3/25 08:00' >"$TMP/dmy.csv"
w import workorders "$TMP/dmy.csv"
check_rc "day-first short years" 0
w export workorders
assert_contains "4/3/25 is 4 March" "$OUT" $'\n2001,Short year,corrective,open,medium,,,,,,,,,no,,,,,2025-03-04 10:00:00,'

# ---- wrench's own description stays the description
printf '%s\n' 'number,description' '3001,Only a description' >"$TMP/own.csv"
w import workorders "$TMP/own.csv"
check_rc "own columns" 0
w export workorders
assert_contains "own description" "$OUT" $'\n3001,,corrective,open,medium,,,,,Only a description,'

finish
