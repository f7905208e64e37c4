"""An nginx configuration that balances requests over filmsearch workers, without root.

    python -m webapp.nginx --listen 127.0.0.1:8080 --upstream 127.0.0.1:8000 \
        --prefix /srv/filmsearch/nginx > /srv/filmsearch/nginx/nginx.conf
    nginx -p /srv/filmsearch/nginx -e /srv/filmsearch/nginx/error.log \
        -c /srv/filmsearch/nginx/nginx.conf

One `upstream` lists every worker address (`filmsearch serve --workers N` shares one
port, so it is one address; separate processes each add theirs). The pid file, logs and
temporary files live under `prefix`, so nginx runs as the current user; started by root,
its workers stay root's user rather than nginx's default `nobody`.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import shutil
from collections.abc import Sequence
from pathlib import Path

TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def render(
    listen: str,
    upstreams: Sequence[str],
    prefix: Path,
    *,
    worker_processes: int | str = "auto",
    keepalive: int = 32,
) -> str:
    """The text of nginx.conf: `listen` (host:port) proxies to every address in `upstreams`."""
    if not upstreams:
        raise ValueError("at least one upstream address is needed")
    prefix = prefix.resolve()
    temp = prefix / "temp"
    lines = []
    if os.geteuid() == 0:  # nginx's workers would otherwise drop to `nobody`
        user = pwd.getpwuid(os.geteuid()).pw_name
        lines.append(f"user {user} {grp.getgrgid(os.getegid()).gr_name};")
    lines += [
        f"worker_processes {worker_processes};",
        f"pid {prefix / 'nginx.pid'};",
        f"error_log {prefix / 'error.log'} warn;",
        "events { worker_connections 1024; }",
        "http {",
        f"    access_log {prefix / 'access.log'};",
        *(f"    {name}_temp_path {temp / name};" for name in TEMP_DIRS),
        "    upstream filmsearch {",
        *(f"        server {address};" for address in upstreams),
        f"        keepalive {keepalive};",
        "    }",
        "    server {",
        f"        listen {listen};",
        "        location / {",
        "            proxy_pass http://filmsearch;",
        "            proxy_http_version 1.1;",
        '            proxy_set_header Connection "";',
        "            proxy_set_header Host $http_host;",
        "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "            proxy_set_header X-Forwarded-Proto $scheme;",
        "            proxy_set_header X-Forwarded-Host $http_host;",
        "            proxy_read_timeout 60s;",
        "        }",
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def write(listen: str, upstreams: Sequence[str], prefix: Path) -> Path:
    """Write `prefix/nginx.conf` and the temporary directories it names; return its path."""
    for name in TEMP_DIRS:
        (prefix / "temp" / name).mkdir(parents=True, exist_ok=True)
    path = prefix / "nginx.conf"
    path.write_text(render(listen, upstreams, prefix))
    return path


def binary() -> str | None:
    """Where nginx is installed (Debian puts it in /usr/sbin, not always on a user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def command(prefix: Path, *, foreground: bool = False) -> list[str]:
    """The command line that runs nginx on the configuration `write` made under `prefix`."""
    prefix = prefix.resolve()
    args = [binary() or "nginx", "-p", str(prefix), "-e", str(prefix / "error.log")]
    args += ["-c", str(prefix / "nginx.conf")]
    return args + (["-g", "daemon off;"] if foreground else [])


def main(argv: Sequence[str] | None = None) -> None:
    """Print (or with --write, write) the configuration for the given addresses."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:8080", help="address nginx listens on")
    parser.add_argument(
        "--upstream",
        action="append",
        required=True,
        help="a worker address, host:port (repeat for workers on separate ports)",
    )
    parser.add_argument("--prefix", type=Path, required=True, help="pid, logs and temp files")
    parser.add_argument("--write", action="store_true", help="write PREFIX/nginx.conf")
    args = parser.parse_args(argv)
    if args.write:
        path = write(args.listen, args.upstream, args.prefix)
        print(" ".join(command(args.prefix)) + f"  # {path}")
    else:
        print(render(args.listen, args.upstream, args.prefix), end="")


if __name__ == "__main__":
    main()
