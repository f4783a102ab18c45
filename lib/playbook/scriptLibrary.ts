import { packageRecoveryLibrary } from "./packages";
import type { DistroFacts } from "./profiles/distroFacts";

/**
 * Shell functions every step script can use. They keep secrets off command lines: values travel
 * through stdin or the environment, and escaping for SQL, URLs, ini files and oslo.config is done
 * by one small Python helper (Python 2 on CentOS 7, Python 3 on Debian) reading stdin. Package
 * installs first repair one that was cut off, as the distribution's facts say (sp_recover_packages).
 */
export function scriptLibrary({ python, packageRecovery }: Pick<DistroFacts, "python" | "packageRecovery">): string {
  return `${helpers(python)}\n${packageRecoveryLibrary(packageRecovery)}\n`;
}

function helpers(python: string): string {
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

# stdin -> escaped for: sql (inside '...'), url (one URL component), dburl (the password in a
# mysql+pymysql URL), oslo (a $ doubled).
sp_escape() {
  ${python} -c '
import sys
kind = sys.argv[1]
data = sys.stdin.read()
try:
    from urllib.parse import quote
except ImportError:
    from urllib import quote
if kind == "sql":
    out = data.replace("\\", "\\\\").replace("'"'"'", "'"'"''"'"'")
elif kind == "url":
    out = quote(data, safe="")
elif kind == "dburl":
    # PyMySQL on Python 3 sends a text password as latin-1, while MariaDB hashed its UTF-8 bytes:
    # the URL carries those bytes as latin-1 letters. Python 2 passes the bytes through unchanged.
    out = quote(data if str is bytes else data.encode("utf-8").decode("latin-1"), safe="")
elif kind == "oslo":
    out = data.replace("$", "$$")
else:
    sys.exit("unknown escape " + kind)
sys.stdout.write(out)
' "$1"
}

# sp_ini_set FILE SECTION KEY <<< VALUE: sets one key, keeping the file's comments and layout;
# a file that already says so is left as it is (its modification time too).
sp_ini_set() {
  SP_INI_FILE="$1" SP_INI_SECTION="$2" SP_INI_KEY="$3" ${python} -c '
import os, re, sys, io
path, section, key = os.environ["SP_INI_FILE"], os.environ["SP_INI_SECTION"], os.environ["SP_INI_KEY"]
value = sys.stdin.read()
if str is bytes:
    value = value.decode("utf-8")
if value.endswith("\n"):
    value = value[:-1]
try:
    original = io.open(path, encoding="utf-8").read()
except IOError:
    original = None
lines = original.split("\n") if original is not None else []
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
text = u"\n".join(lines) + u"\n"
# An unchanged file is not written: its time says when it last changed, and the services started
# after that (startedAfter) need no restart for a value set again.
if text != original:
    io.open(path, "w", encoding="utf-8").write(text)
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

# Keystone through keystoneauth1 and keystoneclient, one Python process where the openstack client
# would need several (each costs seconds), authenticated with the OS_* variables (admin-openrc).
# Passwords come from the environment by variable name, never from a command line (the openstack
# client's own shell hangs on stdin without a terminal).
#   sp_os_user NAME SECRET_VAR: creates user NAME in the default domain with that password, or
#     sets the password when the user exists.
#   sp_os_has THING...: exit 0 when every THING exists: project NAME | role NAME | service TYPE |
#     endpoint TYPE INTERFACE REGION URL | assignment USER PROJECT ROLE |
#     login USER PROJECT SECRET_VAR (that user gets a token with that password).
sp_os_user() { sp_keystone user "$@"; }
sp_os_has() { sp_keystone has "$@"; }
sp_keystone() {
  ${python} -c '
import os, sys
from keystoneauth1 import exceptions, session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

def text(value):
    return value.decode("utf-8") if str is bytes and value is not None else value

def env(name, default=None):
    return text(os.environ.get(name, default))

def login(username, password, project):
    return session.Session(auth=v3.Password(
        auth_url=env("OS_AUTH_URL"), username=username, password=password, project_name=project,
        user_domain_name=env("OS_USER_DOMAIN_NAME", "Default"),
        project_domain_name=env("OS_PROJECT_DOMAIN_NAME", "Default")))

args = [text(a) for a in sys.argv[1:]]
keystone = client.Client(session=login(env("OS_USERNAME"), env("OS_PASSWORD"), env("OS_PROJECT_NAME")))

def first(found):
    return found[0] if found else None

def user(name):
    return first(keystone.users.list(name=name, domain="default"))

def project(name):
    return first(keystone.projects.list(name=name, domain="default"))

def role(name):
    return first(keystone.roles.list(name=name))

def service(kind):
    return first(keystone.services.list(type=kind))

def endpoint(kind, interface, region, url):
    found = service(kind)
    return found is not None and any(e.url == url for e in keystone.endpoints.list(service=found, interface=interface, region_id=region))

def assignment(user_name, project_name, role_name):
    ids = (user(user_name), project(project_name), role(role_name))
    return None not in ids and len(keystone.role_assignments.list(user=ids[0], project=ids[1], role=ids[2])) > 0

def can_login(user_name, project_name, secret_var):
    try:
        login(user_name, env(secret_var), project_name).get_token()
        return True
    except exceptions.Unauthorized:
        return False

if args[0] == "user":
    name, password = args[1], env(args[2])
    found = user(name)
    if found:
        keystone.users.update(found, password=password)
        print("Password of user %s set." % name)
    else:
        keystone.users.create(name=name, domain="default", password=password)
        print("User %s created." % name)
    sys.exit(0)

tests = {"project": (1, project), "role": (1, role), "service": (1, service), "endpoint": (4, endpoint),
         "assignment": (3, assignment), "login": (3, can_login)}
missing, rest = [], args[1:]
while rest:
    arity, test = tests[rest[0]]
    params = rest[1:1 + arity]
    if test(*params) in (None, False):
        missing.append(" ".join([rest[0]] + params))
    rest = rest[1 + arity:]
for thing in missing:
    sys.stderr.write("Not in Keystone: %s\n" % thing)
sys.exit(1 if missing else 0)
' "$@"
}

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
