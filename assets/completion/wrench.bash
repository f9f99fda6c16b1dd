# bash completion for wrench(1): commands, subcommands, options, and file
# names where a command or an option takes a file.
#
# The words come from the wrench being completed (`wrench --complete-words
# [COMMAND [SUBCOMMAND]]`, one "KIND<TAB>WORD<TAB>VALUE<TAB>TEXT" line
# each), so they are always those of its own command table.  Installed by
# `make install` as share/bash-completion/completions/wrench; or source it.

# _wrench_field LINE N: the Nth tab-separated field of LINE (fields may be
# empty, which `read` with IFS=tab would not keep).
_wrench_field()
{
	local rest=$1 n=$2
	while [ "$n" -gt 1 ]; do
		case $rest in
		*$'\t'*) rest=${rest#*$'\t'} ;;
		*) rest= ;;
		esac
		n=$((n - 1))
	done
	printf '%s' "${rest%%$'\t'*}"
}

# _wrench_lookup LIST KIND WORD: the VALUE field of that line of LIST (empty
# for a flag); fails when LIST has no such line.
_wrench_lookup()
{
	local line
	while IFS= read -r line; do
		if [ "$(_wrench_field "$line" 1)" = "$2" ] && [ "$(_wrench_field "$line" 2)" = "$3" ]; then
			_wrench_field "$line" 3
			return 0
		fi
	done <<<"$1"
	return 1
}

# _wrench_kind LIST KIND: the WORD field of every line of that KIND.
_wrench_kind()
{
	local line
	while IFS= read -r line; do
		if [ "$(_wrench_field "$line" 1)" = "$2" ]; then
			_wrench_field "$line" 2
			printf '\n'
		fi
	done <<<"$1"
}

# _wrench_files CUR: file names, shown and quoted as such.
_wrench_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

# _wrench_value LIST OPTION CUR: completes the value of OPTION; only file
# names are known (a value named PATH, FILE, DIR or *.csv).
_wrench_value()
{
	local value
	value=$(_wrench_lookup "$1" option "$2") || return 1
	[ -n "$value" ] || return 1
	case $value in
	*PATH* | *FILE* | *DIR* | *.csv) _wrench_files "$3" ;;
	esac
	return 0
}

_wrench()
{
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD - 1]} list w i value
	local -a cmdpath=()

	COMPREPLY=()
	list=$("$prog" --complete-words 2>/dev/null) || return 0
	# Walk the words before the cursor: command words lead to their own
	# list; an option that takes a value skips it (bash splits --db=x into
	# --db, = and x).
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-*)
			value=$(_wrench_lookup "$list" option "$w") || continue
			if [ -n "$value" ] && [ "${COMP_WORDS[i + 1]}" = "=" ]; then
				i=$((i + 2))
			elif [ -n "$value" ]; then
				i=$((i + 1))
			fi
			;;
		*)
			_wrench_lookup "$list" command "$w" >/dev/null || continue
			cmdpath+=("$w")
			list=$("$prog" --complete-words "${cmdpath[@]}" 2>/dev/null) || return 0
			;;
		esac
	done
	# The value of an option: --db FILE, --db=FILE, --db=.
	if [ "$cur" = "=" ] && _wrench_value "$list" "$prev" ""; then
		return 0
	fi
	if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ] &&
		_wrench_value "$list" "${COMP_WORDS[COMP_CWORD - 2]}" "$cur"; then
		return 0
	fi
	if [[ $prev == -* ]] && _wrench_value "$list" "$prev" "$cur"; then
		return 0
	fi
	case $cur in
	-*)
		mapfile -t COMPREPLY < <(compgen -W "$(_wrench_kind "$list" option)" -- "$cur")
		;;
	*)
		w=$(_wrench_kind "$list" command)
		if [ -n "$w" ]; then
			mapfile -t COMPREPLY < <(compgen -W "$w" -- "$cur")
		elif [[ $(_wrench_kind "$list" argument) == *FILE* ]]; then
			_wrench_files "$cur"
		fi
		;;
	esac
	return 0
}

complete -F _wrench wrench
