"""POSTing new alerts to a webhook: one JSON object per alert, with a timeout and retries.

An alert that still cannot be delivered after the retries is kept in the store (state key
"alerts.webhook_pending") and sent again after the next poll, so a receiver that is down for a
while misses nothing.
"""
from __future__ import annotations

import time

import httpx

from wirewatch.store import Store
from wirewatch.watch.fetch import USER_AGENT

PENDING_KEY = "alerts.webhook_pending"
MAX_PENDING = 10_000


def post_alert(url: str, alert: dict, timeout: float = 10.0, retries: int = 3, backoff: float = 1.0,
               client: httpx.Client | None = None, sleep=time.sleep) -> str | None:
    """POST one alert; return None when the receiver answered 2xx, else the last reason it failed."""
    owned = client is None
    client = client or httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, trust_env=False)
    reason = None
    try:
        for attempt in range(retries + 1):
            if attempt:
                sleep(backoff * 2 ** (attempt - 1))
            try:
                reply = client.post(url, json=alert, timeout=timeout)
            except httpx.TimeoutException:
                reason = f"timed out after {timeout:g} s"
                continue
            except httpx.HTTPError as exc:
                reason = f"{type(exc).__name__}: {exc}"
                continue
            if 200 <= reply.status_code < 300:
                return None
            reason = f"HTTP {reply.status_code}"
            if 400 <= reply.status_code < 500 and reply.status_code not in (408, 429):
                break  # the receiver refuses this alert; retrying will not change its mind
    finally:
        if owned:
            client.close()
    return reason


def queue(store: Store, alerts: list[dict]) -> None:
    """Add alerts to the webhook queue; call inside the transaction that stored them, so a crash loses none."""
    if not alerts:
        return
    pending = (store.get_state(PENDING_KEY) or {}).get("alerts", [])
    known = {a["id"] for a in pending}
    pending.extend(a for a in alerts if a["id"] not in known)
    store.set_state(PENDING_KEY, {"alerts": pending[-MAX_PENDING:]})


def deliver(store: Store, url: str, timeout: float = 10.0, retries: int = 3, report=None, sleep=time.sleep) -> int:
    """POST every queued alert, oldest first; keep those not delivered for next time; return how many were sent."""
    pending = (store.get_state(PENDING_KEY) or {}).get("alerts", [])
    if not pending:
        return 0
    sent: set[str] = set()
    with httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, trust_env=False) as client:
        for number, alert in enumerate(pending):
            reason = post_alert(url, alert, timeout=timeout, retries=retries, client=client, sleep=sleep)
            if reason is None:
                sent.add(alert["id"])
                continue
            if report:
                others = len(pending) - number - 1
                report(f"webhook {url}: alert {alert['id']} not delivered ({reason})"
                       + (f"; {others} more held back" if others else "") + "; will retry after the next poll")
            break  # the receiver is down or refusing: the rest wait for the next poll, in order
    with store.transaction():
        # Alerts queued by another process meanwhile stay queued.
        current = (store.get_state(PENDING_KEY) or {}).get("alerts", [])
        store.set_state(PENDING_KEY, {"alerts": [a for a in current if a["id"] not in sent]})
    return len(sent)
