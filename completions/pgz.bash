# Bash completion for pgz, pgunzip and pgzcat.              -*- shell-script -*-
#
# Installed by `make install` as share/bash-completion/completions/pgz (with
# pgunzip and pgzcat links), where bash-completion loads it on first use; or
# source it by hand: `source completions/pgz.bash`.
#
# Self-contained on purpose: it uses only bash's own compgen, compopt and
# COMPREPLY, not the bash-completion package's helpers, so it works in a
# bare bash as well as next to bash-completion.  Everything it defines is
# named _pgz*, and it leaves the shell options as it found them.  The lists
# below are plain assignments, not `declare`: bash-completion sources this
# file from inside a function, where declare would make them local to it.

# The options `pgz --help` prints, in its order.  Long options that take an
# argument end in '=' so that completing them stops after the '='.
# tests/cli/completion.bats checks this list against --help both ways.
_pgz_help_long=(
    --blocksize= --stdout --decompress --files-from= --files0-from= --force
    --help --independent --engine= --jobs= --keep --list --license --no-name --name
    --processes= --progress --no-progress --quiet --recursive --rsyncable --report=
    --suffix= --synchronous --test --verbose --version --fast --best
)
# --help names -1, -9 and -10 to -12 only, but every level is an option.
_pgz_help_short=(
    -b -c -d -f -h -i -j -k -l -L -n -N -p -q -r -S -t -v -V
    -1 -2 -3 -4 -5 -6 -7 -8 -9 -10 -11 -12
)
# Aliases the parser accepts without --help naming them: never offered, but
# they count when reading the words already typed (and for abbreviations,
# which getopt_long resolves against every name).
_pgz_alias_long=(--to-stdout --uncompress --silent)

