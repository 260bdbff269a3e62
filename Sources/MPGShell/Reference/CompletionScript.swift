import ArgumentParser
import Interpreter

/// The completion scripts `mpg completion bash|zsh|fish` prints. Each passes the words typed to
/// `mpg completion candidates` and shows its answer: a first line saying whether files (`files`,
/// `files EXT…`) or directories (`dirs`) fit too, then the words that fit. The value after `--key-secret`
/// is replaced before it is passed, so no secret reaches a child's argv. `timeout` bounds the wait.
enum CompletionScript {
  /// The script for `shell`.
  static func text(for shell: CompletionShell) -> String {
    switch shell {
    case .zsh: zsh
    case .fish: fish
    default: bash
    }
  }

  private static let header = "# Tab completion for mpg \(MPGVersion.current), printed by `mpg completion SHELL`."

  static let bash = """
    \(header)
    # Load it with: source <(mpg completion bash)   (packages install it for bash-completion).
    _mpg() {
      local mpg=${COMP_WORDS[0]} previous= word answer kind i
      [[ $mpg == */* && -x $mpg ]] || mpg=mpg
      local -a words=()
      for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        [[ $previous == --key-secret ]] && word=_
        words+=("$word")
        previous=${COMP_WORDS[i]}
      done
      local current=${COMP_WORDS[COMP_CWORD]}
      answer=$(timeout 3 "$mpg" completion candidates -- "${words[@]}" "$current" 2>/dev/null) || true
      kind=${answer%%$'\\n'*}
      COMPREPLY=()
      if [[ $answer == *$'\\n'* ]]; then
        while IFS= read -r word; do
          [[ -n $word ]] && COMPREPLY+=("$word")
        done <<< "${answer#*$'\\n'}"
      fi
      case $kind in
        dirs)
          compopt -o filenames 2>/dev/null
          while IFS= read -r word; do COMPREPLY+=("$word"); done < <(compgen -d -- "$current")
          ;;
        files)
          compopt -o filenames 2>/dev/null
          while IFS= read -r word; do COMPREPLY+=("$word"); done < <(compgen -f -- "$current")
          ;;
        files\\ *)
          compopt -o filenames 2>/dev/null
          local extension
          while IFS= read -r word; do COMPREPLY+=("$word"); done < <(
            compgen -d -- "$current"
            for extension in ${kind#files }; do compgen -f -X "!*.$extension" -- "$current"; done
          )
          ;;
      esac
      return 0
    }
    complete -F _mpg mpg

    """

  static let zsh = """
    #compdef mpg
    \(header)
    # Load it with: source <(mpg completion zsh)   (packages install it as _mpg).
    _mpg() {
      local mpg=${words[1]} previous= word answer kind i
      [[ $mpg == */* && -x $mpg ]] || mpg=mpg
      local -a typed lines candidates
      for ((i = 2; i < CURRENT; i++)); do
        word=${words[i]}
        [[ $previous == --key-secret ]] && word=_
        typed+=("$word")
        previous=${words[i]}
      done
      answer=$(timeout 3 $mpg completion candidates -- "${typed[@]}" "${words[CURRENT]}" 2>/dev/null)
      lines=("${(@f)answer}")
      kind=${lines[1]}
      candidates=("${(@)lines[2,-1]}")
      candidates=(${candidates:#})
      (( ${#candidates} )) && compadd -- "${candidates[@]}"
      case $kind in
        dirs) _directories ;;
        files) _files ;;
        files\\ *) _files -g "*.(${${kind#files }// /|})" ;;
      esac
      return 0
    }
    if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
      _mpg "$@"
    else
      compdef _mpg mpg
    fi

    """

  static let fish = """
    \(header)
    # Load it with: mpg completion fish | source   (packages install it for fish).
    function __mpg_candidates
        set -l tokens (commandline -opc)
        set -l current (commandline -ct)
        set -l mpg $tokens[1]
        string match -q -- '*/*' $mpg; and test -x $mpg; or set mpg mpg
        set -l typed
        set -l previous
        for token in $tokens[2..-1]
            if test "$previous" = --key-secret
                set -a typed _
            else
                set -a typed $token
            end
            set previous $token
        end
        set -l answer (timeout 3 $mpg completion candidates -- $typed "$current" 2>/dev/null)
        set -l kind $answer[1]
        for word in $answer[2..-1]
            test -n "$word"; and echo $word
        end
        switch "$kind"
            case dirs
                __fish_complete_directories "$current"
            case files
                __fish_complete_path "$current"
            case 'files *'
                set -l extensions (string split ' ' -- (string replace 'files ' '' -- $kind))
                set -l pattern '\\.('(string join '|' -- $extensions)')$'
                for path in (__fish_complete_path "$current")
                    set -l name (string split -m 1 \\t -- $path)[1]
                    if string match -q -- '*/' $name; or string match -qr -- $pattern $name
                        echo $path
                    end
                end
        end
    end
    complete -c mpg -f -a '(__mpg_candidates)'

    """
}
