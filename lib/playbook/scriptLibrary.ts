/**
 * Shell functions every step script can use. They keep secrets off command lines: values travel
 * through stdin or the environment, and escaping for SQL, URLs, ini files and oslo.config is done
 * by one small Python helper (Python 2 on CentOS 7, Python 3 on Debian) reading stdin.
 */
export function scriptLibrary(python: string): string {
  return String.raw`
sp_log() { printf '[stackpilot] %s\n' "$*"; }

# Refuse to run when a secret the script needs is not in the environment.
sp_need() {
  local name missing=0
  for name in "$@"; do
    if [ -z "${"$"}{!name+x}" ] || [ -z "${"$"}{!name}" ]; then echo "Set $name before running this script." >&2; missing=1; fi
  done
  return $missing
}

# stdin -> escaped for: sql (inside '...'), url (one URL component), oslo (a $ doubled), json (a
# quoted string), shlex (one word for a command line read by Python, like the openstack shell's).
sp_escape() {
  ${python} -c '
import sys, json
kind = sys.argv[1]
data = sys.stdin.read()
try:
    from urllib.parse import quote
except ImportError:
    from urllib import quote
if kind == "sql":
    out = data.replace("\\", "\\\\").replace("'"'"'", "'"'"''"'"'")
elif kind == "url":
    out = quote(data.encode("utf-8") if str is bytes else data, safe="")
elif kind == "oslo":
    out = data.replace("$", "$$")
elif kind == "json":
    out = json.dumps(data.decode("utf-8") if str is bytes else data)
elif kind == "shlex":
    try:
        from shlex import quote as shquote
    except ImportError:
        from pipes import quote as shquote
    out = shquote(data)
else:
    sys.exit("unknown escape " + kind)
sys.stdout.write(out)
' "$1"
}

# sp_ini_set FILE SECTION KEY <<< VALUE: sets one key, keeping the file's comments and layout.
sp_ini_set() {
  SP_INI_FILE="$1" SP_INI_SECTION="$2" SP_INI_KEY="$3" ${python} -c '
import os, re, sys, io
path, section, key = os.environ["SP_INI_FILE"], os.environ["SP_INI_SECTION"], os.environ["SP_INI_KEY"]
value = sys.stdin.read()
if value.endswith("\n"):
    value = value[:-1]
try:
    lines = io.open(path, encoding="utf-8").read().split("\n")
except IOError:
    lines = []
if lines and lines[-1] == "":
    lines.pop()
setting = u"%s = %s" % (key, value)
start = None
for i, line in enumerate(lines):
    if line.strip() == "[%s]" % section:
        start = i
        break
if start is None:
    lines += ["", "[%s]" % section, setting]
else:
    end = len(lines)
    for j in range(start + 1, len(lines)):
        if re.match(r"^\s*\[.*\]\s*$", lines[j]):
            end = j
            break
    for j in range(start + 1, end):
        if re.match(r"^\s*%s\s*=" % re.escape(key), lines[j]):
            lines[j] = setting
            break
    else:
        lines.insert(start + 1, setting)
io.open(path, "w", encoding="utf-8").write(u"\n".join(lines) + u"\n")
'
}

# sp_ini_get FILE SECTION KEY: prints one value (empty when missing).
sp_ini_get() {
  SP_INI_FILE="$1" SP_INI_SECTION="$2" SP_INI_KEY="$3" ${python} -c '
import os, re, io
path, section, key = os.environ["SP_INI_FILE"], os.environ["SP_INI_SECTION"], os.environ["SP_INI_KEY"]
current = None
try:
    lines = io.open(path, encoding="utf-8").read().split("\n")
except IOError:
    lines = []
for line in lines:
    m = re.match(r"^\s*\[(.*)\]\s*$", line)
    if m:
        current = m.group(1)
        continue
    m = re.match(r"^\s*%s\s*=\s?(.*)$" % re.escape(key), line)
    if m and current == section:
        out = m.group(1)
        import sys
        sys.stdout.write(out if str is not bytes else out.encode("utf-8"))
        break
'
}

# sp_openstack < COMMAND: runs one openstack client command read from stdin (the client's own
# shell), so a password in it is never on a command line. Quote values with sp_escape shlex.
sp_openstack() { openstack; }

# sp_write FILE MODE < CONTENT: writes a file only when its content changes (0 = changed, 1 = same).
sp_write() {
  local file="$1" mode="$2" tmp
  tmp=$(mktemp)
  cat > "$tmp"
  if [ -f "$file" ] && cmp -s "$tmp" "$file"; then rm -f "$tmp"; return 1; fi
  install -D -m "$mode" "$tmp" "$file"
  rm -f "$tmp"
  return 0
}

# sp_client_cnf USER SECRET_VAR: prints the path of a new 0600 MySQL client config holding the
# password from the named variable (a file, not the command line); the caller removes it.
sp_client_cnf() {
  local cnf
  cnf=$(mktemp)
  chmod 600 "$cnf"
  { printf '[client]\nuser=%s\npassword="' "$1"; printf '%s' "${"$"}{!2}" | sed 's/\\/\\\\/g; s/"/\\"/g'; printf '"\n'; } > "$cnf"
  echo "$cnf"
}

sp_root_cnf() { sp_client_cnf root MARIADB_ROOT_PASS; }

# sp_db_login USER SECRET_VAR HOST DATABASE: can this account log in with that password?
sp_db_login() {
  local cnf rc
  cnf=$(sp_client_cnf "$1" "$2")
  mysql --defaults-extra-file="$cnf" -h "$3" -e 'SELECT 1' "$4" >/dev/null 2>&1; rc=$?
  rm -f "$cnf"
  return $rc
}

# sp_mysql [mysql args] < SQL: as the database root with its password; falls back to socket
# auth (or the empty password) before the password is set.
sp_mysql() {
  local cnf rc
  cnf=$(sp_root_cnf)
  if mysql --defaults-extra-file="$cnf" -e 'SELECT 1' >/dev/null 2>&1; then
    mysql --defaults-extra-file="$cnf" "$@"; rc=$?
  else
    mysql -uroot "$@"; rc=$?
  fi
  rm -f "$cnf"
  return $rc
}

# sp_wait_port HOST PORT SECONDS: waits until a TCP port accepts connections.
sp_wait_port() {
  local host="$1" port="$2" deadline=$((SECONDS + $3))
  until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then echo "Port $port on $host did not open within $3 s." >&2; return 1; fi
    sleep 1
  done
}
`.trimStart();
}
