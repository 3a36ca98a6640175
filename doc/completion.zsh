#compdef privsim
# completion.zsh - zsh completion for privsim: commands, each command's options (read from
# its --help), platform presets after --platform, files otherwise.  Installed as
# share/zsh/site-functions/_privsim.
_privsim() {
    local -a cmds opts
    if (( CURRENT == 2 )); then
        cmds=(${(f)"$(privsim --help 2>/dev/null | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}')"})
        compadd -- $cmds --help --version
        return
    fi
    case ${words[CURRENT-1]} in
        --platform|--from|--to)
            compadd -- ${(f)"$(privsim platforms 2>/dev/null | awk '/^[a-z]/{print $1}')"}
            return ;;
        --format) compadd -- text json sarif github markdown; return ;;
        --strategy) compadd -- exhaustive random guided; return ;;
        --fail-on) compadd -- beyond-intent external forbidden expect never; return ;;
    esac
    if [[ ${words[CURRENT]} == -* ]]; then
        opts=(${(f)"$(privsim ${words[2]} --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)"})
        compadd -- $opts
        return
    fi
    _files
}
_privsim "$@"
