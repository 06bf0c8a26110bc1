"""Notifications: a budget's or a check's verdict, sent to Slack, Teams, e-mail or any webhook.

    from openrouter_analytics import Analytics, check_budget
    from openrouter_analytics.notify import SentStore, notify

    with Analytics() as analytics:
        result = check_budget(analytics.get_user_activity(), monthly=500)
    sent = notify(["slack://T1/B2/C3"], result, store=SentStore())
    for failure in sent.failed:
        print(failure.shown, failure.reason)

Destinations are Apprise URLs (``pip install 'openrouter-analytics[notify]'``); Apprise is
imported only when a URL is checked or a message sent. What was sent is remembered in the
``notifications_sent`` table of the history file, so each warning reaches people once per
period. The SDK core never imports this package.
"""

from ._message import Message, plain
from ._send import INSTALL_HINT, NOTIFY_ON, Delivery, NotifyOn, NotifyResult, check_urls, notify
from ._store import TABLE, SentStore, SentStoreError, destination_id

__all__ = [
    "INSTALL_HINT",
    "NOTIFY_ON",
    "TABLE",
    "Delivery",
    "Message",
    "NotifyOn",
    "NotifyResult",
    "SentStore",
    "SentStoreError",
    "check_urls",
    "destination_id",
    "notify",
    "plain",
]
