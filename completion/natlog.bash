# bash completion for natlog
_natlog() {
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--db) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ $prev == --db ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
		return
	fi
	case $cmd in
	"") COMPREPLY=($(compgen -W "import summary traces explain invalid flows rules sql errors sources report export --db --help --version" -- "$cur")) ;;
	import)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--host --max-errors --max-entry-size --max-expansion --boot-time --year --quiet --progress --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	traces|invalid|flows) COMPREPLY=($(compgen -W "--json --src --dst --port --proto --seq --ip-id --verdict --host --rule --iface --since --until --help" -- "$cur")) ;;
	export)
		if [[ $prev == --what ]]; then
			COMPREPLY=($(compgen -W "packets steps flows errors" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--ndjson --csv --what --src --dst --port --proto --seq --ip-id --verdict --host --rule --iface --since --until --help" -- "$cur"))
		fi ;;
	summary) COMPREPLY=($(compgen -W "--json --host --since --until --help" -- "$cur")) ;;
	explain)
		if [[ $prev == -o || $prev == --output ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--trace --json --svg --dot -o --help" -- "$cur"))
		fi ;;
	report)
		if [[ $prev == -o || $prev == --output ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		else
			COMPREPLY=($(compgen -W "-o --host --verdict --max-paths --help" -- "$cur"))
		fi ;;
	rules)
		if [[ $prev == --by ]]; then
			COMPREPLY=($(compgen -W "drops dump" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--unused --by --json --help" -- "$cur"))
		fi ;;
	errors|sources|sql) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
	esac
}
complete -F _natlog natlog