# _pgz_lex LINE POINT: split LINE into words as the shell would (blanks end
# a word unless quoted; quotes and backslashes are removed; < > | & ; ( )
# make words of their own), for the caller's `words`, `cword` (the index of
# the word at POINT), `cur` (that word, up to POINT) and `cur_start` (where
# it starts in LINE).  COMP_WORDS is not used because bash splits it at
# every COMP_WORDBREAKS character, so that `--report=a:b` arrives as five
# words, and keeps the quotes, so that compgen cannot use them.
_pgz_lex() {
    local line=$1 point=$2 i c word='' quote='' inword=0 start=0
    ((point <= ${#line})) || point=${#line}
    words=() cword=-1 cur='' cur_start=$point
    for ((i = 0; i <= ${#line}; i++)); do
        if ((i == point)); then
            if ((inword)); then
                cur=$word cur_start=$start
            else
                # Between words (or at a word's first character): an empty
                # word of its own, as bash gives COMP_WORDS.
                words+=('')
            fi
            cword=${#words[@]}
            ((inword)) || cword=$((cword - 1))
        fi
        ((i < ${#line})) || break
        c=${line:i:1}
        if [[ $quote == "'" ]]; then
            if [[ $c == "'" ]]; then quote=''; else word+=$c; fi
            continue
        elif [[ $quote == '"' ]]; then
            if [[ $c == '"' ]]; then
                quote=''
            elif [[ $c == "\\" && ${line:i+1:1} == [\$\`\"\\] ]] && ((i + 1 != point)); then
                word+=${line:i+1:1}
                i=$((i + 1))
            else
                word+=$c
            fi
            continue
        fi
        case $c in
        ' ' | $'\t' | $'\n')
            if ((inword)); then
                words+=("$word")
                word='' inword=0
            fi
            continue
            ;;
        '<' | '>' | '|' | '&' | ';' | '(' | ')')
            # An operator: a word of its own (>> is two, which is enough to
            # see that the next word is a redirection's file).
            if ((inword)); then
                words+=("$word")
                word='' inword=0
            fi
            words+=("$c")
            continue
            ;;
        esac
        ((inword)) || start=$i
        inword=1
        case $c in
        "'" | '"') quote=$c ;;
        "\\")
            # Escapes the next character, unless POINT falls between them.
            if ((i + 1 != point)); then
                i=$((i + 1))
                word+=${line:i:1}
            fi
            ;;
        *) word+=$c ;;
        esac
    done
    ((inword)) && words+=("$word")
    return 0
}

# _pgz_unquote TEXT: TEXT as the shell reads it (one word, quotes and
# backslashes removed), in the caller's `lead`.
_pgz_unquote() {
    local -a words
    local cword cur cur_start
    _pgz_lex "$1" "${#1}"
    lead=$cur
}

# _pgz_long NAME: the long option NAME (--name, no '=') stands for, in the
# caller's `long`: itself, or the only option it abbreviates, as
# getopt_long reads it; empty if there is none or several.
_pgz_long() {
    local o found=''
    long=''
    for o in "${_pgz_help_long[@]%=}" "${_pgz_alias_long[@]}"; do
        if [[ $o == "$1" ]]; then
            long=$o
            return 0
        fi
        if [[ $o == "$1"* ]]; then
            [[ -z $found ]] || return 0     # ambiguous
            found=$o
        fi
    done
    long=$found
}

# _pgz_add PREFIX WORD...: add to COMPREPLY the words starting with PREFIX.
# A loop, not compgen -W, which would expand what is in the words.
_pgz_add() {
    local prefix=$1 w
    shift
    for w; do
        [[ $w == "$prefix"* ]] && COMPREPLY+=("$w")
    done
    return 0
}

# _pgz_files WORD [gzip]: add the files and directories starting with WORD;
# with `gzip`, only directories and the files that pgz -d would take (a
# known suffix, in any case, or the -S suffix in the caller's `suffix`).
_pgz_files() {
    local name base
    local -a found
    compopt -o filenames 2>/dev/null
    if [[ ${2-} != gzip ]]; then
        # If nothing matched, bash's own completion still knows what compgen
        # does not, such as ~user.  Not for gzip names: it would offer all.
        compopt -o bashdefault 2>/dev/null
        mapfile -t found < <(compgen -f -- "$1")
        COMPREPLY+=("${found[@]}")
        return 0
    fi
    local -A dirs=()
    mapfile -t found < <(compgen -d -- "$1")
    for name in "${found[@]}"; do
        dirs[$name]=1
        COMPREPLY+=("$name")
    done
    # As pgz's compressed_suffix(): case-insensitive, and the base name
    # must be longer than the suffix.
    local s=${suffix,,}
    mapfile -t found < <(compgen -f -- "$1")
    for name in "${found[@]}"; do
        base=${name##*/}
        base=${base,,}
        case $base in
        ?*.gz | ?*.z | ?*.taz | ?*.tgz | ?*-gz | ?*-z | ?*_z) ;;
        *) [[ -n $s && $base == ?*"$s" ]] || continue ;;
        esac
        [[ -n ${dirs[$name]-} ]] || COMPREPLY+=("$name")
    done
}

# _pgz_value OPTION VALUE: complete VALUE as the argument of OPTION (a long
# name, or a short option's letter).
_pgz_value() {
    local n i
    case $1 in
    S | --suffix)
        _pgz_add "$2" .gz .z .tgz .taz -gz -z _z
        ;;
    j | p | --jobs | --processes)
        n=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null)
        [[ $n =~ ^[1-9][0-9]*$ ]] || n=1
        for ((i = 1; i <= n; i++)); do
            _pgz_add "$2" "$i"
        done
        ;;
    b | --blocksize)
        _pgz_add "$2" 64 128 256 512 1024
        ;;
    --engine)
        _pgz_add "$2" libdeflate zlib
        ;;
    --files-from | --files0-from | --report)
        _pgz_files "$2"
        ;;
    esac
}

_pgz() {
    # Option letters differ only in case (-l and -L, -n and -N).
    if shopt -q nocasematch; then
        shopt -u nocasematch
        _pgz "$@"
        shopt -s nocasematch
        return 0
    fi
    COMPREPLY=()
    local -a words
    local cword cur cur_start long line point
    if [[ -n ${COMP_LINE+set} ]]; then
        line=$COMP_LINE point=${COMP_POINT:-${#COMP_LINE}}
    else
        # Called by hand with COMP_WORDS only.
        line="${COMP_WORDS[*]:0:COMP_CWORD+1}" point=${#line}
    fi
    _pgz_lex "$line" "$point"

    # Read every word but the current one as getopt_long would: which mode
    # (invoked as pgunzip or pgzcat, or -d, -t, -l anywhere, even in a
    # bundle such as -dk), the -S suffix, where `--` ends the options, and
    # whether the current word is the argument of the option before it.
    local cmd=${1:-${words[0]-}} i j w c suffix='' gzip='' expect='' arg_of=''
    local dashdash=0 operand=0
    case ${cmd##*/} in pgunzip | pgzcat) gzip=gzip ;; esac
    for ((i = 1; i < ${#words[@]}; i++)); do
        w=${words[i]}
        if ((i == cword)); then
            arg_of=$expect operand=$dashdash expect=''
            continue
        fi
        if [[ -n $expect ]]; then
            [[ $expect == S || $expect == --suffix ]] && suffix=$w
            expect=''
            continue
        fi
        ((dashdash)) && continue
        case $w in
        --)
            dashdash=1
            ;;
        --?*)
            _pgz_long "${w%%=*}"
            case $long in
            --decompress | --uncompress | --test | --list) gzip=gzip ;;
            esac
            if [[ $w == *=* ]]; then
                [[ $long == --suffix ]] && suffix=${w#*=}
            elif [[ " ${_pgz_help_long[*]} " == *" $long= "* ]]; then
                expect=$long
            fi
            ;;
        -?*)
            for ((j = 1; j < ${#w}; j++)); do
                c=${w:j:1}
                case $c in
                d | t | l) gzip=gzip ;;
                b | j | p | S)
                    # The rest of the bundle is the argument, or else the
                    # next word is.
                    if ((j + 1 < ${#w})); then
                        [[ $c == S ]] && suffix=${w:j+1}
                    else
                        expect=$c
                    fi
                    break
                    ;;
                esac
            done
            ;;
        esac
    done
    local prev=${words[cword - 1]-}

    if [[ -n $arg_of ]]; then
        _pgz_value "$arg_of" "$cur"
    elif ((!operand)) && [[ $prev == [\<\>] ]]; then
        _pgz_files "$cur"       # a redirection's file
    elif ((!operand)) && [[ $cur == --?*=* ]]; then
        _pgz_long "${cur%%=*}"
        _pgz_value "$long" "${cur#*=}"
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${cur%%=*}=${COMPREPLY[i]}
        done
    elif ((!operand)) && [[ $cur == -* ]]; then
        _pgz_add "$cur" "${_pgz_help_long[@]}"
        [[ $cur == --* ]] || _pgz_add "$cur" "${_pgz_help_short[@]}"
        # An option that takes =ARG: the argument follows with no space.
        if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
            compopt -o nospace 2>/dev/null
        fi
    else
        _pgz_files "$cur" "$gzip"
    fi

    # Readline replaces only the text after the last COMP_WORDBREAKS
    # character (after the '=' of --report=FILE, the ':' of a:b), given to
    # us as $2 (with an opening quote left out): take what comes before it
    # off every candidate, as readline will put them after it.
    local lead='' raw=${line:cur_start:point-cur_start}
    if [[ -n ${2+set} && $raw == *"$2" ]]; then
        _pgz_unquote "${raw:0:${#raw}-${#2}}"
    fi
    if [[ -n $lead ]]; then
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${COMPREPLY[i]#"$lead"}
        done
    fi
    return 0
}

# No -o here: _pgz asks for -o filenames (quoting, a / after directories)
# only when the candidates are file names, since with it readline would
# quote the '=' of --report=, and for -o bashdefault only where falling
# back to every file is right.
complete -F _pgz pgz pgunzip pgzcat
