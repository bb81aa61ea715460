"""The client's address, as the front server reports it when there is one."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or behind the front server (BEHIND_PROXY) the X-Real-IP it sets
    from the connection: a client cannot choose its own address to escape a lockout."""
    if settings.BEHIND_PROXY:
        return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")
    return request.META.get("REMOTE_ADDR")
