"""A tenant per test: its own reseller, clock and snapshots on one shared
server, so tests run in parallel (pytest -n 8) without meeting."""
import os

import pytest
import requests

BASE = os.environ.get("RESELLER_URL", "http://127.0.0.1:8080")
ADMIN = {"Authorization": f"Bearer {os.environ['RESELLER_ADMIN_TOKEN']}"}


@pytest.fixture
def tenant():
    made = requests.post(f"{BASE}/_reseller/tenants", headers=ADMIN,
                         json={"funds": "1000", "clock": True})
    made.raise_for_status()
    tenant = made.json()
    yield tenant
    requests.delete(f"{BASE}/_reseller/tenants/{tenant['id']}", headers=ADMIN)


def advance(tenant, days):
    """Moves the tenant's own clock; its due jobs have run when this returns."""
    moved = requests.post(f"{BASE}/_reseller/tenants/{tenant['id']}/clock/advance",
                          headers=ADMIN, json={"days": days})
    moved.raise_for_status()
    return moved.json()


def api(tenant, method, call, **params):
    """An API call signed in as the tenant."""
    params.update({"auth-userid": tenant["auth-userid"], "api-key": tenant["api-key"]})
    reply = requests.request(method, f"{BASE}/api/{call}.json", params=params)
    return reply.json()
