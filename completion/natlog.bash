# bash completion for natlog: commands, each command's options (read from
# its --help, so an option added to a command completes without a change
# here), the words an option takes and the trace ids in the store (from
# the hidden `natlog __complete`), and file names where a path goes.
_natlog() {
	local cur prev cmd i w opt bin words
	local -a db=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	bin=${COMP_WORDS[0]}
	[[ $bin == */* && -x $bin ]] || bin=natlog
	cmd=
	# global options stand anywhere before "--"; the command is the first word
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--) break ;;
		--db)
			[[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))	# --db=PATH, split at '='
			((i + 1 < COMP_CWORD)) && db=(--db "${COMP_WORDS[i + 1]}")
			((i++)) ;;
		--db=*) db=("$w") ;;
		-*|=) ;;
		*) [[ -z $cmd && ${COMP_WORDS[i - 1]} != = ]] && cmd=$w ;;
		esac
	done
	# "--verdict=dr" arrives as "--verdict" "=" "dr" ('=' breaks words)
	if [[ $cur == = ]]; then
		opt=$prev cur=
	elif [[ $prev == = ]]; then
		opt=${COMP_WORDS[COMP_CWORD-2]}
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*} cur=${cur#*=}
	else
		opt=$prev
		[[ $opt == --color ]] && opt=	# --color alone means always
	fi
	case $opt in
	--db|-o|--output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--trace)
		COMPREPLY=($("$bin" "${db[@]}" __complete traces "$cur" 2>/dev/null))
		return ;;
	--*)
		words=$("$bin" __complete values "${opt#--}" 2>/dev/null)
		if [[ -n $words ]]; then
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
			return
		fi ;;
	esac
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--db --color --color= --no-pager --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$("$bin" __complete commands 2>/dev/null)" -- "$cur"))
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		# the option lines of the command's help, and its usage line
		words=$("$bin" "$cmd" --help 2>/dev/null | sed -nE '/^usage:|^[[:space:]]+-/p' |
			grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
		COMPREPLY=($(compgen -W "$words --db --color --no-pager" -- "$cur"))
		return
	fi
	case $cmd in
	import | merge) COMPREPLY=($(compgen -f -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "$("$bin" __complete commands 2>/dev/null)" -- "$cur")) ;;
	explain) COMPREPLY=($("$bin" "${db[@]}" __complete traces "$cur" 2>/dev/null)) ;;
	esac
}
complete -F _natlog natlog
