# The files an installed mpg consists of, shared by scripts/package (a .deb) and scripts/install (a
# prefix), so both install exactly the same things. Sourced, not run.

# mpg_build_release: builds the release binary as the benchmarks do and prints its path.
mpg_build_release() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  "$root/scripts/bench/build" >&2
  echo "$root/.build-bench/release/mpg"
}

# mpg_stage BINARY DEST ZSH_DIR DEBUG_FILE
#   Writes into DEST (a prefix such as ROOT/usr): bin/mpg without debug info (kept in DEBUG_FILE, which
#   the binary names in a .gnu_debuglink section), the manual pages mpg(1) and mpg-language(7), the
#   completion scripts for bash, zsh (in ZSH_DIR, relative to DEST) and fish, and the documentation.
#   The pages and scripts are what the binary itself prints, so they match its declarations.
mpg_stage() {
  local binary=$1 dest=$2 zsh_dir=$3 debug_file=$4
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  install -d -m 0755 "$dest/bin" "$dest/share/man/man1" "$dest/share/man/man7" \
    "$dest/share/bash-completion/completions" "$dest/$zsh_dir" "$dest/share/fish/vendor_completions.d" \
    "$dest/share/doc/mpg"
  objcopy --only-keep-debug "$binary" "$debug_file"
  install -m 0755 "$binary" "$dest/bin/mpg"
  strip --strip-all "$dest/bin/mpg"
  objcopy --add-gnu-debuglink="$debug_file" "$dest/bin/mpg"
  "$binary" help --man mpg | gzip -9n > "$dest/share/man/man1/mpg.1.gz"
  "$binary" help --man mpg-language | gzip -9n > "$dest/share/man/man7/mpg-language.7.gz"
  "$binary" completion bash > "$dest/share/bash-completion/completions/mpg"
  "$binary" completion zsh > "$dest/$zsh_dir/_mpg"
  "$binary" completion fish > "$dest/share/fish/vendor_completions.d/mpg.fish"
  install -m 0644 "$root/README.md" "$root"/docs/*.md "$dest/share/doc/mpg/"
  chmod 0644 "$dest"/share/man/man*/*.gz "$dest/share/bash-completion/completions/mpg" "$dest/$zsh_dir/_mpg" \
    "$dest/share/fish/vendor_completions.d/mpg.fish"
}

# mpg_needs_swift_runtime BINARY: whether BINARY loads the Swift runtime from the toolchain (a debug
# build), so that it runs only where that toolchain is installed.
mpg_needs_swift_runtime() {
  readelf -d "$1" | grep -q 'NEEDED.*libswiftCore'
}
