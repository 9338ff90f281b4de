"""A laptop calls the server's /api/v1/…; a server from before the API was versioned answers
that with a plain 404 page, and the laptop goes on at /api/… (once asked, it stays there)."""

from omboon.network.sync import laptop


def test_a_server_from_before_versioning_is_called_at_its_unversioned_paths(monkeypatch):
    calls = []

    def old_server(self, method, path, body, headers):
        calls.append(path)
        return (200, {"last_applied": 3}) if path.startswith("/api/network/") else (404, {})

    monkeypatch.setattr(laptop.Transport, "_request", old_server)
    transport = laptop.Transport("http://server.example/")
    assert transport.request("GET", "/network/sync/status") == (200, {"last_applied": 3})
    assert transport.request("POST", "/network/sync/push", b"{}") == (200, {"last_applied": 3})
    assert calls == ["/api/v1/network/sync/status", "/api/network/sync/status", "/api/network/sync/push"]


def test_a_refusal_of_a_versioned_server_is_not_taken_for_an_old_server(monkeypatch):
    calls = []

    def new_server(self, method, path, body, headers):
        calls.append(path)
        return 404, {"detail": "ไม่พบ / not found", "errors": [{"field": "path"}]}

    monkeypatch.setattr(laptop.Transport, "_request", new_server)
    assert laptop.Transport("http://server.example").request("GET", "/network/sync/status")[0] == 404
    assert calls == ["/api/v1/network/sync/status"]
