# completion.bash - bash completion for privsim: commands, each command's options (read from
# its --help, so they never drift), platform presets after --platform, files otherwise.
# Installed as share/bash-completion/completions/privsim.
_privsim()
{
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$(privsim --help 2>/dev/null |
            awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}') --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    case $prev in
        --platform|--from|--to)
            COMPREPLY=($(compgen -W "$(privsim platforms 2>/dev/null | awk '/^[a-z]/{print $1}')" -- "$cur"))
            return ;;
        --format)
            COMPREPLY=($(compgen -W "text json sarif github markdown" -- "$cur"))
            return ;;
        --strategy)
            COMPREPLY=($(compgen -W "exhaustive random guided" -- "$cur"))
            return ;;
        --fail-on)
            COMPREPLY=($(compgen -W "beyond-intent external forbidden expect never" -- "$cur"))
            return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(privsim "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _privsim privsim
