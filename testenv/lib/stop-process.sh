# Sourced by the testenv stop scripts: stops the process a start script recorded in a pid file.
# Only a process that is still ours is signalled (pids get reused): the caller's check decides.
#
#   stop_process <what> <pid-file> <grace-seconds> <is-ours-function>
#
# SIGTERM, then SIGKILL after the grace period. Returns 0 when the process is gone, including when
# nothing was running; 1 when it survived SIGKILL. Expects ME (the script's name, for messages).

proc_state() {  # one-letter process state; Z = zombie (dead, not yet reaped)
  if [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1; else ps -o stat= -p "$1" 2>/dev/null || true; fi
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && [[ "$(proc_state "$1")" != Z* ]]; }

cmdline() {  # the process's arguments, space-separated
  if [ -r "/proc/$1/cmdline" ]; then tr '\0' ' ' <"/proc/$1/cmdline"; else ps -ww -o args= -p "$1" 2>/dev/null || true; fi
}

wait_gone() {  # <pid> <seconds>
  local i
  for ((i = 0; i < $2 * 5; i++)); do alive "$1" || return 0; sleep 0.2; done
  ! alive "$1"
}

stop_process() {
  local what=$1 pidfile=$2 grace=$3 is_ours=$4 pid
  pid=$(tr -dc '0-9' 2>/dev/null <"$pidfile" || true)
  if ! alive "$pid" || ! "$is_ours" "$pid"; then
    rm -f "$pidfile"
    echo "$ME: no $what running" >&2
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$grace"; then
    echo "$ME: $what pid $pid ignored SIGTERM for ${grace}s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || { echo "error: could not stop $what pid $pid" >&2; return 1; }
  fi
  rm -f "$pidfile"
  echo "$ME: stopped $what (pid $pid)" >&2
}
