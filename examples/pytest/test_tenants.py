"""Tests that each move their own tenant's clock by a different amount,
in parallel, against one server."""
import pytest

from conftest import advance, api

DAY = 86_400


def customer_with_a_monthly_server(tenant, funds):
    customer = api(tenant, "POST", "customers/signup", **{
        "username": "ada@example.com", "passwd": "s3cret-pass", "name": "Ada",
        "company": "Analytical", "address-line-1": "1 Engine Road", "city": "London",
        "state": "London", "country": "GB", "zipcode": "N1", "phone-cc": "44",
        "phone": "2070000000", "lang-pref": "en"})
    if funds:
        api(tenant, "POST", "billing/add-customer-fund", **{
            "customer-id": customer, "amount": funds, "description": "test funds",
            "transaction-type": "receipt", "transaction-key": f"fund-{customer}"})
    order = api(tenant, "POST", "vps/linux/us/add", **{
        "domain-name": "host.example.com", "customer-id": customer, "months": 1,
        "plan-id": 101, "auto-renew": "true", "invoice-option": "NoInvoice"})
    return customer, order["entityid"]


@pytest.mark.parametrize("days", [5, 20, 25, 35])
def test_a_monthly_server_renews_from_funds_on_the_tenants_own_clock(tenant, days):
    customer, order = customer_with_a_monthly_server(tenant, "100")
    before = api(tenant, "GET", "vps/linux/us/details", **{"order-id": order})
    moved = advance(tenant, days)
    assert moved["own"] and moved["offset_seconds"] == days * DAY
    after = api(tenant, "GET", "vps/linux/us/details", **{"order-id": order})
    renewed = int(after["endtime"]) > int(before["endtime"])
    # Renewed 7 days before its month ends, from the customer's funds.
    assert renewed == (days >= 25)
    funds = api(tenant, "GET", "billing/customer-balance", **{"customer-id": customer})
    assert float(funds["sellingcurrencybalance"]) == (90.0 if renewed else 100.0)


@pytest.mark.parametrize("days", [10, 40])
def test_without_funds_the_server_is_suspended_at_expiry(tenant, days):
    _, order = customer_with_a_monthly_server(tenant, None)
    advance(tenant, days)
    status = api(tenant, "GET", "vps/linux/us/details", **{"order-id": order})["currentstatus"]
    assert status == ("Suspended" if days >= 32 else "Active")
