# Shared by scripts/ensure_*.sh (sourced, not run). The sourcing script sets
#   NAME       its name in messages,
#   LOG        a temporary file collecting the output of the commands it runs,
#   ROOT_HINT  what the user can do instead when root is needed and missing.

# One clear line on stderr, then the end of the log, then exit 1.
fail() {
    echo "$NAME: $*" >&2
    if [ -s "$LOG" ]; then
        echo "--- last output ---" >&2
        tail -n 20 "$LOG" >&2
    fi
    exit 1
}

# Run a command as root: directly, or through password-less sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        fail "need root to run '$*'; $ROOT_HINT"
    fi
}
