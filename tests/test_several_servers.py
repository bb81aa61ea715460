"""Several servers, one site: two gunicorn instances behind a real nginx, a PostgreSQL
primary with a streaming replica, Redis for the cache and sessions, all on this machine
(see ../shared/docs/several-servers.md). Runs in the PostgreSQL pass of CI, as root,
with Debian's nginx installed (.ci/run); skipped elsewhere, with the reason."""

import concurrent.futures
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection

from .processes import free_port, process_env

BASE = Path(settings.BASE_DIR)
PG = "15"
REDIS_DB = 7  # this test's own Redis database, flushed at the end

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL pass"),
    pytest.mark.skipif(not shutil.which("nginx"), reason="Debian's nginx is not installed"),
    pytest.mark.skipif(not shutil.which("pg_createcluster"), reason="no pg_createcluster"),
    pytest.mark.skipif(os.geteuid() != 0, reason="making PostgreSQL clusters needs root"),
]


def run(*command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    return result.stdout


def trust_local_connections(name):
    """Let the test connect and replicate over 127.0.0.1 without a password."""
    hba = Path(f"/etc/postgresql/{PG}/{name}/pg_hba.conf")
    text = re.sub(r"^(host\s+\S+\s+\S+\s+127\.0\.0\.1/32\s+)\S+", r"\1trust", hba.read_text(),
                  flags=re.M)  # fmt: skip
    hba.write_text(text)


class Cluster:
    """A primary and its streaming replica, made for this test and dropped after it."""

    def __init__(self):
        suffix = uuid.uuid4().hex[:6]
        self.primary, self.replica = f"essor_p_{suffix}", f"essor_r_{suffix}"
        self.ports = free_port(), free_port()

    def start(self):
        run("pg_createcluster", PG, self.primary, "-p", str(self.ports[0]))
        trust_local_connections(self.primary)
        run("pg_ctlcluster", PG, self.primary, "start")
        run("psql", "-h", "127.0.0.1", "-p", str(self.ports[0]), "-U", "postgres",
            "-c", "CREATE DATABASE essor")  # fmt: skip
        run("pg_createcluster", PG, self.replica, "-p", str(self.ports[1]))
        trust_local_connections(self.replica)
        data = Path(f"/var/lib/postgresql/{PG}/{self.replica}")
        shutil.rmtree(data)
        run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.ports[0]), "-U", "postgres",
            "-D", str(data), "-R", "-X", "stream", "-w", "--checkpoint=fast")  # fmt: skip
        run("chown", "-R", "postgres:postgres", str(data))
        run("pg_ctlcluster", PG, self.replica, "start")

    def url(self, index):
        return f"postgres://postgres@127.0.0.1:{self.ports[index]}/essor"

    def on_replica(self, sql):
        return run("psql", "-h", "127.0.0.1", "-p", str(self.ports[1]), "-U", "postgres",
                   "-d", "essor", "-tAc", sql).strip()  # fmt: skip

    def drop(self):
        for name in (self.replica, self.primary):
            subprocess.run(["pg_dropcluster", "--stop", PG, name], capture_output=True)


class Client:
    """A browser's cookies over plain HTTP, against one address (the Secure flag of the
    production cookies only matters to browsers)."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, data=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        connection.close()
        return response.status, content

    def csrf(self, path):
        status, page = self.request("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def nginx_config(folder, port, upstreams):
    servers = "".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in upstreams)
    (folder / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream essor {{ {servers} keepalive 8; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 12m;
        location / {{
            proxy_pass http://essor;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_next_upstream error timeout http_502;
        }}
    }}
}}
""")
    return folder / "nginx.conf"


def wait_for(check, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


@pytest.fixture
def site(tmp_path):
    cluster = Cluster()
    processes = []
    try:
        cluster.start()
        env = process_env(**{
            "DEBUG": "false",
            "SECRET_KEY": "several-servers-" + "s" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "BEHIND_PROXY": "true",
            "DATABASE_URL": cluster.url(0),
            "DATABASE_REPLICA_URL": cluster.url(1),
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "GUNICORN_WORKERS": "2",
        })  # fmt: skip
        python = Path(sys.executable)
        for command in (["migrate", "--no-input", "-v0"], ["load_seeds", "-v0"],
                        ["collectstatic", "--no-input", "-v0"]):  # fmt: skip
            run(python, "manage.py", *command, cwd=BASE, env=env)
        run(python, "manage.py", "shell", "-c",
            "from django.contrib.auth.models import User; "
            "User.objects.create_superuser('editor', 'e@example.org', 'pw-several-1')",
            cwd=BASE, env=env)  # fmt: skip
        ports = [free_port(), free_port()]
        for port in ports:
            processes.append(subprocess.Popen(
                [python.parent / "gunicorn", "config.wsgi", "-c", "deploy/gunicorn.conf.py"],
                cwd=BASE, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))  # fmt: skip
        front = free_port()
        processes.append(subprocess.Popen(
            ["nginx", "-c", str(nginx_config(tmp_path, front, ports)), "-p", str(tmp_path),
             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))  # fmt: skip
        for port in [*ports, front]:
            wait_for(lambda p=port: Client(p).request("GET", "/healthz")[0] == 200)
        yield {"instances": ports, "front": front, "cluster": cluster, "processes": processes}
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        cluster.drop()
        subprocess.run(["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], capture_output=True)


def test_two_instances_behind_nginx_share_sessions_data_and_survive_a_failure(site):
    first, second = site["instances"]

    # A session opened through one instance works on the other.
    editor = Client(first)
    token = editor.csrf("/fr/admin/login/")
    status, _page = editor.request("POST", "/fr/admin/login/", {
        "csrfmiddlewaretoken": token, "username": "editor", "password": "pw-several-1",
        "next": "/fr/admin/"})  # fmt: skip
    assert status == 302
    editor.port = second
    status, page = editor.request("GET", "/fr/admin/")
    assert status == 200 and "Déconnexion" in page

    # A record unpublished through the second instance disappears through both and from
    # the replica, which the public pages read.
    path = "/fr/structures/enercoop/"
    assert Client(first).request("GET", path)[0] == 200
    token = editor.csrf("/fr/admin/catalogue/structure/?q=enercoop")
    status, page = editor.request("GET", "/fr/admin/catalogue/structure/?q=enercoop")
    pk = re.search(r"/fr/admin/catalogue/structure/(\d+)/change/", page).group(1)
    status, _page = editor.request("POST", "/fr/admin/catalogue/structure/?q=enercoop", {
        "csrfmiddlewaretoken": token, "action": "unpublish", "_selected_action": pk})  # fmt: skip
    assert status == 302
    wait_for(lambda: site["cluster"].on_replica(
        f"SELECT status FROM catalogue_structure WHERE id = {pk}") == "draft")  # fmt: skip
    for port in (first, second, site["front"]):
        wait_for(lambda p=port: Client(p).request("GET", path)[0] == 404, seconds=10)

    # One instance killed in the middle of a load: nginx sends its requests to the
    # other; no visitor sees an error.
    pages = ["/fr/", "/en/search/?q=coop", "/fr/chiffres-cles/", "/en/glossary/"] * 100

    def fetch(page):
        return Client(site["front"]).request("GET", page)[0]

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(fetch, pages)
        time.sleep(1)
        site["processes"][0].send_signal(signal.SIGKILL)
        statuses = list(results)
    assert site["processes"][0].wait(timeout=10) == -signal.SIGKILL
    assert statuses.count(200) == len(pages), sorted(set(statuses))
