"""What tests that start processes of their own (gunicorn, manage.py, nginx) share."""

import os
import socket

# Set by or for the test run itself; a process of the application must not inherit them.
TEST_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")


def process_env(**overrides):
    """This environment, without the test run's own variables, with `overrides`."""
    env = {name: value for name, value in os.environ.items() if name not in TEST_ONLY}
    return {**env, **overrides}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
