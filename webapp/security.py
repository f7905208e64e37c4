"""Security headers on every response and a cap on the query string's length."""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request

# Only this site's own scripts, styles and images; no inline script, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def limit_query_string() -> None:
    """Refuse URLs whose query string is longer than MAX_QUERY_STRING bytes."""
    limit = current_app.config["MAX_QUERY_STRING"]
    if len(request.query_string) > limit:
        abort(414, f"The address is too long: at most {limit:,} bytes of parameters.")


def add_headers(response: Response) -> Response:
    """Set the security headers, leaving any a view chose itself."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Register the request limit and the response headers."""
    app.before_request(limit_query_string)
    app.after_request(add_headers)
