# Sourced by the scripts that run Python peers: sets $py to the interpreter to use.
# $PYTHON if set (a venv or conda python with the packages); otherwise the first of `python3` on PATH and Debian's
# system python3 that can import every module named in $peer_modules (default: numpy pandas sklearn xgboost torch).
pick_peer_python() {
  local modules="${peer_modules:-numpy pandas sklearn xgboost torch}" candidate
  if [ -n "${PYTHON:-}" ]; then py="$PYTHON"; return 0; fi
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" > /dev/null 2>&1 \
        && "$candidate" -c "import importlib, sys; [importlib.import_module(m) for m in sys.argv[1:]]" $modules \
          > /dev/null 2>&1; then
      py="$candidate"; return 0
    fi
  done
  echo "no python3 with $modules found: install Debian's python3-sklearn python3-torch python3-pandas" \
    "python3-xgboost, or set PYTHON to an interpreter that has them" >&2
  return 1
}
