# PostgreSQL for the gradebook tests (sourced by .ci/run as root, no terminal).
# Installs Debian's server if missing, runs its cluster on 127.0.0.1:5432 only, makes a
# role `course` (may create databases: each test run makes its own) and a database
# `course_test`, and exports COURSE_TEST_POSTGRES_URL for tests/grading. Idempotent.

course_pg_setup() {
    export DEBIAN_FRONTEND=noninteractive
    if ! dpkg -s postgresql >/dev/null 2>&1; then
        if [ -z "${D11_APT_UPDATED:-}" ]; then
            apt-get update -qq
            export D11_APT_UPDATED=1
        fi
        apt-get install -y -qq postgresql >/dev/null
    fi
    local version
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    local state
    state="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')"
    if [ -z "$state" ]; then
        pg_createcluster "$version" main >/dev/null
    fi
    printf "listen_addresses = '127.0.0.1'\nport = 5432\n" > "/etc/postgresql/$version/main/conf.d/50-course.conf"
    state="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')"
    if [ "$state" != "online" ]; then
        pg_ctlcluster "$version" main start
    fi
    local tries=0
    until pg_isready -q -h 127.0.0.1 -p 5432; do
        tries=$((tries + 1))
        if [ "$tries" -ge 60 ]; then
            echo "postgresql did not start on 127.0.0.1:5432" >&2
            return 1
        fi
        sleep 0.5
    done
    runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'course') THEN
        CREATE ROLE course LOGIN PASSWORD 'course' CREATEDB;
    END IF;
END
$$;
SQL
    if [ "$(runuser -u postgres -- psql -tA -d postgres \
            -c "SELECT 1 FROM pg_database WHERE datname = 'course_test'")" != "1" ]; then
        runuser -u postgres -- createdb -O course course_test
    fi
    export COURSE_TEST_POSTGRES_URL="postgresql+psycopg://course:course@127.0.0.1:5432/course_test"
    echo "postgresql $version on 127.0.0.1:5432, COURSE_TEST_POSTGRES_URL set"
}

course_pg_setup
