"""URL values for the web URL walker (omboon.web.tests.test_url_walker).

The member pages use only ``member_id``, which the walker itself builds."""

URL_VALUES: dict = {}
