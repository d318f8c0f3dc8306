"""Going through a confirmation step (portal/confirmation.py) as a person does: post the form,
read the token from the "are you sure" page, post again with it."""

import re

from portal.confirmation import FIELD

TOKEN = re.compile(rf'name="{FIELD}" value="([^"]+)"')


def confirmation_token_in(response) -> str:
    """The token the confirmation page carries (fails when the page is not one)."""
    found = TOKEN.search(response.content.decode())
    assert found, f"no confirmation step in the response ({response.status_code})"
    return found.group(1)


def post_confirmed(client, url: str, data: dict, **kwargs):
    """POST ``data``; on the confirmation page that comes back, confirm it."""
    first = client.post(url, data)
    assert first.status_code == 200, first.status_code
    return client.post(url, {**data, FIELD: confirmation_token_in(first)}, **kwargs)
